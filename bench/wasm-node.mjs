// The wasm benchmarks in Node: the package as users load it (`require` of pkg/), on the workloads
// that `cargo bench --bench native -- --out target/bench` wrote. Writes target/bench/wasm-node.json.
//
//   node bench/wasm-node.mjs [--pkg pkg] [--core target/bench/core-wasm] [--dir target/bench]
//                            [--sizes 10000,100000,1000000] [--memory-sizes 100000,1000000] [--runs 5]
//
// Two wasm builds are measured: the package through its JS API, and the core alone
// (bench/core-wasm, built by `make bench`), whose runs are single calls into wasm.
// Memory is measured in a fresh Node process per size (`--memory-child KIND N`), through the web
// glue, whose `init` hands back the instance's exports and so its memory.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { SHAPE, bytesPerEntry, coreBytesPerEntry, median, runAll } from './common.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const list = (text) => text.split(',').filter(Boolean).map(Number);
const pkg = path.resolve(root, option('--pkg', 'pkg'));
const dir = path.resolve(root, option('--dir', 'target/bench'));
const coreDir = path.resolve(root, option('--core', 'target/bench/core-wasm'));
const runs = Number(option('--runs', '5'));
const sizes = list(option('--sizes', '10000,100000,1000000'));
const memorySizes = list(option('--memory-sizes', '100000,1000000'));
const hasPackage = fs.existsSync(path.join(pkg, 'package.json'));

/** A fresh instance of a web glue and its exports (`init` hands back the instance's exports). */
async function instantiate(glueFile, wasmFile) {
  const glue = await import(pathToFileURL(glueFile).href);
  const exports = await glue.default({ module_or_path: fs.readFileSync(wasmFile) });
  return { glue, memory: exports.memory };
}
const loadCore = () =>
  instantiate(path.join(coreDir, 'basis_trees_bench_wasm.js'), path.join(coreDir, 'basis_trees_bench_wasm_bg.wasm'));

if (args[0] === '--memory-child') {
  const [kind, size] = [args[1], Number(args[2])];
  if (kind === 'core') {
    const { glue, memory } = await loadCore();
    console.log(String(coreBytesPerEntry(glue, memory, size)));
  } else {
    const { glue, memory } = await instantiate(path.join(pkg, 'basis_trees.js'), path.join(pkg, 'basis_trees_bg.wasm'));
    console.log(String(bytesPerEntry(glue, memory, size)));
  }
  process.exit(0);
}

const require = createRequire(import.meta.url);
const bt = hasPackage ? require(pkg) : undefined;
if (!bt) console.log(`no package in ${pkg} (make pkg): core figures only`);
const { glue: core } = await loadCore();
const self = new URL(import.meta.url).pathname;
const result = await runAll({
  bt,
  core,
  loadWorkload: async (size) => fs.readFileSync(path.join(dir, `workload-${size}.bin`)),
  loadLog: async (size) => ({
    bytes: fs.readFileSync(path.join(dir, `log-${size}.bin`)),
    index: JSON.parse(fs.readFileSync(path.join(dir, `log-${size}.json`), 'utf8')),
  }),
  loadProofs: async (size) => ({
    bytes: fs.readFileSync(path.join(dir, `proofs-${size}.bin`)),
    index: JSON.parse(fs.readFileSync(path.join(dir, `proofs-${size}.json`), 'utf8')),
  }),
  memoryChild: async (kind, size) =>
    Number(
      execFileSync(process.execPath, [self, '--memory-child', kind, String(size), '--pkg', pkg, '--core', coreDir], {
        encoding: 'utf8',
      }).trim(),
    ),
  sizes,
  memorySizes,
  runs,
  log: (line) => console.log(line),
});
result.runtime = `Node ${process.version}`;
if (!hasPackage) {
  fs.writeFileSync(path.join(dir, 'wasm-node.json'), JSON.stringify(result, null, 2));
  process.exit(0);
}

// Loading: `require('basis-trees')` in a fresh process (read, compile, instantiate, glue).
const loads = [];
for (let i = 0; i < 5; i++) {
  const script = `const t=performance.now();require(${JSON.stringify(pkg)});console.log(performance.now()-t)`;
  loads.push(Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim()));
}
result.require_ms = median(loads);
console.log(`require('basis-trees') in a fresh process: ${result.require_ms.toFixed(1)} ms`);

// Sizes of what users download: the .wasm and each entry's JavaScript, raw and gzipped (-9).
const size = (files) => {
  const bytes = files.map((f) => fs.readFileSync(path.join(pkg, f)));
  const raw = bytes.reduce((n, b) => n + b.length, 0);
  const gzip = bytes.reduce((n, b) => n + zlib.gzipSync(b, { level: 9 }).length, 0);
  return { files, raw, gzip };
};
const present = (files) => files.filter((f) => fs.existsSync(path.join(pkg, f)));
result.size = {
  wasm: size(['basis_trees_bg.wasm']),
  // The web entry is index.js and the ES modules beside it (the glue and the API's modules, which
  // index.js imports); the Node entry is index.cjs, index.mjs, the nodejs glue and cjs/.
  js_web: size(fs.readdirSync(pkg).filter((f) => f.endsWith('.js')).sort()),
  js_node: size([
    ...present(['index.cjs', 'index.mjs', 'basis_trees.cjs']),
    ...(fs.existsSync(path.join(pkg, 'cjs'))
      ? fs.readdirSync(path.join(pkg, 'cjs')).filter((f) => f.endsWith('.js')).sort().map((f) => `cjs/${f}`)
      : []),
  ]),
};
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `size: wasm ${kb(result.size.wasm.raw)} (${kb(result.size.wasm.gzip)} gz); web JS ${kb(result.size.js_web.raw)} ` +
    `(${kb(result.size.js_web.gzip)} gz); wasm + web JS ${kb(result.size.wasm.gzip + result.size.js_web.gzip)} gz`,
);
result.shape = SHAPE;
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'wasm-node.json'), JSON.stringify(result, null, 2));
