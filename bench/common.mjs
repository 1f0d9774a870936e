// The wasm half of `make bench`, shared by Node (wasm-node.mjs) and Chromium (page.html): reads
// the workloads that bench/native/ wrote, so that every runtime replays the same bytes, and
// runs the timed loops. Plain ES module, no Node or DOM APIs.

export const SHAPE = { keyLength: 32, valueLength: 8 };
const RECORD_BYTES = 1 + 32 + 8 + 1 + 8 + 33;

/** Parses a workload file (layout in bench/native/workload.rs, `write_workload`). */
export function readWorkload(buffer) {
  const bytes = new Uint8Array(buffer);
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== 'BTBENCH1') throw new Error('not a workload file (expected BTBENCH1)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = view.getUint32(8, true);
  const count = view.getUint32(12, true);
  const perRun = view.getUint32(16, true);
  let at = 20;
  const prefill = new Array(size);
  for (let i = 0; i < size; i++, at += 40) {
    prefill[i] = [bytes.subarray(at, at + 32), bytes.subarray(at + 32, at + 40)];
  }
  const startRoot = bytes.subarray(at, at + 33);
  at += 33;
  const records = new Array(count);
  for (let i = 0; i < count; i++, at += RECORD_BYTES) {
    records[i] = {
      type: bytes[at],
      key: bytes.subarray(at + 1, at + 33),
      value: bytes.subarray(at + 33, at + 41),
      previous: bytes[at + 41] ? bytes.subarray(at + 42, at + 50) : undefined,
      root: bytes.subarray(at + 50, at + 83),
    };
  }
  if (at !== bytes.length) throw new Error('workload file has trailing bytes');
  return { size, perRun, prefill, startRoot, records };
}

/** A workload's sizes and roots without its entries and records: millions of small typed-array
 *  views would make the engine's garbage collector, not the wasm, the thing measured. */
