// Time to a usable lesson on throttled networks (issue 17, item 3), in headless Chromium.
//
//   node bench/load.mjs [--dist dist] [--runs 5] [--profile fast|slow|none ...] [--markdown FILE]
//                       [--no-sw] [--label TEXT] [--check-url https://…/app.wasm] [--screenshot FILE.png]
//
// The site is served the way GitHub Pages serves it: gzip (-9, prepared once) for text and
// wasm, `Cache-Control: max-age=600`, an ETag, and 304 for a matching If-None-Match. The page
// gets DevTools network throttling (Network.emulateNetworkConditions, which Chromium applies to
// the page's dedicated workers too): "fast" 10 Mbit/s down, 5 up, 40 ms RTT; "slow" 1.6 Mbit/s
// down, 0.75 up, 150 ms RTT (Lighthouse's "slow 4G"). A few CPU cores are free or not
// depending on the other work on this machine: no CPU throttling is added.
//
// "Usable" means all three of: the first lesson's step text is on screen (`.step-view`), its
// worker is ready (the worker loaded the module and prepared the lesson's tables: the schema
// pane is shown, which happens when the worker's `Opened` reply arrives), and the editor takes
// input (a character typed into `#query` shows up in it). The clock starts at navigation
// (performance.timeOrigin) and stops when the typed character is in the editor. A script
// injected before the page's own clicks the first lesson as soon as the list shows it (a
// learner with no reaction time), so the figure is the page's, not the harness's. "First
// paint" is when the home page first lists a lesson (the page's module alone draws it); "first
// result" is when, after "usable", the text `UrlClickEvents | take 3` put into the editor and
// Run give a result grid (the first query through the worker). "Worker
// start" is from the query worker's creation to its first message (the engine module
// downloaded, compiled and instantiated there, and listening).
//
// Cold: a fresh browser profile (empty HTTP cache, no service worker). Warm: a second
// navigation in the same profile, once the service worker (www/sw.js, registered by boot.js
// after the first visit started) has saved the build, as on a learner's next visit: the page,
// the module and the lessons come from its cache and only index.html goes to the network (its
// check for a newer build). `--no-sw` opens the site with `?nosw` instead, so the warm visit
// is served by the HTTP cache (fresh for max-age=600). V8's code cache may hold the compiled
// module in both. Median of --runs for each.

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { extname, join, relative } from 'node:path';
import { ROOT, option, options, median, launchChromium } from './chromium.mjs';

const DIST = option('dist', join(ROOT, 'dist'));
const RUNS = Number(option('runs', 5));
const PROFILES = {
  none: null,
  fast: { latency: 40, downloadThroughput: (10e6 / 8), uploadThroughput: (5e6 / 8) },
  slow: { latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (0.75e6 / 8) },
};
const wanted = options('profile').length ? options('profile') : ['fast', 'slow'];
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.toml': 'text/plain; charset=utf-8', '.md': 'text/markdown; charset=utf-8', '.csv': 'text/csv; charset=utf-8', '.py': 'text/plain; charset=utf-8' };
const MIME = option('wasm-mime', 'application/wasm');

// Every file of the site, read and gzipped once.
const files = new Map();
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else {
      const body = readFileSync(p);
      const type = extname(p) === '.wasm' ? MIME : TYPES[extname(p)] || 'application/octet-stream';
      // Compressed by file kind, not by the MIME type sent, so a --wasm-mime variant changes
      // only the type (and with it streaming compilation), not the bytes.
      const gz = /^\.(html|js|wasm|css|svg|toml|md|csv|py)$/.test(extname(p)) ? gzipSync(body, { level: 9 }) : null;
      files.set('/kqlab/' + relative(DIST, p), { body, gz, type, etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"` });
    }
  }
})(DIST);

const served = [];
const server = createServer((req, res) => {
  let path = new URL(req.url, 'http://x').pathname;
  if (path.endsWith('/')) path += 'index.html';
  const f = files.get(path);
  if (!f) { res.writeHead(404); return res.end(); }
  const headers = { 'Content-Type': f.type, 'Cache-Control': 'max-age=600', ETag: f.etag, Vary: 'Accept-Encoding' };
  if (req.headers['if-none-match'] === f.etag) { served.push({ path, status: 304, bytes: 0 }); res.writeHead(304, headers); return res.end(); }
  const gz = f.gz && /gzip/.test(req.headers['accept-encoding'] || '');
  const body = gz ? f.gz : f.body;
  if (gz) headers['Content-Encoding'] = 'gzip';
  headers['Content-Length'] = body.length;
  served.push({ path, status: 200, bytes: body.length });
  res.writeHead(200, headers);
  res.end(body);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const NO_SW = process.argv.includes('--no-sw');
const url = `http://127.0.0.1:${server.address().port}/kqlab/${NO_SW ? '?nosw' : ''}`;

// After a cold visit: waits until the service worker has saved the whole build (sw.js writes
// the build id under kqlab-meta/__meta/current once every file is cached), as it would have
// long before a learner's second visit. Returns the milliseconds waited.
async function swSaved(page) {
  if (NO_SW) return 0;
  const t = Date.now();
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    if (!reg || !reg.active) return false;
    const meta = await caches.open('kqlab-meta');
    return !!(await meta.match(new URL('__meta/current', reg.scope).href));
  }, null, { timeout: 120000, polling: 200 });
  return Date.now() - t;
}

