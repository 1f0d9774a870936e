// The package at its JavaScript boundary, used as a hostile and as a careless caller would: freed
// objects, throwing getters, Proxies, detached buffers, lying lengths, bad hex, misspelt options.
// Shared by Node (boundary.test.mjs) and Chromium (index.html, worker.js): plain ES module, no
// imports; the package comes in as `bt`. Every case ends with the same instance doing correct work.

/** A failed expectation. */
class Failure extends Error {}

function check(condition, message) {
  if (!condition) throw new Failure(message);
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function sameBytes(a, b) {
  return a instanceof Uint8Array && b instanceof Uint8Array && hex(a) === hex(b);
}

/** Runs `fn` and returns what it threw, checking it is a BasisTreeError with `code`. */
function thrown(fn, code, what) {
  let error;
  try {
    fn();
  } catch (err) {
    error = err;
  }
  const label = what || String(fn).slice(0, 90);
  check(error !== undefined, `${label}: nothing was thrown`);
  check(error instanceof Error, `${label}: threw ${String(error)}, not an Error`);
  check(
    error.name === 'BasisTreeError' && error.code === code,
    `${label}: expected a BasisTreeError ${code}, got ${error.name} ${error.code}: ${error.message}`,
  );
  return error;
}

/** Like `thrown`, for INVALID_ARGUMENT: the message names `argument`. */
function invalid(fn, argument, what) {
  const error = thrown(fn, 'INVALID_ARGUMENT', what);
  check(error.argument === argument, `${what || fn}: argument is ${error.argument}, expected ${argument}`);
  check(error.message.includes(argument), `${what || fn}: the message "${error.message}" does not name ${argument}`);
  return error;
}

async function rejected(fn, code, what) {
  let error;
  try {
    await fn();
  } catch (err) {
    error = err;
  }
  return thrown(() => {
    if (error !== undefined) throw error;
  }, code, what || String(fn).slice(0, 90));
}

const key = (n) => new Uint8Array(32).fill(n);

/** A Uint8Array over an ArrayBuffer that has been transferred away. */
function detachedBytes(length) {
  const buffer = new ArrayBuffer(length);
  const view = new Uint8Array(buffer);
  structuredClone(buffer, { transfer: [buffer] });
  return view;
}

/** An array whose element `at` throws when read. */
function throwingArray(length, at, fill) {
  const array = Array.from({ length }, () => fill);
  Object.defineProperty(array, at, {
    get() {
      throw new Error('element getter says no');
    },
  });
  return array;
}

function throwingOptions(name) {
  return Object.defineProperty({}, name, {
    enumerable: true,
    get() {
      throw new Error('option getter says no');
    },
  });
}

/** A subclass whose `length` claims `claimed` bytes. */
function lyingLength(bytes, claimed) {
  class Liar extends Uint8Array {
    get length() {
      return claimed;
    }
  }
  const liar = new Liar(bytes.length);
  liar.set(bytes);
  return liar;
}

/** CRC-32C (Castagnoli), as the snapshot and binary log formats use it. */
function crc32c(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A copy of snapshot `bytes` with its checkpoint id (offset 26) set to `id`, checksum rewritten. */
function withCheckpointId(bytes, id) {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  view.setBigUint64(26, id);
  view.setUint32(copy.length - 4, crc32c(copy.subarray(0, copy.length - 4)));
  return copy;
}

/** A small tracker and its log, to verify after every campaign. */
function sampleLog(bt) {
  const s = new bt.TreeStorage({ keyLength: 32 });
  for (let i = 1; i <= 20; i++) s.insert(key(i), bt.debtValue(BigInt(i)), { timestamp: BigInt(i) });
  s.update(key(3), bt.debtValue(300n), { timestamp: 21n });
  s.remove(key(4), { timestamp: 22n });
  const sample = { bytes: s.exportLog(), records: s.operations(), root: s.digest };
  s.free();
  return sample;
}

/** Correct work on the same instance: a known digest, a tree, a storage, a verified log. */
function correctWork(bt, sample) {
  check(
    hex(new bt.Tree({ keyLength: 32 }).digest) === '4ec61f485b98eb87153f7c57db4f5ecd75556fddbc403b41acf8441fde8e160900',
    'the empty digest changed',
  );
  const t = new bt.Tree({ keyLength: 32, valueLength: 8 });
  t.insert(key(7), bt.debtValue(7n));
  check(sameBytes(t.get(key(7)), bt.debtValue(7n)), 'a fresh tree does not answer');
  t.free();
  const report = bt.verifyLog(sample.bytes, { expectRoot: sample.root });
  check(report.operations === sample.records.length, `verifyLog verified ${report.operations} records`);
  check(sameBytes(report.finalRoot, sample.root), 'verifyLog ends at another root');
}

/**
 * The cases, one per defect: `{ name, run(bt, env) }`; `env.probe()` is the instance's shadow-stack
 * position (undefined when the glue has no probe), `env.node` whether this is Node.
 */
export const cases = [
  {
    name: 'a freed object is refused in JS with INVALID_ARGUMENT, however often it is used',
    run(bt, env) {
      const sample = sampleLog(bt);
      const t = new bt.Tree({ keyLength: 32 });
      t.insert(key(1), '01');
      t.free();
      const s = new bt.TreeStorage({ keyLength: 32 });
      s.free();
      const v = new bt.LogVerifier();
      v.free();
      const uses = [
        () => t.get(key(1)),
        () => t.size,
        () => t.digest,
        () => t.insert(key(2), '02'),
        () => t.snapshot(),
        () => s.insert(key(1), '01', { timestamp: 1n }),
        () => s.digest,
        () => v.push(sample.bytes),
        () => v.finish(),
      ];
      const before = env.probe();
      for (let i = 0; i < 30_000; i++) {
        const error = thrown(uses[i % uses.length], 'INVALID_ARGUMENT', `use ${i % uses.length} after free()`);
        if (i < uses.length) check(/free/.test(error.message), `"${error.message}" does not say the object was freed`);
      }
      check(env.probe() === before, `the shadow stack moved from ${before} to ${env.probe()}`);
      t.free(); // freeing again is harmless
      s[Symbol.dispose]();
      correctWork(bt, sample);
    },
  },
  {
    name: 'a throwing getter in an array element or an option is INVALID_ARGUMENT naming it, and nothing stays borrowed',
    run(bt, env) {
      const sample = sampleLog(bt);
      const t = new bt.Tree({ keyLength: 32 });
      t.insert(key(1), '01');
      const keys = throwingArray(3, 1, key(1));
      const ops = throwingArray(2, 0, { type: 'lookup', key: key(1) });
      const before = env.probe();
      for (let i = 0; i < 5_000; i++) {
        const e1 = invalid(() => t.proveLookup(keys), 'keys[1]');
        check(e1.cause instanceof Error && e1.cause.message === 'element getter says no', 'the getter\'s error is the cause');
        invalid(() => t.applyAll(ops), 'operations[0]');
        invalid(() => new bt.LogVerifier(throwingOptions('expectRoot')), 'expectRoot');
        invalid(() => bt.verifyLog(sample.bytes, throwingOptions('expectRoot')), 'expectRoot');
        invalid(() => t.insert(key(2), throwingOptions('length')), 'value.length');
      }
      check(env.probe() === before, `the shadow stack moved from ${before} to ${env.probe()}`);
      t.insert(key(2), '02');
      check(t.size === 2, 'the tree takes inserts again');
      // A getter that frees the very object whose method is reading its argument: the object is
      // refused after its arguments are read, before the glue is called.
      const doomed = new bt.Tree({ keyLength: 32 });
      const freeing = Object.defineProperty({ key: key(1) }, 'type', {
        enumerable: true,
        get() {
          doomed.free();
          return 'lookup';
        },
      });
      invalid(() => doomed.apply(freeing), 'this');
      t.free();
      correctWork(bt, sample);
    },
  },
  {
    name: 'a detached buffer or a revoked Proxy leaves the object usable and free-able',
    run(bt) {
      const sample = sampleLog(bt);
      const t = new bt.Tree({ keyLength: 32 });
      const s = new bt.TreeStorage({ keyLength: 32 });
      const revoked = Proxy.revocable([], {});
      revoked.revoke();
      for (let i = 0; i < 3_000; i++) {
        const e = invalid(() => t.insert(detachedBytes(32), '01'), 'key');
        check(/detached/.test(e.message), `"${e.message}" does not say the buffer is detached`);
        invalid(() => t.applyAll(revoked.proxy), 'operations');
        invalid(() => s.insert(key(1), detachedBytes(8)), 'value');
        invalid(() => bt.TreeStorage.recover({ keyLength: 32 }, revoked.proxy), 'records');
      }
      t.insert(key(1), '01');
      s.insert(key(1), '01', { timestamp: 1n });
      check(sameBytes(t.digest, s.digest), 'the tree and the storage agree');
      t.free();
      s.free();
      const v = new bt.LogVerifier();
      invalid(() => v.push(detachedBytes(100)), 'chunk');
      check(/detached/.test(invalid(() => bt.verifyLog(detachedBytes(100).buffer), 'bytes').message), 'a detached ArrayBuffer');
      v.push(sample.bytes);
      check(v.finish().operations === sample.records.length, 'the verifier still verifies');
      v.free();
      correctWork(bt, sample);
    },
  },
  {
    name: 'a Uint8Array whose length lies is read by its true length; a Proxy is refused',
    run(bt, env) {
      const sample = sampleLog(bt);
      const bytes = new Uint8Array([1, 2, 3, 4]);
      for (const claimed of [1 << 30, 1 << 20, 64, 0]) {
        check(bt.toHex(lyingLength(bytes, claimed)) === '01020304', `a length claiming ${claimed} was believed`);
      }
      const own = new Uint8Array([5, 6]);
      Object.defineProperty(own, 'length', { value: 1 << 24 });
      check(bt.toHex(own) === '0506', 'an own length property was believed');
      const proxy = new Proxy(new Uint8Array(32).fill(9), { get: (target, p) => (p === 'length' ? 1 << 30 : Reflect.get(target, p)) });
      const t = new bt.Tree({ keyLength: 32 });
      invalid(() => t.insert(proxy, '01'), 'key');
      invalid(() => bt.toHex(proxy), 'bytes');
      thrown(() => t.insert(lyingLength(new Uint8Array(4).fill(1), 32), '01'), 'KEY_LENGTH', 'a 4-byte key claiming 32');
      t.insert(lyingLength(key(1), 4), '01');
      check(bt.toHex(t.get(key(1))) === '01', 'a 32-byte key claiming 4 is a 32-byte key');
      thrown(() => bt.Tree.fromSnapshot(lyingLength(bytes, 1 << 30)), 'SNAPSHOT_INVALID', 'a 4-byte snapshot claiming 1 GiB');
      if (env.node && typeof Buffer === 'function') {
        t.insert(Buffer.alloc(32, 2), Buffer.from('0a0b', 'hex'));
        check(bt.toHex(t.get(Buffer.alloc(32, 2))) === '0a0b', 'a Node Buffer is a Uint8Array');
      }
      t.free();
      correctWork(bt, sample);
    },
  },
  {
    name: 'malformed arguments are INVALID_ARGUMENT naming the argument; domain codes only for the data',
    run(bt) {
      const sample = sampleLog(bt);
      const t = new bt.Tree({ keyLength: 32, valueLength: 8 });
      t.insert(key(1), bt.debtValue(1n));
      const expectRootHex = invalid(() => bt.verifyLog(sample.bytes, { expectRoot: 'zz' }), 'expectRoot');
      check(!/log is corrupt/.test(expectRootHex.message), expectRootHex.message);
      invalid(() => bt.verifyLog(sample.bytes, { expectRoot: new Uint8Array(5) }), 'expectRoot');
      invalid(() => new bt.LogVerifier({ startAt: { sequence: 1n, root: new Uint8Array(32) }, stateless: true }), 'startAt.root');
      const odd = invalid(() => bt.noteKey('abc', '00'), 'issuer');
      check(!/log is corrupt/.test(odd.message), odd.message);
      invalid(() => bt.noteKey('00', 42), 'recipient');
      check(invalid(() => bt.fromHex('00zz'), 'text').offset === 2, 'the offset of the bad digit');
      invalid(() => bt.fromHex(12), 'text');
      invalid(() => t.get(42), 'key');
      invalid(() => t.get({}), 'key');
      invalid(() => t.insert(key(2), null), 'value');
      invalid(() => t.insert(key(2), new Uint16Array(4)), 'value');
      invalid(() => new bt.Tree({ keyLength: 0 }), 'keyLength');
      invalid(() => new bt.Tree({ keyLength: 32, valueLength: -1 }), 'valueLength');
      invalid(() => new bt.Tree('32'), 'shape');
      invalid(() => bt.debtValue(-1), 'totalDebt');
      invalid(() => bt.debtValue(2n ** 64n), 'totalDebt');
      // 2^53 is a whole number below 2^64 but no longer an exact one: the message says why.
      const inexact = invalid(() => bt.debtValue(2 ** 53), 'totalDebt');
      check(/2\^53/.test(inexact.message) && /bigint/.test(inexact.message), inexact.message);
      check(bt.toHex(bt.debtValue(2 ** 53 - 1)) === '001fffffffffffff' && bt.toHex(bt.debtValue(2n ** 53n)) === '0020000000000000', 'exact numbers and bigints');
      invalid(() => new bt.TreeStorage().insert(key(1), '01', { timestamp: -1 }), 'timestamp');
      invalid(() => new bt.TreeStorage().exportLog({ format: 'xml' }), 'format');
      invalid(() => t.apply({ type: 'explode', key: key(1) }), 'operation.type');
      invalid(() => t.applyAll('not an array'), 'operations');
      invalid(() => t.proveLookup([key(1), 'zz']), 'keys[1]');
      invalid(() => bt.verifyProof(null), 'input');
      invalid(() => bt.verifyProof({ digest: new Uint8Array(5), proof: new Uint8Array(3), operations: [], keyLength: 32 }), 'digest');
      invalid(() => bt.verifyProof({ digest: t.digest, proof: 'zz', operations: [], keyLength: 32 }), 'proof');
      invalid(() => bt.Tree.fromSnapshot({}), 'snapshot');
      invalid(() => bt.verifyLog(42), 'bytes');
      invalid(() => bt.decodeLog(null), 'bytes');
      invalid(() => bt.encodeLog([{ ...sample.records[0], rootBefore: new Uint8Array(32) }], { keyLength: 32 }), 'records[0].rootBefore');
      invalid(() => bt.TreeStorage.recover({ keyLength: 32 }, [sample.records[0], { ...sample.records[1], key: 7 }]), 'records[1].key');
      invalid(() => new bt.TreeStorage().checkpointSnapshot('one'), 'id');
      // What the data says keeps its domain code.
      thrown(() => t.get(new Uint8Array(3)), 'KEY_LENGTH');
      thrown(() => t.insert(key(2), new Uint8Array(9)), 'VALUE_LENGTH');
      thrown(() => bt.Tree.fromSnapshot(new Uint8Array(64)), 'SNAPSHOT_INVALID');
      thrown(() => bt.verifyProof({ digest: t.digest, proof: new Uint8Array([0, 1, 2]), operations: [{ type: 'lookup', key: key(1) }], keyLength: 32, valueLength: 8 }), 'PROOF_INVALID');
      thrown(() => bt.verifyLog(sample.bytes, { expectRoot: sample.records[0].rootAfter }), 'EXPECTED_ROOT_MISMATCH');
      thrown(() => bt.verifyLog(sample.bytes.subarray(0, 30)), 'LOG_CORRUPT');
      t.free();
      correctWork(bt, sample);
    },
  },
  {
    name: 'options are strict: an unknown or unreadable key is refused, never ignored',
    async run(bt) {
      const sample = sampleLog(bt);
      const wrong = sample.records[0].rootAfter;
      const misspelt = invalid(() => bt.verifyLog(sample.bytes, { expectedRoot: wrong }), 'expectedRoot');
      check(/expectRoot/.test(misspelt.message), `"${misspelt.message}" does not suggest expectRoot`);
      invalid(() => new bt.LogVerifier({ expectedRoot: wrong }), 'expectedRoot');
      await rejected(() => bt.verifyLogStream([sample.bytes], { expectedRoot: wrong }), 'INVALID_ARGUMENT');
      invalid(() => new bt.Tree({ keylength: 32 }), 'keylength');
      invalid(() => new bt.TreeStorage({ keyLength: 32, withProof: true }), 'withProof');
      invalid(() => new bt.TreeStorage().insert(key(1), '01', { timestamp: 1n, time: 2n }), 'time');
      invalid(() => new bt.TreeStorage().exportLog({ form: 'ndjson' }), 'form');
      invalid(() => new bt.Tree().snapshot({ seq: 1n }), 'seq');
      invalid(() => bt.encodeLog(sample.records, { keyLength: 32 }, { fromat: 'ndjson' }), 'fromat');
      invalid(() => bt.verifyLog(sample.bytes, 'expectRoot'), 'options');
      invalid(() => bt.verifyProof({ digest: wrong, proof: '00', operations: [], keyLength: 32, valuelength: 8 }), 'valuelength');
      const proxied = new Proxy({}, {
        ownKeys() {
          throw new Error('ownKeys says no');
        },
      });
      invalid(() => bt.verifyLog(sample.bytes, proxied), 'options');
      // Spelt right, the same check runs and holds.
      thrown(() => bt.verifyLog(sample.bytes, { expectRoot: wrong }), 'EXPECTED_ROOT_MISMATCH');
      correctWork(bt, sample);
    },
  },
  {
    name: 'errors about the data carry expected and actual',
    run(bt) {
      const sample = sampleLog(bt);
      const records = sample.records;
      const forge = (index, change) => bt.encodeLog(records.map((r, i) => (i === index ? { ...r, ...change } : r)), { keyLength: 32 });
      const rootAfter = thrown(() => bt.verifyLog(forge(4, { rootAfter: records[0].rootAfter })), 'ROOT_AFTER_MISMATCH');
      check(sameBytes(rootAfter.expected, records[4].rootAfter), 'ROOT_AFTER_MISMATCH expected is the computed root');
      check(sameBytes(rootAfter.actual, records[0].rootAfter), 'ROOT_AFTER_MISMATCH actual is the logged root');
      const rootBefore = thrown(() => bt.verifyLog(forge(4, { rootBefore: records[0].rootBefore })), 'ROOT_BEFORE_MISMATCH');
      check(sameBytes(rootBefore.expected, records[3].rootAfter) && sameBytes(rootBefore.actual, records[0].rootBefore), 'ROOT_BEFORE_MISMATCH fields');
      const previous = thrown(() => bt.verifyLog(forge(20, { previousValue: bt.debtValue(9n) })), 'PREVIOUS_VALUE_MISMATCH');
      check(sameBytes(previous.expected, bt.debtValue(3n)) && sameBytes(previous.actual, bt.debtValue(9n)), 'PREVIOUS_VALUE_MISMATCH fields');
      const final = thrown(() => bt.verifyLog(sample.bytes, { expectRoot: records[0].rootAfter }), 'EXPECTED_ROOT_MISMATCH');
      check(sameBytes(final.expected, records[0].rootAfter) && sameBytes(final.actual, sample.root), 'EXPECTED_ROOT_MISMATCH fields');
      const sequence = thrown(() => bt.verifyLog(forge(6, { sequenceNumber: 70n })), 'LOG_SEQUENCE');
      check(sequence.expected === 7n && sequence.actual === 70n, `LOG_SEQUENCE fields ${sequence.expected} ${sequence.actual}`);
      const shape = thrown(() => bt.verifyLog(sample.bytes, { keyLength: 32, valueLength: 8 }), 'SHAPE_MISMATCH');
      check(shape.expected.keyLength === 32 && shape.expected.valueLength === 8, 'SHAPE_MISMATCH expected is the asked shape');
      check(shape.actual.keyLength === 32 && shape.actual.valueLength === null, 'SHAPE_MISMATCH actual is the log\'s shape');
      const t = new bt.Tree({ keyLength: 32, valueLength: 8 });
      const length = thrown(() => t.get(new Uint8Array(3)), 'KEY_LENGTH');
      check(length.expected === 32 && length.actual === 3, 'KEY_LENGTH fields');
      t.insert(key(1), bt.debtValue(1n));
      check(sameBytes(thrown(() => t.insert(key(1), bt.debtValue(1n)), 'KEY_EXISTS').key, key(1)), 'KEY_EXISTS carries the key');
      t.free();
      correctWork(bt, sample);
    },
  },
  {
    name: 'a failing log record is carried by its error, decoded, wherever it came from',
    run(bt) {
      const sample = sampleLog(bt);
      const forged = sample.records.map((r, i) => (i === 4 ? { ...r, value: bt.debtValue(99n) } : r));
      const recovered = thrown(() => bt.TreeStorage.recover({ keyLength: 32 }, forged), 'ROOT_AFTER_MISMATCH');
      check(recovered.record && recovered.record.sequenceNumber === 5n && sameBytes(recovered.record.value, bt.debtValue(99n)), 'recover: the failing record');
      for (const format of ['binary', 'ndjson']) {
        const verified = thrown(() => bt.verifyLog(bt.encodeLog(forged, { keyLength: 32 }, { format })), 'ROOT_AFTER_MISMATCH');
        check(verified.record && verified.record.sequenceNumber === 5n && sameBytes(verified.record.value, bt.debtValue(99n)), `${format}: the failing record`);
        check(verified.record.type === 'insert' && sameBytes(verified.record.rootAfter, sample.records[4].rootAfter), `${format}: the record as logged`);
      }
      const gap = thrown(() => bt.verifyLog(bt.encodeLog([...sample.records.slice(0, 3), ...sample.records.slice(4)], { keyLength: 32 })), 'LOG_SEQUENCE');
      check(gap.record.sequenceNumber === 5n, 'the record out of sequence');
      const s = new bt.TreeStorage({ keyLength: 32 });
      check(thrown(() => s.append(sample.records[1]), 'LOG_SEQUENCE').record.sequenceNumber === 2n, 'append: the refused record');
      s.free();
      correctWork(bt, sample);
    },
  },
  {
    name: 'the shape is the log\'s own; keyLength and valueLength given are assertions of it',
    run(bt) {
      const sample = sampleLog(bt);
      const reserve = new bt.TreeStorage({ keyLength: 32, valueLength: 8 });
      for (let i = 1; i <= 10; i++) reserve.insert(key(i), bt.debtValue(BigInt(i)), { timestamp: BigInt(i) });
      const log = reserve.exportLog();
      check(bt.verifyLog(log).operations === 10, 'a 32/8 log verifies with no options');
      check(bt.verifyLog(log, { keyLength: 32 }).operations === 10, 'asserting the key length alone');
      check(bt.verifyLog(log, { keyLength: 32, valueLength: 8, expectRoot: reserve.digest }).operations === 10, 'asserting the whole shape');
      const v = new bt.LogVerifier();
      v.push(log);
      v.finish();
      check(v.tree().shape.valueLength === 8, 'the replayed tree has the log\'s shape');
      v.free();
      const mismatch = thrown(() => bt.verifyLog(log, { valueLength: null }), 'SHAPE_MISMATCH');
      check(mismatch.expected.valueLength === null && mismatch.actual.valueLength === 8, 'both shapes');
      check(mismatch.offset === 0, 'at the header');
      reserve.free();
      correctWork(bt, sample);
    },
  },
  {
    name: 'sequence numbers and checkpoint ids stop at 2^64-1 instead of wrapping',
    run(bt) {
      const sample = sampleLog(bt);
      const max = 2n ** 64n - 1n;
      const t = new bt.Tree({ keyLength: 32 });
      t.insert(key(1), '01');
      const atMax = t.snapshot({ sequence: max });
      const s = bt.TreeStorage.recoverFromSnapshot(atMax, bt.encodeLog([], { keyLength: 32 }));
      check(s.lastSequence === max, `lastSequence ${s.lastSequence}`);
      const digest = s.digest;
      const err = thrown(() => s.insert(key(2), '02', { timestamp: 1n }), 'LOG_SEQUENCE');
      check(/none can follow/.test(err.message), err.message);
      check(sameBytes(s.digest, digest) && s.operations().length === 0, 'nothing changed');
      const exported = s.exportLog();
      check(bt.verifyLog(exported, { start: atMax }).lastSequence === max, 'its log still verifies');
      // A checkpoint id at the limit, as a restored snapshot may carry.
      const tracker = new bt.TreeStorage({ keyLength: 32 });
      tracker.insert(key(1), '01', { timestamp: 1n });
      const checkpoint = tracker.checkpoint({ timestamp: 2n });
      const lastId = withCheckpointId(tracker.checkpointSnapshot(checkpoint.id), max);
      const resumed = bt.TreeStorage.recoverFromSnapshot(lastId, tracker.exportLog({ from: 2n }));
      // Ids are bigints, exact to the last one, and each reads back the snapshot it names.
      check(resumed.checkpoints()[0].id === max, `the id read back is ${resumed.checkpoints()[0].id}`);
      check(resumed.checkpointSnapshot(resumed.checkpoints()[0].id) !== undefined, 'the snapshot of the id reported');
      check(resumed.checkpointSnapshot(max - 1n) === undefined, 'no snapshot of the id before it');
      const ids = thrown(() => resumed.checkpoint({ timestamp: 3n }), 'LOG_SEQUENCE');
      check(/checkpoint id/.test(ids.message), ids.message);
      check(resumed.checkpoints().length === 1, 'no checkpoint was added');
      for (const x of [t, s, tracker, resumed]) x.free();
      correctWork(bt, sample);
    },
  },
  {
    name: 'recoverFromSnapshot checks the tail\'s header exactly as LogVerifier does',
    run(bt) {
      const sample = sampleLog(bt);
      const s = new bt.TreeStorage({ keyLength: 32 });
      for (let i = 1; i <= 20; i++) s.insert(key(i), bt.debtValue(BigInt(i)), { timestamp: BigInt(i) });
      const snapshot = s.checkpointSnapshot(s.checkpoint({ timestamp: 21n }).id);
      for (let i = 1; i <= 5; i++) s.update(key(i), bt.debtValue(BigInt(50 + i)), { timestamp: BigInt(30 + i) });
      const tail = s.operations(21n);
      const both = (bytes, code) => {
        const recovered = thrown(() => bt.TreeStorage.recoverFromSnapshot(snapshot, bytes), code, `recoverFromSnapshot ${code}`);
        const v = new bt.LogVerifier({ start: snapshot });
        const verified = thrown(() => v.push(bytes), code, `LogVerifier ${code}`);
        v.free();
        check(recovered.offset === 0 && verified.offset === 0 && recovered.sequence === undefined, `${code}: at the header`);
        check(recovered.message === verified.message, `${recovered.message} / ${verified.message}`);
        return recovered;
      };
      both(bt.encodeLog(tail, { keyLength: 32, valueLength: 8 }), 'SHAPE_MISMATCH');
      both(s.exportLog({ from: 1000n }), 'LOG_SEQUENCE');
      const wrongStart = [{ ...tail[0], rootBefore: tail[2].rootAfter }, ...tail.slice(1)];
      const root = both(bt.encodeLog(wrongStart, { keyLength: 32 }), 'ROOT_BEFORE_MISMATCH');
      check(sameBytes(root.actual, tail[2].rootAfter), 'the header\'s start root');
      const resumed = bt.TreeStorage.recoverFromSnapshot(snapshot, s.exportLog({ from: 21n }));
      check(sameBytes(resumed.digest, s.digest), 'a good tail still resumes');
      resumed.free();
      s.free();
      correctWork(bt, sample);
    },
  },
  {
    name: 'a record longer than its shape allows is refused before it is buffered, and memory stays small',
    run(bt, env) {
      const sample = sampleLog(bt);
      const before = env.memory();
      // An NDJSON log whose second line never ends.
      const header = bt.encodeLog([], { keyLength: 32 }, { format: 'ndjson' });
      const junk = new Uint8Array(64 * 1024).fill(0x61);
      const v = new bt.LogVerifier();
      v.push(header);
      v.push('{"sequence_number":"1","key":"');
      let pushed = header.length;
      let error;
      while (pushed < 16 * 1024 * 1024) {
        try {
          v.push(junk);
        } catch (err) {
          error = err;
          break;
        }
        pushed += junk.length;
      }
      v.free();
      check(error && error.code === 'LOG_CORRUPT' && /maxRecordLength/.test(error.message), `refused: ${error && error.message}`);
      check(pushed < 2 * 1024 * 1024, `refused after ${pushed} bytes`);
      // A binary record that declares 64 MiB is refused as soon as its length is there.
      const declared = bt.encodeLog([], { keyLength: 32 });
      const huge = new Uint8Array(declared.length + 4);
      huge.set(declared);
      new DataView(huge.buffer).setUint32(declared.length, 64 * 1024 * 1024);
      const binary = new bt.LogVerifier();
      check(thrown(() => binary.push(huge), 'LOG_CORRUPT').offset === declared.length, 'at the record');
      binary.free();
      const grown = env.memory() - before;
      check(grown <= 8 * 1024 * 1024, `the instance's memory grew by ${grown} bytes`);
      // Values of a variable-length log are capped at 64 KiB unless the cap is raised.
      const big = new bt.TreeStorage({ keyLength: 32 });
      big.insert(key(1), new Uint8Array(100_000), { timestamp: 1n });
      const log = big.exportLog();
      const capped = thrown(() => bt.verifyLog(log), 'VALUE_LENGTH');
      check(capped.expected === 65536 && capped.actual === 100_000 && capped.sequence === 1n, 'the cap and the value');
      check(/cap on a log's values \(raise it with maxValueLength\)/.test(capped.message), `"${capped.message}" does not say how to raise the cap`);
      check(bt.verifyLog(log, { maxValueLength: 100_000 }).operations === 1, 'raised, it verifies');
      thrown(() => bt.decodeLog(log), 'VALUE_LENGTH');
      check(bt.decodeLog(log, { maxValueLength: 100_000 }).records.length === 1, 'decodeLog takes the cap too');
      thrown(() => bt.verifyLog(sample.bytes, { maxRecordLength: 100 }), 'LOG_CORRUPT');
      invalid(() => bt.verifyLog(sample.bytes, { maxValueLength: 0 }), 'maxValueLength');
      big.free();
      correctWork(bt, sample);
    },
  },
  {
    name: 'shared, cyclic, sparse and lying arrays and objects cost what they hold, never what they claim',
    run(bt, env) {
      const sample = sampleLog(bt);
      const t = new bt.Tree({ keyLength: 32 });
      t.insert(key(1), '01');
      const before = env.probe();
      // Ten references to one object at each of 14 levels: 140 objects, 10^14 paths to copy.
      let shared = 1;
      for (let level = 0; level < 14; level++) {
        const next = {};
        for (let j = 0; j < 10; j++) next[`a${j}`] = shared;
        shared = next;
      }
      invalid(() => t.apply({ type: 'lookup', key: key(1), junk: shared }), 'operation.junk');
      invalid(() => bt.verifyLog(sample.bytes, { expectRoot: sample.root, extra: shared }), 'extra');
      invalid(() => bt.trackerCommitment({ additionalRegisters: {}, junk: shared }), 'box');
      // The same with one 200-byte array at the bottom: bytes that short are copied each time an
      // object reaches them, but each object is copied once, so ten copies, not 10^14.
      let sharedBytes = new Uint8Array(200);
      for (let level = 0; level < 14; level++) {
        const next = {};
        for (let j = 0; j < 10; j++) next[`a${j}`] = sharedBytes;
        sharedBytes = next;
      }
      invalid(() => t.apply({ type: 'lookup', key: key(1), junk: sharedBytes }), 'operation.junk');
      // One 16 MiB array given as each of 1,000 keys is copied once, and refused as the key it is.
      const big = new Uint8Array(16 << 20);
      thrown(() => t.proveLookup(new Array(1000).fill(big)), 'KEY_LENGTH', 'one big key a thousand times');
      // The same commitment twice in one argument is read twice.
      const tree = bt.avlTreeFromRegister(`64${hex(sample.root)}032000`);
      check(bt.verifyLog(sample.bytes, { expectRoot: tree, commitments: [tree, tree] }).commitments.length === 2, 'a shared commitment');
      // A cycle is named where it closes.
      const cyclic = { type: 'lookup', key: key(1) };
      cyclic.self = cyclic;
      check(/contains itself/.test(invalid(() => t.apply(cyclic), 'operation.self').message), 'a cyclic object');
      const loop = [key(1)];
      loop.push(loop);
      check(/contains itself/.test(invalid(() => t.proveLookup(loop), 'keys[1]').message), 'a cyclic array');
      // A sparse array is refused at its first hole, and one longer than any argument by its length.
      const holes = [key(1)];
      holes.length = 1000;
      check(/hole/.test(invalid(() => t.proveLookup(holes), 'keys[1]').message), 'a hole');
      holes.length = 2 ** 32 - 1;
      invalid(() => t.proveLookup(holes), 'keys');
      invalid(() => bt.verifyLog(sample.bytes, { commitments: holes }), 'commitments');
      const one = key(1);
      const claims = new Proxy([], { get: (target, p) => (p === 'length' ? 1e9 : one), has: () => true });
      invalid(() => t.proveLookup(claims), 'keys');
      check(env.probe() === before, `the shadow stack moved from ${before} to ${env.probe()}`);
      check(bt.toHex(t.proveLookup([one, one])).length > 0, 'the tree proves lookups');
      t.free();
      correctWork(bt, sample);
    },
  },
  {
    name: 'a string longer than its argument takes is refused before it is copied into the instance',
    run(bt, env) {
      const sample = sampleLog(bt);
      const t = new bt.Tree({ keyLength: 32, valueLength: 8 });
      const before = env.memory();
      // Longer than the instance's whole memory, so copying it would have to grow it.
      const chars = Math.min(before + (32 << 20), 2 ** 29 - 64) & ~1;
      const long = 'ab'.repeat(chars / 2);
      check(thrown(() => t.get(long), 'KEY_LENGTH').actual === chars / 2, 'the key\'s length in bytes');
      thrown(() => t.insert(key(1), long), 'VALUE_LENGTH');
      thrown(() => new bt.Tree({ keyLength: 32 }).insert(key(1), long), 'VALUE_LENGTH');
      invalid(() => bt.verifyLog(sample.bytes, { expectRoot: long }), 'expectRoot');
      invalid(() => bt.avlTreeFromRegister(long), 'register');
      invalid(() => bt.trackerCommitment(long), 'box');
      invalid(() => t.apply({ type: long, key: key(1) }), 'operation.type');
      invalid(() => new bt.TreeStorage().exportLog({ format: long }), 'format');
      const named = thrown(() => bt.verifyLog(sample.bytes, { [long]: 1 }), 'INVALID_ARGUMENT');
      check(named.argument.length < 100 && named.message.length < 1000, `an option named by ${chars} characters is named in ${named.argument.length}`);
      const grown = env.memory() - before;
      check(grown <= 1 << 20, `the instance's memory grew by ${grown} bytes`);
      t.insert(key(1), 'ab'.repeat(8));
      check(bt.toHex(t.get(bt.toHex(key(1)))) === 'ab'.repeat(8), 'hex keys and values still go in');
      t.free();
      correctWork(bt, sample);
    },
  },
  {
    name: 'options and records are plain objects: byte data, a Map, a Date or a boxed number is refused, never read as no options',
    run(bt) {
      const sample = sampleLog(bt);
      const wrong = sample.records[0].rootAfter;
      const notOptions = [
        ['a Uint16Array', new Uint16Array(4)],
        ['a DataView', new DataView(new ArrayBuffer(4))],
        ['an ArrayBuffer', new ArrayBuffer(4)],
        ['a Map', new Map([['expectRoot', wrong]])],
        ['a Date', new Date()],
        ['a Number object', Object(5)],
        ['a Promise', Promise.resolve({ expectRoot: wrong })],
        ['a detached Uint8Array', detachedBytes(4)],
      ];
      if (typeof SharedArrayBuffer === 'function') notOptions.push(['a SharedArrayBuffer', new SharedArrayBuffer(4)]);
      for (const [what, value] of notOptions) {
        invalid(() => bt.verifyLog(sample.bytes, value), 'options', `verifyLog with ${what} as options`);
        invalid(() => new bt.LogVerifier(value), 'options', `LogVerifier with ${what}`);
        invalid(() => new bt.Tree(value), 'shape', `Tree with ${what}`);
        invalid(() => new bt.TreeStorage(value), 'options', `TreeStorage with ${what}`);
        invalid(() => new bt.Tree().snapshot(value), 'options', `snapshot with ${what}`);
        invalid(() => bt.emptyDigest(value), 'shape', `emptyDigest with ${what}`);
        invalid(() => bt.decodeLog(sample.bytes, value), 'options', `decodeLog with ${what}`);
        invalid(() => new bt.Tree().apply(value), 'operation', `apply with ${what}`);
        invalid(() => bt.TreeStorage.recover(undefined, [value]), 'records[0]', `recover with ${what}`);
      }
      // An ArrayBuffer disguised as a plain object, its prototype swapped or its tag overwritten,
      // is still bytes where none are taken.
      const swapped = Object.setPrototypeOf(new ArrayBuffer(4), Object.prototype);
      const retagged = Object.defineProperty(new ArrayBuffer(4), Symbol.toStringTag, { value: 'Object' });
      for (const [what, value] of [['a prototype-swapped ArrayBuffer', swapped], ['a retagged ArrayBuffer', retagged]]) {
        const refusals = [
          [invalid(() => new bt.Tree(value), 'shape', `Tree with ${what}`), 'Tree'],
          [invalid(() => new bt.Tree().apply(value), 'operation', `apply with ${what}`), 'apply'],
          [invalid(() => new bt.Tree().applyAll([value]), 'operations[0]', `applyAll with ${what}`), 'applyAll'],
          [invalid(() => bt.verifyLog(sample.bytes, value), 'options', `verifyLog with ${what}`), 'verifyLog'],
        ];
        for (const [err, call] of refusals) check(/ArrayBuffer/.test(err.message), `${call} with ${what}: "${err.message}" does not say it is an ArrayBuffer`);
      }
      const map = invalid(() => bt.verifyLog(sample.bytes, new Map([['expectRoot', wrong]])), 'options');
      check(/Map/.test(map.message), `"${map.message}" does not say it is a Map`);
      // A plain object of any prototype-less or class-made kind is still read.
      const bare = Object.assign(Object.create(null), { expectRoot: wrong });
      thrown(() => bt.verifyLog(sample.bytes, bare), 'EXPECTED_ROOT_MISMATCH');
      class Options {
        constructor() {
          this.expectRoot = wrong;
        }
      }
      thrown(() => bt.verifyLog(sample.bytes, new Options()), 'EXPECTED_ROOT_MISMATCH');
      correctWork(bt, sample);
    },
  },
  {
    name: 'a view out of the bounds of its shrunk ArrayBuffer is refused, not read as no bytes',
    run(bt) {
      const sample = sampleLog(bt);
      let resizable;
      try {
        resizable = new ArrayBuffer(64, { maxByteLength: 128 });
      } catch {
        return; // no resizable ArrayBuffers here
      }
      if (typeof resizable.resize !== 'function') return;
      const view = new Uint8Array(resizable, 0, 32);
      view.fill(1);
      const t = new bt.Tree({ keyLength: 32 });
      t.insert(view, '01');
      resizable.resize(8);
      for (const [what, call, argument] of [
        ['noteKey', () => bt.noteKey(view, '00'), 'issuer'],
        ['toHex', () => bt.toHex(view), 'bytes'],
        ['get', () => t.get(view), 'key'],
        ['verifyLog', () => bt.verifyLog(view), 'bytes'],
        ['push', () => new bt.LogVerifier().push(view), 'chunk'],
      ]) {
        check(/bounds/.test(invalid(call, argument, what).message), `${what}: the message does not say out of bounds`);
      }
      resizable.resize(64); // (the bytes beyond the 8 kept come back as zeros)
      view.fill(1);
      check(bt.toHex(t.get(view)) === '01', 'back in bounds, the view is read');
      // A view that tracks its buffer's length reads what the buffer holds now.
      const tracking = new Uint8Array(resizable);
      resizable.resize(4);
      check(bt.toHex(tracking) === '01010101', 'a length-tracking view');
      t.free();
      correctWork(bt, sample);
    },
  },
  {
    name: 'bytes detached while they are being verified are refused, never verified as a shorter log',
    async run(bt) {
      const sample = sampleLog(bt);
      const s = new bt.TreeStorage({ keyLength: 32 });
      for (let i = 1; i <= 3000; i++) s.insert(bt.noteKey(new Uint8Array([i & 0xff, i >> 8]), '01'), bt.debtValue(BigInt(i)), { timestamp: 1n });
      const log = s.exportLog();
      s.free();
      // The caller's own progress callback takes the buffer away after the first slice.
      const buffer = new ArrayBuffer(log.length);
      new Uint8Array(buffer).set(log);
      let calls = 0;
      const onProgress = () => {
        if (calls++ === 0) structuredClone(buffer, { transfer: [buffer] });
      };
      check(/detached/.test(invalid(() => bt.verifyLog(new Uint8Array(buffer), { onProgress }), 'bytes').message), 'verifyLog: detached midway');
      // A stream's chunk taken away while the verifier waits for its turn.
      const streamed = new ArrayBuffer(log.length);
      new Uint8Array(streamed).set(log);
      const pending = bt.verifyLogStream([new Uint8Array(streamed)], {
        onProgress: () => {
          if (streamed.byteLength) structuredClone(streamed, { transfer: [streamed] });
        },
      });
      const err = await pending.then(() => undefined, (e) => e);
      check(err && err.code === 'INVALID_ARGUMENT' && err.argument === 'source' && /detached/.test(err.message), `verifyLogStream: ${err && err.code} ${err && err.message}`);
      correctWork(bt, sample);
    },
  },
  {
    name: 'the chain\'s boxes and registers, pasted hostile or malformed, are refused with codes and nothing stays borrowed',
    run(bt, env) {
      const sample = sampleLog(bt);
      const r4 = '07024e564477ff457c601c01ad1cc31903f8b27b7d5e515bd03138891d8152d787b2';
      const r5 = `64${hex(sample.root)}032000`;
      const box = { boxId: '00'.repeat(32), value: 10_000_000n, additionalRegisters: { R4: r4, R5: { serializedValue: r5, sigmaType: 'SAvlTree' } } };
      // The same box as text, as bytes, and parsed (with a bigint, as some JSON readers give).
      const read = [JSON.stringify({ ...box, value: 1 }), new TextEncoder().encode(JSON.stringify({ ...box, value: 1 })), box].map((b) => bt.trackerCommitment(b));
      for (const commitment of read) {
        check(sameBytes(commitment.tree.digest, sample.root), 'the box\'s digest is not R5\'s');
        check(commitment.tree.keyLength === 32 && commitment.tree.valueLength === null, 'the box\'s shape');
        check(commitment.boxIdVerified === false, 'an id without the box\'s contents is not verified');
      }
      const report = bt.verifyLog(sample.bytes, { expectRoot: read[2], commitments: [sample.records[4].rootAfter, read[0].tree, read[1]] });
      check(report.commitments.length === 3 && report.commitments[0].sequence === 5n && report.commitments[2].sequence === 22n, 'commitments reached');

      const getter = Object.defineProperty({}, 'additionalRegisters', { enumerable: true, get() { throw new Error('box getter says no'); } });
      const trap = new Proxy(box, { ownKeys() { throw new Error('ownKeys trap says no'); } });
      const revocable = Proxy.revocable({}, {});
      revocable.revoke();
      let deep = { additionalRegisters: {} };
      for (let i = 0; i < 40; i++) deep = { nested: deep };
      const treeGetter = Object.defineProperty({ keyLength: 32 }, 'digest', { enumerable: true, get() { throw new Error('digest getter says no'); } });
      const before = env.probe();
      for (let i = 0; i < 3000; i++) {
        invalid(() => bt.trackerCommitment(getter), 'box.additionalRegisters', 'box getter');
        invalid(() => bt.trackerCommitment(trap), 'box', 'ownKeys trap');
        invalid(() => bt.trackerCommitment(revocable.proxy), 'box', 'revoked proxy');
        invalid(() => bt.trackerCommitment(detachedBytes(8)), 'box', 'detached box');
        check(/^box\.nested/.test(thrown(() => bt.trackerCommitment(deep), 'INVALID_ARGUMENT', 'nested too deeply').argument), 'names the nesting');
        invalid(() => bt.trackerCommitment(42), 'box', 'a number');
        invalid(() => bt.avlTreeFromRegister('64zz'), 'register', 'bad hex');
        invalid(() => bt.avlTreeFromRegister(detachedBytes(37)), 'register', 'detached register');
        invalid(() => bt.verifyLog(sample.bytes, { expectRoot: treeGetter }), 'expectRoot.digest', 'tree getter');
        invalid(() => bt.verifyLog(sample.bytes, { commitments: throwingArray(3, 1, sample.root) }), 'commitments[1]', 'commitment getter');
        invalid(() => bt.verifyLog(sample.bytes, { expectRoot: { digest: sample.root, keyLength: 32, valueLenght: null } }), 'expectRoot.valueLenght', 'misspelt');
        thrown(() => bt.avlTreeFromRegister('05d4d59604'), 'REGISTER_INVALID', 'a Long');
        thrown(() => bt.trackerCommitment('{"additionalRegisters": {"R4": "' + r4 + '"}}'), 'BOX_INVALID', 'no R5');
        thrown(() => bt.trackerCommitment('{"additionalRegisters": '), 'BOX_INVALID', 'cut short');
        thrown(() => bt.verifyLog(sample.bytes, { commitments: [sample.records[9].rootAfter, sample.records[2].rootAfter] }), 'COMMITMENT_MISSING', 'out of order');
      }
      check(env.probe() === before, `the shadow stack moved from ${before} to ${env.probe()}`);
      const wrong = thrown(() => bt.trackerCommitment({ additionalRegisters: { R4: r4, R5: '05d4d59604' } }), 'REGISTER_INVALID');
      check(wrong.register === 'R5' && wrong.expected === 100 && wrong.actual === 5, `R5 of another type: ${wrong.register} ${wrong.expected} ${wrong.actual}`);
      const missing = thrown(() => bt.verifyLog(sample.bytes, { commitments: [sample.records[9].rootAfter, sample.records[2].rootAfter] }), 'COMMITMENT_MISSING');
      check(missing.index === 1 && missing.seenAt === 3n && missing.previous === 10n && missing.sequence === 22n, 'COMMITMENT_MISSING fields');
      check(sameBytes(missing.digest, sample.records[2].rootAfter), 'COMMITMENT_MISSING digest');
      correctWork(bt, sample);
    },
  },
];

/**
 * Values of 16 MiB into one tree until the instance's 4 GiB are spent: `OUT_OF_MEMORY`, never a
 * trap; the refused insert changes nothing, and once the tree is freed the same instance works.
 * (Run on its own: the instance's memory stays grown.)
 */
export function exhaustMemory(bt) {
  const sample = sampleLog(bt);
  const t = new bt.Tree({ keyLength: 32 });
  const value = new Uint8Array(16 * 1024 * 1024).fill(7);
  const keyOf = (i) => new Uint8Array(32).fill(1).map((b, j) => (j < 2 ? (i >> (8 * j)) & 0xff : b));
  let error;
  let inserted = 0;
  for (let i = 1; i <= 400 && !error; i++) {
    try {
      t.insert(keyOf(i), value);
      inserted += 1;
    } catch (err) {
      error = err;
    }
  }
  check(error !== undefined, `${inserted} values of 16 MiB went in without an error`);
  check(error.name === 'BasisTreeError' && error.code === 'OUT_OF_MEMORY', `${error.name} ${error.code}: ${error.message}`);
  check(t.size === inserted, 'the refused insert changed nothing');
  check(sameBytes(t.get(keyOf(1)), value), 'the tree still answers');
  t.free();
  correctWork(bt, sample);
  return { inserted };
}

/**
 * The hostile campaign:/**
 * The hostile campaign: `calls` error-raising calls of every kind (freed object, throwing getter,
 * detached buffer, lying length, bad hex, unknown option), then a correct verifyLog. Returns the
 * count of each kind and the shadow-stack position before and after.
 */
export function hostileCampaign(bt, env, calls = 100_000) {
  const sample = sampleLog(bt);
  const freed = new bt.Tree({ keyLength: 32 });
  freed.free();
  const t = new bt.Tree({ keyLength: 32 });
  const keys = throwingArray(2, 1, key(1));
  const getterOptions = throwingOptions('expectRoot');
  const liar = lyingLength(new Uint8Array([1, 2, 3, 4]), 1 << 30);
  const detached = detachedBytes(32);
  const misspelt = { expectedRoot: sample.root };
  const kinds = {
    'freed object': () => invalid(() => freed.get(key(1)), 'this', 'freed'),
    'throwing getter': (i) =>
      i % 2 === 0
        ? invalid(() => t.proveLookup(keys), 'keys[1]', 'element getter')
        : invalid(() => new bt.LogVerifier(getterOptions), 'expectRoot', 'option getter'),
    'detached buffer': () => invalid(() => t.get(detached), 'key', 'detached'),
    'lying length': () => thrown(() => bt.Tree.fromSnapshot(liar), 'SNAPSHOT_INVALID', 'lying length'),
    'bad hex': () => invalid(() => bt.noteKey('abc', '00'), 'issuer', 'bad hex'),
    'unknown option': () => invalid(() => bt.verifyLog(sample.bytes, misspelt), 'expectedRoot', 'unknown option'),
  };
  const before = env.probe();
  const counts = {};
  for (const [kind, call] of Object.entries(kinds)) {
    for (let i = 0; i < calls; i++) call(i);
    counts[kind] = calls;
  }
  const after = env.probe();
  correctWork(bt, sample);
  t.free();
  return { counts, stackBefore: before, stackAfter: after };
}

/** Runs every case; `{ name: 'ok' | failure text }`. */
export async function runCases(bt, env) {
  const results = {};
  for (const { name, run } of cases) {
    try {
      await run(bt, env);
      results[name] = 'ok';
    } catch (err) {
      results[name] = String((err && err.stack) || err);
    }
  }
  return results;
}
