// The package from CommonJS: `require('basis-trees')`, synchronous, no init call.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const bt = require('basis-trees');

const key = (n) => new Uint8Array(32).fill(n);
const debt = (n) => bt.debtValue(BigInt(n));

function throwsCode(fn, code) {
  let error;
  assert.throws(fn, (err) => {
    error = err;
    return true;
  });
  assert.ok(error instanceof Error, `${error} is not an Error`);
  assert.equal(error.name, 'BasisTreeError', error.stack);
  assert.equal(error.code, code, error.message);
  return error;
}

test('a tree answers lookups and reports digest, size and height', () => {
  const t = new bt.Tree({ keyLength: 32, valueLength: 8 });
  assert.equal(bt.toHex(new bt.Tree({ keyLength: 32 }).digest), '4ec61f485b98eb87153f7c57db4f5ecd75556fddbc403b41acf8441fde8e160900');
  t.insert(key(1), debt(100));
  t.insert(bt.toHex(key(2)), bt.toHex(debt(7)));
  assert.deepEqual(t.get(key(1)), debt(100));
  assert.equal(t.get(key(3)), undefined);
  assert.deepEqual(t.update(key(1), debt(250)), debt(100));
  assert.deepEqual(t.insertOrUpdate(key(1), debt(300)), debt(250));
  assert.equal(t.insertOrUpdate(key(4), debt(1)), undefined);
  assert.deepEqual(t.remove(key(4)), debt(1));
  assert.equal(t.size, 2);
  assert.ok(t.digest instanceof Uint8Array);
  assert.equal(t.digest.length, 33);
  assert.equal(t.digest[32], t.height);
  assert.deepEqual(t.entries().map(([k]) => k[0]), [1, 2]);
  t.free();
});

test('every error is a BasisTreeError and the instance keeps working after it', () => {
  const t = new bt.Tree({ keyLength: 32, valueLength: 8 });
  t.insert(key(1), debt(1));
  const digest = t.digest;
  throwsCode(() => t.insert(new Uint8Array(31), debt(1)), 'KEY_LENGTH');
  throwsCode(() => t.insert(key(2), new Uint8Array(9)), 'VALUE_LENGTH');
  throwsCode(() => t.insert(key(0), debt(1)), 'KEY_RESERVED');
  throwsCode(() => t.insert(key(255), debt(1)), 'KEY_RESERVED');
  throwsCode(() => t.insert(key(1), debt(2)), 'KEY_EXISTS');
  throwsCode(() => t.update(key(9), debt(2)), 'KEY_NOT_FOUND');
  throwsCode(() => t.remove(key(9)), 'KEY_NOT_FOUND');
  assert.deepEqual(t.digest, digest);
  t.insert(key(2), debt(2));
  assert.equal(t.size, 2);
});

