// verifyLog, verifyLogStream and LogVerifier from the installed package: both formats, chunks
// split anywhere, every kind of source, progress, abort, and the codes of bad logs.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import * as bt from 'basis-trees';

const key = (n) => bt.noteKey(new Uint8Array([n & 0xff, n >> 8]), new Uint8Array([7]));

function tracker(records = 2000) {
  const s = new bt.TreeStorage({ keyLength: 32 });
  for (let i = 1; i <= records; i++) {
    if (i % 5 === 0) s.update(key(i - 1), bt.debtValue(BigInt(i * 10)), { timestamp: BigInt(i) });
    else s.insert(key(i), bt.debtValue(BigInt(i)), { timestamp: BigInt(i) });
  }
  return s;
}

const storage = tracker();
const binary = storage.exportLog();
const ndjson = storage.exportLog({ format: 'ndjson' });
const finalRoot = storage.digest;

function code(promiseOrFn) {
  return assert.rejects(async () => promiseOrFn(), (err) => {
    assert.equal(err.name, 'BasisTreeError');
    return true;
  });
}

async function caught(fn) {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  assert.fail('expected an error');
}

test('verifyLog accepts both formats and reports the run of records', () => {
  for (const bytes of [binary, ndjson]) {
    const progress = [];
    const report = bt.verifyLog(bytes, { keyLength: 32, expectRoot: finalRoot, onProgress: (p) => progress.push(p) });
    assert.equal(report.operations, 2000);
    assert.equal(report.firstSequence, 1n);
    assert.equal(report.lastSequence, 2000n);
    assert.equal(bt.toHex(report.startRoot), bt.toHex(bt.emptyDigest({ keyLength: 32 })));
    assert.deepEqual(report.finalRoot, finalRoot);
    assert.ok(progress.length >= 1);
    assert.deepEqual(progress.at(-1), { records: 2000, bytes: bytes.length });
    assert.ok(progress.every((p, i) => i === 0 || p.bytes >= progress[i - 1].bytes));
  }
  assert.equal(new TextDecoder().decode(ndjson.subarray(0, 1)), '{');
  assert.equal(bt.verifyLog(new TextDecoder().decode(ndjson)).operations, 2000, 'NDJSON given as text');
});

test('verifyLogStream reads ReadableStreams, Node streams, async and sync iterables', async () => {
  const pieces = (bytes, size) => {
    const out = [];
    for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
    return out;
  };
  const sources = [
    new Blob([binary]).stream(),
    new Response(ndjson).body,
    Readable.from(pieces(binary, 777)),
    (async function* () {
      for (const piece of pieces(ndjson, 1)) if (piece[0] !== undefined) yield piece;
    })(),
    pieces(binary, 100_000),
  ];
  fs.writeFileSync('stream.log', binary);
  sources.push(fs.createReadStream('stream.log', { highWaterMark: 4096 }));
  for (const source of sources) {
    const report = await bt.verifyLogStream(source, { keyLength: 32, expectRoot: bt.toHex(finalRoot) });
    assert.equal(report.operations, 2000);
    assert.deepEqual(report.finalRoot, finalRoot);
  }
});

test('verifyLogStream yields to the event loop and reports progress', async () => {
  // A callback that reschedules itself counts the event loop turns taken during verification.
  let turns = 0;
  let done = false;
  const turn = () => {
    turns += 1;
    if (!done) setImmediate(turn);
  };
  setImmediate(turn);
  const progress = [];
  const turnsAtProgress = [];
  const big = tracker(20_000).exportLog();
  await bt.verifyLogStream([big], {
    onProgress: (p) => {
      progress.push(p);
      turnsAtProgress.push(turns);
    },
  });
  done = true;
  assert.ok(progress.length > 3, `${progress.length} progress calls`);
  assert.ok(turnsAtProgress.at(-1) > turnsAtProgress[0], 'other callbacks ran while one large chunk was verified');
  assert.equal(progress.at(-1).records, 20_000);
});

