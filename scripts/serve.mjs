// Serves the log-verifier page: www/ at /, the built package (pkg/, from `make pkg`) at /pkg/, and
// a demo tracker log, made with the package itself, at /demo/tracker.bin and /demo/tracker.ndjson
// (its final root in /demo/tracker.root; the list in /demo/index.json).
// Only these files, only to this machine unless HOST says otherwise; no network beyond the page.
//
//   node scripts/serve.mjs            # http://127.0.0.1:8080/ (PORT and HOST override)
//
// The page's tests import `startServer` and run it on a free port.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

// The page runs only what this server sends (no inline script, no other origin); it fetches from
// elsewhere only the log URL a user types in.
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; " +
    "img-src 'self' data: blob:; connect-src 'self' http: https:; object-src 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

/** The file under `dir` that `urlPath` names, or null when it would leave `dir`. */
function fileUnder(dir, urlPath) {
  const file = path.resolve(dir, `.${urlPath}`);
  return file === dir || file.startsWith(dir + path.sep) ? file : null;
}

/**
 * Starts the server; resolves to `{ url, port, close() }` once it listens. `port: 0` picks a free
 * port. `demo` is `{ 'tracker.bin': Uint8Array, ... }`, served under /demo/.
 */
export function startServer({ port = 8080, host = '127.0.0.1', www = path.join(repo, 'www'), pkg = process.env.BT_PKG_DIR || path.join(repo, 'pkg'), demo = {} } = {}) {
  if (!fs.existsSync(path.join(pkg, 'index.js'))) {
    throw new Error(`${pkg}/index.js is missing: build the package first with \`make pkg\``);
  }
  const mounts = [
    ['/pkg/', pkg],
    ['/', www],
  ];
  const server = http.createServer((req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { ...SECURITY_HEADERS, ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n', { Allow: 'GET, HEAD' });
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return send(400, 'bad request\n');
    }
    if (urlPath === '/demo/index.json') {
      return send(200, JSON.stringify({ logs: Object.keys(demo) }), { 'Content-Type': 'application/json' });
    }
    if (urlPath.startsWith('/demo/')) {
      const bytes = demo[urlPath.slice('/demo/'.length)];
      if (!bytes) return send(404, 'not found\n', { 'Content-Type': 'text/plain' });
      return send(200, bytes, { 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.length });
    }
    for (const [prefix, dir] of mounts) {
      if (!urlPath.startsWith(prefix)) continue;
      let file = fileUnder(dir, urlPath.slice(prefix.length - 1));
      if (!file) return send(403, 'forbidden\n');
      if (urlPath.endsWith('/')) file = path.join(file, 'index.html');
      fs.stat(file, (err, stat) => {
        if (err || !stat.isFile()) return send(404, 'not found\n', { 'Content-Type': 'text/plain' });
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
          'Content-Length': stat.size,
        });
        if (req.method === 'HEAD') return res.end();
        fs.createReadStream(file).pipe(res);
      });
      return;
    }
    send(404, 'not found\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolve({
        port: actual,
        url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}/`,
        close: () => new Promise((done) => server.close(done)),
        server,
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { demoLogs } = await import('./demo-log.mjs');
  const port = Number(process.env.PORT || 8080);
  const host = process.env.HOST || '127.0.0.1';
  let demo = {};
  try {
    demo = demoLogs();
  } catch (err) {
    console.warn(`serve: no demo log (${err.message})`);
  }
  const { url } = await startServer({ port, host, demo });
  console.log(`The log verifier: ${url}  (demo log: ${url}demo/tracker.bin)  Ctrl-C stops.`);
}
