// How the page loads its engine: the page compiles the wasm module once and hands the
// compiled WebAssembly.Module to the query worker, so the worker neither downloads nor
// compiles it again, also when Stop restarts the worker. (The e2e server sends no-store, so
// without the hand-over every worker start would fetch the file from the server again.)

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { siteForSuite } from './harness.mjs';
import { gotoHome, typeQuery, runWithKeyboard } from './kqlab.mjs';

describe('loading the engine', () => {
  const site = siteForSuite();

  test('the wasm module is fetched once: the query worker starts from the page\'s compiled module, also after Stop', async () => {
    const { s, page } = site;
    const wasmRequests = () => s.log.requests.filter((u) => new URL(u).pathname.endsWith('.wasm'));
    await gotoHome(page, s.site.url);
    await page.locator('#lesson-picker').selectOption('playground');
    await page.locator('.schema-pane').waitFor();
    // The worker runs queries: it has instantiated the module.
    await typeQuery(page, 'UrlClickEvents\n| count');
    await runWithKeyboard(page);
    await page.locator('.grid').waitFor();
    assert.ok(page.workers().some((w) => w.url().includes('worker.js')), 'queries run in a Web Worker');
    assert.equal(wasmRequests().length, 1, `one wasm download for the page and its worker, got: ${wasmRequests().join(', ')}`);

    // Stop terminates the worker and starts a fresh one: it too gets the compiled module.
    await typeQuery(page, 'range x from 1 to 8000000 step 1\n| extend s = strcat("k", x % 3000000)\n| summarize dcount(s)');
    await runWithKeyboard(page);
    const running = page.locator('.running');
    await running.waitFor();
    await running.getByRole('button', { name: 'Stop' }).click();
    await page.locator('.results-stopped').waitFor();
    await page.locator('.schema-pane').waitFor();
    await typeQuery(page, 'EmailEvents\n| count');
    await runWithKeyboard(page);
    await page.locator('.grid').waitFor();
    assert.match(await page.locator('.grid').textContent(), /Count/);
    assert.equal(wasmRequests().length, 1, `still one wasm download after the restart, got: ${wasmRequests().join(', ')}`);
    await s.screenshot('load-after-restart');
  });

  test('a page of an older build, still open after an update, can start the new worker.js (no module sent: it loads the file)', async () => {
    const { s, page } = site;
    await gotoHome(page, s.site.url);
    // What an older page does: worker.js with the file names only, and no first message.
    const started = await page.evaluate(() => new Promise((ok) => {
      const a = globalThis.__kqlab_assets;
      const w = new Worker(new URL(`worker.js?js=${a.js}&wasm=${a.wasm}`, a.base), { type: 'module' });
      const timer = setTimeout(() => { w.terminate(); ok('no answer in 15 s'); }, 15000);
      w.onmessage = (e) => {
        if (e.data !== 'loaded') return;
        clearTimeout(timer);
        w.terminate();
        ok('loaded');
      };
      w.onerror = (e) => { clearTimeout(timer); ok(`error: ${e.message}`); };
    }));
    assert.equal(started, 'loaded', 'the worker loads the module itself when the page sends none');
  });
});
