// Two builds of the npm package side by side in one Node process, in interleaved rounds: the
// workloads that go through the JavaScript boundary call by call (W1 through the `Tree` API, W2
// `applyAll`, W3 `proveLookup` and `verifyProof`), on generated keys. On a shared machine one run
// says little; the ratio of the medians of interleaved rounds says more.
//
//   node bench/package-ab.mjs --a target/pkg-main --b pkg [--sizes 10000,100000] [--rounds 5]
//                             [--only w1,w2,w3]
//
// Prints, per size and workload, each build's median of its rounds (each round's figure is itself
// the median of `--runs` runs) and the ratio b / a.
import { createRequire } from 'node:module';
import path from 'node:path';
import { SHAPE, median, prefilledTree, w1Tree, w2, w3 } from './common.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const require = createRequire(import.meta.url);
const builds = { a: option('--a', 'target/pkg-main'), b: option('--b', 'pkg') };
const packages = Object.fromEntries(Object.entries(builds).map(([k, dir]) => [k, require(path.resolve(root, dir))]));
const sizes = option('--sizes', '10000,100000').split(',').map(Number);
const rounds = Number(option('--rounds', '5'));
const runs = Number(option('--runs', '5'));
const only = option('--only', 'w1,w2,w3').split(',');
const PER_RUN = 20_000;
const PROOFS = 5_000;

/** xorshift32 bytes: the same workload in every round and build. */
function generator(seed) {
  let x = seed >>> 0 || 1;
  return (bytes) => {
    for (let i = 0; i < bytes.length; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      bytes[i] = x & 0xff;
    }
    return bytes;
  };
}

/** N prefill entries, then `runs` × PER_RUN records: 50 % updates, 25 % inserts, 25 % removes. */
function workload(size) {
  const fill = generator(size);
  const prefill = Array.from({ length: size }, () => [fill(new Uint8Array(32)), fill(new Uint8Array(8))]);
  const live = prefill.map(([key]) => key);
  const pick = new Uint32Array(1);
  const records = [];
  for (let i = 0; i < runs * PER_RUN; i++) {
    fill(pick);
    const kind = pick[0] % 4;
    const index = (pick[0] >>> 2) % live.length;
    if (kind < 2) records.push({ type: 1, key: live[index], value: fill(new Uint8Array(8)) });
    else if (kind === 2) {
      const key = fill(new Uint8Array(32));
      live.push(key);
      records.push({ type: 0, key, value: fill(new Uint8Array(8)) });
    } else {
      records.push({ type: 2, key: live[index] });
      live[index] = live[live.length - 1];
      live.pop();
    }
  }
  return { size, perRun: PER_RUN, prefill, records };
}

/**
 * The roots the workload's records lead to (each record's `root`, as bench/native/ writes them,
 * for `w1Tree` to check against) and the prefill's, made once with build `bt`.
 */
function addRoots(bt, w) {
  const tree = new bt.Tree(SHAPE);
  tree.applyAll(w.prefill.map(([key, value]) => ({ type: 'insert', key, value })));
  w.startRoot = tree.digest;
  for (const r of w.records) {
    if (r.type === 0) tree.insert(r.key, r.value);
    else if (r.type === 1) tree.update(r.key, r.value);
    else tree.remove(r.key);
    r.root = tree.digest;
  }
  tree.free();
}

/** Each workload once for `bt`: figures by name. */
function measure(bt, w) {
  const figures = {};
  if (only.includes('w1')) {
    const { tree } = prefilledTree(bt, w);
    figures['W1 Tree API (records/s)'] = median(w1Tree(tree, w));
    tree.free();
  }
  if (only.includes('w2')) figures['W2 applyAll (inserts/s)'] = median(w2(bt, w, runs).rates);
  if (only.includes('w3')) {
    const { tree } = prefilledTree(bt, w);
    const { made, verified } = w3(bt, tree, w, PROOFS, runs);
    tree.free();
    figures['W3 proofs made (proveLookup/s)'] = made;
    figures['W3 proofs verified (verifyProof/s)'] = verified;
  }
  return figures;
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
for (const size of sizes) {
  const w = workload(size);
  addRoots(packages.a, w);
  const figures = { a: {}, b: {} };
  for (let round = 0; round < rounds; round++) {
    for (const build of round % 2 ? ['b', 'a'] : ['a', 'b']) {
      for (const [name, value] of Object.entries(measure(packages[build], w))) (figures[build][name] ??= []).push(value);
    }
    process.stderr.write(`size ${size}: round ${round + 1} of ${rounds}\n`);
  }
  console.log(`\n${size.toLocaleString('en-US')} entries, medians of ${rounds} interleaved rounds (a: ${builds.a}, b: ${builds.b})`);
  for (const name of Object.keys(figures.a)) {
    const [a, b] = [median(figures.a[name]), median(figures.b[name])];
    const spread = (list) => `${fmt(Math.min(...list))}–${fmt(Math.max(...list))}`;
    console.log(`  ${name.padEnd(36)} a ${fmt(a).padStart(9)} (${spread(figures.a[name])})  b ${fmt(b).padStart(9)} (${spread(figures.b[name])})  b/a ${(b / a).toFixed(2)}×`);
  }
}
