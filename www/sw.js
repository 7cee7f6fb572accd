// kqlab's service worker: makes the site work offline after the first visit and lets it be
// installed. It keeps one cache per build ("kqlab-build-<page wasm name>~<engine name>"): the
// page, its hashed script/wasm/style files, the query worker's engine module (glue and wasm),
// boot.js, worker.js, the lesson index, every lesson file and
// the CSV files lessons name. The build's file names are read from index.html and the lesson
// files at run time, so the build needs no extra step.
//
// Visits are served from the current build's cache (fast, and the same on a plane). Each visit
// also asks the network for index.html: when it names a different build, that build is
// fetched into a new cache in the background and the open pages get a message
// ({ kqlab: 'update-ready' }); the next visit (or "use it now") switches to it and deletes the
// old cache. A build whose files cannot all be fetched is never used.
//
// Scope: the folder sw.js is served from (the site's base path). Only same-origin GET requests
// in that scope are answered from the cache; lessons from other sites (?lesson=https://...)
// always go to the network.

const PREFIX = 'kqlab-build-';
// Files a build may lack (an older build had none): cached when present.
const OPTIONAL = ['manifest.webmanifest', 'icon.svg'];
const META = 'kqlab-meta';
const scope = new URL(self.registration.scope);
const base = scope.pathname; // "/kqlab/"

const metaGet = async (key) => {
  const r = await (await caches.open(META)).match(new Request(`${base}__meta/${key}`));
  return r ? r.text() : null;
};
const metaSet = async (key, value) => {
  const c = await caches.open(META);
  if (value === null) await c.delete(new Request(`${base}__meta/${key}`));
  else await c.put(new Request(`${base}__meta/${key}`), new Response(value));
};

