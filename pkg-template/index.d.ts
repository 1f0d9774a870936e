// Types of the basis-trees package, the same for every entry (Node CommonJS and ESM, browsers,
// Web Workers, bundlers). In Node the module is ready on load; `init()` / `initSync()` are no-ops
// there so that code written for the web entry runs unchanged.

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

/** Every error code a `BasisTreeError` can carry. */
export type ErrorCode =
  | 'KEY_LENGTH'
  | 'VALUE_LENGTH'
  | 'KEY_RESERVED'
  | 'KEY_EXISTS'
  | 'KEY_NOT_FOUND'
  | 'PROOF_INVALID'
  | 'SNAPSHOT_INVALID'
  | 'SHAPE_MISMATCH'
  | 'LOG_CORRUPT'
  | 'LOG_SEQUENCE'
  | 'ROOT_BEFORE_MISMATCH'
  | 'ROOT_AFTER_MISMATCH'
  | 'PREVIOUS_VALUE_MISMATCH'
  | 'OPERATION_FAILED'
  | 'EXPECTED_ROOT_MISMATCH'
  | 'ABORTED'
  | 'INVALID_ARGUMENT'
  | 'OUT_OF_MEMORY'
  | 'REGISTER_INVALID'
  | 'BOX_INVALID'
  | 'COMMITMENT_MISSING';

/**
 * What every function of the package throws: an `Error` whose `name` is `'BasisTreeError'`.
 * (There is no such class at run time; test `err.name === 'BasisTreeError'`.)
 *
 * `INVALID_ARGUMENT` is the caller's own mistake (a wrong type, bad hex, a digest of the wrong
 * length, an unknown option, an object used after `free()`); `OUT_OF_MEMORY` says the work would
 * need more memory than the instance can have (it was refused before it started, nothing
 * changed); every other code says what the data says. Mismatches carry what was expected and what was found, so that nobody parses a message:
 *
 * | code | `expected` | `actual` |
 * | --- | --- | --- |
 * | `ROOT_BEFORE_MISMATCH` | the tree's digest before the record | the record's `rootBefore` |
 * | `ROOT_AFTER_MISMATCH` | the digest after replaying the record | the record's `rootAfter` |
 * | `PREVIOUS_VALUE_MISMATCH` | the value the tree held (`undefined`: none) | the record's `previousValue` |
 * | `EXPECTED_ROOT_MISMATCH` | the `expectRoot` given | the log's final root |
 * | `LOG_SEQUENCE` | the sequence number due (bigint) | the one found |
 * | `KEY_LENGTH`, `VALUE_LENGTH` | the length the tree takes | the length given |
 * | `SHAPE_MISMATCH` | the shape asked for (or the on-chain tree's) | the shape of the data |
 * | `REGISTER_INVALID` of another type | the type code wanted (`0x64` AvlTree, `0x07` GroupElement) | the type code found |
 */
export interface BasisTreeErrorFields extends Error {
  name: 'BasisTreeError';
  code: ErrorCode;
  /** The sequence number of the log record the failure belongs to. */
  sequence?: bigint;
  /** For byte-level failures, the byte offset in the input (for bad hex, the character). */
  offset?: number;
  /** `INVALID_ARGUMENT`: the argument at fault, as the message names it: `'expectRoot'`, `'keys[2]'`, `'records[3].rootBefore'`, `'this'` (a freed object). */
  argument?: string;
  /** For a mismatch (see the table above): what was expected. */
  expected?: ByteArray | bigint | number | ReportedShape;
  /** For a mismatch: what was found. */
  actual?: ByteArray | bigint | number | ReportedShape;
  /** `KEY_EXISTS`, `KEY_NOT_FOUND`, `KEY_RESERVED`: the key. */
  key?: ByteArray;
  /** For a failing log record (replayed, or checked by its proof): the record, decoded. */
  record?: TreeOperation;
  /** `INVALID_ARGUMENT` raised by the caller's own code (a throwing getter): what it threw. */
  cause?: unknown;
  /** `REGISTER_INVALID` of a box's register: `'R4'` or `'R5'` (`offset` is then in the box's JSON text). */
  register?: string;
  /** `COMMITMENT_MISSING`: the commitment's place in the list, from 0. */
  index?: number;
  /** `COMMITMENT_MISSING`: the committed digest the log does not reach. */
  digest?: ByteArray;
  /** `COMMITMENT_MISSING`: the record after which the commitment before it was reached. */
  previous?: bigint;
  /** `COMMITMENT_MISSING`: the first record after which the tree had the digest, when it did, before `previous`: the list is out of order. */
  seenAt?: bigint;
  /** `parseCommitments`: the line (from 1) that does not read (the message does not repeat it). */
  line?: number;
}


