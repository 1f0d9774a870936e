// The log-verifier page (www/) in headless Chromium, served by scripts/serve.mjs with the package
// built in pkg/: good, tampered and large logs made here with the package in Node, by file and by
// URL; cancel; the main thread's timers keep running while the worker verifies; lookups, proofs
// and snapshots of the replayed tree; no console errors. Screenshots: test-artifacts/page/.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { simulateTracker } from '../../scripts/demo-log.mjs';
import { bt, chooseLog as choose, pageSession, settledVerdict as settled, term } from './harness.mjs';

let logs;
const session = pageSession({
  demo: () => {
    logs = { small: trackerLog(400, { seed: 7 }), big: trackerLog(60_000, { seed: 11 }), ndjson: trackerLog(400, { seed: 7, format: 'ndjson' }) };
    const demo = Object.fromEntries(Object.entries(logs).map(([name, log]) => [`${name}.log`, log.bytes]));
    demo['tracker.bin'] = logs.small.bytes;
    demo['tracker.root'] = new TextEncoder().encode(`${logs.small.finalRoot}\n`);
    return demo;
  },
});
/** The page's address (the server starts before the first test). */
const url = (file = '') => `${session.server.url}${file}`;

let page;

/** A tracker's log with `records` records, in `format`, and what the page should report. */
function trackerLog(records, { format = 'binary', seed } = {}) {
  const { storage, notes } = simulateTracker(bt, { records, parties: Math.max(20, records / 10), seed });
  const result = {
    bytes: storage.exportLog({ format }),
    records: storage.operations(),
    finalRoot: bt.toHex(storage.digest),
    notes,
  };
  storage.free();
  return result;
}

/** A fresh page at `width` px, loaded and with its worker ready; console errors are collected. */
async function openPage(width = 1100) {
  page = await session.open(width);
  return page;
}

const shot = (name) => session.shot(name);
const verdict = () => page.getByRole('status');
const settledVerdict = (timeout = 120_000) => settled(page, timeout);
const chooseLog = (name, bytes) => choose(page, name, bytes);
const figure = (name) => term(page, '#result-figures', name);

test('the page loads its worker and WebAssembly, with labelled inputs, on a desktop and a phone', async () => {
  for (const [width, name] of [[1100, 'start'], [390, 'start-phone']]) {
    await openPage(width);
    await assert.doesNotReject(page.getByLabel('Log file', { exact: true }).waitFor());
    for (const label of ['Log URL', 'Key length (bytes)', 'Expected final root (hex, optional)']) {
      assert.equal(await page.getByLabel(label).count(), 1, label);
    }
    assert.equal(await verdict().innerText(), 'No log verified yet.');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than a ${width}px screen`);
    await shot(name);
    await session.close();
  }
});

test('a good log gives the verdict with the record count and the final root', async () => {
  const log = logs.small;
  await openPage();
  await chooseLog('tracker.bin', log.bytes);
  const text = await settledVerdict();
  assert.match(text, /Log verified/);
  assert.match(text, /400 records/);
  assert.match(text, new RegExp(log.finalRoot));
  assert.equal(await figure('Log'), 'binary, keys of 32 bytes, values of any length, from the empty tree');
  assert.equal(await figure('Records'), '400');
  assert.equal(await figure('Sequence range'), '1 – 400');
  assert.match(await figure('Final root'), new RegExp(log.finalRoot));
  assert.match(await figure('Start root'), new RegExp(bt.toHex(bt.emptyDigest({ keyLength: 32 }))));
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy final root' }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), log.finalRoot);
  // The chart ends at the number of entries the tree holds.
  const description = await page.locator('#size-chart svg desc').textContent();
  assert.match(description, new RegExp(`After 400 records the tree holds ${log.notes.length} entries`));
  const mix = { insert: 0, update: 0, remove: 0 };
  for (const record of log.records) mix[record.type]++;
  const legend = await page.locator('#mix-chart .legend').innerText();
  for (const [type, n] of Object.entries(mix)) assert.match(legend, new RegExp(`${type}s ${n} \\(`), legend);
  await shot('verified');
  await page.setViewportSize({ width: 390, height: 900 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the verdict is ${overflow}px wider than a phone`);
  await shot('verified-phone');
});

test('an NDJSON log fetched from a URL verifies against the expected root', async () => {
  const log = logs.ndjson;
  await openPage();
  await page.getByLabel('Expected final root (hex, optional)').fill(log.finalRoot);
  await page.getByLabel('Log URL').fill(url('demo/ndjson.log'));
  await page.getByLabel('Log URL').press('Enter');
  const text = await settledVerdict();
  assert.match(text, /Log verified: 400 records .*final root equals the expected root/);
  assert.equal(await figure('Expected root'), 'matches the final root');
});

test('the demo log verifies against its root, and a log dropped on the page verifies', async () => {
  await openPage();
  await page.getByRole('button', { name: 'Verify the demo log' }).click();
  const text = await settledVerdict();
  assert.match(text, /Log verified: 400 records .*final root equals the expected root/);
  assert.equal(await page.getByLabel('Expected final root (hex, optional)').inputValue(), logs.small.finalRoot);

  await page.getByLabel('Expected final root (hex, optional)').fill('');
  const dropped = await page.evaluateHandle((base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], 'dropped.ndjson'));
    return transfer;
  }, Buffer.from(logs.ndjson.bytes).toString('base64'));
  await page.locator('#drop-zone').dispatchEvent('drop', { dataTransfer: dropped });
  assert.equal(await page.locator('#progress-source').textContent(), 'dropped.ndjson');
  assert.match(await settledVerdict(), new RegExp(`Log verified: 400 records .*${logs.ndjson.finalRoot}`));
});

