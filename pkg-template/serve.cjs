'use strict';
// The log-verifier page's server: the page (`www`) at /, the package (`pkg`) at /pkg/, and demo
// logs held in memory at /demo/ (their list at /demo/index.json). Only these files, only to this
// machine unless `host` says otherwise; the page runs only what this server sends.
//
// `npx basis-trees serve` runs it from the installed package (the page in its www/, the package
// itself at /pkg/); `make serve` from the repository (www/, pkg/ and a demo log).

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
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
 * Starts the server; resolves to `{ url, port, close(), server }` once it listens, rejects with
 * the listen error (`EADDRINUSE`, …). `port: 0` picks a free port. `demo` is
 * `{ 'tracker.bin': Uint8Array, ... }`, served under /demo/.
 */
function startServer({ port = 8080, host = '127.0.0.1', www = path.join(__dirname, 'www'), pkg = __dirname, demo = {} } = {}) {
  for (const [dir, file] of [[pkg, 'index.js'], [www, 'index.html']]) {
    if (!fs.existsSync(path.join(dir, file))) return Promise.reject(new Error(`${path.join(dir, file)} is missing: build the package first with \`make pkg\``));
  }
  www = path.resolve(www);
  pkg = path.resolve(pkg);
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
      const name = urlPath.slice('/demo/'.length);
      const bytes = Object.hasOwn(demo, name) ? demo[name] : undefined;
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

module.exports = { startServer };
