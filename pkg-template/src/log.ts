// The operation log: encoding and decoding it, and verifying it — whole (verifyLog), chunk by
// chunk (LogVerifier), or as it arrives from a stream (verifyLogStream, the one streaming loop).
import { basisError, invalidArgument, isBasisTreeError } from './errors.js';
import { checkOptions, copyBytes, inert, inertFields, isBytes, logBytes, ownFields, reading, stillHolds } from './boundary.js';
import type { Field } from './boundary.js';
import { anchorOptions } from './chain.js';
import type { Anchor } from './chain.js';
import { glue } from './glue.js';
import type { GlueObject } from './glue.js';
import { Handles } from './handles.js';
import { treeOf } from './tree.js';
import type { Tree } from './tree.js';
import type {
  ByteArray,
  LogFormat,
  LogHeader,
  LogReport,
  Progress,
  RecordLimitOptions,
  TreeOperation,
  TreeOperationInput,
  TreeShape,
  VerifyLogOptions,
  VerifyLogStreamOptions,
  VerifyOptions,
} from './types.js';

/**
 * Bytes handed to the module per call, verified between two progress reports and, when
 * streaming, two turns of the event loop: a chunk of any size costs at most this much memory.
 * (The module slices a chunk it is given whole at the same size: SLICE_BYTES in wasm/log.rs.)
 */
const SLICE_BYTES = 64 * 1024;

/** Newlines in `bytes`. */
function newlinesIn(bytes: Uint8Array): number {
  let count = 0;
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) count++;
  return count;
}

/**
 * The lines of an NDJSON log as it is read, slice by slice, so that an error in it carries its
 * `line` (from 1; the header is line 1). A binary log has no lines: nothing is counted.
 */
class LineCounter {
  private ndjson: boolean | undefined;
  /** Newlines in the bytes read before the current slice. */
  private newlines = 0;
  /** The log offset of the current slice. */
  private at = 0;

  /** `read()` reads `slice`, the log's next bytes; an error it throws is given its line. */
  read<T>(slice: Uint8Array, read: () => T): T {
    if (this.ndjson === undefined && slice.length > 0) this.ndjson = slice[0] === 0x7b; /* { */
    let result: T;
    try {
      result = read();
    } catch (err) {
      this.mark(err, slice);
      throw err;
    }
    if (this.ndjson) this.newlines += newlinesIn(slice);
    this.at += slice.length;
    return result;
  }

  /**
   * Gives `err` the line of its `offset`. The bytes between the last line read whole and the
   * current slice hold no newline (every whole line was read as it arrived), so the newlines
   * before the offset are those counted and those of the current slice before it.
   */
  mark(err: unknown, slice: Uint8Array = new Uint8Array(0)): void {
    if (!this.ndjson || !isBasisTreeError(err) || typeof err.offset !== 'number' || err.line !== undefined) return;
    const within = Math.max(0, Math.min(slice.length, err.offset - this.at));
    err.line = 1 + this.newlines + newlinesIn(slice.subarray(0, within));
  }
}

/** The log of `records` for a tree of `shape`: `format` 'binary' (the default) or 'ndjson'. */
export function encodeLog(records: TreeOperationInput[], shape: TreeShape, options?: { format?: LogFormat }): ByteArray {
  return glue.encodeLog(inert(records, 'records'), inert(shape, 'shape'), inert(options, 'options')) as ByteArray;
}

/** Decodes a whole log (checking the encoding only; `verifyLog` checks the records). */
export function decodeLog(bytes: Uint8Array | ArrayBuffer | string, options?: RecordLimitOptions): LogHeader & { records: TreeOperation[] } {
  const data = copyBytes(logBytes(bytes, 'bytes'));
  return new LineCounter().read(data, () => glue.decodeLog(data, inert(options, 'options')));
}