test('a log verified with nothing from the chain says that nothing vouches for its end', async () => {
  // The first 250 records of a good log: every one of them checks out.
  const cut = bt.encodeLog(logs.small.records.slice(0, 250), { keyLength: 32 });
  for (const width of [1100, 390]) {
    await openPage(width);
    await dropLog('cut.bin', cut);
    const text = await settledVerdict();
    assert.match(text, /Log verified: 250 records/);
    assert.match(text, /Not checked against the chain: .*nothing vouches for the end of the log.*cut short between two records/, text);
    assert.ok(await verdict().evaluate((box) => box.classList.contains('unanchored')), 'the verdict is marked unanchored');
    assert.match(await figure('Expected root'), /none given: nothing vouches for the end of the log/);
    await shot(width === 390 ? 'unanchored-phone' : 'unanchored');
    await session.close();
  }
  // With the root on chain, the same log is refused; the whole log verifies with no caveat.
  await openPage();
  await page.getByLabel('Expected final root (hex, optional)').fill(logs.small.finalRoot);
  await dropLog('cut.bin', cut);
  assert.match(await settledVerdict(), /EXPECTED_ROOT_MISMATCH/);
  await dropLog('whole.bin', logs.small.bytes);
  const whole = await settledVerdict();
  assert.match(whole, /Log verified: 400 records/);
  assert.doesNotMatch(whole, /Not checked against the chain/);
  assert.ok(!(await verdict().evaluate((box) => box.classList.contains('unanchored'))));
});

test('a rejected log says in words what went wrong where no record is at fault, and shows a record refused whole, decoded', async () => {
  const log = logs.small;
  await openPage();
  // Cut short, against the root on chain: every record replayed, the end is not the committed one.
  await page.getByLabel('Expected final root (hex, optional)').fill(log.finalRoot);
  await dropLog('cut.bin', bt.encodeLog(log.records.slice(0, 250), { keyLength: 32 }));
  const cut = await settledVerdict();
  assert.match(cut, /Log rejected: EXPECTED_ROOT_MISMATCH\. All 250 records replayed, but the log does not end at the expected root/, cut);
  assert.doesNotMatch(cut, /before it/);
  assert.equal(await figure('Records replayed'), '250');
  await shot('rejected-cut');
  await page.getByLabel('Expected final root (hex, optional)').fill('');
  // A tail without the snapshot it continues from: which record it continues after, and what to do.
  await dropLog('tail.bin', bt.encodeLog(log.records.slice(250), { keyLength: 32 }));
  assert.match(await settledVerdict(), /Log rejected: LOG_SEQUENCE/);
  const tail = await page.locator('#mismatch').innerText();
  assert.match(tail, /To verify it\s+choose the snapshot of the tracker’s checkpoint at record 250 under Start from a snapshot/, tail);
  await shot('rejected-tail');
  // A value over the cap on a log's values: the record is shown decoded, from the error.
  const big = new bt.TreeStorage({ keyLength: 32 });
  big.insert(bt.noteKey('01', '02'), new Uint8Array(100_000).fill(7), { timestamp: 1n });
  await dropLog('big-value.bin', big.exportLog());
  big.free();
  assert.match(await settledVerdict(), /Log rejected: VALUE_LENGTH at record 1/);
  const record = await page.locator('#failing-record').innerText();
  assert.match(record, /Sequence\s+1/);
  assert.match(record, /Operation\s+insert/);
  assert.doesNotMatch(record, /do not decode/, record);
  assert.match(record, /Value\s+0707070707[0-9a-f]*… \(100,000 bytes\)/, 'a long value is cut');
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(height < 6000, `the page is ${height}px tall`);
  const mismatch = await page.locator('#mismatch').innerText();
  assert.match(mismatch, /Value in the log\s+100,000 bytes/, mismatch);
  assert.match(mismatch, /Longest value read\s+65,536 bytes/, mismatch);
  await shot('rejected-value-cap');
});

