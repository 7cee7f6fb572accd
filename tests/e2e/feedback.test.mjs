// The checker's feedback for four common mistakes, as a learner meets it in lesson 1: a sort
// or `top` in the wrong direction, a text value typed without quotes, a query with several
// independent mistakes, and a `between` range written with one dot. The learner types with the
// keyboard (Enter for a new line, no Escape) and runs with Ctrl+Enter; the test reads what the
// page shows. Values come from the page or the lesson file, never from a hard-coded answer.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { siteForSuite } from './harness.mjs';
import { gotoHome, gotoStep, lessonSteps, openLesson, runWithKeyboard, typeQuery } from './kqlab.mjs';

const LESSON = 'Following the click';

describe('feedback on common mistakes in lesson 1', () => {
  const site = siteForSuite();
  let s;
  let page;
  let steps;

  before(async () => {
    steps = await lessonSteps('following-the-click.toml');
    assert.deepEqual(steps.slice(0, 3).map((st) => st.id), ['recent-clicks', 'suspicious-domain', 'top-users']);
    s = site.s;
    page = site.page;
    await gotoHome(page, s.site.url);
    await openLesson(page, LESSON);
  });

  test('rows sorted the wrong way round are called reversed', async () => {
    const query = 'UrlClickEvents\n| where Timestamp > ago(7d)\n| project Timestamp, AccountUpn, Url, ActionType\n| order by Timestamp asc';
    await typeQuery(page, query);
    await runWithKeyboard(page);
    const verdict = page.locator('.work-pane .verdict.fail');
    await verdict.waitFor();
    const message = await verdict.locator('.verdict-message').textContent();
    assert.match(message, /in reverse order: the answer has newest first \(by Timestamp\), yours are oldest first/);
    await s.screenshot('feedback-01-reverse-order');
  });

  test('top 10 ... asc where the answer keeps the largest says the direction is wrong', async () => {
    await gotoStep(page, 3, steps[2].title);
    const query = 'UrlClickEvents | where Timestamp > ago(7d) | summarize ClickCount = count() by AccountUpn | top 10 by ClickCount asc';
    await typeQuery(page, query);
    await runWithKeyboard(page);
    const verdict = page.locator('.work-pane .verdict.fail');
    await verdict.waitFor();
    const message = await verdict.locator('.verdict-message').textContent();
    assert.match(message, /sorted the other way: smallest ClickCount first, but the answer has largest ClickCount first/);
    assert.match(message, /`?asc`?\/`?desc`?/);
    assert.doesNotMatch(message, /^Row 1 differs/);
    await s.screenshot('feedback-02-top-asc');
  });

  test('a right answer written the long way passes, with a hunter\'s tip; the step\'s own way gets none', async () => {
    // Still on step 3 (top users). `sort … | take` gives the same rows as `top`.
    const query = 'UrlClickEvents\n| where Timestamp > ago(7d)\n| summarize ClickCount = count() by AccountUpn\n| sort by ClickCount desc\n| take 10';
    await typeQuery(page, query);
    await runWithKeyboard(page);
    await page.locator('.work-pane .verdict.pass').waitFor();
    const tip = page.locator('.coach .coach-tip[data-rule="top-not-sort-take"]');
    await tip.waitFor();
    assert.match(await tip.locator('.coach-message').textContent(), /^top 10 by ClickCount desc does the sort and the take in one step\.$/);
    assert.match(await tip.locator('.coach-why').textContent(), /keeps only the best n rows/);
    assert.equal(await tip.locator('a.coach-docs').getAttribute('href'), 'https://learn.microsoft.com/kusto/query/top-operator');
    assert.equal(await page.locator('.coach .coach-tip').count(), 1, 'only the tip that applies');
    await s.screenshot('feedback-coach-tip');
    // The lesson's own solution: correct, and no tip.
    await typeQuery(page, steps[2].solution.trimEnd());
    await runWithKeyboard(page);
    await page.locator('.work-pane .verdict.pass').waitFor();
    await page.waitForFunction(() => !document.querySelector('.work-pane .running'));
    assert.equal(await page.locator('.coach').count(), 0);
  });

  test('text typed without quotes gets a suggestion to quote it, live and when run', async () => {
    await gotoStep(page, 2, steps[1].title);
    const query = 'UrlClickEvents | where Timestamp > ago(7d) | where Url contains contoso-login | project Timestamp, AccountUpn, Url';
    await typeQuery(page, query);
    // Under the editor, while typing.
    const live = page.locator('.editor-errors .error-message');
    await page.waitForFunction(() => /put it in quotes/.test(document.querySelector('.editor-errors')?.textContent ?? ''));
    assert.equal(await live.count(), 1, 'one error for the one unquoted word, not one per part of it');
    assert.match(await live.textContent(), /To match the text contoso-login, put it in quotes: "contoso-login"/);
    // The whole word is underlined (one error, drawn over the word's three tokens).
    assert.equal((await page.locator('.editor-overlay .err[data-err="0"]').allTextContents()).join(''), 'contoso-login');
    assert.equal(await page.locator('.editor-overlay .err:not([data-err="0"])').count(), 0);
    // Running it: an error, not a wrong answer, with the same help.
    await runWithKeyboard(page);
    const verdict = page.locator('.work-pane .verdict.error');
    await verdict.waitFor();
    assert.match(await verdict.locator('.verdict-message').textContent(), /Unknown column 'contoso'/);
    assert.equal(await verdict.locator('.verdict-help').textContent(), 'To match the text contoso-login, put it in quotes: "contoso-login"');
    await s.screenshot('feedback-03-unquoted-text');
  });

  test('independent mistakes in several steps are all reported', async () => {
    const query = 'UrlClickEvents\n| where Timstamp > ago(7d)\n| project Timestamp, AcountUpn, Url';
    await typeQuery(page, query);
    await page.waitForFunction(() => document.querySelectorAll('.editor-errors .error-message').length === 2);
    const messages = await page.locator('.editor-errors .error-message').allTextContents();
    assert.match(messages[0], /Unknown column 'Timstamp'/);
    assert.match(messages[1], /Unknown column 'AcountUpn'/);
    assert.deepEqual(await page.locator('.editor-errors .error-location').allTextContents(), ['Line 2, column 9', 'Line 3, column 22']);
    await runWithKeyboard(page);
    const verdict = page.locator('.work-pane .verdict.error');
    await verdict.waitFor();
    assert.match(await verdict.locator('.verdict-message').textContent(), /line 2, column 9: Unknown column 'Timstamp'.*\(and 1 more problem\)/);
    await s.screenshot('feedback-04-two-mistakes');
  });

  test('one dot in a between range is one error that names the dot', async () => {
    const query = 'UrlClickEvents\n| where Timestamp between (ago(2d) . now())\n| count';
    await typeQuery(page, query);
    await page.waitForFunction(() => /two dots/.test(document.querySelector('.editor-errors')?.textContent ?? ''));
    const messages = await page.locator('.editor-errors .error-message').allTextContents();
    assert.equal(messages.length, 1, `one error, not a second one for the closing bracket: ${messages.join(' / ')}`);
    assert.match(messages[0], /'between' needs two dots between the bounds/);
    assert.deepEqual(await page.locator('.editor-errors .error-location').allTextContents(), ['Line 2, column 36']);
    await runWithKeyboard(page);
    const verdict = page.locator('.work-pane .verdict.error');
    await verdict.waitFor();
    assert.doesNotMatch(await verdict.locator('.verdict-message').textContent(), /no matching opening bracket|more problem/);
    await s.screenshot('feedback-05-between-dot');
  });
});
