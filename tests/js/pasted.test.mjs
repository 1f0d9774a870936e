// What the layer adds for its callers (the CLI, the page's worker, users): one streaming verifier
// that hands over its records and its tree and says what it checked the log against; one reader of
// pasted commitments; hex and digests as people paste them; errors a program can tell apart.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as bt from 'basis-trees';

const TRACKER_R4 = '07024e564477ff457c601c01ad1cc31903f8b27b7d5e515bd03138891d8152d787b2';
const key = (n) => bt.noteKey(new Uint8Array([n]), new Uint8Array([n + 1]));
const storage = new bt.TreeStorage({ keyLength: 32 });
for (let i = 1; i <= 400; i++) {
  if (i <= 250) storage.insert(key(i), bt.debtValue(BigInt(i)), { timestamp: BigInt(i) });
  else storage.update(key(i - 250), bt.debtValue(BigInt(i)), { timestamp: BigInt(i) });
}
const records = storage.operations();
const finalRoot = storage.digest;
const register = `64${bt.toHex(finalRoot)}032000`;
const box = { boxId: '49787748507c2c2a2e416c3c4d5ad41ee9d448e9966a709e313279ac2c58e431', value: 10000000, creationHeight: 1750616, additionalRegisters: { R4: TRACKER_R4, R5: register } };
const logs = { binary: storage.exportLog(), ndjson: storage.exportLog({ format: 'ndjson' }) };
/** `bytes` in chunks of `size`. */
const chunked = (bytes, size) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

const rejectsWith = (promise, check) => assert.rejects(promise, (err) => bt.isBasisTreeError(err) && check(err));
const throwsWith = (fn, check) => assert.throws(fn, (err) => bt.isBasisTreeError(err) && check(err));

for (const [format, log] of Object.entries(logs)) {
  test(`verifyLogStream hands every verified ${format} record to onRecord, in order, whatever the chunks`, async () => {
    for (const size of [1, 97, 4096, 70_000, log.length]) {
      const seen = [];
      const report = await bt.verifyLogStream(chunked(log, size), { onRecord: (record) => seen.push(record) });
      assert.equal(seen.length, records.length, `chunks of ${size}`);
      assert.deepEqual(seen, records, `chunks of ${size}: the records decodeLog gives`);
      assert.equal(report.operations, records.length);
    }
  });

  test(`a forged ${format} record: onRecord has every record before it and none after`, async () => {
    const forged = records.map((r) => ({ ...r }));
    const at = 300;
    forged[at].value = bt.debtValue(7n);
    const bytes = bt.encodeLog(forged, { keyLength: 32 }, { format });
    for (const size of [1, 333, bytes.length]) {
      const seen = [];
      await rejectsWith(bt.verifyLogStream(chunked(bytes, size), { onRecord: (r) => seen.push(r) }), (err) => err.code === 'ROOT_AFTER_MISMATCH' && err.sequence === forged[at].sequenceNumber);
      assert.deepEqual(seen, records.slice(0, at), `chunks of ${size}`);
    }
    // A checksum or a line that does not decode: the records before it still verified.
    const flipped = logs[format].slice();
    flipped[flipped.length - 40] ^= 0x01;
    const seen = [];
    await rejectsWith(bt.verifyLogStream([flipped], { onRecord: (r) => seen.push(r) }), () => true);
    assert.equal(seen.length, records.length - 1);
  });
}

test('onRecord is never called while the module is running: it may call the package', async () => {
  const t = new bt.Tree({ keyLength: 32 });
  await bt.verifyLogStream([logs.binary], {
    onRecord: (record) => {
      if (record.type === 'insert') t.insert(record.key, record.value);
      else t.update(record.key, record.value);
      assert.deepEqual(t.digest, record.rootAfter);
    },
  });
  assert.deepEqual(t.digest, finalRoot);
  t.free();
});