/** Drops a file on the page's drop zone, as a user dragging it from the desktop. */
async function dropLog(name, bytes) {
  const dropped = await page.evaluateHandle(
    ([file, base64]) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], file));
      return transfer;
    },
    [name, Buffer.from(bytes).toString('base64')],
  );
  await page.locator('#drop-zone').dispatchEvent('drop', { dataTransfer: dropped });
}

/** A reserve tree's log: 32-byte keys and 8-byte values, `records` inserts and some updates. */
function fixedLog(records) {
  const storage = new bt.TreeStorage({ keyLength: 32, valueLength: 8 });
  for (let i = 1; i <= records; i++) storage.insert(bt.noteKey(new Uint8Array([i & 0xff, i >> 8]), new Uint8Array([9])), bt.debtValue(BigInt(i)), { timestamp: BigInt(i) });
  for (let i = 1; i <= records; i += 7) storage.update(bt.noteKey(new Uint8Array([i & 0xff, i >> 8]), new Uint8Array([9])), bt.debtValue(BigInt(10 * i)), { timestamp: BigInt(records + i) });
  const log = { bytes: storage.exportLog(), records: storage.operations().length, finalRoot: bt.toHex(storage.digest) };
  storage.free();
  return log;
}

test('a log of 32-byte keys and 8-byte values dropped on the default form verifies: the shape is the log\'s own', async () => {
  const log = fixedLog(120);
  await openPage();
  await dropLog('reserve.bin', log.bytes);
  const text = await settledVerdict();
  assert.match(text, new RegExp(`Log verified: ${log.records} records`), text);
  assert.equal(await figure('Log'), 'binary, keys of 32 bytes, values of 8 bytes, from the empty tree');
  assert.match(await figure('Final root'), new RegExp(log.finalRoot));
  // Lookups and proofs use the log's shape too.
  await page.getByLabel('Key (hex)', { exact: true }).fill(bt.toHex(bt.noteKey(new Uint8Array([9, 0]), new Uint8Array([9]))));
  await page.getByRole('button', { name: 'Look up' }).click();
  await page.locator('#lookup-result.ok').waitFor();
  assert.match(await page.locator('#lookup-result').innerText(), /= debt 9\b/);
  await shot('verified-fixed-shape');
});

test('a shape the user sets is an assertion: a log of another shape is refused, both shapes explained in words', async () => {
  const log = fixedLog(30);
  await openPage();
  await page.getByLabel('Value length (bytes', { exact: false }).fill('any');
  await dropLog('reserve.bin', log.bytes);
  assert.match(await settledVerdict(), /Log rejected: SHAPE_MISMATCH/);
  const mismatch = await page.locator('#mismatch').innerText();
  assert.match(mismatch, /The log’s header says\s+keys of 32 bytes, values of 8 bytes/);
  assert.match(mismatch, /You asked for\s+keys of 32 bytes, values of any length/);
  await shot('rejected-asserted-shape');
  // Cleared, the form takes the log's shape again.
  await page.getByLabel('Value length (bytes', { exact: false }).fill('');
  await dropLog('reserve.bin', log.bytes);
  assert.match(await settledVerdict(), /Log verified: 35 records/);
});

