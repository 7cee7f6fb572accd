// Editor shortcuts learners know from Data Explorer: Shift+Enter runs the block of lines around
// the cursor (blocks are separated by blank lines) while Ctrl+Enter runs everything, and
// Shift+Alt+F (or the Format button) lays the query out one pipe stage per line, as one edit
// that Ctrl+Z takes back. A query with errors is not formatted, and the page says why.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { siteForSuite } from './harness.mjs';
import { gotoHome, lessonSteps, openLesson, settle, typeQuery } from './kqlab.mjs';

const LESSON = 'Following the click';

describe('editor shortcuts', () => {
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

  /** Waits for the verdict of the run just started and returns 'pass' or 'fail'. */
  async function verdict() {
    const v = page.locator('.work-pane .verdict');
    await v.waitFor();
    return (await v.getAttribute('class')).includes('pass') ? 'pass' : 'fail';
  }

  test('Shift+Enter runs the block under the cursor; each block can be run in turn', async () => {
    const scratch = 'UrlClickEvents\n| project Timestamp, AccountUpn, Url, ActionType\n| take 3';
    const text = `${scratch}\n\n${steps[0].solution.trimEnd()}`;
    await typeQuery(page, text);
    // The cursor is at the end, in the second block: the step's answer.
    await page.keyboard.press('Shift+Enter');
    assert.equal(await verdict(), 'pass', 'only the block with the answer ran');
    assert.equal(await input().inputValue(), text, 'Shift+Enter did not insert a newline');
    await s.screenshot('shortcuts-shift-enter-pass');
    // Up to the first block and run it: 3 rows, not the answer.
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+Enter');
    await page.waitForFunction(() => document.querySelector('.work-pane .verdict.fail'));
    const message = await page.locator('.work-pane .verdict .verdict-message').textContent();
    assert.match(message, /\b3 rows\b/, message);
    assert.equal(await input().inputValue(), text);
  });

  test('Format lays the query out, Ctrl+Z takes it back, Shift+Alt+F does it again', async () => {
    const oneLine = 'UrlClickEvents | where Timestamp > ago(7d)   and Url has "login" // recent\n| summarize count() by AccountUpn | top 3 by count_';
    await typeQuery(page, oneLine);
    await page.locator('.editor-bar button', { hasText: 'Format' }).click();
    const formatted = 'UrlClickEvents\n| where Timestamp > ago(7d) and Url has "login" // recent\n| summarize count() by AccountUpn\n| top 3 by count_';
    await page.waitForFunction((want) => document.querySelector('#query').value === want, formatted);
    await s.screenshot('shortcuts-formatted');
    await input().focus();
    await page.keyboard.press('Control+z');
    await page.waitForFunction((want) => document.querySelector('#query').value === want, oneLine);
    await page.keyboard.press('Shift+Alt+F');
    await page.waitForFunction((want) => document.querySelector('#query').value === want, formatted);
  });

  test('a query with errors is left as it is, and the page says why', async () => {
    const broken = 'UrlClickEvents | where';
    await typeQuery(page, broken);
    await page.keyboard.press('Shift+Alt+F');
    const notice = page.locator('.notice-error', { hasText: 'Format: the query has errors: fix them first, then format.' });
    await notice.waitFor();
    await settle(page);
    assert.equal(await input().inputValue(), broken);
  });
});
