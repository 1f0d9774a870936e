// The page's state as a user changes it, in headless Chromium: what is shown of a tracker's box
// goes when the box goes; a verdict checked against another anchor than the form's is marked out
// of date and offers to verify again; the same file chosen twice is read twice; the proof
// checker's digest is filled only with a root the chain vouches for; on a phone the verdict is in
// view when it comes. Screenshots: test-artifacts/page/state-*.png.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulateTracker } from '../../scripts/demo-log.mjs';
import { bt, chooseLog, fields, nodeBox, pageSession, register, settledVerdict, term } from './harness.mjs';

let log;
const session = pageSession({
  prefix: 'state-',
  demo: () => {
    const { storage } = simulateTracker(bt, { records: 300, parties: 40, seed: 23 });
    const records = storage.operations();
    log = { bytes: storage.exportLog(), roots: [bt.toHex(records[0].rootBefore), ...records.map((r) => bt.toHex(r.rootAfter))] };
    storage.free();
    return { 'tracker.bin': log.bytes, 'tracker.root': new TextEncoder().encode(`${log.roots[300]}\n`) };
  },
});

/** Whether the element `selector` takes room on the page (not `hidden`, not display: none). */
const shown = (page, selector) => page.locator(selector).isVisible();

/** Fills the box field and waits until the page has read it (the read details or the error). */
async function pasteBox(page, text) {
  const before = await page.evaluate(() => document.getElementById('tracker-box-read').innerText + document.getElementById('tracker-box-error').innerText);
  await fields.box(page).fill(text);
  if (text.trim()) {
    await page.waitForFunction(
      (was) => document.getElementById('tracker-box-read').innerText + document.getElementById('tracker-box-error').innerText !== was,
      before,
    );
  } else {
    await page.waitForFunction(() => document.getElementById('tracker-box-error').hidden && document.getElementById('tracker-box-read').hidden);
  }
}

test('what the page read of a box goes when the box is cleared or stops reading', async () => {
  const page = await session.open();
  await pasteBox(page, nodeBox(log.roots[300]));
  assert.ok(await shown(page, '#tracker-box-read'), 'the box is read');
  assert.equal(await term(page, '#tracker-box-read', 'Digest (R5)'), log.roots[300]);

  await pasteBox(page, '');
  assert.equal(await shown(page, '#tracker-box-read'), false, 'a cleared box leaves nothing read on screen');

  await pasteBox(page, nodeBox(log.roots[300]));
  assert.ok(await shown(page, '#tracker-box-read'));
  await pasteBox(page, nodeBox(log.roots[300]).replace('"R5": "64', '"R5": "05'));
  assert.ok(await shown(page, '#tracker-box-error'), 'the error is shown');
  assert.equal(await shown(page, '#tracker-box-read'), false, 'a box that does not read shows no digest beside its error');
  await session.shot('box-invalid');
});

test('a verdict checked against another box than the form holds is marked out of date, and offers to verify again', async () => {
  const page = await session.open();
  await pasteBox(page, nodeBox(log.roots[300]));
  await chooseLog(page, 'tracker.bin', log.bytes);
  assert.match(await settledVerdict(page), /Log verified: 300 records .*final root equals the digest of the tracker’s box on chain/);
  assert.equal(await shown(page, '#stale'), false, 'a fresh verdict is not out of date');

  // The box stops reading: the verdict no longer stands beside the box it was checked against.
  await pasteBox(page, nodeBox(log.roots[300]).replace('"R5": "64', '"R5": "05'));
  await page.locator('#stale').waitFor();
  assert.match(await page.locator('#stale').innerText(), /Out of date: this verdict was checked against the tracker’s box with digest [0-9a-f]{66}; the box in the form does not read/);
  assert.ok(await page.locator('#verdict').evaluate((box) => box.classList.contains('stale')), 'the verdict is marked out of date');
  await session.shot('stale-invalid');
  await session.shotOf('#verdict', 'stale-invalid-note');

  // Cleared: the verdict was checked against a box the form no longer holds.
  await pasteBox(page, '');
  await page.waitForFunction(() => /the form holds no tracker’s box/.test(document.getElementById('stale').innerText));

  // The same box back, in the explorer's shape: same digest, same shape, so the verdict stands.
  await pasteBox(page, JSON.stringify({ additionalRegisters: { R4: { serializedValue: nodeBox(log.roots[300]).match(/"R4": "(\w+)"/)[1] }, R5: { serializedValue: register(log.roots[300]) } } }));
  await page.locator('#stale').waitFor({ state: 'hidden' });
  assert.ok(!(await page.locator('#verdict').evaluate((box) => box.classList.contains('stale'))));

  // An expected root typed in its place (and the box cleared) is another anchor too.
  await pasteBox(page, '');
  await fields.expectRoot(page).fill(`0x${log.roots[300]}\n`);
  await page.waitForFunction(() => /the expected root [0-9a-f]{66}/.test(document.getElementById('stale').innerText));
});

