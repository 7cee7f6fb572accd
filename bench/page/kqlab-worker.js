// The app's query worker (www/worker.js) plus one thing for the scale benchmark
// (bench/scale.mjs): a `{memory: true}` message is answered with the size of the wasm module's
// linear memory, which only grows, so it is the heap's high-water mark. The app's own message
// handler also sees that message and logs it as a bad request; the bench ignores that line.
const here = new URL(import.meta.url);
const base = new URL(here.searchParams.get('base'));
const file = (key) => {
  const value = here.searchParams.get(key) || '';
  if (!/^[A-Za-z0-9_.-]+$/.test(value)) throw new Error(`bench worker: bad ${key} file name`);
  return new URL(value, base);
};
const glue = await import(file('js').href);
const wasm = await glue.default({ module_or_path: file('wasm') });
self.addEventListener('message', (e) => {
  if (e.data && e.data.memory === true) self.postMessage({ memory: wasm.memory.buffer.byteLength });
});
