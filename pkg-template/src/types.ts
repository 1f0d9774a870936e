// The data the API takes and gives: shapes, records, commitments, options and reports. Types
// only: this module holds no code.

/** Bytes in: a `Uint8Array` (a Node `Buffer` too) or a hex string. Out: `ByteArray`. */
export type Bytes = Uint8Array | string;

/**
 * Bytes out: a fresh `Uint8Array` over an `ArrayBuffer` of its own (never shared), so that the
 * DOM (`Blob`, `Response`, `crypto.subtle`) takes it as it is. (`Uint8Array<ArrayBuffer>` from
 * TypeScript 5.7 on, a plain `Uint8Array` before.)
 */
export type ByteArray = ReturnType<Uint8Array['slice']>;

/** The shape of a tree. No `valueLength` (or `null`) means values of any length. */
export interface TreeShape {
  keyLength: number;
  valueLength?: number | null;
}

/** The shape as the package reports it: `valueLength` is `null` for values of any length. */
export interface ReportedShape {
  keyLength: number;
  valueLength: number | null;
}

/** An `AvlTree` as Ergo holds it in a register (a tracker box's R5): `avlTreeFromRegister`. */
export interface AvlTree {
  /** The 33-byte digest: the root's label and the tree's height. */
  digest: ByteArray;
  keyLength: number;
  /** `null`: values of any length. */
  valueLength: number | null;
  /** The operations a contract may apply on chain (flags 0x01, 0x02, 0x04). */
  insertAllowed: boolean;
  updateAllowed: boolean;
  removeAllowed: boolean;
}

/** What a tracker's commitment box holds: `trackerCommitment`. */
export interface TrackerCommitment {
  /** The box's id: recomputed from the box when the JSON has all of its contents, else as given. */
  boxId?: ByteArray;
  /** Whether `boxId` was recomputed from the box's contents (a `boxId` given had to match it). */
  boxIdVerified: boolean;
  creationHeight?: number;
  /** R4: the tracker's public key, a 33-byte compressed secp256k1 point (absent when read from R5 alone). */
  trackerKey?: ByteArray;
  /** R5: the tracker's tree. */
  tree: AvlTree;
}

/** A pasted commitment as `parseCommitment` reads it. */
export interface ParsedCommitment {
  /** What was pasted: a digest, an `AvlTree` register (R5), or a box as JSON. */
  kind: 'digest' | 'register' | 'box';
  /** The 33-byte digest it commits to. */
  digest: ByteArray;
  /** The tree's shape (a register's or a box's; a digest has none). */
  shape?: { keyLength: number; valueLength: number | null };
  /** The tree the register holds (a register's or a box's). */
  tree?: AvlTree;
  /** The box's commitment, as `trackerCommitment` gives it (a box's). */
  box?: TrackerCommitment;
}

/** An on-chain commitment: a 33-byte digest, a tree, a tracker's box as read, or a parsed commitment. */
export type Commitment = Bytes | AvlTree | TrackerCommitment | ParsedCommitment;

/** A box as JSON, as a node (`/utxo/byId/…`) or an explorer (`/api/v1/boxes/…`) serves it. */
export type BoxJson = string | Uint8Array | object;

/** One operation of a batch: `value` is required for `insert`, `update` and `insertOrUpdate`. */
export type Operation =
  | { type: 'lookup' | 'remove' | 'removeIfExists'; key: Bytes }
  | { type: 'insert' | 'update' | 'insertOrUpdate'; key: Bytes; value: Bytes };

/** A log record: the Basis tracker's `TreeOperation`. */
export interface TreeOperation {
  sequenceNumber: bigint;
  type: 'insert' | 'update' | 'remove';
  timestamp: bigint;
  key: ByteArray;
  /** For inserts and updates. */
  value?: ByteArray;
  /** For updates and removes. */
  previousValue?: ByteArray;
  /** 33 bytes. */
  rootBefore: ByteArray;
  /** 33 bytes. */
  rootAfter: ByteArray;
  /** The proof of the operation against `rootBefore` (storages created `withProofs`). */
  proof?: ByteArray;
}

/** A record given to the package: bytes may be hex strings, numbers may be plain integers. */
export interface TreeOperationInput {
  sequenceNumber: bigint | number;
  type: 'insert' | 'update' | 'remove';
  timestamp: bigint | number;
  key: Bytes;
  value?: Bytes;
  previousValue?: Bytes;
  rootBefore: Bytes;
  rootAfter: Bytes;
  proof?: Bytes;
}

export interface BatchProof {
  proof: ByteArray;
  digestBefore: ByteArray;
  digestAfter: ByteArray;
  /** Per operation: the value the key had before it (for a lookup, the value it has). */
  results: (ByteArray | undefined)[];
}

