// Assembles the npm package in pkg/ from the wasm-bindgen outputs in target/bindgen/{node,web}
// and the hand-written files in pkg-template/. Run by `make pkg`, after wasm-bindgen.
//
//   pkg/basis_trees_bg.wasm   the one WebAssembly module (scripts/wasm-opt.mjs), shared by both glues
//   pkg/basis_trees.js        wasm-bindgen --target web glue (ESM; `init`, `initSync`)
//   pkg/basis_trees.cjs       wasm-bindgen --target nodejs glue (CJS; synchronous instantiation)
//   pkg/index.js              web entry;  pkg/index.cjs / index.mjs  Node entries
//   pkg/api.js / .cjs         the API over the glue (classes, functions, verifyLog, verifyLogStream)
//   pkg/boundary.js / .cjs    every argument read into an inert copy before the glue sees it
//   pkg/cli.cjs               the command line
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { wasmOpt } from './wasm-opt.mjs';

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

wasmOpt(path.join(bindgen, 'web', 'basis_trees_bg.wasm'), path.join(out, 'basis_trees_bg.wasm'));

// The glues repeat the Rust doc comments as JSDoc; index.d.ts documents the API, so they go.
const withoutJsDoc = (source) => source.replace(/^[ \t]*\/\*\*[\s\S]*?\*\/[ \t]*\n/gm, '');
const webGlue = withoutJsDoc(fs.readFileSync(path.join(bindgen, 'web', 'basis_trees.js'), 'utf8'));
fs.writeFileSync(path.join(out, 'basis_trees.js'), webGlue);
const nodeGlue = withoutJsDoc(fs.readFileSync(path.join(bindgen, 'node', 'basis_trees.js'), 'utf8'));
if (!nodeGlue.includes('`${__dirname}/basis_trees_bg.wasm`')) {
  fail('the nodejs glue no longer loads ${__dirname}/basis_trees_bg.wasm; check the wasm-bindgen version');
}
fs.writeFileSync(path.join(out, 'basis_trees.cjs'), nodeGlue);

for (const file of ['package.json', 'README.md', 'index.js', 'index.cjs', 'index.d.ts', 'boundary.js', 'api.js', 'cli.cjs']) {
  fs.copyFileSync(path.join(template, file), path.join(out, file));
}
fs.chmodSync(path.join(out, 'cli.cjs'), 0o755);

// boundary.js and api.js serve the web entry as ES modules; their CommonJS twins differ only in
// `export function name(` (→ `function name(` and module.exports) and
// `import { a, b } from './x.js';` (→ `const { a, b } = require('./x.cjs');`), the only forms
// they may use.
for (const name of ['boundary', 'api']) {
  const source = fs.readFileSync(path.join(template, `${name}.js`), 'utf8');
  const exported = [...source.matchAll(/^export function (\w+)\(/gm)].map((m) => m[1]);
  const commonJs = source
    .replace(/^export function (\w+)\(/gm, 'function $1(')
    .replace(/^import \{([^}]+)\} from '\.\/(\w+)\.js';$/gm, "const {$1} = require('./$2.cjs');");
  if (exported.length === 0 || /^\s*(import|export)\b/m.test(commonJs)) {
    fail(`pkg-template/${name}.js may only use \`export function name(\` and \`import { … } from './x.js';\``);
  }
  fs.writeFileSync(path.join(out, `${name}.cjs`), `'use strict';\n${commonJs}\nmodule.exports = { ${exported.join(', ')} };\n`);
}

// The Node ESM entry re-exports the CommonJS one name by name, so both share one instance.
const require = createRequire(import.meta.url);
const api = require(path.join(out, 'index.cjs'));
const names = Object.keys(api).filter((n) => n !== 'default');

// Every class, method, getter and function of the glue is wrapped by api.js: nothing reaches the
// glue without its arguments made inert. (The glue's `__`-prefixed exports are diagnostics.)
const glue = require(path.join(out, 'basis_trees.cjs'));
for (const [name, value] of Object.entries(glue)) {
  if (name.startsWith('__')) continue;
  if (typeof api[name] !== 'function') fail(`api.js does not wrap the glue's export ${name}`);
  if (!value.prototype || value.prototype.constructor !== value || !/^class\b/.test(String(value))) continue;
  for (const target of [[value.prototype, api[name].prototype], [value, api[name]]]) {
    for (const member of Object.getOwnPropertyNames(target[0])) {
      if (['constructor', 'prototype', 'length', 'name', '__wrap', '__destroy_into_raw'].includes(member)) continue;
      // `…Packed` methods take operations api.js packed itself (PACKED in api.js), never the caller's.
      if (/Packed$/.test(member)) continue;
      if (!Object.getOwnPropertyDescriptor(target[1], member)) fail(`api.js does not wrap ${name}${target[0] === value ? '.' : '.prototype.'}${member}`);
    }
  }
}
const webSource = fs.readFileSync(path.join(out, 'index.js'), 'utf8');
for (const name of names) {
  if (!['init', 'initSync'].includes(name) && !webSource.includes(`  ${name},\n`)) fail(`the web entry (index.js) does not export ${name}`);
}
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

// The log-verifier page and its server, for `npx basis-trees serve`: www/'s page files in pkg/www/.
fs.copyFileSync(path.join(template, 'serve.cjs'), path.join(out, 'serve.cjs'));
fs.mkdirSync(path.join(out, 'www'));
for (const file of fs.readdirSync(path.join(root, 'www')).filter((name) => /\.(html|css|js)$/.test(name))) {
  fs.copyFileSync(path.join(root, 'www', file), path.join(out, 'www', file));
}

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
const webEntry = ['basis_trees_bg.wasm', 'basis_trees.js', 'index.js', 'api.js', 'boundary.js'];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`pkg/: basis_trees_bg.wasm ${kb(size('basis_trees_bg.wasm'))} (${kb(gzipped(['basis_trees_bg.wasm']))} gzipped); ` +
  `web entry, wasm + JS: ${kb(webEntry.reduce((n, f) => n + size(f), 0))} (${kb(gzipped(webEntry))} gzipped)`);
