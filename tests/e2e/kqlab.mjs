// App-level helpers for the end-to-end tests: what a learner does (open a lesson, type a
// query, run it) and what they see (verdict, grid cells), plus readers for the lesson files so
// the tests never copy a solution by hand.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

/** Waits two animation frames, so Yew has rendered what the last event changed. */
export function settle(page) {
  return page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok()))));
}

/** Opens the home page and waits until every lesson in lessons/index.toml is listed. */
export async function gotoHome(page, url) {
  await page.goto(url);
  await page.locator('.home-pane').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.lesson-card').length > 0 && !document.querySelector('.lesson-card.muted'));
}

/** The home page's card of the lesson titled exactly `title`. */
export function lessonCard(page, title) {
  // By the card's title exactly: another card may name this lesson as one to take first.
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page.locator('.lesson-card').filter({ has: page.locator('.lesson-card-title', { hasText: exact }) });
}

/** Clicks the lesson card with this title and waits until its editor is ready. */
export async function openLesson(page, title) {
  await lessonCard(page, title).locator('.lesson-open').click();
  await waitLessonReady(page);
}

/** Waits until a lesson step is shown and its data is prepared (the editor is there). */
export async function waitLessonReady(page) {
  await page.locator('.step-view').waitFor();
  await page.locator('#query').waitFor();
  await page.locator('.schema-pane').waitFor();
}

/** Clicks the step pill `n` (1-based) and waits for its heading. */
export async function gotoStep(page, n, title) {
  await page.locator('.step-list .step-item').nth(n - 1).locator('button').click();
  await page.locator('.step-heading', { hasText: title }).waitFor();
  await page.locator('#query').waitFor();
}

/** Closes the completion list if it is open (Escape), when a test needs it out of the way. */
export async function closeCompletions(page) {
  await settle(page);
  const list = page.locator('.completions');
  if (await list.isVisible()) {
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'hidden' });
  }
}

/**
 * Types `text` into the editor with the keyboard as a person does, replacing what was there:
 * each line with `keyboard.type`, Enter between lines, nothing else. Completion lists that
 * open on the way are left alone (Enter must still insert a newline). Checks that the editor
 * ends up holding exactly `text`.
 */
export async function typeQuery(page, text) {
  const input = page.locator('#query');
  // Top left: a completion list left open sits below the caret's line, never over line 1.
  await input.click({ position: { x: 4, y: 4 } });
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    await page.keyboard.type(lines[i]);
    if (i < lines.length - 1) await page.keyboard.press('Enter');
  }
  assert.equal(await input.inputValue(), text, 'the editor holds what was typed');
}

/** Presses Ctrl+Enter in the editor. */
export async function runWithKeyboard(page) {
  await page.locator('#query').focus();
  await page.keyboard.press('Control+Enter');
}

/** The text of every rendered grid cell of column `name`, top to bottom. */
export async function gridColumn(page, name) {
  await page.locator('.grid-th').first().waitFor();
  const names = await page.locator('.grid-th .th-name').allTextContents();
  const c = names.indexOf(name);
  assert.ok(c >= 0, `column ${name} in the grid (columns: ${names.join(', ')})`);
  return page.locator('.grid-row').evaluateAll((rows, c) => rows.map((r) => r.querySelectorAll('.grid-td')[c].textContent), c);
}

/** Horizontal overflow of the page in pixels (0 when nothing sticks out). */
export function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** A share fragment as the app writes it: `lesson=…&step=…&q=<base64url>`. */
export function shareFragment({ lesson, step, query } = {}) {
  const parts = [];
  if (lesson) parts.push(`lesson=${lesson}`);
  if (step) parts.push(`step=${step}`);
  if (query !== undefined) parts.push(`q=${Buffer.from(query, 'utf8').toString('base64url')}`);
  return parts.join('&');
}

/** The titles of the lessons in lessons/index.toml, in the course's order (from each file's top-level `title`). */
export async function courseTitles() {
  const index = await readFile(join(ROOT, 'lessons', 'index.toml'), 'utf8');
  const files = [...index.matchAll(/^file = "(.*)"$/gm)].map((m) => m[1]);
  const titles = [];
  for (const f of files) {
    const head = (await readFile(join(ROOT, 'lessons', f), 'utf8')).split(/^\[/m)[0];
    titles.push(head.match(/^title = "(.*)"$/m)[1]);
  }
  return titles;
}

/**
 * Reads `lessons/<file>` and returns its steps as `{ id, title, solution, starter }`, taken
 * from the TOML text (only the `'''` multi-line strings and `key = "…"` lines the lessons use).
 */
export async function lessonSteps(file) {
  const text = await readFile(join(ROOT, 'lessons', file), 'utf8');
  return text
    .split(/^\[\[steps\]\]\s*$/m)
    .slice(1)
    .map((block) => {
      const key = (k) => {
        const multi = block.match(new RegExp(`^${k} = '''\\n([\\s\\S]*?)'''`, 'm'));
        if (multi) return multi[1];
        const single = block.match(new RegExp(`^${k} = "(.*)"$`, 'm'));
        return single ? single[1] : undefined;
      };
      return { id: key('id'), title: key('title'), solution: key('solution'), starter: key('starter') };
    });
}

/**
 * Opens a second page in the same browser context as `s.page` (same localStorage, as a second
 * tab of one browser), watched like the harness's pages: its console errors, page errors and
 * failed same-origin requests go to `s.log`. Confirm dialogs are accepted.
 */
export async function sameContextPage(s) {
  const page = await s.context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('request', (r) => s.log.requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') s.log.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => s.log.pageErrors.push(String(e && e.stack ? e.stack : e)));
  page.on('requestfailed', (r) => {
    if (new URL(r.url()).origin === s.site.origin) s.log.failed.push(`${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on('dialog', async (d) => {
    s.log.dialogs.push({ type: d.type(), message: d.message() });
    if (d.type() === 'confirm') await d.accept();
    else await d.dismiss();
  });
  return page;
}

/** Goes to step `n` (1-based) of the open lesson, types its solution, runs it and waits for the pass. */
export async function passStep(page, n, step) {
  await gotoStep(page, n, step.title);
  await typeQuery(page, step.solution.trimEnd());
  await runWithKeyboard(page);
  await page.locator('.work-pane .verdict.pass').waitFor();
}

/** The 1-based numbers of the step pills marked as passed. */
export function passedSteps(page) {
  return page.locator('.step-list .step-item').evaluateAll((items) => items.flatMap((el, i) => (el.classList.contains('passed') ? [i + 1] : [])));
}
