// Assembles the npm package in pkg/ from the wasm-bindgen outputs in target/bindgen/{node,web},
// the API's TypeScript in pkg-template/src/ and the other files of pkg-template/. Run by `make
// pkg`, after wasm-bindgen; `node scripts/build-pkg.mjs` alone rebuilds the JavaScript.
//
//   pkg/basis_trees_bg.wasm   the one WebAssembly module (scripts/wasm-opt.mjs), shared by both glues
//   pkg/basis_trees.js        wasm-bindgen --target web glue (ESM; `init`, `initSync`)
//   pkg/basis_trees.cjs       wasm-bindgen --target nodejs glue (CJS; synchronous instantiation)
//   pkg/index.js, api.js, tree.js …, *.d.ts   the API as ES modules (the web entry, index.js) and
//                             its declarations, emitted by tsc from pkg-template/src/
//   pkg/cjs/                  the same API as CommonJS, for Node
//   pkg/index.cjs / index.mjs the Node entries: one instance of the module for both
//   pkg/cli.cjs               the command line
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
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

for (const file of ['package.json', 'README.md', 'index.cjs', 'cli.cjs', 'cli-note.cjs']) {
  fs.copyFileSync(path.join(template, file), path.join(out, file));
}
fs.chmodSync(path.join(out, 'cli.cjs'), 0o755);

// The API from its TypeScript: ES modules and their declarations (index.d.ts is emitted, not
// written) for the web entry, and CommonJS in cjs/ for Node.
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
for (const project of ['tsconfig.json', 'tsconfig.types.json', 'tsconfig.cjs.json']) {
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(template, project)], { stdio: 'inherit' });
  } catch {
    fail(`tsc -p pkg-template/${project} failed`);
  }
}
// The web glue's declarations, which index.d.ts imports (tsc copies no .d.ts it is given).
fs.copyFileSync(path.join(template, 'src', 'basis_trees.d.ts'), path.join(out, 'basis_trees.d.ts'));
fs.writeFileSync(path.join(out, 'cjs', 'package.json'), '{ "type": "commonjs" }\n');

// The Node ESM entry re-exports the CommonJS one name by name, so both share one instance.
const require = createRequire(import.meta.url);
const api = require(path.join(out, 'index.cjs'));
const names = Object.keys(api).filter((n) => n !== 'default');

// Every class, method, getter and function of the glue is wrapped by api.js: nothing reaches the
// glue without its arguments made inert. (The glue's `__`-prefixed exports are diagnostics.)
const glue = require(path.join(out, 'basis_trees.cjs'));
for (const [name, value] of Object.entries(glue)) {
  if (name.startsWith('__')) continue;
  // `…Packed` functions take what the API packed itself from the function it wraps (verifyProof).
  const wrapped = /Packed$/.test(name) ? name.slice(0, -'Packed'.length) : name;
  if (typeof api[wrapped] !== 'function') fail(`api.js does not wrap the glue's export ${name}`);
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
const webNames = Object.keys(await import(pathToFileURL(path.join(out, 'index.js')).href)).filter((n) => n !== 'default');
if (webNames.sort().join() !== [...names].sort().join()) {
  fail(`the web entry exports ${webNames.sort().join(', ')}; the Node entry ${[...names].sort().join(', ')}`);
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
  if (!file.includes('*') && !fs.existsSync(path.join(out, file))) fail(`package.json lists ${file}, which was not built`);
}

const size = (file) => fs.statSync(path.join(out, file)).size;
const gzipped = (files) => files.reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(out, f)), { level: 9 }).length, 0);
const webEntry = ['basis_trees_bg.wasm', ...fs.readdirSync(out).filter((f) => f.endsWith('.js'))];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`pkg/: basis_trees_bg.wasm ${kb(size('basis_trees_bg.wasm'))} (${kb(gzipped(['basis_trees_bg.wasm']))} gzipped); ` +
  `web entry, wasm + JS: ${kb(webEntry.reduce((n, f) => n + size(f), 0))} (${kb(gzipped(webEntry))} gzipped)`);