export interface Checkpoint {
  /** 1 for a storage's first checkpoint, then one more each time (a u64, hence a bigint). */
  id: bigint;
  /** The sequence number of the last record included. */
  sequence: bigint;
  timestamp: bigint;
  treeRoot: ByteArray;
  nodeCount: number;
}

export type LogFormat = 'binary' | 'ndjson';

/** What a log declares in its first bytes. */
export interface LogHeader {
  format: LogFormat;
  shape: ReportedShape;
  /** For a log that continues from a checkpoint: the state before its first record. */
  start?: { sequence: bigint; root: ByteArray };
}

export interface TreeStorageOptions extends TreeShape {
  /** Every record also carries the proof of its operation against `rootBefore`. */
  withProofs?: boolean;
}

export interface TimestampOptions {
  /** Milliseconds; defaults to `Date.now()`. */
  timestamp?: bigint | number;
}

/**
 * How much of one record a log reader accepts (it checks before buffering the record). The
 * defaults follow from the log's shape: values of the fixed length, or for values of any length at
 * most 64 KiB; records of at most what such values and the proof of one operation make (for
 * 32-byte keys and 8-byte values, 17,927 bytes; with 64 KiB values, 411,095). A value beyond the
 * cap is `VALUE_LENGTH`, a record beyond the limit `LOG_CORRUPT`.
 */
export interface RecordLimitOptions {
  /** The cap on values of a variable-length tree, 1 to 16,777,216 bytes (default 65,536). */
  maxValueLength?: number;
  /** The limit of a binary record, 1 to 67,108,864 bytes (an NDJSON line: twice that plus 64 KiB). */
  maxRecordLength?: number;
}

export interface VerifyOptions extends RecordLimitOptions {
  /**
   * The shape is the one the log's header declares (or the `start` snapshot's). `keyLength` and
   * `valueLength`, when given, are asserted of it (`SHAPE_MISMATCH`, with both shapes as
   * `expected` / `actual`); `valueLength: null` asserts values of any length.
   */
  keyLength?: number;
  valueLength?: number | null;
  /**
   * The root the log must end at: the digest committed on chain, or the tree (`avlTreeFromRegister`)
   * or tracker box (`trackerCommitment`) it was read from — then the log must also be of that
   * tree's shape.
   */
  expectRoot?: Commitment;
  /**
   * The tracker's earlier commitments, oldest first: each must be the tree's root after some
   * record (or at the start), in this order, else `COMMITMENT_MISSING`. The report says where.
   */
  commitments?: Commitment[];
  /** Check each record with its own proof against `rootBefore`, holding no tree. */
  stateless?: boolean;
  /** A snapshot to start from (`TreeStorage.checkpointSnapshot`): the log continues it. */
  start?: Bytes;
  /** In stateless mode, the state to start from instead of the empty tree. */
  startAt?: { sequence: bigint | number; root: Bytes };
}

export interface Progress {
  records: number;
  bytes: number;
}

export interface VerifyLogOptions extends VerifyOptions {
  onProgress?: (progress: Progress) => void;
}

export interface VerifyLogStreamOptions extends VerifyLogOptions {
  /**
   * Called with each verified record, in order, between two slices (never while the module is
   * running: it may call the package). Records are decoded only when it is given.
   */
  onRecord?: (record: TreeOperation) => void;
  /** The report also holds the replayed `tree`, which the caller owns and frees (not with `stateless`). */
  keepTree?: boolean;
  /**
   * Aborting rejects with a `BasisTreeError` of code `ABORTED` (its `cause` the signal's reason)
   * at once, even while the source is silent, and stops the source (a stream is cancelled).
   */
  signal?: AbortSignal;
}

export interface LogReport {
  operations: number;
  firstSequence: bigint;
  lastSequence: bigint;
  startRoot: ByteArray;
  finalRoot: ByteArray;
  /** Where each of `options.commitments` was reached: the record after which the tree had its digest. */
  commitments: { digest: ByteArray; sequence: bigint }[];
  /** What the final root was checked against: nothing, a digest, a tree (a register) or a tracker's box. */
  anchor: 'none' | 'digest' | 'tree' | 'box';
}

export interface VerifyProofInput {
  /** The digest, or a commitment holding it (then its shape is the proof's unless given). */
  digest: Commitment;
  proof: Bytes;
  operations: Operation[];
  keyLength?: number;
  valueLength?: number | null;
}

export interface VerifiedBatch {
  /** The digest after the operations. */
  digest: ByteArray;
  results: (ByteArray | undefined)[];
}

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