test('keepTree: the report holds the replayed tree, which the caller owns', async () => {
  const report = await bt.verifyLogStream([logs.ndjson], { keepTree: true });
  assert.ok(report.tree instanceof bt.Tree);
  assert.deepEqual(report.tree.digest, finalRoot);
  assert.deepEqual(report.tree.get(key(3)), storage.tree.get(key(3)));
  report.tree.free();
  assert.equal((await bt.verifyLogStream([logs.ndjson])).tree, undefined, 'no tree unless asked for');
  await rejectsWith(bt.verifyLogStream([logs.ndjson], { keepTree: true, stateless: true }), (err) => err.code === 'INVALID_ARGUMENT' && err.argument === 'keepTree');
  await rejectsWith(bt.verifyLogStream([logs.ndjson], { keepTree: 1 }), (err) => err.argument === 'keepTree');
  await rejectsWith(bt.verifyLogStream([logs.ndjson], { onRecord: 'yes' }), (err) => err.argument === 'onRecord');
});

test('the report says what the final root was checked against', async () => {
  const tree = bt.avlTreeFromRegister(register);
  const commitment = bt.trackerCommitment(box);
  const cases = [
    [undefined, 'none'],
    [finalRoot, 'digest'],
    [bt.toHex(finalRoot), 'digest'],
    [tree, 'tree'],
    [commitment, 'box'],
    [bt.parseCommitment(bt.toHex(finalRoot)), 'digest'],
    [bt.parseCommitment(register), 'tree'],
    [bt.parseCommitment(JSON.stringify(box)), 'box'],
  ];
  for (const [expectRoot, anchor] of cases) {
    const options = expectRoot === undefined ? {} : { expectRoot };
    assert.equal((await bt.verifyLogStream([logs.binary], options)).anchor, anchor);
    assert.equal(bt.verifyLog(logs.binary, options).anchor, anchor);
    const verifier = new bt.LogVerifier(options);
    verifier.push(logs.binary);
    assert.equal(verifier.finish().anchor, anchor);
    verifier.free();
  }
  // Commitments alone check states along the way, not the end.
  assert.equal(bt.verifyLog(logs.binary, { commitments: [bt.parseCommitment(register)] }).anchor, 'none');
});

test('null is no way to leave an option out: it is refused, never read as "no check"', async () => {
  for (const option of ['expectRoot', 'commitments', 'start', 'stateless', 'keyLength', 'maxValueLength']) {
    throwsWith(() => bt.verifyLog(logs.binary, { [option]: null }), (err) => err.code === 'INVALID_ARGUMENT' && err.argument === option && /null/.test(err.message));
    throwsWith(() => new bt.LogVerifier({ [option]: null }), (err) => err.argument === option);
    await rejectsWith(bt.verifyLogStream([logs.binary], { [option]: null }), (err) => err.argument === option);
  }
  for (const option of ['onProgress', 'onRecord', 'signal', 'keepTree']) {
    await rejectsWith(bt.verifyLogStream([logs.binary], { [option]: null }), (err) => err.argument === option);
  }
  // valueLength: null is a value, values of any length.
  assert.equal(bt.verifyLog(logs.binary, { valueLength: null }).operations, records.length);
  assert.equal(new bt.Tree({ keyLength: 32, valueLength: null }).shape.valueLength, null);
});

test('parseCommitment: a digest, a register or a box, as bytes, hex or JSON, as pasted', () => {
  const shape = { keyLength: 32, valueLength: null };
  for (const input of [bt.toHex(finalRoot), `0x${bt.toHex(finalRoot)}\n`, `  ${bt.toHex(finalRoot).toUpperCase()}\t`, finalRoot]) {
    assert.deepEqual(bt.parseCommitment(input), { kind: 'digest', digest: finalRoot });
  }
  for (const input of [register, `0x${register}\r\n`, bt.fromHex(register)]) {
    const parsed = bt.parseCommitment(input);
    assert.equal(parsed.kind, 'register');
    assert.deepEqual(parsed.digest, finalRoot);
    assert.deepEqual(parsed.shape, shape);
    assert.deepEqual(parsed.tree, bt.avlTreeFromRegister(register));
  }
  for (const input of [JSON.stringify(box), `\n ${JSON.stringify(box, null, 2)}\n`, box, new TextEncoder().encode(JSON.stringify(box))]) {
    const parsed = bt.parseCommitment(input);
    assert.equal(parsed.kind, 'box');
    assert.deepEqual(parsed.digest, finalRoot);
    assert.deepEqual(parsed.shape, shape);
    assert.deepEqual(parsed.box, bt.trackerCommitment(box));
  }
  for (const input of ['', 'not a commitment', '0x', 42, null, undefined, [register]]) {
    throwsWith(() => bt.parseCommitment(input), (err) => err.code === 'INVALID_ARGUMENT' || err.code === 'REGISTER_INVALID');
  }
  throwsWith(() => bt.parseCommitment(`65${bt.toHex(finalRoot)}032000`), (err) => err.code === 'REGISTER_INVALID');
  throwsWith(() => bt.parseCommitment('{"additionalRegisters": {}}'), (err) => err.code === 'BOX_INVALID');
});