test('malformed input of every kind is INVALID_ARGUMENT and never traps the instance', () => {
  const t = new bt.Tree({ keyLength: 32 });
  const junk = [undefined, null, 42, 1n, 'zz', 'abc', {}, [], [1, 2], () => 1, Symbol('s'), new ArrayBuffer(32), new Uint16Array(16)];
  for (const value of junk) {
    assert.equal(throwsCode(() => t.insert(value, new Uint8Array(1)), 'INVALID_ARGUMENT').argument, 'key');
    throwsCode(() => t.get(value), 'INVALID_ARGUMENT');
    assert.equal(throwsCode(() => t.insert(key(3), value), 'INVALID_ARGUMENT').argument, 'value');
  }
  for (const shape of [{ keyLength: 0 }, { keyLength: 1e300 }, { keyLength: -1 }, { keyLength: NaN }, { keyLength: '32' }, { keyLength: 2n ** 70n }, 7, 'x']) {
    throwsCode(() => new bt.Tree(shape), 'INVALID_ARGUMENT');
  }
  throwsCode(() => new bt.Tree({ keyLength: 32, valueLength: 2 ** 40 }), 'INVALID_ARGUMENT');
  // Keys and values longer than the tree accepts are refused before they are copied into the
  // instance's memory, with the code of the data.
  const long = throwsCode(() => t.get(new Uint8Array(256 * 1024 * 1024)), 'KEY_LENGTH');
  assert.deepEqual([long.expected, long.actual], [32, 256 * 1024 * 1024]);
  throwsCode(() => t.insert(key(3), new Uint8Array(17 * 1024 * 1024)), 'VALUE_LENGTH');
  throwsCode(() => bt.debtValue(2n ** 64n), 'INVALID_ARGUMENT');
  throwsCode(() => bt.debtValue(-1), 'INVALID_ARGUMENT');
  throwsCode(() => bt.fromHex(12), 'INVALID_ARGUMENT');
  const badHex = throwsCode(() => bt.fromHex('00zz'), 'INVALID_ARGUMENT');
  assert.equal(badHex.offset, 2);
  assert.equal(badHex.argument, 'text');
  throwsCode(() => t.apply({ type: 'explode', key: key(1) }), 'INVALID_ARGUMENT');
  throwsCode(() => t.applyAll('not an array'), 'INVALID_ARGUMENT');
  const s = new bt.TreeStorage({ keyLength: 32 });
  throwsCode(() => s.insert(key(1), new Uint8Array(1), { timestamp: 2n ** 64n }), 'INVALID_ARGUMENT');
  throwsCode(() => s.insert(key(1), new Uint8Array(1), { timestamp: -1 }), 'INVALID_ARGUMENT');
  assert.equal(throwsCode(() => s.append({ type: 'insert', key: key(1) }), 'INVALID_ARGUMENT').argument, 'record.sequenceNumber');
  throwsCode(() => s.append('record'), 'INVALID_ARGUMENT');
  // The instances still work.
  t.insert(key(3), new Uint8Array([3]));
  assert.deepEqual(t.get(key(3)), new Uint8Array([3]));
  s.insert(key(1), new Uint8Array([1]), { timestamp: 1n });
  assert.equal(s.lastSequence, 1n);
});

test('a batch gives the same tree, results, proofs and errors whether its bytes are Uint8Arrays or hex', () => {
  // Operations of Uint8Arrays of the tree's shape go to the module packed into one buffer; the
  // same operations in hex go as objects. Both ways must agree on everything.
  const hex = (operations) => operations.map((op) => Object.fromEntries(Object.entries(op).map(([k, v]) => [k, v instanceof Uint8Array ? bt.toHex(v) : v])));
  const value = (n, length) => new Uint8Array(length).fill(n);
  for (const valueLength of [8, undefined]) {
    const shape = valueLength === undefined ? { keyLength: 32 } : { keyLength: 32, valueLength };
    const length = (n) => valueLength ?? n % 5;
    const batches = [
      Array.from({ length: 40 }, (_, i) => ({ type: 'insert', key: key(i + 1), value: value(i, length(i)) })),
      [
        { type: 'lookup', key: key(3) },
        { type: 'lookup', key: key(3), value: 'ignored on a lookup' },
        { type: 'update', key: key(4), value: value(9, length(9)) },
        { type: 'insertOrUpdate', key: key(5), value: value(8, length(8)) },
        { type: 'insertOrUpdate', key: key(200), value: value(7, length(7)) },
        { type: 'remove', key: key(6) },
        { type: 'removeIfExists', key: key(6) },
        { type: 'removeIfExists', key: key(7) },
        { type: 'lookup', key: key(250) },
      ],
    ];
    const packed = new bt.Tree(shape);
    const objects = new bt.Tree(shape);
    for (const [round, batch] of batches.entries()) {
      assert.deepEqual(packed.applyAll(batch), objects.applyAll(hex(batch)));
      assert.deepEqual(packed.digest, objects.digest);
      const proving = [
        { type: 'insertOrUpdate', key: key(150 + round), value: value(round, length(round)) },
        { type: 'lookup', key: key(3) },
        { type: 'removeIfExists', key: key(8 + round) },
      ];
      const proved = [packed.prove(proving), objects.prove(hex(proving))];
      assert.deepEqual(proved[0], proved[1]);
      assert.deepEqual(packed.digest, objects.digest);
    }
    const failing = [
      [[{ type: 'insert', key: key(1), value: value(1, length(1)) }], 'KEY_EXISTS'],
      [[{ type: 'update', key: key(99), value: value(1, length(1)) }], 'KEY_NOT_FOUND'],
      [[{ type: 'remove', key: key(99) }], 'KEY_NOT_FOUND'],
      [[{ type: 'insert', key: new Uint8Array(31), value: value(1, length(1)) }], 'KEY_LENGTH'],
      [[{ type: 'insert', key: key(99) }], 'INVALID_ARGUMENT', 'operations[0].value'],
      [[{ type: 'insert', key: key(99), value: value(1, 1), extra: 1 }], 'INVALID_ARGUMENT', 'operations[0].extra'],
      [[{ type: 'explode', key: key(99) }], 'INVALID_ARGUMENT', 'operations[0].type'],
    ];
    if (valueLength !== undefined) failing.push([[{ type: 'insert', key: key(99), value: value(1, 3) }], 'VALUE_LENGTH']);
    for (const [operations, code, argument] of failing) {
      const before = packed.digest;
      // The failing operation comes after good ones: the batch is all or nothing.
      const batch = [{ type: 'insertOrUpdate', key: key(120), value: value(1, length(1)) }, ...operations];
      for (const [tree, ops] of [[packed, batch], [objects, hex(batch)]]) {
        for (const method of ['applyAll', 'prove']) {
          const error = throwsCode(() => tree[method](ops), code);
          if (argument) assert.equal(error.argument, argument.replace('[0]', '[1]'));
        }
      }
      assert.deepEqual(packed.digest, before);
      assert.deepEqual(objects.digest, before);
    }
    packed.free();
    objects.free();
  }
});

