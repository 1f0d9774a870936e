// Instructions the package spends on W1 replay-verify in Node, counted by valgrind: repeatable to
// within 0.1 % whatever the machine's load, so two builds of the package can be compared where
// wall-clock timings on a shared machine cannot tell a few percent apart. V8 runs single-threaded
// with the optimising compiler only (`--single-threaded --no-liftoff`), so the module is compiled
// once, eagerly, the same way in every run; the count of loading the package and creating a
// verifier is subtracted.
//
//   node bench/wasm-instructions.mjs [--size 10000] pkg [other-pkg ...]
//   node bench/wasm-instructions.mjs --log FILE [--stateless] pkg [other-pkg ...]
//   node bench/wasm-instructions.mjs --proofs pkg [other-pkg ...]
//
// Each package directory (a built pkg/, or a copy of one) verifies target/bench/log-<size>.bin
// (written by `cargo bench --bench native -- --out target/bench`, as `make bench` does) with its
// `LogVerifier`: the prefill's inserts, then the W1 records. With `--log`, any log from the empty
// tree, of the shape its header declares (a scale log of examples/scale_log.rs, say), and with
// `--stateless` its records checked by their proofs, no tree held. With `--proofs`, 2,000 lookup
// proofs checked one call of `verifyProof` each (W3). Needs valgrind.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const SHAPE = { keyLength: 32, valueLength: 8 };

if (args[0] === '--child') {
  const [, what, dir, log, mode] = args;
  const bt = createRequire(import.meta.url)(path.resolve(dir, 'index.cjs'));
  if (mode === 'proofs') {
    // A tree of 10,000 entries and lookup proofs of 2,000 of its keys, made in both counts; the
    // run verifies each with `verifyProof`.
    const tree = new bt.Tree(SHAPE);
    const key = (i) => Uint8Array.from({ length: 32 }, (_, j) => (i * 2654435761 + j * 40503) >>> (j % 24));
    const keys = Array.from({ length: 10_000 }, (_, i) => key(i + 1));
    tree.applyAll(keys.map((k, i) => ({ type: 'insert', key: k, value: new Uint8Array(8).fill(i & 0xff) })));
    const picked = keys.filter((_, i) => i % 5 === 0);
    const proofs = picked.map((k) => tree.proveLookup([k]));
    const digest = tree.digest;
    if (what === 'run') {
      for (let i = 0; i < picked.length; i++) {
        const { results } = bt.verifyProof({ digest, proof: proofs[i], operations: [{ type: 'lookup', key: picked[i] }], ...SHAPE });
        if (results[0] === undefined) throw new Error('a present key was proved absent');
      }
    }
    process.exit(0);
  }
  const options = { fixed: SHAPE, header: {}, stateless: { stateless: true } }[mode];
  const verifier = new bt.LogVerifier(options);
  if (what === 'run') {
    const bytes = fs.readFileSync(log);
    for (let at = 0; at < bytes.length; at += 1 << 20) verifier.push(bytes.subarray(at, Math.min(at + (1 << 20), bytes.length)));
    verifier.finish();
  }
  process.exit(0);
}

const sizeAt = args.indexOf('--size');
const size = sizeAt >= 0 ? args.splice(sizeAt, 2)[1] : '10000';
const logAt = args.indexOf('--log');
const statelessAt = args.indexOf('--stateless');
const proofsAt = args.indexOf('--proofs');
const mode = proofsAt >= 0 ? 'proofs' : statelessAt >= 0 ? 'stateless' : logAt >= 0 ? 'header' : 'fixed';
if (statelessAt >= 0) args.splice(statelessAt, 1);
if (proofsAt >= 0) args.splice(args.indexOf('--proofs'), 1);
const log = logAt >= 0 ? path.resolve(args.splice(args.indexOf('--log'), 2)[1]) : path.join(root, 'target', 'bench', `log-${size}.bin`);
if (mode !== 'proofs' && !fs.existsSync(log)) {
  console.error(`${path.relative(root, log)} not found: cargo bench --bench native -- --out target/bench --sizes ${size}`);
  process.exit(1);
}
/** Instructions of a fresh Node doing `what` ('run' or 'load') with the package in `dir`. */
const count = (what, dir) => {
  const run = spawnSync(
    'valgrind',
    ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--single-threaded', '--no-liftoff',
      new URL(import.meta.url).pathname, '--child', what, dir, log, mode],
    { encoding: 'utf8' },
  );
  const collected = /Collected : (\d+)/.exec(run.stderr ?? '');
  if (run.status !== 0 || !collected) throw new Error(`valgrind failed on ${dir}:\n${run.error ?? run.stderr}`);
  return Number(collected[1]);
};
let first;
console.log(
  mode === 'proofs'
    ? 'W3: 2,000 lookup proofs (10,000 entries) checked with verifyProof: instructions, the tree and the proofs subtracted'
    : `${mode === 'fixed' ? 'W1 ' : ''}LogVerifier${mode === 'stateless' ? ' (stateless)' : ''} over ${path.relative(root, log)}: instructions, loading subtracted`,
);
for (const dir of args) {
  const net = count('run', dir) - count('load', dir);
  first ??= net;
  console.log(`  ${dir}: ${net.toLocaleString('en')} (${(net / first).toFixed(4)}×)`);
}