test('a box pasted after a verdict offers to verify the same log against it', async () => {
  const page = await session.open();
  await chooseLog(page, 'tracker.bin', log.bytes);
  assert.match(await settledVerdict(page), /Log verified: 300 records/);
  assert.ok(await page.locator('#verdict').evaluate((box) => box.classList.contains('unanchored')));

  await pasteBox(page, nodeBox(log.roots[300]));
  const offer = page.getByRole('button', { name: 'Verify tracker.bin against the tracker’s box' });
  await offer.waitFor();
  assert.match(await page.locator('#stale').innerText(), /checked against nothing from the chain; the form now holds the tracker’s box with digest/);
  await session.shot('box-after-verdict');
  await session.shotOf('#verdict', 'box-after-verdict-note');
  // Under the box too, where it was pasted.
  assert.match(await page.locator('#tracker-box-offer').innerText(), /^The verdict below was not checked against this box\./);
  assert.ok(await page.getByRole('button', { name: 'Verify tracker.bin against this box' }).isVisible());
  await offer.click();
  assert.match(await settledVerdict(page), /Log verified: 300 records .*final root equals the digest of the tracker’s box on chain/);
  assert.equal(await shown(page, '#stale'), false);
  await session.shot('box-after-verdict-verified');

  // A box at an earlier state: verified again, the same log is rejected.
  await pasteBox(page, nodeBox(log.roots[120]));
  await offer.click();
  assert.match(await settledVerdict(page), /Log rejected: EXPECTED_ROOT_MISMATCH/);
});

test('the same file chosen twice is verified twice', async () => {
  const page = await session.open();
  // A file on disk, chosen as the file dialog does: choosing the same file again fires no change
  // unless the picker was emptied.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bt-page-')), 'tracker.bin');
  fs.writeFileSync(file, log.bytes);
  await fields.expectRoot(page).fill(log.roots[299]);
  await fields.log(page).setInputFiles(file);
  assert.match(await settledVerdict(page), /Log rejected: EXPECTED_ROOT_MISMATCH/);
  // The root corrected, the user chooses the same file again.
  await fields.expectRoot(page).fill(log.roots[300]);
  await fields.log(page).setInputFiles(file);
  await page.waitForFunction(() => /Log verified/.test(document.getElementById('verdict').innerText), null, { timeout: 20_000 });
  // The picker is empty again; the verdict names the file.
  assert.equal(await fields.log(page).evaluate((input) => input.files.length), 0);
  assert.equal(await term(page, '#result-figures', 'Source'), 'the file tracker.bin');
  fs.rmSync(path.dirname(file), { recursive: true });
});

test('the same proof file chosen twice is read twice', async () => {
  const page = await session.open();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bt-page-'));
  const file = path.join(dir, 'proof.json');
  const bundle = { format: 'basis-trees-lookup-proof', digest: log.roots[300], keyLength: 32, valueLength: null, key: '01'.repeat(32), value: null, proof: 'ab' };
  fs.writeFileSync(file, JSON.stringify(bundle));
  const text = page.getByLabel('Proof (hex, or the JSON of a downloaded proof)');
  await page.getByLabel('Proof file').setInputFiles(file);
  await page.waitForFunction(() => document.getElementById('proof-bytes').value.startsWith('{'));
  // Edited by hand, then the file chosen again: its text is back.
  await text.fill('00');
  await page.getByLabel('Proof file').setInputFiles(file);
  await page.waitForFunction(() => document.getElementById('proof-bytes').value.startsWith('{'), null, { timeout: 10_000 });
  assert.deepEqual(JSON.parse(await text.inputValue()), bundle);
  fs.rmSync(dir, { recursive: true });
});

