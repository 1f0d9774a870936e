// Two builds of the npm package verifying the same log in one Node process, in interleaved rounds
// (records/s of `LogVerifier`, the log pushed in 1 MiB chunks): on a shared machine the ratio of
// the medians says what single runs cannot. Any log from the empty tree, for example a scale log
// of examples/scale_log.rs (`cargo run --release --example scale_log -- 300000 100000 DIR`);
// `--stateless` checks its records by their proofs, holding no tree.
//
//   node bench/log-ab.mjs --a target/pkg-main --b pkg --log FILE [--stateless] [--rounds 7]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { median } from './common.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const require = createRequire(import.meta.url);
const builds = { a: option('--a', 'target/pkg-main'), b: option('--b', 'pkg') };
const packages = Object.fromEntries(Object.entries(builds).map(([k, dir]) => [k, require(path.resolve(root, dir))]));
const log = fs.readFileSync(path.resolve(option('--log', '')));
const rounds = Number(option('--rounds', '7'));
const stateless = args.includes('--stateless');

/** One verification of the whole log by `bt`: records/s. */
function verify(bt) {
  const verifier = new bt.LogVerifier(stateless ? { stateless: true } : {});
  const started = performance.now();
  for (let at = 0; at < log.length; at += 1 << 20) verifier.push(log.subarray(at, Math.min(at + (1 << 20), log.length)));
  const records = Number(verifier.finish().operations);
  const rate = records / ((performance.now() - started) / 1000);
  verifier.free();
  return rate;
}

const rates = { a: [], b: [] };
for (let round = 0; round < rounds; round++) {
  for (const build of round % 2 ? ['b', 'a'] : ['a', 'b']) rates[build].push(verify(packages[build]));
  process.stderr.write(`round ${round + 1} of ${rounds}\n`);
}
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const [a, b] = [median(rates.a), median(rates.b)];
const spread = (list) => `${fmt(Math.min(...list))}–${fmt(Math.max(...list))}`;
console.log(`LogVerifier${stateless ? ' (stateless)' : ''}, records/s, medians of ${rounds} interleaved rounds`);
console.log(`  a ${builds.a}: ${fmt(a)} (${spread(rates.a)})`);
console.log(`  b ${builds.b}: ${fmt(b)} (${spread(rates.b)})  b/a ${(b / a).toFixed(3)}×`);