test('TreeStorage logs records with the API fields and refuses forged ones', () => {
  const s = new bt.TreeStorage({ keyLength: 32 });
  const r1 = s.insert(key(1), debt(100), { timestamp: 1767225600000n });
  assert.equal(r1.sequenceNumber, 1n);
  assert.equal(r1.type, 'insert');
  assert.equal(r1.timestamp, 1767225600000n);
  assert.deepEqual(r1.value, debt(100));
  assert.equal(r1.previousValue, undefined);
  assert.equal(r1.rootBefore.length, 33);
  const r2 = s.update(key(1), debt(250), { timestamp: 1767225660000n });
  assert.deepEqual(r2.previousValue, debt(100));
  assert.deepEqual(r2.rootBefore, r1.rootAfter);
  const r3 = s.remove(key(1));
  assert.equal(typeof r3.timestamp, 'bigint');
  assert.equal(r3.value, undefined);
  assert.deepEqual(s.digest, r3.rootAfter);
  assert.equal(s.operations().length, 3);
  assert.deepEqual(s.operations(2n, 3n).map((r) => r.sequenceNumber), [2n, 3n]);
  const checkpoint = s.checkpoint({ timestamp: 5n });
  assert.deepEqual(
    { id: checkpoint.id, sequence: checkpoint.sequence, timestamp: checkpoint.timestamp, nodeCount: checkpoint.nodeCount },
    { id: 1n, sequence: 3n, timestamp: 5n, nodeCount: 1 },
  );

  const forged = s.operations().map((r) => ({ ...r }));
  forged[1].value = debt(1);
  const err = throwsCode(() => bt.TreeStorage.recover({ keyLength: 32 }, forged), 'ROOT_AFTER_MISMATCH');
  assert.equal(err.sequence, 2n);
  forged[1].value = debt(250);
  forged[1].previousValue = debt(99);
  assert.equal(throwsCode(() => bt.TreeStorage.recover({ keyLength: 32 }, forged), 'PREVIOUS_VALUE_MISMATCH').sequence, 2n);
  forged[1].previousValue = debt(100);
  forged[1].sequenceNumber = 3n;
  throwsCode(() => bt.TreeStorage.recover({ keyLength: 32 }, forged), 'LOG_SEQUENCE');
  forged[1].sequenceNumber = 2n;
  forged[1].rootBefore = forged[0].rootBefore;
  throwsCode(() => bt.TreeStorage.recover({ keyLength: 32 }, forged), 'ROOT_BEFORE_MISMATCH');
  forged[1].rootBefore = forged[0].rootAfter;
  forged[1].type = 'insert';
  throwsCode(() => bt.TreeStorage.recover({ keyLength: 32 }, forged), 'OPERATION_FAILED');
  forged[1].type = 'update';
  const replica = bt.TreeStorage.recover({ keyLength: 32 }, forged);
  assert.deepEqual(replica.digest, s.digest);
});

