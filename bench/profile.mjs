// Where the time goes, wasm against native: CPU profiles of benchmark queries in the query
// worker (headless Chromium, V8's sampling profiler through the DevTools protocol) and in the
// native binary (perf), side by side.
//
//   node bench/profile.mjs [--query NAME]... [--kql FILE]... [--dist target/dist-prof]
//                          [--rows 100000] [--now 2026-11-22T12:00:00Z] [--seconds 4]
//                          [--top 20] [--out target/bench] [--no-native]
//
// --kql profiles the query in FILE instead (named after the file), for instance a lesson
// step's solution at the lessons' size and clock (--rows 5000 --now ...).
//
// --query names a query of bench/queries.txt (repeatable; default: the ones above 2x native
// in the browser table of BENCHMARKS.md when this default was last updated). Each query runs
// in a worker of the bench's own (as in browser.mjs) for --seconds while the worker is
// profiled, then natively under `perf record` for about as long. For each query it prints the
// top --top functions by self time, in percent of the samples taken inside the engine
// (kqlab::engine::run: query parsing, binding and execution; not the worker's message handling
// or the native data generation), and writes NAME.cpuprofile (open it in DevTools'
// Performance panel) and NAME.perf.data (perf report -i ...) under --out.
//
// The queries share one worker, in the order given, and that order matters for the wasm side:
// V8 compiles each hot wasm function once with its optimising tier, inlining the calls that
// were hot in the baseline tier until then, so the first queries decide how well the shared
// code (kqlab::exec::run above all) suits the later ones.
//
// The site must keep its wasm function names: build it with bench/build-profiling.sh (the
// default --dist is where that script puts it). Native needs target/release/kqlab and perf.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, NATIVE_BIN, option, options, flag, median, loadQueries, openBrowser, startBenchWorker, benchBatch, calibrate, warmUp, nativeMs, BENCH_WORKER_TAG } from './chromium.mjs';

const DIST = option('dist', join(ROOT, 'target', 'dist-prof'));
const ROWS = Number(option('rows', 100000));
const SECONDS = Number(option('seconds', 4));
const TOP = Number(option('top', 20));
const OUT = option('out', join(ROOT, 'target', 'bench'));
const NOW = option('now', '2026-11-22T12:00:00Z'); // the benchmark clock (bench/queries.txt)
const DEFAULT_QUERIES = ['s4_top1_user', 's7_threats_sorted', 's9_hunt'];
// Samples count when a frame of the engine's entry point is on the stack.
const ENGINE = /^kqlab::engine::run$/;

const all = loadQueries();
const files = options('kql').map((f) => ({ name: f.split('/').pop().replace(/\.kql$/, ''), kql: readFileSync(f, 'utf8').trim() }));
const wanted = options('query').length || files.length ? options('query') : DEFAULT_QUERIES;
const queries = [...wanted.map((name) => all.find((q) => q.name === name) || die(`no query ${name} in bench/queries.txt`)), ...files];
mkdirSync(OUT, { recursive: true });

function die(msg) {
  console.error(`profile.mjs: ${msg}`);
  process.exit(2);
}

// The wasm name section spells Rust symbols with their hash (::h0123456789abcdef) and, for
// some, crate disambiguators (dlmalloc[e24a27700634d609]::); perf's demangler drops both.
const clean = (name) => name.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]{16}\]/g, '');

/** Whether a wasm module has a "name" custom section (function names). */
function hasNames(bytes) {
  const leb = (at) => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[at.i++];
      value += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) return value;
    }
  };
  const at = { i: 8 };
  while (at.i < bytes.length) {
    const id = bytes[at.i++];
    const size = leb(at);
    const end = at.i + size;
    if (id === 0) {
      const len = leb(at);
      if (Buffer.from(bytes.subarray(at.i, at.i + len)).toString() === 'name') return true;
    }
    at.i = end;
  }
  return false;
}

/** Self samples per function among samples inside the engine: `{ total, inside, self: Map }`. */
function summarise(stacks) {
  const self = new Map();
  let inside = 0;
  for (const stack of stacks) {
    if (!stack.some((f) => ENGINE.test(f))) continue;
    inside++;
    self.set(stack[0], (self.get(stack[0]) || 0) + 1);
  }
  return { total: stacks.length, inside, self };
}

/** The leaf-first stacks of a V8 CPU profile's samples, without the idle ones. */
function v8Stacks(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const stackOf = new Map();
  const stack = (id) => {
    if (!stackOf.has(id)) {
      const frames = [];
      for (let at = id; at !== undefined; at = parent.get(at)) {
        const f = byId.get(at).callFrame;
        frames.push(clean(f.functionName || `(anonymous ${f.url.split('/').pop()}:${f.lineNumber})`));
      }
      stackOf.set(id, frames);
    }
    return stackOf.get(id);
  };
  return profile.samples.map(stack).filter((s) => s[0] !== '(idle)');
}

/** The leaf-first stacks of `perf script -F ip,sym` output. */
function perfStacks(text) {
  return text.split(/\n\s*\n/).map((block) => block.split('\n').map((l) => l.trim().replace(/^[0-9a-f]+ /, '')).filter(Boolean)).filter((s) => s.length);
}

