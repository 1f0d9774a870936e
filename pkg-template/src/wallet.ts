// A Basis wallet's checks: notes' Schnorr signatures, the tracker's answers and proofs, and a
// redemption as the reserve contract judges it (docs/NOTES.md). Every argument is made inert here
// before the module reads it; the module reads JSON documents from their text, so that numbers
// beyond 2^53 stay exact. A parsed object is written back as text only when it holds no whole
// number that JSON.parse may have rounded.
import { inert, jsonText } from './boundary.js';
import { PASTED_HEX } from './bytes.js';
import { commitmentParts } from './chain.js';
import { parseCommitment } from './chain.js';
import { invalidArgument } from './errors.js';
import { glue } from './glue.js';
import { freshEntropy } from './random.js';
import type { AvlTree, BoxJson, ByteArray, Bytes, Commitment, TrackerCommitment } from './types.js';

/** A note's fields as `noteMessage` takes them. */
export interface NoteFields {
  /** The issuer's public key: a 33-byte compressed secp256k1 point. */
  issuer: Bytes;
  /** The recipient's public key. */
  recipient: Bytes;
  /** The cumulative debt of issuer to recipient (a bigint, or a safe integer). */
  totalDebt: bigint | number;
  /** Milliseconds since the Unix epoch. */
  timestamp: bigint | number;
}

/** What `signNote` signs: a note's fields (its issuer, when given, must be the secret's key) or its 48-byte message. */
export type NoteToSign = (Omit<NoteFields, 'issuer'> & { issuer?: Bytes }) | Bytes;

/**
 * A note: its JSON text as the tracker serves it (bare, or in its `{ success, data, error }`
 * envelope; a string or UTF-8 bytes), that JSON parsed (no number beyond 2^53), or the object
 * `readNote` returns.
 */
export type NoteInput = string | Uint8Array | object;

/** A tracker's JSON answer: its text, or the object it parses to (no number beyond 2^53). */
export type AnswerInput = string | Uint8Array | object;

/** The tracker on chain: its box (JSON), its R5 register, a tree, a digest, or a `parseCommitment` result. */
export type TrackerInput = BoxJson | Commitment;

/** A signature check: `valid` the equation, `onChain` also the contract's top-bit rule. */
export interface SignatureCheck {
  valid: boolean;
  onChain: boolean;
}

/** One check of a report. */
export interface Check {
  name: string;
  status: 'passed' | 'failed' | 'notChecked';
  detail: string;
}

/** A note as read. */
export interface Note {
  issuer: ByteArray;
  recipient: ByteArray;
  totalDebt: bigint;
  /** The tracker's word: nothing signs it. */
  amountRedeemed: bigint;
  timestamp: bigint;
  signature: ByteArray;
  /** blake2b256(issuer ‖ recipient): the note's key in the tracker's and the reserve's trees. */
  key: ByteArray;
  /** The 48 bytes its signatures sign. */
  message: ByteArray;
}

/** `readTrackerState`: what the tracker says of its commitments. */
export interface TrackerState {
  localDigest: ByteArray;
  confirmedDigest?: ByteArray;
  confirmedBoxId?: ByteArray;
  confirmedHeight?: bigint;
  pendingDigest?: ByteArray;
  pendingTxId?: ByteArray;
  pendingSubmittedHeight?: bigint;
  trackerBoxId?: ByteArray;
}

export interface VerifyNoteOptions {
  /** The tracker's box (its R4 is the tracker's key: the chain's word). */
  tracker?: TrackerInput;
  /** The tracker's key, given: the caller's word. */
  trackerKey?: Bytes;
  /** 65 bytes (or hex), or the tracker's `/tracker/signature` answer. */
  trackerSignature?: Bytes | AnswerInput;
}

/** `verifyNote`'s report: `passed` when no check failed (read each check: a `notChecked` one proves nothing). */
export interface NoteReport {
  passed: boolean;
  /** `issuerSignature`, `trackerSignature`. */
  checks: Check[];
  key: ByteArray;
  message: ByteArray;
  issuerSignature: SignatureCheck;
  trackerSignature?: SignatureCheck;
  note: Note;
}

export interface VerifyTrackerProofOptions {
  /** The tracker on chain: the proof is checked against its digest, never the answer's. */
  tracker: TrackerInput;
  /** The note whose key the proof must be of (`NOTE_KEY_MISMATCH`). */
  note?: NoteInput;
}