test('free() and Symbol.dispose release an instance; using it again is INVALID_ARGUMENT', () => {
  const t = new bt.Tree();
  t.free();
  assert.equal(throwsCode(() => t.size, 'INVALID_ARGUMENT').argument, 'this');
  const u = new bt.Tree();
  assert.equal(typeof u[Symbol.dispose], 'function');
  u[Symbol.dispose]();
  throwsCode(() => u.digest, 'INVALID_ARGUMENT');
  // A method called on another object is refused the same way.
  throwsCode(() => bt.Tree.prototype.get.call({}, key(1)), 'INVALID_ARGUMENT');
  throwsCode(() => bt.Tree.prototype.get.call(new bt.TreeStorage(), key(1)), 'INVALID_ARGUMENT');
  // Freeing twice (an explicit free() inside a `using` block) is harmless.
  u.free();
  u[Symbol.dispose]();
  const v = new bt.LogVerifier();
  v.free();
  v.free();
  assert.equal(new bt.Tree().size, 0);
});

test('init() and initSync() exist in Node and need not be called', async () => {
  assert.equal(typeof bt.init, 'function');
  await bt.init();
  bt.initSync();
  assert.equal(bt.default, bt.init);
});

test('after an error of every code in the API, the same instance gives correct results', async () => {
  const canary = () => {
    const t = new bt.Tree({ keyLength: 32, valueLength: 8 });
    t.insert(key(1), debt(1));
    t.insert(key(2), debt(2));
    return bt.toHex(t.digest);
  };
  const expected = canary();
  const s = new bt.TreeStorage({ keyLength: 32 });
  for (let i = 1; i <= 5; i++) s.insert(key(i), debt(i), { timestamp: BigInt(i) });
  s.update(key(1), debt(9), { timestamp: 6n });
  const log = s.exportLog();
  const records = s.operations();
  const forge = (index, change) => bt.encodeLog(records.map((r, i) => (i === index ? { ...r, ...change } : r)), { keyLength: 32 });
  const t = new bt.Tree({ keyLength: 32, valueLength: 8 });
  t.insert(key(1), debt(1));

  const cases = {
    KEY_LENGTH: () => t.get(new Uint8Array(3)),
    VALUE_LENGTH: () => t.insert(key(2), new Uint8Array(2)),
    KEY_RESERVED: () => t.get(key(0)),
    KEY_EXISTS: () => t.insert(key(1), debt(1)),
    KEY_NOT_FOUND: () => t.remove(key(7)),
    PROOF_INVALID: () => bt.verifyProof({ digest: t.digest, proof: new Uint8Array([0, 1, 2]), operations: [{ type: 'lookup', key: key(1) }], keyLength: 32, valueLength: 8 }),
    SNAPSHOT_INVALID: () => bt.Tree.fromSnapshot(new Uint8Array(64)),
    SHAPE_MISMATCH: () => bt.verifyLog(log, { keyLength: 32, valueLength: 8 }),
    LOG_CORRUPT: () => bt.verifyLog(log.subarray(0, log.length - 1)),
    LOG_SEQUENCE: () => bt.verifyLog(forge(2, { sequenceNumber: 9n })),
    ROOT_BEFORE_MISMATCH: () => bt.verifyLog(forge(2, { rootBefore: records[0].rootBefore })),
    ROOT_AFTER_MISMATCH: () => bt.verifyLog(forge(2, { rootAfter: records[0].rootBefore })),
    PREVIOUS_VALUE_MISMATCH: () => bt.verifyLog(forge(5, { previousValue: debt(5) })),
    OPERATION_FAILED: () => bt.verifyLog(forge(5, { type: 'insert', previousValue: undefined })),
    EXPECTED_ROOT_MISMATCH: () => bt.verifyLog(log, { expectRoot: records[0].rootAfter }),
    ABORTED: () => bt.verifyLogStream([log], { signal: AbortSignal.abort() }),
  };
  for (const [code, run] of Object.entries(cases)) {
    let error;
    try {
      await run();
    } catch (err) {
      error = err;
    }
    assert.ok(error, `${code}: nothing thrown`);
    assert.equal(error.name, 'BasisTreeError', `${code}: ${error.stack}`);
    assert.equal(error.code, code, error.message);
    if (['LOG_SEQUENCE', 'ROOT_BEFORE_MISMATCH', 'ROOT_AFTER_MISMATCH', 'PREVIOUS_VALUE_MISMATCH', 'OPERATION_FAILED'].includes(code)) {
      assert.equal(typeof error.sequence, 'bigint', code);
      assert.equal(typeof error.offset, 'number', code);
    }
    assert.equal(canary(), expected, `after ${code}`);
    assert.deepEqual(t.get(key(1)), debt(1), `after ${code}`);
  }
  assert.equal(bt.verifyLog(log).operations, 6);
});

