// End-to-end tests of the built site in headless Chromium, served under /kqlab/ as GitHub
// Pages would serve it. Run by scripts/test.sh after `trunk build --release`.
//
// The tests share one page and run in order: load, edit, run, grid, chart, theme, layout.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { openSite, waitForPage } from './harness.mjs';

describe('kqlab web app', () => {
  let s;
  let page;

  before(async () => {
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

  test('loads under /kqlab/ with only same-origin requests', async () => {
    const started = Date.now();
    await page.goto(s.site.url);
    await page.waitForSelector('.app-header .brand');
    await page.waitForSelector('#query');
    const loadMs = Date.now() - started;
    assert.equal(await page.title(), 'kqlab · KQL training playground');
    for (const url of s.log.requests) {
      assert.ok(url.startsWith(s.site.url), `request outside the site's sub-path: ${url}`);
    }
    const kinds = s.log.requests.map((u) => new URL(u).pathname.split('.').pop());
    assert.ok(kinds.includes('wasm'), 'the wasm module was loaded');
    assert.equal(await page.locator('#fatal').isHidden(), true, 'no fatal error banner');
    // The lesson pane renders Markdown, with the callout from a quote.
    assert.equal(await page.locator('.lesson-pane .callout-note .callout-title').textContent(), 'Note');
    console.log(`# usable after ${loadMs} ms`);
    await s.screenshot('01-loaded');
    assert.deepEqual(s.problems(), []);
  });

  test('the editor highlights the query with the highlighter callback', async () => {
    const overlay = page.locator('.editor-overlay');
    assert.match(await overlay.locator('.tok-operator').first().textContent(), /where/);
    assert.equal(await overlay.locator('.tok-pipe').count(), 3);
    assert.equal(await overlay.locator('.tok-function', { hasText: 'ago' }).count(), 1);
    // Line numbers follow the text.
    assert.equal((await page.locator('.editor-gutter').textContent()).trim(), '1\n2\n3\n4');
    // The overlay shows exactly the textarea's text.
    const [text, painted] = await page.evaluate(() => [
      document.querySelector('#query').value,
      document.querySelector('.editor-overlay').textContent,
    ]);
    assert.equal(painted, `${text} `);
  });

  test('typing opens completion, arrows move, Tab accepts', async () => {
    const input = page.locator('#query');
    await input.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n| ta');
    const list = page.locator('.completions');
    await list.waitFor({ state: 'visible' });
    const labels = await list.locator('.completion-label').allTextContents();
    assert.deepEqual(labels, ['take']);
    await s.screenshot('02-completion');
    await page.keyboard.press('Tab');
    await list.waitFor({ state: 'hidden' });
    assert.match(await input.inputValue(), /\| take$/);
    // Completion of a column, choosing the second item with the arrow key.
    await page.keyboard.type(' 10\n| where A');
    await list.waitFor({ state: 'visible' });
    const items = await list.locator('.completion-label').allTextContents();
    assert.deepEqual(items.slice(0, 3), ['AccountUpn', 'ActionType', 'ago']);
    await page.keyboard.press('ArrowDown');
    assert.equal(await list.locator('[aria-selected="true"] .completion-label').textContent(), 'ActionType');
    await page.keyboard.press('Enter');
    assert.match(await input.inputValue(), /\| where ActionType$/);
    // Escape closes without inserting.
    await page.keyboard.type(' == Cl');
    await page.keyboard.press('Control+Space');
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'hidden' });
    assert.match(await input.inputValue(), /== Cl$/);
  });

  test('Tab indents and Shift+Tab outdents the selected lines; undo restores', async () => {
    const input = page.locator('#query');
    await input.fill('T\n| take 1');
    await input.evaluate((el) => el.setSelectionRange(0, el.value.length));
    await page.keyboard.press('Tab');
    assert.equal(await input.inputValue(), '    T\n    | take 1');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await input.inputValue(), 'T\n| take 1');
    await page.keyboard.press('Control+z');
    assert.equal(await input.inputValue(), '    T\n    | take 1');
  });

  test('an error is underlined, listed below, and explained on hover', async () => {
    const input = page.locator('#query');
    await input.fill('DemoClicks\n| where Url has "contoso');
    const err = page.locator('.editor-overlay .err');
    await err.first().waitFor();
    assert.equal(await err.first().textContent(), '"contoso');
    const message = await page.locator('.editor-errors .error-message').textContent();
    assert.match(message, /no closing quote/);
    assert.equal(await page.locator('.editor-errors .error-location').textContent(), 'Line 2, column 17');
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    const box = await err.first().boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await waitForPage(page, () => document.querySelector('#query').title.length > 0);
    assert.equal(await input.getAttribute('title'), message);
    await s.screenshot('03-error');
    // Clicking the location selects the error in the editor.
    await page.locator('.editor-errors .error-location').click();
    const sel = await input.evaluate((el) => el.value.slice(el.selectionStart, el.selectionEnd));
    assert.equal(sel, '"contoso');
    // Multi-byte text before the error keeps the underline on the right characters.
    await input.fill('// café 😀\nT | where x == "😀é');
    assert.equal(await page.locator('.editor-overlay .err').first().textContent(), '"😀é');
  });

  test('Ctrl+Enter runs the query and shows the chart', async () => {
    const input = page.locator('#query');
    await input.fill('DemoClicks\n| summarize count() by bin(Timestamp, 1h), ActionType\n| render timechart');
    await input.click();
    await page.keyboard.press('Control+Enter');
    const chart = page.locator('.chart-wrap svg.chart');
    await chart.waitFor();
    assert.equal(await page.locator('[role="tab"][aria-selected="true"]').textContent(), 'Chart');
    assert.ok((await chart.locator('path.series').count()) >= 2, 'one line per ActionType');
    assert.ok((await chart.locator('.legend text').count()) >= 2, 'a legend for several series');
    assert.ok((await chart.locator('.x-axis text').count()) >= 4, 'time labels on the x-axis');
    await s.screenshot('04-chart');
  });

  test('the grid shows 100,000 rows but keeps only a window of them in the page', async () => {
    await page.locator('[role="tab"]', { hasText: 'Table' }).click();
    const count = page.locator('[data-testid="row-count"]');
    await count.waitFor();
    assert.equal(await count.textContent(), '100,000 rows');
    assert.match(await page.locator('.grid-elapsed').textContent(), /^\d+ ms$|^\d+\.\d\d s$/);
    const header = await page.locator('.grid-th .th-name').allTextContents();
    assert.deepEqual(header.slice(0, 3), ['Timestamp', 'AccountUpn', 'Url']);
    assert.equal(await page.locator('.grid-th .th-type').first().textContent(), 'datetime');
    const inDom = await page.locator('.grid-row').count();
    assert.ok(inDom > 5 && inDom < 80, `rows in the DOM: ${inDom}`);
    assert.match(await page.locator('.grid-row').first().locator('.grid-td').first().textContent(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    // Data text is shown as text: the demo URL with angle brackets is not markup.
    await s.screenshot('05-grid');

    // Scroll through the grid frame by frame and time it.
    const timing = await page.evaluate(async () => {
      const grid = document.querySelector('.grid');
      const frame = () => new Promise((ok) => requestAnimationFrame(() => ok()));
      const steps = 120;
      const t0 = performance.now();
      for (let i = 1; i <= steps; i++) {
        grid.scrollTop = (grid.scrollHeight - grid.clientHeight) * (i / steps);
        await frame();
      }
      const perFrame = (performance.now() - t0) / steps;
      await frame();
      const rows = [...document.querySelectorAll('.grid-row')];
      return { perFrame, inDom: rows.length, last: rows.at(-1).getAttribute('aria-rowindex') };
    });
    console.log(`# grid scroll: ${timing.perFrame.toFixed(1)} ms per frame over 120 jumps, ${timing.inDom} rows in the DOM`);
    assert.equal(timing.last, '100001', 'the last row is reachable');
    assert.ok(timing.inDom < 80);
    assert.ok(timing.perFrame < 100, `scrolling took ${timing.perFrame} ms per frame`);
    await s.screenshot('06-grid-bottom');
  });

  test('clicking a header sorts (stable, nulls last) and flips', async () => {
    const grid = page.locator('.grid');
    await grid.evaluate((el) => (el.scrollTop = 0));
    const latency = page.locator('.grid-th', { hasText: 'LatencyMs' });
    await latency.locator('button').click();
    assert.equal(await latency.getAttribute('aria-sort'), 'ascending');
    const col = (await page.locator('.grid-th .th-name').allTextContents()).indexOf('LatencyMs');
    const visible = async () =>
      (await page.locator('.grid-row').evaluateAll((rows, c) => rows.slice(0, 12).map((r) => r.children[c].textContent), col)).map(Number);
    const asc = await visible();
    assert.deepEqual(asc, [...asc].sort((a, b) => a - b), `ascending: ${asc}`);
    await latency.locator('button').click();
    assert.equal(await latency.getAttribute('aria-sort'), 'descending');
    const desc = await visible();
    assert.deepEqual(desc, [...desc].sort((a, b) => b - a), `descending: ${desc}`);
    assert.ok(desc[0] > asc[0]);
    // Nulls stay last when descending too.
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await waitForPage(page, () => [...document.querySelectorAll('.grid-row')].at(-1)?.getAttribute('aria-rowindex') === '100001');
    const last = await page.locator('.grid-row').last().locator('.grid-td').nth(col).textContent();
    assert.equal(last, '');
    await grid.evaluate((el) => (el.scrollTop = 0));
  });

  test('copy as CSV and TSV, export CSV', async () => {
    await page.locator('button', { hasText: 'Copy CSV' }).click();
    await page.locator('.grid-status', { hasText: 'Copied 100,000 rows as CSV.' }).waitFor();
    const csv = await page.evaluate(() => navigator.clipboard.readText());
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'Timestamp,AccountUpn,Url,ActionType,IsClickedThrough,Workload,LatencyMs,ClickCount');
    assert.equal(lines.length, 100_002, 'header, rows and a final line break');
    const top = await page.locator('.grid-row').first().locator('.grid-td').nth(6).textContent();
    assert.equal(lines[1].split(',')[6], top, 'copied in the current sort order');
    await page.locator('button', { hasText: 'Copy TSV' }).click();
    await page.locator('.grid-status', { hasText: 'as TSV' }).waitFor();
    const tsv = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(tsv.split('\n')[0].split('\t').length, 8);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button', { hasText: 'Export CSV' }).click()]);
    assert.equal(download.suggestedFilename(), 'kqlab-results.csv');
    const saved = await readFile(await download.path(), 'utf8');
    assert.equal(saved, csv);
  });

  test('a schema click inserts the column at the cursor', async () => {
    const input = page.locator('#query');
    await input.fill('DemoClicks | project ');
    await input.evaluate((el) => el.setSelectionRange(el.value.length, el.value.length));
    await page.locator('.schema-column', { hasText: 'Workload' }).click();
    assert.equal(await input.inputValue(), 'DemoClicks | project Workload');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'query');
  });

  test('the theme toggle switches to dark and the choice survives a reload', async () => {
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await bg();
    const toggle = page.locator('.theme-toggle');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.notEqual(await bg(), light);
    await page.locator('#query').fill('DemoClicks\n| summarize count() by bin(Timestamp, 1h), ActionType\n| render timechart');
    await page.keyboard.press('Control+Enter');
    await page.locator('.chart-wrap svg.chart').waitFor();
    await s.screenshot('07-dark-chart');
    await page.reload();
    await page.waitForSelector('#query');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.locator('#query').click();
    await page.keyboard.press('Control+Enter');
    await page.locator('[role="tab"]', { hasText: 'Table' }).click();
    await page.locator('.grid-row').first().waitFor();
    await s.screenshot('08-dark-grid');
    await page.locator('.theme-toggle').click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  });

  test('keyboard users can reach the controls and leave the editor', async () => {
    const input = page.locator('#query');
    await input.click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    const next = await page.evaluate(() => document.activeElement.id || document.activeElement.className);
    assert.notEqual(next, 'query', 'Escape then Tab moves the focus out of the editor');
    // Visible focus: the focused control draws an outline.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none');
  });

  test('the layout holds at tablet width', async () => {
    await page.setViewportSize({ width: 820, height: 1100 });
    await page.locator('.grid-row').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
    await s.screenshot('09-tablet', { fullPage: true });
    await page.setViewportSize({ width: 1024, height: 768 });
    const overflow1024 = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow1024 <= 0, `horizontal overflow of ${overflow1024}px at 1024px`);
    await s.screenshot('10-1024');
  });
});