/** A digest that differs from the one due: `expected` the digest due, `actual` the one found. */
export interface DigestMismatchError extends BasisTreeErrorFields {
  code: 'ROOT_BEFORE_MISMATCH' | 'ROOT_AFTER_MISMATCH' | 'EXPECTED_ROOT_MISMATCH';
  expected: ByteArray;
  actual: ByteArray;
}

/** A record's previous value that is not the value the tree held (`undefined`: none). */
export interface PreviousValueMismatchError extends BasisTreeErrorFields {
  code: 'PREVIOUS_VALUE_MISMATCH';
  expected: ByteArray | undefined;
  actual: ByteArray | undefined;
}

/** A sequence number that is not the one due. */
export interface LogSequenceError extends BasisTreeErrorFields {
  code: 'LOG_SEQUENCE';
  expected: bigint;
  actual: bigint;
}

/** A key or value of a length the tree does not take: `expected` the length (or limit) it takes. */
export interface LengthError extends BasisTreeErrorFields {
  code: 'KEY_LENGTH' | 'VALUE_LENGTH';
  expected: number;
  actual: number;
}

/** Data of another shape than the one asked for (or the on-chain tree's). */
export interface ShapeMismatchError extends BasisTreeErrorFields {
  code: 'SHAPE_MISMATCH';
  expected: ReportedShape;
  actual: ReportedShape;
}

/** A key that is there, is not, or may not be used. */
export interface KeyError extends BasisTreeErrorFields {
  code: 'KEY_EXISTS' | 'KEY_NOT_FOUND' | 'KEY_RESERVED';
  key: ByteArray;
}

/** The caller's own mistake, naming the argument at fault. */
export interface InvalidArgumentError extends BasisTreeErrorFields {
  code: 'INVALID_ARGUMENT';
  argument: string;
}

/** A register that is not the constant expected: of another type, `expected` / `actual` type codes. */
export interface RegisterInvalidError extends BasisTreeErrorFields {
  code: 'REGISTER_INVALID';
  expected?: number;
  actual?: number;
}

/** A commitment the log never reaches, in its place in the list. */
export interface CommitmentMissingError extends BasisTreeErrorFields {
  code: 'COMMITMENT_MISSING';
  index: number;
  digest: ByteArray;
}

/** The codes that carry no fields of their own. */
export interface OtherBasisTreeError extends BasisTreeErrorFields {
  code: 'PROOF_INVALID' | 'SNAPSHOT_INVALID' | 'LOG_CORRUPT' | 'OPERATION_FAILED' | 'ABORTED' | 'OUT_OF_MEMORY' | 'BOX_INVALID';
}

/**
 * What every function of the package throws, narrowed by `code`:
 * `if (err.code === 'ROOT_AFTER_MISMATCH') err.expected` is a `ByteArray`.
 */
export type BasisTreeError =
  | DigestMismatchError
  | PreviousValueMismatchError
  | LogSequenceError
  | LengthError
  | ShapeMismatchError
  | KeyError
  | InvalidArgumentError
  | RegisterInvalidError
  | CommitmentMissingError
  | OtherBasisTreeError;

/** Whether `value` is an error this package throws (`name` 'BasisTreeError', a `code`). */
export function isBasisTreeError(value: unknown): value is BasisTreeError;

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

/** The tree a serialized `AvlTree` constant (a box's R5 register) holds; `REGISTER_INVALID` for anything else. */
export function avlTreeFromRegister(register: Bytes): AvlTree;
/**
 * The tracker key (R4) and tree (R5) of a box as JSON, in either API shape; `BOX_INVALID`,
 * `REGISTER_INVALID`. A parsed object holding a whole number beyond 2^53 (which `JSON.parse`
 * rounded) is `INVALID_ARGUMENT`: give the text, or the number as a `bigint`.
 */
export function trackerCommitment(box: BoxJson): TrackerCommitment;
/**
 * What a pasted commitment is: a 33-byte digest or an `AvlTree` register (bytes or hex; `0x` and
 * surrounding whitespace taken), or a box as JSON (text, its bytes or the parsed object).
 */
export function parseCommitment(input: Bytes | BoxJson): ParsedCommitment;
/**
 * Commitments as pasted, oldest first: one a line (a digest or an R5 register in hex, or a box as
 * JSON on one line; blank lines and `#` comments skipped), or a JSON array of the same.
 */