test('prove, proveLookup and verifyProof agree; a bad proof is PROOF_INVALID and nothing breaks', () => {
  const t = new bt.Tree({ keyLength: 32, valueLength: 8 });
  for (let i = 1; i <= 20; i++) t.insert(key(i), debt(i));
  const before = t.digest;
  const lookup = t.proveLookup([key(3), bt.toHex(key(30))]);
  assert.deepEqual(t.digest, before, 'proveLookup leaves the tree as it was');
  const checked = bt.verifyProof({
    digest: before,
    proof: lookup,
    operations: [{ type: 'lookup', key: key(3) }, { type: 'lookup', key: key(30) }],
    keyLength: 32,
    valueLength: 8,
  });
  assert.deepEqual(checked.results, [debt(3), undefined]);
  assert.deepEqual(checked.digest, before);

  const ops = [
    { type: 'insert', key: key(21), value: debt(21) },
    { type: 'update', key: key(1), value: debt(100) },
    { type: 'insertOrUpdate', key: key(2), value: debt(200) },
    { type: 'remove', key: key(3) },
    { type: 'removeIfExists', key: key(31) },
    { type: 'lookup', key: key(4) },
  ];
  const batch = t.prove(ops);
  assert.deepEqual(batch.digestBefore, before);
  assert.deepEqual(batch.digestAfter, t.digest);
  assert.deepEqual(batch.results, [undefined, debt(1), debt(2), debt(3), undefined, debt(4)]);
  const verified = bt.verifyProof({ digest: batch.digestBefore, proof: batch.proof, operations: ops, keyLength: 32, valueLength: 8 });
  assert.deepEqual(verified.digest, batch.digestAfter);
  assert.deepEqual(verified.results, batch.results);

  const input = { digest: batch.digestBefore, proof: batch.proof, operations: ops, keyLength: 32, valueLength: 8 };
  const tampered = [
    { ...input, proof: batch.proof.subarray(0, batch.proof.length - 5) },
    { ...input, proof: new Uint8Array(0) },
    { ...input, proof: new Uint8Array(batch.proof.length).fill(0xff) },
    { ...input, digest: batch.digestAfter },
    { ...input, operations: ops.slice(1) },
  ];
  for (const bad of tampered) throwsCode(() => bt.verifyProof(bad), 'PROOF_INVALID');
  for (const [bad, argument] of [[{ ...input, digest: new Uint8Array(5) }, 'digest'], [{ ...input, proof: 'zz' }, 'proof'], [{ ...input, digest: undefined }, 'digest']]) {
    assert.equal(throwsCode(() => bt.verifyProof(bad), 'INVALID_ARGUMENT').argument, argument);
  }
  for (let at = 0; at < batch.proof.length; at += 7) {
    const flipped = batch.proof.slice();
    flipped[at] ^= 0x5a;
    try {
      bt.verifyProof({ ...input, proof: flipped });
    } catch (err) {
      assert.equal(err.name, 'BasisTreeError');
    }
  }
  throwsCode(() => bt.verifyProof(null), 'INVALID_ARGUMENT');
  throwsCode(() => t.prove([{ type: 'insert', key: key(21), value: debt(1) }]), 'KEY_EXISTS');
  throwsCode(() => t.proveLookup([key(0)]), 'KEY_RESERVED');
  throwsCode(() => t.proveLookup('keys'), 'INVALID_ARGUMENT');
  assert.deepEqual(t.digest, batch.digestAfter, 'a refused batch changed nothing');
  // The instance still proves and verifies.
  const again = t.prove([{ type: 'lookup', key: key(5) }]);
  assert.deepEqual(bt.verifyProof({ digest: again.digestBefore, proof: again.proof, operations: [{ type: 'lookup', key: key(5) }], keyLength: 32, valueLength: 8 }).results, [debt(5)]);
});

