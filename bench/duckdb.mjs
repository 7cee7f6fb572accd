// kqlab against DuckDB-WASM in the same headless Chromium (issue 17, item 1).
//
//   node bench/duckdb.mjs [--rows 100000] [--repeat 5] [--filter s5] [--dist dist] [--markdown FILE]
//
// Needs a release site in dist/ (trunk build --release --public-url /kqlab/), the native binary
// (cargo build --release: it writes the tables as CSV, `kqlab gen ... --header plain`, the same
// files bench/peers.py uses) and `npm ci` (@duckdb/duckdb-wasm, pinned in package.json).
//
// A bench page of its own (bench/page/duckdb.html, never part of dist/) starts two workers:
// kqlab's query worker from the site's files, on the playground's generated tables (seed 42,
// clock 2026-11-22T12:00:00Z, --rows rows), and DuckDB-WASM's single-threaded worker from
// node_modules, into which the same tables are loaded from the CSV files before any timing.
// The SQL is bench/peers.py's (`--print-sql duckdb-wasm`). Query by query the engines take
// turns: row counts compared first, then each engine's batch size is calibrated (a batch lasts
// at least 50 ms, since Chromium coarsens performance.now() to 0.1 ms), it warms up for a
// second, and the median of --repeat batches gives the time per run.
//
// What a run includes. kqlab "engine": parse + bind + execute in the worker, producing the
// result table (`Bench` requests, timed inside the worker; a fresh worker per query, as in
// browser.mjs). kqlab "Run round trip": the app's own `Run` request timed from the page, the
// result encoded for the page and posted back (at most MAX_SHOWN_ROWS = 500,000 rows, what
// the grid can show). DuckDB: a RUN_QUERY round trip from the page, the result serialised as
// Arrow IPC and posted back. The round trip of DuckDB's `SELECT 1` is printed as the overhead
// of a message each way.

import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, NATIVE_BIN, option, median, loadQueries, startBenchServer, siteAssets, launchChromium } from './chromium.mjs';

const ROWS = Number(option('rows', 100000));
const REPEAT = Number(option('repeat', 5));
const FILTER = option('filter', '');
const DIST = option('dist', join(ROOT, 'dist'));
const WORK = option('work', join(ROOT, 'target', 'bench'));
const CLOCK = '2026-11-22T12:00:00Z';
const SEED = 42;
const PYTHON = process.env.PYTHON || 'python3';

const queries = loadQueries().filter((q) => q.name.includes(FILTER));
const sql = JSON.parse(execFileSync(PYTHON, [join(ROOT, 'bench', 'peers.py'), '--print-sql', 'duckdb-wasm'], { encoding: 'utf8' }));
const tables = ['UrlClickEvents', 'EmailEvents'].filter((t) => queries.some((q) => q.kql.includes(t)));

// 1. The data as CSV, generated once per size (the same files as bench/peers.py).
execFileSync('mkdir', ['-p', WORK]);
const files = {};
for (const t of tables) {
  const name = `${t}_${ROWS}_seed${SEED}.csv`;
  const path = join(WORK, name);
  if (!existsSync(path)) {
    execFileSync(NATIVE_BIN, ['gen', t, '--rows', String(ROWS), '--seed', String(SEED), '--now', CLOCK, '--header', 'plain', '--out', `${path}.tmp`], { stdio: 'inherit' });
    renameSync(`${path}.tmp`, path);
  }
  files[t] = name;
}

const server = await startBenchServer({
  '/kqlab/': DIST,
  '/bench/': join(ROOT, 'bench'),
  '/duckdb/': join(ROOT, 'node_modules', '@duckdb', 'duckdb-wasm', 'dist'),
  '/arrow/': join(ROOT, 'node_modules', 'apache-arrow'),
  '/data/': WORK,
});
const browser = await launchChromium();
const page = await (await browser.newContext()).newPage();
page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
page.on('console', (m) => { if (m.type() === 'error') console.error(`console: ${m.text().slice(0, 300)}`); });
await page.goto(`${server.origin}/bench/page/duckdb.html`);
await page.waitForFunction(() => globalThis.bench, null, { timeout: 60000 });

const assets = { base: `${server.origin}/kqlab/`, ...siteAssets(DIST), rows: ROWS, clock: Date.parse(CLOCK) * 10000 };
const call = (fn, ...args) => page.evaluate(([f, a]) => globalThis.bench[f](...a), [fn, args]);

// The datetime columns of each table (`kqlab tables`).
const datetimes = {};
let current = null;
for (const line of execFileSync(NATIVE_BIN, ['tables'], { encoding: 'utf8' }).split('\n')) {
  if (line && !line.startsWith(' ')) current = datetimes[line.trim()] = [];
  else if (current && /^\s+\S+\s+datetime\b/.test(line)) current.push(line.trim().split(/\s+/)[0]);
}

