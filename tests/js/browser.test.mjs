// The packed package in headless Chromium: Vite and webpack 5 production builds (page and module
// worker, including streaming verification of a log fetched from the server), and the web entry
// used as plain ES modules with initSync in a page and a worker. Results must equal Node's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import * as bt from 'basis-trees';
import { runChecks } from './browser/app/checks.js';
import { cases } from './browser/boundary/cases.js';

const repo = process.env.BT_REPO;
const { chromium } = createRequire(path.join(repo, 'package.json'))('playwright-core');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.bin': 'application/octet-stream' };

/** Serves `routes` (URL prefix → directory) on 127.0.0.1; extra routes map a path to bytes. */
function serve(routes, files = {}) {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    if (files[url]) {
      res.writeHead(200, { 'content-type': TYPES[path.extname(url)] || 'application/octet-stream' });
      return res.end(files[url]);
    }
    for (const [prefix, dir] of routes) {
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

async function resultOf(url) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (err) => problems.push(String(err)));
    await page.goto(url);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 300_000 });
    const result = await page.evaluate(() => window.__result);
    assert.deepEqual(problems, []);
    assert.equal(result.failed, undefined, result.failed);
    return result;
  } finally {
    await browser.close();
  }
}

function sampleLog() {
  const s = new bt.TreeStorage({ keyLength: 32 });
  for (let i = 1; i <= 300; i++) s.insert(bt.noteKey(new Uint8Array([i & 0xff, i >> 8]), new Uint8Array([1])), bt.debtValue(BigInt(i)), { timestamp: BigInt(i) });
  return { bytes: s.exportLog(), finalRoot: bt.toHex(s.digest), operations: 300 };
}

test('a Vite build runs in Chromium, in the page and in a module worker', async () => {
  const app = path.resolve('vite-app');
  fs.cpSync(path.resolve('browser/app'), app, { recursive: true });
  fs.symlinkSync(path.resolve('node_modules'), path.join(app, 'node_modules'));
  execFileSync(process.execPath, [path.join(repo, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: app, stdio: 'inherit' });
  const emitted = fs.readdirSync(path.join(app, 'dist', 'assets'));
  assert.ok(emitted.some((f) => f.endsWith('.wasm')), `no .wasm among ${emitted}`);

  const log = sampleLog();
  const server = await serve([['/', path.join(app, 'dist')]], { '/log.bin': log.bytes });
  try {
    const result = await resultOf(`http://127.0.0.1:${server.address().port}/`);
    const expected = await runChecks(undefined);
    for (const side of [result.page, result.worker]) {
      const { stream, ...rest } = side;
      assert.deepEqual(rest, expected);
      assert.deepEqual(rest.error, { name: 'BasisTreeError', code: 'KEY_EXISTS', isError: true });
      assert.deepEqual(stream, { operations: log.operations, finalRoot: log.finalRoot, progressCalls: true });
    }
  } finally {
    server.close();
  }
});

test('a webpack 5 build runs in Chromium, in the page and in a module worker', async () => {
  const app = path.resolve('webpack-app');
  fs.cpSync(path.resolve('browser/app'), app, { recursive: true });
  fs.symlinkSync(path.resolve('node_modules'), path.join(app, 'node_modules'));
  const webpack = createRequire(path.join(repo, 'package.json'))('webpack');
  const stats = await new Promise((resolve, reject) =>
    webpack(
      { mode: 'production', context: app, entry: './main.js', target: 'web', output: { path: path.join(app, 'dist'), publicPath: 'auto' } },
      (err, result) => (err ? reject(err) : resolve(result)),
    ),
  );
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  fs.writeFileSync(path.join(app, 'dist', 'index.html'), '<!doctype html><meta charset="utf-8"><script src="main.js"></script>');
  const emitted = fs.readdirSync(path.join(app, 'dist'));
  assert.ok(emitted.some((f) => f.endsWith('.wasm')), `no .wasm among ${emitted}`);

  const log = sampleLog();
  const server = await serve([['/', path.join(app, 'dist')]], { '/log.bin': log.bytes });
  try {
    const result = await resultOf(`http://127.0.0.1:${server.address().port}/`);
    const expected = await runChecks(undefined);
    for (const side of [result.page, result.worker]) {
      const { stream, ...rest } = side;
      assert.deepEqual(rest, expected);
      assert.deepEqual(stream, { operations: log.operations, finalRoot: log.finalRoot, progressCalls: true });
    }
  } finally {
    server.close();
  }
});

test('the web entry loads as plain ES modules, with initSync in a page and a worker', async () => {
  const server = await serve([['/node_modules/', path.resolve('node_modules')], ['/plain/', path.resolve('browser/plain')]]);
  try {
    const result = await resultOf(`http://127.0.0.1:${server.address().port}/plain/`);
    const t = new bt.Tree({ keyLength: 32, valueLength: 8 });
    t.insert(new Uint8Array(32).fill(1), bt.debtValue(100n));
    assert.equal(result.digest, bt.toHex(t.digest));
    assert.deepEqual(result.worker, { digest: bt.toHex(t.digest) });
  } finally {
    server.close();
  }
});

test('the boundary cases hold in a page and a worker; 100,000 error-raising calls of every kind and spending the 4 GiB leave the page\'s instance working', async () => {
  const server = await serve([['/node_modules/', path.resolve('node_modules')], ['/boundary/', path.resolve('browser/boundary')]]);
  try {
    const result = await resultOf(`http://127.0.0.1:${server.address().port}/boundary/`);
    const passed = Object.fromEntries(cases.map(({ name }) => [name, 'ok']));
    assert.deepEqual(result.cases, passed, 'in the page');
    assert.deepEqual(result.worker, { cases: passed }, 'in the worker');
    assert.deepEqual(Object.values(result.campaign.counts), Array(6).fill(100_000));
    assert.equal(result.campaign.stackAfter, result.campaign.stackBefore, 'the shadow stack is where it was');
    assert.ok(result.exhausted.inserted > 100 && result.exhausted.inserted < 256, `${result.exhausted.inserted} values of 16 MiB before OUT_OF_MEMORY`);
  } finally {
    server.close();
  }
});