/** `verifyTrackerProof`'s report. */
export interface TrackerProofReport {
  key: ByteArray;
  /** The debt the on-chain tree holds for the key. */
  totalDebt: bigint;
  /** The on-chain digest the proof was checked against. */
  digest: ByteArray;
  /** The digest the answer claims. */
  trackerStateDigest?: ByteArray;
  /** Whether the answer's digest is the one on chain (`null`: the answer gave none). */
  digestAgrees: boolean | null;
}

export interface RedemptionInput {
  trackerBox: BoxJson;
  reserveBox: BoxJson;
  note: NoteInput;
  /** 65 bytes (or hex), or the tracker's `/tracker/signature` answer; without it the emergency path decides. */
  trackerSignature?: Bytes | AnswerInput;
  /** The lookup proof's bytes (or hex), or the tracker's `/tracker/proof` answer. */
  trackerProof?: Bytes | AnswerInput;
  /** A lookup proof of the note's key in the reserve's tree, or the tracker's `/reserve/proof` answer. */
  reserveProof?: Bytes | AnswerInput;
  amount: bigint | number;
  /** The chain's height. */
  height: number | bigint;
}

/** The reserve tree's update a redemption transaction needs. */
export interface ReserveUpdate {
  /** timestamp ‖ redeemed + amount. */
  value: ByteArray;
  /** The `insertOrUpdate` proof (context variable 5). */
  proof: ByteArray;
  /** The digest the reserve output's R5 must hold. */
  newDigest: ByteArray;
  /** Whether the transaction must carry the reserve lookup proof (variable 7). */
  needsLookupProof: boolean;
}

/** `checkRedemption`'s report: each condition of basis.es passed, failed or not checked. */
export interface RedemptionReport {
  redeemable: boolean;
  maxRedeemable: bigint;
  conditions: Check[];
  key: ByteArray;
  totalDebt?: bigint;
  alreadyRedeemed?: bigint;
  storedTimestamp?: bigint;
  trackerBoxAge?: number;
  reserveUpdate?: ReserveUpdate;
  trackerBox: TrackerCommitment & { nftId?: ByteArray };
  reserveBox: {
    ownerKey: ByteArray;
    tree: AvlTree;
    trackerNftId: ByteArray;
    refundHeight?: bigint;
    value?: bigint;
    boxId?: ByteArray;
    boxIdVerified: boolean;
    boxIdUnverified?: string;
  };
}

/** The module's wallet exports, called with inert arguments only. */
interface WalletGlue {
  noteMessage(note: unknown): Uint8Array;
  verifySignature(publicKey: unknown, message: unknown, signature: unknown): SignatureCheck;
  publicKey(secretKey: unknown): Uint8Array;
  signNote(secretKey: unknown, note: unknown, entropy: unknown): Uint8Array;
  readNote(json: unknown): Note;
  readTrackerState(json: unknown): TrackerState;
  verifyNote(note: unknown, options: unknown): NoteReport;
  verifyTrackerProof(answer: unknown, options: unknown): TrackerProofReport;
  checkRedemption(redemption: unknown): RedemptionReport;
}

const wallet = (): WalletGlue => glue as unknown as WalletGlue;

/** A copy as plain data: `undefined` for an absent optional, else `inert`. */
const copy = (value: unknown, name: string): any => inert(value, name);

/** Whether an inert copy is a plain object (not bytes, not an array). */
function isRecord(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !(value instanceof Uint8Array) && !Array.isArray(value);
}

/** Hex of an inert key or signature field, for a note written back as JSON. */
function hexField(value: unknown, name: string): string {
  if (value instanceof Uint8Array) {
    let hex = '';
    for (let i = 0; i < value.length; i++) hex += (value[i] < 16 ? '0' : '') + value[i].toString(16);
    return hex;
  }
  const digits = typeof value === 'string' ? PASTED_HEX.exec(value) : null;
  if (digits === null) throw invalidArgument(name, 'must be a Uint8Array or a hex string');
  return digits[1];
}

/** A whole number field as JSON digits: a bigint, or a safe integer. */
function digitsField(value: unknown, name: string): string {
  if (typeof value === 'bigint' && value >= 0n && value < 1n << 64n) return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'number' && Number.isInteger(value)) {
    throw invalidArgument(name, `is ${value}, beyond 2^53: JavaScript numbers are exact only up to 2^53; give it as a bigint, or the note as its JSON text`);
  }
  throw invalidArgument(name, 'must be a whole number from 0 to 2^64-1 (a bigint, or a safe integer)');
}

