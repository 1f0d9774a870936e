// Where the bytes of the package's .wasm are: code size per Rust module, read from the function
// names that wasm-bindgen's output still carries (target/bindgen/web/basis_trees_bg.wasm, before
// wasm-opt strips them; wasm-opt then shrinks everything by roughly the same factor).
//
//   node bench/wasm-size.mjs [path.wasm]   → prints the table, writes target/bench/wasm-size.json
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const file = path.resolve(root, process.argv[2] ?? 'target/bindgen/web/basis_trees_bg.wasm');
if (!fs.existsSync(file)) {
  console.log(`wasm-size: ${path.relative(root, file)} not found (make pkg): skipped`);
  process.exit(0);
}
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
// of the core's folders tree/, proof/, log/); "basis_trees::wasm::log::decode_log" →
// "basis_trees::wasm"; "<dlmalloc[…]::Dlmalloc<…>>::malloc" → "dlmalloc".
const FOLDERS = new Set(['tree', 'proof', 'log']);
const moduleOf = (name) => {
  const clean = name.replace(/^[<&_ ]+/, '').replace(/\[[0-9a-f]+\]/g, '');
  const parts = clean.split('::');
  const crate = parts[0].split(/[ <>]/)[0];
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
const top = rows.slice(0, 20);
const rest = rows.slice(20).reduce((n, [, s]) => n + s, 0);
console.log(`code ${(code / 1024).toFixed(1)} KB, data ${(dataBytes / 1024).toFixed(1)} KB, before wasm-opt:`);
for (const [module, size] of top) console.log(`  ${(size / 1024).toFixed(1).padStart(6)} KB  ${module}`);
console.log(`  ${(rest / 1024).toFixed(1).padStart(6)} KB  (${rows.length - top.length} other modules)`);
fs.mkdirSync(path.join(root, 'target', 'bench'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'target', 'bench', 'wasm-size.json'),
  JSON.stringify({ code, data: dataBytes, modules: Object.fromEntries(top), other: rest }, null, 2),
);
