// Offline use: after one visit the site loads and checks answers with the network off (the
// service worker, www/sw.js), a file that was never saved says so, and a new build is fetched
// in the background, announced, and used on the next visit (or at once, on request).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, siteForSuite, waitForPage } from './harness.mjs';
import { gotoHome, lessonSteps, openLesson, passedSteps, passStep, waitLessonReady } from './kqlab.mjs';

const LESSON = 'Following the click';

// The site is served from a copy of dist/, so that the second test can publish a new build.
const dir = await mkdtemp(join(tmpdir(), 'kqlab-offline-'));
await cp(join(ROOT, 'dist'), dir, { recursive: true });

/** Waits until the service worker controls the page and has saved a complete build. */
async function waitOfflineReady(page, timeout = 30_000) {
  // Polled from here: waitForFunction would take the async check's promise itself as truthy.
  const deadline = Date.now() + timeout;
  for (;;) {
    const ready = await page.evaluate(async () => {
      if (!navigator.serviceWorker.controller) return false;
      const meta = await caches.open('kqlab-meta');
      const current = await meta.match(new URL('__meta/current', location.href).href);
      if (!current) return false;
      const id = await current.text();
      return (await meta.match(new URL(`__meta/complete-${id}`, location.href).href)) !== undefined;
    });
    if (ready) return;
    if (Date.now() > deadline) throw new Error('the service worker did not save the site for offline use in time');
    await page.waitForTimeout(200);
  }
}

/** The wasm file the page's module was loaded from (its URL's last part). */
function loadedWasm(page) {
  return page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname.split('/').pop()).find((n) => n.endsWith('.wasm')));
}

describe('offline use', () => {
  const site = siteForSuite({ dir });

  test('after one visit, the site opens and checks an answer with the network off', async () => {
    const { s, page } = site;
    const steps = await lessonSteps('following-the-click.toml');
    await gotoHome(page, s.site.url);
    await waitOfflineReady(page);

    await s.context.setOffline(true);
    try {
      await page.reload();
      await page.locator('.home-pane, .step-view').first().waitFor();
      if (await page.locator('.home-pane').isVisible()) await openLesson(page, LESSON);
      else await waitLessonReady(page);
      await passStep(page, 1, steps[0]);
      await s.screenshot('offline-step-passed');

      // A lesson that was never saved: the page names the problem.
      await s.expectProblems([/no-such-lesson\.toml: HTTP 504/, /status of 504/], async () => {
        await page.goto(`${s.site.url}?lesson=lessons/no-such-lesson.toml`);
        const card = page.locator('.lesson-card.failed');
        await card.waitFor();
        assert.match(await card.textContent(), /could not load lessons\/no-such-lesson\.toml: the server answered 504 Offline: this file is not saved for offline use/);
      });
    } finally {
      await s.context.setOffline(false);
    }
  });

  test('a new build is fetched in the background, announced, and used when asked', async () => {
    const { s, page } = site;
    // The app reopens the lesson of the first test.
    await page.goto(s.site.url);
    await waitLessonReady(page);
    await waitOfflineReady(page);
    const before = await loadedWasm(page);
    assert.ok(before, 'the page loaded a wasm module');

    // Publish a "new build": the same module under a new name, as a rebuild would produce.
    const files = await readdir(dir);
    const wasm = files.find((f) => f.endsWith('_bg.wasm'));
    const next = wasm.replace('_bg.wasm', '0_bg.wasm');
    await rename(join(dir, wasm), join(dir, next));
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    await writeFile(join(dir, 'index.html'), html.split(wasm).join(next));

    // This visit still runs the saved build; meanwhile the new one is fetched and announced.
    await page.reload();
    await waitLessonReady(page);
    assert.equal(await loadedWasm(page), before, 'the visit is served from the saved build');
    const notice = page.locator('#update-notice');
    await notice.waitFor({ timeout: 30_000 });
    assert.match(await notice.textContent(), /A new version of kqlab is ready\. It is used the next time you open kqlab; your progress is kept\./);
    await s.screenshot('offline-update-notice');

    await Promise.all([page.waitForEvent('load'), notice.locator('button', { hasText: 'Use it now' }).click()]);
    await waitLessonReady(page);
    await waitForPage(page, () => performance.getEntriesByType('resource').some((e) => new URL(e.name).pathname.endsWith('.wasm')));
    assert.equal(await loadedWasm(page), next, 'after "Use it now" the new build runs');
    assert.equal(await page.locator('#update-notice').count(), 0);
    assert.deepEqual(await passedSteps(page), [1], 'the step passed offline is still passed on the new build');
    // The old build's cache is kept one generation (a tab may still run it); older ones go.
    const keys = await page.evaluate(() => caches.keys());
    // A build's cache is named after both modules: the page's and the query worker's engine.
    assert.ok(keys.some((k) => k.startsWith(`kqlab-build-${next}~engine-`)), keys.join(', '));
  });

  test('clean up the copy of the site', async () => {
    await rm(dir, { recursive: true, force: true });
  });
});
