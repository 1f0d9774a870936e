// What the page's Chromium tests share: the server of www/ and pkg/, a headless Chromium, a fresh
// page per test whose console errors fail the test, screenshots, and the page's fields by label.
import { after, afterEach, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../scripts/serve.mjs';
import { loadPackage } from '../../scripts/demo-log.mjs';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const artifacts = path.join(repo, 'test-artifacts', 'page');
const { chromium } = createRequire(path.join(repo, 'package.json'))('playwright-core');
export const bt = loadPackage();

/** The demo tracker's key (basis-tracker demo/basis/simple/tracker_box_setup.json, R4). */
export const TRACKER_R4 = '07024e564477ff457c601c01ad1cc31903f8b27b7d5e515bd03138891d8152d787b2';

/** The R5 register of a Basis tree at `digest` (hex): 32-byte keys, values of any length or `valueLength`. */
export function register(digest, { valueLength = null } = {}) {
  const lengths = valueLength === null ? '2000' : `2001${valueLength.toString(16).padStart(2, '0')}`;
  return `64${digest}03${lengths}`;
}

/** A tracker box at `digest`, as the node API serves it. */
export function nodeBox(digest, options) {
  return JSON.stringify({
    boxId: '49787748507c2c2a2e416c3c4d5ad41ee9d448e9966a709e313279ac2c58e431',
    value: 10000000,
    creationHeight: 1750616,
    additionalRegisters: { R4: TRACKER_R4, R5: register(digest, options) },
  }, null, 2);
}

/**
 * Registers the hooks of a test file: the server (with `demo()`'s files under /demo/, made once
 * the package is loaded) and the browser before, the page's console checked after each test.
 * Returns the session: `{ server, page, open(width, height) }`, filled in as the tests run.
 */
export function pageSession({ demo = () => ({}), prefix = '' } = {}) {
  const session = { server: null, browser: null, page: null, problems: [], expected: [] };
  before(async () => {
    fs.mkdirSync(artifacts, { recursive: true });
    session.server = await startServer({ port: 0, demo: demo() });
    session.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  });
  after(async () => {
    if (session.browser) await session.browser.close();
    if (session.server) await session.server.close();
  });
  /** Closes the page; fails when it logged an error the test did not expect. */
  session.close = async () => {
    if (!session.page) return;
    const seen = session.problems.filter((problem) => !session.expected.some((pattern) => pattern.test(problem)));
    await session.page.context().close();
    session.page = null;
    assert.deepEqual(seen, [], 'the page logged errors');
  };
  afterEach(() => session.close());

  /** A fresh page, loaded and with its worker ready. */
  session.open = async (width = 1100, height = 900) => {
    const context = await session.browser.newContext({ viewport: { width, height }, acceptDownloads: true });
    const page = await context.newPage();
    session.page = page;
    session.problems = [];
    session.expected = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') session.problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (err) => session.problems.push(`page error: ${err.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) session.problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    await page.goto(session.server.url);
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { timeout: 30_000 });
    return page;
  };

  /** A screenshot in test-artifacts/page/: the whole page, or what is on screen. */
  session.shot = (name, { fullPage = true } = {}) => session.page.screenshot({ path: path.join(artifacts, `${prefix}${name}.png`), fullPage });
  /** A screenshot of one element. */
  session.shotOf = (selector, name) => session.page.locator(selector).screenshot({ path: path.join(artifacts, `${prefix}${name}.png`) });
  return session;
}

/** Waits until the verdict is no longer "Verifying…" (nor the idle one); returns its text. */
export async function settledVerdict(page, timeout = 60_000) {
  await page.waitForFunction(() => {
    const box = document.querySelector('[role="status"]');
    return box && !box.classList.contains('running') && !box.classList.contains('idle');
  }, null, { timeout });
  return page.locator('#verdict').innerText();
}

/** The figure `name` of the definition list `list` (a selector). */
export function term(page, list, name) {
  const exactly = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page.locator(`${list} dt`, { hasText: exactly }).locator('xpath=following-sibling::dd[1]').innerText();
}

/** The page's fields, by their labels as a user reads them. */
export const fields = {
  log: (page) => page.getByLabel('Log file', { exact: true }),
  box: (page) => page.getByLabel('Tracker\'s box on chain (JSON, or its R5 register in hex; optional)'),
  commitments: (page) => page.getByLabel('Earlier commitments (optional, oldest first)'),
  expectRoot: (page) => page.getByLabel('Expected final root (hex, optional)'),
};

/** Chooses a log in the file picker, as bytes named `name`. */
export function chooseLog(page, name, bytes) {
  return fields.log(page).setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
}