// 2. DuckDB loads the tables (not timed against kqlab; reported).
const duck = await call('startDuckdb');
console.error(`DuckDB-WASM ${duck.version} started in ${duck.ms.toFixed(0)} ms`);
const loads = {};
for (const t of tables) {
  loads[t] = await call('duckLoad', t, files[t], datetimes[t] || []);
  console.error(`  ${t}: ${loads[t].rows} rows loaded from CSV in ${loads[t].ms.toFixed(0)} ms`);
}

async function timeEngine(batchFn, text) {
  let n = 1;
  while ((await call(batchFn, text, n)) < 50 && n < 1 << 16) n *= 2;
  for (const t0 = Date.now(); Date.now() - t0 < 1000;) await call(batchFn, text, n);
  const per = [];
  for (let r = 0; r < REPEAT; r++) per.push((await call(batchFn, text, n)) / n);
  return median(per);
}

// The page-to-worker round trip that every DuckDB run includes.
const overhead = await timeEngine('duckBatch', 'SELECT 1');
console.error(`DuckDB round trip of SELECT 1: ${overhead.toFixed(3)} ms`);

// 3. Query by query, the engines in turn.
const rows = [];
for (const q of queries) {
  const d = sql[q.name];
  if (!d) { console.error(`${q.name}: no SQL equivalent in bench/peers.py`); continue; }
  const gen = await call('startKqlab', assets);
  const kqRows = await call('kqlabRows', q.kql);
  const dkRows = await call('duckRows', d);
  const kqlab = await timeEngine('kqlabBatch', q.kql);
  const kqlabRun = await timeEngine('kqlabRunBatch', q.kql);
  const duckdb = await timeEngine('duckBatch', d);
  rows.push({ name: q.name, kqlab, kqlabRun, duckdb, kqRows, dkRows, ratio: kqlab / duckdb, ratioRun: kqlabRun / duckdb });
  console.error(`  ${q.name.padEnd(24)} kqlab ${kqlab.toFixed(2).padStart(8)} (Run ${kqlabRun.toFixed(2)})  duckdb-wasm ${duckdb.toFixed(2).padStart(8)}  ratio ${(kqlab / duckdb).toFixed(2)}  rows ${kqRows}/${dkRows}  (kqlab opened the playground in ${gen.toFixed(0)} ms)`);
}
await browser.close();
await server.close();

const f = (x) => x.toFixed(2);
const out = [];
out.push(`${ROWS.toLocaleString('en')} rows, headless Chromium, one thread per engine, median of ${REPEAT} batches after a second of warm-up (milliseconds per run). DuckDB-WASM ${duck.version} (npm @duckdb/duckdb-wasm, single-threaded "eh" bundle); its round trip from the page for \`SELECT 1\` is ${f(overhead)} ms, included in its figures.`);
out.push('', '| query | kqlab engine | kqlab Run round trip | DuckDB-WASM round trip | kqlab engine / DuckDB | kqlab Run / DuckDB | rows (kqlab / DuckDB) |', '|---|---:|---:|---:|---:|---:|---|');
for (const r of rows) out.push(`| ${r.name} | ${f(r.kqlab)} | ${f(r.kqlabRun)} | ${f(r.duckdb)} | ${f(r.ratio)} | ${f(r.ratioRun)} | ${r.kqRows === r.dkRows ? r.kqRows : `**${r.kqRows} / ${r.dkRows}** ≠`} |`);
if (rows.length) {
  const gm = (k) => Math.exp(rows.reduce((a, r) => a + Math.log(r[k]), 0) / rows.length);
  const worst = (k) => rows.reduce((a, r) => (r[k] > a[k] ? r : a));
  const slower = rows.filter((r) => r.ratioRun >= 1).map((r) => r.name);
  out.push('', `Geometric mean of kqlab / DuckDB-WASM: **${f(gm('ratioRun'))}** round trip to round trip (highest ${f(worst('ratioRun').ratioRun)}, ${worst('ratioRun').name}), ${f(gm('ratio'))} engine time to round trip (highest ${f(worst('ratio').ratio)}, ${worst('ratio').name}); kqlab slower on ${slower.length ? slower.join(', ') : 'no query'}.`);
}
out.push('', `DuckDB-WASM loading the CSV files before timing: ${tables.map((t) => `${t} ${loads[t].rows.toLocaleString('en')} rows in ${(loads[t].ms / 1000).toFixed(1)} s`).join(', ')}.`);
const md = out.join('\n') + '\n';
console.log(md);
const mdFile = option('markdown', '');
if (mdFile) writeFileSync(mdFile, md);