// verifyProof hands a well-formed input to the module packed in three buffers (packVerifyInput in
// boundary.ts) and anything else as objects. Keys and values given as hex strings take the object
// path: every outcome, for honest and for tampered proofs, must be the same on both.
test('verifyProof answers alike packed and as objects: 20,000 honest and tampered proofs', () => {
  let seed = 0x2545f491;
  const random = (n) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const outcome = (input) => {
    try {
      const { digest, results } = bt.verifyProof(input);
      return { digest: bt.toHex(digest), results: results.map((r) => (r === undefined ? null : bt.toHex(r))) };
    } catch (err) {
      assert.equal(err.name, 'BasisTreeError', err.stack);
      return { code: err.code, message: err.message, argument: err.argument };
    }
  };
  const asHex = (ops) => ops.map((op) => ({ ...op, key: bt.toHex(op.key), ...(op.value ? { value: bt.toHex(op.value) } : {}) }));
  let checked = 0;
  let refused = 0;
  for (const valueLength of [8, undefined]) {
    const shape = valueLength === undefined ? { keyLength: 32 } : { keyLength: 32, valueLength };
    const t = new bt.Tree(shape);
    const value = () => (valueLength === undefined ? new Uint8Array(random(40)).fill(random(256)) : debt(random(1e6)));
    const k = (n) => {
      const bytes = new Uint8Array(32);
      bytes[0] = 1 + (n % 250);
      bytes[1] = n & 0xff;
      bytes[2] = n >> 8;
      return bytes;
    };
    for (let i = 0; i < 300; i++) t.insert(k(i), value());
    for (let round = 0; round < 200; round++) {
      const ops = [];
      const count = 1 + random(6);
      for (let i = 0; i < count; i++) {
        const n = random(400);
        const type = ['lookup', 'insertOrUpdate', 'removeIfExists', 'lookup'][random(4)];
        ops.push(type === 'insertOrUpdate' ? { type, key: k(n), value: value() } : { type, key: k(n) });
      }
      const digest = t.digest;
      const batch = t.prove(ops);
      const honest = { digest, proof: batch.proof, operations: ops, ...shape };
      const expected = outcome(honest);
      assert.deepEqual(expected.results, batch.results.map((r) => (r === undefined ? null : bt.toHex(r))));
      assert.deepEqual(outcome({ ...honest, operations: asHex(ops) }), expected);
      for (let m = 0; m < 49; m++) {
        const proof = batch.proof.slice();
        const bad = { ...honest, proof };
        switch (random(5)) {
          case 0: proof[random(proof.length)] ^= 1 << random(8); break;
          case 1: bad.proof = proof.subarray(0, random(proof.length)); break;
          case 2: bad.proof = new Uint8Array([...proof, random(256)]); break;
          case 3: bad.digest = digest.slice(); bad.digest[random(33)] ^= 1 << random(8); break;
          default: bad.operations = ops.map((op, i) => (i === 0 ? { ...op, type: op.type === 'lookup' ? 'removeIfExists' : 'lookup', value: undefined } : op)).map(({ value, ...op }) => (value ? { ...op, value } : op));
        }
        const packed = outcome(bad);
        assert.deepEqual(outcome({ ...bad, operations: asHex(bad.operations) }), packed, `round ${round}, mutation ${m}`);
        checked++;
        if (packed.code) refused++;
      }
    }
  }
  assert.equal(checked, 2 * 200 * 49);
  assert.ok(refused > checked / 2, `only ${refused} of ${checked} tampered inputs were refused`);
});

test('a storage withProofs logs a proof per record, checked by verifyRecordProof', () => {
  const s = new bt.TreeStorage({ keyLength: 32, withProofs: true });
  const r1 = s.insert(key(1), debt(1), { timestamp: 1n });
  const r2 = s.update(key(1), debt(2), { timestamp: 2n });
  assert.ok(r1.proof instanceof Uint8Array && r1.proof.length > 0);
  bt.verifyRecordProof(r2, { keyLength: 32 });
  const forged = { ...r2, value: debt(3) };
  const err = throwsCode(() => bt.verifyRecordProof(forged, { keyLength: 32 }), 'ROOT_AFTER_MISMATCH');
  assert.equal(err.sequence, 2n);
  throwsCode(() => bt.verifyRecordProof({ ...r2, proof: new Uint8Array([1, 2]) }, { keyLength: 32 }), 'PROOF_INVALID');
  assert.equal(new bt.TreeStorage({ keyLength: 32 }).insert(key(1), debt(1)).proof, undefined);
});