export function parseCommitments(text: string): Array<ByteArray | AvlTree | TrackerCommitment>;

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

/** The in-memory authenticated AVL+ tree (prover side). */
export class Tree {
  constructor(shape?: TreeShape);
  /** 33 bytes: the root's blake2b256 label and the tree's height. */
  readonly digest: ByteArray;
  readonly size: number;
  readonly height: number;
  readonly shape: ReportedShape;
  get(key: Bytes): ByteArray | undefined;
  has(key: Bytes): boolean;
  /** Throws `KEY_EXISTS`. */
  insert(key: Bytes, value: Bytes): void;
  /** Returns the old value; throws `KEY_NOT_FOUND`. */
  update(key: Bytes, value: Bytes): ByteArray;
  insertOrUpdate(key: Bytes, value: Bytes): ByteArray | undefined;
  /** Returns the old value; throws `KEY_NOT_FOUND`. */
  remove(key: Bytes): ByteArray;
  removeIfExists(key: Bytes): ByteArray | undefined;
  /** One operation; returns the key's value before it. */
  apply(operation: Operation): ByteArray | undefined;
  /**
   * All operations or none. Fastest with `Uint8Array` keys and values of the tree's lengths
   * (the batch then reaches the module in one buffer).
   */
  applyAll(operations: Operation[]): (ByteArray | undefined)[];
  /** Every entry in key order. */
  entries(): [ByteArray, ByteArray][];
  /**
   * An independent copy. It shares the tree's memory until either side changes it: taking it
   * costs microseconds per million entries, and afterwards each side copies a page of 256 nodes
   * the first time it changes one the other still holds. `free()` it when done.
   */
  clone(): Tree;
  /** A proof of a batch of lookups; the tree is unchanged. */
  proveLookup(keys: Bytes[]): ByteArray;
  /** Applies `ops` (all or none) and proves them. */
  prove(ops: Operation[]): BatchProof;
  /**
   * Bytes that restore this exact tree (shape included). `sequence` is the log sequence number
   * the tree stands at (default 0), so that the snapshot can start verifying the log after it.
   */
  snapshot(options?: { sequence?: bigint | number }): ByteArray;
  /** Throws `SNAPSHOT_INVALID`. */
  static fromSnapshot(bytes: Bytes): Tree;
  free(): void;
  [Symbol.dispose](): void;
}

export interface TreeStorageOptions extends TreeShape {
  /** Every record also carries the proof of its operation against `rootBefore`. */
  withProofs?: boolean;
}

export interface TimestampOptions {
  /** Milliseconds; defaults to `Date.now()`. */
  timestamp?: bigint | number;
}

