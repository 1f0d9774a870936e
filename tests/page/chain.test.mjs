// The page checks a log against the chain, in headless Chromium: a tracker's box pasted as a node
// or an explorer serves it (or its R5 register alone) is read at once — tracker key, digest,
// shape — and the log must end at its digest; pasted earlier commitments must each be reached,
// in order, and the verdict says after which record; a box that does not read, a list out of
// order and an on-chain tree of another shape are refused in words. Screenshots:
// test-artifacts/page/chain-*.png.
import test, { before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { simulateTracker } from '../../scripts/demo-log.mjs';
import { TRACKER_R4, bt, fields, nodeBox, pageSession, register, repo, settledVerdict as settled, term as termOf } from './harness.mjs';

const vectors = path.join(repo, 'tests', 'vectors', 'chain');
const session = pageSession({ prefix: 'chain-' });

let page;
let log;

/** The same box as the explorer API serves it. */
function explorerBox(digest) {
  return JSON.stringify({
    boxId: '49787748507c2c2a2e416c3c4d5ad41ee9d448e9966a709e313279ac2c58e431',
    additionalRegisters: {
      R4: { serializedValue: TRACKER_R4, sigmaType: 'SGroupElement', renderedValue: TRACKER_R4.slice(2) },
      R5: { serializedValue: register(digest), sigmaType: 'SAvlTree' },
    },
  });
}

before(() => {
  const { storage } = simulateTracker(bt, { records: 300, parties: 40, seed: 23 });
  const records = storage.operations();
  log = { bytes: storage.exportLog(), roots: [bt.toHex(records[0].rootBefore), ...records.map((r) => bt.toHex(r.rootAfter))] };
  storage.free();
});

async function openPage(width = 1100) {
  page = await session.open(width);
}

const shot = (name) => session.shot(name);
const boxField = () => fields.box(page);
const commitmentsField = () => fields.commitments(page);
const settledVerdict = (timeout) => settled(page, timeout);
const term = (list, name) => termOf(page, list, name);

async function chooseLog() {
  await page.getByLabel('Log file', { exact: true }).setInputFiles({ name: 'tracker.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(log.bytes) });
}

/** Pastes into a field and waits until the page has read it. */
async function paste(field, text, shown) {
  await field.fill(text);
  await page.waitForFunction((id) => !document.getElementById(id).hidden, shown, { timeout: 10_000 });
}

test('a pasted node box is read at once, and the log verifies against it and every earlier commitment', async () => {
  await openPage();
  const final = log.roots[300];
  await paste(boxField(), nodeBox(final), 'tracker-box-read');
  assert.equal(await term('#tracker-box-read', 'Tracker key (R4)'), TRACKER_R4.slice(2));
  assert.equal(await term('#tracker-box-read', 'Digest (R5)'), final);
  assert.equal(await term('#tracker-box-read', 'Shape'), 'keys of 32 bytes, values of any length');
  assert.equal(await term('#tracker-box-read', 'On-chain operations'), 'insert, update allowed');
  assert.match(await term('#tracker-box-read', 'Box id'), /^49787748.* \(as given; the JSON lacks what to recompute it from\)$/);
  assert.equal(await term('#tracker-box-read', 'Created at height'), '1,750,616');

  // Earlier commitments, as people paste them: a digest, a register, a box on one line; a comment.
  const list = ['# the tracker’s boxes, oldest first', log.roots[0], '', register(log.roots[120]), JSON.stringify(JSON.parse(explorerBox(log.roots[250])))].join('\n');
  await paste(commitmentsField(), list, 'commitments-read');
  assert.match(await page.locator('#commitments-read').innerText(), /^3 commitments read/);
  await shot('box-read');

  await chooseLog();
  const text = await settledVerdict();
  assert.match(text, /Log verified: 300 records .*final root equals the digest of the tracker’s box on chain, every one of the 3 earlier commitments reached in order/);
  assert.match(await term('#result-figures', 'Expected root'), /the tracker box’s R5 digest: matches the final root; the log has its tree’s shape/);
  assert.equal(await term('#result-figures', 'Tracker key'), TRACKER_R4.slice(2));
  const reached = await page.locator('#result-figures ol.commitments li').allInnerTexts();
  assert.deepEqual(reached, [`${log.roots[0]} after record 0`, `${log.roots[120]} after record 120`, `${log.roots[250]} after record 250`]);
  await shot('verified');
  await page.setViewportSize({ width: 390, height: 900 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than a phone`);
  await shot('verified-phone');
});

test('an explorer box, and an R5 register alone, are read the same; a real box of the Basis demo too', async () => {
  await openPage();
  const final = log.roots[300];
  await paste(boxField(), explorerBox(final), 'tracker-box-read');
  assert.equal(await term('#tracker-box-read', 'Digest (R5)'), final);
  await boxField().fill(register(final));
  await page.waitForFunction(() => /a register alone/.test(document.getElementById('tracker-box-read').innerText));
  await chooseLog();
  assert.match(await settledVerdict(), /final root equals the digest of the tracker’s box on chain/);

  // The Basis demo's reserve output, as the node wrote it: another digest, so the log is refused.
  await boxField().fill(fs.readFileSync(path.join(vectors, 'basis-demo-reserve.node.json'), 'utf8'));
  await page.waitForFunction(() => /2c1d1fb2/.test(document.getElementById('tracker-box-read').innerText));
  await chooseLog();
  assert.match(await settledVerdict(), /Log rejected: EXPECTED_ROOT_MISMATCH/);
});

test('commitments out of order, or never reached, reject the log and say which', async () => {
  await openPage();
  await paste(commitmentsField(), [log.roots[200], log.roots[100]].join('\n'), 'commitments-read');
  await chooseLog();
  assert.match(await settledVerdict(), /Log rejected: COMMITMENT_MISSING\. All 300 records replayed, but the log never reaches a state the tracker committed to on chain/);
  assert.equal(await term('#result-figures', 'Last record checked'), '300');
  assert.equal(await term('#mismatch-figures', 'Commitment not reached'), 'number 2 of the list');
  assert.equal(await term('#mismatch-figures', 'Its digest'), log.roots[100]);
  assert.equal(await term('#mismatch-figures', 'The one before it'), 'reached after record 200');
  assert.match(await term('#mismatch-figures', 'In the log'), /after record 100, before the commitment listed ahead of it: the list is out of order/);
  await shot('out-of-order');

  const forged = `${log.roots[150].slice(0, 64)}ff`;
  await paste(commitmentsField(), [log.roots[100], forged].join('\n'), 'commitments-read');
  await chooseLog();
  assert.match(await settledVerdict(), /COMMITMENT_MISSING/);
  assert.match(await term('#mismatch-figures', 'In the log'), /never has this digest/);
});

test('a box that does not read is explained under it, and no log is verified against it', async () => {
  await openPage();
  // R5 of another type: sigma-rust's explorer box has two Longs.
  await boxField().fill(JSON.stringify({ additionalRegisters: { R4: TRACKER_R4, R5: '05d4d59604' } }));
  await page.waitForFunction(() => !document.getElementById('tracker-box-error').hidden);
  assert.match(await page.locator('#tracker-box-error').innerText(), /^REGISTER_INVALID: register R5 is invalid: it holds Long \(type 0x05\) where AvlTree \(type 0x64\) was expected/);
  await shot('box-error');
  await chooseLog();
  await page.waitForFunction(() => !document.getElementById('form-error').hidden);
  assert.match(await page.locator('#form-error').innerText(), /tracker’s box does not read/);
  assert.equal(await page.getByRole('status').innerText(), 'No log verified yet.');

  await boxField().fill('{"additionalRegisters": {"R4": "07"}}');
  await page.waitForFunction(() => /BOX_INVALID|REGISTER_INVALID/.test(document.getElementById('tracker-box-error').innerText));
  await commitmentsField().fill(`${log.roots[3]}\nnot hex`);
  await page.waitForFunction(() => /line 2/.test(document.getElementById('commitments-error').innerText));

  // A box and an expected root together: one is enough, and they could disagree.
  await boxField().fill(nodeBox(log.roots[300]));
  await commitmentsField().fill('');
  await page.getByLabel('Expected final root (hex, optional)').fill(log.roots[300]);
  await chooseLog();
  await page.waitForFunction(() => /not both/.test(document.getElementById('form-error').innerText));
});

test('an on-chain tree of another shape refuses the log with both shapes', async () => {
  await openPage();
  await paste(boxField(), nodeBox(log.roots[300], { valueLength: 8 }), 'tracker-box-read');
  assert.equal(await term('#tracker-box-read', 'Shape'), 'keys of 32 bytes, values of 8 bytes');
  await chooseLog();
  assert.match(await settledVerdict(), /Log rejected: SHAPE_MISMATCH/);
});
