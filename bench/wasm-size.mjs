// Where the bytes of the package's .wasm are: the size of each function of the module the package
// ships, by Rust module. wasm-bindgen's output (target/bindgen/web/basis_trees_bg.wasm, which
// still has its function names) goes through the package's wasm-opt (scripts/wasm-opt.mjs) with
// `-g`, which keeps the names and leaves the code and data exactly as shipped; each function's
// body is then counted against the module its name says. A function inlined into another counts
// where it was inlined: the exported functions of the bindings hold much of what they call.
//
//   node bench/wasm-size.mjs [path.wasm]   → prints the table, writes target/bench/wasm-size.json
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { wasmOpt } from '../scripts/wasm-opt.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const input = path.resolve(root, process.argv[2] ?? 'target/bindgen/web/basis_trees_bg.wasm');
if (!fs.existsSync(input)) {
  console.log(`wasm-size: ${path.relative(root, input)} not found (make pkg): skipped`);
  process.exit(0);
}
fs.mkdirSync(path.join(root, 'target', 'bench'), { recursive: true });
const file = path.join(root, 'target', 'bench', 'basis_trees_named.wasm');
wasmOpt(input, file, ['-g']);
const bytes = fs.readFileSync(file);
let at = 8;
const leb = () => {
  let result = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[at++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return result;
};
const skipLimits = () => {
  const flags = bytes[at++];
  leb();
  if (flags & 1) leb();
};

let importedFunctions = 0;
const bodies = [];
const names = new Map();
let dataBytes = 0;
while (at < bytes.length) {
  const id = bytes[at++];
  const size = leb();
  const end = at + size;
  if (id === 0) {
    const length = leb();
    const name = bytes.subarray(at, at + length).toString();
    at += length;
    while (name === 'name' && at < end) {
      const sub = bytes[at++];
      const subSize = leb();
      const subEnd = at + subSize;
      if (sub === 1) {
        for (let n = leb(); n > 0; n--) {
          const index = leb();
          const length = leb();
          names.set(index, bytes.subarray(at, at + length).toString());
          at += length;
        }
      }
      at = subEnd;
    }
  } else if (id === 2) {
    for (let n = leb(); n > 0; n--) {
      for (let part = 0; part < 2; part++) {
        const length = leb(); // module, then field
        at += length;
      }
      const kind = bytes[at++];
      if (kind === 0) {
        leb();
        importedFunctions++;
      } else if (kind === 1) {
        at++;
        skipLimits();
      } else if (kind === 2) {
        skipLimits();
      } else {
        at += 2;
      }
    }
  } else if (id === 10) {
    for (let n = leb(), i = 0; i < n; i++) {
      const length = leb();
      bodies.push([importedFunctions + i, length]);
      at += length;
    }
  } else if (id === 11) {
    dataBytes = size;
  }
  at = end;
}

// "basis_trees::log::codec::LogDecoder::next_record::h0123…" → "basis_trees::log::codec" (a file
// of the folders tree/, proof/, log/, chain/, wasm/); "basis_trees::tree::Tree::prove" →
// "basis_trees::tree"; "<dlmalloc[…]::Dlmalloc<…>>::malloc" → "dlmalloc", "<char as
// core::fmt::Debug>::fmt" → "core"; the functions
// wasm-bindgen generates for the exports ("tree_insert externref shim multivalue shim"), which
// hold the bindings' code inlined into them → "basis_trees_wasm (exports)"; a file of the bindings
// ("basis_trees_wasm::convert::bytes::h0123…") → "basis_trees_wasm::convert"; other names without
// a path (compiler intrinsics such as memcpy, functions wasm-opt made) → "(no path)".
const FOLDERS = new Set(['tree', 'proof', 'log', 'chain', 'wasm']);
const moduleOf = (name) => {
  if (/ shim$/.test(name)) return 'basis_trees_wasm (exports)';
  const clean = name.replace(/^[<&_ ]+/, '').replace(/\[[0-9a-f]+\]/g, '');
  const parts = clean.split('::');
  if (parts.length === 1) return '(no path)';
  // "<T as core::fmt::Display>::fmt", "<char as core::fmt::Debug>::fmt": the trait's crate.
  const crate = (/^[^:]+ as (\w+)$/.exec(parts[0])?.[1] ?? parts[0]).split(/[ <>]/)[0];
  if (crate === 'basis_trees_wasm' && parts.length > 2) return `${crate}::${parts[1]}`;
  if (crate !== 'basis_trees' || parts.length <= 2) return crate;
  // A file of a folder: a lower-case name after the folder's, before the item's (a function's
  // name is followed by at least its hash).
  const file = parts[2];
  const inFile = FOLDERS.has(parts[1]) && parts.length > 4 && /^[a-z_0-9]+$/.test(file);
  return inFile ? `${crate}::${parts[1]}::${file}` : `${crate}::${parts[1]}`;
};
const modules = new Map();
let code = 0;
for (const [index, length] of bodies) {
  const module = moduleOf(names.get(index) ?? 'unnamed');
  modules.set(module, (modules.get(module) ?? 0) + length);
  code += length;
}
const rows = [...modules].sort((a, b) => b[1] - a[1]);
const top = rows.slice(0, 25);
const rest = rows.slice(25).reduce((n, [, s]) => n + s, 0);
// The module as shipped: the same without its names.
wasmOpt(input, path.join(root, 'target', 'bench', 'basis_trees_shipped.wasm'));
const shipped = fs.readFileSync(path.join(root, 'target', 'bench', 'basis_trees_shipped.wasm'));
const gzip = zlib.gzipSync(shipped, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`.wasm ${kb(shipped.length)} (${kb(gzip)} gzipped): code ${kb(code)}, data ${kb(dataBytes)}, by module:`);
for (const [module, size] of top) console.log(`  ${(size / 1024).toFixed(1).padStart(6)} KB  ${module}`);
console.log(`  ${(rest / 1024).toFixed(1).padStart(6)} KB  (${rows.length - top.length} other modules)`);
fs.writeFileSync(
  path.join(root, 'target', 'bench', 'wasm-size.json'),
  JSON.stringify({ raw: shipped.length, gzip, code, data: dataBytes, modules: Object.fromEntries(top), other: rest }, null, 2),
);