/** A tree plus its operation log, as the Basis tracker keeps them. */
export class TreeStorage {
  constructor(options?: TreeStorageOptions);
  /** Rebuilds a storage from its records, checking each; throws at the first bad one. */
  static recover(options: TreeStorageOptions | undefined, records: TreeOperationInput[]): TreeStorage;
  /** Throws `LOG_SEQUENCE` at sequence number 2^64 − 1, after which no record can follow. */
  insert(key: Bytes, value: Bytes, options?: TimestampOptions): TreeOperation;
  update(key: Bytes, value: Bytes, options?: TimestampOptions): TreeOperation;
  remove(key: Bytes, options?: TimestampOptions): TreeOperation;
  /** Appends a record made elsewhere after checking it. */
  append(record: TreeOperationInput): void;
  /** Appends all records or none. */
  appendBatch(records: TreeOperationInput[]): void;
  readonly digest: ByteArray;
  /**
   * A copy of the current tree (see `Tree.clone`: cheap to take; while it lives, the storage's
   * changes copy the pages it shares); changing it does not change the storage.
   */
  readonly tree: Tree;
  readonly shape: ReportedShape;
  readonly lastSequence: bigint;
  operations(fromSeq?: bigint | number, toSeq?: bigint | number): TreeOperation[];
  /**
   * Records a checkpoint; from then on the storage keeps each node it changes, the first time
   * after each checkpoint, so that `checkpointSnapshot` can write the tree as it was (memory in
   * proportion to the changes, not a copy of the tree). Throws `LOG_SEQUENCE` after checkpoint id
   * 2^64 − 1 (which a restored snapshot may carry).
   */
  checkpoint(options?: TimestampOptions): Checkpoint;
  checkpoints(): Checkpoint[];
  exportLog(options?: { from?: bigint | number; format?: LogFormat }): ByteArray;
  /** A snapshot of the current tree and sequence number, to resume from. */
  snapshot(): ByteArray;
  /** The snapshot of checkpoint `id`, or `undefined` when there is none. */
  checkpointSnapshot(id: bigint | number): ByteArray | undefined;
  /**
   * A storage restored from a checkpoint's snapshot, then the log after it replayed and checked
   * (its header as `LogVerifier` checks it: the snapshot's shape, sequence number and digest).
   */
  static recoverFromSnapshot(snapshot: Bytes, logTail: Uint8Array | ArrayBuffer | string, options?: RecordLimitOptions): TreeStorage;
  free(): void;
  [Symbol.dispose](): void;
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

/** `verifyLogStream`'s report: with `keepTree`, the replayed tree. */
export interface LogStreamReport extends LogReport {
  tree?: Tree;
}

/** Verifies a log pushed in chunks split anywhere. */
export class LogVerifier {
  constructor(options?: VerifyOptions);
  push(chunk: Uint8Array | ArrayBuffer | string): void;
  progress(): Progress;
  /** Throws if the log ends early or does not end at `expectRoot`. */
  finish(): LogReport;
  /** The replayed tree (a copy); `undefined` in stateless mode, which holds no tree. */
  tree(): Tree | undefined;
  /** The log's header, once its bytes have arrived. */
  readonly header: LogHeader | undefined;
  free(): void;
  [Symbol.dispose](): void;
}

/** Decodes a log from chunks split anywhere, without replaying it (no record is checked). */
export class LogDecoder {
  constructor(options?: RecordLimitOptions);
  /** Adds bytes and returns the records they complete; after `finish()`, `LOG_CORRUPT`. */
  push(chunk: Uint8Array | ArrayBuffer | string): TreeOperation[];
  /** Ends the input and returns the last records; throws `LOG_CORRUPT` if the log ends inside one. */
  finish(): TreeOperation[];
  progress(): Progress;
  readonly header: LogHeader | undefined;
  free(): void;
  [Symbol.dispose](): void;
}

/** `bytes` may also be NDJSON text. */
export function verifyLog(bytes: Uint8Array | ArrayBuffer | string, options?: VerifyLogOptions): LogReport;
/**
 * Verifies a log as it arrives, chunk by chunk (bytes already in memory: `verifyLog`). An error
 * of the source itself (a network error) is thrown as it is; stopping early stops the source.
 */
export function verifyLogStream(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: VerifyLogStreamOptions & { keepTree: true },
): Promise<LogStreamReport & { tree: Tree }>;
export function verifyLogStream(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options?: VerifyLogStreamOptions,
): Promise<LogStreamReport>;

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

/** Throws `PROOF_INVALID` for any proof that does not verify. */
export function verifyProof(input: VerifyProofInput): VerifiedBatch;

export function encodeLog(
  records: TreeOperationInput[],
  shape: TreeShape,
  options?: { format?: LogFormat },
): ByteArray;
/** Decodes a whole log (checking the encoding only; `verifyLog` checks the records). */
export function decodeLog(bytes: Uint8Array | ArrayBuffer | string, options?: RecordLimitOptions): LogHeader & { records: TreeOperation[] };
/** Checks a record by the proof it carries, with no tree; throws with the record's sequence. */
export function verifyRecordProof(record: TreeOperationInput, shape?: TreeShape): void;

export function toHex(bytes: Bytes): string;
export function fromHex(text: string): ByteArray;
/** The tracker tree's key of a note: blake2b256(issuer ‖ recipient). */
export function noteKey(issuer: Bytes, recipient: Bytes): ByteArray;
/** The tracker tree's value of a note: its total debt as 8 bytes big-endian. */
export function debtValue(totalDebt: bigint | number): ByteArray;
/** The debt of a note's value: 8 bytes big-endian (`debtValue`'s inverse), else `INVALID_ARGUMENT`. */
export function decodeDebt(bytes: Bytes): bigint;
/** The digest of an empty tree of `shape`. */
export function emptyDigest(shape?: TreeShape): ByteArray;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/** Loads the WebAssembly module (web entry); a no-op in Node. Also the default export. */
export function init(options?: { module_or_path?: InitInput | Promise<InitInput> }): Promise<unknown>;
export default init;
/** Instantiates synchronously from a compiled module or its bytes (web entry); a no-op in Node. */
export function initSync(options?: { module: BufferSource | WebAssembly.Module }): unknown;