export function workloadSummary(buffer) {
  const bytes = new Uint8Array(buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = view.getUint32(8, true);
  const count = view.getUint32(12, true);
  const start = 20 + size * 40;
  const startRoot = bytes.slice(start, start + 33);
  const finalRoot = count ? bytes.slice(bytes.length - 33) : startRoot;
  return { size, perRun: view.getUint32(16, true), startRoot, finalRoot, records: [] };
}

/** The records per timed run that the workload file asks for. */
export function recordsPerRun(buffer) {
  const bytes = new Uint8Array(buffer);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(16, true);
}

export function median(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function same(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A tree holding the workload's prefill, built one insert at a time (as a replayed log builds
 *  it); returns the tree and the settled inserts per second. */
export function prefilledTree(bt, workload) {
  const tree = new bt.Tree(SHAPE);
  const start = performance.now();
  for (const [key, value] of workload.prefill) tree.insert(key, value);
  const seconds = (performance.now() - start) / 1000;
  if (!same(tree.digest, workload.startRoot)) throw new Error('prefill digest differs from native');
  return { tree, insertsPerSecond: workload.size / seconds };
}

/** W1 through the Tree API: per record one call to insert/update/remove and one digest read,
 *  compared with the logged root. Returns records/s per run. */
export function w1Tree(tree, workload) {
  const rates = [];
  const { records, perRun } = workload;
  for (let start = 0; start < records.length; start += perRun) {
    const end = Math.min(start + perRun, records.length);
    const t0 = performance.now();
    for (let i = start; i < end; i++) {
      const r = records[i];
      if (r.type === 0) tree.insert(r.key, r.value);
      else if (r.type === 1) tree.update(r.key, r.value);
      else tree.remove(r.key);
      if (!same(tree.digest, r.root)) throw new Error(`root after record ${i + 1} differs`);
    }
    rates.push((end - start) / ((performance.now() - t0) / 1000));
  }
  return rates;
}

const CHUNK = 1 << 20;

/** Pushes bytes[from, to) into a LogVerifier in 1 MiB chunks, as a download would arrive. */
function pushRange(verifier, bytes, from, to) {
  for (let at = from; at < to; at += CHUNK) verifier.push(bytes.subarray(at, Math.min(at + CHUNK, to)));
}

/** W1 through the package's LogVerifier, on the binary log of the prefill's inserts followed by
 *  the W1 records (`log` = { bytes, index } from bench/native/). The prefill part is timed
 *  too: it is the replay that W5's snapshot restore replaces. */
export function w1LogVerifier(bt, log, workload) {
  const { bytes, index } = log;
  const verifier = new bt.LogVerifier(SHAPE);
  let t0 = performance.now();
  pushRange(verifier, bytes, 0, index.prefill_end);
  const replayMs = performance.now() - t0;
  const rates = [];
  let from = index.prefill_end;
  for (const [end, records] of index.run_ends) {
    t0 = performance.now();
    pushRange(verifier, bytes, from, end);
    rates.push(records / ((performance.now() - t0) / 1000));
    from = end;
  }
  const report = verifier.finish();
  const last = workload.finalRoot ?? (workload.records.length ? workload.records[workload.records.length - 1].root : workload.startRoot);
  if (!same(report.finalRoot, last)) throw new Error('LogVerifier final root differs from native');
  const tree = typeof verifier.tree === 'function' ? verifier.tree() : undefined;
  verifier.free?.();
  return { rates, replayMs, tree };
}

/** W5 in the package: `tree.snapshot()` and `Tree.fromSnapshot(bytes)`, medians in ms. */
export function snapshots(bt, tree, runs) {
  const save = [];
  const restore = [];
  let size = 0;
  for (let r = 0; r < runs; r++) {
    let t0 = performance.now();
    const bytes = tree.snapshot();
    save.push(performance.now() - t0);
    size = bytes.length;
    t0 = performance.now();
    const restored = bt.Tree.fromSnapshot(bytes);
    restore.push(performance.now() - t0);
    if (!same(restored.digest, tree.digest)) throw new Error('restored snapshot has another digest');
    restored.free();
  }
  return { snapshot_bytes: size, save_ms: median(save), restore_ms: median(restore) };
}

/** W3: single-key lookup proofs of present keys, made with `tree.proveLookup([key])` and
 *  checked with `bt.verifyProof`; proofs/s made and verified, and the mean proof size. */
export function w3(bt, tree, workload, count, runs) {
  const keys = Array.from({ length: count }, (_, i) => workload.prefill[(i * 7919) % workload.size][0]);
  const digest = tree.digest;
  const made = [];
  const verified = [];
  let proofBytes = 0;
  for (let r = 0; r < runs; r++) {
    let t0 = performance.now();
    const proofs = keys.map((key) => tree.proveLookup([key]));
    made.push(count / ((performance.now() - t0) / 1000));
    t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const { results } = bt.verifyProof({
        digest,
        proof: proofs[i],
        operations: [{ type: 'lookup', key: keys[i] }],
        ...SHAPE,
      });
      if (results[0] === undefined) throw new Error('a present key was proved absent');
    }
    verified.push(count / ((performance.now() - t0) / 1000));
    proofBytes = proofs.reduce((n, p) => n + p.length, 0) / count;
  }
  return { made: median(made), verified: median(verified), proof_bytes: proofBytes };
}

/** W4: the records with proofs (`proofs` = { bytes, index } from bench/native/) checked by a
 *  stateless LogVerifier, records/s per run; `memory`, when given, shows whether the instance grew
 *  after the first run. Undefined when the package has no stateless verification. */
export function w4(bt, proofs, memory, workload) {
  let verifier;
  try {
    // The records follow the prefill's inserts: start from its root, with no tree.
    const startAt = { sequence: BigInt(workload.size), root: workload.startRoot };
    verifier = new bt.LogVerifier({ ...SHAPE, stateless: true, startAt });
  } catch {
    return undefined;
  }
  const { bytes, index } = proofs;
  try {
    pushRange(verifier, bytes, 0, index.header_end);
    const rates = [];
    let from = index.header_end;
    let afterFirst;
    for (const [end, records] of index.run_ends) {
      const t0 = performance.now();
      pushRange(verifier, bytes, from, end);
      rates.push(records / ((performance.now() - t0) / 1000));
      from = end;
      afterFirst ??= memory?.buffer.byteLength;
    }
    verifier.finish();
    const growth = memory ? memory.buffer.byteLength - afterFirst : undefined;
    return { rate: median(rates), memory_growth_after_first_run: growth };
  } catch (err) {
    // A verifier without a stateless mode starts from the empty tree and refuses the first record.
    if (err?.name === 'BasisTreeError') return undefined;
    throw err;
  } finally {
    verifier.free?.();
  }
}

/** W2: the prefill inserted into an empty tree, digest at the end; inserts/s per run. With
 *  `applyAll` the whole batch crosses into wasm once; without it, one call per insert. */
export function w2(bt, workload, runs) {
  const operations = workload.prefill.map(([key, value]) => ({ type: 'insert', key, value }));
  const rates = [];
  let how = 'insert';
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const tree = new bt.Tree(SHAPE);
    if (typeof tree.applyAll === 'function') {
      tree.applyAll(operations);
      how = 'applyAll';
    } else {
      for (const [key, value] of workload.prefill) tree.insert(key, value);
    }
    const digest = tree.digest;
    rates.push(workload.size / ((performance.now() - t0) / 1000));
    tree.free();
    if (!same(digest, workload.startRoot)) throw new Error('build digest differs from native');
  }
  return { rates, how };
}

