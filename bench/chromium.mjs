// What the browser benchmarks (browser.mjs) and the worker profiler (profile.mjs) share: their
// command-line options, the benchmark queries, a headless Chromium on the built site, a
// query worker of the bench's own driven with `Bench` requests, and the native binary.

import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../tests/e2e/serve.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const NATIVE_BIN = join(process.env.CARGO_TARGET_DIR || join(ROOT, 'target'), 'release', 'kqlab');

/** The value after `--name` on the command line, or `dflt`. */
export function option(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
}

/** Every value given with a repeatable `--name`. */
export function options(name) {
  return process.argv.flatMap((a, i) => (a === `--${name}` ? [process.argv[i + 1]] : []));
}

export const flag = (name) => process.argv.includes(`--${name}`);
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** bench/queries.txt as `[{ name, kql }]` (empty if the file is missing). */
export function loadQueries() {
  const file = join(ROOT, 'bench', 'queries.txt');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => {
    const i = l.indexOf(':');
    return { name: l.slice(0, i).trim(), kql: l.slice(i + 1).trim() };
  });
}

/**
 * Serves `dist` under /kqlab/ and opens a page in headless Chromium (playwright-core gives it a
 * fresh temporary profile on every launch). The page is not navigated yet.
 */
export async function openBrowser(dist) {
  const site = await startServer({ dir: dist, base: '/kqlab/' });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  page.on('crash', () => console.error('the page crashed'));
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') console.error(`console: ${m.text().slice(0, 500)}`); });
  const close = async () => {
    await browser.close();
    await site.close();
  };
  return { site, browser, page, close };
}

// The worker URL carries this extra parameter (worker.js ignores it) so that a DevTools client
// can tell the bench's worker from the app's own, which loads the same files.
export const BENCH_WORKER_TAG = 'role=bench';

/**
 * Starts (replacing the previous one), from a page where the app has booted, a query worker
 * of the bench's own on the same
 * files as the app's, opens the playground in it at `rows` rows on clock `clock` (ticks) and
 * defines `globalThis.__bench(query, repeat)` in the page: one `Bench` request, resolving to
 * the milliseconds the worker took for `repeat` runs.
 */
export async function startBenchWorker(page, { rows, clock }) {
  await page.waitForFunction(() => globalThis.__kqlab_assets, null, { timeout: 60000 });
  await page.evaluate(async ({ rows, clock, tag }) => {
    const a = globalThis.__kqlab_assets;
    if (globalThis.__benchWorker) globalThis.__benchWorker.terminate();
    // The engine's module (a build with one shared module has no `engine`: the app's).
    const files = a.engine ? `js=${a.engine}.js&wasm=${a.engine}_bg.wasm` : `js=${a.js}&wasm=${a.wasm}`;
    const w = new Worker(`${a.base}worker.js?${files}&${tag}`, { type: 'module' });
    let pending = null;
    const reply = () => new Promise((resolve) => { pending = resolve; });
    globalThis.__benchWorker = w;
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
  }, { rows, clock, tag: BENCH_WORKER_TAG });
}

/** Milliseconds the bench worker takes for `n` runs of `kql`. */
export const benchBatch = (page, kql, n) => page.evaluate(([k, c]) => globalThis.__bench(k, c), [kql, n]);

/**
 * The batch size that makes a `Bench` request last at least `minMs` (doubling from 1). The
 * runs also warm the worker up: by the end, the wasm code is in its optimised tier.
 */
export async function calibrate(page, kql, minMs = 50) {
  let batch = 1;
  while ((await benchBatch(page, kql, batch)) < minMs && batch < 1 << 16) batch *= 2;
  return batch;
}

/**
 * Runs `kql` in batches of `batch` for another `ms` milliseconds. V8 compiles hot wasm
 * functions with its optimising tier in the background, which on a busy machine takes a few
 * batches more than the calibration.
 */
export async function warmUp(page, kql, batch, ms = 1000) {
  for (const t0 = Date.now(); Date.now() - t0 < ms;) await benchBatch(page, kql, batch);
}

/** The native engine's median time for `repeat` runs of `kql` (`kqlab query --repeat`), or NaN. */
export function nativeMs(kql, { now, rows, repeat }) {
  try {
    const out = execFileSync(NATIVE_BIN, ['query', '--now', now, '--rows', String(rows), '--repeat', String(repeat), '--format', 'json', kql], { encoding: 'utf8', maxBuffer: 1 << 30 });
    return JSON.parse(out).elapsed_ms;
  } catch {
    return NaN;
  }
}

const BENCH_TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.toml': 'text/plain; charset=utf-8', '.md': 'text/markdown; charset=utf-8', '.csv': 'text/csv; charset=utf-8', '.json': 'application/json' };

/**
 * A static server for the bench pages: each `mounts` entry maps a path prefix ("/duckdb/") to a
 * folder. Files are streamed (the 1M-row CSV files are hundreds of MB), with the right MIME
 * types (application/wasm, so browsers can compile while downloading) and no caching.
 * Resolves to `{ origin, close() }`.
 */
export async function startBenchServer(mounts) {
  const { createServer } = await import('node:http');
  const { createReadStream, statSync } = await import('node:fs');
  const { extname, normalize, resolve, sep } = await import('node:path');
  const roots = Object.entries(mounts).map(([prefix, dir]) => [prefix, resolve(dir)]);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    const hit = roots.find(([prefix]) => path.startsWith(prefix));
    const fail = (status, text) => { res.writeHead(status, { 'Content-Type': 'text/plain' }); res.end(text); };
    if (!hit) return fail(404, `not found: ${path}`);
    let file = normalize(join(hit[1], path.slice(hit[0].length)));
    if (file !== hit[1] && !file.startsWith(hit[1] + sep)) return fail(403, 'forbidden');
    let info;
    try {
      info = statSync(file);
      if (info.isDirectory()) { file = join(file, 'index.html'); info = statSync(file); }
    } catch {
      return fail(404, `not found: ${path}`);
    }
    res.writeHead(200, { 'Content-Type': BENCH_TYPES[extname(file).toLowerCase()] || 'application/octet-stream', 'Content-Length': info.size, 'Cache-Control': 'no-store' });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  await new Promise((ok, fail) => { server.once('error', fail); server.listen(0, '127.0.0.1', ok); });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }) };
}

/** The hashed names of the wasm-bindgen glue and the wasm module in a built site's index.html. */
export function siteAssets(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const m = html.match(/boot\.js\?js=([A-Za-z0-9_.-]+)&(?:amp;)?wasm=([A-Za-z0-9_.-]+)(?:&(?:amp;)?engine=([A-Za-z0-9_.-]+))?/);
  if (!m) throw new Error(`${dist}/index.html does not name the app's files (is it a trunk build?)`);
  // The query worker's files: the engine module's (a build with one shared module: the app's).
  return m[3] ? { js: `${m[3]}.js`, wasm: `${m[3]}_bg.wasm` } : { js: m[1], wasm: m[2] };
}

/** Starts a headless Chromium the way `openBrowser` does, without a site. */
export async function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