test('an AbortSignal stops verification with ABORTED and cancels the stream', async () => {
  const big = tracker(20_000).exportLog();
  const controller = new AbortController();
  let cancelled = false;
  const stream = new ReadableStream({
    start(c) {
      c.enqueue(big.subarray(0, 200_000));
    },
    pull() {},
    cancel() {
      cancelled = true;
    },
  });
  const err = await caught(() =>
    bt.verifyLogStream(stream, {
      signal: controller.signal,
      onProgress: (p) => p.records > 100 && controller.abort(new Error('user gave up')),
    }),
  );
  assert.equal(err.name, 'BasisTreeError');
  assert.equal(err.code, 'ABORTED');
  assert.equal(err.cause.message, 'user gave up');
  assert.ok(cancelled, 'the source stream was cancelled');
  const already = await caught(() => bt.verifyLogStream([binary], { signal: AbortSignal.abort() }));
  assert.equal(already.code, 'ABORTED');
});

test('an abort ends verification while the source is silent, and closes the source', { timeout: 60_000 }, async () => {
  // A download that stalls: some bytes, then nothing, and no end.
  let cancelled = false;
  const controller = new AbortController();
  const stalled = new ReadableStream({
    start(c) {
      c.enqueue(binary.subarray(0, 1000));
    },
    pull() {},
    cancel() {
      cancelled = true;
    },
  });
  setTimeout(() => controller.abort(new Error('the user gave up')), 20);
  const stalledError = await caught(() => bt.verifyLogStream(stalled, { signal: controller.signal }));
  assert.equal(stalledError.code, 'ABORTED');
  assert.equal(stalledError.cause.message, 'the user gave up');
  assert.ok(cancelled, 'the stalled stream was cancelled');
  // An async iterator that never answers again.
  let returned = false;
  let first = true;
  const silent = {
    [Symbol.asyncIterator]: () => ({
      next: () => (first ? ((first = false), Promise.resolve({ done: false, value: binary.subarray(0, 1000) })) : new Promise(() => {})),
      return: () => {
        returned = true;
        return Promise.resolve({ done: true });
      },
    }),
  };
  // (AbortSignal.timeout's timer does not keep Node's event loop alive: this one does.)
  const alive = setTimeout(() => {}, 30_000);
  const silentError = await caught(() => bt.verifyLogStream(silent, { signal: AbortSignal.timeout(20) }));
  clearTimeout(alive);
  assert.equal(silentError.code, 'ABORTED');
  assert.equal(silentError.cause.name, 'TimeoutError');
  assert.ok(returned, 'the iterator was closed');
  // A bad log from a stream whose cancel() never settles still fails, with the log's code.
  const stubborn = new ReadableStream({
    start(c) {
      c.enqueue(new Uint8Array([1, 2, 3]));
    },
    pull() {},
    cancel: () => new Promise(() => {}),
  });
  assert.equal((await caught(() => bt.verifyLogStream(stubborn))).code, 'LOG_CORRUPT');
  assert.equal((await bt.verifyLogStream([binary], { signal: new AbortController().signal })).operations, 2000);
});

