// Inputs as users paste them into the page, in headless Chromium: hex with a 0x prefix, upper case,
// spaces around it and a trailing newline is taken in every hex field; a value is read as a debt
// only in a tree of a Basis shape (32-byte keys, values of any length or of 8 bytes); the proof
// checker takes a box or a register as the digest.
// Screenshots: test-artifacts/page/inputs-*.png.
import test from 'node:test';
import assert from 'node:assert/strict';
import { simulateTracker } from '../../scripts/demo-log.mjs';
import { bt, chooseLog, fields, nodeBox, pageSession, register, settledVerdict, term } from './harness.mjs';

let log;
const session = pageSession({
  prefix: 'inputs-',
  demo: () => {
    const { storage, notes } = simulateTracker(bt, { records: 200, parties: 30, seed: 31 });
    log = { bytes: storage.exportLog(), finalRoot: bt.toHex(storage.digest), notes };
    storage.free();
    return {};
  },
});

/** As a user copies hex from elsewhere: 0x, upper case, spaces around (and a newline in a text area). */
const pasted = (hex, newline = false) => `  0x${hex.toUpperCase()} ${newline ? '\n' : ''}`;

test('hex with 0x, upper case and whitespace around it is taken in every hex field', async () => {
  const page = await session.open();
  await fields.expectRoot(page).fill(pasted(log.finalRoot));
  await chooseLog(page, 'tracker.bin', log.bytes);
  assert.match(await settledVerdict(page), /Log verified: 200 records .*final root equals the expected root/);

  const note = log.notes[2];
  const answer = page.locator('#lookup-result');
  await page.getByLabel('Key (hex)', { exact: true }).fill(pasted(bt.toHex(note.key)));
  await page.getByRole('button', { name: 'Look up' }).click();
  await answer.getByText(`debt ${note.debt.toLocaleString('en-US')}`).waitFor();

  await page.getByLabel('Key (hex)', { exact: true }).fill('');
  await page.getByLabel('Issuer public key (hex)').fill(pasted(bt.toHex(note.issuer)));
  await page.getByLabel('Recipient public key (hex)').fill(pasted(bt.toHex(note.recipient)));
  await page.getByRole('button', { name: 'Look up' }).click();
  await answer.getByText(bt.toHex(note.key)).waitFor();

  const proof = lookupProof({ keyLength: 32 }, bt.decodeLog(log.bytes).records, note.key);
  await page.getByLabel('Digest (hex)').fill(pasted(log.finalRoot));
  await page.getByLabel('Proven key (hex)').fill(pasted(bt.toHex(note.key)));
  await page.getByLabel('Proof (hex, or the JSON of a downloaded proof)').fill(pasted(proof, true));
  await page.getByRole('button', { name: 'Check proof' }).click();
  await page.locator('#proof-result').getByText('Valid proof').waitFor();
  assert.match(await page.locator('#proof-result').innerText(), new RegExp(`debt ${note.debt.toLocaleString('en-US')}`));
  await session.shot('pasted-hex');
});

test('a box\'s R5 register and the commitments are taken with 0x, upper case and whitespace too', async () => {
  const page = await session.open();
  const { storage } = simulateTracker(bt, { records: 60, parties: 12, seed: 5 });
  const records = storage.operations();
  const bytes = storage.exportLog();
  const root = (n) => bt.toHex(records[n - 1].rootAfter);
  storage.free();
  await fields.box(page).fill(pasted(register(root(60)), true));
  await page.waitForFunction(() => !document.getElementById('tracker-box-read').hidden || !document.getElementById('tracker-box-error').hidden);
  assert.equal(await page.locator('#tracker-box-error').isVisible(), false, 'the register reads');
  assert.equal(await term(page, '#tracker-box-read', 'Digest (R5)'), root(60));
  await fields.commitments(page).fill([pasted(root(20)), pasted(register(root(40)), true)].join('\n'));
  await page.waitForFunction(() => !document.getElementById('commitments-read').hidden || !document.getElementById('commitments-error').hidden);
  assert.equal(await page.locator('#commitments-error').isVisible(), false, 'the commitments read');
  await chooseLog(page, 'tracker.bin', bytes);
  assert.match(await settledVerdict(page), /Log verified: 60 records .*final root equals the digest of the tracker’s box on chain, every one of the 2 earlier commitments reached in order/);
  await session.shot('pasted-chain');
});

