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
const node = read('wasm-node.json');
const chromium = read('wasm-chromium.json');
const runtimes = [
  ['Node', node],
  ['Chromium', chromium],
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
const sizeHeader = sizes.map((size) => int(size));
const derived = {};
const lines = [];
lines.push(
  `Machine: ${machine.nproc} × ${machine.cpu}, ${machine.memory_gib} GiB; ${machine.rustc}; Node ${machine.node}` +
    `${machine.chromium ? `; ${machine.chromium}` : ''}; ${machine.date}.`,
  '',
  `Medians of ${native.runs} runs of ${native.ops_per_run.toLocaleString('en-US')} records (W1) or of 5 builds,` +
    ' saves and restores (W2, W5; 3 natively at 1M). 32-byte keys, 8-byte values. "package" is the npm package' +
    ' through its JS API; "core" is the same Rust compiled to wasm without the JS API (bench/core-wasm: each run' +
    ' is one call into wasm). To keep the run within minutes, the wasm side runs the main workloads only at' +
    ` ${int(node?.main_only_from ?? chromium?.main_only_from ?? 1_000_000)} entries and more: W1 through` +
    ' `LogVerifier`, W4, W5 with one save and restore of the verified tree, and the package\'s memory.',
  '',
);

// W1: one row per implementation and runtime, one column per tree size.
const w1Rows = [
  ['ergo_avltree_rust, native (the anchor)', (size) => native.sizes[size].w1.ergo_avltree_rust],
  ['ergo_avltree_rust without proofs, native', (size) => native.sizes[size].w1.ergo_avltree_rust_no_proofs],
  ['basis_trees `replay_record`, native', (size) => native.sizes[size].w1.basis_trees],
  ['basis_trees `LogVerifier`, native', (size) => native.sizes[size].w1.log_verifier],
];
for (const [name, r] of runtimes) {
  w1Rows.push(
    [`package \`LogVerifier\`, ${name}`, (size) => r.sizes[size]?.package?.w1_log_verifier],
    [`package \`Tree\` API, ${name}`, (size) => r.sizes[size]?.package?.w1],
    [`core \`replay_record\`, ${name}`, (size) => r.sizes[size]?.core?.w1],
  );
}
const anchor = (size) => native.sizes[size].w1.ergo_avltree_rust;
for (const size of sizes) derived[size] = { w1: {}, w1_ratio: {}, hash_limit: {} };
lines.push(
  '### W1 replay-verify',
  '',
  'Records/s, each record applied and the digest computed and compared after it; in brackets, the ratio to the' +
    ' native crate on the same records.',
  '',
  table(
    ['implementation, runtime', ...sizeHeader],
    w1Rows
      .filter(([, get]) => sizes.some((size) => get(size) !== undefined && get(size) !== null))
      .map(([name, get]) => [
        name,
        ...sizes.map((size) => {
          const v = get(size) ?? undefined;
          derived[size].w1[name] = v;
          derived[size].w1_ratio[name] = v === undefined ? undefined : v / anchor(size);
          return v === undefined ? '–' : `${int(v)} (${ratio(v, anchor(size))}×)`;
        }),
      ]),
  ),
  '',
);

lines.push(
  '### Hashing limit',
  '',
  'Labels computed per record are counted (nodes with no cached label before each digest, in a pass of the plain' +
    ' prover over the same records); the limit is 1 / (labels per record × ns per label), with ns per label timed' +
    ' in a loop hashing exactly what `Node::label` hashes (66-byte internal, 73-byte leaf inputs), in each runtime.',
  '',
);
const hashRuntimes = [['native', native.hash_ns]].concat(runtimes.map(([name, r]) => [`wasm, ${name}`, r.hash_ns]));
lines.push(
  table(
    ['runtime', 'ns / internal label', 'ns / leaf label'],
    hashRuntimes.map(([name, h]) => [name, h.internal.toFixed(1), h.leaf.toFixed(1)]),
  ),
  '',
);
const labels = (size) => native.sizes[size].hashes_per_op;
const limitOf = (size, h) => 1e9 / (labels(size).internal * h.internal + labels(size).leaf * h.leaf);
const limitRows = [
  [
    'labels per record (internal + leaves)',
    ...sizes.map((size) => `${labels(size).internal.toFixed(1)} + ${labels(size).leaf.toFixed(2)}`),
  ],
];
for (const [name, h] of hashRuntimes) {
  limitRows.push([`limit, ${name} (records/s)`, ...sizes.map((size) => int((derived[size].hash_limit[name] = limitOf(size, h))))]);
}
for (const [name, get] of w1Rows) {
  const runtime = name.endsWith('native') || name.endsWith('(the anchor)') ? 'native' : `wasm, ${name.split(', ').pop()}`;
  const h = hashRuntimes.find(([n]) => n === runtime)?.[1];
  if (!h || !sizes.some((size) => get(size) !== undefined && get(size) !== null)) continue;
  limitRows.push([`${name}: % of its limit`, ...sizes.map((size) => pct(get(size) ?? undefined, limitOf(size, h)))]);
}
lines.push(table(['', ...sizeHeader], limitRows), '');

lines.push('### W2 batch build', '', 'Inserts/s into an empty tree in one batch, digest at the end.', '');
const w2Sizes = sizes.filter((size) => native.sizes[size].w2);
const w2Rows = [
  ['ergo_avltree_rust, native', (size) => native.sizes[size].w2?.ergo_avltree_rust],
  ['basis_trees `Tree::apply_all`, native', (size) => native.sizes[size].w2?.basis_trees],
];
for (const [name, r] of runtimes) {
  w2Rows.push(
    [`package \`Tree.applyAll\`, ${name}`, (size) => r.sizes[size]?.package?.w2],
    [`core \`Tree::apply_all\`, ${name}`, (size) => r.sizes[size]?.core?.w2],
  );
}
lines.push(
  table(
    ['implementation, runtime', ...w2Sizes.map((size) => int(size))],
    w2Rows.map(([name, get]) => [name, ...w2Sizes.map((size) => int(get(size)))]),
  ),
  '',
);

if (sizes.some((size) => native.sizes[size].w3)) {
  const rows = [
    ['made, native (`Tree::prove_lookup`)', (size) => native.sizes[size].w3?.made],
    ['verified, native (`verify_proof`)', (size) => native.sizes[size].w3?.verified],
  ];
  for (const [name, r] of runtimes) {
    rows.push(
      [`made, package ${name} (\`proveLookup\`)`, (size) => r.sizes[size]?.package?.w3?.made],
      [`verified, package ${name} (\`verifyProof\`)`, (size) => r.sizes[size]?.package?.w3?.verified],
    );
  }
  lines.push(
    '### W3 lookup proofs',
    '',
    'Single-key lookup proofs of present keys, per second; the proof size is the mean.',
    '',
    table(
      ['', ...sizeHeader],
      [
        ['proof size', ...sizes.map((size) => `${int(native.sizes[size].w3?.proof_bytes)} bytes`)],
        ...rows.filter(([, get]) => sizes.some((size) => get(size))).map(([name, get]) => [name, ...sizes.map((size) => int(get(size)))]),
      ],
    ),
    '',
  );
}

if (sizes.some((size) => native.sizes[size].w4)) {
  const rows = [
    ['`verify_record_proof`, native', (size) => native.sizes[size].w4?.verify_record_proof],
    ['`LogVerifier` stateless, native', (size) => native.sizes[size].w4?.log_verifier],
  ];
  for (const [name, r] of runtimes) {
    rows.push([`package \`LogVerifier\` stateless, ${name}`, (size) => r.sizes[size]?.package?.w4?.rate]);
  }
  const growth = runtimes
    .flatMap(([name, r]) => sizes.map((size) => [name, size, r.sizes[size]?.package?.w4?.memory_growth_after_first_run]))
    .filter(([, , g]) => g !== undefined);
  lines.push(
    '### W4 stateless proof-chain verification',
    '',
    'Records/s, each record checked by the proof it carries against its root before; no tree is held.' +
      (growth.length
        ? ` Wasm memory growth after the first run: ${growth.map(([name, size, g]) => `${g} bytes (${name}, ${int(size)})`).join(', ')}.`
        : ''),
    '',
    table(
      ['', ...sizeHeader],
      rows.filter(([, get]) => sizes.some((size) => get(size))).map(([name, get]) => [name, ...sizes.map((size) => int(get(size)))]),
    ),
    '',
  );
}

const w5Sizes = sizes.filter((size) => native.sizes[size].w5);
if (w5Sizes.length) {
  const ms = (n) => (n === undefined ? '–' : `${n.toFixed(n < 10 ? 1 : 0)} ms`);
  const w5Rows = [['snapshot size', ...w5Sizes.map((size) => kb(native.sizes[size].w5.snapshot_bytes))]];
  const runtimesW5 = [['native', (size) => native.sizes[size].w5]].concat(
    runtimes.map(([name, r]) => [name, (size) => r.sizes[size]?.package?.w5]),
  );
  for (const [name, get] of runtimesW5) {
    if (!w5Sizes.some((size) => get(size))) continue;
    w5Rows.push(
      [`save, ${name}`, ...w5Sizes.map((size) => ms(get(size)?.save_ms))],
      [`restore, ${name}`, ...w5Sizes.map((size) => ms(get(size)?.restore_ms))],
      [`replay of the log that built it, ${name}`, ...w5Sizes.map((size) => ms(get(size)?.replay_ms))],
      [
        `restore speed-up over replay, ${name}`,
        ...w5Sizes.map((size) => {
          const w = get(size);
          return w ? `${(w.replay_ms / w.restore_ms).toFixed(1)}×` : '–';
        }),
      ],
    );
  }
  lines.push(
    '### W5 snapshot save and restore against replay',
    '',
    'The prefilled tree saved with `Snapshot::encode` / `tree.snapshot()` and restored (every node checked, digest' +
      ' recomputed), against verifying the binary log of the inserts that built it with `LogVerifier`.',
    '',
    table(['', ...w5Sizes.map((size) => int(size))], w5Rows),
    '',
  );
}

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

if (node?.size) {
  const { wasm, js_web: web, js_node: nodeJs } = node.size;
  lines.push(
    '### Size and loading',
    '',
    table(
      ['what', 'raw', 'gzip -9'],
      [
        ['basis_trees_bg.wasm', kb(wasm.raw), kb(wasm.gzip)],
        [`web JS (index.js and the ${web.files.length - 1} ES modules it loads, each gzipped)`, kb(web.raw), kb(web.gzip)],
        ['wasm + web JS', kb(wasm.raw + web.raw), kb(wasm.gzip + web.gzip)],
        [`Node JS (index.cjs, index.mjs, the glue, ${nodeJs.files.length - 3} modules in cjs/)`, kb(nodeJs.raw), kb(nodeJs.gzip)],
      ],
    ),
    '',
    `Loading: \`require('basis-trees')\` in a fresh Node process ${node.require_ms.toFixed(1)} ms` +
      `${chromium?.init_ms !== undefined ? `; \`await init()\` in a fresh Chromium page ${chromium.init_ms.toFixed(1)} ms` : ''}` +
      ' (medians of 5).',
    '',
  );
}

const wasmSize = read('wasm-size.json');
if (wasmSize) {
  lines.push(
    '### Where the bytes of the .wasm are',
    '',
    `The shipped module${wasmSize.raw ? ` (${kb(wasmSize.raw)}, ${kb(wasmSize.gzip)} gzipped)` : ''}: code ${kb(wasmSize.code)}, data ` +
      `${kb(wasmSize.data)}; code per Rust module, each function counted where the compiler left it (a function ` +
      'inlined into an export of the bindings counts as the bindings\') (bench/wasm-size.mjs).',
    '',
    table(
      ['module', 'code'],
      [...Object.entries(wasmSize.modules).map(([module, size]) => [`\`${module}\``, kb(size)]), ['other modules', kb(wasmSize.other)]],
    ),
    '',
  );
}