// The build id and file list named by an index.html text.
function buildOf(html) {
  const boot = html.match(/boot\.js\?js=([A-Za-z0-9_.-]+)&(?:amp;)?wasm=([A-Za-z0-9_.-]+)(?:&(?:amp;)?engine=([A-Za-z0-9_.-]+))?/);
  if (!boot) return null;
  const files = new Set(['', 'boot.js', 'worker.js', 'lessons/index.toml', ...OPTIONAL, boot[1], boot[2]]);
  // The query worker's module (a build of one shared module has none).
  if (boot[3]) files.add(`${boot[3]}.js`).add(`${boot[3]}_bg.wasm`);
  // Minified HTML drops the quotes around attribute values.
  for (const m of html.matchAll(/href=(?:"([^"]*)"|([^\s>]+))/g)) {
    let path = m[1] ?? m[2];
    if (!/^[A-Za-z0-9_.\/-]+\.(?:css|svg|png|webmanifest)$/.test(path)) continue;
    if (path.startsWith(base)) path = path.slice(base.length);
    files.add(path.replace(/^\.\//, ''));
  }
  // Either module may change alone: the build is both names.
  return { id: boot[3] ? `${boot[2]}~${boot[3]}` : boot[2], files: [...files] };
}

// Lesson files named in lessons/index.toml, and the CSV files those lessons name.
async function lessonFiles(fetchText) {
  const names = new Set();
  const index = await fetchText('lessons/index.toml');
  for (const m of index.matchAll(/^\s*file\s*=\s*"([A-Za-z0-9_.\/-]+)"/gm)) names.add(`lessons/${m[1]}`);
  for (const lesson of [...names]) {
    const text = await fetchText(lesson);
    for (const m of text.matchAll(/^\s*file\s*=\s*"([A-Za-z0-9_.-]+\.(?:csv|json|txt))"/gm)) names.add(`lessons/${m[1]}`);
  }
  return [...names];
}

// Fetches a whole build into its cache; resolves to the build id, or null if any file failed.
async function fetchBuild(html) {
  const build = buildOf(html);
  if (!build) return null;
  const name = PREFIX + build.id;
  if ((await metaGet(`complete-${build.id}`)) === 'yes') return build.id;
  const cache = await caches.open(name);
  // Hashed files never change under one name: the HTTP cache may answer (the page has just
  // loaded them). Everything else is revalidated. Trunk writes its hash without leading
  // zeros, so it is sometimes shorter than 16 digits.
  const mode = (path) => (path === build.id || /-[0-9a-f]{12,16}(?:_bg)?\.[a-z]+$/.test(path) ? 'default' : 'no-cache');
  const get = async (path) => {
    const res = await fetch(new Request(base + path, { cache: mode(path) }));
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return res;
  };
  try {
    await cache.put(new Request(base), new Response(html, { headers: { 'Content-Type': 'text/html; charset=utf-8' } }));
    const texts = new Map();
    const fetchText = async (path) => {
      const res = await get(path);
      const text = await res.clone().text();
      await cache.put(new Request(base + path), res);
      texts.set(path, text);
      return text;
    };
    const lessons = await lessonFiles(fetchText);
    for (const path of [...build.files, ...lessons]) {
      if (path === '' || texts.has(path)) continue;
      // The manifest is optional (an older build has none).
      const res = await fetch(new Request(base + path, { cache: mode(path) }));
      if (!res.ok) {
        if (OPTIONAL.includes(path)) continue;
        throw new Error(`${path}: HTTP ${res.status}`);
      }
      await cache.put(new Request(base + path), res);
    }
    await metaSet(`complete-${build.id}`, 'yes');
    return build.id;
  } catch (err) {
    await caches.delete(name);
    return null;
  }
}

async function networkIndex() {
  const res = await fetch(new Request(base, { cache: 'no-store' }));
  if (!res.ok) throw new Error(`index.html: HTTP ${res.status}`);
  return res.text();
}

// Makes the waiting build (if complete) the current one and deletes every other build except
// the one just replaced: a page still open on it may start a query worker or load a lesson.
async function promote() {
  const next = await metaGet('next');
  const before = await metaGet('current');
  if (next && (await metaGet(`complete-${next}`)) === 'yes') {
    await metaSet('current', next);
    await metaSet('next', null);
    if (before) await metaSet('previous', before);
  }
  const current = await metaGet('current');
  const keep = new Set([PREFIX + current, PREFIX + (await metaGet('previous'))]);
  for (const key of await caches.keys()) {
    if (key.startsWith(PREFIX) && !keep.has(key)) {
      await caches.delete(key);
      await metaSet(`complete-${key.slice(PREFIX.length)}`, null);
    }
  }
  return current;
}

// Looks for a newer build; fetches it and tells the open pages when it is ready.
async function checkForUpdate() {
  let html;
  try {
    html = await networkIndex();
  } catch (_) {
    return; // offline: nothing to do
  }
  const build = buildOf(html);
  const current = await metaGet('current');
  if (!build || build.id === current || build.id === (await metaGet('next'))) return;
  const id = await fetchBuild(html);
  if (!id) return;
  if (!current) {
    await metaSet('current', id);
    return;
  }
  await metaSet('next', id);
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage({ kqlab: 'update-ready' });
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const id = await fetchBuild(await networkIndex());
      if (id && !(await metaGet('current'))) await metaSet('current', id);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    await promote();
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  // "Use it now": switch to the waiting build; the page reloads itself afterwards.
  if (event.data && event.data.kqlab === 'use-update') {
    event.waitUntil(promote().then(() => event.source && event.source.postMessage({ kqlab: 'update-applied' })));
  }
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== scope.origin || !url.pathname.startsWith(base)) return;
  const path = url.pathname.slice(base.length);
  if (req.mode === 'navigate') {
    if (path !== '' && path !== 'index.html') return;
    const served = (async () => {
      const current = await promote();
      const cached = current && (await (await caches.open(PREFIX + current)).match(new Request(base)));
      return cached || fetch(req);
    })();
    event.respondWith(served);
    // After the page is answered, look for a newer build.
    event.waitUntil(served.then(checkForUpdate, checkForUpdate));
    return;
  }
  event.respondWith(
    (async () => {
      // A file of the current build, or of the one before (a page still open on it). boot.js
      // and worker.js carry the build's file names in their query string: the key has none.
      for (const id of [await metaGet('current'), await metaGet('previous')]) {
        if (!id) continue;
        const hit = await (await caches.open(PREFIX + id)).match(new Request(base + path));
        // A fresh Response has no URL of its own, so the page sees the URL it asked for:
        // a module's import.meta.url keeps its query string (boot.js reads the names there).
        if (hit) return new Response(hit.body, { status: hit.status, statusText: hit.statusText, headers: hit.headers });
      }
      try {
        return await fetch(req);
      } catch (err) {
        // Offline and not in the cache: an answer the page can show ("the server answered 504
        // …") instead of a bare network error.
        return new Response(`${path} is not saved for offline use, and the network is unreachable`, {
          status: 504,
          statusText: 'Offline: this file is not saved for offline use',
          headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        });
      }
    })(),
  );
});
