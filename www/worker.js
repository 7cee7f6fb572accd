// The query worker: starts the engine's own wasm module (src/bin/engine.rs: the executor, the
// data generators and the checker, without the page's Yew UI), which answers the page's
// requests. The page passes the engine's hashed glue and wasm names in the query string, as
// index.html does for boot.js.
//
// With `module=1` there, the page's first message is either the engine's compiled
// WebAssembly.Module ({ module }: boot.js compiled it, or an earlier worker of this page did),
// so this worker neither downloads nor compiles the wasm file again, or {} (boot's compile
// failed) and the worker loads the file named in its query string. With `keep=1`, a worker that compiled the module itself sends it to the
// page ({ compiled }), which hands it to the next worker (after Stop or a crash). Without
// `module=1` (a page of an older build, still open after an update) the worker loads the file
// and sends nothing back.
//
// The listener is added before the first await: a message that arrives while the glue loads
// is kept, not lost.
const here = new URL(import.meta.url);
const first = here.searchParams.get('module') === '1'
  ? new Promise((resolve) => self.addEventListener('message', (e) => resolve(e.data), { once: true }))
  : Promise.resolve({});
const name = (key) => {
  const value = here.searchParams.get(key) || '';
  if (!/^[A-Za-z0-9_.-]+$/.test(value)) throw new Error(`kqlab worker: bad ${key} file name`);
  return new URL(value, here);
};
const glue = await import(name('js').href);
const given = (await first) || {};
let compiled = given.module instanceof WebAssembly.Module ? given.module : null;
if (!compiled) {
  // One request for the file; compiled while it downloads when the server sends the wasm MIME
  // type, otherwise from the whole file.
  const res = await fetch(name('wasm'));
  if (!res.ok) throw new Error(`kqlab worker: could not load ${name('wasm').pathname}: the server answered ${res.status} ${res.statusText}`);
  compiled = (res.headers.get('Content-Type') || '').startsWith('application/wasm')
    ? await WebAssembly.compileStreaming(res)
    : await WebAssembly.compile(await res.arrayBuffer());
  if (here.searchParams.get('keep') === '1') self.postMessage({ compiled });
}
await glue.default({ module_or_path: compiled });