test('the proof checker\'s digest is filled only with a final root the chain vouches for', async () => {
  const page = await session.open();
  const digest = page.getByLabel('Digest (hex)');
  await chooseLog(page, 'tracker.bin', log.bytes);
  assert.match(await settledVerdict(page), /Log verified: 300 records/);
  assert.equal(await digest.inputValue(), '', 'an unanchored root is not offered as a digest to check proofs against');
  // Asked for, after a lookup, it is filled in with what it is.
  await page.getByLabel('Key (hex)', { exact: true }).fill('ab'.repeat(32));
  await page.getByRole('button', { name: 'Look up' }).click();
  await page.getByRole('button', { name: 'Check it below' }).click();
  assert.equal(await digest.inputValue(), log.roots[300]);
  assert.match(await page.locator('#proof-digest-hint').innerText(), /the root of the replayed tree: .*nothing vouches for this root/);
  await digest.fill('');

  await fields.expectRoot(page).fill(log.roots[300]);
  await chooseLog(page, 'tracker.bin', log.bytes);
  assert.match(await settledVerdict(page), /final root equals the expected root/);
  assert.equal(await digest.inputValue(), log.roots[300]);
  assert.match(await page.locator('#proof-digest-hint').innerText(), /the expected root, which the verified log ends at/);

  // Unanchored again: the filled digest goes; one the user typed stays.
  await fields.expectRoot(page).fill('');
  await chooseLog(page, 'tracker.bin', log.bytes);
  assert.match(await settledVerdict(page), /Log verified: 300 records/);
  assert.equal(await digest.inputValue(), '');
  await digest.fill(log.roots[10]);
  await chooseLog(page, 'tracker.bin', log.bytes);
  assert.match(await settledVerdict(page), /Log verified: 300 records/);
  assert.equal(await digest.inputValue(), log.roots[10]);
});

/** Asserts that the verdict is on screen in a viewport `height` px tall. */
async function verdictInView(page, height) {
  // The scroll happens on the next animation frame after the verdict.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const box = await page.locator('#verdict').boundingBox();
  assert.ok(box.y >= 0 && box.y + Math.min(box.height, height / 2) <= height, `the verdict is at ${Math.round(box.y)}–${Math.round(box.y + box.height)} px in a ${height} px screen`);
}

test('on a phone the note of a verdict out of date, with a long file name, fits the screen', async () => {
  const page = await session.open(390, 844);
  const name = `tracker-log-of-the-whole-year-${'0123456789'.repeat(4)}.bin`;
  await chooseLog(page, name, log.bytes);
  assert.match(await settledVerdict(page), /Log verified/);
  await pasteBox(page, nodeBox(log.roots[300]));
  await page.locator('#stale').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await session.shotOf('#verdict', 'phone-stale-note');
});

test('on a phone (390×844) the verdict is in view when it comes, by file, by URL and for the demo', async () => {
  const page = await session.open(390, 844);
  await chooseLog(page, 'tracker.bin', log.bytes);
  assert.match(await settledVerdict(page), /Log verified/);
  await verdictInView(page, 844);
  await session.shot('phone-verified', { fullPage: false });
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  // The box pasted where the form is: the offer is there, in view, under it.
  await page.evaluate(() => window.scrollTo(0, 0));
  await pasteBox(page, nodeBox(log.roots[120]));
  const offer = page.getByRole('button', { name: 'Verify tracker.bin against this box' });
  await offer.scrollIntoViewIfNeeded();
  await session.shot('phone-box-offer', { fullPage: false });
  assert.ok((await overflow()) <= 0, 'the offer fits the phone');
  await offer.click();
  assert.match(await settledVerdict(page), /Log rejected: EXPECTED_ROOT_MISMATCH/);
  await verdictInView(page, 844);
  await session.shot('phone-rejected', { fullPage: false });
  await pasteBox(page, '');

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByLabel('Log URL').fill(`${session.server.url}demo/tracker.bin`);
  await page.getByRole('button', { name: 'Fetch and verify' }).click();
  await page.waitForFunction(() => /Log verified/.test(document.getElementById('verdict').innerText));
  await verdictInView(page, 844);
  assert.equal(await term(page, '#result-figures', 'Source'), `${session.server.url}demo/tracker.bin`);

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByRole('button', { name: 'Verify the demo log' }).click();
  await page.waitForFunction(() => /final root equals the expected root/.test(document.getElementById('verdict').innerText));
  await verdictInView(page, 844);
  await session.shot('phone-demo', { fullPage: false });
});
