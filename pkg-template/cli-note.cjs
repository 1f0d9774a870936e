'use strict';
// `basis-trees note NOTE.json [--tracker-box BOX.json] [--tracker-signature FILE|HEX]
// [--proof ANSWER.json] [--json]`: a Basis note checked as a wallet checks it (docs/NOTES.md),
// a verdict per check. Exit 0 when no check failed, 1 when one did (or the note does not read),
// 2 for a usage error; a check the arguments cannot decide is reported not checked.

const SYNOPSIS = `note NOTE.json [--tracker-box BOX.json] [--tracker-signature FILE|HEX]
                         [--proof ANSWER.json] [--json]`;

const HELP = `note     checks a Basis note (JSON, as the tracker serves it): the issuer's signature; the
         tracker's signature (--tracker-signature: 65 bytes in hex, or a file of the tracker's
         /tracker/signature answer or the hex), by the key in R4 of --tracker-box; the tracker's
         lookup proof (--proof: its /tracker/proof answer) against the digest in R5 of
         --tracker-box, never the digest the answer claims. A verdict per check; exit 0 when
         none failed, 1 when one did`;

/** `run(args)` of the note command, given the command line's tools. */
function noteCommand({ bt, readFile, UsageError, plain }) {
  const readJson = (path, slot) => readFile(path, slot, 'box', ['box', 'hex']).toString('utf8');
  return async function note(args) {
    if (args.positionals.length !== 1) throw new UsageError('note needs one NOTE.json');
    const path = args.positionals[0];
    const noteText = readJson(path, null);
    const box = args.trackerBox === undefined ? undefined : readJson(args.trackerBox, '--tracker-box');
    let signature;
    if (args.trackerSignature !== undefined) {
      const hex = args.trackerSignature.trim().replace(/^0x/i, '');
      signature = /^[0-9a-fA-F]{130}$/.test(hex) ? hex : readJson(args.trackerSignature, '--tracker-signature').trim();
    }
    const answer = args.proof === undefined ? undefined : readJson(args.proof, '--proof');
    const options = {};
    if (box !== undefined) options.tracker = box;
    if (signature !== undefined) options.trackerSignature = signature;
    const report = bt.verifyNote(noteText, options);
    const checks = report.checks.map(({ name, status, detail }) => ({ name, status, detail }));
    let proof;
    if (answer === undefined) {
      checks.push({ name: 'trackerProof', status: 'notChecked', detail: "no --proof given: the tracker's tree on chain was not asked whether it holds the debt" });
    } else if (box === undefined) {
      checks.push({ name: 'trackerProof', status: 'notChecked', detail: 'the proof is checked against the digest on chain: give --tracker-box' });
    } else {
      try {
        proof = bt.verifyTrackerProof(answer, { tracker: box, note: noteText });
        const agrees = proof.digestAgrees === null ? 'the answer names no digest' : proof.digestAgrees ? "the answer's digest is the one on chain" : "the answer's digest is not the one on chain (a tracker ahead of its last commitment)";
        checks.push({ name: 'trackerProof', status: 'passed', detail: `the tracker's tree on chain holds a total debt of ${proof.totalDebt} for the note's key; ${agrees}` });
        if (proof.totalDebt !== report.note.totalDebt) {
          checks.push({ name: 'debtOnChain', status: 'failed', detail: `the note's total debt is ${report.note.totalDebt}, the tree on chain holds ${proof.totalDebt}` });
        }
      } catch (err) {
        if (!err || err.name !== 'BasisTreeError' || err.code === 'INVALID_ARGUMENT' || err.code === 'TRACKER_ANSWER_INVALID') {
          if (err && err.code === 'TRACKER_ANSWER_INVALID') throw new UsageError(`--proof ${args.proof}: ${err.message}`);
          throw err;
        }
        checks.push({ name: 'trackerProof', status: 'failed', detail: `${err.code}: ${err.message}` });
      }
    }
    const failed = checks.some((check) => check.status === 'failed');
    if (args.json) {
      const n = report.note;
      console.log(JSON.stringify({
        ok: !failed,
        checks,
        note: { key: plain(n.key), issuer: plain(n.issuer), recipient: plain(n.recipient), totalDebt: plain(n.totalDebt), amountRedeemed: plain(n.amountRedeemed), timestamp: plain(n.timestamp) },
        proof: proof && { key: plain(proof.key), totalDebt: plain(proof.totalDebt), digest: plain(proof.digest), digestAgrees: proof.digestAgrees },
      }));
    } else {
      console.log(`${failed ? 'FAILED' : 'OK'}  note ${bt.toHex(report.note.key)}: total debt ${report.note.totalDebt} at ${report.note.timestamp}`);
      const word = { passed: 'passed     ', failed: 'FAILED     ', notChecked: 'not checked' };
      for (const check of checks) console.log(`  ${word[check.status]}  ${check.name}: ${check.detail}`);
    }
    return failed ? 1 : 0;
  };
}

module.exports = { SYNOPSIS, HELP, noteCommand };
