// A tiny static file server for the built site, serving `dist/` under a sub-path the way
// GitHub Pages serves a project site (https://user.github.io/<repo>/).
//
//   node tests/e2e/serve.mjs [--dir dist] [--base /kqlab/] [--port 8080] [--host 127.0.0.1]
//
// It prints the site's URL on its first line of output. The end-to-end tests import
// `startServer` instead of running this file.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.toml': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves `dir` at `base` (which must start and end with "/"). Resolves to
 * `{ server, url, origin, close() }` once listening; `port: 0` picks a free port.
 */
/* `hold(path)` (for tests) may return a promise: the answer for that path waits for it.
 */
export async function startServer({ dir = 'dist', base = '/kqlab/', port = 0, host = '127.0.0.1', log = false, hold = null } = {}) {
  if (!base.startsWith('/') || !base.endsWith('/')) throw new Error(`base must start and end with "/": ${base}`);
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    const send = (status, body, type = 'text/plain; charset=utf-8', extra = {}) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
      const path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
      if (path === base.slice(0, -1)) return send(301, '', 'text/plain', { Location: base });
      if (!path.startsWith(base)) return send(404, `not found: ${path} (the site is under ${base})`);
      let file = normalize(join(root, path.slice(base.length)));
      if (file !== root && !file.startsWith(root + sep)) return send(403, 'forbidden');
      let info = await stat(file).catch(() => null);
      if (info && info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info || !info.isFile()) return send(404, `not found: ${path}`);
      const body = await readFile(file);
      if (hold) await hold(path);
      if (log) console.log(`${req.method} ${path} 200`);
      return send(200, body, TYPES[extname(file).toLowerCase()] || 'application/octet-stream');
    } catch (err) {
      return send(400, `bad request: ${err.message}`);
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const { port: actual } = server.address();
  const origin = `http://${host}:${actual}`;
  return {
    server,
    origin,
    url: `${origin}${base}`,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = Object.fromEntries(
    process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
  );
  const site = await startServer({
    dir: args.dir ?? 'dist',
    base: args.base ?? '/kqlab/',
    port: Number(args.port ?? 8080),
    host: args.host ?? '127.0.0.1',
    log: true,
  });
  console.log(site.url);
}
