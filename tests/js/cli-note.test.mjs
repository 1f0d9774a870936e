// `basis-trees note` as installed from the tarball: a verdict per check, exit 0 / 1 / 2.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as bt from 'basis-trees';

const cli = path.resolve('node_modules', '.bin', 'basis-trees');
const run = (...args) => spawnSync(cli, args, { encoding: 'utf8' });
const hex = bt.toHex;
const secret = () => crypto.getRandomValues(new Uint8Array(32));
const register = (digest) => `64${hex(digest)}032000`;

const issuerSecret = secret();
const trackerSecret = secret();
const issuer = bt.publicKey(issuerSecret);
const tracker = bt.publicKey(trackerSecret);
const recipient = bt.publicKey(secret());
const debt = (1n << 60n) + 1n;
const timestamp = 1_700_000_000_000n;
const message = bt.noteMessage({ issuer, recipient, totalDebt: debt, timestamp });
const key = bt.noteKey(issuer, recipient);
const tree = new bt.Tree({ keyLength: 32 });
tree.insert(key, bt.debtValue(debt));
const older = tree.digest;
tree.insert(new Uint8Array(32).fill(7), bt.debtValue(1n));
const noteJson = (signature, total = debt) =>
  `{"success":true,"data":{"issuer_pubkey":"${hex(issuer)}","recipient_pubkey":"${hex(recipient)}","amount_collected":${total},"amount_redeemed":0,"timestamp":${timestamp},"signature":"${hex(signature)}"},"error":null}`;
const box = (digest) => `{"ergoTree":"00","creationHeight":100,"value":1000000,"assets":[],"additionalRegisters":{"R4":"07${hex(tracker)}","R5":"${register(digest)}"}}`;
fs.mkdirSync('note', { recursive: true });
fs.writeFileSync('note/note.json', noteJson(bt.signNote(issuerSecret, message)));
fs.writeFileSync('note/forged.json', noteJson(bt.signNote(issuerSecret, message), debt + 1n));
fs.writeFileSync('note/box.json', box(tree.digest));
fs.writeFileSync('note/older-box.json', box(older));
fs.writeFileSync('note/signature.json', `{"success":true,"data":{"tracker_signature":"${hex(bt.signNote(trackerSecret, message))}","tracker_pubkey":"${hex(tracker)}","message_signed":"${hex(message)}","is_emergency":false},"error":null}`);
fs.writeFileSync('note/proof.json', `{"key":"${hex(key)}","value":"${hex(bt.debtValue(debt))}","proof":"${hex(tree.proveLookup([key]))}","total_debt":${debt},"tracker_state_digest":"${hex(tree.digest)}"}`);

const all = ['--tracker-box', 'note/box.json', '--tracker-signature', 'note/signature.json', '--proof', 'note/proof.json'];

test('note: every check passes for a signed note the tracker committed (exit 0)', () => {
  const out = run('note', 'note/note.json', ...all);
  assert.equal(out.status, 0, out.stdout + out.stderr);
  assert.match(out.stdout, /^OK {2}note /);
  for (const name of ['issuerSignature', 'trackerSignature', 'trackerProof']) assert.match(out.stdout, new RegExp(`passed +${name}`));
  const json = JSON.parse(run('note', 'note/note.json', ...all, '--json').stdout);
  assert.equal(json.ok, true);
  assert.deepEqual(json.checks.map((c) => c.status), ['passed', 'passed', 'passed']);
  assert.equal(json.note.totalDebt, String(debt));
  // The signature as hex on the command line.
  const signature = JSON.parse(fs.readFileSync('note/signature.json', 'utf8')).data.tracker_signature;
  assert.equal(run('note', 'note/note.json', '--tracker-box', 'note/box.json', '--tracker-signature', `0x${signature}`).status, 0);
});

test('note: a changed note, another tracker key and an older on-chain digest each fail (exit 1)', () => {
  const forged = JSON.parse(run('note', 'note/forged.json', ...all, '--json').stdout);
  assert.equal(forged.ok, false);
  assert.deepEqual(Object.fromEntries(forged.checks.map((c) => [c.name, c.status])), { issuerSignature: 'failed', trackerSignature: 'failed', trackerProof: 'passed', debtOnChain: 'failed' });
  const older = run('note', 'note/note.json', '--tracker-box', 'note/older-box.json', '--proof', 'note/proof.json');
  assert.equal(older.status, 1);
  assert.match(older.stdout, /FAILED +trackerProof: PROOF_INVALID/);
  // Without the box nothing on chain is asked: not checked, never passed.
  const alone = run('note', 'note/note.json', '--proof', 'note/proof.json');
  assert.equal(alone.status, 0);
  assert.match(alone.stdout, /not checked +trackerProof/);
  assert.match(alone.stdout, /not checked +trackerSignature/);
});

test('note: usage errors exit 2, and a file that is not a note exits 1 with NOTE_INVALID', () => {
  assert.equal(run('note').status, 2);
  assert.equal(run('note', 'note/none.json').status, 2);
  assert.match(run('note', 'note/note.json', '--prof', 'x').stderr, /did you mean --proof/);
  assert.equal(run('note', 'note/box.json').status, 1, 'a box is not a note');
  fs.writeFileSync('note/empty.json', '{}');
  const out = run('note', 'note/empty.json', '--json');
  assert.equal(out.status, 1);
  assert.equal(JSON.parse(out.stdout).code, 'NOTE_INVALID');
});
