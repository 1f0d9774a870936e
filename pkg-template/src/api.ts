// The package's API, the same for every entry: each name from the module that holds it.
export type {
  AvlTree,
  BatchProof,
  BoxJson,
  ByteArray,
  Bytes,
  Checkpoint,
  Commitment,
  InitInput,
  LogFormat,
  LogHeader,
  LogReport,
  Operation,
  ParsedCommitment,
  Progress,
  RecordLimitOptions,
  ReportedShape,
  TimestampOptions,
  TrackerCommitment,
  TreeOperation,
  TreeOperationInput,
  TreeShape,
  TreeStorageOptions,
  VerifiedBatch,
  VerifyLogOptions,
  VerifyLogStreamOptions,
  VerifyOptions,
  VerifyProofInput,
} from './types.js';
export type {
  BasisTreeError,
  BasisTreeErrorFields,
  CommitmentMissingError,
  DigestMismatchError,
  ErrorCode,
  InvalidArgumentError,
  KeyError,
  LengthError,
  LogSequenceError,
  OtherBasisTreeError,
  PreviousValueMismatchError,
  RegisterInvalidError,
  ShapeMismatchError,
  WalletProofError,
} from './errors.js';
export { isBasisTreeError } from './errors.js';
export { debtValue, decodeDebt, emptyDigest, fromHex, noteKey, toHex } from './bytes.js';
export { Tree } from './tree.js';
export { TreeStorage } from './storage.js';
export { LogDecoder, LogVerifier, decodeLog, encodeLog, verifyLog, verifyLogStream, type LogStreamReport } from './log.js';
export { verifyProof, verifyRecordProof } from './proof.js';
export { avlTreeFromRegister, parseCommitment, parseCommitments, trackerCommitment } from './chain.js';
export { checkRedemption, noteMessage, publicKey, readNote, readTrackerState, signNote, verifyNote, verifySignature, verifyTrackerProof } from './wallet.js';
export type * from './wallet.js';