test('parseCommitments names a bad line in a field, not in its message', () => {
  const err = (() => {
    try {
      bt.parseCommitments(`${register}\n# a comment\nnot a commitment`);
    } catch (e) {
      return e;
    }
  })();
  assert.ok(bt.isBasisTreeError(err));
  assert.equal(err.line, 3);
  assert.doesNotMatch(err.message, /line/);
});

test('trackerCommitment takes the R5 register alone, as the CLI and the page do', () => {
  for (const input of [register, ` 0x${register}\n`]) {
    const commitment = bt.trackerCommitment(input);
    assert.equal(commitment.boxIdVerified, false);
    assert.equal(commitment.trackerKey, undefined);
    assert.deepEqual(commitment.tree, bt.avlTreeFromRegister(register));
  }
});

test('verifyProof takes as its digest whatever expectRoot takes, and the shape with it', () => {
  const proof = storage.tree.proveLookup([key(3)]);
  const operations = [{ type: 'lookup', key: key(3) }];
  const value = storage.tree.get(key(3));
  for (const digest of [finalRoot, `0x${bt.toHex(finalRoot)} `, bt.avlTreeFromRegister(register), bt.trackerCommitment(box), bt.trackerCommitment(register), bt.parseCommitment(box), bt.parseCommitment(register)]) {
    const checked = bt.verifyProof({ digest, proof, operations, keyLength: 32 });
    assert.deepEqual(checked.results, [value]);
  }
  // The tree's shape is the proof's: given no shape, it is taken from the tree; a different one is refused.
  assert.deepEqual(bt.verifyProof({ digest: bt.parseCommitment(box), proof, operations }).results, [value]);
  throwsWith(() => bt.verifyProof({ digest: bt.parseCommitment(box), proof, operations, keyLength: 32, valueLength: 8 }), (err) => err.code === 'SHAPE_MISMATCH' && err.expected.valueLength === null && err.actual.valueLength === 8);
});

test('every hex argument and field takes 0x and surrounding whitespace', () => {
  const hex = bt.toHex(finalRoot);
  for (const text of [`0x${hex}`, `0X${hex}`, ` ${hex}\n`, `\t0x${hex}\r\n`]) {
    assert.deepEqual(bt.fromHex(text), finalRoot);
    assert.equal(bt.verifyLog(logs.binary, { expectRoot: text }).anchor, 'digest');
    assert.equal(bt.toHex(bt.avlTreeFromRegister(text.replace(hex, `64${hex}032000`)).digest), hex);
    assert.deepEqual(bt.noteKey(text, text), bt.noteKey(finalRoot, finalRoot));
  }
  // The digits themselves are still checked, and the offset of a bad one is in the text given.
  throwsWith(() => bt.fromHex('  0xabzz'), (err) => err.code === 'INVALID_ARGUMENT' && err.offset === 6);
  throwsWith(() => bt.fromHex('0x 00'), (err) => err.code === 'INVALID_ARGUMENT');
  throwsWith(() => bt.verifyLog(logs.binary, { expectRoot: `0x${hex}00` }), (err) => err.argument === 'expectRoot' && /34 bytes/.test(err.message));
});

