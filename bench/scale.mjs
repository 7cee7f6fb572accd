// The query worker at growing sizes (issue 17, item 2), in headless Chromium.
//
//   node bench/scale.mjs [--rows 1000000,2000000,5000000,8000000,10000000] [--repeat 3] [--dist dist] [--markdown FILE]
//
// For each size, a fresh worker of the app's files (bench/page/kqlab-worker.js: the app's
// worker.js plus a memory probe) opens the playground (seed 42, clock 2026-11-22T12:00:00Z),
// then: the time to open it (which generates UrlClickEvents and EmailEvents; the other mail
// tables and the device tables are generated on first use, and no benchmark query reads
// them), the size of the wasm linear memory afterwards (the heap's high-water mark, per
// UrlClickEvents row), every benchmark query's time (median of --repeat single runs after one
// untimed run, timed in the worker, whose clock has 0.1 ms resolution here; enough at these
// sizes), and last the first query that reads each of the three lazily generated mail tables
// (`T | count`; the time includes generating them) with the memory after them. The playground accepts at most
// MAX_PLAYGROUND_ROWS rows (src/app/worker.rs); a larger size is generated at that size (the
// row counts in the table show it). A size the tab cannot hold ends with the worker's crash
// (wasm32's 4 GiB heap), reported with the time it ran.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, option, median, loadQueries, startBenchServer, siteAssets, launchChromium } from './chromium.mjs';

const SIZES = option('rows', '1000000,2000000,5000000,8000000,10000000').split(',').map(Number);
const REPEAT = Number(option('repeat', 3));
const DIST = option('dist', join(ROOT, 'dist'));
const CLOCK = '2026-11-22T12:00:00Z';
const queries = loadQueries();

const server = await startBenchServer({ '/kqlab/': DIST, '/bench/': join(ROOT, 'bench') });
const browser = await launchChromium();
const page = await (await browser.newContext()).newPage();
page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('bad request')) console.error(`console: ${m.text().slice(0, 300)}`); });
await page.goto(`${server.origin}/bench/page/duckdb.html`);
const { js, wasm } = siteAssets(DIST);

const results = [];
for (const rows of SIZES) {
  console.error(`== ${rows} rows`);
  const r = await page.evaluate(async ({ src, rows, clock, queries, repeat }) => {
    const w = new Worker(src, { type: 'module' });
    let pending = null;
    const inbox = [];
    w.onmessage = (e) => { if (pending) { const p = pending; pending = null; p(e.data); } else inbox.push(e.data); };
    let crashed = null;
    w.onerror = (e) => { crashed = e.message || 'worker error'; if (pending) pending({ crashed }); };
    const next = () => (inbox.length ? Promise.resolve(inbox.shift()) : new Promise((ok) => { pending = ok; }));
    const ask = (m) => { w.postMessage(m); return next(); };
    const out = { rows, queries: [] };
    if ((await next()) !== 'loaded') throw new Error('worker did not load');
    await ask({ clock });
    out.memBefore = (await ask({ memory: true })).memory;
    // Opening the playground generates UrlClickEvents and EmailEvents (the other mail tables
    // and the device tables wait for their first use).
    const t0 = performance.now();
    let m = await ask({ OpenPlayground: { tables: [], seed: 42, rows } });
    out.open = performance.now() - t0;
    if (!m.reply || !m.reply.Opened) return { ...out, error: JSON.stringify(m).slice(0, 300) };
    const run = async (query) => {
      const t0 = performance.now();
      const a = await ask({ Run: { id: 1, target: 'Playground', query } });
      const wall = performance.now() - t0;
      if (a.crashed || a.panic) return { error: a.crashed || a.panic };
      const ran = a.reply && a.reply.Ran;
      if (!ran || ran.errors.length) return { error: JSON.stringify(a.reply).slice(0, 300) };
      return { ms: ran.elapsed_ms, wall, total: ran.total_rows };
    };
    out.memAfterGen = (await ask({ memory: true })).memory;
    // The row counts (the playground clamps the size it is asked for).
    for (const t of ['UrlClickEvents', 'EmailEvents']) out[`rows_${t}`] = (await run(`${t} | project Timestamp`)).total;
    for (const q of queries) {
      const first = await run(q.kql);
      if (first.error) { out.queries.push({ name: q.name, error: first.error }); if (crashed) break; continue; }
      const times = [];
      for (let i = 0; i < repeat; i++) times.push((await run(q.kql)).ms);
      times.sort((a, b) => a - b);
      out.queries.push({ name: q.name, ms: times[Math.floor(times.length / 2)], rows: first.total });
    }
    out.memEnd = crashed ? null : (await ask({ memory: true })).memory;
    if (!crashed) {
      // The mail tables generated on first read: a count of each, timed together.
      out.lazy = { wall: 0 };
      for (const t of ['EmailUrlInfo', 'EmailAttachmentInfo', 'EmailPostDeliveryEvents']) {
        const lazy = await run(`${t} | count`);
        if (lazy.error) { out.lazy = { error: `${t}: ${lazy.error}` }; break; }
        out.lazy.wall += lazy.wall;
      }
      out.memLazy = crashed ? null : (await ask({ memory: true })).memory;
    }
    out.crashed = crashed;
    w.terminate();
    return out;
  }, { src: `${server.origin}/bench/page/kqlab-worker.js?base=${encodeURIComponent(`${server.origin}/kqlab/`)}&js=${js}&wasm=${wasm}`, rows, clock: Date.parse(CLOCK) * 10000, queries, repeat: REPEAT });
  console.error(JSON.stringify(r));
  results.push(r);
}
await browser.close();
await server.close();