// The targets, at every size measured; the package's W1 is its LogVerifier when it has one, else
// its Tree API. W2 and W3 are judged against the package's figures before our own engine (the
// make bench run of 2026-11-24, with ergo_avltree_rust inside the package).
const BEFORE_ENGINE = {
  Node: { w2: { 10000: 336015, 100000: 251368 }, made: { 10000: 230359, 100000: 178268 }, verified: { 10000: 113557, 100000: 109905 } },
  Chromium: { w2: { 10000: 427350, 100000: 313381 }, made: { 10000: 243902, 100000: 201613 }, verified: { 10000: 119332, 100000: 123153 } },
};
const targets = [];
const packageW1 = (r, size) => r?.sizes[size]?.package?.w1_log_verifier ?? r?.sizes[size]?.package?.w1;
const withoutProofs = (size) => native.sizes[size].w1.ergo_avltree_rust_no_proofs;
for (const size of sizes) {
  for (const [name, r, goal] of [
    ['Node', node, 1.5],
    ['Chromium', chromium, 1.3],
  ]) {
    const w1 = packageW1(r, size);
    if (!w1) continue;
    targets.push([`W1 package in ${name} ≥ ${goal.toFixed(1)}× native crate, a proof every 100 (${int(size)} entries)`, `${ratio(w1, anchor(size))}×`, w1 / anchor(size) >= goal]);
    // Against the crate as its users run it fastest, the goal is 2× from 100,000 entries on.
    const plainGoal = size >= 100_000 ? 2 : goal;
    if (withoutProofs(size)) {
      targets.push([`W1 package in ${name} ≥ ${plainGoal.toFixed(1)}× native crate without proofs (${int(size)} entries)`, `${ratio(w1, withoutProofs(size))}×`, w1 / withoutProofs(size) >= plainGoal]);
    }
  }
}
for (const size of sizes) {
  const w1 = packageW1(node, size);
  const limit = node && limitOf(size, node.hash_ns);
  if (w1 && limit) targets.push([`W1 package in Node ≥ 65 % of the hashing limit (${int(size)} entries; the goal is at 100,000)`, pct(w1, limit), w1 / limit >= 0.65]);
}
for (const [name, r] of runtimes) {
  const before = BEFORE_ENGINE[name];
  for (const size of sizes) {
    const p = r.sizes[size]?.package;
    const w2 = p?.w2;
    if (w2 && before?.w2[size]) targets.push([`W2 package in ${name} ≥ 2× before the engine (${int(size)} entries)`, `${ratio(w2, before.w2[size])}×`, w2 / before.w2[size] >= 2]);
    for (const kind of ['made', 'verified']) {
      const w3 = p?.w3?.[kind];
      if (w3 && before?.[kind][size]) targets.push([`W3 proofs ${kind} in ${name} ≥ 1.5× before the engine (${int(size)} entries)`, `${ratio(w3, before[kind][size])}×`, w3 / before[kind][size] >= 1.5]);
    }
  }
}
// verifyProof through the package against the native verify_proof, one lookup proof a call.
for (const [name, r] of runtimes) {
  for (const size of sizes) {
    const verified = r.sizes[size]?.package?.w3?.verified;
    const nativeVerified = native.sizes[size]?.w3?.verified;
    if (verified && nativeVerified) {
      targets.push([`verifyProof in ${name} ≥ 0.5× native verify_proof (${int(size)} entries)`, `${ratio(verified, nativeVerified)}×`, verified / nativeVerified >= 0.5]);
    }
  }
}
for (const [name, r] of runtimes) {
  const rate = r.sizes[1_000_000]?.package?.w4?.rate;
  if (rate) targets.push([`W4 stateless ≥ 150k records/s, ${name} (1,000,000 entries)`, int(rate), rate >= 150_000]);
}
for (const size of w5Sizes) {
  const w = native.sizes[size].w5;
  targets.push([`W5 restore ≥ 5× faster than replay, native (${int(size)} entries)`, `${(w.replay_ms / w.restore_ms).toFixed(1)}×`, w.replay_ms / w.restore_ms >= 5]);
  for (const [name, r] of runtimes) {
    const p = r.sizes[size]?.package?.w5;
    if (p) targets.push([`W5 restore ≥ 5× faster than replay, ${name} (${int(size)} entries)`, `${(p.replay_ms / p.restore_ms).toFixed(1)}×`, p.replay_ms / p.restore_ms >= 5]);
  }
}
for (const [name, r] of runtimes) {
  const m = Object.entries(r.sizes).filter(([, s]) => s.bytes_per_entry?.package);
  for (const [size, s] of m) {
    targets.push([`wasm memory ≤ 128 bytes/entry in ${name} (${int(Number(size))} entries)`, int(s.bytes_per_entry.package), s.bytes_per_entry.package <= 128]);
  }
}
if (node?.size) {
  const gz = node.size.wasm.gzip + node.size.js_web.gzip;
  targets.push(['web entry, wasm + JS, with secp256k1 ≤ 130 KB gzipped', kb(gz), gz <= 130 * 1024]);
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