/**
 * `jsonText` for a note or an answer: a parsed object holding a number beyond 2^53 is refused
 * saying that JSON.parse rounded it (the boundary's words are a box's).
 */
function documentText(value: unknown, name: string): string | Uint8Array {
  try {
    return jsonText(value, name);
  } catch (err: any) {
    const beyond = err?.code === 'INVALID_ARGUMENT' ? /^(\S+) is (\S+), beyond 2\^53/.exec(String(err.message)) : null;
    if (beyond === null) throw err;
    throw invalidArgument(beyond[1], `is ${beyond[2]}, beyond 2^53: JSON.parse has rounded it (JavaScript numbers are exact only up to 2^53). Give ${name} as its JSON text, or this number as a bigint or a string of digits`);
  }
}

const NOTE_OBJECT_FIELDS = new Set(['issuer', 'recipient', 'totalDebt', 'amountRedeemed', 'timestamp', 'signature', 'key', 'message']);

/**
 * A note for the module: its JSON text. An object of `readNote`'s form (`issuer`, `totalDebt` …)
 * is written as the tracker's JSON (its `key` and `message`, when given, must be the note's); any
 * other object is taken as the tracker's JSON parsed.
 */
function noteText(value: unknown, name: string): string | Uint8Array {
  if (typeof value === 'string' || value === null || typeof value !== 'object') return documentText(value, name);
  const given = copy(value, name);
  if (!isRecord(given) || given.issuer === undefined) return documentText(given, name);
  for (const key of Object.keys(given)) {
    if (!NOTE_OBJECT_FIELDS.has(key)) throw invalidArgument(`${name}.${key}`, `is not a field of a note; the fields are ${[...NOTE_OBJECT_FIELDS].join(', ')}`);
  }
  const text =
    `{"issuer_pubkey":"${hexField(given.issuer, `${name}.issuer`)}","recipient_pubkey":"${hexField(given.recipient, `${name}.recipient`)}",` +
    `"amount_collected":${digitsField(given.totalDebt, `${name}.totalDebt`)},"amount_redeemed":${digitsField(given.amountRedeemed ?? 0, `${name}.amountRedeemed`)},` +
    `"timestamp":${digitsField(given.timestamp, `${name}.timestamp`)},"signature":"${hexField(given.signature, `${name}.signature`)}"}`;
  for (const derived of ['key', 'message'] as const) {
    if (given[derived] === undefined) continue;
    const read = wallet().readNote(text);
    if (hexField(given[derived], `${name}.${derived}`).toLowerCase() !== hexField(read[derived], derived)) {
      throw invalidArgument(`${name}.${derived}`, `is not the note's ${derived === 'key' ? 'key, blake2b256(issuer ‖ recipient)' : '48-byte message'}`);
    }
  }
  return text;
}

/** An answer (or a note) in a slot that also takes bytes: bytes and hex pass as they are, an object as JSON text. */
function bytesOrAnswer(value: unknown, name: string): unknown {
  if (value === undefined) return undefined;
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array) && !ArrayBuffer.isView(value)) return documentText(value, name);
  return copy(value, name);
}

/** The tracker on chain, in the form the module reads: a box's text, its commitment, a tree or a digest. */
function trackerValue(value: unknown, name: string): unknown {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.trimStart().startsWith('{')) return value;
  const given = copy(value, name);
  if (isRecord(given) && (given.kind !== undefined || given.tree !== undefined || given.keyLength !== undefined)) {
    return commitmentParts(given, name).value;
  }
  if (given === null || (typeof given !== 'string' && !(given instanceof Uint8Array) && !isRecord(given))) {
    throw invalidArgument(name, 'must be the tracker\'s box (JSON), its R5 register, a tree, a 33-byte digest or a parseCommitment result');
  }
  try {
    return commitmentParts(parseCommitment(given), name).value;
  } catch (err: any) {
    if (err?.code === 'INVALID_ARGUMENT' && (err.argument === 'input' || err.argument === 'box')) {
      throw invalidArgument(name, String(err.message).replace(/^(input|box) /, ''), err);
    }
    throw err;
  }
}

