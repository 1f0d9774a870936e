// The chain in the package and the CLI, as installed from the tarball: a user holding nothing but
// the tracker's box as JSON (copied from a node or an explorer) verifies the tracker's log against
// it; registers read as sigmastate and sigma-rust read them (vectors cited below); earlier
// commitments are each reached in order, or the log is refused saying which.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as bt from 'basis-trees';

const cli = path.resolve('node_modules', '.bin', 'basis-trees');
const run = (...args) => spawnSync(cli, args, { encoding: 'utf8' });
const vectors = path.join(process.env.BT_REPO || path.resolve('../../..'), 'tests', 'vectors', 'chain');
const vector = (name) => fs.readFileSync(path.join(vectors, name), 'utf8');

/** sigmastate `sdk/js/src/test/scala/org/ergoplatform/sdk/js/ValueSpec.scala`, AvlTreeConstant(TestData.t3). */
const SIGMASTATE_T3 = '643100d2e101ff01fc047c7f6f00ff80129df69a5090012f01ffca99f5bfff0c803601800100';
/** basis-tracker `crates/basis_offchain/src/ergo_tx.rs`: a real empty reserve tree's R5, on chain. */
const BASIS_EMPTY = '644ec61f485b98eb87153f7c57db4f5ecd75556fddbc403b41acf8441fde8e160900032000';
/** basis-tracker `demo/basis/simple/tracker_box_setup.json`: the demo tracker's R4. */
const TRACKER_R4 = '07024e564477ff457c601c01ad1cc31903f8b27b7d5e515bd03138891d8152d787b2';

// A tracker's log, and the boxes it posted along the way (at records 10, 25 and the last).
const key = (n) => bt.noteKey(new Uint8Array([n]), new Uint8Array([n + 1]));
const storage = new bt.TreeStorage({ keyLength: 32 });
const roots = [bt.toHex(storage.digest)];
for (let i = 1; i <= 30; i++) {
  storage.insert(key(i), bt.debtValue(BigInt(i)), { timestamp: BigInt(1000 + i) });
  roots.push(bt.toHex(storage.digest));
}
for (let i = 1; i <= 10; i++) {
  storage.update(key(i), bt.debtValue(BigInt(100 + i)), { timestamp: BigInt(2000 + i) });
  roots.push(bt.toHex(storage.digest));
}
const last = roots.length - 1;
const r5 = (digest) => `64${digest}032000`;
const nodeBox = (digest) => ({ boxId: '49787748507c2c2a2e416c3c4d5ad41ee9d448e9966a709e313279ac2c58e431', value: 10000000, creationHeight: 1750616, additionalRegisters: { R4: TRACKER_R4, R5: r5(digest) } });
const explorerBox = (digest) => ({
  boxId: '49787748507c2c2a2e416c3c4d5ad41ee9d448e9966a709e313279ac2c58e431',
  additionalRegisters: {
    R4: { serializedValue: TRACKER_R4, sigmaType: 'SGroupElement', renderedValue: TRACKER_R4.slice(2) },
    R5: { serializedValue: r5(digest), sigmaType: 'SAvlTree' },
  },
});
fs.mkdirSync('chain', { recursive: true });
fs.writeFileSync('chain/tracker.log', storage.exportLog());
fs.writeFileSync('chain/box.node.json', JSON.stringify(nodeBox(roots[last]), null, 2));
fs.writeFileSync('chain/box.explorer.json', JSON.stringify(explorerBox(roots[last]), null, 2));
fs.writeFileSync('chain/r5.hex', `${r5(roots[last])}\n`);
fs.writeFileSync('chain/commitments.txt', `# the tracker's boxes, oldest first\n${roots[10]}\n\n${r5(roots[25])}\n${JSON.stringify(explorerBox(roots[last]))}\n`);
fs.writeFileSync('chain/backwards.txt', `${roots[25]}\n${roots[10]}\n`);

test('registers read as sigmastate and sigma-rust write them, from hex or bytes', () => {
  const t3 = bt.avlTreeFromRegister(SIGMASTATE_T3);
  assert.equal(bt.toHex(t3.digest), '3100d2e101ff01fc047c7f6f00ff80129df69a5090012f01ffca99f5bfff0c8036');
  assert.deepEqual({ ...t3, digest: undefined }, { digest: undefined, keyLength: 128, valueLength: null, insertAllowed: true, updateAllowed: false, removeAllowed: false });
  const empty = bt.avlTreeFromRegister(bt.fromHex(BASIS_EMPTY));
  assert.equal(bt.toHex(empty.digest), bt.toHex(bt.emptyDigest({ keyLength: 32 })));
  assert.equal(empty.updateAllowed, true);

  const long = assert.throws(() => bt.avlTreeFromRegister('05d4d59604'), (err) => err.code === 'REGISTER_INVALID' && err.expected === 0x64 && err.actual === 0x05 && err.offset === 0);
  assert.equal(long, undefined);
  assert.throws(() => bt.avlTreeFromRegister(BASIS_EMPTY.slice(0, -2)), (err) => err.code === 'REGISTER_INVALID' && err.offset === 36 && /value length/.test(err.message));
  assert.throws(() => bt.avlTreeFromRegister(`${BASIS_EMPTY}00`), (err) => err.code === 'REGISTER_INVALID' && /1 bytes follow/.test(err.message));
  assert.throws(() => bt.avlTreeFromRegister(42), (err) => err.code === 'INVALID_ARGUMENT' && err.argument === 'register');
  assert.throws(() => bt.avlTreeFromRegister('64z'), (err) => err.code === 'INVALID_ARGUMENT' && err.argument === 'register');
});

