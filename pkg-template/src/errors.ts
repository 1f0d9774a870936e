// The errors the package throws: one `Error` named 'BasisTreeError' with a `code`, whose fields
// are narrowed by that code (a discriminated union), and the guard that tells them apart.
import type { ByteArray, ReportedShape, TreeOperation } from './types.js';

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
  | 'COMMITMENT_MISSING'
  | 'NOTE_INVALID'
  | 'TRACKER_ANSWER_INVALID'
  | 'NOTE_KEY_MISMATCH'
  | 'DEBT_VALUE_INVALID';

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
  /**
   * The line (from 1) at fault, where the input has lines: a commitment of `parseCommitments`, a
   * record (or the header, line 1) of an NDJSON log. The message does not repeat it.
   */
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
  code: 'PROOF_INVALID' | 'SNAPSHOT_INVALID' | 'LOG_CORRUPT' | 'OPERATION_FAILED' | 'ABORTED' | 'OUT_OF_MEMORY' | 'BOX_INVALID' | 'NOTE_INVALID' | 'TRACKER_ANSWER_INVALID';
}

/** A tracker's proof of a key other than the note's (`expected` the note's key), or a value that is not its 8-byte debt (`value`). */
export interface WalletProofError extends BasisTreeErrorFields {
  code: 'NOTE_KEY_MISMATCH' | 'DEBT_VALUE_INVALID';
  expected?: ByteArray;
  actual?: ByteArray;
  value?: ByteArray;
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
  | WalletProofError
  | OtherBasisTreeError;

/** Whether `value` is an error this package throws (`name` 'BasisTreeError', a `code`). */
export function isBasisTreeError(value: unknown): value is BasisTreeError {
  return value instanceof Error && value.name === 'BasisTreeError' && typeof (value as { code?: unknown }).code === 'string';
}

/** A `BasisTreeError`: an `Error` with `name`, `code` and the given fields. */
export function basisError(code: ErrorCode, message: string, fields?: object, cause?: unknown): BasisTreeError {
  const error = (cause === undefined ? new Error(message) : new Error(message, { cause })) as BasisTreeError;
  error.name = 'BasisTreeError';
  error.code = code;
  if (fields) Object.assign(error, fields);
  return error;
}

/** `INVALID_ARGUMENT`: `problem` is a predicate on `argument` ("must be an array"). */
export function invalidArgument(argument: string, problem: string, cause?: unknown): BasisTreeError {
  return basisError('INVALID_ARGUMENT', `${argument} ${problem}`, { argument }, cause);
}