/** An options bag copied; `null` options are refused by the module. */
function optionsCopy(options: unknown): Record<string, any> | undefined {
  if (options === undefined) return undefined;
  const given = copy(options, 'options');
  if (!isRecord(given)) throw invalidArgument('options', 'must be an object of options');
  return given;
}

/** The 48 bytes a note's signatures sign: blake2b256(issuer ‖ recipient) ‖ totalDebt ‖ timestamp (8 bytes BE each). */
export function noteMessage(note: NoteFields): ByteArray {
  return wallet().noteMessage(copy(note, 'note')) as ByteArray;
}

/** Checks a Schnorr signature (a 33 ‖ z 32) of `message` by `publicKey`: `valid` the equation, `onChain` also the top-bit rule. */
export function verifySignature(publicKey: Bytes, message: Bytes, signature: Bytes): SignatureCheck {
  return wallet().verifySignature(copy(publicKey, 'publicKey'), copy(message, 'message'), copy(signature, 'signature'));
}

/** The 33-byte compressed public key of a 32-byte secret. */
export function publicKey(secretKey: Bytes): ByteArray {
  const secret = copy(secretKey, 'secretKey');
  try {
    return wallet().publicKey(secret) as ByteArray;
  } finally {
    if (secret instanceof Uint8Array) secret.fill(0);
  }
}

/**
 * Signs a note as its issuer: a 65-byte signature the contract accepts (`onChain`). The nonce is
 * derived from 32 fresh bytes of `crypto.getRandomValues`, the secret and the message; nothing
 * of the secret is kept (its copy is wiped).
 */
export function signNote(secretKey: Bytes, note: NoteToSign): ByteArray {
  const secret = copy(secretKey, 'secretKey');
  const entropy = freshEntropy();
  try {
    return wallet().signNote(secret, copy(note, 'note'), entropy) as ByteArray;
  } finally {
    if (secret instanceof Uint8Array) secret.fill(0);
    entropy.fill(0);
  }
}

/** A note as the tracker serves it, read exactly (numbers as bigint). */
export function readNote(note: NoteInput): Note {
  return wallet().readNote(noteText(note, 'note'));
}

/** The tracker's `/tracker/state` answer. */
export function readTrackerState(answer: AnswerInput): TrackerState {
  return wallet().readTrackerState(documentText(answer, 'state'));
}

/** A note's signatures: the issuer's, and the tracker's when given with its key (from its box, or given). */
export function verifyNote(note: NoteInput, options?: VerifyNoteOptions): NoteReport {
  const text = noteText(note, 'note');
  const given = optionsCopy(options);
  if (given !== undefined) {
    if (given.tracker !== undefined && given.tracker !== null) given.tracker = trackerValue(given.tracker, 'tracker');
    if (given.trackerSignature !== undefined && given.trackerSignature !== null) given.trackerSignature = bytesOrAnswer(given.trackerSignature, 'trackerSignature');
  }
  return wallet().verifyNote(text, given);
}

/** The tracker's `/tracker/proof` answer checked against the digest on chain: the key and the debt it proves. */
export function verifyTrackerProof(answer: AnswerInput, options: VerifyTrackerProofOptions): TrackerProofReport {
  const text = documentText(answer, 'answer');
  const given = optionsCopy(options);
  if (given !== undefined) {
    if (given.tracker !== undefined && given.tracker !== null) given.tracker = trackerValue(given.tracker, 'tracker');
    if (given.note !== undefined && given.note !== null) given.note = noteText(given.note, 'note');
  }
  return wallet().verifyTrackerProof(text, given);
}

/** Whether the reserve contract would let the note be redeemed now, condition by condition, and the reserve tree's update. */
export function checkRedemption(redemption: RedemptionInput): RedemptionReport {
  const given = copy(redemption, 'redemption');
  if (isRecord(given)) {
    const present = (field: string) => given[field] !== undefined && given[field] !== null;
    if (present('trackerBox')) given.trackerBox = jsonText(given.trackerBox, 'redemption.trackerBox');
    if (present('reserveBox')) given.reserveBox = jsonText(given.reserveBox, 'redemption.reserveBox');
    if (present('note')) given.note = noteText(given.note, 'redemption.note');
    for (const field of ['trackerSignature', 'trackerProof', 'reserveProof']) {
      if (present(field)) given[field] = bytesOrAnswer(given[field], `redemption.${field}`);
    }
  }
  return wallet().checkRedemption(given);
}
