// `make bench-scale`: a tracker log of RECORDS records (10,000,000 over 1,000,000 notes, written
// once by `cargo run --release --example scale_log` to target/scale/) verified through the npm
// package, in Node from a file stream (`verifyLogStream`) and in headless Chromium by the page's
// worker (www/worker.js) fetching it from a local server, each both ways: stateful (the plain log,
// a tree held) and stateless (the log whose records carry proofs, no tree held). A benchmark, not
// a test: it prints figures and writes them to target/scale/bench-scale.json. In Chromium it runs
// the page's worker as the page does, and the package alone (`verifyLogStream` over the fetched
// body) in a worker of its own, so that the page's own costs can be told from the package's.
//
//   node scripts/bench-scale.mjs [--records 10000000] [--only node,chromium,chromium-package]
//                                [--modes stateful,stateless] [--pkg pkg] [--dir target/scale]
//
// Per run: records/s; the wasm memory (`memory.buffer.byteLength`, which never shrinks, so the
// last reading is the peak) and the resident memory (Node: this process; Chromium: the renderer
// process running the worker, and every process of the browser together), each also after every
// million records, to show they stay flat once the tree holds its notes; Node's longest stall of
// the event loop; in Chromium the main thread's longest task (PerformanceObserver `longtask`, which
// reports every task over 50 ms) and its longest gap between two 10 ms timers.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const records = Number(option('--records', '10000000'));
const only = option('--only', 'node,chromium,chromium-package').split(',');
const modes = option('--modes', 'stateful,stateless').split(',');
const pkg = path.resolve(repo, option('--pkg', 'pkg'));
const dir = path.resolve(repo, option('--dir', 'target/scale'));
const files = {
  stateful: path.join(dir, `scale-${records}.log`),
  stateless: path.join(dir, `scale-${records}-proofs.log`),
};
const rootFile = path.join(dir, `scale-${records}.root`);
const MILLION = 1_000_000;
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Resident bytes of process `pid` (0 when it is gone). */
function rssOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status);
    return kb ? Number(kb[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** `pid` and every process below it. */
function processTree(pid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  const all = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    all.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return all;
}

/** One Node run in this (fresh) process: the package's web entry, so that its memory is at hand. */
async function nodeChild(mode) {
  const glue = await import(pathToFileURL(path.join(pkg, 'index.js')).href);
  const exports = await glue.default({ module_or_path: fs.readFileSync(path.join(pkg, 'basis_trees_bg.wasm')) });
  const memory = exports.memory;
  const expectRoot = glue.fromHex(fs.readFileSync(rootFile, 'utf8').trim());
  let peakRss = process.memoryUsage.rss();
  let last = performance.now();
  let longestStall = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestStall = Math.max(longestStall, now - last);
    last = now;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 10);
  const marks = [];
  let nextMark = MILLION;
  const started = performance.now();
  const options = {
    expectRoot,
    onProgress: (p) => {
      if (Number(p.records) < nextMark) return;
      nextMark += MILLION;
      const rss = process.memoryUsage.rss();
      peakRss = Math.max(peakRss, rss);
      marks.push({ records: Number(p.records), wasm: memory.buffer.byteLength, rss, seconds: (performance.now() - started) / 1e3 });
    },
  };
  if (mode === 'stateless') options.stateless = true;
  const report = await glue.verifyLogStream(fs.createReadStream(files[mode], { highWaterMark: 1 << 20 }), options);
  const seconds = (performance.now() - started) / 1e3;
  clearInterval(timer);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const result = {
    records: Number(report.operations),
    seconds,
    rate: Number(report.operations) / seconds,
    finalRoot: glue.toHex(report.finalRoot),
    wasmBytes: memory.buffer.byteLength,
    peakRss,
    maxRssKernel: process.resourceUsage().maxRSS * 1024,
    longestStallMs: longestStall,
    marks,
  };
  process.stdout.write(JSON.stringify(result));
}

function runNode(mode) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, '--records', String(records), '--pkg', pkg, '--dir', dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`the Node ${mode} run failed (status ${child.status})`);
  return JSON.parse(child.stdout);
}

