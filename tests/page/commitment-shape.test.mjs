// The page checks pasted commitments against a log of another shape than the tracker's default
// (16-byte keys, 8-byte values), with the shape fields left empty: the commitments are matched
// from the log's own empty root, which is reached before record 1; the default shape's empty
// root is no root of this log and rejects it. In headless Chromium; screenshots:
// test-artifacts/page/commitment-shape-*.png.
import test, { after, afterEach, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../scripts/serve.mjs';
import { loadPackage } from '../../scripts/demo-log.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(repo, 'test-artifacts', 'page');
const { chromium } = createRequire(path.join(repo, 'package.json'))('playwright-core');
const bt = loadPackage();

let browser;
let server;
let page;
let problems;
const log = {};

before(async () => {
  fs.mkdirSync(artifacts, { recursive: true });
  const storage = new bt.TreeStorage({ keyLength: 16, valueLength: 8 });
  log.ownEmpty = bt.toHex(storage.digest);
  for (let i = 1; i <= 6; i++) {
    const key = new Uint8Array(16).fill(0x40);
    key[15] = i;
    storage.insert(key, bt.debtValue(BigInt(i * 7)), { timestamp: BigInt(i) });
  }
  log.last = bt.toHex(storage.digest);
  log.bytes = storage.exportLog();
  storage.free();
  const defaultTree = new bt.TreeStorage({ keyLength: 32 });
  log.defaultEmpty = bt.toHex(defaultTree.digest);
  defaultTree.free();
  server = await startServer({ port: 0, demo: {} });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
});

async function openPage() {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  page = await context.newPage();
  problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.goto(server.url);
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { timeout: 30_000 });
}

afterEach(async () => {
  if (!page) return;
  const seen = problems;
  await page.context().close();
  page = null;
  assert.deepEqual(seen, [], 'the page logged errors');
});

const shot = (name) => page.screenshot({ path: path.join(artifacts, `commitment-shape-${name}.png`), fullPage: true });
const commitmentsField = () => page.getByLabel('Earlier commitments (optional, oldest first)');

async function settledVerdict(timeout = 60_000) {
  await page.waitForFunction(() => {
    const box = document.querySelector('[role="status"]');
    return box && !box.classList.contains('running') && !box.classList.contains('idle');
  }, null, { timeout });
  return page.getByRole('status').innerText();
}

async function verifyWith(commitments) {
  await commitmentsField().fill(commitments.join('\n'));
  await page.waitForFunction(() => !document.getElementById('commitments-read').hidden, null, { timeout: 10_000 });
  await page.getByLabel('Log file', { exact: true }).setInputFiles({ name: 'other-shape.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(log.bytes) });
  return settledVerdict();
}

test('the log\'s own empty root is reached before record 1, with the shape taken from the log', async () => {
  await openPage();
  assert.notEqual(log.ownEmpty, log.defaultEmpty);
  assert.equal(await page.getByLabel('Key length (bytes)').inputValue(), '');
  const verdict = await verifyWith([log.ownEmpty, log.last]);
  assert.match(verdict, /Log verified: 6 records/);
  const reached = await page.locator('#result-figures ol.commitments li').allInnerTexts();
  assert.deepEqual(reached, [`${log.ownEmpty} after record 0`, `${log.last} after record 6`]);
  await shot('own-empty');
});

test('the default shape\'s empty root is not a root of this log: rejected', async () => {
  await openPage();
  const verdict = await verifyWith([log.defaultEmpty]);
  assert.match(verdict, /Log rejected: COMMITMENT_MISSING/);
  await shot('default-empty');
});