test('verifyLogStream refuses bytes, text and signals that are not signals; a source\'s own error is thrown as it is', async () => {
  for (const [source, what] of [[binary, 'Uint8Array'], [binary.buffer, 'ArrayBuffer'], [new TextDecoder().decode(ndjson), 'string']]) {
    const err = await caught(() => bt.verifyLogStream(source));
    assert.equal(err.code, 'INVALID_ARGUMENT', what);
    assert.equal(err.argument, 'source', what);
    assert.match(err.message, /verifyLog\(/, `${what}: ${err.message}`);
  }
  const getter = { get aborted() { throw new Error('no'); }, addEventListener() {}, removeEventListener() {} };
  for (const signal of [{}, { aborted: false }, 42, null, getter]) {
    const err = await caught(() => bt.verifyLogStream([binary], { signal }));
    assert.equal(err.code, 'INVALID_ARGUMENT', String(signal));
    assert.equal(err.argument, 'signal');
  }
  const failing = new ReadableStream({
    start(c) {
      c.enqueue(binary.subarray(0, 500));
    },
    pull(c) {
      c.error(new TypeError('network error'));
    },
  });
  const err = await caught(() => bt.verifyLogStream(failing));
  assert.equal(err.name, 'TypeError');
  assert.equal(err.message, 'network error');
  assert.equal((await bt.verifyLogStream([binary])).operations, 2000);
});

test('bad logs throw with the code, sequence and offset of the first bad record', async () => {
  const forged = storage.operations().map((r) => ({ ...r }));
  forged[41].value = bt.debtValue(1n);
  const tampered = bt.encodeLog(forged, { keyLength: 32 });
  for (const run of [() => bt.verifyLog(tampered), () => bt.verifyLogStream([tampered.subarray(0, 5000), tampered.subarray(5000)])]) {
    const err = await caught(run);
    assert.equal(err.name, 'BasisTreeError');
    assert.equal(err.code, 'ROOT_AFTER_MISMATCH');
    assert.equal(err.sequence, 42n);
    assert.equal(typeof err.offset, 'number');
  }

  const truncated = await caught(() => bt.verifyLog(binary.subarray(0, binary.length - 3)));
  assert.equal(truncated.code, 'LOG_CORRUPT');
  const flipped = binary.slice();
  flipped[flipped.length - 40] ^= 1;
  assert.equal((await caught(() => bt.verifyLog(flipped))).code, 'LOG_CORRUPT');
  const wrongRoot = await caught(() => bt.verifyLog(binary, { expectRoot: bt.emptyDigest() }));
  assert.equal(wrongRoot.code, 'EXPECTED_ROOT_MISMATCH');
  const wrongShape = await caught(() => bt.verifyLog(binary, { keyLength: 32, valueLength: 8 }));
  assert.equal(wrongShape.code, 'SHAPE_MISMATCH');
  const gap = bt.encodeLog([...forged.slice(0, 3), ...forged.slice(4)], { keyLength: 32 });
  const gapError = await caught(() => bt.verifyLog(gap));
  assert.deepEqual([gapError.code, gapError.sequence], ['LOG_SEQUENCE', 5n]);
  assert.equal((await caught(() => bt.verifyLog(new Uint8Array(0)))).code, 'LOG_CORRUPT');
  assert.equal((await caught(() => bt.verifyLog(42))).code, 'INVALID_ARGUMENT');
  assert.equal((await caught(() => bt.verifyLogStream(42))).code, 'INVALID_ARGUMENT');
  assert.equal((await caught(() => bt.verifyLogStream([binary, 42]))).code, 'INVALID_ARGUMENT');
  assert.equal((await caught(() => bt.verifyLog(binary, { expectRoot: 'abcd' }))).code, 'INVALID_ARGUMENT');
  // And the instance still verifies good logs.
  assert.equal(bt.verifyLog(binary).operations, 2000);
});

test('LogVerifier takes chunks split anywhere and hands over the replayed tree', () => {
  const v = new bt.LogVerifier({ keyLength: 32 });
  for (let at = 0; at < ndjson.length; at += 997) v.push(ndjson.subarray(at, at + 997));
  assert.equal(v.header.format, 'ndjson');
  const report = v.finish();
  assert.equal(report.lastSequence, 2000n);
  const tree = v.tree();
  assert.deepEqual(tree.digest, finalRoot);
  assert.deepEqual(tree.get(key(1)), bt.debtValue(1n));
  v.free();
  tree.free();

  const bad = new bt.LogVerifier({ keyLength: 32 });
  const forged = storage.operations().map((r) => ({ ...r }));
  forged[9].previousValue = bt.debtValue(3n);
  assert.throws(() => bad.push(bt.encodeLog(forged, { keyLength: 32 })), { code: 'PREVIOUS_VALUE_MISMATCH', sequence: 10n });
  assert.throws(() => bad.finish(), { code: 'PREVIOUS_VALUE_MISMATCH' }, 'the verifier stays failed');
  assert.equal(bad.tree().size, 8, 'the tree after the last good record');
});

test('encodeLog and decodeLog round-trip, snapshots restore the exact tree', () => {
  const records = storage.operations(1n, 50n);
  for (const format of ['binary', 'ndjson']) {
    const decoded = bt.decodeLog(bt.encodeLog(records, { keyLength: 32 }, { format }));
    assert.deepEqual(decoded.shape, { keyLength: 32, valueLength: null });
    assert.equal(decoded.format, format);
    assert.deepEqual(decoded.records, records);
  }
  const tree = storage.tree;
  const restored = bt.Tree.fromSnapshot(tree.snapshot());
  assert.deepEqual(restored.digest, tree.digest);
  assert.equal(restored.size, tree.size);
  const snapshot = tree.snapshot();
  snapshot[snapshot.length - 1] ^= 0xff;
  assert.throws(() => bt.Tree.fromSnapshot(snapshot), { name: 'BasisTreeError', code: 'SNAPSHOT_INVALID' });
  assert.throws(() => bt.Tree.fromSnapshot({}), { code: 'INVALID_ARGUMENT', argument: 'snapshot' });
  assert.throws(() => bt.decodeLog(new Uint8Array([1, 2, 3])), { code: 'LOG_CORRUPT' });
  assert.throws(() => bt.encodeLog(records, { keyLength: 32 }, { format: 'xml' }), { code: 'INVALID_ARGUMENT', argument: 'format' });
  assert.equal(bt.Tree.fromSnapshot(tree.snapshot()).size, tree.size, 'still working');

  // A snapshot that records its sequence number starts the verification of the log after it.
  const head = bt.TreeStorage.recover({ keyLength: 32 }, storage.operations(1n, 30n));
  const start = head.tree.snapshot({ sequence: 30n });
  const tail = bt.encodeLog(storage.operations(31n, 50n), { keyLength: 32 });
  const verifier = new bt.LogVerifier({ keyLength: 32, start });
  verifier.push(tail);
  assert.equal(verifier.finish().firstSequence, 31n);
  const unnumbered = new bt.LogVerifier({ keyLength: 32, start: head.tree.snapshot() });
  assert.throws(() => unnumbered.push(tail), { code: 'LOG_SEQUENCE' });
  assert.throws(() => head.tree.snapshot({ sequence: -1n }), { code: 'INVALID_ARGUMENT', argument: 'sequence' });
  head.free();
});

test('a storage resumes from a checkpoint snapshot and the log after it', () => {
  const s = tracker(100);
  const checkpoint = s.checkpoint({ timestamp: 1n });
  s.insert(key(5000), '01', { timestamp: 2n });
  const resumed = bt.TreeStorage.recoverFromSnapshot(s.checkpointSnapshot(checkpoint.id), s.exportLog({ from: 101n }));
  assert.deepEqual(resumed.digest, s.digest);
  assert.equal(resumed.lastSequence, 101n);
  const v = new bt.LogVerifier({ start: s.checkpointSnapshot(checkpoint.id) });
  v.push(s.exportLog({ from: 101n, format: 'ndjson' }));
  assert.deepEqual(v.finish().finalRoot, s.digest);
});

test('stateless verification checks each record by its own proof', async () => {
  const s = new bt.TreeStorage({ keyLength: 32, withProofs: true });
  for (let i = 1; i <= 50; i++) s.insert(key(i), bt.debtValue(BigInt(i)), { timestamp: BigInt(i) });
  s.remove(key(7), { timestamp: 60n });
  const log = s.exportLog({ format: 'ndjson' });
  const report = await bt.verifyLogStream([log], { stateless: true, expectRoot: s.digest });
  assert.equal(report.operations, 51);
  const v = new bt.LogVerifier({ stateless: true });
  v.push(log);
  v.finish();
  assert.equal(v.tree(), undefined, 'no tree is held');

  const forged = s.operations().map((r) => ({ ...r }));
  forged[30].proof = forged[29].proof;
  const err = await caught(() => bt.verifyLog(bt.encodeLog(forged, { keyLength: 32 }), { stateless: true }));
  assert.deepEqual([err.code, err.sequence], ['PROOF_INVALID', 31n]);
  const withoutProofs = await caught(() => bt.verifyLog(storage.exportLog(), { stateless: true }));
  assert.deepEqual([withoutProofs.code, withoutProofs.sequence], ['PROOF_INVALID', 1n]);

  const tail = s.exportLog({ from: 41n });
  const resumed = bt.verifyLog(tail, { stateless: true, startAt: { sequence: 40n, root: s.operations(40n, 40n)[0].rootAfter } });
  assert.equal(resumed.firstSequence, 41n);
  assert.deepEqual(resumed.finalRoot, s.digest);
});

test('a LogDecoder, like a LogVerifier, refuses bytes pushed after finish()', () => {
  for (const Reader of [bt.LogDecoder, bt.LogVerifier]) {
    const reader = new Reader();
    reader.push(binary);
    reader.finish();
    const err = (() => {
      try {
        reader.push(binary);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.equal(err && err.code, 'LOG_CORRUPT', `${Reader.name}: ${err && err.message}`);
    assert.match(err.message, /after finish\(\)/);
    assert.equal(err.offset, binary.length);
    reader.free();
  }
});
