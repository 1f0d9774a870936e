// The wallet's checks from the packed package, in Node ESM and CommonJS (one instance): notes
// signed and verified, the tracker's proofs against the chain, a redemption built end to end with
// each condition broken once, and storms of hostile arguments.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as esm from 'basis-trees';

const cjs = createRequire(import.meta.url)('basis-trees');
const hex = (bytes) => esm.toHex(bytes);
const NFT = '8b1ab583bb085ecbd8fa9bc2fd59784afcdfce5496eb146bb3dd04664b56822a';
const randomSecret = () => crypto.getRandomValues(new Uint8Array(32));
const randomDebt = () => new DataView(crypto.getRandomValues(new Uint8Array(8)).buffer).getBigUint64(0);

function code(fn) {
  try {
    fn();
  } catch (err) {
    assert.equal(err.name, 'BasisTreeError', err.stack);
    return err.code;
  }
  assert.fail('did not throw');
}

/** An AvlTree register (R5) of a Basis tree of `digest`: keys of 32 bytes, values of any length, inserts and updates allowed. */
const register = (digest) => `64${hex(digest)}032000`;

/** A note signed by its issuer and the tracker, the tracker's tree holding it, the boxes as JSON. */
function wallet(bt, { debt = (1n << 60n) + 1n, timestamp = 1_700_000_000_000n, reserveValue = 10n ** 18n } = {}) {
  const issuerSecret = randomSecret();
  const trackerSecret = randomSecret();
  const issuer = bt.publicKey(issuerSecret);
  const tracker = bt.publicKey(trackerSecret);
  const recipient = bt.publicKey(randomSecret());
  const fields = { recipient, totalDebt: debt, timestamp };
  const signature = bt.signNote(issuerSecret, fields);
  const message = bt.noteMessage({ issuer, ...fields });
  const trackerSignature = bt.signNote(trackerSecret, message);
  const key = bt.noteKey(issuer, recipient);
  const trackerTree = new bt.Tree({ keyLength: 32 });
  trackerTree.insert(key, bt.debtValue(debt));
  trackerTree.insert(new Uint8Array(32).fill(9), bt.debtValue(1n));
  const reserveTree = new bt.Tree({ keyLength: 32 });
  const note = `{"issuer_pubkey":"${hex(issuer)}","recipient_pubkey":"${hex(recipient)}","amount_collected":${debt},"amount_redeemed":0,"timestamp":${timestamp},"signature":"${hex(signature)}"}`;
  const trackerBox = `{"ergoTree":"00","creationHeight":100,"value":1000000,"assets":[{"tokenId":"${NFT}","amount":1}],"additionalRegisters":{"R4":"07${hex(tracker)}","R5":"${register(trackerTree.digest)}"}}`;
  const reserveBox = `{"ergoTree":"00","creationHeight":100,"value":${reserveValue},"assets":[],"additionalRegisters":{"R4":"07${hex(issuer)}","R5":"${register(reserveTree.digest)}","R6":"0e20${NFT}"}}`;
  const proofAnswer = `{"success":true,"data":{"key":"${hex(key)}","value":"${hex(bt.debtValue(debt))}","proof":"${hex(trackerTree.proveLookup([key]))}","total_debt":${debt},"tracker_state_digest":"${hex(trackerTree.digest)}"},"error":null}`;
  return { issuerSecret, trackerSecret, issuer, tracker, recipient, signature, message, trackerSignature, key, trackerTree, reserveTree, note, trackerBox, reserveBox, proofAnswer, debt, timestamp };
}

test('ESM and CommonJS are one instance with the wallet', () => {
  assert.equal(esm.verifyNote, cjs.verifyNote);
  for (const name of ['noteMessage', 'verifySignature', 'publicKey', 'signNote', 'readNote', 'readTrackerState', 'verifyNote', 'verifyTrackerProof', 'checkRedemption']) {
    assert.equal(typeof esm[name], 'function', name);
  }
  assert.equal(esm.useCrypto, undefined, 'the randomness hook is not public');
});

test('signed notes verify on chain: random keys and debts up to 2^64-1, a fresh nonce each time', () => {
  for (const [i, bt] of Array.from({ length: 3000 }, (_, i) => [i, i % 2 ? cjs : esm])) {
    const secret = randomSecret();
    const recipient = bt.publicKey(randomSecret());
    const totalDebt = i === 0 ? 2n ** 64n - 1n : randomDebt();
    const note = { recipient, totalDebt, timestamp: BigInt(i) };
    const signature = bt.signNote(secret, note);
    assert.equal(signature.length, 65);
    const issuer = bt.publicKey(secret);
    assert.deepEqual(bt.verifySignature(issuer, bt.noteMessage({ issuer, ...note }), signature), { valid: true, onChain: true });
    if (i % 100 === 0) assert.notEqual(hex(bt.signNote(secret, note)), hex(signature), 'two signatures of one note differ');
  }
});

