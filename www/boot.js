// Starts the kqlab page's WebAssembly module. index.html loads this file with the names of the
// page's wasm-bindgen glue and .wasm file (js=, wasm=) and of the query worker's engine module
// (engine=engine-<hash>, for engine-<hash>.js and engine-<hash>_bg.wasm) in its query string
// (Trunk and scripts/name-engine.sh fill them in at build time), so the page needs no inline
// script and works under any sub-path. The page's module paints the page. The engine module is
// requested as soon as the page's own .wasm has arrived (while the page compiles and paints)
// and compiled here while it downloads (compileStreaming); the page hands the compiled module
// to the query worker (www/worker.js, src/web/worker.rs), which neither downloads nor compiles
// it again.
const here = new URL(import.meta.url);
const name = (key) => {
  const value = here.searchParams.get(key) || '';
  // Only plain file names produced by the build are accepted.
  if (!/^[A-Za-z0-9_.-]+$/.test(value)) throw new Error(`kqlab: bad ${key} file name in boot.js URL`);
  return new URL(value, here);
};

// Narrow the page's connect-src to this origin, plus the origin of a lesson the address asks
// for explicitly (?lesson=https://...). Policies only ever get stricter, so this cannot widen
// what index.html allows.
{
  const allowed = ["'self'"];
  const lesson = new URL(location.href).searchParams.get('lesson');
  if (lesson) {
    try {
      const u = new URL(lesson, location.href);
      if (u.protocol === 'https:' && u.origin !== location.origin) allowed.push(u.origin);
    } catch (_) { /* a bad address: the app reports it */ }
  }
  const meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = `connect-src ${allowed.join(' ')}`;
  document.head.appendChild(meta);
}

try {
  // The page starts the query worker with the engine's names; it finds them here.
  globalThis.__kqlab_assets = {
    base: new URL('.', here).href,
    js: here.searchParams.get('js'),
    wasm: here.searchParams.get('wasm'),
    engine: name('engine') && here.searchParams.get('engine'),
  };
  // The engine's .wasm is asked for as soon as the page's has arrived, while the page's module
  // compiles, starts and paints: on a slow line two downloads at once would only share it, and
  // the page would paint later for no earlier first query. (At the latest once the page has
  // started, for a browser without resource timing.)
  const startEngine = () => {
    globalThis.__kqlab_engine ??= compileEngine(new URL(`${here.searchParams.get('engine')}_bg.wasm`, here));
  };
  whenDownloaded(name('wasm'), startEngine);
  const glue = await import(name('js').href);
  await glue.default({ module_or_path: name('wasm') });
  startEngine();
  registerServiceWorker();
} catch (err) {
  const banner = document.getElementById('fatal');
  if (banner) {
    banner.textContent = `kqlab could not start: ${err && err.message ? err.message : err}. ` +
      'It needs a browser with WebAssembly and WebAssembly SIMD (Chrome or Edge 91+, Firefox 89+, Safari 16.4+).';
    banner.hidden = false;
  }
  throw err;
}

// The engine's compiled WebAssembly.Module (a promise): one request, compiled while it downloads
// when the server sends the wasm MIME type, otherwise from the whole file. The page's worker
// code waits for it; if it fails, the worker loads the file itself and reports what went wrong.
function compileEngine(url) {
  const compiled = (async () => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`could not load ${url.pathname}: the server answered ${res.status} ${res.statusText}`);
    return (res.headers.get('Content-Type') || '').startsWith('application/wasm')
      ? WebAssembly.compileStreaming(res)
      : WebAssembly.compile(await res.arrayBuffer());
  })();
  // Handled by whoever awaits it; this only keeps an early failure from being logged as unhandled.
  compiled.catch(() => {});
  return compiled;
}

// Calls `then` once the file at `url` has been received completely (its resource timing entry
// is written when the response has ended).
function whenDownloaded(url, then) {
  if (typeof PerformanceObserver !== 'function') return;
  const seen = (entries) => entries.some((e) => e.name === url.href);
  const watch = new PerformanceObserver((list) => {
    if (seen(list.getEntries())) {
      watch.disconnect();
      then();
    }
  });
  try {
    watch.observe({ type: 'resource', buffered: true });
  } catch (_) { /* an older browser: the caller starts it later */ }
}

// Offline use: sw.js caches this build once the page has started (so the first visit's own
// downloads come first), and answers later visits from that cache. When it has fetched a newer
// build it says so; the notice offers to switch now, otherwise the next visit uses it.
// `?nosw` in the address skips the service worker (for debugging a build by hand).
function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || new URL(location.href).searchParams.has('nosw')) return;
  const sw = navigator.serviceWorker;
  sw.addEventListener('message', (event) => {
    const what = event.data && event.data.kqlab;
    if (what === 'update-ready') showUpdateNotice();
    if (what === 'update-applied') location.reload();
  });
  const register = () => sw.register(new URL('sw.js', here), { scope: new URL('.', here).pathname, type: 'classic' }).catch((err) => {
    // The site still works online; only offline use is lost.
    console.warn(`kqlab: offline use is not available (${err && err.message ? err.message : err})`);
  });
  if (document.readyState === 'complete') setTimeout(register, 0);
  else addEventListener('load', () => setTimeout(register, 0), { once: true });
}

function showUpdateNotice() {
  if (document.getElementById('update-notice')) return;
  const box = document.createElement('div');
  box.id = 'update-notice';
  box.className = 'update-notice';
  box.setAttribute('role', 'status');
  const text = document.createElement('span');
  text.textContent = 'A new version of kqlab is ready. It is used the next time you open kqlab; your progress is kept.';
  const now = document.createElement('button');
  now.type = 'button';
  now.textContent = 'Use it now';
  now.addEventListener('click', () => {
    const active = navigator.serviceWorker.controller;
    if (active) active.postMessage({ kqlab: 'use-update' });
    else location.reload();
  });
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'update-notice-close';
  close.setAttribute('aria-label', 'Dismiss');
  close.textContent = '×';
  close.addEventListener('click', () => box.remove());
  box.append(text, now, close);
  document.body.append(box);
}
