// The wallet's checks from the packed package's web entry in a Chromium module worker: signatures
// with the worker's crypto.getRandomValues, a note, a tracker proof against the chain.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const { chromium } = createRequire(path.join(process.env.BT_REPO, 'package.json'))('playwright-core');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const ROUTES = [['/node_modules/', path.resolve('node_modules')], ['/wallet/', path.resolve('browser/wallet')]];

function serve() {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    for (const [prefix, dir] of ROUTES) {
      if (!url.startsWith(prefix)) continue;
      let file = path.join(dir, url.slice(prefix.length));
      if (!file.startsWith(dir)) break;
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (!fs.existsSync(file)) break;
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      return res.end(fs.readFileSync(file));
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('in a Chromium worker: notes signed and verified on chain with fresh nonces, a note and a tracker proof checked', async () => {
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (err) => problems.push(String(err)));
    await page.goto(`http://127.0.0.1:${server.address().port}/wallet/`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 300_000 });
    const result = await page.evaluate(() => window.__result);
    assert.deepEqual(problems, []);
    assert.deepEqual(result, {
      onChain: 500,
      distinct: 500,
      passed: true,
      statuses: ['passed', 'passed'],
      totalDebt: String(2n ** 63n + 5n),
      olderCode: 'PROOF_INVALID',
    });
  } finally {
    await browser.close();
    server.close();
  }
});