/** The bench page: the page's worker driven through its messages, the main thread watched. */
const PAGE_HTML = `<!doctype html><meta charset="utf-8"><title>bench-scale</title><script type="module" src="/bench-scale/page.js"></script>`;
const PAGE_JS = `
const longTasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); })
  .observe({ type: 'longtask', buffered: true });
let longestGap = 0;
let last = performance.now();
setInterval(() => { const now = performance.now(); longestGap = Math.max(longestGap, now - last); last = now; }, 10);
// ?worker=package: the benchmark's own worker (the package alone); else the page's.
const worker = new Worker(new URLSearchParams(location.search).get('worker') === 'package' ? '/bench-scale/worker.js' : '/worker.js', { type: 'module' });
const ready = new Promise((resolve, reject) => {
  worker.addEventListener('message', function first(e) {
    if (e.data.type === 'ready') resolve();
    else if (e.data.type === 'fatal') reject(new Error(e.data.message));
  });
});
let nextId = 1;
window.progress = null;
window.runScale = async ({ url, expectRoot, stateless }) => {
  await ready;
  const id = nextId++;
  longTasks.length = 0;
  longestGap = 0;
  last = performance.now();
  const started = performance.now();
  let progressMessages = 0;
  const outcome = await new Promise((resolve) => {
    const listen = (e) => {
      const m = e.data;
      if (m.id !== id) return;
      if (m.type === 'progress') { progressMessages++; window.progress = m; }
      if (m.type === 'verified' || m.type === 'failed' || m.type === 'cancelled') {
        worker.removeEventListener('message', listen);
        resolve(m);
      }
    };
    worker.addEventListener('message', listen);
    worker.postMessage({ type: 'verify', id, source: { url }, shape: { keyLength: undefined, valueLength: undefined },
      expectRoot, trackerBox: '', commitments: '', start: null, stateless });
  });
  await new Promise((r) => setTimeout(r, 100)); // late longtask entries
  return {
    type: outcome.type,
    error: outcome.error || null,
    report: outcome.report || null,
    elapsedMs: outcome.elapsedMs,
    pageMs: performance.now() - started,
    progressMessages,
    longTasks: longTasks.length,
    longestTaskMs: longTasks.length ? Math.max(...longTasks) : 0,
    longestGapMs: longestGap,
  };
};
window.benchReady = true;
`;

/** A worker of the benchmark's own: the package alone (`verifyLogStream` over the fetched body),
 *  without the page's worker's bookkeeping, answering the page worker's `verify` message. */
const WORKER_JS = `
import init, * as bt from '/pkg/index.js';
const ready = init().then(() => self.postMessage({ type: 'ready' }));
self.onmessage = async ({ data }) => {
  await ready;
  const started = performance.now();
  try {
    const response = await fetch(data.source.url, { cache: 'no-store' });
    let lastPost = -Infinity;
    const options = { expectRoot: bt.fromHex(data.expectRoot), onProgress: (p) => {
      const now = performance.now();
      if (now - lastPost < 80) return;
      lastPost = now;
      self.postMessage({ type: 'progress', id: data.id, records: Number(p.records), bytes: Number(p.bytes) });
    } };
    if (data.stateless) options.stateless = true;
    const report = await bt.verifyLogStream(response.body, options);
    self.postMessage({ type: 'verified', id: data.id, elapsedMs: performance.now() - started,
      report: { operations: Number(report.operations), finalRoot: bt.toHex(report.finalRoot) } });
  } catch (err) {
    self.postMessage({ type: 'failed', id: data.id, error: { code: err.code, message: String(err.message) } });
  }
};
`;

