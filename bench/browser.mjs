// Browser benchmarks (issue 6): the engine compiled to wasm, in headless Chromium, against the
// same engine native.
//
//   node bench/browser.mjs [--rows 100000] [--repeat 5] [--dist other-dist-folder]
//
// Needs a release site in dist/ (trunk build --release --public-url /kqlab/), or in the
// --dist folder to compare builds, and the native
// binary (cargo build --release). Prints three tables:
//  1. the benchmark queries (bench/queries.txt) on the playground at --rows: wasm engine time,
//     native time (`kqlab query --repeat`), and their ratio;
//  2. every lesson step's solution at the lesson's own data size: engine time in the worker and
//     the round trip from Run to the result on the page (target: under 16 ms, one frame);
//  3. the time from navigation to a usable lesson.

import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../tests/e2e/serve.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const ROWS = arg('rows', 100000);
const REPEAT = arg('repeat', 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const queriesFile = join(ROOT, 'bench', 'queries.txt');
const queries = existsSync(queriesFile)
  ? readFileSync(queriesFile, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => {
      const i = l.indexOf(':');
      return { name: l.slice(0, i).trim(), kql: l.slice(i + 1).trim() };
    })
  : [];

const distArg = process.argv.indexOf('--dist');
const DIST = distArg > 0 ? process.argv[distArg + 1] : join(ROOT, 'dist');
const site = await startServer({ dir: DIST, base: '/kqlab/' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
page.on('crash', () => console.error('the page crashed'));
page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
page.on('console', (m) => { if (m.type() === 'error') console.error(`console: ${m.text().slice(0, 500)}`); });

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

// 2. Lesson solutions.
const lessonRows = [];
const index = readFileSync(join(ROOT, 'lessons', 'index.toml'), 'utf8');
const files = [...index.matchAll(/file\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
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
if (queries.length) {
  const clockTicks = Date.parse(now) * 10000;
  await page.evaluate(async ({ rows, clock }) => {
    const a = globalThis.__kqlab_assets;
    const w = new Worker(`${a.base}worker.js?js=${a.js}&wasm=${a.wasm}`, { type: 'module' });
    let pending = null;
    const reply = () => new Promise((resolve) => { pending = resolve; });
    w.onmessage = (e) => { const p = pending; pending = null; if (p) p(e.data); };
    let m = await reply(); // "loaded"
    if (m !== 'loaded') throw new Error(`bench worker: ${JSON.stringify(m)}`);
    w.postMessage({ clock });
    m = await reply(); // "ready"
    w.postMessage({ OpenPlayground: { tables: [], seed: 42, rows } });
    m = await reply();
    if (!m.reply || !m.reply.Opened) throw new Error(`bench worker: ${JSON.stringify(m).slice(0, 300)}`);
    globalThis.__bench = async (query, repeat) => {
      w.postMessage({ Bench: { query, repeat } });
      const r = await reply();
      const b = r.reply && r.reply.Benched;
      if (!b || b.error) throw new Error(`bench worker: ${b ? b.error : JSON.stringify(r).slice(0, 300)}`);
      return b.elapsed_ms;
    };
  }, { rows: ROWS, clock: clockTicks });
  const bin = join(ROOT, 'target', 'release', 'kqlab');
  for (const q of queries) {
    console.error(`bench ${q.name}`);
    // Calibrate: double the batch until it takes >= 50 ms.
    let batch = 1;
    let ms = await page.evaluate(([k, n]) => globalThis.__bench(k, n), [q.kql, batch]);
    while (ms < 50 && batch < 1 << 16) {
      batch *= 2;
      ms = await page.evaluate(([k, n]) => globalThis.__bench(k, n), [q.kql, batch]);
    }
    const times = [];
    for (let r = 0; r < REPEAT; r++) {
      times.push((await page.evaluate(([k, n]) => globalThis.__bench(k, n), [q.kql, batch])) / batch);
    }
    let native = NaN;
    try {
      const out = execFileSync(bin, ['query', '--now', now, '--rows', String(ROWS), '--repeat', String(Math.max(REPEAT, batch)), '--format', 'json', q.kql], { encoding: 'utf8', maxBuffer: 1 << 30 });
      native = JSON.parse(out).elapsed_ms;
    } catch (e) {
      native = NaN;
    }
    const wasm = median(times);
    benchRows.push({ name: q.name, wasm, native, ratio: wasm / native, batch });
  }
}

await browser.close();
await site.close();

const f = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
console.log(`\n### Benchmark queries at ${ROWS.toLocaleString('en')} rows: wasm (Chromium) vs native\n`);
console.log('| query | wasm ms | native ms | wasm/native |\n|---|---:|---:|---:|');
for (const r of benchRows) console.log(`| ${r.name} | ${f(r.wasm)} | ${f(r.native)} | ${f(r.ratio)} |`);
const ratios = benchRows.map((r) => r.ratio).filter(Number.isFinite);
if (ratios.length) console.log(`| **geometric mean** | | | **${f(Math.exp(ratios.reduce((a, b) => a + Math.log(b), 0) / ratios.length))}** |`);
console.log('\n### Lesson solutions in Chromium (lesson data size)\n');
console.log('| lesson | step | engine ms (worker) | Run → result on page ms |\n|---|---:|---:|---:|');
for (const r of lessonRows) console.log(`| ${r.lesson} | ${r.step} | ${f(r.engine)} | ${f(r.roundtrip)} |`);
const over = lessonRows.filter((r) => r.engine > 16);
console.log(`\n${lessonRows.length} lesson queries; ${over.length} above 16 ms of engine time; slowest ${f(Math.max(...lessonRows.map((r) => r.engine)))} ms.`);
console.log(`\nNavigation to a usable lesson: ${usableMs} ms.`);
