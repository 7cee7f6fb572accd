// A phone-sized screen (390 × 844): one column that the page scrolls (no scroll box inside
// it), no horizontal overflow, a one-line header with its less-used buttons behind "More",
// and a note on the home page about what a wider screen does better.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { siteForSuite } from './harness.mjs';
import { gotoHome, horizontalOverflow, openLesson, runWithKeyboard, typeQuery } from './kqlab.mjs';

const LESSON = 'Following the click';

/** Elements (other than the grid, the editor and the completion list) that scroll inside the page. */
function nestedScrollBoxes(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.app *')]
      .filter((el) => {
        if (el.closest('.grid, .editor, .completions, pre, .preview-table, .lesson-picker')) return false;
        const st = getComputedStyle(el);
        const scrolls = /(auto|scroll)/.test(st.overflowY) && el.scrollHeight > el.clientHeight + 1;
        return scrolls;
      })
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${el.clientHeight} of ${el.scrollHeight} px)`),
  );
}

/** Elements sticking out past the right edge of the viewport. */
function pastTheEdge(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.app-header *, .side-pane *, .work-pane *')]
      .filter((el) => !el.closest('.grid, .editor-surface, .preview-table, .visually-hidden, .step-title, pre.code') && el.getBoundingClientRect().right > window.innerWidth + 0.5 && el.getClientRects().length > 0)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`),
  );
}

describe('on a phone (390 × 844)', () => {
  const site = siteForSuite({ viewport: { width: 390, height: 844 } });

  test('the home page fits, with a compact header and an honest note', async () => {
    const { s, page } = site;
    await gotoHome(page, s.site.url);
    assert.equal(await horizontalOverflow(page), 0);
    const header = await page.locator('.app-header').boundingBox();
    assert.ok(header.height <= 56, `the header is ${header.height} px tall`);
    assert.ok(await page.locator('.phone-note').isVisible(), 'the note about wider screens is shown');
    assert.equal(await page.locator('.header-tools button', { hasText: 'Reset progress' }).isVisible(), false, 'folded away');
    await page.locator('.header-more').click();
    assert.ok(await page.locator('.header-tools button', { hasText: 'Reset progress' }).isVisible());
    assert.ok(await page.locator('.header-tools .data-clock').isVisible());
    assert.deepEqual(await pastTheEdge(page), []);
    await s.screenshot('phone-home-menu');
    await page.locator('.header-more').click();
    assert.equal(await page.locator('.header-tools').isVisible(), false);
    await s.screenshot('phone-home');
  });

  test('a lesson is one column the page scrolls: no nested scroll box, nothing past the edge', async () => {
    const { s, page } = site;
    await openLesson(page, LESSON);
    assert.equal(await horizontalOverflow(page), 0);
    assert.deepEqual(await nestedScrollBoxes(page), []);
    assert.deepEqual(await pastTheEdge(page), []);
    const task = await page.locator('.task').boundingBox();
    const editor = await page.locator('#query').boundingBox();
    assert.ok(editor.y > task.y, 'the editor comes after the task');
    assert.ok(task.x >= 0 && task.x + task.width <= 390);
    await s.screenshot('phone-lesson');
    // "Go to the query editor" takes the learner down to it.
    await page.locator('.jump-editor').click();
    const focused = await page.evaluate(() => document.activeElement.id);
    assert.equal(focused, 'query');
    await s.screenshot('phone-editor');
  });

  test('results and their toolbar fit the width', async () => {
    const { s, page } = site;
    await typeQuery(page, 'UrlClickEvents\n| where Timestamp > ago(7d)\n| project Timestamp, AccountUpn, Url, ActionType\n| take 20');
    await runWithKeyboard(page);
    await page.locator('.grid-row').first().waitFor();
    assert.equal(await horizontalOverflow(page), 0);
    const toolbar = await page.locator('.grid-toolbar').evaluate((el) => ({ right: el.getBoundingClientRect().right, scroll: el.scrollWidth - el.clientWidth }));
    assert.ok(toolbar.right <= 390 && toolbar.scroll <= 0, `toolbar: ${JSON.stringify(toolbar)}`);
    assert.deepEqual(await pastTheEdge(page), []);
    assert.deepEqual(await nestedScrollBoxes(page), []);
    await page.locator('.result-grid').scrollIntoViewIfNeeded();
    await s.screenshot('phone-results');
    // A chart, too.
    await typeQuery(page, 'UrlClickEvents\n| summarize Clicks = count() by bin(Timestamp, 1d)\n| render timechart');
    await runWithKeyboard(page);
    await page.locator('#panel-chart svg.chart path.series').waitFor();
    assert.equal(await horizontalOverflow(page), 0);
    await page.locator('#panel-chart').scrollIntoViewIfNeeded();
    await s.screenshot('phone-chart');
  });
});
