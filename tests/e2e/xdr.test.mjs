// The Defender XDR tables in the browser: the schema pane lists the second chapter's tables
// without generating them, the first query that reads one generates it in the worker (its time
// is measured and printed), a hunter's join finds the story's alert, and the rows equal the
// native build's at the same clock.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { siteForSuite, ROOT } from './harness.mjs';
import { gotoHome, typeQuery, runWithKeyboard } from './kqlab.mjs';

/** Runs the editor's query and returns the milliseconds until the grid shows its result. */
async function timedRun(page) {
  const before = await page.locator('.grid').count() ? await page.locator('.grid').textContent() : null;
  const start = Date.now();
  await runWithKeyboard(page);
  await page.waitForFunction((prev) => {
    const g = document.querySelector('.grid');
    return g && !document.querySelector('.running') && g.textContent !== prev;
  }, before, { timeout: 60_000 });
  return Date.now() - start;
}

describe('the Defender XDR tables', () => {
  const site = siteForSuite();

  test('are listed before they are made, found by a hunting query, and equal the native rows', async () => {
    const { s, page } = site;
    await gotoHome(page, s.site.url);
    const clockText = (await page.locator('.data-clock').textContent()).match(/(\d{4}-\d\d-\d\d) (\d\d:\d\d)/);
    const now = `${clockText[1]}T${clockText[2]}:00Z`;
    await page.locator('#lesson-picker').selectOption('playground');
    await page.locator('#query').waitFor();
    const pane = page.locator('.schema-pane');
    await pane.waitFor();
    for (const name of ['DeviceRegistryEvents', 'AlertEvidence', 'CloudAppEvents', 'EntraIdSignInEvents', 'IdentityInfo']) {
      assert.match(await pane.textContent(), new RegExp(name), `${name} is in the schema pane`);
    }
    assert.match(await pane.textContent(), /made when first queried/);

    // First read of a lazy endpoint table (it builds the endpoint world).
    await typeQuery(page, 'DeviceRegistryEvents\n| where RegistryKey contains "ContosoSyncUpdate"\n| summarize Rows = count() by DeviceName');
    const registryMs = await timedRun(page);
    assert.match(await page.locator('.grid').textContent(), /ctso-lt-2417\.corp\.contoso\.com/);
    // First read of the identity and alert tables (made together).
    await typeQuery(page, 'AlertInfo\n| join kind=inner AlertEvidence on AlertId\n| where EntityType == "Process"\n| project Title, DeviceName');
    const alertMs = await timedRun(page);
    assert.match(await page.locator('.grid').textContent(), /Suspicious PowerShell command line/);
    // The same tables again, already made.
    await typeQuery(page, 'AlertEvidence\n| join kind=inner AlertInfo on AlertId\n| summarize Entities = count() by Title\n| order by Entities desc');
    const againMs = await timedRun(page);
    console.log(`first query of DeviceRegistryEvents: ${registryMs} ms; of AlertInfo+AlertEvidence: ${alertMs} ms; AlertEvidence again: ${againMs} ms`);
    await s.screenshot('xdr-alert-join');
    assert.ok(registryMs < 20_000 && alertMs < 20_000, 'the first read of a lazy table stays quick');

    // wasm = native for the new tables at the page's clock.
    const query = 'union withsource=T DeviceLogonEvents, DeviceRegistryEvents, DeviceImageLoadEvents, DeviceEvents, IdentityLogonEvents, CloudAppEvents, EntraIdSignInEvents | summarize Rows = count(), Seconds = sum(datetime_diff(\'second\', Timestamp, datetime(2026-01-01))), Chars = sum(strlen(strcat(ActionType, RegistryKey, AdditionalFields_string, tostring(AdditionalFields_dynamic), tostring(RawEventData), IPAddress)))';
    await typeQuery(page, query);
    await timedRun(page);
    const cells = await page.locator('.grid .grid-row').first().locator('.grid-td').allTextContents();
    const target = process.env.CARGO_TARGET_DIR || join(ROOT, 'target');
    const bin = join(target, 'release', 'kqlab');
    assert.ok(existsSync(bin), `the native release binary ${bin} is built`);
    const csv = execFileSync(bin, ['query', '--now', now, '--format', 'csv', query], { encoding: 'utf8' });
    const native = csv.trim().split('\n')[1].split(',');
    assert.deepEqual(cells.map((c) => c.trim()), native, `wasm and native differ at clock ${now}`);
  });
});