test('inputs that are not valid are refused before anything is verified', async () => {
  await openPage();
  const alert = page.getByRole('alert');
  await page.getByLabel('Expected final root (hex, optional)').fill('12zz');
  await chooseLog('tracker.bin', logs.small.bytes);
  assert.match(await alert.innerText(), /expected root must be 33 bytes in hex/);
  await page.getByLabel('Expected final root (hex, optional)').fill('');
  await page.getByLabel('Key length (bytes)').fill('0');
  await chooseLog('tracker.bin', logs.small.bytes);
  assert.match(await alert.innerText(), /Key length must be a whole number of bytes from 1 to 1024/);
  await page.getByLabel('Key length (bytes)').fill('');
  await page.getByLabel('Value length (bytes', { exact: false }).fill('eight');
  await chooseLog('tracker.bin', logs.small.bytes);
  assert.match(await alert.innerText(), /Value length must be a whole number of bytes, “any”/);
  await page.getByLabel('Value length (bytes', { exact: false }).fill('');
  await page.getByLabel('Log URL').fill('ftp://tracker.example/log.bin');
  await page.getByRole('button', { name: 'Fetch and verify' }).click();
  assert.match(await alert.innerText(), /http or https URL/);
  assert.equal(await verdict().innerText(), 'No log verified yet.');
  await shot('invalid-input');
  // Corrected, the same file verifies and the message goes.
  await chooseLog('tracker.bin', logs.small.bytes);
  assert.match(await settledVerdict(), /Log verified: 400 records/);
  assert.equal(await alert.isHidden(), true);
});

test('a log URL that cannot be fetched is reported as such, not as a bad log', async () => {
  await openPage();
  session.expected = [/404/];
  await page.getByLabel('Log URL').fill(url('demo/missing.log'));
  await page.getByRole('button', { name: 'Fetch and verify' }).click();
  assert.equal(await settledVerdict(), 'Could not read the log: the server answered 404 Not Found');
  assert.equal(await page.locator('#result').isHidden(), true);
  assert.ok(session.problems.some((p) => /HTTP 404: .*missing\.log/.test(p)), 'the 404 was seen');
});

