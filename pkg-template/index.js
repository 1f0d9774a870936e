// The web entry (browsers, Web Workers, bundlers): `import init, * as bt from 'basis-trees'`,
// then `await init()` (or `initSync({ module })` with a compiled WebAssembly.Module).
import init, * as raw from './basis_trees.js';
import { createApi } from './api.js';

export { initSync } from './basis_trees.js';
export { init };
export const {
  Tree,
  TreeStorage,
  LogVerifier,
  LogDecoder,
  toHex,
  fromHex,
  noteKey,
  debtValue,
  emptyDigest,
  verifyProof,
  verifyRecordProof,
  encodeLog,
  decodeLog,
  verifyLog,
  verifyLogStream,
  avlTreeFromRegister,
  trackerCommitment,
  parseCommitments,
  parseCommitment,
  decodeDebt,
  isBasisTreeError,
} = createApi(raw);
export default init;
