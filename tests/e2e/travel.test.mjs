// Progress that travels and lasts: each step keeps a history of the runs (with verdicts) that
// a click brings back, and the progress can be exported to a file, the browser's storage
// cleared, and the file imported again (merged, never replacing); a bad file changes nothing.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS, siteForSuite } from './harness.mjs';
import { gotoHome, lessonCard, lessonSteps, openLesson, passedSteps, runWithKeyboard, typeQuery, waitLessonReady } from './kqlab.mjs';

const LESSON = 'Following the click';

describe('progress that travels and lasts', () => {
  const site = siteForSuite();
  let s;
  let page;
  let steps;

  before(async () => {
    steps = await lessonSteps('following-the-click.toml');
    s = site.s;
    page = site.page;
    await gotoHome(page, s.site.url);
    await openLesson(page, LESSON);
  });

  const input = () => page.locator('#query');

  test('each run goes into the step\'s history; a click brings a query back, Ctrl+Z undoes it', async () => {
    const wrong = 'UrlClickEvents\n| take 3';
    await typeQuery(page, wrong);
    await runWithKeyboard(page);
    await page.locator('.work-pane .verdict.fail').waitFor();
    await typeQuery(page, steps[0].solution.trimEnd());
    await runWithKeyboard(page);
    await page.locator('.work-pane .verdict.pass').waitFor();

    const toggle = page.locator('.history-toggle');
    assert.equal(await toggle.textContent(), 'History (2)');
    await toggle.click();
    const items = page.locator('.query-history .history-item');
    assert.equal(await items.count(), 2);
    assert.deepEqual(await page.locator('.query-history .history-verdict').allTextContents(), ['✓ correct', '✗ not yet'], 'newest first');
    assert.match(await items.nth(1).locator('.history-query').textContent(), /^UrlClickEvents\s+\(\+1 lines\)$/);
    await s.screenshot('travel-history');
    await items.nth(1).click();
    await page.waitForFunction((want) => document.querySelector('#query').value === want, wrong);
    assert.equal(await page.locator('.query-history').count(), 0, 'the list closes after a pick');
    await input().focus();
    await page.keyboard.press('Control+z');
    await page.waitForFunction((want) => document.querySelector('#query').value === want, steps[0].solution.trimEnd());
  });

  test('export, clear the browser, import: the passed step and its history come back', async () => {
    // Export and import sit on the home page, under the lessons.
    await page.locator('a.brand').click();
    await page.locator('.home-pane').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.progress-tools button', { hasText: 'Export progress' }).click()]);
    assert.equal(download.suggestedFilename(), 'kqlab-progress.json');
    const file = join(ARTIFACTS, 'kqlab-progress.json');
    await download.saveAs(file);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    assert.equal(saved.version, 1);
    assert.equal(saved.lessons['following-the-click'].steps[steps[0].id].passed, true);
    assert.equal(saved.lessons['following-the-click'].steps[steps[0].id].history.length, 2);

    // A new browser profile, as on another machine: nothing passed.
    await page.evaluate(() => localStorage.clear());
    // Reopen and wait until every lesson is listed (the page's resume-on-load has run).
    await gotoHome(page, s.site.url);
    assert.match(await lessonCard(page, LESSON).textContent(), / 0 passed/);

    // A file that is not progress: a message, and nothing changes.
    await s.expectProblems([], async () => {
      await page.locator('input[aria-label="Import a progress file"]').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"version": 3, "lessons": {}}') });
      const bad = page.locator('.notice-error', { hasText: 'The progress file was not imported, and nothing was changed: the file has version 3' });
      await bad.waitFor();
    }, { required: false });
    assert.match(await lessonCard(page, LESSON).textContent(), / 0 passed/);

    await page.locator('input[aria-label="Import a progress file"]').setInputFiles(file);
    await page.locator('.notice', { hasText: 'Progress imported: 1 passed step in 1 lesson in the file; 1 of them new here.' }).waitFor();
    assert.match(await lessonCard(page, LESSON).textContent(), / 1 passed/);
    // The home page is the course's path: each card's progress, and what to take first.
    assert.equal(await lessonCard(page, LESSON).locator('[role=progressbar]').getAttribute('aria-valuenow'), '1');
    assert.equal(await lessonCard(page, 'From click to process').locator('.lesson-card-before').textContent(), 'Take first: Joins and lookups');
    assert.equal(await page.locator('.lesson-card .lesson-card-number').first().textContent(), '1');
    await s.screenshot('travel-imported');
    await openLesson(page, LESSON);
    assert.deepEqual(await passedSteps(page), [1]);
    // The history came along, and the import survives a reload (it was saved).
    await page.reload();
    await waitLessonReady(page);
    assert.deepEqual(await passedSteps(page), [1]);
    assert.equal(await page.locator('.history-toggle').textContent(), 'History (2)');
  });
  test('a progress file imported while the lessons still load does not open a lesson by itself', async () => {
    // A fresh browser; the lesson files are held back until the import is done.
    const { context, page: p2 } = await s.newPage();
    let release;
    const held = new Promise((r) => (release = r));
    await context.route('**/lessons/*.toml', async (route) => {
      if (!route.request().url().endsWith('/index.toml')) await held;
      await route.continue();
    });
    await p2.goto(s.site.url);
    await p2.locator('.home-pane').waitFor();
    const file = join(ARTIFACTS, 'kqlab-progress.json');
    await p2.locator('input[aria-label="Import a progress file"]').setInputFiles(file);
    await p2.locator('.notice', { hasText: 'Progress imported: 1 passed step in 1 lesson in the file; 1 of them new here.' }).waitFor();
    release();
    // Every lesson arrives; the page stays where the learner is.
    // (Either every card is listed, or a lesson opened by itself: the defect.)
    await p2.waitForFunction(
      () => document.querySelector('.step-view') || (document.querySelectorAll('.lesson-card').length > 0 && !document.querySelector('.lesson-card.muted')),
    );
    await p2.waitForTimeout(500);
    assert.equal(await p2.locator('.step-view').count(), 0, 'no lesson opened by itself');
    assert.equal(await p2.locator('.home-pane').count(), 1, 'the home page is still shown');
    assert.match(await lessonCard(p2, LESSON).textContent(), / 1 passed/);
    // The next visit returns to the last lesson as usual (the imported one is now the last).
    await p2.reload();
    await waitLessonReady(p2);
    assert.equal(await p2.locator('.home-pane').count(), 0);
    await context.close();
  });
});