const mib = (b) => (b / 1048576).toFixed(0);
const out = [];
out.push(`Headless Chromium, the app's query worker (release build), one fresh worker per size; milliseconds timed in the worker (median of ${REPEAT} runs after an untimed one). "wasm memory" is the module's linear memory, which never shrinks: the heap's high-water mark.`, '');
out.push(`| rows asked | UrlClickEvents rows | EmailEvents rows | open (generate the click and mail events tables) ms | wasm memory after generating MiB | bytes per UrlClickEvents row (two tables) | wasm memory after the benchmark queries MiB | first read of the other three mail tables (generates them) ms | wasm memory after it MiB |`, '|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  if (r.error) { out.push(`| ${r.rows.toLocaleString('en')} | failed after ${(r.open / 1000).toFixed(0)} s of opening: ${r.error.replace(/^\{"crashed":"(.*)"\}$/, 'the worker crashed ($1)').replace(/\|/g, '/')} | | | | | | | |`); continue; }
  const lazy = !r.lazy ? 'not run' : r.lazy.error ? `failed: ${r.lazy.error.replace(/\|/g, '/').slice(0, 120)}` : r.lazy.wall.toFixed(0);
  out.push(`| ${r.rows.toLocaleString('en')} | ${r.rows_UrlClickEvents.toLocaleString('en')} | ${r.rows_EmailEvents.toLocaleString('en')} | ${r.open.toFixed(0)} | ${mib(r.memAfterGen)} | ${((r.memAfterGen - r.memBefore) / r.rows_UrlClickEvents).toFixed(0)} | ${r.memEnd ? mib(r.memEnd) : 'crashed'} | ${lazy} | ${r.memLazy ? mib(r.memLazy) : (r.lazy ? 'crashed' : '')} |`);
}
out.push('', `| query | ${results.map((r) => `${(r.rows_UrlClickEvents || r.rows).toLocaleString('en')} rows, ms`).join(' | ')} |`, `|---|${results.map(() => '---:').join('|')}|`);
for (const q of queries) {
  out.push(`| ${q.name} | ${results.map((r) => { const x = (r.queries || []).find((y) => y.name === q.name); return x ? (x.error ? 'error' : x.ms.toFixed(1)) : ''; }).join(' | ')} |`);
}
const md = out.join('\n') + '\n';
console.log(md);
const mdFile = option('markdown', '');
if (mdFile) writeFileSync(mdFile, md);
