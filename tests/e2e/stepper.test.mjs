// The pipeline stepper: after a run, one chip per stage of the query with the rows it produced
// (counted in the same run); a click selects that stage in the editor and shows its rows. A wrong answer in a
// lesson says where its stages first part from the solution's, without showing the solution.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { siteForSuite } from './harness.mjs';
import { gotoHome, gotoStep, lessonSteps, openLesson, runWithKeyboard, typeQuery } from './kqlab.mjs';

const LESSON = 'Following the click';

describe('the pipeline stepper', () => {
  const site = siteForSuite();
  let s;
  let page;
  let steps;

  before(async () => {
    steps = await lessonSteps('following-the-click.toml');
    assert.equal(steps[1].id, 'suspicious-domain');
    s = site.s;
    page = site.page;
    await gotoHome(page, s.site.url);
    await openLesson(page, LESSON);
    await gotoStep(page, 2, steps[1].title);
  });

  /** (text, rows) of each chip. */
  async function chips() {
    await page.locator('.stepper').waitFor();
    return page.locator('.stepper-chip').evaluateAll((els) => els.map((e) => [e.querySelector('.stepper-text').textContent, e.querySelector('.stepper-rows').textContent]));
  }

  test('a wrong filter: the chips count each stage, and the verdict says where it parts from the answer', async () => {
    const query = 'UrlClickEvents\n| where Timestamp > ago(7d)\n| where Url contains "contoso"\n| project Timestamp, AccountUpn, Url\n| order by Timestamp desc';
    await typeQuery(page, query);
    await runWithKeyboard(page);
    await page.locator('.work-pane .verdict.fail').waitFor();
    const c = await chips();
    assert.deepEqual(c.map(([t]) => t), ['UrlClickEvents', 'where Timestamp > ago(7d)', 'where Url contains "contoso"', 'project Timestamp, AccountUpn, Url', 'order by Timestamp desc']);
    const n = c.map(([, r]) => Number(r.replace(/[^0-9]/g, '')));
    assert.ok(n[0] > n[1] && n[1] > n[2] && n[2] === n[3] && n[3] === n[4], `a funnel: ${n}`);
    // The grid shows the last stage's rows.
    assert.match(await page.locator('.results').textContent(), new RegExp(`${c[4][1].replace(' rows', '')} rows`));

    const note = page.locator('.verdict-parting');
    await note.waitFor();
    const text = await note.textContent();
    const m = text.match(/^After your 3rd stage \(where Url contains "contoso"\) you have ([\d,]+) rows; at that point the expected pipeline has ([\d,]+) rows\. Your filter lets through ([\d,]+) rows it should not\.$/);
    assert.ok(m, text);
    const [yours, expected, extra] = m.slice(1).map((x) => Number(x.replace(/,/g, '')));
    assert.equal(yours, n[2]);
    assert.equal(yours - expected, extra);
    assert.ok(!text.includes('contoso-login'), 'the solution\'s text is not shown');
    await s.screenshot('stepper-wrong-filter');

    // A click on a chip selects that stage in the editor.
    await page.locator('.stepper-chip').nth(2).click();
    const selected = await page.evaluate(() => {
      const ta = document.querySelector('#query');
      return ta.value.slice(ta.selectionStart, ta.selectionEnd);
    });
    assert.equal(selected, 'where Url contains "contoso"');

    // ... and shows the rows after that stage in the grid, with the way back to the result.
    const view = page.locator('.stage-view');
    await view.locator('.result-grid').waitFor();
    assert.match(await view.locator('.stage-caption').textContent(), /^The rows after stage 3 of 5: where Url contains "contoso"Back to the result$/);
    assert.equal(await page.locator('.stepper-chip').nth(2).getAttribute('aria-pressed'), 'true');
    const stageText = await view.textContent();
    assert.ok(stageText.includes(c[2][1]), `${c[2][1]} in: ${stageText.slice(0, 200)}`);
    // Every column the stage had (before the project), not the result's three.
    const headers = await view.locator('[role=columnheader]').allTextContents();
    assert.ok(headers.some((h) => h.includes('ActionType')), headers.join('|'));
    assert.equal(await page.locator('.verdict.fail').count(), 1, 'the verdict stays');
    await s.screenshot('stepper-stage-table');
    // The arrow keys move between chips; Enter on the source chip shows the table's rows.
    await page.locator('.stepper-chip').nth(2).focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-stage')), '0');
    await page.keyboard.press('Enter');
    await page.locator('.stage-caption', { hasText: 'The rows after stage 1 of 5: UrlClickEvents' }).waitFor();
    await page.keyboard.press('End');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-stage')), '4');
    // Back to the result: the grid shows the answer's rows again.
    await page.locator('.stage-caption button', { hasText: 'Back to the result' }).click();
    assert.equal(await page.locator('.stage-view').count(), 0);
    assert.match(await page.locator('.results').textContent(), new RegExp(`${c[4][1].replace(' rows', '')} rows`));
  });

  test('the right answer: the same funnel, and no parting note', async () => {
    await typeQuery(page, steps[1].solution.trimEnd());
    await runWithKeyboard(page);
    await page.locator('.work-pane .verdict.pass').waitFor();
    const c = await chips();
    assert.equal(c.length, 5);
    assert.equal(await page.locator('.verdict-parting').count(), 0);
  });

  test('in the playground, a join\'s right side and a union\'s input get chips of their own, and their rows', async () => {
    await page.selectOption('#lesson-picker', 'playground');
    await page.locator('.playground-pane').waitFor();
    await page.locator('#query').waitFor();
    const query = 'UrlClickEvents\n| where ActionType == "ClickAllowed"\n| join kind=inner (EmailEvents | where SenderFromDomain == "contoso-login.com" | project NetworkMessageId, Subject) on NetworkMessageId\n| union (UrlClickEvents | where ActionType == "ClickBlocked")\n| count';
    await typeQuery(page, query);
    await runWithKeyboard(page);
    await page.locator('.stepper').waitFor();
    const labels = await page.locator('.stepper-inner-label').allTextContents();
    assert.deepEqual(labels, ['right side:', 'input 2:']);
    const inner = page.locator('.stepper-inner').first().locator('.stepper-chip');
    assert.deepEqual(await inner.locator('.stepper-text').allTextContents(), ['EmailEvents', 'where SenderFromDomain == "contoso-log…', 'project NetworkMessageId, Subject']);
    const rows = Number((await inner.nth(1).getAttribute('data-rows')) ?? 'NaN');
    assert.ok(rows > 0, `the campaign's mails: ${rows}`);
    await inner.nth(1).click();
    const view = page.locator('.stage-view');
    await view.locator('.result-grid').waitFor();
    assert.match(await view.locator('.stage-caption').textContent(), /^The rows after the right side's stage 2 of 3: where SenderFromDomain == "contoso-login.com"Back to the result$/);
    assert.equal(await view.locator('[data-testid=row-count]').textContent(), `${rows.toLocaleString('en-US')} ${rows === 1 ? 'row' : 'rows'}`);
    const headers = await view.locator('[role=columnheader]').allTextContents();
    assert.ok(headers.some((h) => h.startsWith('SenderFromDomain')), headers.join('|'));
    await s.screenshot('stepper-join-side');
  });
});
