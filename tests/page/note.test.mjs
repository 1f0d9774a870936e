// "Check a note" in headless Chromium: a valid note with the tracker's answers and box, and
// tampered ones (another total debt, a proof against an older on-chain digest). Screenshots in
// test-artifacts/page/note-*.png.
import test from 'node:test';
import assert from 'node:assert/strict';
import { bt, fields, pageSession, register } from './harness.mjs';

const session = pageSession({ prefix: 'note-' });
const hex = bt.toHex;
const secret = () => crypto.getRandomValues(new Uint8Array(32));

/** A note signed by the issuer and the tracker, the tracker's tree holding it, its box and answers. */
function wallet() {
  const issuerSecret = secret();
  const trackerSecret = secret();
  const issuer = bt.publicKey(issuerSecret);
  const recipient = bt.publicKey(secret());
  const totalDebt = 2n ** 60n + 1n;
  const timestamp = 1_700_000_000_000n;
  const message = bt.noteMessage({ issuer, recipient, totalDebt, timestamp });
  const key = bt.noteKey(issuer, recipient);
  const tree = new bt.Tree({ keyLength: 32 });
  const older = hex(tree.digest);
  tree.insert(key, bt.debtValue(totalDebt));
  const note = (total) =>
    `{"success":true,"data":{"issuer_pubkey":"${hex(issuer)}","recipient_pubkey":"${hex(recipient)}","amount_collected":${total},"amount_redeemed":0,"timestamp":${timestamp},"signature":"${hex(bt.signNote(issuerSecret, message))}"},"error":null}`;
  const box = (digest) => JSON.stringify({ ergoTree: '00', creationHeight: 100, value: 1000000, assets: [], additionalRegisters: { R4: `07${hex(bt.publicKey(trackerSecret))}`, R5: register(digest) } }, null, 2);
  return {
    note: note(totalDebt),
    forged: note(totalDebt + 1n),
    box: box(hex(tree.digest)),
    olderBox: box(older),
    signature: `{"success":true,"data":{"tracker_signature":"${hex(bt.signNote(trackerSecret, message))}","tracker_pubkey":"${hex(bt.publicKey(trackerSecret))}","message_signed":"${hex(message)}","is_emergency":false},"error":null}`,
    proof: `{"success":true,"data":{"key":"${hex(key)}","value":"${hex(bt.debtValue(totalDebt))}","proof":"${hex(tree.proveLookup([key]))}","total_debt":${totalDebt},"tracker_state_digest":"${hex(tree.digest)}"},"error":null}`,
  };
}

async function check(page, { note, box, signature, proof }) {
  await fields.box(page).fill(box ?? '');
  await page.getByLabel('Note (JSON, as the tracker serves it)').fill(note);
  await page.getByLabel("Tracker's signature (its /tracker/signature answer, or 65 bytes in hex; optional)").fill(signature ?? '');
  await page.getByLabel("Tracker's proof (its /tracker/proof answer; optional)").fill(proof ?? '');
  await page.evaluate(() => delete document.getElementById('note-result').dataset.verdict);
  await page.getByRole('button', { name: 'Check note' }).click();
  await page.waitForFunction(() => document.getElementById('note-result').dataset.verdict !== undefined);
  const statuses = await page.locator('#note-checks li, .note-checks li').evaluateAll((items) => Object.fromEntries(items.map((li) => [li.dataset.check, li.dataset.status])));
  return { verdict: await page.locator('#note-result').getAttribute('data-verdict'), statuses };
}

test('a valid note: both signatures and the proof against the box pass', async () => {
  const page = await session.open();
  const w = wallet();
  const result = await check(page, { note: w.note, box: w.box, signature: w.signature, proof: w.proof });
  assert.deepEqual(result, { verdict: 'passed', statuses: { issuerSignature: 'passed', trackerSignature: 'passed', trackerProof: 'passed' } });
  assert.match(await page.locator('#note-result').innerText(), /1152921504606846977/);
  await session.shotOf('#note-form', 'valid');
});

test('a tampered note, a proof against an older digest, and no box each say what fails', async () => {
  const page = await session.open(390, 900);
  const w = wallet();
  const forged = await check(page, { note: w.forged, box: w.box, signature: w.signature, proof: w.proof });
  assert.deepEqual(forged, { verdict: 'failed', statuses: { issuerSignature: 'failed', trackerSignature: 'failed', trackerProof: 'passed', debtOnChain: 'failed' } });
  await session.shotOf('#note-form', 'tampered');
  const older = await check(page, { note: w.note, box: w.olderBox, signature: w.signature, proof: w.proof });
  assert.equal(older.verdict, 'failed');
  assert.equal(older.statuses.trackerProof, 'failed');
  assert.match(await page.locator('#note-result').innerText(), /PROOF_INVALID|KEY_NOT_FOUND/);
  const alone = await check(page, { note: w.note, signature: w.signature, proof: w.proof });
  assert.deepEqual(alone.statuses, { issuerSignature: 'passed', trackerSignature: 'notChecked', trackerProof: 'notChecked' });
  const broken = await check(page, { note: '{"amount_collected":1}' });
  assert.equal(broken.verdict, 'error');
  assert.match(await page.locator('#note-result').innerText(), /NOTE_INVALID/);
});
