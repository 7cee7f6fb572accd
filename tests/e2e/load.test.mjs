// How the page loads: two wasm modules. The page's module (Yew UI, lesson reader, the lexer
// for highlighting) paints the page; the engine's module (parser, binder, executor, data
// generators, checker) runs in the query worker and in the language worker (live errors,
// completion, Format), both started with the one compiled module. boot.js asks for the engine module as soon as
// the page's own has arrived, compiles it while it downloads, and the page hands the compiled
// WebAssembly.Module to every worker (the first, and the next after Stop or a crash), so each
// module is fetched once. (The e2e server sends no-store, so a second fetch would show up here
// as a second request.) The lesson and its editor are there before the engine is: what the
// learner types, and a Run, wait for it.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { siteForSuite } from './harness.mjs';
import { gotoHome, typeQuery, runWithKeyboard } from './kqlab.mjs';

const file = (u) => new URL(u).pathname.split('/').pop();

// While a test sets `held.engine` (`held.glue`) to a promise, the server answers the engine's
// wasm file (its wasm-bindgen glue, which only the query worker loads) once it resolves.
const held = { engine: null, asked: 0, glue: null, glueAsked: 0 };
const ENGINE_WASM = /\/engine-[0-9a-f]+_bg\.wasm$/;
const ENGINE_GLUE = /\/engine-[0-9a-f]+\.js$/;

