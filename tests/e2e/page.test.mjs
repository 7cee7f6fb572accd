// The page around the engine: undoing a replaced query, series charts and time axes, Stop,
// reloading the playground, loaded files after a reload, keyboard use of the Chart/Table
// tabs, live errors that wait for a pause, numeric header alignment and the step pills.
// Values are read from the page, never hard-coded (the data follows the clock).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { siteForSuite, waitForPage } from './harness.mjs';
import { closeCompletions, gotoHome, gotoStep, lessonSteps, openLesson, runWithKeyboard, settle, typeQuery } from './kqlab.mjs';

const LESSON = 'Following the click';

/** Opens the playground from the picker (whatever the page shows after loading). */
async function openPlayground(page, url) {
  await page.goto(url);
  await page.locator('#lesson-picker option[value="playground"]').waitFor({ state: 'attached' });
  await page.selectOption('#lesson-picker', 'playground');
  await page.locator('.playground-pane').waitFor();
  await page.locator('.schema-pane').waitFor();
  await page.locator('#query').waitFor();
}

describe('replacing the query can be undone', () => {
  const site = siteForSuite();

  test('"Put it in the editor" replaces the text, and one Ctrl+Z brings the learner\'s text back whole', async () => {
    const { s, page } = site;
    const steps = await lessonSteps('following-the-click.toml');
    await gotoHome(page, s.site.url);
    await openLesson(page, LESSON);
    await gotoStep(page, 4, steps[3].title);
    const mine = 'UrlClickEvents\n| where Timestamp > ago(1d)\n| take 3';
    await typeQuery(page, mine);
    await page.locator('.step-view button', { hasText: 'Show solution' }).click();
    await page.locator('.solution button', { hasText: 'Put it in the editor' }).click();
    const input = page.locator('#query');
    await waitForPage(page, (want) => document.querySelector('#query').value === want, steps[3].solution);
    await page.keyboard.press('Control+z');
    await waitForPage(page, (want) => document.querySelector('#query').value === want, mine).catch(() => {});
    assert.equal(await input.inputValue(), mine, 'one undo restores the whole previous text');
    assert.ok(await page.locator('.notice', { hasText: 'Ctrl+Z' }).isVisible(), 'the page says how to get the text back');
    // Redo puts the solution back.
    await page.keyboard.press('Control+Shift+z');
    assert.equal(await input.inputValue(), steps[3].solution);
  });

  test('a playground example replaces the text; one Ctrl+Z brings it back', async () => {
    const { s, page } = site;
    await openPlayground(page, s.site.url);
    const mine = 'print greeting = "hello"\n| extend n = 1';
    await typeQuery(page, mine);
    await page.locator('.examples button', { hasText: 'Threat verdicts' }).click();
    const input = page.locator('#query');
    assert.match(await input.inputValue(), /^UrlClickEvents\n\| where ThreatTypes/);
    await input.focus();
    await page.keyboard.press('Control+z');
    assert.equal(await input.inputValue(), mine);
  });
});

