// Sentinel habits in the browser: the schema pane lists SigninLogs and puts the old
// AADSignInEventsBeta after the current tables; a Sentinel-style hunt typed as a person types
// it (a built-in watchlist, SigninLogs' dynamic columns, geo_info_from_ip_address) finds the
// attacker's sign-ins in Nigeria; and SigninLogs' rows equal the native build's at the page's
// clock. The watchlists are in the schema pane (after the tables) and completion offers their
// names inside `_GetWatchlist('`.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { siteForSuite, ROOT } from './harness.mjs';
import { gotoHome, typeQuery, runWithKeyboard, settle } from './kqlab.mjs';

async function run(page) {
  const before = await page.locator('.grid').count() ? await page.locator('.grid').textContent() : null;
  await runWithKeyboard(page);
  await page.waitForFunction((prev) => {
    const g = document.querySelector('.grid');
    return g && !document.querySelector('.running') && g.textContent !== prev;
  }, before, { timeout: 60_000 });
}

describe('Sentinel habits', () => {
  const site = siteForSuite();

  test('SigninLogs, watchlists and geolocation in the playground, equal to the native rows', async () => {
    const { s, page } = site;
    await gotoHome(page, s.site.url);
    const clockText = (await page.locator('.data-clock').textContent()).match(/(\d{4}-\d\d-\d\d) (\d\d:\d\d)/);
    const now = `${clockText[1]}T${clockText[2]}:00Z`;
    await page.locator('#lesson-picker').selectOption('playground');
    await page.locator('#query').waitFor();
    const pane = page.locator('.schema-pane');
    await pane.waitFor();
    const names = (await pane.locator('.schema-table').allTextContents()).map((t) => t.trim());
    assert.ok(names.includes('SigninLogs'), `SigninLogs is listed: ${names}`);
    const lists = (await pane.locator('.schema-watchlist').allTextContents()).map((t) => t.trim());
    assert.deepEqual(lists, ['IOCs', 'NetworkRanges'], 'the built-in watchlists are listed');
    assert.deepEqual(names.slice(-2), lists, `the watchlists come after the tables: ${names}`);
    const tables = names.slice(0, -2);
    assert.equal(tables.at(-1), 'AADSignInEventsBeta', `the old name comes last of the tables: ${names}`);
    assert.ok(tables.indexOf('EntraIdSignInEvents') < tables.indexOf('AADSignInEventsBeta'));

    // Inside `_GetWatchlist('` completion offers the names; Tab takes one and closes the call.
    await typeQuery(page, "let bad = _GetWatchlist('Net");
    await settle(page);
    const completions = page.locator('.completions');
    await completions.waitFor({ state: 'visible' });
    assert.deepEqual(await completions.locator('.completion-label').allTextContents(), ['NetworkRanges']);
    await pane.locator('.schema-watchlist', { hasText: 'IOCs' }).scrollIntoViewIfNeeded();
    await s.screenshot('sentinel-watchlist-completion');
    await page.keyboard.press('Tab');
    assert.equal(await page.locator('#query').inputValue(), "let bad = _GetWatchlist('NetworkRanges')");

    await typeQuery(page, [
      "let bad = _GetWatchlist('IOCs') | where Type == 'ipv4' | project SearchKey;",
      'SigninLogs',
      '| where IPAddress in (bad)',
      '| extend Country = tostring(geo_info_from_ip_address(IPAddress).country), City = tostring(LocationDetails.city)',
      '| summarize Attempts = count(), Denied = countif(ResultType == "500121") by UserPrincipalName, IPAddress, Country, City',
    ].join('\n'));
    await run(page);
    assert.equal(await page.locator('.editor-error').count(), 0, 'the live check accepts the watchlist');
    const grid = await page.locator('.grid').textContent();
    assert.match(grid, /Nigeria/);
    assert.match(grid, /203\.0\.113\.45/);
    assert.match(grid, /emma\.vargas@contoso\.com/);
    await s.screenshot('sentinel-signinlogs-watchlist');

    const query = "SigninLogs | summarize Rows = count(), Seconds = sum(datetime_diff('second', TimeGenerated, datetime(2026-01-01))), Chars = sum(strlen(strcat(ResultType, tostring(LocationDetails), tostring(DeviceDetail), tostring(Status), tostring(ConditionalAccessPolicies), IPAddress)))";
    await typeQuery(page, query);
    await run(page);
    const cells = await page.locator('.grid .grid-row').first().locator('.grid-td').allTextContents();
    const target = process.env.CARGO_TARGET_DIR || join(ROOT, 'target');
    const bin = join(target, 'release', 'kqlab');
    assert.ok(existsSync(bin), `the native release binary ${bin} is built`);
    const csv = execFileSync(bin, ['query', '--now', now, '--format', 'csv', query], { encoding: 'utf8' });
    const native = csv.trim().split('\n')[1].split(',');
    assert.deepEqual(cells.map((c) => c.trim()), native, `wasm and native differ at clock ${now}`);
  });
});
