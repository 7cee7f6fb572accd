// Runs in bench/page/duckdb.html: one kqlab query worker (the site's own worker.js and wasm
// module) and one DuckDB-WASM worker (the single-threaded "eh" bundle from node_modules), both
// driven from this page by bench/duckdb.mjs through the functions defined on `globalThis.bench`.

/** A worker that answers one request at a time: `ask(message, transfer)` resolves to the reply. */
function serial(worker, accept) {
  let pending = null;
  worker.addEventListener('message', (e) => {
    if (!accept(e.data)) return;
    const p = pending;
    pending = null;
    if (p) p.resolve(e.data);
  });
  worker.addEventListener('error', (e) => { if (pending) pending.reject(new Error(e.message || 'worker error')); });
  return (message, transfer = []) => new Promise((resolve, reject) => {
    if (pending) return reject(new Error('one request at a time'));
    pending = { resolve, reject };
    worker.postMessage(message, transfer);
  });
}

let kq = null;
let kqWorker = null;

/** Starts kqlab's query worker from the site's files and opens the playground at `rows` rows. */
async function startKqlab({ base, js, wasm, rows, clock }) {
  if (kqWorker) kqWorker.terminate();
  kqWorker = new Worker(`${base}worker.js?js=${js}&wasm=${wasm}&role=bench`, { type: 'module' });
  const first = new Promise((ok) => kqWorker.addEventListener('message', (e) => { if (e.data === 'loaded') ok(); }, { once: true }));
  kq = serial(kqWorker, (d) => d !== 'loaded' && !(d && d.memory !== undefined));
  await first;
  await kq({ clock });
  const t0 = performance.now();
  const m = await kq({ OpenPlayground: { tables: [], seed: 42, rows } });
  if (!m.reply || !m.reply.Opened) throw new Error(`kqlab: ${JSON.stringify(m).slice(0, 300)}`);
  return performance.now() - t0;
}

/** Milliseconds kqlab's worker takes for `n` runs of `kql` (timed inside the worker). */
async function kqlabBatch(kql, n) {
  const r = await kq({ Bench: { query: kql, repeat: n } });
  const b = r.reply && r.reply.Benched;
  if (!b || b.error) throw new Error(`kqlab: ${b ? b.error : JSON.stringify(r).slice(0, 300)}`);
  return b.elapsed_ms;
}

/**
 * Milliseconds for `n` runs of `kql` as the app does them: a `Run` request each, answered
 * with the result encoded for the page (at most the rows the grid shows), timed from here like
 * DuckDB's round trips.
 */
async function kqlabRunBatch(kql, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = await kq({ Run: { id: i, target: 'Playground', query: kql } });
    if (!r.reply || !r.reply.Ran || r.reply.Ran.errors.length) throw new Error(`kqlab: ${JSON.stringify(r.reply).slice(0, 300)}`);
  }
  return performance.now() - t0;
}

/** The row count of one kqlab run, through the app's own Run request. */
async function kqlabRows(kql) {
  const r = await kq({ Run: { id: 1, target: 'Playground', query: kql } });
  const ran = r.reply && r.reply.Ran;
  if (!ran || (ran.errors && ran.errors.length)) throw new Error(`kqlab: ${JSON.stringify(r.reply).slice(0, 300)}`);
  return ran.total_rows;
}

// DuckDB-WASM's worker protocol (the messages its AsyncDuckDB class sends), spoken directly so
// the page needs no bundler: {messageId, type, data} in, {requestId, type, data} out.
let duck = null;
let nextId = 0;
async function duckAsk(type, data, transfer = []) {
  const r = await duck({ messageId: nextId++, type, data }, transfer);
  if (r.type === 'ERROR') throw new Error(`duckdb ${type}: ${r.data && r.data.message}`);
  return r.data;
}
let conn = null;

/** Starts the DuckDB-WASM worker (single-threaded bundle) and connects. */
async function startDuckdb() {
  const w = new Worker('/duckdb/duckdb-browser-eh.worker.js');
  duck = serial(w, (d) => d && d.type !== 'LOG' && d.type !== 'INSTANTIATE_PROGRESS');
  const t0 = performance.now();
  await duckAsk('INSTANTIATE', [new URL('/duckdb/duckdb-eh.wasm', location.href).href, null]);
  await duckAsk('OPEN', {});
  conn = await duckAsk('CONNECT', null);
  const version = await duckAsk('GET_VERSION', null);
  return { version, ms: performance.now() - t0 };
}

/**
 * Loads a CSV file served under /data/ into a DuckDB table; returns {ms, rows}. The `datetime`
 * columns are read as text and cast to TIMESTAMP (UTC, to the microsecond): kqlab writes seven
 * fractional digits and a `Z`, which the browser build's CSV sniffer takes for TIMESTAMPTZ, a
 * type it cannot convert without the ICU extension (downloaded on first use, so not here).
 */
async function duckLoad(table, file, datetimes) {
  const bytes = new Uint8Array(await (await fetch(`/data/${file}`)).arrayBuffer());
  const t0 = performance.now();
  await duckAsk('REGISTER_FILE_BUFFER', [file, bytes], [bytes.buffer]);
  const types = datetimes.map((c) => `'${c}': 'VARCHAR'`).join(', ');
  const casts = datetimes.map((c) => `CAST(left("${c}", 26) AS TIMESTAMP) AS "${c}"`).join(', ');
  await duckSql(`CREATE TABLE ${table} AS SELECT * ${casts ? `REPLACE (${casts})` : ''} FROM read_csv('${file}', header = true${types ? `, types = {${types}}` : ''})`);
  await duckAsk('DROP_FILE', file);
  const ms = performance.now() - t0;
  return { ms, rows: await duckRows(`SELECT * FROM ${table}`) };
}

/** Runs SQL and returns the Arrow IPC bytes of the materialised result. */
const duckSql = (sql) => duckAsk('RUN_QUERY', [conn, sql]);

/** The row count of a query's result (decoding DuckDB's Arrow IPC answer). */
async function duckRows(sql) {
  return globalThis.Arrow.tableFromIPC(await duckSql(sql)).numRows;
}

/** Milliseconds for `n` runs of `sql`, each a round trip that materialises the result. */
async function duckBatch(sql, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await duckSql(sql);
  return performance.now() - t0;
}

globalThis.bench = { startKqlab, kqlabBatch, kqlabRunBatch, kqlabRows, startDuckdb, duckLoad, duckSql: async (s) => { await duckSql(s); }, duckRows, duckBatch };
document.getElementById('status').textContent = 'ready';
