// The query worker: runs the same wasm module as the page; the module notices it runs in a
// worker and answers the page's requests. The page passes the hashed file names in the query
// string, as index.html does for boot.js. With `module=1` there, the page sends its compiled
// WebAssembly.Module as the first message ({ module }), so the worker neither downloads nor
// compiles the wasm file again; without one ({}), or without `module=1` (a page of an older
// build, still open after an update), the worker loads the file named in its query string.
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
const compiled = given.module instanceof WebAssembly.Module ? given.module : null;
await glue.default({ module_or_path: compiled || name('wasm') });