test('the proof checker takes the tracker\'s box or its R5 register as the digest, with its tree\'s shape', async () => {
  const page = await session.open();
  const note = log.notes[4];
  const proof = lookupProof({ keyLength: 32 }, bt.decodeLog(log.bytes).records, note.key);
  const result = page.locator('#proof-result');
  const check = async (digest) => {
    await page.getByLabel('Digest (hex)').fill(digest);
    await page.getByLabel('Proven key (hex)').fill(bt.toHex(note.key));
    await page.getByLabel('Proof (hex, or the JSON of a downloaded proof)').fill(proof);
    await result.evaluate((box) => box.replaceChildren());
    await page.getByRole('button', { name: 'Check proof' }).click();
    await result.locator('strong').waitFor();
    return result.innerText();
  };
  const valid = new RegExp(`^Valid proof: in the tree with root ${log.finalRoot}, the key holds [0-9a-f]{16} = debt ${note.debt.toLocaleString('en-US')}`);
  assert.match(await check(nodeBox(log.finalRoot)), valid);
  await session.shot('proof-against-box');
  assert.match(await check(pasted(register(log.finalRoot))), valid);
  // A register of another digest: the proof does not hold.
  assert.match(await check(register(bt.toHex(bt.emptyDigest({ keyLength: 32 })))), /^Invalid proof: /);
  // What is neither a digest, a register nor a box is not a verdict on the proof.
  assert.match(await check('not a digest'), /^Not checked: INVALID_ARGUMENT /);

  // A register of another shape (16-byte keys, 8-byte values): the proof is checked in its shape.
  const other = fixedLog(16);
  const otherProof = lookupProof({ keyLength: 16, valueLength: 8 }, other.records, new Uint8Array(16).fill(2));
  await page.getByLabel('Digest (hex)').fill(`64${other.finalRoot}03100108`);
  await page.getByLabel('Proven key (hex)').fill('02'.repeat(16));
  await page.getByLabel('Proof (hex, or the JSON of a downloaded proof)').fill(otherProof);
  await result.evaluate((box) => box.replaceChildren());
  await page.getByRole('button', { name: 'Check proof' }).click();
  await result.locator('strong').waitFor();
  assert.equal(await result.innerText(), `Valid proof: in the tree with root ${other.finalRoot}, the key holds 000000000000004d.`);
});

test('a register pasted as the expected root is sent to the box field, where it reads', async () => {
  const page = await session.open();
  await fields.expectRoot(page).fill(register(log.finalRoot));
  await chooseLog(page, 'tracker.bin', log.bytes);
  await page.getByRole('alert').filter({ hasText: 'expected root' }).waitFor();
  assert.match(await page.locator('#form-error').innerText(), /must be 33 bytes in hex .*A box, or its R5 register, goes in the tracker’s box field/);
  await fields.expectRoot(page).fill('');
  await fields.box(page).fill(register(log.finalRoot));
  await page.locator('#tracker-box-read').waitFor();
  await chooseLog(page, 'tracker.bin', log.bytes);
  assert.match(await settledVerdict(page), /final root equals the digest of the tracker’s box on chain/);
});

test('a digest alone pasted as the tracker\'s box is read as one, and the log must end at it', async () => {
  const page = await session.open();
  await fields.box(page).fill(pasted(log.finalRoot, true));
  await page.locator('#tracker-box-read').waitFor();
  assert.equal(await term(page, '#tracker-box-read', 'Digest (R5)'), log.finalRoot);
  assert.equal(await term(page, '#tracker-box-read', 'Tracker key (R4)'), 'none: a digest alone');
  assert.equal(await term(page, '#tracker-box-read', 'Shape'), 'not said by a digest alone: the log’s is taken');
  await chooseLog(page, 'tracker.bin', log.bytes);
  assert.match(await settledVerdict(page), /Log verified: 200 records .*final root equals the digest of the tracker’s box on chain/);
  assert.equal(await term(page, '#result-figures', 'Expected root'), 'the tracker box’s R5 digest: matches the final root');
  await session.shot('digest-as-box');
});

test('a rejected NDJSON log says the line of the failing record', async () => {
  const page = await session.open();
  const storage = bt.TreeStorage.recover({ keyLength: 32 }, bt.decodeLog(log.bytes).records);
  const lines = new TextDecoder().decode(storage.exportLog({ format: 'ndjson' })).split('\n');
  storage.free();
  // Line 1 is the header: record 3 is on line 4.
  lines[3] = lines[3].replace(/"value":"[0-9a-f]+"/, '"value":"00000000000000ff"');
  await chooseLog(page, 'forged.ndjson', new TextEncoder().encode(lines.join('\n')));
  assert.match(await settledVerdict(page), /Log rejected: \w+ at record 3\b/);
  assert.equal(await term(page, '#result-figures', 'Line'), '4');
});