test('every field of a note changed after signing fails; the tracker signature is checked against its box key', () => {
  const w = wallet(esm);
  const report = esm.verifyNote(w.note, { tracker: w.trackerBox, trackerSignature: w.trackerSignature });
  assert.equal(report.passed, true);
  assert.deepEqual(report.trackerSignature, { valid: true, onChain: true });
  // The object readNote gives reads as the same note.
  assert.equal(esm.verifyNote(esm.readNote(w.note), { trackerKey: w.tracker, trackerSignature: hex(w.trackerSignature) }).passed, true);
  const other = hex(esm.publicKey(randomSecret()));
  const changes = {
    issuer_pubkey: [hex(w.issuer), other],
    recipient_pubkey: [hex(w.recipient), other],
    amount_collected: [`:${w.debt}`, `:${w.debt - 1n}`],
    timestamp: [`:${w.timestamp}`, `:${w.timestamp + 1n}`],
    signature: [hex(w.signature).slice(-8), ((parseInt(hex(w.signature).slice(-8), 16) ^ 1) >>> 0).toString(16).padStart(8, '0')],
  };
  for (const [field, [from, to]] of Object.entries(changes)) {
    const changed = w.note.replace(from, to);
    assert.notEqual(changed, w.note, field);
    const result = esm.verifyNote(changed, { tracker: w.trackerBox, trackerSignature: w.trackerSignature });
    assert.equal(result.passed, false, field);
    assert.equal(result.checks.find((c) => c.name === 'issuerSignature').status, 'failed', field);
  }
  // A tracker signature without the tracker's key is not checked, never passed.
  const unchecked = esm.verifyNote(w.note, { trackerSignature: w.trackerSignature });
  assert.equal(unchecked.checks.find((c) => c.name === 'trackerSignature').status, 'notChecked');
});

test('a tracker proof holds against the chain, not against an older digest, and names each mismatch', () => {
  const w = wallet(cjs, { debt: 123_456_789n });
  const older = w.trackerTree.digest;
  const report = cjs.verifyTrackerProof(w.proofAnswer, { tracker: w.trackerBox, note: w.note });
  assert.equal(report.totalDebt, w.debt);
  assert.equal(report.digestAgrees, true);
  assert.deepEqual(report.key, w.key);
  // The same proof against the digest, the register, a parsed commitment and the parsed answer.
  for (const tracker of [older, hex(older), register(older), cjs.parseCommitment(w.trackerBox), JSON.parse(w.trackerBox)]) {
    assert.equal(cjs.verifyTrackerProof(JSON.parse(w.proofAnswer), { tracker }).totalDebt, w.debt);
  }
  // The tracker moved on; its new proof against the older on-chain digest fails.
  w.trackerTree.update(w.key, cjs.debtValue(w.debt + 5n));
  const newer = w.proofAnswer.replace(/"proof":"[0-9a-f]+"/, `"proof":"${hex(w.trackerTree.proveLookup([w.key]))}"`).replaceAll(hex(cjs.debtValue(w.debt)), hex(cjs.debtValue(w.debt + 5n))).replace(`"total_debt":${w.debt}`, `"total_debt":${w.debt + 5n}`);
  assert.equal(code(() => cjs.verifyTrackerProof(newer, { tracker: older })), 'PROOF_INVALID');
  assert.equal(cjs.verifyTrackerProof(newer, { tracker: w.trackerTree.digest }).totalDebt, w.debt + 5n);
  assert.equal(code(() => cjs.verifyTrackerProof(w.proofAnswer, { tracker: w.trackerBox, note: wallet(cjs).note })), 'NOTE_KEY_MISMATCH');
  assert.equal(code(() => cjs.verifyTrackerProof(w.proofAnswer.replace(`"total_debt":${w.debt}`, `"total_debt":${w.debt + 1n}`), { tracker: w.trackerBox })), 'DEBT_VALUE_INVALID');
  // A parsed answer whose numbers JSON.parse rounded is refused, not misread.
  const big = wallet(cjs, { debt: 2n ** 60n + 1n });
  const err = (() => { try { cjs.verifyTrackerProof(JSON.parse(big.proofAnswer), { tracker: big.trackerBox }); } catch (e) { return e; } })();
  assert.equal(err.code, 'INVALID_ARGUMENT');
  assert.equal(err.argument, 'answer.data.total_debt');
  assert.match(err.message, /JSON\.parse has rounded it/);
  assert.doesNotMatch(err.message, /box/);
});