test('a tampered log shows the failing record: code, sequence, offset, expected and logged values', async () => {
  const log = logs.small;
  const records = log.records.map((r) => ({ ...r }));
  const forged = records.findIndex((r, i) => i >= 150 && r.type === 'update');
  records[forged].value = bt.debtValue(1n);
  const sequence = records[forged].sequenceNumber;
  await openPage();
  await chooseLog('forged.bin', bt.encodeLog(records, { keyLength: 32 }));
  const text = await settledVerdict();
  assert.match(text, new RegExp(`Log rejected: ROOT_AFTER_MISMATCH at record ${sequence}\\b`));
  assert.match(text, new RegExp(`The ${forged} records before it verified`));
  assert.equal(await figure('Error code'), 'ROOT_AFTER_MISMATCH');
  assert.equal(await figure('Sequence number'), String(sequence));
  const offset = Number((await figure('Byte offset')).replace(/,/g, ''));
  assert.ok(offset > 63, `byte offset ${offset}`);
  const mismatch = await page.locator('#mismatch').innerText();
  assert.match(mismatch, new RegExp(bt.toHex(records[forged].rootAfter)), 'the logged root after is shown');
  const record = await page.locator('#failing-record').innerText();
  assert.match(record, new RegExp(`Sequence\\s+${sequence}`));
  assert.match(record, /Operation\s+update/);
  assert.match(record, /0000000000000001 = debt 1/);
  assert.match(record, new RegExp(bt.toHex(records[forged].key)));
  assert.equal(await page.locator('#tree-section').isHidden(), true, 'no lookups in a rejected log');
  await shot('rejected');
  await page.setViewportSize({ width: 390, height: 900 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the failing record is ${overflow}px wider than a phone`);
  await shot('rejected-phone');
});

test('a corrupt byte, a gap in the sequence and a wrong expected root are each reported', async () => {
  const log = logs.small;
  await openPage();

  const corrupt = Uint8Array.from(log.bytes);
  corrupt[Math.floor(corrupt.length / 2)] ^= 0x40;
  await chooseLog('corrupt.bin', corrupt);
  assert.match(await settledVerdict(), /Log rejected: LOG_CORRUPT at record \d+ \(byte [\d,]+\)/);
  assert.match(await page.locator('#failing-record').innerText(), /do not decode as a record/);
  await shot('rejected-corrupt');

  const gap = log.records.filter((r) => r.sequenceNumber !== 200n);
  await chooseLog('gap.bin', bt.encodeLog(gap, { keyLength: 32 }));
  assert.match(await settledVerdict(), /Log rejected: LOG_SEQUENCE at record 201\b/);
  assert.match(await page.locator('#mismatch').innerText(), /201[\s\S]*200/);

  // A log of another shape than the one asserted in the form: the log's own header is shown
  // beside the error, and both shapes in words.
  await page.getByLabel('Value length (bytes', { exact: false }).fill('8');
  await chooseLog('tracker.bin', log.bytes);
  assert.match(await settledVerdict(), /Log rejected: SHAPE_MISMATCH/);
  assert.equal(await figure('Log'), 'binary, keys of 32 bytes, values of any length, from the empty tree');
  assert.match(await page.locator('#mismatch').innerText(), /You asked for\s+keys of 32 bytes, values of 8 bytes/);
  assert.match(await page.locator('#failing-record').innerText(), /^The start of the log/);
  await shot('rejected-shape');
  await page.getByLabel('Value length (bytes', { exact: false }).fill('');

  await page.getByLabel('Expected final root (hex, optional)').fill(`${log.finalRoot.slice(0, -2)}07`);
  await chooseLog('tracker.bin', log.bytes);
  assert.match(await settledVerdict(), /Log rejected: EXPECTED_ROOT_MISMATCH/);
  assert.match(await page.locator('#mismatch').innerText(), new RegExp(log.finalRoot));
});

test('cancel stops a large verification, and the next one runs', async () => {
  await openPage();
  // Cancel is pressed at the first progress the page shows, on the page itself: a round trip from
  // the test would let a fast machine finish the log first.
  await page.evaluate(() => {
    const progress = document.getElementById('progress-text');
    new MutationObserver((_, observer) => {
      if (!/^[1-9][\d,]* records/.test(progress.textContent)) return;
      observer.disconnect();
      document.getElementById('cancel-button').click();
    }).observe(progress, { childList: true, characterData: true, subtree: true });
  });
  await page.getByLabel('Log URL').fill(url('demo/big.log'));
  await page.getByRole('button', { name: 'Fetch and verify' }).click();
  const text = await page.waitForFunction(() => {
    const box = document.querySelector('[role="status"]');
    return /cancelled/.test(box.textContent) && box.textContent;
  });
  const cancelledAt = Number((await text.jsonValue()).match(/after ([\d,]+) records/)[1].replace(/,/g, ''));
  assert.ok(cancelledAt < 60_000, `cancelled after ${cancelledAt} records`);
  assert.equal(await page.locator('#progress-section').isHidden(), true);
  await shot('cancelled');
  await chooseLog('tracker.bin', logs.small.bytes);
  assert.match(await settledVerdict(), /Log verified: 400 records/);
});

test('the main thread keeps running while a large log verifies', async () => {
  await openPage();
  // A timer and animation frames on the page's main thread, sampled during the verification.
  await page.evaluate(() => {
    const ticks = [];
    const frames = [];
    window.__ticks = ticks;
    window.__frames = frames;
    setInterval(() => ticks.push(performance.now()), 20);
    const frame = (t) => {
      frames.push(t);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  const started = await page.evaluate(() => performance.now());
  await page.getByLabel('Log URL').fill(url('demo/big.log'));
  await page.getByRole('button', { name: 'Fetch and verify' }).click();
  const midway = page.waitForFunction(() => /^[1-9][\d,]* records/.test(document.getElementById('progress-text').textContent));
  await midway;
  await shot('progress');
  // Typing goes through while the worker verifies (in a field on screen then: the replayed tree's
  // are hidden until the verdict).
  const typed = page.getByLabel('Proven key (hex)');
  await typed.pressSequentially('abc');
  assert.equal(await typed.inputValue(), 'abc');
  assert.equal(await page.locator('#progress-section').isVisible(), true, 'typed while the log was verifying');
  const text = await settledVerdict(300_000);
  assert.match(text, /Log verified: 60,000 records/);
  assert.match(text, new RegExp(logs.big.finalRoot));
  const { ticks, frames, ended } = await page.evaluate(() => ({ ticks: window.__ticks, frames: window.__frames, ended: performance.now() }));
  const during = (list) => list.filter((t) => t > started && t < ended);
  const biggestGap = (list) => list.reduce((gap, t, i) => (i ? Math.max(gap, t - list[i - 1]) : gap), 0);
  const span = ended - started;
  for (const [name, list] of [['timer', during(ticks)], ['animation frames', during(frames)]]) {
    assert.ok(list.length >= 10, `${name}: ${list.length} callbacks in ${Math.round(span)} ms`);
    // A blocked main thread would show one gap as long as the verification itself.
    assert.ok(biggestGap(list) < span / 3, `${name}: a ${Math.round(biggestGap(list))} ms gap in ${Math.round(span)} ms`);
  }
  const progressUpdates = await page.evaluate(() => document.getElementById('progress-text').textContent);
  assert.ok(progressUpdates.length > 0);
  await shot('verified-large');
});

test('lookups by key or by public keys, and the snapshot, come from the replayed tree', async () => {
  const log = logs.small;
  const note = log.notes[3];
  await openPage();
  await chooseLog('tracker.bin', log.bytes);
  assert.match(await settledVerdict(), /Log verified/);

  // By the parties' public keys: the key is blake2b256(issuer ‖ recipient).
  await page.getByLabel('Issuer public key (hex)').fill(bt.toHex(note.issuer));
  await page.getByLabel('Recipient public key (hex)').fill(bt.toHex(note.recipient));
  await page.getByRole('button', { name: 'Look up' }).click();
  const answer = page.locator('#lookup-result');
  await answer.getByText('= debt').waitFor();
  const found = await answer.innerText();
  assert.match(found, new RegExp(bt.toHex(note.key)));
  assert.match(found, new RegExp(`${bt.toHex(bt.debtValue(note.debt))} = debt ${note.debt.toLocaleString('en-US')}`));
  await shot('lookup');

  // By key; a key that is not in the tree.
  await page.getByLabel('Key (hex)', { exact: true }).fill(bt.toHex(log.notes[0].key));
  await page.getByRole('button', { name: 'Look up' }).click();
  await answer.getByText(`debt ${log.notes[0].debt.toLocaleString('en-US')}`).waitFor();
  await page.getByLabel('Key (hex)', { exact: true }).fill('ab'.repeat(32));
  await page.getByRole('button', { name: 'Look up' }).click();
  await answer.getByText('not in the tree').waitFor();

  const [snapshotDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download a snapshot of the tree' }).click()]);
  const restored = bt.Tree.fromSnapshot(fs.readFileSync(await snapshotDownload.path()));
  assert.equal(bt.toHex(restored.digest), log.finalRoot);
  assert.equal(restored.size, log.notes.length);
  assert.deepEqual(restored.get(note.key), bt.debtValue(note.debt));
});

test('a log that continues from a tracker snapshot verifies from it', async () => {
  const log = logs.small;
  // The tracker's state after record 250 (a TreeStorage snapshot carries its sequence number).
  const head = bt.TreeStorage.recover({ keyLength: 32 }, log.records.slice(0, 250));
  const snapshot = head.snapshot();
  head.free();
  const tail = bt.encodeLog(log.records.slice(250), { keyLength: 32 });
  await openPage();

  // Without the snapshot the tail does not start from the empty tree.
  await chooseLog('tail.bin', tail);
  assert.match(await settledVerdict(), /Log rejected/);

  await page.getByLabel('Start from a snapshot (optional)').setInputFiles({ name: 'tracker-250.snap', mimeType: 'application/octet-stream', buffer: Buffer.from(snapshot) });
  await chooseLog('tail.bin', tail);
  const text = await settledVerdict();
  assert.match(text, new RegExp(`Log verified: 150 records \\(sequence 251–400\\).*${log.finalRoot}`));
  assert.equal(await figure('Started from'), 'the snapshot tracker-250.snap');
  const description = await page.locator('#size-chart svg desc').textContent();
  assert.match(description, new RegExp(`After 150 records the tree holds ${log.notes.length} entries`));
  await shot('verified-from-snapshot');

  // Cleared, the tail is refused again.
  await page.getByRole('button', { name: 'Clear' }).click();
  await chooseLog('tail.bin', tail);
  assert.match(await settledVerdict(), /Log rejected/);

  // The page's own snapshot of a verified head carries its last sequence number, so it starts
  // the verification of the tail.
  const headLog = bt.encodeLog(log.records.slice(0, 250), { keyLength: 32 });
  await chooseLog('head.bin', headLog);
  assert.match(await settledVerdict(), /Log verified: 250 records/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download a snapshot of the tree' }).click()]);
  const verifier = new bt.LogVerifier({ keyLength: 32, start: fs.readFileSync(await download.path()), expectRoot: log.finalRoot });
  verifier.push(tail);
  const report = verifier.finish();
  verifier.free();
  assert.equal(report.firstSequence, 251n);
  assert.equal(bt.toHex(report.finalRoot), log.finalRoot);
});

test('a stateless check verifies a log whose records carry proofs, and refuses a forged proof', async () => {
  const { storage } = simulateTracker(bt, { records: 300, parties: 40, seed: 5, withProofs: true });
  const records = storage.operations();
  const finalRoot = bt.toHex(storage.digest);
  storage.free();
  await openPage();
  await page.getByLabel('Stateless: check each record by its own proof').check();
  await chooseLog('proofs.bin', bt.encodeLog(records, { keyLength: 32 }));
  const text = await settledVerdict();
  assert.match(text, new RegExp(`Log verified: 300 records \\(sequence 1–300\\), every record’s proof checked.*${finalRoot}`));
  assert.equal(await figure('Tree'), 'none kept (stateless check)');
  assert.equal(await page.locator('#tree-section').isHidden(), true);
  await shot('verified-stateless');

  const forged = records.map((r) => ({ ...r }));
  const proof = Uint8Array.from(forged[199].proof);
  proof[proof.length - 3] ^= 0x10;
  forged[199].proof = proof;
  await chooseLog('forged-proof.bin', bt.encodeLog(forged, { keyLength: 32 }));
  assert.match(await settledVerdict(), /Log rejected: PROOF_INVALID at record 200\b/);
  assert.match(await page.locator('#failing-record').innerText(), /Proof\s+[\d,]+ bytes/);
});

test('a lookup proof downloads, verifies in Node, and the page checks it and refuses a forged one', async () => {
  const log = logs.small;
  const note = log.notes[3];
  await openPage();
  await chooseLog('tracker.bin', log.bytes);
  assert.match(await settledVerdict(), /Log verified/);
  await page.getByLabel('Key (hex)', { exact: true }).fill(bt.toHex(note.key));
  await page.getByRole('button', { name: 'Look up' }).click();
  const answer = page.locator('#lookup-result');
  await answer.getByText('Download the lookup proof').waitFor();

  const [proofDownload] = await Promise.all([page.waitForEvent('download'), answer.getByRole('button', { name: 'Download the lookup proof' }).click()]);
  const bundle = JSON.parse(fs.readFileSync(await proofDownload.path(), 'utf8'));
  assert.equal(bundle.digest, log.finalRoot);
  assert.equal(bundle.key, bt.toHex(note.key));
  const checked = bt.verifyProof({ digest: bundle.digest, proof: bundle.proof, operations: [{ type: 'lookup', key: bundle.key }], keyLength: 32 });
  assert.deepEqual(checked.results, [bt.debtValue(note.debt)]);

  // The downloaded proof, pasted into the checker; then the same proof with a byte changed.
  await page.getByLabel('Digest (hex)').fill(log.finalRoot);
  await page.getByLabel('Proof (hex, or the JSON of a downloaded proof)').fill(JSON.stringify(bundle));
  await page.getByRole('button', { name: 'Check proof' }).click();
  const verdictOfProof = page.locator('#proof-result');
  await verdictOfProof.getByText('Valid proof').waitFor();
  assert.match(await verdictOfProof.innerText(), new RegExp(`debt ${note.debt.toLocaleString('en-US')}`));
  await shot('proof-valid');

  const proof = bt.fromHex(bundle.proof);
  proof[proof.length >> 1] ^= 1;
  await page.getByLabel('Proven key (hex)').fill(bundle.key);
  await page.getByLabel('Proof (hex, or the JSON of a downloaded proof)').fill(bt.toHex(proof));
  await page.getByRole('button', { name: 'Check proof' }).click();
  await verdictOfProof.getByText('Invalid proof').waitFor();
  assert.match(await verdictOfProof.innerText(), /PROOF_INVALID/);
  await shot('proof-invalid');
});

test('the page is usable with the keyboard alone', async () => {
  await openPage();
  await page.getByLabel('Log URL').focus();
  await page.keyboard.type(url('demo/small.log'));
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter'); // "Fetch and verify"
  assert.match(await settledVerdict(), /Log verified: 400 records/);
  await page.getByLabel('Key (hex)', { exact: true }).focus();
  await page.keyboard.type(bt.toHex(logs.small.notes[0].key));
  await page.keyboard.press('Enter');
  await page.locator('#lookup-result').getByText('= debt').waitFor();
});