/** A lookup proof (hex) of `key` in the tree of `shape` that `records` build. */
function lookupProof(shape, records, key) {
  const storage = bt.TreeStorage.recover(shape, records);
  const tree = storage.tree;
  storage.free();
  const proof = bt.toHex(tree.proveLookup([key]));
  tree.free();
  return proof;
}

/** A log of a tree with `keyLength`-byte keys and 8-byte values: two inserts, the second `value`. */
function fixedLog(keyLength, value = bt.debtValue(77n)) {
  const storage = new bt.TreeStorage({ keyLength, valueLength: 8 });
  storage.insert(new Uint8Array(keyLength).fill(1), bt.debtValue(5n), { timestamp: 1n });
  storage.insert(new Uint8Array(keyLength).fill(2), value, { timestamp: 2n });
  const result = { bytes: storage.exportLog(), records: storage.operations(), finalRoot: bt.toHex(storage.digest) };
  storage.free();
  return result;
}

test('a value is read as a debt only in a tree of a Basis shape', async () => {
  const page = await session.open();
  const answer = page.locator('#lookup-result');
  const lookUp = async (keyHex) => {
    await page.getByLabel('Key (hex)', { exact: true }).fill(keyHex);
    await page.getByRole('button', { name: 'Look up' }).click();
    // This key's answer, not the one before it.
    await answer.getByText(keyHex, { exact: true }).waitFor();
    return term(page, '#lookup-result', 'Value');
  };

  // 32-byte keys and 8-byte values (a reserve's tree): a debt.
  const reserve = fixedLog(32);
  await chooseLog(page, 'reserve.bin', reserve.bytes);
  assert.match(await settledVerdict(page), /Log verified: 2 records/);
  assert.equal(await lookUp('02'.repeat(32)), '000000000000004d = debt 77 (8 bytes big-endian)');

  // 16-byte keys: not a note's key, so 8 bytes are not a debt.
  const other = fixedLog(16);
  await chooseLog(page, 'other.bin', other.bytes);
  assert.match(await settledVerdict(page), /Log verified: 2 records/);
  assert.equal(await lookUp('02'.repeat(16)), '000000000000004d');
  await session.shot('not-a-debt');

  // Its failing record: no debt either.
  const forged = other.records.map((r) => ({ ...r }));
  forged[1].value = bt.debtValue(78n);
  await chooseLog(page, 'forged.bin', bt.encodeLog(forged, { keyLength: 16, valueLength: 8 }));
  assert.match(await settledVerdict(page), /Log rejected: ROOT_AFTER_MISMATCH at record 2/);
  assert.match(await page.locator('#failing-record').innerText(), /Value\s+000000000000004e\n/);
  assert.doesNotMatch(await page.locator('#failing-record').innerText(), /debt/);

  // The Basis tracker's tree (values of any length): 8 bytes are a debt, other lengths are not.
  const storage = new bt.TreeStorage({ keyLength: 32 });
  storage.insert(new Uint8Array(32).fill(3), bt.debtValue(9n), { timestamp: 1n });
  storage.insert(new Uint8Array(32).fill(4), Uint8Array.of(1, 2, 3), { timestamp: 2n });
  await chooseLog(page, 'tracker.bin', storage.exportLog());
  storage.free();
  assert.match(await settledVerdict(page), /Log verified: 2 records/);
  assert.equal(await lookUp('03'.repeat(32)), '0000000000000009 = debt 9 (8 bytes big-endian)');
  assert.equal(await lookUp('04'.repeat(32)), '010203');

  // The proof checker, for a proof of the 16-byte tree pasted as downloaded: no debt.
  const bundle = {
    format: 'basis-trees-lookup-proof',
    digest: other.finalRoot,
    keyLength: 16,
    valueLength: 8,
    key: '02'.repeat(16),
    proof: lookupProof({ keyLength: 16, valueLength: 8 }, other.records, new Uint8Array(16).fill(2)),
  };
  await page.getByLabel('Digest (hex)').fill('');
  await page.getByLabel('Proof (hex, or the JSON of a downloaded proof)').fill(JSON.stringify(bundle));
  await page.getByRole('button', { name: 'Check proof' }).click();
  await page.locator('#proof-result').getByText('Valid proof').waitFor();
  assert.match(await page.locator('#proof-result').innerText(), /the key holds 000000000000004d\.$/);
});
