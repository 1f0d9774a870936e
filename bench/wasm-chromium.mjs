// The wasm benchmarks in headless Chromium: serves the repository's bench/, pkg/ and
// target/bench/ on 127.0.0.1, opens bench/page.html and collects its figures. Writes
// target/bench/wasm-chromium.json.
//
//   node bench/wasm-chromium.mjs [--pkg pkg] [--dir target/bench] [--sizes 10000,100000,1000000]
//                                [--memory-sizes 100000,1000000] [--runs 5]
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { median } from './common.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const list = (text) => text.split(',').filter(Boolean).map(Number);
const pkg = path.resolve(root, option('--pkg', 'pkg'));
const dir = path.resolve(root, option('--dir', 'target/bench'));
const runs = Number(option('--runs', '5'));
const sizes = list(option('--sizes', '10000,100000,1000000'));
const memorySizes = list(option('--memory-sizes', '100000,1000000'));

const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
const mounts = [
  ['/bench/', path.join(root, 'bench')],
  ['/pkg/', pkg],
  ['/target/bench/', dir],
];
const server = http.createServer((request, response) => {
  const url = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
  const mount = mounts.find(([prefix]) => url.startsWith(prefix));
  const file = mount && path.join(mount[1], url.slice(mount[0].length));
  if (!file || !file.startsWith(mount[1]) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, {
    'content-type': types[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
  });
  fs.createReadStream(file).pipe(response);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.log('wasm-chromium: playwright-core is not installed (npm ci at the repository root): skipped');
  server.close();
  process.exit(0);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
try {
  const open = async () => {
    const page = await browser.newPage();
    page.on('console', (message) => console.log(message.text()));
    page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
    await page.goto(`${base}/bench/page.html`);
    await page.waitForFunction(() => window.benchReady === true);
    return page;
  };
  const page = await open();
  const result = await page.evaluate((options) => window.runBench(options), { sizes, runs });
  await page.close();
  for (const size of memorySizes) {
    const entry = (result.sizes[size] ??= {});
    entry.bytes_per_entry = {};
    for (const kind of size < (result.main_only_from ?? Infinity) ? ['core', 'package'] : ['package']) {
      const fresh = await open();
      const perEntry = await fresh.evaluate(([k, n]) => window.memoryChild(k, n), [kind, size]);
      await fresh.close();
      if (perEntry !== undefined && perEntry !== null) entry.bytes_per_entry[kind] = perEntry;
    }
    const { core, package: ours } = entry.bytes_per_entry;
    if (core === undefined && ours === undefined) delete entry.bytes_per_entry;
    else console.log(`size ${size}: wasm memory bytes/entry core ${core?.toFixed(0) ?? '-'}, package ${ours?.toFixed(0) ?? '-'}`);
  }
  const inits = [];
  for (let i = 0; i < 5; i++) {
    const fresh = await open();
    const ms = await fresh.evaluate(() => window.initTime());
    await fresh.close();
    if (typeof ms === 'number') inits.push(ms);
  }
  if (inits.length) {
    result.init_ms = median(inits);
    console.log(`await init() in a fresh page: ${result.init_ms.toFixed(1)} ms`);
  }
  result.runtime = `Chromium ${browser.version()}`;
  fs.writeFileSync(path.join(dir, 'wasm-chromium.json'), JSON.stringify(result, null, 2));
} finally {
  await browser.close();
  server.close();
}