test('a redemption built end to end passes, and fails with each condition broken once', () => {
  const w = wallet(esm, { reserveValue: 2n ** 62n });
  const base = { trackerBox: w.trackerBox, reserveBox: w.reserveBox, note: w.note, trackerSignature: w.trackerSignature, trackerProof: w.proofAnswer, reserveProof: w.reserveTree.proveLookup([w.key]), amount: 1000n, height: 200 };
  const ok = esm.checkRedemption(base);
  assert.equal(ok.redeemable, true, JSON.stringify(ok.conditions));
  assert.equal(ok.maxRedeemable, w.debt);
  // The update it returns is the one the reserve tree makes.
  w.reserveTree.insertOrUpdate(w.key, ok.reserveUpdate.value);
  assert.deepEqual(ok.reserveUpdate.newDigest, w.reserveTree.digest);
  const status = (report, name) => report.conditions.find((c) => c.name === name).status;
  const otherNft = 'ff'.repeat(32);
  const broken = {
    trackerNft: { reserveBox: w.reserveBox.replace(`0e20${NFT}`, `0e20${otherNft}`) },
    ownerIsIssuer: { reserveBox: w.reserveBox.replace(`"R4":"07${hex(w.issuer)}`, `"R4":"07${hex(w.tracker)}`) },
    issuerSignature: { note: w.note.replace(hex(w.signature).slice(-4), (parseInt(hex(w.signature).slice(-4), 16) ^ 1).toString(16).padStart(4, '0')) },
    trackerSignature: { trackerSignature: esm.signNote(w.issuerSecret, w.message) },
    emergencyPath: { trackerSignature: undefined },
    amountPositive: { amount: 0n },
    amountWithinDebt: { amount: w.debt + 1n },
    reserveValue: { reserveBox: w.reserveBox.replace(`"value":${2n ** 62n}`, '"value":999') },
  };
  for (const [name, change] of Object.entries(broken)) {
    const report = esm.checkRedemption({ ...base, ...change });
    assert.equal(report.redeemable, false, name);
    assert.equal(status(report, name), 'failed', `${name}: ${JSON.stringify(report.conditions)}`);
  }
  // Without the tracker's proof, its debt is not checked: never passed silently.
  const unproved = esm.checkRedemption({ ...base, trackerProof: undefined });
  assert.equal(status(unproved, 'trackerDebt'), 'notChecked');
  assert.equal(unproved.redeemable, false);
});

test('hostile arguments are refused by name, and the instance keeps working after 20,000 failures', () => {
  const w = wallet(esm);
  const hostile = [
    undefined, null, 1.5, -1, 2 ** 53, NaN, 'zz', '{', '{"success":false,"error":"down"}', new Uint8Array(70).fill(0xff),
    new Uint8Array(33), 'ff'.repeat(33), '02' + 'ff'.repeat(32), new Uint16Array(33), [], {}, { tree: 1 },
    new Proxy({}, { ownKeys() { throw new Error('trap'); } }), { get issuer() { throw new Error('getter'); } }, () => 1, Symbol('s'), 10n ** 30n,
  ];
  let failures = 0;
  for (let i = 0; failures < 20_000; i++) {
    const value = hostile[i % hostile.length];
    const calls = [
      () => esm.verifySignature(value, w.message, w.signature),
      () => esm.verifySignature(w.issuer, value, w.signature),
      () => esm.noteMessage(value),
      () => esm.signNote(value, { recipient: w.recipient, totalDebt: 1n, timestamp: 1n }),
      () => esm.publicKey(value),
      () => esm.verifyNote(value),
      () => esm.verifyTrackerProof(w.proofAnswer, { tracker: value }),
      () => esm.checkRedemption(value),
      () => esm.readTrackerState(value),
    ];
    for (const call of calls) {
      const c = code(call);
      assert.ok(['INVALID_ARGUMENT', 'NOTE_INVALID', 'TRACKER_ANSWER_INVALID', 'REGISTER_INVALID', 'BOX_INVALID', 'PROOF_INVALID', 'SHAPE_MISMATCH'].includes(c), c);
      failures++;
    }
  }
  // Keys not on the curve, the point at infinity (33 zero bytes), wrong lengths.
  assert.equal(code(() => esm.verifySignature('02' + 'ff'.repeat(32), w.message, w.signature)), 'INVALID_ARGUMENT');
  assert.equal(code(() => esm.verifySignature(new Uint8Array(33), w.message, w.signature)), 'INVALID_ARGUMENT');
  assert.equal(code(() => esm.verifySignature(w.issuer, w.message, w.signature.slice(1))), 'INVALID_ARGUMENT');
  assert.equal(code(() => esm.verifySignature(w.issuer, w.message.slice(8), w.signature)), 'INVALID_ARGUMENT');
  assert.equal(code(() => esm.verifyNote(w.note, null)), 'INVALID_ARGUMENT');
  assert.equal(code(() => esm.signNote(w.issuerSecret, { issuer: w.tracker, recipient: w.recipient, totalDebt: 1n, timestamp: 1n })), 'INVALID_ARGUMENT');
  // A signature whose a is not a point is a failed signature, not an error.
  const notPoint = new Uint8Array(w.signature);
  notPoint.set(new Uint8Array(32).fill(0xff), 1);
  assert.equal(esm.verifySignature(w.issuer, w.message, notPoint).valid, false);
  // Still working.
  assert.equal(esm.verifyNote(w.note, { tracker: w.trackerBox, trackerSignature: w.trackerSignature }).passed, true);
  assert.equal(esm.checkRedemption({ trackerBox: w.trackerBox, reserveBox: w.reserveBox, note: w.note, trackerSignature: w.trackerSignature, trackerProof: w.proofAnswer, reserveProof: w.reserveTree.proveLookup([w.key]), amount: 1n, height: 200 }).redeemable, true);
});
