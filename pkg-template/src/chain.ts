// The chain: a tracker's box and its R5 register, and commitments as people paste them. The one
// place that decides what a pasted commitment is (parseCommitment), and how each commitment slot
// (expectRoot, commitments, verifyProof's digest) reads one.
import { copyBytes, inert, isBytes, jsonText, logBytes } from './boundary.js';
import { PASTED_HEX } from './bytes.js';
import { invalidArgument, isBasisTreeError } from './errors.js';
import { glue } from './glue.js';
import type { AvlTree, BoxJson, ByteArray, Bytes, LogReport, ParsedCommitment, ReportedShape, TrackerCommitment } from './types.js';

/** The most characters a register in hex is read from: Ergo caps a box at 4096 bytes; a `0x`, a newline. */
const REGISTER_HEX_CHARS = 2 * 4096 + 64;
/** A digest's length: 33 bytes. (An `AvlTree` register is at least 37.) */
const DIGEST_BYTES = 33;

/** The tree a serialized `AvlTree` constant (a box's R5 register) holds; `REGISTER_INVALID` for anything else. */
export function avlTreeFromRegister(register: Bytes): AvlTree {
  return glue.avlTreeFromRegister(inert(register, 'register'));
}

/**
 * The tracker key (R4) and tree (R5) of a box as JSON, in either API shape (text, its UTF-8 bytes
 * or the parsed object); `BOX_INVALID`, `REGISTER_INVALID`. A parsed object holding a whole
 * number beyond 2^53 (which `JSON.parse` rounded) is `INVALID_ARGUMENT`: give the text, or the
 * number as a `bigint`. From its R5 register alone in hex, the tree it holds (`{ boxIdVerified:
 * false, tree }`: no box, no tracker key).
 */
export function trackerCommitment(box: BoxJson): TrackerCommitment {
  if (typeof box === 'string' && box.length <= REGISTER_HEX_CHARS && PASTED_HEX.test(box)) {
    return { boxIdVerified: false, tree: glue.avlTreeFromRegister(box) };
  }
  return glue.trackerCommitment(jsonText(box, 'box'));
}

/**
 * What a pasted commitment is: a 33-byte digest or an `AvlTree` register (bytes or hex; `0x` and
 * surrounding whitespace taken), or a box as JSON (text, its bytes or the parsed object).
 */
export function parseCommitment(input: Bytes | BoxJson): ParsedCommitment {
  return commitmentOf(input, 'input');
}

function commitmentOf(input: unknown, name: string): ParsedCommitment {
  if (typeof input === 'string') {
    const hex = PASTED_HEX.exec(input);
    if (hex === null) {
      if (input.trim().startsWith('{')) return boxCommitment(input);
      throw invalidArgument(name, 'is neither a 33-byte digest nor an AvlTree register in hex, nor a box as JSON');
    }
    return hex[1].length === 2 * DIGEST_BYTES ? { kind: 'digest', digest: glue.fromHex(hex[1]) as ByteArray } : registerCommitment(hex[1]);
  }
  if (input !== null && typeof input === 'object' && isBytes(input)) {
    const view = logBytes(input, name);
    if (view.length === DIGEST_BYTES) return { kind: 'digest', digest: copyBytes(view) };
    let first = 0;
    while (first < view.length && (view[first] === 0x20 || view[first] === 0x09 || view[first] === 0x0a || view[first] === 0x0d)) first++;
    return view[first] === 0x7b /* { */ ? boxCommitment(copyBytes(view)) : registerCommitment(copyBytes(view));
  }
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) return boxCommitment(input);
  throw invalidArgument(name, 'must be a digest or an AvlTree register (bytes or hex), or a box as JSON');
}

function registerCommitment(register: string | Uint8Array): ParsedCommitment {
  const tree: AvlTree = glue.avlTreeFromRegister(register);
  return { kind: 'register', digest: tree.digest, shape: { keyLength: tree.keyLength, valueLength: tree.valueLength }, tree };
}

function boxCommitment(box: unknown): ParsedCommitment {
  const commitment: TrackerCommitment = glue.trackerCommitment(jsonText(box, 'box'));
  const { tree } = commitment;
  return { kind: 'box', digest: tree.digest, shape: { keyLength: tree.keyLength, valueLength: tree.valueLength }, tree, box: commitment };
}

