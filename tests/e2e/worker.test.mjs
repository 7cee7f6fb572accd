// Queries run in a Web Worker: the page stays responsive while a slow query runs, Stop ends
// it (the worker is terminated and a fresh one prepares the data again), and the app keeps
// working afterwards.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite } from './harness.mjs';
import { gotoHome, typeQuery, runWithKeyboard } from './kqlab.mjs';

describe('the query worker', () => {
  let s;
  let page;

  before(async () => {
    s = await openSite();
    page = s.page;
  });

  after(async () => {
    if (s) {
      const problems = s.problems();
      await s.close();
      assert.deepEqual(problems, [], 'the page made outside requests or reported errors');
    }
  });

  test('a slow query shows progress, the page stays responsive, and Stop ends it', async () => {
    await gotoHome(page, s.site.url);
    await page.locator('#lesson-picker').selectOption('playground');
    await page.locator('#query').waitFor();
    // Several seconds of work in the worker.
    await typeQuery(page, 'range x from 1 to 8000000 step 1\n| extend s = strcat("k", x % 3000000)\n| summarize dcount(s)');
    await runWithKeyboard(page);
    const running = page.locator('.running');
    await running.waitFor();
    assert.match(await running.textContent(), /Running…/);
    // The page still answers while the worker computes: a frame is painted within 200 ms.
    const frameMs = await page.evaluate(() => new Promise((ok) => { const t = performance.now(); requestAnimationFrame(() => ok(performance.now() - t)); }));
    assert.ok(frameMs < 200, `a frame took ${frameMs} ms while the query ran`);
    await s.screenshot('worker-running');
    await running.getByRole('button', { name: 'Stop' }).click();
    await page.locator('.notice', { hasText: 'The query was stopped.' }).waitFor();
    await running.waitFor({ state: 'hidden' });
    // A fresh worker prepares the playground again; then queries run as before.
    await page.locator('.schema-pane').waitFor();
    await typeQuery(page, 'UrlClickEvents\n| count');
    await runWithKeyboard(page);
    await page.locator('.grid').waitFor();
    assert.match(await page.locator('.grid').textContent(), /Count/);
  });
});

describe('the same engine in the browser and natively', () => {
  let s;
  let page;

  before(async () => {
    s = await openSite();
    page = s.page;
  });

  after(async () => {
    if (s) {
      const problems = s.problems();
      await s.close();
      assert.deepEqual(problems, [], 'the page made outside requests or reported errors');
    }
  });

  test('generated data and query results in wasm equal the native build at the same clock', async () => {
    const { execFileSync } = await import('node:child_process');
    const { join } = await import('node:path');
    const { ROOT } = await import('./harness.mjs');
    await gotoHome(page, s.site.url);
    // "Data up to 2026-11-30 18:00 UTC" → the session clock.
    const clockText = (await page.locator('.data-clock').textContent()).match(/(\d{4}-\d\d-\d\d) (\d\d:\d\d)/);
    const now = `${clockText[1]}T${clockText[2]}:00Z`;
    await page.locator('#lesson-picker').selectOption('playground');
    await page.locator('#query').waitFor();
    const query = 'UrlClickEvents | summarize Rows = count(), Reports = dcount(ReportId), Users = dcount(AccountUpn), First = min(Timestamp), Last = max(Timestamp), UrlChars = sum(strlen(Url)), Phish = countif(ThreatTypes has "Phish")';
    await typeQuery(page, query);
    await runWithKeyboard(page);
    await page.locator('.grid').waitFor();
    const cells = await page.locator('.grid .grid-row').first().locator('.grid-td').allTextContents();
    const bin = join(ROOT, 'target', 'release', 'kqlab');
    const csv = execFileSync(bin, ['query', '--now', now, '--format', 'csv', query], { encoding: 'utf8' });
    const native = csv.trim().split('\n')[1].split(',');
    assert.deepEqual(cells.map((c) => c.trim()), native, `wasm and native differ at clock ${now}`);
  });
});

describe('a crash in the query worker', () => {
  let s;
  let page;

  before(async () => {
    s = await openSite();
    page = s.page;
  });

  after(async () => {
    if (s) {
      // The simulated crash is reported on the console on purpose.
      const problems = s.problems().filter((p) => !p.includes('simulated crash'));
      await s.close();
      assert.deepEqual(problems, [], 'the page made outside requests or reported errors');
    }
  });

  test('is reported, the worker restarts, and the learner carries on with nothing lost', async () => {
    await gotoHome(page, s.site.url);
    await page.locator('#lesson-picker').selectOption('playground');
    await page.locator('.schema-pane').waitFor();
    await typeQuery(page, 'UrlClickEvents\n| take 3');
    const worker = page.workers().find((w) => w.url().includes('worker.js'));
    assert.ok(worker, 'queries run in a Web Worker');
    // An uncaught error inside the worker, as a Rust panic (an abort) would raise.
    await worker.evaluate(() => { setTimeout(() => { throw new Error('simulated crash'); }, 0); });
    const notice = page.locator('.notice-error', { hasText: 'The query engine stopped' });
    await notice.waitFor();
    assert.match(await notice.textContent(), /simulated crash/);
    assert.match(await notice.textContent(), /restarted; your query and progress are kept/);
    // The query is still in the editor and runs on the restarted worker.
    assert.equal(await page.locator('#query').inputValue(), 'UrlClickEvents\n| take 3');
    await runWithKeyboard(page);
    await page.locator('.grid').waitFor();
    assert.match(await page.locator('.results').textContent(), /3 rows/);
    assert.equal(await page.locator('#fatal').isHidden(), true, 'no fatal banner: the page carried on');
  });
});
