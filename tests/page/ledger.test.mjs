// The page's ReplayLedger (www/replay-ledger.js) in Node with the built package, fed exactly as the
// worker feeds it: the chunks as they are read, then the records, the progress and the error of
// verifyLogStream. Whatever the chunks, its chart must count every verified record and operation,
// its header must be the log's, and after a failure it must show the failing record.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ReplayLedger } from '../../www/replay-ledger.js';
import { loadPackage, simulateTracker } from '../../scripts/demo-log.mjs';

const bt = loadPackage();
const SLICES = [1, 7, 64, 333, 4096, Infinity];

/** Verifies `bytes` in `size`-byte chunks as the worker does; returns the ledger and the error if any. */
async function replay(bytes, size) {
  const ledger = new ReplayLedger(bt);
  async function* chunks() {
    for (let at = 0; at < bytes.length; at += Math.min(size, bytes.length)) {
      const chunk = bytes.subarray(at, at + size);
      ledger.received(chunk);
      yield chunk;
    }
  }
  let error = null;
  try {
    await bt.verifyLogStream(chunks(), {
      keyLength: 32,
      onRecord: (record) => ledger.verified(record),
      onProgress: ({ bytes: verified }) => ledger.verifiedUpTo(verified),
    });
  } catch (err) {
    error = err;
  }
  return { ledger, error };
}

const { storage, notes } = simulateTracker(bt, { records: 120, parties: 30, seed: 3 });
const records = storage.operations();
const mix = { insert: 0, update: 0, remove: 0 };
for (const r of records) mix[r.type]++;

for (const format of ['binary', 'ndjson']) {
  test(`the chart counts every record of a good ${format} log, whatever the chunks`, async () => {
    const bytes = bt.encodeLog(records, { keyLength: 32 }, { format });
    for (const size of SLICES) {
      const { ledger, error } = await replay(bytes, size);
      assert.equal(error, null, `chunks of ${size}: ${error && error.message}`);
      const chart = ledger.chart();
      assert.equal(chart.records, 120, `chunks of ${size}`);
      assert.deepEqual(chart.mix, mix, `chunks of ${size}`);
      assert.deepEqual(chart.points[chart.points.length - 1], [120, notes.length], `chunks of ${size}`);
      const header = ledger.header();
      assert.deepEqual([header.format, header.shape], [format, { keyLength: 32, valueLength: null }]);
    }
  });

  test(`a forged ${format} record is shown, and only the records before it count, whatever the chunks`, async () => {
    const forged = records.map((r) => ({ ...r }));
    const at = forged.findIndex((r, i) => i > 60 && r.type === 'update');
    forged[at].value = bt.debtValue(7n);
    const bytes = bt.encodeLog(forged, { keyLength: 32 }, { format });
    for (const size of SLICES) {
      const { ledger, error } = await replay(bytes, size);
      assert.equal(error && error.code, 'ROOT_AFTER_MISMATCH', `chunks of ${size}`);
      const found = ledger.recordAt(error.offset, error.record);
      assert.ok(found && found.record, `chunks of ${size}: ${JSON.stringify(found)}`);
      assert.equal(found.record.sequence, String(forged[at].sequenceNumber));
      assert.equal(found.record.value, bt.toHex(bt.debtValue(7n)));
      assert.equal(found.record.key, bt.toHex(forged[at].key));
      assert.equal(ledger.chart().records, at, `chunks of ${size}: only the records before it count`);
    }
  });

  test(`bytes of a ${format} record that do not decode are shown raw from its offset`, async () => {
    const bytes = bt.encodeLog(records, { keyLength: 32 }, { format });
    const broken = bytes.slice();
    broken[broken.length - 30] ^= 0x01;
    for (const size of SLICES) {
      const { ledger, error } = await replay(broken, size);
      assert.ok(error, `chunks of ${size}`);
      const found = ledger.recordAt(error.offset, error.record);
      assert.ok(found, `chunks of ${size}`);
      if (found.raw !== undefined) {
        assert.equal(found.inHeader, undefined);
        assert.equal(found.offset, error.offset);
        assert.equal(found.raw, bt.toHex(broken.subarray(error.offset, error.offset + 256)));
      }
      assert.equal(ledger.chart().records, 119, `chunks of ${size}`);
    }
  });
}

test('bytes that are not a log are shown from their start', async () => {
  const { ledger, error } = await replay(new TextEncoder().encode('PK\u0003\u0004 not a log at all'), 5);
  assert.equal(error.code, 'LOG_CORRUPT');
  const found = ledger.recordAt(error.offset, error.record);
  assert.equal(found.inHeader, true);
  assert.match(found.raw, /^504b0304/);
  assert.equal(ledger.chart(), null);
  assert.equal(ledger.header(), undefined);
});