/** `push(chunk)` of a verifier or decoder: the bytes go in a slice at a time; `each(result)`. */
function pushSliced(handle: GlueObject, lines: LineCounter, chunk: unknown, each: (result: GlueObject) => void): void {
  const view = logBytes(chunk, 'chunk');
  for (let at = 0; at < view.length; at += SLICE_BYTES) {
    const slice = copyBytes(view, at, Math.min(view.length, at + SLICE_BYTES));
    each(lines.read(slice, () => handle.push(slice)));
  }
}

/** `finish()` of a verifier or decoder: an error gets its line. */
function finishing<T>(lines: LineCounter, finish: () => T): T {
  try {
    return finish();
  } catch (err) {
    lines.mark(err);
    throw err;
  }
}

/** The report with `anchor`, unless the module gave it. */
function withAnchor<T extends LogReport>(report: T, anchor: Anchor): T {
  if (report.anchor === undefined) report.anchor = anchor;
  return report;
}

const verifiers = new Handles('LogVerifier');

/**
 * Verifies a log pushed in chunks split anywhere; stops at the first bad record. `Stateless` is
 * what `options.stateless` says, so that `tree()` is a `Tree` unless the verifier holds none.
 */
export class LogVerifier<Stateless extends boolean = false> {
  readonly #anchor: Anchor;
  readonly #lines = new LineCounter();

  constructor(options?: VerifyOptions & { stateless?: Stateless }) {
    const o = inert(options, 'options');
    this.#anchor = anchorOptions(o);
    verifiers.adopt(this, new glue.LogVerifier(o));
  }

