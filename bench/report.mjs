// The last step of `make bench`: merges target/bench/{native,wasm-node,wasm-chromium}.json,
// prints the tables (Markdown, readable in a terminal), writes target/bench/latest.json and,
// with --update-docs, replaces the generated section of docs/PERFORMANCE.md.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dir = path.join(root, 'target', 'bench');
const read = (name) => {
  const file = path.join(dir, name);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
};
const native = read('native.json');
if (!native) {
  console.error('report: target/bench/native.json is missing (cargo bench --bench native -- --out target/bench)');
  process.exit(1);
}
const runtimes = [
  ['Node', read('wasm-node.json')],
  ['Chromium', read('wasm-chromium.json')],
].filter(([, r]) => r);

const command = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
};
const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
const machine = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  nproc: Number(command('nproc', [])) || os.cpus().length,
  cpu: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model,
  memory_gib: Math.round(os.totalmem() / 2 ** 30),
  rustc: command('rustc', ['--version']),
  node: process.version,
  chromium: read('wasm-chromium.json')?.runtime,
};

const int = (n) => (n === undefined || Number.isNaN(n) ? '–' : Math.round(n).toLocaleString('en-US'));
const ratio = (a, b) => (a === undefined || b === undefined || !b ? '–' : (a / b).toFixed(2));
const pct = (a, b) => (a === undefined || b === undefined || !b ? '–' : `${Math.round((100 * a) / b)} %`);
const kb = (n) => (n === undefined ? '–' : `${(n / 1024).toFixed(1)} KB`);
const table = (header, rows) =>
  [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

const sizes = Object.keys(native.sizes).map(Number).sort((a, b) => a - b);
const derived = {};
const lines = [];
lines.push(
  `Machine: ${machine.nproc} × ${machine.cpu}, ${machine.memory_gib} GiB; ${machine.rustc}; Node ${machine.node}` +
    `${machine.chromium ? `; ${machine.chromium}` : ''}; ${machine.date}.`,
  '',
  `Medians of ${native.runs} runs of ${native.ops_per_run.toLocaleString('en-US')} records (W1) or of 5 builds (W2; 3 at 1M).` +
    ' 32-byte keys, 8-byte values. "package" is the npm package through its JS API; "core" is the same Rust' +
    ' compiled to wasm without the JS API (bench/core-wasm: each run is one call into wasm).',
  '',
  '### W1 replay-verify (records/s; apply each record, digest and compare after every one)',
  '',
);
const w1Header = ['entries', 'ergo_avltree_rust native', 'basis_trees native'];
for (const [name] of runtimes) w1Header.push(`package ${name}`, `core ${name}`);
for (const [name] of runtimes) w1Header.push(`package ${name} / crate`);
const w1Rows = sizes.map((size) => {
  const n = native.sizes[size];
  const crate = n.w1.ergo_avltree_rust;
  const row = [int(size), int(crate), int(n.w1.basis_trees)];
  derived[size] = { w1_ratio: {} };
  for (const [name, r] of runtimes) {
    const s = r.sizes[size] ?? {};
    row.push(int(s.package?.w1), int(s.core?.w1));
  }
  for (const [name, r] of runtimes) {
    const s = r.sizes[size] ?? {};
    row.push(ratio(s.package?.w1, crate));
    derived[size].w1_ratio[name] = { package: s.package?.w1 / crate, core: s.core?.w1 / crate };
  }
  return row;
});
lines.push(table(w1Header, w1Rows), '');

lines.push(
  '### Hashing limit',
  '',
  'Labels computed per record are counted (nodes with no cached label before each digest, in a pass of the plain' +
    ' prover over the same records); the limit is 1 / (labels per record × ns per label), with ns per label timed' +
    ' in a loop hashing exactly what `Node::label` hashes (66-byte internal, 73-byte leaf inputs).',
  '',
);
const hashRows = [['native', native.hash_ns]].concat(runtimes.map(([name, r]) => [`wasm in ${name}`, r.hash_ns]));
lines.push(
  table(
    ['runtime', 'ns / internal label', 'ns / leaf label'],
    hashRows.map(([name, h]) => [name, h.internal.toFixed(1), h.leaf.toFixed(1)]),
  ),
  '',
);
const limitHeader = ['entries', 'labels / record', 'limit native', 'crate % of limit', 'basis_trees % of limit'];
for (const [name] of runtimes) limitHeader.push(`limit ${name}`, `package ${name} %`, `core ${name} %`);
const limitRows = sizes.map((size) => {
  const n = native.sizes[size];
  const { internal, leaf } = n.hashes_per_op;
  const limit = (h) => 1e9 / (internal * h.internal + leaf * h.leaf);
  const nativeLimit = limit(native.hash_ns);
  derived[size].hash_limit = { native: nativeLimit };
  const row = [
    int(size),
    `${(internal + leaf).toFixed(1)} (${internal.toFixed(1)} + ${leaf.toFixed(2)} leaves)`,
    int(nativeLimit),
    pct(n.w1.ergo_avltree_rust, nativeLimit),
    pct(n.w1.basis_trees, nativeLimit),
  ];
  for (const [name, r] of runtimes) {
    const l = limit(r.hash_ns);
    const s = r.sizes[size] ?? {};
    derived[size].hash_limit[name] = l;
    row.push(int(l), pct(s.package?.w1, l), pct(s.core?.w1, l));
  }
  return row;
});
lines.push(table(limitHeader, limitRows), '');

lines.push('### W2 batch build (inserts/s into an empty tree, digest at the end)', '');
const w2Header = ['entries', 'ergo_avltree_rust native', 'basis_trees native'];
for (const [name] of runtimes) w2Header.push(`package ${name}`, `core ${name}`);
const w2Rows = sizes
  .filter((size) => native.sizes[size].w2)
  .map((size) => {
    const n = native.sizes[size];
    const row = [int(size), int(n.w2.ergo_avltree_rust), int(n.w2.basis_trees)];
    for (const [, r] of runtimes) {
      const s = r.sizes[size] ?? {};
      row.push(s.package?.w2 ? `${int(s.package.w2)} (${s.package.w2_via})` : '–', int(s.core?.w2));
    }
    return row;
  });
lines.push(table(w2Header, w2Rows), '');

lines.push(
  '### Memory (bytes per entry)',
  '',
  'Native: resident-set growth of a fresh process building the tree one settled insert at a time. Wasm: growth of' +
    ' `memory.buffer.byteLength` of a fresh instance doing the same.',
  '',
);
const memHeader = ['entries', 'ergo_avltree_rust native', 'basis_trees native'];
for (const [name] of runtimes) memHeader.push(`package ${name}`, `core ${name}`);
const memSizes = [...new Set([...sizes, ...runtimes.flatMap(([, r]) => Object.keys(r.sizes).map(Number))])]
  .sort((a, b) => a - b)
  .filter((size) => native.sizes[size]?.bytes_per_entry || runtimes.some(([, r]) => r.sizes[size]?.bytes_per_entry));
const memRows = memSizes.map((size) => {
  const n = native.sizes[size]?.bytes_per_entry ?? {};
  const row = [int(size), int(n.ergo_avltree_rust), int(n.basis_trees)];
  for (const [, r] of runtimes) {
    const m = r.sizes[size]?.bytes_per_entry ?? {};
    row.push(int(m.package), int(m.core));
  }
  return row;
});
lines.push(table(memHeader, memRows), '');

const node = read('wasm-node.json');
const chromium = read('wasm-chromium.json');
if (node?.size) {
  const { wasm, js_web: web, js_node: nodeJs } = node.size;
  lines.push(
    '### Size and loading',
    '',
    table(
      ['what', 'raw', 'gzip -9'],
      [
        ['basis_trees_bg.wasm', kb(wasm.raw), kb(wasm.gzip)],
        [`web JS (${web.files.join(', ')})`, kb(web.raw), kb(web.gzip)],
        ['wasm + web JS', kb(wasm.raw + web.raw), kb(wasm.gzip + web.gzip)],
        [`Node JS (${nodeJs.files.join(', ')})`, kb(nodeJs.raw), kb(nodeJs.gzip)],
      ],
    ),
    '',
    `Loading: \`require('basis-trees')\` in a fresh Node process ${node.require_ms.toFixed(1)} ms` +
      `${chromium?.init_ms !== undefined ? `; \`await init()\` in a fresh Chromium page ${chromium.init_ms.toFixed(1)} ms` : ''}` +
      ' (medians of 5).',
    '',
  );
}

// The targets, judged on the largest size every runtime measured.
const targets = [];
const big = [...sizes].reverse().find((size) => runtimes.every(([, r]) => r.sizes[size]?.package?.w1));
if (big !== undefined) {
  const crate = native.sizes[big].w1.ergo_avltree_rust;
  for (const [name, r, goal] of [
    ['Node', node, 1.0],
    ['Chromium', chromium, 0.9],
  ]) {
    const w1 = r?.sizes[big]?.package?.w1;
    if (w1) targets.push([`W1 package in ${name} ≥ ${goal.toFixed(1)}× native crate (${int(big)} entries)`, `${ratio(w1, crate)}×`, w1 / crate >= goal]);
  }
  const l = derived[big].hash_limit.Node;
  const w1 = node?.sizes[big]?.package?.w1;
  if (l && w1) targets.push([`W1 package in Node ≥ 80 % of the hashing limit (${int(big)} entries)`, pct(w1, l), w1 / l >= 0.8]);
}
for (const [name, r] of runtimes) {
  const m = Object.entries(r.sizes).filter(([, s]) => s.bytes_per_entry?.package);
  for (const [size, s] of m) {
    targets.push([`wasm memory ≤ 200 bytes/entry in ${name} (${int(Number(size))} entries)`, int(s.bytes_per_entry.package), s.bytes_per_entry.package <= 200]);
  }
}
if (node?.size) {
  const gz = node.size.wasm.gzip + node.size.js_web.gzip;
  targets.push(['wasm + JS ≤ 60 KB gzipped', kb(gz), gz <= 60 * 1024]);
}
if (targets.length) {
  lines.push('### Targets', '', table(['target', 'measured', 'met'], targets.map(([t, m, ok]) => [t, m, ok ? 'yes' : 'no'])), '');
}

const text = lines.join('\n');
console.log(`\n${text}`);
fs.writeFileSync(
  path.join(dir, 'latest.json'),
  JSON.stringify({ machine, native, node, chromium, derived, targets: targets.map(([target, measured, met]) => ({ target, measured, met })) }, null, 2),
);
console.log(`\nwritten: ${path.relative(root, path.join(dir, 'latest.json'))}`);

if (process.argv.includes('--update-docs')) {
  const doc = path.join(root, 'docs', 'PERFORMANCE.md');
  const begin = '<!-- figures: generated by `make bench` (bench/report.mjs) -->';
  const end = '<!-- end of figures -->';
  const current = fs.readFileSync(doc, 'utf8');
  const from = current.indexOf(begin);
  const to = current.indexOf(end);
  if (from < 0 || to < from) {
    console.error('report: docs/PERFORMANCE.md has no generated section to replace');
    process.exit(1);
  }
  fs.writeFileSync(doc, `${current.slice(0, from + begin.length)}\n\n${text}\n${current.slice(to)}`);
  console.log('updated: docs/PERFORMANCE.md');
}
