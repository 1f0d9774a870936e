import * as bt from '/node_modules/basis-trees/index.js';

const secret = () => crypto.getRandomValues(new Uint8Array(32));

function checks() {
  let onChain = 0;
  let distinct = 0;
  for (let i = 0; i < 500; i++) {
    const issuerSecret = secret();
    const issuer = bt.publicKey(issuerSecret);
    const recipient = bt.publicKey(secret());
    const totalDebt = new DataView(secret().buffer).getBigUint64(0);
    const note = { recipient, totalDebt, timestamp: BigInt(i) };
    const signature = bt.signNote(issuerSecret, note);
    if (bt.verifySignature(issuer, bt.noteMessage({ issuer, ...note }), signature).onChain) onChain++;
    if (bt.toHex(bt.signNote(issuerSecret, note)) !== bt.toHex(signature)) distinct++;
  }
  const issuerSecret = secret();
  const trackerSecret = secret();
  const issuer = bt.publicKey(issuerSecret);
  const recipient = bt.publicKey(secret());
  const totalDebt = 2n ** 63n + 5n;
  const timestamp = 1_700_000_000_000n;
  const message = bt.noteMessage({ issuer, recipient, totalDebt, timestamp });
  const note = `{"issuer_pubkey":"${bt.toHex(issuer)}","recipient_pubkey":"${bt.toHex(recipient)}","amount_collected":${totalDebt},"amount_redeemed":0,"timestamp":${timestamp},"signature":"${bt.toHex(bt.signNote(issuerSecret, message))}"}`;
  const key = bt.noteKey(issuer, recipient);
  const tree = new bt.Tree({ keyLength: 32 });
  const older = tree.digest;
  tree.insert(key, bt.debtValue(totalDebt));
  const box = `{"ergoTree":"00","creationHeight":100,"value":1000000,"assets":[],"additionalRegisters":{"R4":"07${bt.toHex(bt.publicKey(trackerSecret))}","R5":"64${bt.toHex(tree.digest)}032000"}}`;
  const answer = `{"key":"${bt.toHex(key)}","value":"${bt.toHex(bt.debtValue(totalDebt))}","proof":"${bt.toHex(tree.proveLookup([key]))}","total_debt":${totalDebt}}`;
  const report = bt.verifyNote(note, { tracker: box, trackerSignature: bt.signNote(trackerSecret, message) });
  const proved = bt.verifyTrackerProof(answer, { tracker: box, note });
  let olderCode;
  try {
    bt.verifyTrackerProof(answer, { tracker: older });
  } catch (err) {
    olderCode = err.code;
  }
  return { onChain, distinct, passed: report.passed, statuses: report.checks.map((c) => c.status), totalDebt: String(proved.totalDebt), olderCode };
}

self.onmessage = (event) => {
  bt.initSync({ module: event.data });
  try {
    self.postMessage(checks());
  } catch (err) {
    self.postMessage({ failed: String((err && err.stack) || err) });
  }
};