/** ns per blake2b256 label inside WebAssembly (bench/core-wasm), internal and leaf shapes. */
export function hashNs(core, count, runs) {
  const time = (fn) => {
    const samples = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      fn(count, r);
      samples.push(((performance.now() - t0) * 1e6) / count);
    }
    return median(samples);
  };
  // Warm-up: engines compile with a baseline tier first and optimise hot functions later.
  time(core.hash_internal);
  time(core.hash_leaf);
  return { internal: time(core.hash_internal), leaf: time(core.hash_leaf) };
}

/** W1 and W2 of the core alone (bench/core-wasm): each run is one call into wasm. */
export function coreFigures(core, workloadBytes, perRun, runs) {
  const bench = new core.CoreBench(workloadBytes);
  const t0 = performance.now();
  if (!bench.prefill()) throw new Error('core prefill digest differs from native');
  const size = bench.prefill_size();
  const settled = size / ((performance.now() - t0) / 1000);
  const replay = [];
  for (;;) {
    const t = performance.now();
    const done = bench.replay(perRun);
    if (done < perRun) break;
    replay.push(done / ((performance.now() - t) / 1000));
  }
  const build = [];
  for (let r = 0; r < (size >= 1_000_000 ? 3 : runs); r++) {
    const t = performance.now();
    if (!bench.build()) throw new Error('core build digest differs from native');
    build.push(size / ((performance.now() - t) / 1000));
  }
  bench.free();
  return { w1: median(replay), w2: median(build), settled_inserts: settled };
}

/** Wasm memory growth per entry of a package tree: `memory` is a fresh instance's memory. */
export function bytesPerEntry(bt, memory, size) {
  const before = memory.buffer.byteLength;
  const tree = new bt.Tree(SHAPE);
  // The same keys as the core's `hold_tree`: distinct, and never a sentinel.
  const key = new Uint8Array(32);
  const value = new Uint8Array(8);
  const view = new DataView(key.buffer);
  for (let i = 1; i <= size; i++) {
    view.setUint32(0, Math.imul(i, 0x9e3779b1) >>> 0);
    view.setUint32(4, i);
    view.setUint32(8, Math.imul(i ^ 0x5bd1e995, 0x85ebca6b) >>> 0);
    tree.insert(key, value);
  }
  const after = memory.buffer.byteLength;
  if (tree.size !== size) throw new Error('memory tree has the wrong size');
  tree.free();
  return (after - before) / size;
}

/** Wasm memory growth per entry of a core tree: `memory` is a fresh core instance's memory. */
export function coreBytesPerEntry(core, memory, size) {
  const before = memory.buffer.byteLength;
  if (core.hold_tree(size) !== size) throw new Error('core memory tree has the wrong size');
  return (memory.buffer.byteLength - before) / size;
}

const fmt = (n) => (n === undefined ? '-' : n.toFixed(0));

/** Every figure the wasm side measures in one runtime. `bt` (the package) may be missing when
 *  it is not built; `memoryChild(kind, size)` measures in a fresh instance. Sizes from
 *  `mainFrom` up get the main workloads only (W1 through LogVerifier, W4, W5 with one save and
 *  restore, the package's memory), to keep `make bench` within minutes. */
