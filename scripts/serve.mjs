// Serves the log-verifier page from the repository: www/ at /, the built package (pkg/, from
// `make pkg`) at /pkg/, and a demo tracker log, made with the package itself, at
// /demo/tracker.bin and /demo/tracker.ndjson (its final root in /demo/tracker.root; the list in
// /demo/index.json). The server is the package's own (pkg-template/serve.cjs, which
// `npx basis-trees serve` runs from an installed package).
//
//   node scripts/serve.mjs            # http://127.0.0.1:8080/ (PORT and HOST override)
//
// The page's tests import `startServer` and run it on a free port.
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const server = createRequire(import.meta.url)('../pkg-template/serve.cjs');

/**
 * Starts the server on the repository's www/ and pkg/ (BT_PKG_DIR overrides); resolves to
 * `{ url, port, close() }` once it listens. `port: 0` picks a free port.
 */
export function startServer({ www = path.join(repo, 'www'), pkg = process.env.BT_PKG_DIR || path.join(repo, 'pkg'), ...options } = {}) {
  return server.startServer({ www, pkg, ...options });
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