  /** Verifies every complete record in the bytes so far; throws at the first bad one (and again on every later call). */
  push(chunk: Uint8Array | ArrayBuffer | string): void {
    pushSliced(verifiers.of(this, 'push'), this.#lines, chunk, () => {});
  }

  progress(): Progress {
    return verifiers.of(this, 'progress').progress();
  }

  /** Throws if the log ends early or does not end at `expectRoot`. */
  finish(): LogReport {
    const handle = verifiers.of(this, 'finish');
    return withAnchor(finishing(this.#lines, () => handle.finish()), this.#anchor);
  }

  /**
   * The replayed tree (a copy sharing its memory until either side changes): after `finish()` the
   * tree the log ends at; after an error, the tree after the last record that verified.
   * `undefined` in stateless mode, which holds no tree.
   */
  tree(): Stateless extends false ? Tree : Tree | undefined {
    const tree = verifiers.of(this, 'tree').tree();
    return (tree === undefined ? undefined : treeOf(tree)) as Stateless extends false ? Tree : Tree | undefined;
  }

  /** The log's header, once its bytes have arrived. */
  get header(): LogHeader | undefined {
    return verifiers.of(this, 'header').header;
  }

  free(): void {
    verifiers.free(this);
  }

  [Symbol.dispose](): void {
    this.free();
  }
}

const decoders = new Handles('LogDecoder');

/** Decodes a log from chunks split anywhere, without replaying it (no record is checked). */
export class LogDecoder {
  readonly #lines = new LineCounter();

  constructor(options?: RecordLimitOptions) {
    decoders.adopt(this, new glue.LogDecoder(inert(options, 'options')));
  }

  /** Adds bytes and returns the records they complete; after `finish()`, `LOG_CORRUPT`. */
  push(chunk: Uint8Array | ArrayBuffer | string): TreeOperation[] {
    const records: TreeOperation[] = [];
    pushSliced(decoders.of(this, 'push'), this.#lines, chunk, (decoded: TreeOperation[]) => {
      if (decoded) for (const record of decoded) records.push(record);
    });
    return records;
  }

  /** Ends the input and returns the last records; throws `LOG_CORRUPT` if the log ends inside one. */
  finish(): TreeOperation[] {
    const handle = decoders.of(this, 'finish');
    return finishing(this.#lines, () => handle.finish());
  }

  progress(): Progress {
    return decoders.of(this, 'progress').progress();
  }

  get header(): LogHeader | undefined {
    return decoders.of(this, 'header').header;
  }

  free(): void {
    decoders.free(this);
  }

  [Symbol.dispose](): void {
    this.free();
  }
}

/** The options of verifyLog / verifyLogStream, the JS-only ones taken out. */
interface ReadOptions {
  onProgress?: (progress: Progress) => void;
  onRecord?: (record: TreeOperation) => void;
  keepTree?: boolean;
  signal?: AbortSignal;
  /** The rest, inert, for the module's LogVerifier. */
  rest: any;
  anchor: Anchor;
}

/**
 * The options of verifyLog / verifyLogStream: the JS-only ones (`jsOnly`) taken out and checked,
 * the rest made inert for the LogVerifier.
 */
function verifyOptions(options: unknown, jsOnly: string[]): ReadOptions {
  if (options === undefined || options === null) return { rest: undefined, anchor: 'none' };
  if (typeof options !== 'object') throw invalidArgument('options', 'must be an object');
  checkOptions(options, 'options');
  const taken: Record<string, any> = {};
  const rest: Field[] = [];
  for (const field of ownFields(options, 'options')) {
    if (jsOnly.includes(field[0])) taken[field[0]] = field[2];
    else rest.push(field);
  }
  for (const callback of ['onProgress', 'onRecord']) {
    if (taken[callback] !== undefined && typeof taken[callback] !== 'function') throw invalidArgument(callback, 'must be a function');
  }
  if (taken.keepTree !== undefined && typeof taken.keepTree !== 'boolean') throw invalidArgument('keepTree', 'must be true or false');
  if (taken.signal !== undefined) taken.signal = abortSignal(taken.signal);
  const inertRest = inertFields(rest);
  if (taken.keepTree && inertRest.stateless === true) {
    throw invalidArgument('keepTree', 'cannot be true with stateless: a stateless verifier holds no tree');
  }
  return { ...taken, rest: inertRest, anchor: anchorOptions(inertRest) };
}

/** An AbortSignal, of this realm or another: anything with a boolean `aborted` and abort listeners. */
function abortSignal(signal: unknown): AbortSignal {
  const s = signal as AbortSignal;
  const usable =
    signal !== null &&
    typeof signal === 'object' &&
    reading('signal', () => typeof s.aborted === 'boolean' && typeof s.addEventListener === 'function' && typeof s.removeEventListener === 'function');
  if (!usable) throw invalidArgument('signal', 'must be an AbortSignal');
  return s;
}

function abortedError(signal: AbortSignal): Error {
  return basisError('ABORTED', 'log verification was aborted', undefined, reading('signal', () => signal.reason));
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal && reading('signal', () => signal.aborted)) throw abortedError(signal);
}

/** `promise`, or ABORTED as soon as `signal` aborts, whichever comes first. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortedError(signal));
    if (reading('signal', () => signal.aborted)) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    const settle =
      <V>(then: (value: V) => void) =>
      (value: V) => {
        signal.removeEventListener('abort', onAbort);
        then(value);
      };
    promise.then(settle(resolve), settle(reject));
  });
}

/**
 * A turn of the event loop: not a timer where there is anything else, as nested timers are
 * clamped to 4 ms (a Web Worker would verify 64 KiB per 4 ms).
 */
const { setImmediate } = globalThis as { setImmediate?: (callback: () => void) => unknown };
const nextTurn: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise((resolve) => setImmediate(resolve))
    : typeof MessageChannel === 'function'
      ? () =>
          new Promise((resolve) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => {
              channel.port1.close();
              resolve();
            };
            channel.port2.postMessage(null);
          })
      : () => new Promise((resolve) => setTimeout(resolve, 0));

/** The chunks of a source: `next()` is a promise of `{ done, value }`; `close()` stops the source. */
interface ChunkSource {
  next(): Promise<{ done?: boolean; value?: unknown }>;
  close(): void;
}

/**
 * The chunks of a ReadableStream, an async iterable or an iterable: `close()` stops the source
 * (cancels the stream, returns the iterator) without waiting for it to agree, so that a source
 * that never answers keeps nobody waiting.
 */
function chunkSource(source: any): ChunkSource {
  if (typeof source === 'string' || (source !== null && typeof source === 'object' && isBytes(source))) {
    const what = typeof source === 'string' ? 'a string' : 'bytes held in memory';
    throw invalidArgument('source', `is ${what}, not a stream: verify it with verifyLog(bytes), or pass [bytes]`);
  }
  if (source !== null && (typeof source === 'object' || typeof source === 'function')) {
    if (typeof source.getReader === 'function') {
      const reader = source.getReader();
      return {
        next: () => reader.read(),
        close: () => {
          reader.cancel().then(
            () => reader.releaseLock(),
            () => {},
          );
        },
      };
    }
    const asyncIterator = source[Symbol.asyncIterator];
    const syncIterator = typeof asyncIterator === 'function' ? undefined : source[Symbol.iterator];
    if (typeof asyncIterator === 'function' || typeof syncIterator === 'function') {
      const iterator = typeof asyncIterator === 'function' ? asyncIterator.call(source) : syncIterator.call(source);
      const step = (result: any) => {
        if (result === null || typeof result !== 'object') throw invalidArgument('source', 'gave an iterator result that is not an object');
        // A sync iterable's values may be promises, as `for await` takes them.
        if (result.done || asyncIterator) return result;
        return Promise.resolve(result.value).then((value) => ({ done: false, value }));
      };
      return {
        next: () => Promise.resolve(iterator.next()).then(step),
        close: () => {
          if (typeof iterator.return === 'function') Promise.resolve().then(() => iterator.return()).catch(() => {});
        },
      };
    }
  }
  throw invalidArgument('source', 'must be a ReadableStream or an (async) iterable of Uint8Array');
}

/**
 * Verifies a whole log held in memory (`bytes` may also be NDJSON text); returns the report or
 * throws at the first bad record. `onProgress({ records, bytes })` is called as the log is read.
 */
export function verifyLog(bytes: Uint8Array | ArrayBuffer | string, options?: VerifyLogOptions): LogReport {
  const { onProgress, rest, anchor } = verifyOptions(options, ['onProgress']);
  const data = logBytes(bytes, 'bytes');
  const length = data.length;
  const verifier = new glue.LogVerifier(rest);
  const lines = new LineCounter();
  try {
    for (let at = 0; at < length; at += SLICE_BYTES) {
      // The caller's onProgress may have taken the buffer away: its end is not the log's.
      stillHolds(data, length, 'bytes');
      const slice = copyBytes(data, at, Math.min(length, at + SLICE_BYTES));
      lines.read(slice, () => verifier.push(slice));
      if (onProgress) onProgress(verifier.progress());
    }
    return withAnchor(finishing(lines, () => verifier.finish()), anchor);
  } finally {
    verifier.free();
  }
}

/** The records of a log, decoded beside its verifier and handed to `onRecord` once verified. */
class RecordCourier {
  private readonly decoder: GlueObject;
  private held: TreeOperation[] = [];
  private handed = 0;
  /** Bytes given to the decoder. */
  private fed = 0;
  private decodable = true;

