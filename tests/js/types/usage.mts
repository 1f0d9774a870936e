// Type-checked with `tsc --strict` against the installed package's index.d.ts (tests/js/types.test.mjs).
import init, * as bt from 'basis-trees';
import type { AvlTree, BasisTreeError, LogReport, TrackerCommitment, TreeOperation, VerifiedBatch } from 'basis-trees';
import { init as namedInit, isBasisTreeError, parseCommitment, type ParsedCommitment } from 'basis-trees';

export async function usage(logBytes: Uint8Array, stream: ReadableStream<Uint8Array>): Promise<string> {
  await init();
  const t = new bt.Tree({ keyLength: 32, valueLength: 8 });
  const key: Uint8Array = bt.noteKey(new Uint8Array(33), 'ab'.repeat(33));
  t.insert(key, bt.debtValue(100n));
  const old: Uint8Array = t.update(key, bt.debtValue(250n));
  const maybe: Uint8Array | undefined = t.get(key);
  const digest: Uint8Array = t.digest;
  const size: number = t.size + t.height;
  const proof: Uint8Array = t.proveLookup([key]);
  const batch = t.prove([{ type: 'lookup', key }, { type: 'insertOrUpdate', key, value: bt.debtValue(1n) }]);
  const verified: VerifiedBatch = bt.verifyProof({
    digest: batch.digestBefore,
    proof: batch.proof,
    operations: [{ type: 'lookup', key }],
    keyLength: 32,
    valueLength: 8,
  });
  const restored: bt.Tree = bt.Tree.fromSnapshot(t.snapshot());
  restored.free();
  {
    using scoped = new bt.Tree();
    scoped.insert(key, '00');
  }

  const s = new bt.TreeStorage({ keyLength: 32, withProofs: true });
  const record: TreeOperation = s.insert(key, bt.debtValue(1n), { timestamp: 1767225600000n });
  const sequence: bigint = record.sequenceNumber;
  const log: Uint8Array = s.exportLog({ format: 'ndjson' });
  const decoded = bt.decodeLog(bt.encodeLog(s.operations(), { keyLength: 32 }, { format: 'binary' }));
  const records: TreeOperation[] = decoded.records;
  const format: 'binary' | 'ndjson' = decoded.format;
  const decoder = new bt.LogDecoder();
  const some: TreeOperation[] = decoder.push(log).concat(decoder.finish());
  const startSequence: bigint | undefined = decoder.header?.start?.sequence;
  const snap: Uint8Array | undefined = s.checkpointSnapshot(s.checkpoint().id);
  const resumed = bt.TreeStorage.recoverFromSnapshot(s.snapshot(), s.exportLog({ from: 2n }));
  bt.verifyRecordProof(record, { keyLength: 32 });

  const report: LogReport = bt.verifyLog(logBytes, {
    keyLength: 32,
    expectRoot: digest,
    onProgress: ({ records, bytes }) => void (records + bytes),
  });
  const streamed: LogReport = await bt.verifyLogStream(stream, { signal: AbortSignal.timeout(1000) });
  const v = new bt.LogVerifier({ keyLength: 32 });
  v.push(logBytes);
  const final: bigint = v.finish().lastSequence;
  const tree: bt.Tree | undefined = v.tree();

  // The chain: a tracker's box as JSON (text, bytes or parsed), its R5 register, commitments.
  const box: TrackerCommitment = bt.trackerCommitment('{"additionalRegisters": {}}');
  const onChain: AvlTree = bt.avlTreeFromRegister('64' + '00'.repeat(33) + '032000');
  const valueLength: number | null = onChain.valueLength;
  const boxId: Uint8Array | undefined = box.boxId;
  const verifiedId: boolean = box.boxIdVerified;
  const earlier = bt.parseCommitments('# oldest first');
  const checked: LogReport = bt.verifyLog(logBytes, { expectRoot: box, commitments: [digest, onChain, box, ...earlier] });
  const at: bigint | undefined = checked.commitments[0]?.sequence;
  bt.trackerCommitment({ additionalRegisters: { R5: { serializedValue: '64' } } });

  try {
    t.insert(key, old);
  } catch (err) {
    const e = err as BasisTreeError;
    if (e.code === 'KEY_EXISTS' && e.sequence === undefined) return e.message;
    if (e.code === 'COMMITMENT_MISSING' && e.index !== undefined && e.seenAt !== undefined) return e.message;
  }
  // The error narrowed by its guard and its code: each code's fields have their own types.
  try {
    bt.verifyLog(logBytes);
  } catch (err) {
    if (!isBasisTreeError(err)) throw err;
    if (err.code === 'ROOT_AFTER_MISMATCH') return bt.toHex(err.expected) + bt.toHex(err.actual);
    if (err.code === 'LOG_SEQUENCE') return (err.expected - err.actual).toString();
    if (err.code === 'SHAPE_MISMATCH') return String(err.expected.keyLength);
    if (err.code === 'INVALID_ARGUMENT') return err.argument;
    if (err.code === 'KEY_EXISTS') return bt.toHex(err.key);
  }
  await namedInit();
  const pasted: ParsedCommitment = parseCommitment(' 0xab\n');
  const streamedWith = await bt.verifyLogStream(stream, { keepTree: true, expectRoot: pasted, onRecord: (r: TreeOperation) => void r.sequenceNumber });
  streamedWith.tree.free();
  const anchor: 'none' | 'digest' | 'tree' | 'box' = streamedWith.anchor;
  const debt: bigint = bt.decodeDebt(old);
  // A verifier holds its tree unless it is stateless.
  const held: bt.Tree = new bt.LogVerifier({ expectRoot: pasted }).tree();
  const perhaps: bt.Tree | undefined = new bt.LogVerifier({ stateless: Math.random() > 0.5 }).tree();
  void [held, perhaps];
  void [anchor, debt];
  // What the package returns is a Uint8Array of its own ArrayBuffer: the DOM takes it as it is
  // (TypeScript 5.7 and later tell an ArrayBuffer's bytes from a SharedArrayBuffer's).
  const download = new Blob([t.snapshot(), s.exportLog()]);
  const served = new Response(s.exportLog());
  const hashed: Promise<ArrayBuffer> = crypto.subtle.digest('SHA-256', t.digest);
  const own: ArrayBuffer = bt.fromHex('00').buffer;
  void [download, served, hashed, own, record.key.buffer satisfies ArrayBuffer, report.finalRoot.buffer satisfies ArrayBuffer];
  return [format, some, startSequence, snap, resumed.lastSequence, bt.toHex(proof), maybe, size, verified.digest, sequence, log, records, report, streamed, final, tree, bt.initSync, valueLength, boxId, verifiedId, at].join();
}
