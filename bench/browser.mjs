// Browser benchmarks (issue 6): the engine compiled to wasm, in headless Chromium, against the
// same engine native.
//
//   node bench/browser.mjs [--rows 100000] [--repeat 5] [--dist other-dist-folder] [--skip-lessons]
//                          [--filter s2_,x2_] [--ab baseline-dist-folder]
//
// --filter keeps the benchmark queries whose names start with one of the given prefixes.
// --ab compares two builds on a loaded machine: a second browser opens the other site, and
// for each query the two sites' bench workers run their batches in turn (A, B, A, B, …), so
// both see the same load; a fourth column gives this build's time over the other's, and the
// geometric mean of those ratios is printed below the table.
//
// Needs a release site in dist/ (trunk build --release --public-url /kqlab/), or in the
// --dist folder to compare builds, and the native
// binary (cargo build --release). Prints three tables:
//  1. the benchmark queries (bench/queries.txt) on the playground at --rows: wasm engine time,
//     native time (`kqlab query --repeat`), and their ratio;
//  2. every lesson step's solution at the lesson's own data size: engine time in the worker and
//     the round trip from Run to the result on the page (target: under 16 ms, one frame);
//     --skip-lessons leaves it out (when comparing builds on the benchmark queries only);
//  3. the time from navigation to a usable lesson.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, option, flag, median, loadQueries, openBrowser, startBenchWorker, benchBatch, calibrate, warmUp, nativeMs } from './chromium.mjs';

const ROWS = Number(option('rows', 100000));
const REPEAT = Number(option('repeat', 5));
const prefixes = option('filter', '').split(',').filter(Boolean);
const queries = loadQueries().filter((q) => !prefixes.length || prefixes.some((p) => q.name.startsWith(p)));
const { site, page, close } = await openBrowser(option('dist', join(ROOT, 'dist')));
const abDist = option('ab', '');
const other = abDist ? await openBrowser(abDist) : null;

async function runQuery(kql) {
  // Read without waiting: a freshly opened step shows no result yet.
  const before = await page.evaluate(() => document.querySelector('.run-stats')?.getAttribute('data-roundtrip-ms') ?? null);
  await page.fill('#query', kql);
  await page.keyboard.press('Escape');
  await page.locator('#query').press('Control+Enter');
  // Wait for a new result (or an error verdict). Two runs can take the same time to the
  // browser's timer resolution, and then the page has nothing new to show: after 3 s without
  // a change and with no run in progress, the result shown is this run's.
  const done = (prev) => {
    const s = document.querySelector('.run-stats');
    const err = document.querySelector('.run-errors, .verdict.error');
    return (s && !document.querySelector('.running') && s.getAttribute('data-roundtrip-ms') !== prev) || err;
  };
  try {
    await page.waitForFunction(done, before, { timeout: 3000 });
  } catch {
    await page.waitForFunction(() => !document.querySelector('.running'), null, { timeout: 120000 });
  }
  const stats = page.locator('.run-stats');
  if (!(await stats.count())) return null;
  return { engine: Number(await stats.getAttribute('data-engine-ms')), roundtrip: Number(await stats.getAttribute('data-roundtrip-ms')) };
}

function clockOf(text) {
  const m = text.match(/(\d{4}-\d\d-\d\d) (\d\d:\d\d)/);
  return `${m[1]}T${m[2]}:00Z`;
}

// 3. Navigation to a usable lesson (first lesson open, editor ready).
const t0 = Date.now();
await page.goto(site.url);
await page.locator('.lesson-card .lesson-open').first().click();
await page.locator('.schema-pane').waitFor({ timeout: 60000 });
const usableMs = Date.now() - t0;
const now = clockOf(await page.locator('.data-clock').textContent());
if (other) {
  await other.page.goto(other.site.url);
  await other.page.locator('.data-clock').waitFor({ timeout: 60000 });
}

