// `npx basis-trees serve` from the packed tarball installed into a fresh project (no clone, no
// build, no Rust): the verifier page served on 127.0.0.1, driven in headless Chromium to verify a
// good log against its root and refuse a tampered one; the server's refusals in the command's
// own words.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as bt from 'basis-trees';

const { chromium } = createRequire(path.join(process.env.BT_REPO, 'package.json'))('playwright-core');

let project;
let server;

/** Runs `npx basis-trees serve ARGS` in the project until it prints its URL; `{ url, child }`. */
function serve(...args) {
  // A process group of its own: npx runs the command in a child, and the group stops both.
  const child = spawn('npx', ['--no-install', 'basis-trees', 'serve', ...args], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text) => (out += text));
    child.stdout.on('data', (text) => {
      out += text;
      const url = /(http:\/\/\S+\/)/.exec(out);
      if (url) resolve({ url: url[1], child, out });
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code} before it listened: ${out}`)));
  });
}

/** `npx basis-trees ARGS` in the project, to its end. */
const npx = (...args) => spawnSync('npx', ['--no-install', 'basis-trees', ...args], { cwd: project, encoding: 'utf8' });

before(async () => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'basis-trees-serve-'));
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'a-wallet', private: true, version: '1.0.0' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', process.env.BT_TARBALL], { cwd: project, stdio: 'ignore' });
  server = await serve('--port', '0');
});

after(() => {
  if (server) process.kill(-server.child.pid, 'SIGTERM');
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

test('serve listens on 127.0.0.1 and sends the page, the package under it, and nothing outside them', async () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const page = await fetch(server.url);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  assert.match(page.headers.get('content-security-policy'), /script-src 'self'/);
  const { version } = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'basis-trees', 'package.json'), 'utf8'));
  assert.equal((await (await fetch(`${server.url}pkg/package.json`)).json()).version, version);
  for (const file of ['worker.js', 'app.js', 'style.css', 'pkg/index.js', 'pkg/basis_trees_bg.wasm']) {
    assert.equal((await fetch(server.url + file)).status, 200, file);
  }
  assert.equal((await fetch(`${server.url}pkg/basis_trees_bg.wasm`)).headers.get('content-type'), 'application/wasm');
  for (const outside of ['pkg/%2e%2e/%2e%2e/package.json', '%2e%2e/package.json', 'demo/tracker.bin']) {
    assert.ok([403, 404].includes((await fetch(server.url + outside)).status), outside);
  }
  assert.equal((await fetch(server.url, { method: 'POST' })).status, 405);
});

test('the page served from the installed package verifies a log in Chromium, and refuses a tampered one', async () => {
  const storage = new bt.TreeStorage({ keyLength: 32 });
  for (let i = 1; i <= 200; i++) storage.insert(bt.noteKey(new Uint8Array([i]), new Uint8Array([2])), bt.debtValue(BigInt(i)), { timestamp: BigInt(i) });
  const root = bt.toHex(storage.digest);
  const good = storage.exportLog();
  const records = storage.operations().map((record) => ({ ...record }));
  records[99].value = bt.debtValue(999n);
  const tampered = bt.encodeLog(records, { keyLength: 32 });

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (err) => problems.push(String(err)));
    page.on('response', (response) => response.status() >= 400 && problems.push(`HTTP ${response.status()} ${response.url()}`));
    await page.goto(server.url);
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { timeout: 60_000 });
    const verdictAfter = async (name, bytes) => {
      await page.locator('#log-file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
      await page.waitForFunction(() => {
        const box = document.querySelector('[role="status"]');
        return box && !box.classList.contains('running') && !box.classList.contains('idle');
      }, null, { timeout: 120_000 });
      return page.getByRole('status').innerText();
    };
    await page.locator('#expect-root').fill(root);
    const verified = await verdictAfter('tracker.bin', good);
    assert.match(verified, /Log verified: 200 records/);
    assert.ok(verified.includes(root), verified);
    assert.doesNotMatch(verified, /Not checked against the chain/);
    const refused = await verdictAfter('tampered.bin', tampered);
    assert.match(refused, /ROOT_AFTER_MISMATCH/);
    assert.match(refused, /100/);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('serve refuses a port in use, a bad port or host, and arguments, in its own words', async () => {
  const taken = net.createServer();
  await new Promise((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = taken.address();
    const busy = npx('serve', '--port', String(port));
    assert.equal(busy.status, 2, busy.stderr);
    assert.match(busy.stderr, new RegExp(`port ${port} on 127.0.0.1 is in use: give another with --port N`));
    assert.doesNotMatch(busy.stderr, /EADDRINUSE|\n\s+at /);
  } finally {
    taken.close();
  }
  for (const [args, message] of [
    [['--port', '70000'], /--port needs a port number, 0 to 65535, got '70000'/],
    [['--port', '-1'], /--port needs a whole number, got '-1'/],
    [['--port', '80', '--port', '81'], /--port is given twice/],
    [['--host', '192.0.2.1', '--port', '0'], /--host 192.0.2.1 is not an address of this machine/],
    [['www'], /serve takes no argument, got 'www'/],
    [['--prot', '8080'], /did you mean --port\?/],
  ]) {
    const result = npx('serve', ...args);
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, message, args.join(' '));
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  }
});