describe('charts, Stop and reloads in the playground', () => {
  const site = siteForSuite();
  let dir;

  test('make-series then render timechart draws one line per series row', async () => {
    const { s, page } = site;
    await openPlayground(page, s.site.url);
    await typeQuery(page, 'UrlClickEvents\n| make-series Clicks = count() default = 0 on Timestamp step 1d by ActionType\n| render timechart');
    await runWithKeyboard(page);
    const svg = page.locator('#panel-chart svg.chart');
    await svg.waitFor();
    assert.equal(await page.locator('.chart-error').count(), 0, 'the chart is drawn, not refused');
    await page.locator('#tab-table').click();
    const rows = Number((await page.locator('[data-testid="row-count"]').textContent()).replace(/\D/g, ''));
    assert.ok(rows >= 2, `${rows} series rows`);
    await page.locator('#tab-chart').click();
    assert.equal(await svg.locator('path.series').count(), rows, 'one line per row of the series table');
    const legend = await svg.locator('.legend text').allTextContents();
    assert.ok(legend.length >= rows, `legend names the series: ${legend}`);
    await s.screenshot('page-make-series-chart');
  });

  test('a 17-day time axis gets 5 to 10 labels', async () => {
    const { s, page } = site;
    await typeQuery(page, 'range t from now() - 17d to now() step 1h\n| summarize n = count() by bin(t, 1h)\n| render timechart');
    await runWithKeyboard(page);
    const svg = page.locator('#panel-chart svg.chart');
    // (A flat line has no height, so it is waited for as attached, not visible.)
    await svg.locator('path.series').waitFor({ state: 'attached' });
    const labels = (await svg.locator('.x-axis text:not(.x-date)').allTextContents()).filter((t) => t.trim());
    assert.ok(labels.length >= 5 && labels.length <= 10, `x labels: ${labels.join(' | ')}`);
    await s.screenshot('page-17-days');
  });

  test('Chart/Table tabs follow the arrow keys, Home and End', async () => {
    const { page } = site;
    const chart = page.locator('#tab-chart');
    const table = page.locator('#tab-table');
    await chart.focus();
    assert.equal(await chart.getAttribute('tabindex'), '0');
    assert.equal(await table.getAttribute('tabindex'), '-1', 'only the selected tab is in the Tab order');
    const selectedAndFocused = () => page.evaluate(() => [document.querySelector('[role=tab][aria-selected=true]').id, document.activeElement.id]);
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await selectedAndFocused(), ['tab-table', 'tab-table']);
    await page.locator('#panel-table .grid').waitFor();
    await page.keyboard.press('ArrowLeft');
    assert.deepEqual(await selectedAndFocused(), ['tab-chart', 'tab-chart']);
    await page.locator('#panel-chart svg.chart').waitFor();
    await page.keyboard.press('End');
    assert.deepEqual(await selectedAndFocused(), ['tab-table', 'tab-table']);
    await page.keyboard.press('Home');
    assert.deepEqual(await selectedAndFocused(), ['tab-chart', 'tab-chart']);
  });

  test('numeric column headers line up with their values', async () => {
    const { s, page } = site;
    await typeQuery(page, 'UrlClickEvents\n| summarize Clicks = count() by ActionType');
    await runWithKeyboard(page);
    await page.locator('.grid-row').first().waitFor();
    const offsets = await page.evaluate(() => {
      const names = [...document.querySelectorAll('.grid-th .th-name')].map((n) => n.textContent);
      const c = names.indexOf('Clicks');
      const textRight = (el) => {
        const r = document.createRange();
        r.selectNodeContents(el);
        return r.getBoundingClientRect().right;
      };
      const header = textRight(document.querySelectorAll('.grid-th .th-name')[c]);
      const cells = [...document.querySelectorAll('.grid-row')].map((row) => textRight(row.querySelectorAll('.grid-td')[c]));
      return cells.map((x) => Math.round((x - header) * 10) / 10);
    });
    assert.ok(offsets.length > 0);
    for (const d of offsets) assert.ok(Math.abs(d) <= 1.5, `header and value right edges differ by ${d} px`);
    await s.screenshot('page-numeric-header');
  });

  test('after Stop, the previous results are gone and the page says the run was stopped', async () => {
    const { s, page } = site;
    await typeQuery(page, 'UrlClickEvents\n| take 3');
    await runWithKeyboard(page);
    await page.locator('.grid-row').first().waitFor();
    await typeQuery(page, 'range x from 1 to 8000000 step 1\n| extend s = strcat("k", x % 3000000)\n| summarize dcount(s)');
    await runWithKeyboard(page);
    const running = page.locator('.running');
    await running.waitFor();
    await running.getByRole('button', { name: 'Stop' }).click();
    await running.waitFor({ state: 'hidden' });
    await settle(page);
    assert.equal(await page.locator('.grid').count(), 0, 'the grid of the earlier query is not shown under the edited one');
    const stopped = page.locator('.results-stopped');
    await stopped.waitFor();
    assert.match(await stopped.textContent(), /The run was stopped after \d+\.\d s/);
    await s.screenshot('page-stopped');
    // The next run shows results again.
    await page.locator('.schema-pane').waitFor();
    await typeQuery(page, 'UrlClickEvents\n| count');
    await runWithKeyboard(page);
    await page.locator('.grid').waitFor();
    assert.equal(await stopped.count(), 0);
  });

  test('reloading the playground returns to the playground; loaded files are named as needing loading again', async () => {
    const { s, page } = site;
    dir = await mkdtemp(join(tmpdir(), 'kqlab-e2e-'));
    try {
      const path = join(dir, 'reload-hosts.csv');
      await writeFile(path, 'Host,Risk\nws-1,3\nws-2,8\n');
      await page.locator('.playground-pane input[type="file"]').setInputFiles(path);
      await page.locator('.schema-pane .schema-table', { hasText: /^reload_hosts$/ }).waitFor();
      await typeQuery(page, 'reload_hosts\n| count');
      assert.match(page.url(), /[?&]view=playground/, 'the address names the playground');
      await page.reload();
      await page.locator('.playground-pane').waitFor();
      await page.locator('#query').waitFor();
      assert.equal(await page.locator('#query').inputValue(), 'reload_hosts\n| count', 'the playground query is back');
      const notice = page.locator('.notice', { hasText: 'not kept' });
      await notice.waitFor();
      assert.match(await notice.textContent(), /Files loaded into the playground are not kept when the page reloads: load reload-hosts\.csv again/);
      await s.screenshot('page-playground-reloaded');
      // Going home leaves the playground route, so a reload then stays home.
      await page.locator('.brand').click();
      await page.locator('.home-pane').waitFor();
      assert.doesNotMatch(page.url(), /view=playground/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('lesson page details', () => {
  const site = siteForSuite();

  test('live errors wait until typing pauses (no "Unknown column" for a word being typed)', async () => {
    const { s, page } = site;
    await gotoHome(page, s.site.url);
    await openLesson(page, LESSON);
    const input = page.locator('#query');
    await input.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await page.keyboard.type('UrlClickEvents | summarize c');
    await settle(page);
    assert.equal(await page.locator('.editor-errors li').count(), 0, 'no error while the word is being typed');
    assert.equal(await page.locator('.editor-overlay .err').count(), 0);
    await page.keyboard.type('ount() by Ur');
    await settle(page);
    assert.equal(await page.locator('.editor-errors li').count(), 0);
    // A pause: the text as it stands is checked.
    await page.locator('.editor-errors li', { hasText: "Unknown column 'Ur'" }).waitFor();
    await page.keyboard.type('l');
    await settle(page);
    assert.equal(await page.locator('.editor-errors li').count(), 0, 'stale errors go while typing');
    await page.waitForTimeout(1500);
    assert.equal(await page.locator('.editor-errors li').count(), 0, 'a finished query has no errors');
    await page.keyboard.press('Escape');
  });

  test('a run error is shown once', async () => {
    const { s, page } = site;
    await closeCompletions(page);
    await typeQuery(page, 'UrlClickEvents\n| where Timstamp > ago(1d)');
    await page.locator('.editor-errors li', { hasText: "Unknown column 'Timstamp'" }).waitFor();
    await runWithKeyboard(page);
    const verdict = page.locator('.work-pane .verdict.error');
    await verdict.waitFor();
    const shown = () => page.locator('.work-pane').evaluate((el) => (el.innerText.match(/Unknown column 'Timstamp'/g) || []).length);
    assert.equal(await shown(), 1, 'the message appears once on the page');
    assert.match(await verdict.locator('.verdict-message').textContent(), /Unknown column 'Timstamp'/);
    assert.equal(await page.locator('.editor-overlay .err').count(), 1, 'the underline stays');
    await s.screenshot('page-error-once');
  });

  for (const width of [1280, 1024]) {
    test(`the step pills fill rows evenly at ${width} px (no lone pill on a line)`, async () => {
      const { s, page } = site;
      await page.setViewportSize({ width, height: 860 });
      await settle(page);
      await page.waitForTimeout(100);
      const rows = await page.locator('.step-list .step-item').evaluateAll((items) => {
        const byTop = new Map();
        for (const el of items) {
          const top = Math.round(el.getBoundingClientRect().top);
          byTop.set(top, (byTop.get(top) || 0) + 1);
        }
        return [...byTop.values()];
      });
      assert.equal(rows.reduce((a, b) => a + b, 0), 12);
      assert.ok(Math.max(...rows) - Math.min(...rows) <= 1, `pills per row: ${rows}`);
      const overflow = await page.locator('.step-list').evaluate((el) => el.scrollWidth - el.clientWidth);
      assert.ok(overflow <= 0, `the pills fit the pane (${overflow} px over)`);
      await s.screenshot(`page-step-pills-${width}`, { clip: await page.locator('.side-pane').boundingBox() });
    });
  }

  test('a run error is shown once in the playground too; editing brings the editor\'s list back', async () => {
    const { page } = site;
    const shown = () => page.locator('.work-pane').evaluate((el) => (el.innerText.match(/Unknown column 'Timstamp'/g) || []).length);
    await closeCompletions(page);
    await page.selectOption('#lesson-picker', 'playground');
    await page.locator('.playground-pane').waitFor();
    await page.locator('.schema-pane').waitFor();
    await typeQuery(page, 'UrlClickEvents\n| where Timstamp > ago(1d)');
    await page.locator('.editor-errors li', { hasText: "Unknown column 'Timstamp'" }).waitFor();
    await runWithKeyboard(page);
    await page.locator('.run-errors').waitFor();
    assert.equal(await shown(), 1, 'the message appears once in the playground');
    // Editing the text brings the editor's own list back (the box is about the text that ran).
    await page.keyboard.type(' ');
    await page.locator('.editor-errors li').waitFor();
    assert.equal(await shown(), 2);
  });
});
