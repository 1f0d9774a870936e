// Assembles the npm package in pkg/ from the wasm-bindgen outputs in target/bindgen/{node,web}
// and the hand-written files in pkg-template/. Run by `make pkg`, after wasm-bindgen.
//
//   pkg/basis_trees_bg.wasm   the one WebAssembly module (wasm-opt -Oz), shared by both glues
//   pkg/basis_trees.js        wasm-bindgen --target web glue (ESM; `init`, `initSync`)
//   pkg/basis_trees.cjs       wasm-bindgen --target nodejs glue (CJS; synchronous instantiation)
//   pkg/index.js              web entry;  pkg/index.cjs / index.mjs  Node entries
//   pkg/helpers.js / .cjs     verifyLog, verifyLogStream;  pkg/cli.cjs  the command line
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bindgen = path.join(root, 'target', 'bindgen');
const template = path.join(root, 'pkg-template');
const out = path.join(root, 'pkg');

function fail(message) {
  console.error(`build-pkg: ${message}`);
  process.exit(1);
}

const nodeWasm = fs.readFileSync(path.join(bindgen, 'node', 'basis_trees_bg.wasm'));
const webWasm = fs.readFileSync(path.join(bindgen, 'web', 'basis_trees_bg.wasm'));
// Both glues import from the same module names, so one .wasm file serves both.
if (!nodeWasm.equals(webWasm)) fail('the nodejs and web builds produced different .wasm files');

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out);

// -Oz with the features rustc enables by default for wasm32-unknown-unknown.
const wasmOpt = path.join(root, 'node_modules', '.bin', 'wasm-opt');
execFileSync(
  wasmOpt,
  [
    path.join(bindgen, 'web', 'basis_trees_bg.wasm'),
    '-Oz',
    '--converge',
    '--enable-bulk-memory',
    '--enable-multivalue',
    '--enable-mutable-globals',
    '--enable-nontrapping-float-to-int',
    '--enable-reference-types',
    '--enable-sign-ext',
    '-o',
    path.join(out, 'basis_trees_bg.wasm'),
  ],
  { stdio: 'inherit' },
);

// The glues repeat the Rust doc comments as JSDoc; index.d.ts documents the API, so they go.
const withoutJsDoc = (source) => source.replace(/^[ \t]*\/\*\*[\s\S]*?\*\/[ \t]*\n/gm, '');
const webGlue = withoutJsDoc(fs.readFileSync(path.join(bindgen, 'web', 'basis_trees.js'), 'utf8'));
fs.writeFileSync(path.join(out, 'basis_trees.js'), webGlue);
const nodeGlue = withoutJsDoc(fs.readFileSync(path.join(bindgen, 'node', 'basis_trees.js'), 'utf8'));
if (!webGlue.includes('this.__wbg_ptr = 0;') || !nodeGlue.includes('this.__wbg_ptr = 0;')) {
  fail('the glue no longer marks freed objects with __wbg_ptr = 0, which helpers.js relies on');
}
if (!nodeGlue.includes('`${__dirname}/basis_trees_bg.wasm`')) {
  fail('the nodejs glue no longer loads ${__dirname}/basis_trees_bg.wasm; check the wasm-bindgen version');
}
fs.writeFileSync(path.join(out, 'basis_trees.cjs'), nodeGlue);

for (const file of ['package.json', 'README.md', 'index.js', 'index.cjs', 'index.d.ts', 'helpers.js', 'cli.cjs']) {
  fs.copyFileSync(path.join(template, file), path.join(out, file));
}
fs.chmodSync(path.join(out, 'cli.cjs'), 0o755);

// helpers.js holds one `export function createHelpers`; its CommonJS twin differs only there.
const helpers = fs.readFileSync(path.join(template, 'helpers.js'), 'utf8');
const exportLine = 'export function createHelpers(';
if (helpers.split(exportLine).length !== 2 || /^\s*(import|export)\b/m.test(helpers.replace(exportLine, ''))) {
  fail('pkg-template/helpers.js must have exactly one export, `export function createHelpers(`, and no imports');
}
fs.writeFileSync(
  path.join(out, 'helpers.cjs'),
  `'use strict';\n${helpers.replace(exportLine, 'function createHelpers(')}\nmodule.exports = { createHelpers };\n`,
);

// The Node ESM entry re-exports the CommonJS one name by name, so both share one instance.
const require = createRequire(import.meta.url);
const names = Object.keys(require(path.join(out, 'index.cjs'))).filter((n) => n !== 'default');
fs.writeFileSync(
  path.join(out, 'index.mjs'),
  [
    '// The Node entry for `import ... from \'basis-trees\'`: the CommonJS entry, instantiated',
    '// synchronously, re-exported by name (no top-level await, no init call).',
    "import { createRequire } from 'node:module';",
    '',
    'const bt = createRequire(import.meta.url)(\'./index.cjs\');',
    '',
    ...names.map((name) => `export const ${name} = bt.${name};`),
    'export default bt.init;',
    '',
  ].join('\n'),
);

// The package's version is the crate's.
const cargo = fs.readFileSync(path.join(root, 'Cargo.toml'), 'utf8');
const crateVersion = /^version = "([^"]+)"/m.exec(cargo)[1];
const manifest = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8'));
if (manifest.version !== crateVersion) {
  fail(`pkg-template/package.json version ${manifest.version} differs from Cargo.toml's ${crateVersion}`);
}
for (const file of manifest.files) {
  if (!fs.existsSync(path.join(out, file))) fail(`package.json lists ${file}, which was not built`);
}

const size = (file) => fs.statSync(path.join(out, file)).size;
const gzipped = (files) => files.reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(out, f)), { level: 9 }).length, 0);
const web = ['basis_trees_bg.wasm', 'basis_trees.js', 'index.js', 'helpers.js'];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`pkg/: basis_trees_bg.wasm ${kb(size('basis_trees_bg.wasm'))} (${kb(gzipped(['basis_trees_bg.wasm']))} gzipped); ` +
  `web entry, wasm + JS: ${kb(web.reduce((n, f) => n + size(f), 0))} (${kb(gzipped(web))} gzipped)`);
