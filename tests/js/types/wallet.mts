// The wallet's declarations as a wallet uses them: reports typed, the wallet's error codes narrowed.
import * as bt from 'basis-trees';
import type { BasisTreeError, Check, NoteReport, RedemptionReport, TrackerProofReport } from 'basis-trees';

declare const note: string;
declare const box: string;
declare const answer: object;
const secret: Uint8Array = crypto.getRandomValues(new Uint8Array(32));
const issuer: Uint8Array = bt.publicKey(secret);
const signature: Uint8Array = bt.signNote(secret, { recipient: issuer, totalDebt: 2n ** 64n - 1n, timestamp: 1 });
const message: Uint8Array = bt.noteMessage({ issuer, recipient: issuer, totalDebt: 1, timestamp: 1n });
const { valid, onChain }: { valid: boolean; onChain: boolean } = bt.verifySignature(issuer, message, signature);
const report: NoteReport = bt.verifyNote(note, { tracker: box, trackerSignature: signature });
const statuses: Array<'passed' | 'failed' | 'notChecked'> = report.checks.map((check: Check) => check.status);
const proof: TrackerProofReport = bt.verifyTrackerProof(answer, { tracker: bt.parseCommitment(box), note });
const debt: bigint = proof.totalDebt;
const redemption: RedemptionReport = bt.checkRedemption({ trackerBox: box, reserveBox: box, note, amount: 1n, height: 100 });
const most: bigint = redemption.maxRedeemable;
const newDigest: Uint8Array | undefined = redemption.reserveUpdate?.newDigest;
try {
  bt.readNote(note);
} catch (err) {
  if (bt.isBasisTreeError(err)) {
    const e: BasisTreeError = err;
    if (e.code === 'NOTE_KEY_MISMATCH') {
      const expected: Uint8Array | undefined = e.expected;
      console.log(expected);
    }
    if (e.code === 'NOTE_INVALID' || e.code === 'TRACKER_ANSWER_INVALID' || e.code === 'DEBT_VALUE_INVALID') console.log(e.message);
  }
}
// @ts-expect-error the entropy is never the caller's
bt.signNote(secret, message, new Uint8Array(32));
// @ts-expect-error a tracker proof needs the tracker on chain
bt.verifyTrackerProof(answer, {});
console.log(valid, onChain, statuses, debt, most, newDigest);
