// Commitments checked against a log of another shape than the tracker's default (16-byte keys,
// 8-byte values), with no shape in the options: the shape is the log header's, and the
// commitments are matched from that shape's own empty root — through verifyLog, LogVerifier,
// verifyLogStream and the CLI's --commitments. The default shape's empty root is no root of this
// log, and is never "reached".
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as bt from 'basis-trees';

const cli = path.resolve('node_modules', '.bin', 'basis-trees');
const run = (...args) => spawnSync(cli, args, { encoding: 'utf8' });

const storage = new bt.TreeStorage({ keyLength: 16, valueLength: 8 });
const ownEmpty = bt.toHex(storage.digest);
for (let i = 1; i <= 6; i++) {
  const key = new Uint8Array(16).fill(0x40);
  key[15] = i;
  storage.insert(key, bt.debtValue(BigInt(i * 7)), { timestamp: BigInt(i) });
}
const last = bt.toHex(storage.digest);
const logs = { binary: storage.exportLog(), ndjson: storage.exportLog({ format: 'ndjson' }) };
storage.free();
const defaultTree = new bt.TreeStorage({ keyLength: 32 });
const defaultEmpty = bt.toHex(defaultTree.digest);
defaultTree.free();

fs.mkdirSync('shape', { recursive: true });
fs.writeFileSync('shape/other.log', logs.binary);
fs.writeFileSync('shape/own.txt', `${ownEmpty}\n${last}\n`);
fs.writeFileSync('shape/default-empty.txt', `${defaultEmpty}\n`);

const sequences = (report) => report.commitments.map((c) => [bt.toHex(c.digest), c.sequence]);
const missing = (err) => err.code === 'COMMITMENT_MISSING' && err.sequence === 6n;

test('the log is of another shape than the default', () => {
  assert.notEqual(ownEmpty, defaultEmpty);
  assert.deepEqual(bt.decodeLog(logs.binary).shape, { keyLength: 16, valueLength: 8 });
});

for (const [format, log] of Object.entries(logs)) {
  test(`verifyLog (${format}): its own empty root is reached at 0; the default shape's never`, () => {
    const report = bt.verifyLog(log, { commitments: [ownEmpty, last] });
    assert.deepEqual(sequences(report), [[ownEmpty, 0n], [last, 6n]]);
    assert.throws(() => bt.verifyLog(log, { commitments: [defaultEmpty] }), missing);
  });

  test(`LogVerifier (${format}): the same, pushed in small chunks`, () => {
    const verify = (commitments) => {
      const verifier = new bt.LogVerifier({ commitments });
      try {
        for (let at = 0; at < log.length; at += 7) verifier.push(log.subarray(at, at + 7));
        return verifier.finish();
      } finally {
        verifier.free();
      }
    };
    const report = verify([ownEmpty, last]);
    assert.deepEqual(sequences(report), [[ownEmpty, 0n], [last, 6n]]);
    assert.equal(report.anchor, 'none', 'commitments alone: the final root was checked against nothing');
    assert.throws(() => verify([defaultEmpty]), missing);
  });

  test(`verifyLog (${format}): the report says what the final root was checked against`, () => {
    const tree = { digest: last, keyLength: 16, valueLength: 8 };
    assert.equal(bt.verifyLog(log, {}).anchor, 'none');
    assert.equal(bt.verifyLog(log, { expectRoot: last }).anchor, 'digest');
    assert.equal(bt.verifyLog(log, { expectRoot: tree }).anchor, 'tree');
    assert.equal(bt.verifyLog(log, { expectRoot: { boxIdVerified: false, trackerKey: new Uint8Array(33).fill(2), tree } }).anchor, 'box');
  });

  test(`verifyLogStream (${format}): the same, streamed`, async () => {
    const chunks = () => [log.subarray(0, 11), log.subarray(11, 60), log.subarray(60)];
    const report = await bt.verifyLogStream(chunks(), { commitments: [ownEmpty, last] });
    assert.deepEqual(sequences(report), [[ownEmpty, 0n], [last, 6n]]);
    await assert.rejects(bt.verifyLogStream(chunks(), { commitments: [defaultEmpty] }), missing);
  });
}

test('CLI: verify --commitments reaches the log\'s own empty root, and refuses the default shape\'s', () => {
  const own = run('verify', 'shape/other.log', '--commitments', 'shape/own.txt', '--json');
  assert.equal(own.status, 0, own.stdout + own.stderr);
  assert.deepEqual(JSON.parse(own.stdout).commitments.map((c) => c.sequence), ['0', '6']);
  const other = run('verify', 'shape/other.log', '--commitments', 'shape/default-empty.txt', '--json');
  assert.equal(other.status, 1, other.stdout + other.stderr);
  assert.equal(JSON.parse(other.stdout).code, 'COMMITMENT_MISSING');
});