describe('loading the page and the engine', () => {
  const site = siteForSuite({
    hold: (path) => {
      if (ENGINE_GLUE.test(path) && held.glue) {
        held.glueAsked += 1;
        return held.glue;
      }
      if (!ENGINE_WASM.test(path) || !held.engine) return null;
      held.asked += 1;
      return held.engine;
    },
  });

  test('two wasm modules, each fetched once: the page\'s and the engine\'s, which the worker sends back for the next worker after Stop', async () => {
    const { s, page } = site;
    const wasmRequests = () => s.log.requests.filter((u) => new URL(u).pathname.endsWith('.wasm')).map(file);
    await gotoHome(page, s.site.url);
    await page.locator('#lesson-picker').selectOption('playground');
    await page.locator('.schema-pane').waitFor();
    await typeQuery(page, 'UrlClickEvents\n| count');
    await runWithKeyboard(page);
    await page.locator('.grid').waitFor();
    assert.ok(page.workers().some((w) => w.url().includes('worker.js') && /[?&]js=engine-[0-9a-f]+\.js&wasm=engine-[0-9a-f]+_bg\.wasm/.test(w.url())),
      `queries run in a Web Worker started with the engine's module: ${page.workers().map((w) => w.url()).join(', ')}`);
    const first = wasmRequests();
    assert.equal(first.length, 2, `one download per module, got: ${first.join(', ')}`);
    assert.ok(first.some((f) => /^app-[0-9a-f]+_bg\.wasm$/.test(f)) && first.some((f) => /^engine-[0-9a-f]+_bg\.wasm$/.test(f)), first.join(', '));

    // Stop terminates the worker and starts a fresh one: it gets the compiled engine module.
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
    assert.deepEqual(wasmRequests(), first, 'still one download per module after the restart');
    await s.screenshot('load-after-restart');
  });

  test('the page paints, lists the lessons and shows a lesson\'s text before the engine module has arrived; the lesson\'s tables come once it has', async () => {
    const { s } = site;
    // A fresh browser profile: no service worker or cache of the first test's visit.
    const { page } = await s.newPage();
    // Hold the engine's wasm file until the page has painted.
    let release;
    held.engine = new Promise((ok) => { release = ok; });
    held.asked = 0;
    try {
      await gotoHome(page, s.site.url);
      for (let i = 0; i < 100 && held.asked === 0; i++) await page.waitForTimeout(50);
      assert.ok(held.asked >= 1, 'the query worker asked for the engine module');
      // The page's module runs without it: the home page is painted and answers clicks.
      assert.ok(await page.locator('.lesson-card').count() > 1, 'the lesson cards are shown');
      await page.locator('.lesson-open').first().click();
      await page.locator('.loading').waitFor();
      // The lesson's text and its editor are on screen; only its tables wait for the engine.
      await page.locator('.step-view').waitFor();
      await s.screenshot('load-engine-pending', {}, page);
      assert.equal(await page.locator('.schema-pane').count(), 0, 'the lesson\'s tables wait for the engine');
      await page.locator('#query').waitFor();
      assert.match(await page.locator('.results-waiting').textContent(), /Loading the query engine/);
    } finally {
      held.engine = null;
      release();
    }
    await page.locator('.schema-pane').waitFor({ timeout: 30_000 });
    await page.locator('#query').waitFor();
  });

  test('boot.js asks for the engine module itself, without waiting for the query worker to start (the worker\'s glue is held back)', async () => {
    const { s } = site;
    const { page } = await s.newPage();
    let release;
    held.glue = new Promise((ok) => { release = ok; });
    held.glueAsked = 0;
    // This page's requests for the engine's .wasm, and who made each: the page (boot.js), its
    // query worker, or its service worker (which caches the build once the page has started).
    const engine = [];
    page.on('request', (r) => {
      if (ENGINE_WASM.test(new URL(r.url()).pathname)) engine.push(r.serviceWorker() ? 'service worker' : r.frame() ? 'page' : 'worker');
    });
    const asked = () => engine.filter((who) => who !== 'service worker').length;
    const before = 0;
    try {
      await gotoHome(page, s.site.url);
      for (let i = 0; i < 100 && (held.glueAsked === 0 || asked() === before); i++) await page.waitForTimeout(50);
      assert.ok(held.glueAsked >= 1, 'the query worker asked for the engine\'s glue (held)');
      assert.equal(asked() - before, 1, `the engine module was requested while the worker could not start yet (${engine.join(', ')})`);
    } finally {
      held.glue = null;
      release();
    }
    // The worker gets the module compiled at boot: no second request for it.
    await page.locator('.lesson-open').first().click();
    await page.locator('.schema-pane').waitFor({ timeout: 30_000 });
    assert.equal(asked() - before, 1, `one request for the engine module in all (${engine.join(', ')})`);
    assert.equal(engine[0], 'page', 'made by the page');
  });

  test('the editor takes typed text while the engine is held back; Run says it waits, and the query runs once the engine is there', async () => {
    const { s } = site;
    const { page } = await s.newPage();
    let release;
    held.engine = new Promise((ok) => { release = ok; });
    held.asked = 0;
    try {
      await gotoHome(page, s.site.url);
      await page.locator('#lesson-picker').selectOption('playground');
      await page.locator('#query').waitFor();
      assert.equal(held.asked, 1, 'the engine module is being fetched (and held)');
      assert.equal(await page.locator('.schema-pane').count(), 0, 'no tables yet');
      await typeQuery(page, 'EmailEvents\n| count');
      await page.getByRole('button', { name: /^Run/ }).click();
      const waiting = page.locator('.running');
      await waiting.waitFor();
      assert.match(await waiting.textContent(), /Waiting for the query engine to load.*runs as soon as it is ready/);
      // Typing goes on while the run waits; no keystroke is lost.
      await page.locator('#query').press('End');
      await page.keyboard.type(' ');
      assert.equal(await page.locator('#query').inputValue(), 'EmailEvents\n| count ');
      await s.screenshot('load-engine-held-run-waiting', {}, page);
    } finally {
      held.engine = null;
      release();
    }
    await page.locator('.grid').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('.grid').textContent(), /Count/);
    await s.screenshot('load-engine-arrived-result', {}, page);
  });

  test('a page of an older build, still open after an update, can start the new worker.js (no module sent: it loads the file)', async () => {
    const { s, page } = site;
    await gotoHome(page, s.site.url);
    // What an older page does: worker.js with the file names only, and no first message.
    const started = await page.evaluate(() => new Promise((ok) => {
      const a = globalThis.__kqlab_assets;
      const w = new Worker(new URL(`worker.js?js=${a.engine}.js&wasm=${a.engine}_bg.wasm`, a.base), { type: 'module' });
      const timer = setTimeout(() => { w.terminate(); ok('no answer in 15 s'); }, 15000);
      w.onmessage = (e) => {
        if (e.data !== 'loaded') {
          clearTimeout(timer);
          w.terminate();
          ok(`unexpected message: ${JSON.stringify(e.data)}`);
          return;
        }
        clearTimeout(timer);
        w.terminate();
        ok('loaded');
      };
      w.onerror = (e) => { clearTimeout(timer); ok(`error: ${e.message}`); };
    }));
    assert.equal(started, 'loaded', 'the worker loads the module itself and sends no compiled module back to a page that did not ask');
  });
});