export async function runAll({ bt, memory, core, memoryChild, loadWorkload, loadLog, loadProofs, sizes, memorySizes, runs, log, mainFrom = 1_000_000 }) {
  const out = { sizes: {}, main_only_from: mainFrom };
  out.node_bytes = core.node_bytes();
  log(`one tree node (Rc<RefCell<Node>>) in wasm: ${out.node_bytes} bytes before the allocator's header`);
  out.hash_ns = hashNs(core, 400_000, runs);
  log(`blake2b256 per label in wasm: internal ${out.hash_ns.internal.toFixed(1)} ns, leaf ${out.hash_ns.leaf.toFixed(1)} ns`);
  for (const size of sizes) {
    const full = size < mainFrom;
    const bytes = await loadWorkload(size);
    const entry = {};
    if (full) {
      entry.core = coreFigures(core, bytes, recordsPerRun(bytes), runs);
      log(`size ${size}: core   W1 ${fmt(entry.core.w1)} records/s, W2 ${fmt(entry.core.w2)} inserts/s`);
    }
    if (bt) {
      const workload = full ? readWorkload(bytes) : workloadSummary(bytes);
      entry.package = {};
      let w5;
      if (full) {
        const { tree, insertsPerSecond } = prefilledTree(bt, workload);
        entry.package.settled_inserts = insertsPerSecond;
        if (typeof tree.snapshot === 'function') w5 = snapshots(bt, tree, runs);
        if (typeof tree.proveLookup === 'function' && typeof bt.verifyProof === 'function') {
          entry.package.w3 = w3(bt, tree, workload, 5000, runs);
          log(`size ${size}: package W3 lookup proofs/s made ${fmt(entry.package.w3.made)}, verified ${fmt(entry.package.w3.verified)}`);
        }
        entry.package.w1 = median(w1Tree(tree, workload));
        tree.free();
        const build = w2(bt, workload, runs);
        entry.package.w2 = median(build.rates);
        entry.package.w2_via = build.how;
        log(`size ${size}: package W1 ${fmt(entry.package.w1)} records/s (Tree API), W2 ${fmt(entry.package.w2)} inserts/s (${build.how})`);
      }
      const stateless = w4(bt, await loadProofs(size), memory, workload);
      if (stateless) {
        entry.package.w4 = stateless;
        log(`size ${size}: package W4 stateless ${fmt(stateless.rate)} records/s` + (stateless.memory_growth_after_first_run === undefined ? '' : `, memory growth after the first run ${stateless.memory_growth_after_first_run} bytes`));
      }
      if (typeof bt.LogVerifier === 'function') {
        const { rates, replayMs, tree } = w1LogVerifier(bt, await loadLog(size), workload);
        entry.package.w1_log_verifier = median(rates);
        log(`size ${size}: package W1 ${fmt(entry.package.w1_log_verifier)} records/s (LogVerifier)`);
        // The verifier's tree (its state after the log) stands in for the prefilled one.
        if (!w5 && tree && typeof tree.snapshot === 'function') w5 = snapshots(bt, tree, 1);
        tree?.free();
        if (w5) w5.replay_ms = replayMs;
      }
      if (w5) {
        entry.package.w5 = w5;
        log(`size ${size}: package W5 save ${w5.save_ms.toFixed(1)} ms, restore ${w5.restore_ms.toFixed(1)} ms, replay ${w5.replay_ms?.toFixed(0) ?? '-'} ms`);
      }
    }
    out.sizes[size] = entry;
  }
  for (const size of memorySizes) {
    if (!bt && size >= mainFrom) continue;
    const entry = (out.sizes[size] ??= {});
    entry.bytes_per_entry = {};
    if (size < mainFrom) entry.bytes_per_entry.core = await memoryChild('core', size);
    if (bt) entry.bytes_per_entry.package = await memoryChild('package', size);
    log(`size ${size}: wasm memory bytes/entry core ${fmt(entry.bytes_per_entry.core)}, package ${fmt(entry.bytes_per_entry.package)}`);
  }
  return out;
}
