// Per-step timing of the course (issue 15: every step under 16 ms in the browser at lesson
// size). For every lesson in lessons/index.toml and every step, the step's reference solution
// is run N times through the lesson check in the app's own query worker, in headless Chromium
// on the release build: the `Run` request of a lesson step runs the query, compares its result
// with the expected answer and reports the time the worker spent on both (the page's
// `data-engine-ms`). The first run of a step is reported apart: it also builds the step's
// expected answer and, the first time a lazy table is read, the table itself.
//
//   node bench/steps.mjs [--repeat 7] [--dist dist] [--lesson the-beacon.toml] [--clock 2026-12-07T12:00:00Z]
//
// The lessons' data is generated relative to the session clock (the page's current hour), so a
// step's row counts, and its time, change with the hour: --clock runs the page as if it were
// that time (Date.now shifted before the app starts) to measure several clocks.
//
// Needs a release site in dist/ (trunk build --release --offline --public-url /kqlab/). Prints a
// Markdown table (lesson, step, median of the repeated runs, first run) and the steps above
// 16 ms.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, option, median, openBrowser } from './chromium.mjs';

const REPEAT = Number(option('repeat', 7));
const ONLY = option('lesson', null);
const LIMIT_MS = 16;

/** The steps of a lesson file: id and solution, from the TOML text the lessons use. */
function steps(file) {
  const text = readFileSync(join(ROOT, 'lessons', file), 'utf8');
  return text
    .split(/^\[\[steps\]\]\s*$/m)
    .slice(1)
    .map((block) => ({
      id: block.match(/^id = "(.*)"$/m)[1],
      solution: block.match(/^solution = '''\n([\s\S]*?)'''/m)[1].trimEnd(),
      question: /^\[steps\.question\]/m.test(block),
    }));
}

const CLOCK = option('clock', null);
const { site, page, close } = await openBrowser(option('dist', join(ROOT, 'dist')));
if (CLOCK) {
  const target = Date.parse(CLOCK);
  if (Number.isNaN(target)) throw new Error(`--clock ${CLOCK}: not a date (use 2026-12-07T12:00:00Z)`);
  await page.addInitScript((t) => {
    const real = Date.now;
    const offset = t - real();
    Date.now = () => real() + offset;
  }, target);
}

/** Runs `kql` in the open step and returns the worker's time for it (run + check), in ms. */
async function run(kql) {
  const before = await page.evaluate(() => document.querySelector('.run-stats')?.getAttribute('data-roundtrip-ms') ?? null);
  await page.fill('#query', kql);
  await page.keyboard.press('Escape');
  await page.locator('#query').press('Control+Enter');
  // A new result, or after 3 s with no run in progress (two runs can take the same time to
  // the timer's resolution, and then the page shows nothing new), the result shown.
  const done = (prev) => {
    const s = document.querySelector('.run-stats');
    return s && !document.querySelector('.running') && s.getAttribute('data-roundtrip-ms') !== prev;
  };
  try {
    await page.waitForFunction(done, before, { timeout: 3000 });
  } catch {
    await page.waitForFunction(() => !document.querySelector('.running'), null, { timeout: 120000 });
  }
  const failed = await page.locator('.work-pane .verdict.fail, .work-pane .verdict.error').count();
  if (failed) throw new Error(`the solution did not pass: ${await page.locator('.work-pane .verdict').first().textContent()}`);
  return Number(await page.locator('.run-stats').getAttribute('data-engine-ms'));
}

await page.goto(site.url);
await page.locator('.lesson-card .lesson-open').first().click();
await page.locator('.schema-pane').waitFor({ timeout: 60000 });
const clock = (await page.locator('.data-clock').textContent()).trim();

const index = readFileSync(join(ROOT, 'lessons', 'index.toml'), 'utf8');
const files = [...index.matchAll(/file\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
const rows = [];
for (const [li, file] of files.entries()) {
  if (ONLY && file !== ONLY) continue;
  await page.locator('#lesson-picker').selectOption(String(li));
  await page.locator('.schema-pane').waitFor({ timeout: 60000 });
  for (const [si, step] of steps(file).entries()) {
    await page.locator('.step-list .step-item').nth(si).locator('button').click();
    await page.locator('#query').waitFor();
    console.error(`${file} step ${si + 1}`);
    const first = await run(step.solution);
    const times = [];
    for (let r = 0; r < REPEAT; r++) times.push(await run(step.solution));
    rows.push({ lesson: file.replace('.toml', ''), n: si + 1, id: step.id, question: step.question, first, median: median(times) });
  }
}
await close();

const f = (x) => x.toFixed(1);
console.log(`Clock: ${clock}. Each step's solution run ${REPEAT} times after a first run, through the lesson check in the app's query worker (release build, headless Chromium). The timer's resolution is 0.1 ms.\n`);
console.log(`| lesson | step | ms, median of ${REPEAT} | first run ms |\n|---|---|---:|---:|`);
for (const r of rows) console.log(`| ${r.lesson} | ${r.n} \`${r.id}\`${r.question ? ' (question: run only)' : ''} | ${f(r.median)} | ${f(r.first)} |`);
const over = rows.filter((r) => r.median > LIMIT_MS);
const slowest = rows.reduce((a, b) => (b.median > a.median ? b : a), rows[0]);
console.log(`\n${rows.length} steps; ${over.length} above ${LIMIT_MS} ms (median)${over.length ? `: ${over.map((r) => `${r.lesson} ${r.n}`).join(', ')}` : ''}; slowest ${slowest.lesson} ${slowest.n} at ${f(slowest.median)} ms.`);
