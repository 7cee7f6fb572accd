// The query editor's completion, typed with the keyboard as a learner types: it must never
// rewrite ordinary typing (Enter is a newline unless the learner chose an item), and it
// offers what fits the place: operators after a column, join kinds after `kind=`, chart
// types after `render`, `let` names, and nothing inside strings or comments.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { siteForSuite } from './harness.mjs';
import { gotoHome, gotoStep, lessonSteps, openLesson, runWithKeyboard, settle, typeQuery } from './kqlab.mjs';

describe('the editor does not rewrite what a learner types', () => {
  const site = siteForSuite();
  let s;
  let page;
  let steps;

  before(async () => {
    steps = await lessonSteps('following-the-click.toml');
    assert.equal(steps[3].id, 'hourly-spike');
    s = site.s;
    page = site.page;
  });

  const list = () => page.locator('.completions');
  const input = () => page.locator('#query');

  /** Empties the editor and types `text` (one line) with the keyboard. */
  async function typeFresh(text) {
    // Top left: an open completion list sits below the caret's line, never over line 1.
    await input().click({ position: { x: 4, y: 4 } });
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await page.keyboard.type(text);
    await settle(page);
  }

  /** The labels of the open completion list (waits for it to be shown). */
  async function shownLabels() {
    await list().waitFor({ state: 'visible' });
    return list().locator('.completion-label').allTextContents();
  }

  async function listHidden() {
    await settle(page);
    return list().isHidden();
  }

  test('lesson 1 step 4: following the hint line by line keeps the text and the step passes', async () => {
    await gotoHome(page, s.site.url);
    await openLesson(page, 'Following the click');
    await gotoStep(page, 4, steps[3].title);
    // The hint: "Add `| order by Timestamp asc` and then `| render timechart` as the last line."
    const starter = await input().inputValue();
    assert.equal(starter, steps[3].starter);
    await input().click();
    await page.keyboard.press('Control+End');
    const added = ['| order by Timestamp asc', '| render timechart'];
    await page.keyboard.type(added[0]);
    await page.keyboard.press('Enter');
    await page.keyboard.type(added[1]);
    await settle(page);
    const expected = `${starter.endsWith('\n') ? starter : `${starter}\n`}${added.join('\n')}`;
    assert.equal(await input().inputValue(), expected, 'the editor holds exactly what was typed');
    assert.equal(await page.locator('.editor-overlay .err').count(), 0, 'no error underline');
    await s.screenshot('editor-step4-hint-typed');

    // The whole solution typed line by line (Enter after `asc`) holds exactly and passes.
    const solution = steps[3].solution.trimEnd();
    assert.match(solution, /asc\n\| render timechart$/);
    await typeQuery(page, solution);
    await runWithKeyboard(page);
    await page.locator('.work-pane .verdict.pass').waitFor();
    await page.locator('#panel-chart svg.chart').waitFor();
    assert.equal(await input().inputValue(), solution);
    await s.screenshot('editor-step4-passed');
  });

  test('Enter after a word the list only half matches is a newline: by Dom, by n, desc', async () => {
    await page.selectOption('#lesson-picker', 'playground');
    await page.locator('.playground-pane').waitFor();
    for (const text of ['EmailUrlInfo | summarize count() by Dom', 'UrlClickEvents | summarize count() by n']) {
      await typeFresh(text);
      // The list is open (it offers longer names), yet Enter must not pick one.
      assert.ok((await shownLabels()).length > 0);
      await page.keyboard.press('Enter');
      await settle(page);
      assert.equal(await input().inputValue(), `${text}\n`, `Enter after "${text}"`);
      assert.ok(await listHidden(), 'Enter closes the list');
    }
    for (const text of ['UrlClickEvents | order by Timestamp desc', 'UrlClickEvents | order by Timestamp asc', 'UrlClickEvents | where Url contains']) {
      await typeFresh(text);
      await page.keyboard.press('Enter');
      await settle(page);
      assert.equal(await input().inputValue(), `${text}\n`, `Enter after "${text}"`);
    }
  });

  test('arrow keys then Enter accept; Tab accepts', async () => {
    await typeFresh('UrlClickEvents | where Ur');
    const labels = await shownLabels();
    assert.deepEqual(labels.slice(0, 2), ['Url', 'UrlChain']);
    await page.keyboard.press('ArrowDown');
    await settle(page);
    const chosen = await list().locator('.completion.selected .completion-label').textContent();
    assert.equal(chosen, labels[1]);
    await page.keyboard.press('Enter');
    await list().waitFor({ state: 'hidden' });
    assert.equal(await input().inputValue(), 'UrlClickEvents | where UrlChain');

    await typeFresh('UrlClickEvents | where AccountU');
    assert.equal((await shownLabels())[0], 'AccountUpn');
    await page.keyboard.press('Tab');
    await list().waitFor({ state: 'hidden' });
    assert.equal(await input().inputValue(), 'UrlClickEvents | where AccountUpn');
  });

  test('Ctrl+Space opens the list; Enter then accepts an item that starts with the word', async () => {
    await typeFresh('UrlClickEvents | project ');
    assert.ok(await listHidden(), 'no list after `project ` by itself');
    await page.keyboard.press('Control+Space');
    const labels = await shownLabels();
    assert.equal(labels[0], 'Timestamp', `columns of UrlClickEvents: ${labels}`);
    await page.keyboard.type('Acc');
    assert.equal((await shownLabels())[0], 'AccountUpn');
    await page.keyboard.press('Enter');
    await list().waitFor({ state: 'hidden' });
    assert.equal(await input().inputValue(), 'UrlClickEvents | project AccountUpn');
    // Opened explicitly on a word that is already complete, Enter still does not replace it.
    await typeFresh('UrlClickEvents | project Url');
    await page.keyboard.press('Control+Space');
    assert.equal((await shownLabels())[0], 'Url');
    await page.keyboard.press('Enter');
    await settle(page);
    assert.equal(await input().inputValue(), 'UrlClickEvents | project Url\n');
  });

  test('no list inside a string or a comment', async () => {
    for (const text of ['UrlClickEvents | where Url has "cont', "UrlClickEvents | where Url has 'where a", 'UrlClickEvents // where con']) {
      await typeFresh(text);
      assert.ok(await listHidden(), `no list while typing ${text}`);
      await page.keyboard.press('Control+Space');
      assert.ok(await listHidden(), `Ctrl+Space shows nothing in ${text}`);
      await page.keyboard.press('Enter');
      await settle(page);
      assert.equal(await input().inputValue(), `${text}\n`);
    }
  });

  test('the list offers what fits: operators after a column, join kinds, chart types, let names', async () => {
    // After a column and a space: comparison and string operators, without asking.
    await typeFresh('UrlClickEvents | where Url ');
    let labels = await shownLabels();
    for (const op of ['==', '!=', '=~', 'contains', 'has', 'startswith', 'in', '!contains', 'between']) assert.ok(labels.includes(op), `${op} in ${labels}`);
    await s.screenshot('editor-operators-after-column');
    // `c` narrows to those operators: contains first, never a function such as countof before it.
    await page.keyboard.type('c');
    labels = await shownLabels();
    assert.equal(labels[0], 'contains', `${labels}`);
    const countof = labels.indexOf('countof');
    assert.ok(countof === -1 || countof > labels.indexOf('contains'));

    await typeFresh('UrlClickEvents | join kind=');
    labels = await shownLabels();
    for (const k of ['innerunique', 'inner', 'leftouter', 'rightouter', 'fullouter', 'leftanti', 'rightanti', 'leftsemi', 'rightsemi']) assert.ok(labels.includes(k), `${k} in ${labels}`);
    await s.screenshot('editor-join-kinds');
    await page.keyboard.type('lefta');
    assert.equal((await shownLabels())[0], 'leftanti');
    await page.keyboard.press('Tab');
    assert.equal(await input().inputValue(), 'UrlClickEvents | join kind=leftanti');

    await typeFresh('UrlClickEvents | summarize count() by bin(Timestamp, 1h) | render ');
    labels = await shownLabels();
    for (const k of ['timechart', 'columnchart', 'barchart', 'piechart', 'linechart', 'areachart', 'scatterchart']) assert.ok(labels.includes(k), `${k} in ${labels}`);

    // A name defined by `let` is offered on the next line, and accepted names run.
    await typeQuery(page, 'let recent = UrlClickEvents | where Timestamp > ago(1d);\nrec');
    assert.equal((await shownLabels())[0], 'recent');
    await page.keyboard.press('Tab');
    await page.keyboard.type(' | where Url has "a" | take ');
    await page.keyboard.type('3');
    assert.equal(await input().inputValue(), 'let recent = UrlClickEvents | where Timestamp > ago(1d);\nrecent | where Url has "a" | take 3');
    await runWithKeyboard(page);
    await page.locator('[data-testid="row-count"]').waitFor();
    assert.equal(await page.locator('.editor-overlay .err').count(), 0);
  });
});