test('a box is read in both API shapes, as text, bytes or the parsed object', () => {
  const shapes = [nodeBox(roots[last]), explorerBox(roots[last])];
  for (const box of shapes) {
    for (const given of [box, JSON.stringify(box), new TextEncoder().encode(JSON.stringify(box))]) {
      const commitment = bt.trackerCommitment(given);
      assert.equal(bt.toHex(commitment.tree.digest), roots[last]);
      assert.equal(bt.toHex(commitment.trackerKey), TRACKER_R4.slice(2));
      assert.equal(bt.toHex(commitment.boxId), '49787748507c2c2a2e416c3c4d5ad41ee9d448e9966a709e313279ac2c58e431');
      assert.equal(commitment.boxIdVerified, false);
    }
  }
  // The Basis demo's reserve output as the node wrote it, and as the explorer shows it.
  const node = bt.trackerCommitment(vector('basis-demo-reserve.node.json'));
  const explorer = bt.trackerCommitment(vector('basis-demo-reserve.explorer.json'));
  assert.deepEqual(node, explorer);
  assert.equal(node.creationHeight, 1750616);
  assert.equal(node.boxId, undefined);

  assert.throws(() => bt.trackerCommitment({ additionalRegisters: { R4: TRACKER_R4 } }), (err) => err.code === 'BOX_INVALID' && /no register R5/.test(err.message));
  assert.throws(
    () => bt.trackerCommitment({ additionalRegisters: { R4: TRACKER_R4, R5: '05d4d59604' } }),
    (err) => err.code === 'REGISTER_INVALID' && err.register === 'R5' && /holds Long/.test(err.message),
  );
  assert.throws(() => bt.trackerCommitment('{"items": []}'), (err) => err.code === 'BOX_INVALID' && /list of boxes/.test(err.message));
  assert.throws(() => bt.trackerCommitment(null), (err) => err.code === 'INVALID_ARGUMENT' && err.argument === 'box');
});

test('a parsed box whose numbers JSON.parse rounded is refused as the caller\'s mistake, not called forged', () => {
  // A whole box (transaction id and index too): its id is recomputed from its contents.
  const whole = (amount) =>
    `{"value": 10000000, "ergoTree": "0008cd${TRACKER_R4.slice(2)}", "creationHeight": 1750616,` +
    ` "assets": [{"tokenId": "${'8b'.repeat(32)}", "amount": ${amount}}],` +
    ` "additionalRegisters": {"R4": "${TRACKER_R4}", "R5": "64${roots[last]}032000"},` +
    ` "transactionId": "${'00'.repeat(32)}", "index": 0}`;
  const amount = '1152921504606846977'; // 2^60 + 1: no JavaScript number holds it
  const text = whole(amount);
  const id = bt.toHex(bt.trackerCommitment(text).boxId);
  const withId = text.replace('{', `{"boxId": "${id}", `);
  assert.equal(bt.trackerCommitment(withId).boxIdVerified, true, 'as text, the id is the box\'s');
  // `await response.json()` rounds the amount: the id no longer matches, through no fault of the box.
  const rounded = assert.throws(() => bt.trackerCommitment(JSON.parse(withId)), (err) => {
    assert.equal(err.code, 'INVALID_ARGUMENT', err.message);
    assert.equal(err.argument, 'box.assets[0].amount');
    assert.match(err.message, /2\^53/);
    assert.match(err.message, /text/);
    return true;
  });
  assert.equal(rounded, undefined);
  // Given as a bigint, or as the text, the number is exact and the box reads.
  const parsed = JSON.parse(withId);
  parsed.assets[0].amount = BigInt(amount);
  assert.equal(bt.trackerCommitment(parsed).boxIdVerified, true);
  // Safe numbers from JSON.parse are as good as the text.
  assert.equal(bt.trackerCommitment(JSON.parse(whole(1).replace('{', `{"boxId": "${bt.toHex(bt.trackerCommitment(whole(1)).boxId)}", `))).boxIdVerified, true);
  // Pasted as text in a JSON array, a box keeps its exact numbers: parseCommitments rounds nothing.
  const pasted = bt.parseCommitments(`[\n  "${roots[1]}",\n  ${withId}, "64${roots[last]}032000"\n]`);
  assert.equal(pasted.length, 3);
  assert.equal(bt.toHex(pasted[0]), roots[1]);
  assert.equal(pasted[1].boxIdVerified, true);
  assert.equal(bt.toHex(pasted[1].boxId), id);
  assert.equal(bt.toHex(pasted[2].digest), roots[last]);
  assert.throws(() => bt.parseCommitments(`["${roots[1]}", 42]`), (err) => err.code === 'INVALID_ARGUMENT' && err.argument === 'text[1]');
  assert.throws(() => bt.parseCommitments(`["${roots[1]}",]`), (err) => err.code === 'INVALID_ARGUMENT' && err.argument === 'text');
});