test('decodeDebt is the inverse of debtValue', () => {
  for (const n of [0n, 1n, 844649n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
    assert.equal(bt.decodeDebt(bt.debtValue(n)), n);
    assert.equal(bt.decodeDebt(`0x${bt.toHex(bt.debtValue(n))}\n`), n);
  }
  assert.equal(bt.decodeDebt('00000000000ce369'), 844649n);
  for (const bad of [new Uint8Array(7), new Uint8Array(9), '00', 'zz', 42, null, undefined, new Uint16Array(4)]) {
    throwsWith(() => bt.decodeDebt(bad), (err) => err.code === 'INVALID_ARGUMENT' && err.argument === 'bytes');
  }
});

test('isBasisTreeError tells the package\'s errors from any other', () => {
  const err = (() => {
    try {
      bt.fromHex('zz');
    } catch (e) {
      return e;
    }
  })();
  assert.equal(bt.isBasisTreeError(err), true);
  for (const other of [new Error('x'), new TypeError('x'), { name: 'BasisTreeError', code: 'X' }, null, undefined, 'BasisTreeError']) {
    assert.equal(bt.isBasisTreeError(other), false);
  }
});

test('a Proxy over a Uint8Array is described for what it is', () => {
  const proxy = new Proxy(new Uint8Array(32), {});
  for (const fn of [() => bt.toHex(proxy), () => new bt.Tree(proxy), () => new bt.Tree({ keyLength: 32 }).get(proxy), () => bt.verifyLog(logs.binary, { expectRoot: proxy })]) {
    throwsWith(fn, (err) => err.code === 'INVALID_ARGUMENT' && /not a Uint8Array but an object that passes for one/.test(err.message));
  }
  const fake = Object.create(Uint8Array.prototype);
  throwsWith(() => bt.toHex(fake), (err) => /passes for one/.test(err.message));
});

test('an error in an NDJSON log carries the line at fault; a binary log has none', async () => {
  const at = 300;
  const forged = records.map((r) => ({ ...r }));
  forged[at].value = bt.debtValue(7n);
  const ndjson = bt.encodeLog(forged, { keyLength: 32 }, { format: 'ndjson' });
  const line = at + 2; // the header is line 1
  const failing = (err) => bt.isBasisTreeError(err) && err.code === 'ROOT_AFTER_MISMATCH' && err.line === line && !/line/.test(err.message);
  throwsWith(() => bt.verifyLog(ndjson), failing);
  for (const size of [1, 7, 1000, ndjson.length]) {
    await rejectsWith(bt.verifyLogStream(chunked(ndjson, size)), failing);
    await rejectsWith(bt.verifyLogStream(chunked(ndjson, size), { onRecord: () => {} }), failing);
    const verifier = new bt.LogVerifier();
    throwsWith(() => chunked(ndjson, size).forEach((chunk) => verifier.push(chunk)), failing);
    verifier.free();
  }
  // A line that does not decode, and a log cut inside its last line.
  const text = new TextDecoder().decode(logs.ndjson).split('\n');
  text[5] = text[5].replace('"operation_type":', '"operation_kind":');
  const broken = new TextEncoder().encode(text.join('\n'));
  const corrupt = (err) => err.code === 'LOG_CORRUPT' && err.line === 6;
  throwsWith(() => bt.decodeLog(broken), corrupt);
  throwsWith(() => bt.verifyLog(broken), corrupt);
  const decoder = new bt.LogDecoder();
  throwsWith(() => chunked(broken, 100).forEach((chunk) => decoder.push(chunk)), corrupt);
  decoder.free();
  const cut = logs.ndjson.subarray(0, logs.ndjson.length - 10);
  throwsWith(() => bt.verifyLog(cut), (err) => err.code === 'LOG_CORRUPT' && err.line === records.length + 1);
  // Binary: no lines.
  const binary = bt.encodeLog(forged, { keyLength: 32 });
  throwsWith(() => bt.verifyLog(binary), (err) => err.code === 'ROOT_AFTER_MISMATCH' && err.line === undefined);
});
