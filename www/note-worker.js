// The "Check a note" part's worker: the package's wallet checks, off the page's thread. Answers
// `{ note, trackerBox, trackerSignature, proof }` (texts as pasted) with a verdict per check.
import init, * as bt from './pkg/index.js';

const ready = init();

/** `{ name, status, detail }` of the tracker's proof against the box on chain. */
function proofCheck(proof, trackerBox, note) {
  if (!proof) return { name: 'trackerProof', status: 'notChecked', detail: 'no proof answer was pasted: the tree on chain was not asked whether it holds the debt' };
  if (!trackerBox) return { name: 'trackerProof', status: 'notChecked', detail: "the proof is checked against the digest on chain: paste the tracker's box above" };
  try {
    const report = bt.verifyTrackerProof(proof, { tracker: trackerBox, note });
    const agrees = report.digestAgrees === false ? "; the answer's digest is not the one on chain (a tracker ahead of its last commitment)" : '';
    return { name: 'trackerProof', status: 'passed', detail: `the tracker's tree on chain holds a total debt of ${report.totalDebt} for this note${agrees}`, totalDebt: String(report.totalDebt) };
  } catch (err) {
    if (err && err.name === 'BasisTreeError' && err.code !== 'INVALID_ARGUMENT' && err.code !== 'TRACKER_ANSWER_INVALID') {
      return { name: 'trackerProof', status: 'failed', detail: `${err.code}: ${err.message}` };
    }
    throw err;
  }
}

function check({ note, trackerBox, trackerSignature, proof }) {
  const options = {};
  if (trackerBox) options.tracker = trackerBox;
  if (trackerSignature) options.trackerSignature = trackerSignature;
  const report = bt.verifyNote(note, options);
  const checks = report.checks.map(({ name, status, detail }) => ({ name, status, detail }));
  const onChain = proofCheck(proof, trackerBox, note);
  checks.push(onChain);
  if (onChain.totalDebt !== undefined && onChain.totalDebt !== String(report.note.totalDebt)) {
    checks.push({ name: 'debtOnChain', status: 'failed', detail: `the note says ${report.note.totalDebt}, the tree on chain holds ${onChain.totalDebt}` });
  }
  return {
    key: bt.toHex(report.note.key),
    totalDebt: String(report.note.totalDebt),
    timestamp: String(report.note.timestamp),
    checks,
  };
}

self.onmessage = async (event) => {
  await ready;
  try {
    self.postMessage({ ok: true, result: check(event.data) });
  } catch (err) {
    self.postMessage({ ok: false, code: err && err.code, message: String((err && err.message) || err) });
  }
};
