// End-to-end tests of the built site in headless Chromium, served under /kqlab/ as GitHub
// Pages would serve it. Run by scripts/test.sh after `trunk build --release`.
//
// A learner's session with lesson 1 ("Following the click"), in order on one page: load,
// pass step 1 by typing, a wrong answer, errors, the chart step, hints and a typed-answer
// question, progress across a reload, share links, reset and damaged stored progress.
// Nothing here depends on the clock: values are read from the page, never hard-coded.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, waitForPage } from './harness.mjs';
import { closeCompletions, courseTitles, gotoHome, gotoStep, gridColumn, lessonCard, lessonSteps, openLesson, runWithKeyboard, settle, typeQuery, waitLessonReady } from './kqlab.mjs';

const LESSON = 'Following the click';
const LESSON_ID = 'following-the-click';

describe('a learner works through lesson 1', () => {
  let s;
  let page;
  let steps;
  /** The last query run in each step, as the app should remember it (step id → text). */
  const lastQuery = {};

  before(async () => {
    steps = await lessonSteps(`${LESSON_ID}.toml`);
    assert.equal(steps[0].id, 'recent-clicks');
    assert.equal(steps[3].id, 'hourly-spike');
    assert.equal(steps[4].id, 'busiest-hour');
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

  test('loads under /kqlab/ with only same-origin requests and lists the lessons', async () => {
    const started = Date.now();
    await gotoHome(page, s.site.url);
    const listedMs = Date.now() - started;
    assert.equal(await page.title(), 'kqlab · KQL training playground');
    const cards = await page.locator('.lesson-card .lesson-card-title').allTextContents();
    // Every lesson of lessons/index.toml, in its order (thirteen when this was written).
    const titles = await courseTitles();
    assert.ok(titles.length >= 13 && titles[0] === LESSON, titles.join(' | '));
    assert.deepEqual(cards, titles);
    assert.equal(await page.locator('.lesson-card.failed').count(), 0, 'no lesson failed to load');
    // The picker offers the same lessons and the playground.
    const options = await page.locator('#lesson-picker option').allTextContents();
    assert.deepEqual(options.slice(1), [...cards, 'Playground (free querying)']);
    assert.match(await page.locator('.data-clock').textContent(), /^Data up to \d{4}-\d\d-\d\d \d\d:00 UTC$/);

    await openLesson(page, LESSON);
    const usableMs = Date.now() - started;
    assert.equal(await page.locator('.step-heading').textContent(), steps[0].title);
    assert.equal(await page.locator('#query').inputValue(), steps[0].starter, 'the editor starts with the starter query');
    assert.equal(await page.locator('#fatal').isHidden(), true, 'no fatal error banner');

    for (const url of s.log.requests) assert.ok(url.startsWith(s.site.url), `request outside the site's sub-path: ${url}`);
    const paths = s.log.requests.map((u) => new URL(u).pathname);
    assert.ok(paths.some((p) => p.endsWith('.wasm')), 'the wasm module was loaded');
    assert.ok(paths.includes('/kqlab/lessons/index.toml'), 'the lesson list is fetched at run time');
    assert.ok(paths.includes(`/kqlab/lessons/${LESSON_ID}.toml`));
    console.log(`# lessons listed ${listedMs} ms after navigation; lesson 1 usable after ${usableMs} ms`);
    await s.screenshot('01-lesson-opened');
    assert.deepEqual(s.problems(), []);
  });

  test('completion offers operators and columns from the schema; Tab accepts', async () => {
    const input = page.locator('#query');
    await input.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await page.keyboard.type('UrlClickEvents | wh');
    const list = page.locator('.completions');
    await list.waitFor({ state: 'visible' });
    assert.ok((await list.locator('.completion-label').allTextContents()).includes('where'));
    await page.keyboard.press('Tab');
    await list.waitFor({ state: 'hidden' });
    await page.keyboard.type(' AccountU');
    await list.waitFor({ state: 'visible' });
    assert.equal(await list.locator('.completion-label').first().textContent(), 'AccountUpn');
    // Enter alone would be a newline (tests/e2e/editor.test.mjs); Tab accepts.
    await page.keyboard.press('Tab');
    await list.waitFor({ state: 'hidden' });
    assert.equal(await input.inputValue(), 'UrlClickEvents | where AccountUpn');
  });

  test('step 1: typing the query and pressing Ctrl+Enter passes the step', async () => {
    const query = steps[0].solution.trimEnd();
    await typeQuery(page, query);
    // The crate's lexer colours the text.
    const overlay = page.locator('.editor-overlay');
    assert.equal(await overlay.locator('.tok-pipe').count(), 3);
    const operators = (await overlay.locator('.tok-operator').allTextContents()).join(' ');
    for (const op of ['where', 'project', 'order']) assert.ok(operators.includes(op), `operator ${op} highlighted: ${operators}`);
    assert.equal(await overlay.locator('.tok-function', { hasText: 'ago' }).count(), 1);
    assert.equal((await page.locator('.editor-gutter').textContent()).trim(), '1\n2\n3\n4');
    assert.equal(await page.locator('.editor-overlay .err').count(), 0, 'no error underline');

    await runWithKeyboard(page);
    const verdict = page.locator('.work-pane .verdict');
    await verdict.waitFor();
    assert.deepEqual(await verdict.evaluate((el) => [...el.classList]), ['verdict', 'pass']);
    assert.equal(await verdict.locator('.verdict-title').textContent(), 'Correct');
    // The step pill is marked, the step says so, the explanation is shown, the grid has rows.
    const pill = page.locator('.step-list .step-item').first();
    assert.match(await pill.getAttribute('class'), /\bpassed\b/);
    assert.equal(await pill.locator('.step-mark').textContent(), '✓');
    assert.equal(await page.locator('.step-view .badge-ok').textContent(), '✓ Passed');
    assert.equal(await page.locator('.lesson-progress').textContent(), '1 of 12 steps passed');
    const why = page.locator('.step-view .explanation');
    await why.waitFor();
    assert.equal(await why.locator('h3').first().textContent(), 'Why it works');
    assert.match(await why.textContent(), /ago\(7d\)/);
    assert.ok(Number((await page.locator('[data-testid="row-count"]').textContent()).replace(/\D/g, '')) > 100);
    assert.ok(await page.locator('.verdict.pass button', { hasText: 'Next step' }).isVisible());
    lastQuery[steps[0].id] = query;
    await s.screenshot('02-step1-passed');
  });

  test('a wrong query (no time filter) fails with the right explanation and a preview', async () => {
    const query = 'UrlClickEvents\n| project Timestamp, AccountUpn, Url, ActionType\n| order by Timestamp desc';
    await page.locator('#query').fill(query);
    await runWithKeyboard(page);
    const verdict = page.locator('.work-pane .verdict.fail');
    await verdict.waitFor();
    assert.equal(await verdict.locator('.verdict-title').textContent(), 'Not yet');
    const message = await verdict.locator('.verdict-message').textContent();
    assert.match(message, /^Your result has [\d,]+ rows; the expected answer has [\d,]+\./);
    assert.match(message, /Did you keep only the events of the last 7 days\?/);
    assert.deepEqual(await verdict.locator('.preview .preview-title').allTextContents(), ['Expected', 'Yours']);
    for (const table of await verdict.locator('.preview-table').all()) {
      assert.deepEqual(await table.locator('thead th').allTextContents(), ['#', 'Timestamp', 'AccountUpn', 'Url', 'ActionType']);
      assert.ok((await table.locator('tbody tr').count()) >= 1);
    }
    // Yours goes on past the end of the expected answer.
    const lastRowNo = async (i) => Number(await verdict.locator('.preview-table').nth(i).locator('tbody tr th').last().textContent());
    assert.ok((await lastRowNo(1)) > (await lastRowNo(0)));
    // A later failure does not take the pass away.
    assert.match(await page.locator('.step-list .step-item').first().getAttribute('class'), /\bpassed\b/);
    await s.screenshot('03-wrong-answer');
  });

  test('a syntax error is underlined and listed; a misspelt column gets a did-you-mean; running shows an error, not "wrong"', async () => {
    const input = page.locator('#query');
    await input.fill('UrlClickEvents | where');
    const mark = page.locator('.editor-overlay .err');
    await mark.first().waitFor({ state: 'attached' });
    assert.match(await mark.first().getAttribute('class'), /\berr-empty\b/, 'a missing condition is marked at the end');
    assert.equal(await page.locator('.editor-errors .error-location').textContent(), 'Line 1, column 23');
    assert.match(await page.locator('.editor-errors .error-message').textContent(), /expected a condition after 'where'/);
    assert.equal(await input.getAttribute('aria-invalid'), 'true');

    const query = 'UrlClickEvents\n| where Timstamp > ago(7d)';
    await input.fill(query);
    await page.locator('.editor-overlay .err', { hasText: 'Timstamp' }).waitFor();
    assert.equal(await mark.count(), 1);
    assert.equal(await mark.textContent(), 'Timstamp', 'the underline covers exactly the misspelt name');
    const message = await page.locator('.editor-errors .error-message').textContent();
    assert.match(message, /Unknown column 'Timstamp'/);
    assert.match(message, /Did you mean 'Timestamp'\?/);
    assert.equal(await page.locator('.editor-errors .error-location').textContent(), 'Line 2, column 9');
    // Hovering the underline shows the message as a tooltip.
    const box = await mark.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await waitForPage(page, () => document.querySelector('#query').title.length > 0);
    assert.equal(await input.getAttribute('title'), message);
    // Clicking the location selects the error in the editor.
    await page.locator('.editor-errors .error-location').click();
    assert.equal(await input.evaluate((el) => el.value.slice(el.selectionStart, el.selectionEnd)), 'Timstamp');

    await runWithKeyboard(page);
    const verdict = page.locator('.work-pane .verdict');
    await page.locator('.work-pane .verdict.error').waitFor();
    assert.equal(await verdict.locator('.verdict-title').textContent(), 'The query has an error');
    assert.equal(await page.locator('.work-pane .verdict.fail').count(), 0, 'not judged as a wrong answer');
    assert.match(await verdict.locator('.verdict-message').textContent(), /line 2, column 9: Unknown column 'Timstamp'/);
    assert.equal(await verdict.locator('.verdict-help').textContent(), "Did you mean 'Timestamp'?");
    // The verdict explains the error; it is not repeated in a second box, nor in the editor's
    // list (the underline stays).
    assert.equal(await page.locator('.run-errors').count(), 0, 'the error is shown once, in the verdict');
    assert.equal(await page.locator('.editor-errors').isVisible(), false, 'the editor does not list it again');
    assert.equal(await mark.count(), 1);
    assert.equal(await page.locator('.grid').count(), 0, 'no stale result grid');
    lastQuery[steps[0].id] = query;
    await page.mouse.move(0, 0);
    await s.screenshot('04-error-state');
  });

  test('the hourly-spike step: Show solution (after confirming) draws a time chart', async () => {
    await gotoStep(page, 4, steps[3].title);
    assert.equal(await page.locator('#query').inputValue(), steps[3].starter);
    // Cancelling the confirmation shows nothing.
    s.dialogs.accept = false;
    await page.locator('.step-view button', { hasText: 'Show solution' }).click();
    await settle(page);
    assert.equal(await page.locator('.step-view .solution').count(), 0, 'cancelled: no solution');
    s.dialogs.accept = true;
    const confirms = s.log.dialogs.length;
    await page.locator('.step-view button', { hasText: 'Show solution' }).click();
    await page.locator('.step-view .solution').waitFor();
    assert.equal(s.log.dialogs.length, confirms + 1);
    assert.equal(s.log.dialogs.at(-1).type, 'confirm');
    assert.match(s.log.dialogs.at(-1).message, /Show the solution\?/);
    await page.locator('.solution button', { hasText: 'Put it in the editor' }).click();
    assert.equal(await page.locator('#query').inputValue(), steps[3].solution);

    await runWithKeyboard(page);
    await page.locator('.work-pane .verdict.pass').waitFor();
    const tab = page.locator('#tab-chart');
    assert.equal(await tab.getAttribute('aria-selected'), 'true', 'the chart tab is chosen for a render query');
    const svg = page.locator('#panel-chart svg.chart');
    await svg.waitFor();
    assert.match(await svg.getAttribute('class'), /chart-timechart/);
    const line = svg.locator('path.series');
    assert.equal(await line.count(), 1, 'one line: ClickCount');
    const points = ((await line.getAttribute('d')).match(/[ML]/g) || []).length;
    assert.ok(points > 24, `the line joins the hours of the week (${points} points)`);
    const xLabels = (await svg.locator('.x-axis text').allTextContents()).filter((t) => t.trim());
    const yLabels = (await svg.locator('.value-axis text').allTextContents()).filter((t) => t.trim());
    assert.ok(xLabels.length >= 3, `time labels on the x axis: ${xLabels}`);
    assert.ok(yLabels.length >= 3, `values on the y axis: ${yLabels}`);
    const lineBox = await line.boundingBox();
    assert.ok(lineBox.width > 300 && lineBox.height > 100, `the line is drawn at a visible size: ${JSON.stringify(lineBox)}`);
    await s.screenshot('05-chart');

    // The same rows as a table.
    await page.locator('#tab-table').click();
    const counts = (await gridColumn(page, 'ClickCount')).map(Number);
    assert.ok(counts.length > 0 && counts.every((n) => n > 0));
    lastQuery[steps[3].id] = steps[3].solution;
  });

  test('hints come one at a time; a typed answer is rejected when wrong and accepted when right', async () => {
    const step = steps[4];
    await gotoStep(page, 5, step.title);
    const hintButton = page.locator('.step-view button', { hasText: /^Show a hint/ });
    assert.equal(await page.locator('.step-view .hint').count(), 0);
    assert.equal(await hintButton.textContent(), 'Show a hint (1 of 2)');
    await hintButton.click();
    await page.locator('.step-view .hint').first().waitFor();
    assert.equal(await page.locator('.step-view .hint').count(), 1);
    assert.match(await page.locator('.step-view .hint').first().textContent(), /^Hint 1: /);
    assert.equal(await hintButton.textContent(), 'Show a hint (2 of 2)');
    await hintButton.click();
    await page.locator('.step-view .hint').nth(1).waitFor();
    assert.match(await page.locator('.step-view .hint').nth(1).textContent(), /^Hint 2: .*top 1 by ClickCount/);
    assert.equal(await hintButton.count(), 0, 'no more hints');

    // Run the lesson's own solution in the app, then read the answer off the grid.
    await page.locator('.step-view button', { hasText: 'Show solution' }).click();
    await page.locator('.solution button', { hasText: 'Put it in the editor' }).click();
    assert.equal(await page.locator('#query').inputValue(), step.solution);
    await runWithKeyboard(page);
    await page.locator('[data-testid="row-count"]', { hasText: '1 row' }).waitFor();
    const [count] = await gridColumn(page, 'ClickCount');
    assert.match(count, /^\d+$/);
    lastQuery[step.id] = step.solution;

    const answer = page.locator('#answer');
    const verdict = page.locator('.step-view .verdict');
    await answer.fill(String(Number(count) + 1));
    await page.locator('.question button', { hasText: 'Check answer' }).click();
    await page.locator('.step-view .verdict.fail').waitFor();
    assert.equal(await page.locator('.step-list .step-item').nth(4).evaluate((el) => el.classList.contains('passed')), false);
    assert.equal(await page.locator('.step-view .explanation').count(), 0, 'no explanation before the right answer');

    await answer.fill(` ${count} `);
    await answer.press('Enter');
    await page.locator('.step-view .verdict.pass').waitFor();
    assert.equal(await verdict.locator('.verdict-title').textContent(), 'Correct');
    assert.equal(await page.locator('.step-list .step-item').nth(4).evaluate((el) => el.classList.contains('passed')), true);
    await page.locator('.step-view .explanation').waitFor();
    await s.screenshot('06-question-passed');
  });

  test('progress survives a reload: passed steps, hints, and the last query of each step', async () => {
    const stored = await page.evaluate(() => localStorage.getItem('kqlab.progress'));
    assert.ok(stored && stored.includes(LESSON_ID), 'progress is in localStorage');
    await page.reload();
    // The app goes back to the lesson and step the learner was on.
    await waitLessonReady(page);
    assert.equal(await page.locator('.step-heading').textContent(), steps[4].title);
    const passed = await page.locator('.step-list .step-item').evaluateAll((items) => items.map((el, i) => (el.classList.contains('passed') ? i + 1 : 0)).filter(Boolean));
    assert.deepEqual(passed, [1, 4, 5]);
    assert.equal(await page.locator('.lesson-progress').textContent(), '3 of 12 steps passed');
    assert.equal(await page.locator('.step-view .hint').count(), 2, 'the hints shown stay shown');
    assert.equal(await page.locator('#query').inputValue(), lastQuery[steps[4].id]);
    await gotoStep(page, 1, steps[0].title);
    assert.equal(await page.locator('#query').inputValue(), lastQuery[steps[0].id]);
    await gotoStep(page, 4, steps[3].title);
    assert.equal(await page.locator('#query').inputValue(), lastQuery[steps[3].id]);
    // A step never touched starts from its starter.
    await gotoStep(page, 2, steps[1].title);
    assert.equal(await page.locator('#query').inputValue(), steps[1].starter);
  });

  test('Copy link restores lesson, step and query in a fresh browser context', async () => {
    const query = 'UrlClickEvents\n| where Url contains "contoso-login"   // shared ✓\n| take 3';
    await page.locator('#query').fill(query);
    await page.locator('button', { hasText: 'Copy link' }).click();
    await page.locator('button', { hasText: 'Link copied ✓' }).waitFor();
    const link = page.url();
    assert.match(new URL(link).hash, new RegExp(`^#lesson=${LESSON_ID}&step=${steps[1].id}&q=[A-Za-z0-9_-]+$`));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link, 'the link is on the clipboard');

    const fresh = await s.newPage();
    try {
      await fresh.page.goto(link);
      await waitLessonReady(fresh.page);
      assert.equal(await fresh.page.locator('.lesson-title').textContent(), LESSON);
      assert.equal(await fresh.page.locator('.step-heading').textContent(), steps[1].title);
      assert.equal(await fresh.page.locator('#query').inputValue(), query);
      assert.equal(await fresh.page.locator('.step-list .step-item.passed').count(), 0, 'a link carries no progress');
      await runWithKeyboard(fresh.page);
      await fresh.page.locator('.work-pane .verdict.fail').waitFor();
      await s.screenshot('07-shared-link', {}, fresh.page);
    } finally {
      await fresh.context.close();
    }
  });

  // Reported: Copy link leaves the fragment in the address bar, so a later reload jumps back
  // to the shared step and shows the shared query instead of where the learner was.
  test('after Copy link, a reload returns to the step the learner is on', async () => {
    await gotoStep(page, 3, steps[2].title);
    await page.locator('#query').fill('UrlClickEvents | take 1 // later work');
    await page.reload();
    await waitLessonReady(page);
    try {
      assert.equal(await page.locator('.step-heading').textContent(), steps[2].title);
      assert.equal(await page.locator('#query').inputValue(), 'UrlClickEvents | take 1 // later work');
    } finally {
      // Leave the page as the next tests expect it: on lesson 1, no fragment.
      await page.goto(s.site.url);
      await waitLessonReady(page);
    }
  });

  test('a damaged link shows a notice and the app still works', async () => {
    const fresh = await s.newPage();
    try {
      await fresh.page.goto(`${s.site.url}#lesson=${LESSON_ID}&q=%%%`);
      const notice = fresh.page.locator('.notice');
      await notice.first().waitFor();
      assert.match(await notice.first().textContent(), /This link could not be used: the link's query is damaged/);
      await fresh.page.locator('.lesson-card .lesson-open').first().waitFor();
      await openLesson(fresh.page, LESSON);
      await runWithKeyboard(fresh.page);
      await fresh.page.locator('.work-pane .verdict').waitFor();
      await fresh.page.locator('.notice-close').first().click();
      await notice.first().waitFor({ state: 'detached' });
    } finally {
      await fresh.context.close();
    }
  });

  test('Reset progress asks first, then forgets every step', async () => {
    const passedPills = () => page.locator('.step-list .step-item.passed').count();
    assert.equal(await passedPills(), 3);
    s.dialogs.accept = false;
    await page.locator('button', { hasText: 'Reset progress' }).click();
    await settle(page);
    assert.equal(await passedPills(), 3, 'cancelled: nothing forgotten');
    s.dialogs.accept = true;
    await page.locator('button', { hasText: 'Reset progress' }).click();
    await page.locator('.home-pane').waitFor();
    assert.match(s.log.dialogs.at(-1).message, /Reset all progress\?/);
    assert.match(await lessonCard(page, LESSON).textContent(), /· 0 passed/);
    // Load the page afresh (the address bar still holds the link copied earlier).
    await gotoHome(page, s.site.url);
    await openLesson(page, LESSON);
    assert.equal(await passedPills(), 0);
    assert.equal(await page.locator('.step-heading').textContent(), steps[0].title);
    assert.equal(await page.locator('#query').inputValue(), steps[0].starter);
  });

  test('corrupt stored progress gives a notice, is kept under the backup key, and the app starts afresh', async () => {
    const corrupt = '{"version": 1, "lessons": {"following-the-click": [oops';
    await page.evaluate((t) => localStorage.setItem('kqlab.progress', t), corrupt);
    await page.reload();
    const notice = page.locator('.notice.notice-error');
    await notice.first().waitFor();
    const text = await notice.first().textContent();
    assert.match(text, /Your saved progress could not be read/);
    assert.match(text, /kqlab\.progress\.backup/);
    assert.equal(await page.evaluate(() => localStorage.getItem('kqlab.progress.backup')), corrupt);
    await page.locator('.home-pane .lesson-card .lesson-open').first().waitFor();
    await openLesson(page, LESSON);
    await page.locator('#query').fill(steps[0].solution);
    await runWithKeyboard(page);
    await page.locator('.work-pane .verdict.pass').waitFor();
    // New progress is saved again, and the backup is left alone.
    await waitForPage(page, () => (localStorage.getItem('kqlab.progress') || '').includes('recent-clicks'));
    assert.equal(await page.evaluate(() => localStorage.getItem('kqlab.progress.backup')), corrupt);
    await closeCompletions(page);
  });
});