// 2. Lesson solutions.
const lessonRows = [];
const index = readFileSync(join(ROOT, 'lessons', 'index.toml'), 'utf8');
const files = flag('skip-lessons') ? [] : [...index.matchAll(/file\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
for (const [li, file] of files.entries()) {
  const text = readFileSync(join(ROOT, 'lessons', file), 'utf8');
  const solutions = [...text.matchAll(/^solution\s*=\s*'''\n?([\s\S]*?)'''/gm)].map((m) => m[1].trim());
  await page.locator('#lesson-picker').selectOption(String(li));
  await page.locator('.schema-pane').waitFor({ timeout: 60000 });
  for (const [si, sol] of solutions.entries()) {
    await page.locator('.step-list .step-item').nth(si).locator('button').click();
    await page.locator('#query').waitFor();
    const engine = [];
    const roundtrip = [];
    console.error(`lesson ${file} step ${si + 1}`);
    for (let r = 0; r < REPEAT; r++) {
      const m = await runQuery(sol);
      if (m) {
        engine.push(m.engine);
        roundtrip.push(m.roundtrip);
      }
    }
    if (engine.length) lessonRows.push({ lesson: file.replace('.toml', ''), step: si + 1, engine: median(engine), roundtrip: median(roundtrip) });
  }
}

// 1. Benchmark queries, wasm vs native, at ROWS. The page's own runs are timed with
// performance.now(), which Chromium coarsens to 0.1 ms here (no cross-origin isolation): too
// coarse for sub-millisecond queries. So the queries run in a worker of their own, started
// from the same files as the app's, which runs each one in batches (`Bench` requests) long
// enough (>= 50 ms) for that resolution not to matter: the time per run is a batch's time
// divided by its size, median of REPEAT batches.
const benchRows = [];
// Each query gets a fresh worker and a second of warm-up: at opt-level "z" V8's optimising
// tier does the inlining LLVM left out, once per function, shaped by the calls that were hot
// so far, so in a shared worker a query's time depended on the queries run before it (s7
// measured 0.45 ms first, 1 ms after s1…s6).
if (queries.length) {
  for (const q of queries) {
    console.error(`bench ${q.name}`);
    await startBenchWorker(page, { rows: ROWS, clock: Date.parse(now) * 10000 });
    const batch = await calibrate(page, q.kql);
    if (other) await startBenchWorker(other.page, { rows: ROWS, clock: Date.parse(now) * 10000 });
    await warmUp(page, q.kql, batch);
    if (other) await warmUp(other.page, q.kql, batch);
    const times = [];
    const otherTimes = [];
    for (let r = 0; r < REPEAT; r++) {
      times.push((await benchBatch(page, q.kql, batch)) / batch);
      if (other) otherTimes.push((await benchBatch(other.page, q.kql, batch)) / batch);
    }
    const native = nativeMs(q.kql, { now, rows: ROWS, repeat: Math.max(REPEAT, batch) });
    const wasm = median(times);
    const base = other ? median(otherTimes) : NaN;
    benchRows.push({ name: q.name, wasm, native, ratio: wasm / native, batch, base });
  }
}

await close();
if (other) await other.close();

const f = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
console.log(`\n### Benchmark queries at ${ROWS.toLocaleString('en')} rows: wasm (Chromium) vs native\n`);
const gmean = (xs) => Math.exp(xs.reduce((a, b) => a + Math.log(b), 0) / xs.length);
if (other) {
  console.log(`(the other build, --ab: ${abDist}; its bench worker took turns with this one's, batch by batch)\n`);
  console.log('| query | wasm ms | native ms | wasm/native | other build ms | this / other |\n|---|---:|---:|---:|---:|---:|');
  for (const r of benchRows) console.log(`| ${r.name} | ${f(r.wasm)} | ${f(r.native)} | ${f(r.ratio)} | ${f(r.base)} | ${f(r.wasm / r.base)} |`);
} else {
  console.log('| query | wasm ms | native ms | wasm/native |\n|---|---:|---:|---:|');
  for (const r of benchRows) console.log(`| ${r.name} | ${f(r.wasm)} | ${f(r.native)} | ${f(r.ratio)} |`);
}
const ratios = benchRows.map((r) => r.ratio).filter(Number.isFinite);
if (ratios.length) console.log(`| **geometric mean** | | | **${f(gmean(ratios))}** |${other ? ` | **${f(gmean(benchRows.map((r) => r.wasm / r.base).filter(Number.isFinite)))}** |` : ''}`);
if (other) {
  const otherRatios = benchRows.map((r) => r.base / r.native).filter(Number.isFinite);
  if (otherRatios.length) console.log(`\nThe other build's wasm/native against the same native times: geometric mean ${f(gmean(otherRatios))}.`);
}
if (lessonRows.length) {
  console.log('\n### Lesson solutions in Chromium (lesson data size)\n');
  console.log('| lesson | step | engine ms (worker) | Run → result on page ms |\n|---|---:|---:|---:|');
  for (const r of lessonRows) console.log(`| ${r.lesson} | ${r.step} | ${f(r.engine)} | ${f(r.roundtrip)} |`);
  const over = lessonRows.filter((r) => r.engine > 16);
  console.log(`\n${lessonRows.length} lesson queries; ${over.length} above 16 ms of engine time; slowest ${f(Math.max(...lessonRows.map((r) => r.engine)))} ms.`);
}
console.log(`\nNavigation to a usable lesson: ${usableMs} ms.`);