function startBenchServer() {
  const mounts = [
    ['/pkg/', pkg],
    ['/scale/', dir],
    ['/', path.join(repo, 'www')],
  ];
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    if (url === '/bench-scale/') return res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE_HTML);
    if (url === '/bench-scale/page.js') return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(PAGE_JS);
    if (url === '/bench-scale/worker.js') return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(WORKER_JS);
    for (const [prefix, base] of mounts) {
      if (!url.startsWith(prefix)) continue;
      const file = path.resolve(base, `.${url.slice(prefix.length - 1)}`);
      if (!file.startsWith(base + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) break;
      const type = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' }[path.extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': fs.statSync(file).size, 'Cache-Control': 'no-store' });
      // pipe() waits for the socket to drain: the browser's reading paces the file's.
      fs.createReadStream(file, { highWaterMark: 1 << 20 }).pipe(res);
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function runChromium(wanted, kind) {
  const { chromium } = await import('playwright-core');
  const server = await startBenchServer();
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const results = {};
  try {
    for (const mode of wanted) {
      const page = await browser.newPage();
      page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
      const workerReady = page.waitForEvent('worker');
      await page.goto(`${base}/bench-scale/${kind === 'package' ? '?worker=package' : ''}`);
      await page.waitForFunction(() => window.benchReady === true);
      const worker = await workerReady;
      const wasmBytes = () =>
        worker.evaluate(async (u) => (await (await import(u)).default()).memory.buffer.byteLength, `${base}/pkg/basis_trees.js`).catch(() => 0);
      // (The page's worker imports the package as ./pkg/, the benchmark's as /pkg/: the same URL.)
      const rootHex = fs.readFileSync(rootFile, 'utf8').trim();
      const run = page.evaluate((o) => window.runScale(o), { url: `${base}/scale/${path.basename(files[mode])}`, expectRoot: rootHex, stateless: mode === 'stateless' });
      let done = false;
      run.finally(() => (done = true));
      const marks = [];
      let nextMark = MILLION;
      let peakWasm = 0;
      let peakRenderer = 0;
      let peakAll = 0;
      const started = performance.now();
      while (!done) {
        await new Promise((r) => setTimeout(r, 1000));
        if (done) break;
        const wasm = await wasmBytes();
        // The browser's processes are this one's children.
        const pids = processTree(process.pid).filter((p) => p !== process.pid);
        const rss = pids.map(rssOf);
        const renderer = Math.max(0, ...rss);
        const all = rss.reduce((a, b) => a + b, 0);
        [peakWasm, peakRenderer, peakAll] = [Math.max(peakWasm, wasm), Math.max(peakRenderer, renderer), Math.max(peakAll, all)];
        const progress = await page.evaluate(() => window.progress).catch(() => null);
        if (progress && progress.records >= nextMark) {
          nextMark = (Math.floor(progress.records / MILLION) + 1) * MILLION;
          marks.push({ records: progress.records, wasm, renderer, all, seconds: (performance.now() - started) / 1e3 });
          process.stderr.write(`  chromium ${kind} ${mode}: ${progress.records.toLocaleString('en-US')} records, wasm ${mb(wasm)}, renderer ${mb(renderer)}\n`);
        }
      }
      const outcome = await run;
      peakWasm = Math.max(peakWasm, await wasmBytes());
      if (outcome.type !== 'verified') throw new Error(`Chromium ${mode}: ${outcome.type} ${JSON.stringify(outcome.error)}`);
      const seconds = outcome.elapsedMs / 1e3;
      results[mode] = {
        records: outcome.report.operations,
        seconds,
        rate: outcome.report.operations / seconds,
        finalRoot: outcome.report.finalRoot,
        wasmBytes: peakWasm,
        peakRendererRss: peakRenderer,
        peakBrowserRss: peakAll,
        longTasks: outcome.longTasks,
        longestTaskMs: outcome.longestTaskMs,
        longestGapMs: outcome.longestGapMs,
        progressMessages: outcome.progressMessages,
        marks,
      };
      await page.close();
    }
    results.runtime = `Chromium ${browser.version()}`;
  } finally {
    await browser.close();
    server.close();
  }
  return results;
}

if (args[0] === '--child') {
  await nodeChild(args[1]);
  process.exit(0);
}

for (const mode of modes) {
  if (!fs.existsSync(files[mode])) {
    console.error(`${path.relative(repo, files[mode])} is missing: cargo run --release --example scale_log -- ${records}`);
    process.exit(1);
  }
}
const expected = fs.readFileSync(rootFile, 'utf8').trim();
const out = { records, root: expected, files: {}, node: {} };
for (const mode of modes) out.files[mode] = fs.statSync(files[mode]).size;
console.log(`bench-scale: ${records.toLocaleString('en-US')} records; ${modes.map((m) => `${m} log ${mb(out.files[m])}`).join(', ')}`);
const line = (where, mode, r) => {
  if (r.finalRoot !== expected) throw new Error(`${where} ${mode}: final root ${r.finalRoot}, expected ${expected}`);
  const memory =
    where === 'Node'
      ? `wasm ${mb(r.wasmBytes)}, peak RSS ${mb(r.peakRss)}, longest event-loop stall ${r.longestStallMs.toFixed(0)} ms`
      : `wasm ${mb(r.wasmBytes)}, renderer RSS ${mb(r.peakRendererRss)} (browser ${mb(r.peakBrowserRss)}), main thread: ${r.longTasks} tasks over 50 ms (longest ${r.longestTaskMs.toFixed(0)} ms), longest timer gap ${r.longestGapMs.toFixed(0)} ms`;
  console.log(`  ${where} ${mode}: ${r.records.toLocaleString('en-US')} records in ${r.seconds.toFixed(1)} s, ${Math.round(r.rate).toLocaleString('en-US')} records/s; ${memory}`);
  const wasmAt = r.marks.map((m) => `${m.records / MILLION}M ${mb(m.wasm)}`).join(', ');
  if (wasmAt) console.log(`    wasm memory by records: ${wasmAt}`);
};
if (only.includes('node')) {
  for (const mode of modes) {
    out.node[mode] = runNode(mode);
    line('Node', mode, out.node[mode]);
  }
}
// The page's worker (www/worker.js, as a user runs it), and the package alone in a worker.
for (const kind of ['page', 'package']) {
  if (!only.includes(kind === 'page' ? 'chromium' : 'chromium-package')) continue;
  const results = await runChromium(modes, kind);
  out[kind === 'page' ? 'chromium' : 'chromiumPackage'] = results;
  for (const mode of modes) line(kind === 'page' ? 'Chromium, the page\'s worker,' : 'Chromium, the package alone in a worker,', mode, results[mode]);
}
fs.writeFileSync(path.join(dir, 'bench-scale.json'), JSON.stringify(out, null, 2));
console.log(`written: ${path.relative(repo, path.join(dir, 'bench-scale.json'))}`);