// Runs in the page before its own scripts: clicks the first lesson when it is listed, types a
// character into the editor once the lesson and its worker are ready, and records when.
const PROBE = () => {
  const t = (globalThis.__usable = {});
  // How long the query worker takes to start: from its creation to its "loaded" message
  // (the module instantiated in the worker and its message loop listening).
  const Native = globalThis.Worker;
  if (Native) {
    globalThis.Worker = class extends Native {
      constructor(...args) {
        super(...args);
        const created = performance.now();
        const onLoaded = (e) => {
          if (e.data !== 'loaded') return;
          if (t.workerStart === undefined) t.workerStart = performance.now() - created;
          this.removeEventListener('message', onLoaded);
        };
        this.addEventListener('message', onLoaded);
      }
    };
  }
  const tick = () => {
    const open = document.querySelector('.lesson-card .lesson-open');
    // First paint of the app: the home page's lesson list (drawn by the page's module alone).
    if (open && !t.paint) t.paint = performance.now();
    if (!t.clicked && open && !document.querySelector('.step-view')) { t.clicked = performance.now(); open.click(); }
    const step = document.querySelector('.step-view');
    if (step && !t.text && step.textContent.trim().length > 20) t.text = performance.now();
    if (document.querySelector('.schema-pane') && !t.worker) t.worker = performance.now();
    const q = document.querySelector('#query');
    if (q && !t.editor) t.editor = performance.now();
    if (t.text && t.worker && q && !t.typed) {
      t.typed = performance.now();
      q.focus();
      // What a key press does to a textarea: insert the text where the caret is.
      document.execCommand('insertText', false, 'U');
    }
    if (t.typed && q && q.value.includes('U') && !t.usable) {
      t.usable = performance.now();
      // Then the first query result: replace the text with a query and press Run.
      q.select();
      document.execCommand('insertText', false, 'UrlClickEvents | take 3');
      const run = document.querySelector('.run-button');
      if (run) { t.ran = performance.now(); run.click(); }
    }
    if (t.ran && !t.result && document.querySelector('.grid')) t.result = performance.now();
    if (!t.result) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};

async function visit(page, conditions) {
  served.length = 0;
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => globalThis.__usable && globalThis.__usable.result, null, { timeout: 120000, polling: 50 });
  const r = await page.evaluate(() => globalThis.__usable);
  const bytes = served.reduce((a, s) => a + s.bytes, 0);
  // Served by the service worker (no request reached the server for it) or by the network.
  const fromSw = await page.evaluate(() => !!navigator.serviceWorker && !!navigator.serviceWorker.controller);
  if (process.argv.includes('--verbose')) console.error(served.map((s) => `  ${s.status} ${s.bytes} ${s.path}`).join('\n'));
  return { ...r, bytes, requests: served.length, not_modified: served.filter((s) => s.status === 304).length, sw: fromSw };
}

const results = {};
for (const name of wanted) {
  const cond = PROFILES[name];
  const cold = [];
  const warm = [];
  for (let i = 0; i < RUNS; i++) {
    const browser = await launchChromium();
    const context = await browser.newContext();
    await context.addInitScript(PROBE);
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    if (cond) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...cond });
    cold.push(await visit(page, cond));
    // --screenshot FILE: what the page showed when it was counted usable (first cold visit).
    if (i === 0 && option('screenshot', '')) await page.screenshot({ path: option('screenshot', '').replace('.png', `-${name}.png`) });
    const waited = await swSaved(page);
    warm.push({ ...(await visit(page, cond)), waited });
    const w = warm.at(-1);
    console.error(`${name} run ${i + 1}: cold ${cold.at(-1).usable.toFixed(0)} ms (${cold.at(-1).bytes} bytes, worker start ${(cold.at(-1).workerStart ?? NaN).toFixed(0)} ms), warm ${(w.workerStart ?? NaN).toFixed(0)} ms worker start, ${w.usable.toFixed(0)} ms (${w.bytes} bytes, ${w.not_modified} not modified, ${w.sw ? 'service worker' : 'HTTP cache'}; waited ${w.waited} ms for the service worker)`);
    await browser.close();
  }
  results[name] = { cold, warm };
}
server.close();

const med = (xs, k) => median(xs.map((x) => x[k]));
const f0 = (x) => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(0));
const label = option('label', '');
const out = [];
out.push(`${label ? `${label}: ` : ''}median of ${RUNS} runs, milliseconds from navigation; bytes are what the server sent (gzip).`, '');
out.push('| profile | visit | served by | first paint | lesson text | worker start | worker ready | usable | first result | bytes | requests |', '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const [name, r] of Object.entries(results)) {
  for (const visitName of ['cold', 'warm']) {
    const v = r[visitName];
    const by = visitName === 'cold' ? 'network' : v.every((x) => x.sw) ? 'service worker' : v.some((x) => x.sw) ? 'mixed' : 'HTTP cache';
    out.push(`| ${name} | ${visitName} | ${by} | ${f0(med(v, 'paint'))} | ${f0(med(v, 'text'))} | ${f0(med(v, 'workerStart'))} | ${f0(med(v, 'worker'))} | **${f0(med(v, 'usable'))}** | ${f0(med(v, 'result'))} | ${med(v, 'bytes')} | ${med(v, 'requests')} |`);
  }
}
const md = out.join('\n') + '\n';
console.log(md);
const mdFile = option('markdown', '');
if (mdFile) writeFileSync(mdFile, md);

// Optional: what a deployed site sends for its wasm module (the MIME type decides whether
// browsers compile it while it downloads).
const check = option('check-url', '');
if (check) {
  try {
    const r = await fetch(check, { method: 'HEAD' });
    console.log(`${check}: ${r.status}, Content-Type ${r.headers.get('content-type')}, Content-Encoding ${r.headers.get('content-encoding')}`);
  } catch (e) {
    console.log(`${check}: ${e.message}`);
  }
}
if (!existsSync(DIST)) process.exit(1);
