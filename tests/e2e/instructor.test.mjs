// The instructor's page (?instructor): three learners' exported progress files and a broken
// one are chosen; the table shows per-step figures computed in the browser (nothing is
// uploaded, no query worker starts), and the broken file is named.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { siteForSuite } from './harness.mjs';

/** A learner's exported progress (the format of "Export progress"). */
function progressFile(steps) {
  return Buffer.from(JSON.stringify({ version: 1, lessons: { 'following-the-click': { steps } }, playground: '', playground_at: 0 }));
}
const run = (q, v, minute) => ({ q, v, at: 1_765_000_000_000 + minute * 60_000 });

describe('the instructor view', () => {
  const site = siteForSuite({ allowed: null });

  test('three learners\' files give per-step pass rates, runs, time, hints and wrong answers', async () => {
    const { s, page } = site;
    await page.goto(`${s.site.url}?instructor`);
    await page.locator('main.instructor h1').waitFor();
    await page.locator('input[aria-label="Choose learners\' progress files"]').setInputFiles([
      { name: 'ana.json', mimeType: 'application/json', buffer: progressFile({
        'recent-clicks': { passed: true, query: '', hints: 1, solution: false, at: 0, history: [run('a', 'fail:row-count', 0), run('b', 'pass', 4)] },
        'suspicious-domain': { passed: false, query: '', hints: 2, solution: true, at: 0, history: [run('c', 'error', 6)] },
      }) },
      { name: 'ben.json', mimeType: 'application/json', buffer: progressFile({
        'recent-clicks': { passed: true, query: '', hints: 0, solution: false, at: 0, history: [run('a', 'pass', 0)] },
      }) },
      { name: 'cleo.json', mimeType: 'application/json', buffer: progressFile({
        'recent-clicks': { passed: false, query: '', hints: 3, solution: false, at: 0, history: [run('a', 'fail:row-count', 0), run('x', 'fail:values', 2)] },
      }) },
      { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"version": 9, "lessons": {}}') },
    ]);
    await page.locator('.instructor-summary', { hasText: '3 learner files read.' }).waitFor();
    assert.match(await page.locator('.instructor-problems').textContent(), /notes\.json: not read, the file has version 9/);

    // Titles come with the course's lesson files (fetched alongside).
    await page.locator('.instructor-table td', { hasText: 'Get to know the click log' }).waitFor();
    const row = (step) => page.locator(`.instructor-table tr[data-step="${step}"] td`).allTextContents();
    assert.deepEqual(await row('recent-clicks'), ['Following the click', 'Get to know the click log', '3', '2', '66%', '1.5', '2.0', '1.3', '0', 'row count ×2, values ×1']);
    assert.deepEqual(await row('suspicious-domain'), ['Following the click', 'Clicks on the look-alike domain', '1', '0', '0%', '–', '–', '2.0', '1', 'error ×1']);
    // Lesson order, and nothing sent anywhere: no query worker, no upload.
    assert.deepEqual(await page.locator('.instructor-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.step)), ['recent-clicks', 'suspicious-domain']);
    assert.ok(!s.log.requests.some((u) => u.includes('worker.js')), 'the instructor page starts no query worker');
    assert.ok(s.log.requests.every((u) => new URL(u).origin === s.site.origin));
    await s.screenshot('instructor-three-learners');
  });
});