/** A parsed commitment as `parseCommitments` gives it: the digest, the register's tree, or the box's commitment. */
function asGiven(commitment: ParsedCommitment): ByteArray | AvlTree | TrackerCommitment {
  if (commitment.kind === 'box') return commitment.box!;
  if (commitment.kind === 'register') return commitment.tree!;
  return commitment.digest;
}

/** The text of each element of a JSON array's text, which JSON.parse has accepted. */
function jsonArrayElements(text: string): string[] {
  const elements: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 1;
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '[' || c === '{') {
      depth++;
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    } else if (depth === 0 && (c === ',' || c === ']')) {
      const element = text.slice(start, i).trim();
      if (element !== '') elements.push(element);
      start = i + 1;
    }
  }
  return elements;
}

/**
 * On-chain commitments as a person pastes them, oldest first: one a line — a 33-byte digest in
 * hex, an `AvlTree` register (R5) in hex, or a box as JSON on one line — with blank lines and
 * lines starting with `#` skipped; or a JSON array of the same. A line that is none of these
 * throws with its `line` (from 1; the message does not repeat it).
 */
export function parseCommitments(text: string): Array<ByteArray | AvlTree | TrackerCommitment> {
  if (typeof text !== 'string') throw invalidArgument('text', 'must be a string');
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      JSON.parse(trimmed);
    } catch (err) {
      throw invalidArgument('text', `starts with '[' but is not a JSON array: ${(err as Error).message}`);
    }
    // Each element by its own text: a box's numbers are read exactly, never rounded by
    // JSON.parse (a token amount beyond 2^53 would change the box's id).
    return jsonArrayElements(trimmed).map((item, i) => asGiven(commitmentOf(item.startsWith('{') ? item : JSON.parse(item), `text[${i}]`)));
  }
  const commitments = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      commitments.push(asGiven(commitmentOf(line, 'text')));
    } catch (err) {
      if (isBasisTreeError(err)) err.line = i + 1;
      throw err;
    }
  }
  return commitments;
}

/** What the end of a log is checked against. */
export type Anchor = LogReport['anchor'];

/** An inert commitment as a commitment slot reads it (see `commitmentParts`). */
export interface CommitmentParts {
  /** The digest (as given: bytes or hex). */
  digest: unknown;
  /** The tree's shape, for a tree or a box. */
  shape?: ReportedShape;
  anchor: Anchor;
  /** What the module reads: a digest, a tree, a box's commitment. */
  value: unknown;
}

/**
 * An inert commitment as `expectRoot` takes it, named `name`: a digest, a tree, a box's
 * commitment or a parseCommitment result.
 */
export function commitmentParts(value: any, name: string): CommitmentParts {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array || Array.isArray(value)) {
    return { digest: value, anchor: 'digest', value };
  }
  if (value.kind === 'digest' || value.kind === 'register' || value.kind === 'box') {
    const inner = value.kind === 'box' ? value.box : value.kind === 'register' ? value.tree : value.digest;
    if (inner === undefined) throw invalidArgument(name, `is a ${value.kind} commitment without its ${value.kind === 'register' ? 'tree' : value.kind}`);
    return commitmentParts(inner, name);
  }
  const tree = value.tree !== undefined ? value.tree : value;
  const isTree = tree !== null && typeof tree === 'object';
  const shape = isTree && typeof tree.keyLength === 'number' ? { keyLength: tree.keyLength, valueLength: tree.valueLength ?? null } : undefined;
  const anchor = value.tree !== undefined && value.trackerKey !== undefined ? 'box' : 'tree';
  return { digest: isTree ? tree.digest : undefined, shape, anchor, value };
}

/**
 * Puts the commitments of a verifier's inert options (`expectRoot`, `commitments`) in the form the
 * module reads; returns what the log's end is checked against.
 */
export function anchorOptions(options: any): Anchor {
  if (options === null || typeof options !== 'object' || options instanceof Uint8Array || Array.isArray(options)) return 'none';
  if (Array.isArray(options.commitments)) {
    options.commitments = options.commitments.map((item: unknown, i: number) => commitmentParts(item, `commitments[${i}]`).value);
  }
  if (options.expectRoot === undefined) return 'none';
  const parts = commitmentParts(options.expectRoot, 'expectRoot');
  options.expectRoot = parts.value;
  return parts.anchor;
}