test('the package verifies a log against the box alone, and against every commitment in order', async () => {
  const log = fs.readFileSync('chain/tracker.log');
  const box = bt.trackerCommitment(fs.readFileSync('chain/box.explorer.json', 'utf8'));
  const report = bt.verifyLog(log, { expectRoot: box, commitments: bt.parseCommitments(fs.readFileSync('chain/commitments.txt', 'utf8')) });
  assert.deepEqual(report.commitments.map((c) => [bt.toHex(c.digest), c.sequence]), [[roots[10], 10n], [roots[25], 25n], [roots[last], BigInt(last)]]);
  const streamed = await bt.verifyLogStream([log.subarray(0, 100), log.subarray(100)], { expectRoot: box.tree, commitments: [roots[10]] });
  assert.equal(streamed.commitments[0].sequence, 10n);
  const verifier = new bt.LogVerifier({ expectRoot: box, commitments: [box] });
  verifier.push(log);
  assert.equal(verifier.finish().commitments[0].sequence, BigInt(last));
  verifier.free();

  assert.throws(
    () => bt.verifyLog(log, { commitments: [roots[25], roots[10]] }),
    (err) => err.code === 'COMMITMENT_MISSING' && err.index === 1 && err.previous === 25n && err.seenAt === 10n && err.sequence === BigInt(last) && /out of order/.test(err.message),
  );
  assert.throws(() => bt.verifyLog(log, { expectRoot: bt.trackerCommitment(nodeBox(roots[20])) }), (err) => err.code === 'EXPECTED_ROOT_MISMATCH');
  const fixed = { ...box.tree, valueLength: 8 };
  assert.throws(() => bt.verifyLog(log, { expectRoot: fixed }), (err) => err.code === 'SHAPE_MISMATCH' && err.expected.valueLength === 8 && err.actual.valueLength === null);
  assert.throws(() => bt.verifyLog(log, { expectRoot: { ...box.tree, flags: 3 } }), (err) => err.code === 'INVALID_ARGUMENT' && err.argument === 'expectRoot.flags');
  assert.throws(() => bt.verifyLog(log, { commitments: roots[10] }), (err) => err.code === 'INVALID_ARGUMENT' && err.argument === 'commitments');
});

test('parseCommitments reads digests, registers and boxes a line each, or a JSON array; a bad line is named', () => {
  const list = bt.parseCommitments(fs.readFileSync('chain/commitments.txt', 'utf8'));
  assert.equal(list.length, 3);
  assert.ok(list[0] instanceof Uint8Array);
  assert.equal(list[1].keyLength, 32);
  assert.equal(bt.toHex(list[2].tree.digest), roots[last]);
  assert.equal(bt.parseCommitments(JSON.stringify([roots[1], explorerBox(roots[2])])).length, 2);
  assert.deepEqual(bt.parseCommitments('\n# nothing\n'), []);
  assert.throws(() => bt.parseCommitments(`${roots[1]}\n\nnot a commitment`), (err) => err.line === 3 && !/^line/.test(err.message));
  assert.throws(() => bt.parseCommitments(`${roots[1]}\n{"additionalRegisters": {}}`), (err) => err.code === 'BOX_INVALID' && err.line === 2);
});