/**
 * A DevTools session on the bench's query worker. Playwright opens CDP sessions on pages only,
 * so this one goes through the page's: the page auto-attaches to its workers in the protocol's
 * nested (non-flat) mode, and the worker's commands and replies travel inside
 * Target.sendMessageToTarget / Target.receivedMessageFromTarget.
 */
async function benchWorkerSession(page) {
  const cdp = await page.context().newCDPSession(page);
  const waiting = new Map();
  let nextId = 1;
  let sessionId = null;
  let attached;
  const ready = new Promise((resolve) => { attached = resolve; });
  cdp.on('Target.attachedToTarget', (e) => {
    if (e.targetInfo.type === 'worker' && e.targetInfo.url.includes(BENCH_WORKER_TAG)) {
      sessionId = e.sessionId;
      attached();
    }
  });
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message);
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error) w.reject(new Error(`${w.method}: ${m.error.message}`));
    else w.resolve(m.result);
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  return {
    ready,
    send(method, params = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject, method });
        cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
      });
    },
  };
}

async function profileWasm(page, worker, q) {
  const batch = await calibrate(page, q.kql);
  await warmUp(page, q.kql, batch);
  const plain = [];
  for (let r = 0; r < 3; r++) plain.push((await benchBatch(page, q.kql, batch)) / batch);
  await worker.send('Profiler.enable');
  await worker.send('Profiler.setSamplingInterval', { interval: 100 }); // microseconds
  await worker.send('Profiler.start');
  let runs = 0;
  let ms = 0;
  while (ms < SECONDS * 1000) {
    ms += await benchBatch(page, q.kql, batch);
    runs += batch;
  }
  const { profile } = await worker.send('Profiler.stop');
  await worker.send('Profiler.disable');
  writeFileSync(join(OUT, `${q.name}.cpuprofile`), JSON.stringify(profile));
  return { ms: median(plain), profiledMs: ms / runs, ...summarise(v8Stacks(profile)) };
}

function profileNative(q) {
  const ms = nativeMs(q.kql, { now: NOW, rows: ROWS, repeat: 20 });
  if (!Number.isFinite(ms)) die(`native run of ${q.name} failed (is ${NATIVE_BIN} built?)`);
  const data = join(OUT, `${q.name}.perf.data`);
  const repeat = String(Math.ceil((SECONDS * 1000) / ms));
  rmSync(data, { force: true }); // perf would keep the previous one as .old
  // DWARF call stacks: the release binary has no frame pointers, and the filter on the
  // engine's entry point needs whole stacks.
  try {
    execFileSync('perf', ['record', '-q', '-F', '2000', '--call-graph', 'dwarf', '-o', data, '--', NATIVE_BIN, 'query', '--now', NOW, '--rows', String(ROWS), '--repeat', repeat, '--format', 'json', q.kql], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (e) {
    die(`perf record failed (${e.message.split('\n')[0]}); --no-native profiles the wasm side only`);
  }
  const text = execFileSync('perf', ['script', '-i', data, '-F', 'ip,sym', '--no-inline'], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  return { ms, ...summarise(perfStacks(text)) };
}

// The query worker's module (engine-*.wasm; a build with one shared module has only app-*).
const wasmFile = readdirSync(DIST).find((f) => /^engine-.*\.wasm$/.test(f)) || readdirSync(DIST).find((f) => f.endsWith('.wasm'));
if (!wasmFile) die(`no .wasm in ${DIST} (build it with bench/build-profiling.sh)`);
if (!hasNames(readFileSync(join(DIST, wasmFile)))) console.error(`profile.mjs: ${wasmFile} has no function names; the wasm table will show wasm-function[N] (build with bench/build-profiling.sh)`);

const { site, page, close } = await openBrowser(DIST);
await page.goto(site.url);
const worker = await benchWorkerSession(page);
await startBenchWorker(page, { rows: ROWS, clock: Date.parse(NOW) * 10000 });
await worker.ready;

const pct = (n, of) => `${((100 * n) / of).toFixed(1)}`;
const top = (s) => [...s.self].sort((a, b) => b[1] - a[1]).slice(0, TOP);
for (const q of queries) {
  console.error(`profiling ${q.name}`);
  const w = await profileWasm(page, worker, q);
  const n = flag('no-native') ? null : profileNative(q);
  console.log(`\n### ${q.name}\n`);
  console.log(`wasm: ${w.ms.toFixed(3)} ms/run (${w.profiledMs.toFixed(3)} while profiled), ${w.inside} samples in the engine (${pct(w.inside, w.total)}% of the worker's non-idle samples)`);
  if (n) console.log(`native: ${n.ms.toFixed(3)} ms/run, ${n.inside} samples in the engine (${pct(n.inside, n.total)}% of the process's); wasm/native ${(w.ms / n.ms).toFixed(2)}`);
  console.log(`\n| # | wasm (Chromium worker) | self % |${n ? ' native (perf) | self % |' : ''}\n|---:|---|---:|${n ? '---|---:|' : ''}`);
  const wt = top(w);
  const nt = n ? top(n) : [];
  for (let i = 0; i < Math.max(wt.length, nt.length); i++) {
    const cell = (t, s) => (t[i] ? `${t[i][0]} | ${pct(t[i][1], s.inside)}` : ' | ');
    console.log(`| ${i + 1} | ${cell(wt, w)} |${n ? ` ${cell(nt, n)} |` : ''}`);
  }
}
await close();
