// The page's ReplayLedger (www/replay-ledger.js) in Node with the built package, fed exactly as the
// worker feeds it: every slice to the ledger, then to a LogVerifier. Whatever the slice size, its
// chart must count every verified record and operation, and after a failure it must decode the
// failing record from the bytes it held.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ReplayLedger } from '../../www/replay-ledger.js';
import { loadPackage, simulateTracker } from '../../scripts/demo-log.mjs';

const bt = loadPackage();
const SLICES = [1, 7, 64, 333, 4096, Infinity];

/** Feeds `bytes` in `size`-byte slices; returns the ledger, the verifier's error if any and its last progress. */
function replay(bytes, size) {
  const ledger = new ReplayLedger(bt);
  const verifier = new bt.LogVerifier({ keyLength: 32 });
  let error = null;
  try {
    for (let at = 0; at < bytes.length; at += Math.min(size, bytes.length)) {
      const slice = bytes.subarray(at, at + size);
      ledger.received(slice);
      verifier.push(slice);
      ledger.verifiedUpTo(Number(verifier.progress().bytes));
    }
    verifier.finish();
  } catch (err) {
    error = err;
  }
  ledger.verifiedUpTo(Number(verifier.progress().bytes));
  verifier.free();
  return { ledger, error };
}

const { storage, notes } = simulateTracker(bt, { records: 120, parties: 30, seed: 3 });
const records = storage.operations();
const mix = { insert: 0, update: 0, remove: 0 };
for (const r of records) mix[r.type]++;

for (const format of ['binary', 'ndjson']) {
  test(`the chart counts every record of a good ${format} log, whatever the slices`, () => {
    const bytes = bt.encodeLog(records, { keyLength: 32 }, { format });
    for (const size of SLICES) {
      const { ledger, error } = replay(bytes, size);
      assert.equal(error, null, `slices of ${size}: ${error && error.message}`);
      const chart = ledger.chart();
      assert.equal(chart.records, 120, `slices of ${size}`);
      assert.deepEqual(chart.mix, mix, `slices of ${size}`);
      assert.deepEqual(chart.points[chart.points.length - 1], [120, notes.length], `slices of ${size}`);
    }
  });

  test(`a forged ${format} record is decoded from the bytes held, whatever the slices`, () => {
    const forged = records.map((r) => ({ ...r }));
    const at = forged.findIndex((r, i) => i > 60 && r.type === 'update');
    forged[at].value = bt.debtValue(7n);
    const bytes = bt.encodeLog(forged, { keyLength: 32 }, { format });
    for (const size of SLICES) {
      const { ledger, error } = replay(bytes, size);
      assert.equal(error && error.code, 'ROOT_AFTER_MISMATCH', `slices of ${size}`);
      const found = ledger.recordAt(error.offset);
      assert.ok(found && found.record, `slices of ${size}: ${JSON.stringify(found)}`);
      assert.equal(found.record.sequence, String(forged[at].sequenceNumber));
      assert.equal(found.record.value, bt.toHex(bt.debtValue(7n)));
      assert.equal(found.record.key, bt.toHex(forged[at].key));
      assert.equal(ledger.chart().records, at, `slices of ${size}: only the records before it count`);
    }
  });
}

test('bytes that are not a log are shown from their start', () => {
  const { ledger, error } = replay(new TextEncoder().encode('PK\u0003\u0004 not a log at all'), 5);
  assert.equal(error.code, 'LOG_CORRUPT');
  const found = ledger.recordAt(error.offset);
  assert.equal(found.inHeader, true);
  assert.match(found.raw, /^504b0304/);
  assert.equal(ledger.chart(), null);
});
