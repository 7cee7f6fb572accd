// Queries run in a Web Worker: the page stays responsive while a slow query runs, Stop ends
// it (the worker is terminated and a fresh one prepares the data again), and the app keeps
// working afterwards.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { siteForSuite } from './harness.mjs';
import { gotoHome, typeQuery, runWithKeyboard } from './kqlab.mjs';

describe('the query worker', () => {
  const site = siteForSuite();

  test('a slow query shows progress, the page stays responsive, and Stop ends it', async () => {
    const { s, page } = site;
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
    await page.locator('.results-stopped', { hasText: 'The run was stopped' }).waitFor();
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
  const site = siteForSuite();

  test('generated data and query results in wasm equal the native build at the same clock', async () => {
    const { s, page } = site;
    const { execFileSync } = await import('node:child_process');
    const { join } = await import('node:path');
    const { existsSync } = await import('node:fs');
    const { ROOT } = await import('./harness.mjs');
    await gotoHome(page, s.site.url);
    // "Data up to 2026-11-30 18:00 UTC" → the session clock.
    const clockText = (await page.locator('.data-clock').textContent()).match(/(\d{4}-\d\d-\d\d) (\d\d:\d\d)/);
    const now = `${clockText[1]}T${clockText[2]}:00Z`;
    await page.locator('#lesson-picker').selectOption('playground');
    await page.locator('#query').waitFor();
    const query = 'UrlClickEvents | summarize Rows = count(), Reports = dcount(ReportId), Users = dcount(AccountUpn), First = min(Timestamp), Last = max(Timestamp), UrlChars = sum(strlen(Url)), Phish = countif(ThreatTypes has "Phish"), Seconds = sum(datetime_diff(\'second\', Timestamp, datetime(2026-01-01)))';
    await typeQuery(page, query);
    await runWithKeyboard(page);
    await page.locator('.grid').waitFor();
    const cells = await page.locator('.grid .grid-row').first().locator('.grid-td').allTextContents();
    // scripts/test.sh builds the native binary where CARGO_TARGET_DIR says (default target/).
    const bin = join(process.env.CARGO_TARGET_DIR || join(ROOT, 'target'), 'release', 'kqlab');
    assert.ok(existsSync(bin), `the native release binary ${bin} is built`);
    const csv = execFileSync(bin, ['query', '--now', now, '--format', 'csv', query], { encoding: 'utf8' });
    const native = csv.trim().split('\n')[1].split(',');
    assert.deepEqual(cells.map((c) => c.trim()), native, `wasm and native differ at clock ${now}`);
  });
});

describe('a crash in the query worker', () => {
  // The simulated crash is reported on the console on purpose.
  const site = siteForSuite({ allowed: /simulated crash/ });

  test('is reported, the worker restarts, and the learner carries on with nothing lost', async () => {
    const { s, page } = site;
    await gotoHome(page, s.site.url);
    await page.locator('#lesson-picker').selectOption('playground');
    await page.locator('.schema-pane').waitFor();
    await typeQuery(page, 'UrlClickEvents\n| take 3');
    const worker = page.workers().find((w) => w.url().includes('worker.js') && w.url().includes('role=query'));
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

describe('a Rust panic', () => {
  // The panics are provoked on purpose and reported on the console and as page errors.
  const site = siteForSuite({ allowed: /self-test panic|unreachable/ });

  test('in the query worker is reported with its message; the worker restarts', async () => {
    const { s, page } = site;
    await gotoHome(page, s.site.url);
    await page.locator('#lesson-picker').selectOption('playground');
    await page.locator('.schema-pane').waitFor();
    await typeQuery(page, 'UrlClickEvents\n| take 2');
    const worker = page.workers().find((w) => w.url().includes('worker.js') && w.url().includes('role=query'));
    assert.ok(worker, 'queries run in a Web Worker');
    // The worker's module is the same wasm as the page's; its self-test export panics.
    await worker.evaluate(async () => {
      const here = new URL(self.location.href);
      const glue = await import(new URL(here.searchParams.get('js'), here).href);
      setTimeout(() => glue.kqlabSelfTestPanic('self-test panic in the worker'), 0);
    });
    const notice = page.locator('.notice-error', { hasText: 'The query engine stopped' });
    await notice.waitFor();
    assert.match(await notice.textContent(), /internal error: self-test panic in the worker \(at src\/web\/mod\.rs:\d+\)/);
    assert.equal(await page.locator('.notice-error', { hasText: 'The query engine stopped' }).count(), 1, 'one crash, one notice');
    await runWithKeyboard(page);
    await page.locator('.grid').waitFor();
    assert.match(await page.locator('.results').textContent(), /2 rows/);
    assert.equal(await page.locator('#fatal').isHidden(), true);
  });

  test('in the page shows the error banner, and a reload brings back the query', async () => {
    const { s, page } = site;
    await gotoHome(page, s.site.url);
    await page.locator('#lesson-picker').selectOption('playground');
    await page.locator('.schema-pane').waitFor();
    await typeQuery(page, 'EmailEvents\n| count');
    await page.evaluate(async () => {
      const a = globalThis.__kqlab_assets;
      const glue = await import(new URL(a.js, a.base).href);
      setTimeout(() => glue.kqlabSelfTestPanic('self-test panic in the page'), 0);
    });
    const banner = page.locator('#fatal');
    await banner.waitFor();
    assert.match(await banner.textContent(), /internal error and stopped: self-test panic in the page \(at src\/web\/mod\.rs:\d+\)\. Reload the page/);
    // The panic also stops the query worker: it would only go on computing, and its replies
    // would call into the page's dead module.
    const engineWorkers = () => page.workers().filter((w) => w.url().includes('worker.js')).length;
    for (let i = 0; i < 50 && engineWorkers() > 0; i++) await page.waitForTimeout(100);
    assert.equal(engineWorkers(), 0, 'the query worker is terminated after a panic in the page');
    await s.screenshot('panic-banner');
    await page.reload();
    await page.locator('#lesson-picker').waitFor();
    await page.locator('#lesson-picker').selectOption('playground');
    await page.locator('.schema-pane').waitFor();
    assert.equal(await page.locator('#query').inputValue(), 'EmailEvents\n| count', 'the query typed before the panic is kept');
    assert.equal(await page.locator('#fatal').isHidden(), true);
  });
});

describe('the engine limits in the browser', () => {
  const site = siteForSuite();

  /** Runs `query` in the playground and returns the error text shown (or '' for a result). */
  async function run(query) {
    const { page } = site;
    await page.locator('#query').fill(query);
    await runWithKeyboard(page);
    await page.locator('.running').waitFor({ state: 'hidden' });
    await page.locator('.grid, .run-errors').first().waitFor();
    return (await page.locator('.run-errors').count()) ? page.locator('.run-errors').textContent() : '';
  }

  test('each limit gives a named error and the page carries on; long results are cut with a notice', async () => {
    const { s, page } = site;
    await gotoHome(page, s.site.url);
    await page.locator('#lesson-picker').selectOption('playground');
    await page.locator('.schema-pane').waitFor();
    const cases = [
      ['range x from 1 to 10000000000 step 1', /about 10,000,000,000 values; kqlab stops at 10,000,000 \[KQL0502\]/],
      ['range x from 1 to 1000000 step 1 | extend r = range(1, 100) | mv-expand r', /mv-expand would produce 12,000,100 rows; kqlab stops at 12,000,000.*\[KQL0502\]/],
      ['print x = 1 | where "a" matches regex strcat("(", strrep("a", 5000), ")")', /regular expression is 5002 bytes long.*\[KQL0502\]/],
      [`print ${'('.repeat(150)}1${')'.repeat(150)}`, /nested too deeply.*\[KQL0105\]/],
      ['print s = strrep(strrep(strrep("x", 10000), 1000), 4)', /40,000,000 bytes; kqlab stops at 33,554,432 bytes per value \[KQL0502\]/],
    ];
    for (const [query, expected] of cases) {
      const text = await run(query);
      assert.match(text, expected, `${query.slice(0, 60)}…: ${text}`);
    }
    assert.equal(await run('range x from 1 to 600000 step 1'), '');
    assert.equal(await page.locator('.grid-notice').textContent(), 'Showing the first 500,000 of 600,000 rows.');
    await s.screenshot('limits-truncated');
    assert.equal(await run('UrlClickEvents | count'), '');
    assert.equal(await page.locator('#fatal').isHidden(), true);
  });
});