  constructor(
    private readonly onRecord: (record: TreeOperation) => void,
    options: any,
  ) {
    const limits: RecordLimitOptions = {};
    if (options && options.maxValueLength !== undefined) limits.maxValueLength = options.maxValueLength;
    if (options && options.maxRecordLength !== undefined) limits.maxRecordLength = options.maxRecordLength;
    this.decoder = new glue.LogDecoder(limits);
  }

  /** After the verifier's push of `slice`: decodes it, up to the `upTo` bytes of the log verified (after a failure, only those). */
  decoded(slice: Uint8Array, upTo: number): void {
    const length = Math.max(0, Math.min(slice.length, upTo - this.fed));
    this.fed += length;
    this.take(() => this.decoder.push(length === slice.length ? slice : slice.subarray(0, length)));
  }

  /** After the verifier's finish(): the last records. */
  finished(): void {
    this.take(() => this.decoder.finish());
  }

  /** Hands over the records held, up to `verified` in all, between two calls into the module. */
  handOver(verified: number): void {
    let i = 0;
    for (; i < this.held.length && this.handed < verified; i++, this.handed++) this.onRecord(this.held[i]);
    if (i > 0) this.held = this.held.slice(i);
  }

  free(): void {
    this.decoder.free();
  }

  private take(decode: () => TreeOperation[]): void {
    if (!this.decodable) return;
    try {
      const records = decode();
      for (let i = 0; i < records.length; i++) this.held.push(records[i]);
    } catch {
      this.decodable = false; // the verifier refuses these bytes too, and says why
    }
  }
}

/** `verifyLogStream`'s report: with `keepTree`, the replayed tree. */
export interface LogStreamReport extends LogReport {
  tree?: Tree;
}

/**
 * Verifies a log as it arrives, chunk by chunk, from a ReadableStream<Uint8Array> (e.g.
 * `fetch().body`) or an (async) iterable (e.g. a Node stream), yielding to the event loop between
 * slices; bytes already in memory go to `verifyLog`. `options.signal` aborts with `ABORTED` (its
 * `cause` the signal's reason) at once, even while the source is silent; stopping early stops the
 * source (a stream is cancelled); an error of the source itself (a network error) is thrown as it
 * is. `onRecord(record)` is called with each verified record, in order, between two slices (never
 * while the module is running); `keepTree: true` puts the replayed tree in the report.
 */
export function verifyLogStream(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: VerifyLogStreamOptions & { keepTree: true },
): Promise<LogStreamReport & { tree: Tree }>;
export function verifyLogStream(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options?: VerifyLogStreamOptions,
): Promise<LogStreamReport>;
export async function verifyLogStream(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options?: VerifyLogStreamOptions,
): Promise<LogStreamReport> {
  const { onProgress, onRecord, keepTree, signal, rest, anchor } = verifyOptions(options, ['onProgress', 'onRecord', 'keepTree', 'signal']);
  throwIfAborted(signal);
  const chunks = chunkSource(source);
  let ended = false;
  let verifier: GlueObject;
  let courier: RecordCourier | undefined;
  const lines = new LineCounter();
  const verified = () => Number(verifier.progress().records);
  try {
    verifier = new glue.LogVerifier(rest);
    if (onRecord) courier = new RecordCourier(onRecord, rest);
    // Yields to the event loop after every SLICE_BYTES verified, however the source chunks them.
    let sinceTurn = 0;
    while (true) {
      // An abort also ends the wait for a source that has gone silent.
      const next = await unlessAborted(chunks.next(), signal);
      if (next.done) {
        ended = true;
        break;
      }
      const data = logBytes(next.value, 'source');
      const length = data.length;
      for (let at = 0; at < length; at += SLICE_BYTES) {
        throwIfAborted(signal);
        // A chunk taken away while it waited for its turn: its end is not the log's.
        stillHolds(data, length, 'source');
        const end = Math.min(length, at + SLICE_BYTES);
        const slice = copyBytes(data, at, end);
        if (courier) {
          let pushed = false;
          try {
            lines.read(slice, () => verifier.push(slice));
            pushed = true;
          } finally {
            // A slice that fails verified up to the failing record: those records are handed.
            courier.decoded(slice, pushed ? Infinity : Number(verifier.progress().bytes));
            courier.handOver(verified());
          }
        } else {
          lines.read(slice, () => verifier.push(slice));
        }
        if (onProgress) onProgress(verifier.progress());
        sinceTurn += end - at;
        if (sinceTurn >= SLICE_BYTES) {
          sinceTurn = 0;
          await nextTurn();
        }
      }
      throwIfAborted(signal);
    }
    throwIfAborted(signal);
    let report: LogStreamReport;
    if (courier) {
      try {
        report = finishing(lines, () => verifier.finish());
      } finally {
        courier.finished();
        courier.handOver(verified());
      }
    } else {
      report = finishing(lines, () => verifier.finish());
    }
    withAnchor(report, anchor);
    if (keepTree) report.tree = treeOf(verifier.tree());
    return report;
  } finally {
    // Stopping early (a bad record, an abort) stops the download.
    if (!ended) chunks.close();
    if (courier) courier.free();
    if (verifier) verifier.free();
  }
}