test('CLI: verify --tracker-box, with the box as a node or an explorer serves it, or its R5 register', () => {
  for (const box of ['chain/box.node.json', 'chain/box.explorer.json', 'chain/r5.hex']) {
    const result = run('verify', 'chain/tracker.log', '--tracker-box', box);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /expected +the final root is the tracker box's R5 digest, and the log its tree's shape \(32-byte keys and values of any length\)/);
    assert.ok(result.stdout.includes(`digest       ${roots[last]} (R5)`), result.stdout);
    assert.equal(result.stderr, '', 'no warning: the box vouches for the end');
  }
  const text = run('verify', 'chain/tracker.log', '--tracker-box', 'chain/box.node.json').stdout;
  assert.ok(text.includes(`tracker key  ${TRACKER_R4.slice(2)} (R4)`), text);
  assert.match(text, /box id +49787748.* \(as the JSON gives it, not recomputed\)/);
  const json = JSON.parse(run('verify', 'chain/tracker.log', '--tracker-box', 'chain/box.node.json', '--json').stdout);
  assert.equal(json.trackerBox.digest, roots[last]);
  assert.equal(json.trackerBox.trackerKey, TRACKER_R4.slice(2));
  // A box committing to another state: the log does not end there.
  fs.writeFileSync('chain/box.old.json', JSON.stringify(nodeBox(roots[20])));
  const old = run('verify', 'chain/tracker.log', '--tracker-box', 'chain/box.old.json', '--json');
  assert.equal(old.status, 1);
  assert.equal(JSON.parse(old.stdout).code, 'EXPECTED_ROOT_MISMATCH');
});

test('CLI: verify --commitments reports each commitment at its record, or fails naming the one missing', () => {
  const result = run('verify', 'chain/tracker.log', '--tracker-box', 'chain/box.node.json', '--commitments', 'chain/commitments.txt');
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /commitments +3 reached, in order:/);
  assert.ok(result.stdout.includes(`1  ${roots[10]}  after record 10`), result.stdout);
  assert.ok(result.stdout.includes(`3  ${roots[last]}  after record ${last}`), result.stdout);
  const json = JSON.parse(run('verify', 'chain/tracker.log', '--commitments', 'chain/commitments.txt', '--json').stdout);
  assert.deepEqual(json.commitments.map((c) => c.sequence), ['10', '25', String(last)]);

  const backwards = run('verify', 'chain/tracker.log', '--commitments', 'chain/backwards.txt');
  assert.equal(backwards.status, 1);
  assert.match(backwards.stdout, new RegExp(`^FAILED {2}COMMITMENT_MISSING at sequence ${last}`));
  assert.match(backwards.stdout, /out of order \(line 2 of chain\/backwards.txt\)/);
});

test('CLI: a box or commitments file that does not read is a usage error naming the flag, file and line', () => {
  fs.writeFileSync('chain/bad-box.json', JSON.stringify({ additionalRegisters: { R4: TRACKER_R4, R5: '05d4d59604' } }));
  const bad = run('verify', 'chain/tracker.log', '--tracker-box', 'chain/bad-box.json');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--tracker-box chain\/bad-box.json: REGISTER_INVALID: .*register R5 is invalid/);
  fs.writeFileSync('chain/bad-list.txt', `${roots[1]}\nzz\n`);
  const list = run('verify', 'chain/tracker.log', '--commitments', 'chain/bad-list.txt');
  assert.equal(list.status, 2);
  assert.match(list.stderr, /--commitments chain\/bad-list.txt line 2: /);
  // A list with no commitment in it (empty, or comments only) would check nothing: refused.
  fs.writeFileSync('chain/empty-list.txt', '# nothing posted yet\n\n');
  for (const file of ['chain/empty-list.txt', '/dev/null']) {
    const empty = run('verify', 'chain/tracker.log', '--commitments', file);
    assert.equal(empty.status, 2, `${file}: ${empty.stdout}${empty.stderr}`);
    assert.match(empty.stderr, /--commitments .* holds no commitment/);
  }
  assert.equal(run('verify', 'chain/tracker.log', '--tracker-box', 'chain/none.json').status, 2);
  const both = run('verify', 'chain/tracker.log', '--tracker-box', 'chain/box.node.json', '--expect-root', roots[last]);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /not both/);
});

test('CLI: commitment BOX.json prints what the box holds; a box that does not read exits 1 with its code', () => {
  const result = run('commitment', 'chain/box.explorer.json');
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /a tracker's commitment box/);
  assert.ok(result.stdout.includes(`digest       ${roots[last]} (R5)`));
  assert.match(result.stdout, /shape +32-byte keys and values of any length/);
  assert.match(result.stdout, /on-chain ops insert, update allowed/);
  const json = JSON.parse(run('commitment', path.join(vectors, 'basis-demo-reserve.node.json'), '--json').stdout);
  assert.deepEqual(
    { digest: json.digest, creationHeight: json.creationHeight, keyLength: json.keyLength, valueLength: json.valueLength },
    { digest: '2c1d1fb21a9df51972a5439ca7ce8d5601f99c871f15cbf2c4ff6ae53d57a96f01', creationHeight: 1750616, keyLength: 32, valueLength: null },
  );
  const bad = run('commitment', 'chain/bad-box.json', '--json');
  assert.equal(bad.status, 1);
  assert.equal(JSON.parse(bad.stdout).code, 'REGISTER_INVALID');
  assert.equal(run('commitment').status, 2);
});
