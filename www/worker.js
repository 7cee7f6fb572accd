// The query worker: loads the same wasm module as the page (the browser's cache makes this
// cheap); the module notices it runs in a worker and answers the page's requests. The page
// passes the hashed file names in the query string, as index.html does for boot.js.
const here = new URL(import.meta.url);
const name = (key) => {
  const value = here.searchParams.get(key) || '';
  if (!/^[A-Za-z0-9_.-]+$/.test(value)) throw new Error(`kqlab worker: bad ${key} file name`);
  return new URL(value, here);
};
const glue = await import(name('js').href);
await glue.default({ module_or_path: name('wasm') });
