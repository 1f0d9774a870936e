// The package's API over the wasm-bindgen glue (`raw`): classes and functions that read every
// argument into an inert copy (boundary.js) before the glue sees it, refuse a freed object in
// JavaScript, and wrap the glue's objects they return; plus the parts written in JavaScript,
// whole-log and streaming verification. The same source serves the web build (ESM) and Node (the
// package build turns it into api.cjs); it touches no platform API beyond timers, AbortSignal
// and streams.
import { basisError, checkOptions, copyBytes, inert, inertFields, invalidArgument, isBytes, jsonText, logBytes, ownFields, packOperations, reading, stillHolds } from './boundary.js';

/**
 * Methods whose operations go to the module packed into one buffer (`packOperations`) when they
 * can be, and the glue's method that takes them so.
 */
const PACKED = { Tree: { applyAll: 'applyAllPacked', prove: 'provePacked' } };

/**
 * Bytes handed to the instance per call, verified between two progress reports and, when
 * streaming, two turns of the event loop: a chunk of any size costs at most this much memory.
 * (The module slices a chunk it is given whole at the same size: SLICE_BYTES in wasm/log.rs.)
 */
const SLICE_BYTES = 64 * 1024;

/**
 * The API's classes: the parameters of their constructors, methods, getters and static methods.
 * A parameter marked `log:` takes the bytes of a log (`logBytes`, copied; a verifier's or
 * decoder's `push` copies its chunk a slice at a time); every other one is read with `inert`.
 */
const CLASSES = {
  Tree: {
    constructor: ['shape'],
    getters: ['digest', 'size', 'height', 'shape'],
    methods: {
      get: ['key'],
      has: ['key'],
      insert: ['key', 'value'],
      update: ['key', 'value'],
      insertOrUpdate: ['key', 'value'],
      remove: ['key'],
      removeIfExists: ['key'],
      apply: ['operation'],
      applyAll: ['operations'],
      entries: [],
      snapshot: ['options'],
      clone: [],
      proveLookup: ['keys'],
      prove: ['operations'],
    },
    statics: { fromSnapshot: ['snapshot'] },
  },
  TreeStorage: {
    constructor: ['options'],
    getters: ['digest', 'tree', 'shape', 'lastSequence'],
    methods: {
      insert: ['key', 'value', 'options'],
      update: ['key', 'value', 'options'],
      remove: ['key', 'options'],
      append: ['record'],
      appendBatch: ['records'],
      operations: ['fromSeq', 'toSeq'],
      checkpoint: ['options'],
      checkpoints: [],
      exportLog: ['options'],
      snapshot: [],
      checkpointSnapshot: ['id'],
    },
    statics: { recover: ['options', 'records'], recoverFromSnapshot: ['snapshot', 'log:logTail', 'options'] },
  },
  LogVerifier: {
    constructor: ['options'],
    getters: ['header'],
    methods: { push: ['log:chunk'], finish: [], progress: [], tree: [] },
    statics: {},
  },
  LogDecoder: {
    constructor: ['options'],
    getters: ['header'],
    methods: { push: ['log:chunk'], finish: [], progress: [] },
    statics: {},
  },
};

/** The API's functions and their parameters. */
const FUNCTIONS = {
  toHex: ['bytes'],
  fromHex: ['text'],
  noteKey: ['issuer', 'recipient'],
  debtValue: ['totalDebt'],
  emptyDigest: ['shape'],
  verifyProof: ['input'],
  verifyRecordProof: ['record', 'shape'],
  encodeLog: ['records', 'shape', 'options'],
  decodeLog: ['log:bytes', 'options'],
  avlTreeFromRegister: ['register'],
};

/** Hex as a person pastes it: surrounding whitespace and a `0x` prefix around the digits. */
const PASTED_HEX = /^\s*(?:0[xX])?([0-9a-fA-F]*)\s*$/;
/** The most characters a register in hex is read from: Ergo caps a box at 4096 bytes; a `0x`, a newline. */
const REGISTER_HEX_CHARS = 2 * 4096 + 64;
/** A digest's length: 33 bytes. (An `AvlTree` register is at least 37.) */
const DIGEST_BYTES = 33;

export function createApi(raw) {
  /** Per class: wrapper → the glue's object, or null once freed. */
  const handles = new Map(Object.keys(CLASSES).map((name) => [name, new WeakMap()]));
  const api = {};
  /** Per LogVerifier: what its final root is checked against (see `anchorOptions`). */
  const anchors = new WeakMap();

  /** The glue's object behind `self`, a live `className`; refused in JS otherwise. */
  function handleOf(self, className, member) {
    const handle = handles.get(className).get(self);
    if (handle === undefined) {
      throw invalidArgument('this', `is not a ${className}: ${className}.prototype.${member} was called on another object`);
    }
    if (handle === null) {
      throw invalidArgument('this', `${className} was freed (free(), or the end of a \`using\` block) and cannot be used again`);
    }
    return handle;
  }

  /** A wrapper of `className` around the glue's object `handle`. */
  function adopt(className, handle, self = Object.create(api[className].prototype)) {
    handles.get(className).set(self, handle);
    return self;
  }

  /** The glue's objects among a result, wrapped. */
  function wrap(result) {
    if (result !== null && typeof result === 'object') {
      for (const className of Object.keys(CLASSES)) {
        if (result instanceof raw[className]) return adopt(className, result);
      }
    }
    return result;
  }

  /** The arguments, made inert for the glue. */
  function prepare(parameters, args) {
    return parameters.map((parameter, i) =>
      parameter.startsWith('log:') ? copyBytes(logBytes(args[i], parameter.slice(4))) : inert(args[i], parameter),
    );
  }

  /** `push(chunk)` of a verifier or decoder: the bytes go in a slice at a time; `each(result)`. */
  function pushSliced(handle, chunk, each) {
    const view = logBytes(chunk, 'chunk');
    for (let at = 0; at < view.length; at += SLICE_BYTES) {
      each(handle.push(copyBytes(view, at, Math.min(view.length, at + SLICE_BYTES))));
    }
  }

  for (const [className, spec] of Object.entries(CLASSES)) {
    const Raw = raw[className];
    const Class = {
      [className]: class {
        constructor(...args) {
          const prepared = prepare(spec.constructor, args);
          if (className === 'LogVerifier') anchors.set(this, anchorOptions(prepared[0]));
          adopt(className, new Raw(...prepared), this);
        }
      },
    }[className];
    const define = (target, name, value) => Object.defineProperty(target, name, { value, writable: true, configurable: true });
    for (const [method, parameters] of Object.entries(spec.methods)) {
      const methods =
        method === 'push'
          ? {
              push(chunk) {
                const handle = handleOf(this, className, 'push');
                const records = [];
                pushSliced(handle, chunk, (decoded) => {
                  if (decoded) for (const record of decoded) records.push(record);
                });
                return className === 'LogDecoder' ? records : undefined;
              },
            }
          : {
              [method](...args) {
                // The arguments first: reading them may run the caller's code, which may free this.
                const prepared = prepare(parameters, args);
                const handle = handleOf(this, className, method);
                const packedMethod = PACKED[className]?.[method];
                const packed = packedMethod && packOperations(prepared[0], handle.shape);
                const result = wrap(packed ? handle[packedMethod](packed) : handle[method](...prepared));
                return method === 'finish' && className === 'LogVerifier' ? withAnchor(result, anchors.get(this)) : result;
              },
            };
      define(Class.prototype, method, methods[method]);
    }
    for (const getter of spec.getters) {
      Object.defineProperty(Class.prototype, getter, {
        get: {
          [getter]() {
            return wrap(handleOf(this, className, getter)[getter]);
          },
        }[getter],
        configurable: true,
      });
    }
    for (const [method, parameters] of Object.entries(spec.statics)) {
      define(Class, method, { [method]: (...args) => wrap(Raw[method](...prepare(parameters, args))) }[method]);
    }
    // free() twice (an explicit free() inside a `using` block) is a no-op, not an error.
    define(Class.prototype, 'free', function free() {
      if (handles.get(className).get(this) === null) return;
      const handle = handleOf(this, className, 'free');
      handles.get(className).set(this, null);
      handle.free();
    });
    if (typeof Symbol.dispose === 'symbol') define(Class.prototype, Symbol.dispose, Class.prototype.free);
    api[className] = Class;
  }

  for (const [name, parameters] of Object.entries(FUNCTIONS)) {
    api[name] = { [name]: (...args) => wrap(raw[name](...prepare(parameters, args))) }[name];
  }

  /**
   * Checks a proof against a digest: `input.digest` is a digest, or any commitment `expectRoot`
   * takes (a tree from avlTreeFromRegister, a box from trackerCommitment, a parseCommitment
   * result), whose shape then is the proof's unless the input gives one, which must agree.
   */
  api.verifyProof = function verifyProof(input) {
    // An inert copy holds no byte data but Uint8Arrays (and asking isBytes of an object costs a
    // thrown exception: more than the proof's check).
    const prepared = inert(input, 'input');
    if (prepared !== null && typeof prepared === 'object' && !(prepared instanceof Uint8Array) && !Array.isArray(prepared)) {
      const { digest } = prepared;
      if (digest !== null && typeof digest === 'object' && !(digest instanceof Uint8Array)) {
        const parts = commitmentParts(digest, 'digest');
        prepared.digest = parts.digest;
        if (parts.shape) {
          const given = { keyLength: prepared.keyLength ?? parts.shape.keyLength, valueLength: prepared.valueLength ?? null };
          if (prepared.valueLength === undefined) given.valueLength = parts.shape.valueLength;
          if (given.keyLength !== parts.shape.keyLength || given.valueLength !== parts.shape.valueLength) {
            throw basisError(
              'SHAPE_MISMATCH',
              `the proof's shape (keys of ${given.keyLength} bytes, values of ${given.valueLength ?? 'any'} bytes) is not the shape of the tree its digest is from (keys of ${parts.shape.keyLength} bytes, values of ${parts.shape.valueLength ?? 'any'} bytes)`,
              { expected: { ...parts.shape }, actual: given },
            );
          }
          prepared.keyLength = given.keyLength;
          prepared.valueLength = given.valueLength;
        }
      }
    }
    return raw.verifyProof(prepared);
  };

  /**
   * The commitment a tracker's box carries, from the box as JSON: text, bytes or the parsed
   * object; or, from its R5 register alone in hex, the tree it holds (`{ boxIdVerified: false,
   * tree }`: no box, no tracker key).
   */
  api.trackerCommitment = function trackerCommitment(box) {
    if (typeof box === 'string' && box.length <= REGISTER_HEX_CHARS && PASTED_HEX.test(box)) {
      return { boxIdVerified: false, tree: raw.avlTreeFromRegister(box) };
    }
    return raw.trackerCommitment(jsonText(box, 'box'));
  };

  /** The value of a Basis note as `debtValue` makes it: 8 bytes, big-endian, as a bigint. */
  api.decodeDebt = function decodeDebt(bytes) {
    const copy = inert(bytes, 'bytes');
    const digits = typeof copy === 'string' ? PASTED_HEX.exec(copy) : null;
    if (typeof copy === 'string' && digits === null) throw invalidArgument('bytes', 'is not valid hex');
    const length = digits ? digits[1].length / 2 : copy instanceof Uint8Array ? copy.length : undefined;
    if (length === undefined) throw invalidArgument('bytes', 'must be a Uint8Array or a hex string');
    if (length !== 8) throw invalidArgument('bytes', `is ${length} bytes, not the 8 of a debt (big-endian)`);
    const value = digits ? raw.fromHex(digits[1]) : copy;
    return new DataView(value.buffer, value.byteOffset, 8).getBigUint64(0);
  };

  /** Whether `value` is an error this package throws: narrows to `BasisTreeError`. */
  api.isBasisTreeError = function isBasisTreeError(value) {
    return value instanceof Error && value.name === 'BasisTreeError' && typeof value.code === 'string';
  };

  /**
   * What a pasted commitment is — the one place that decides it: a 33-byte digest, an
   * `AvlTree` register (a tracker box's R5), as bytes or hex (`0x` and surrounding whitespace
   * taken), or a box as JSON (text, bytes of it, or the parsed object).
   * `{ kind: 'digest' | 'register' | 'box', digest, shape?, tree?, box? }`.
   */
  api.parseCommitment = function parseCommitment(input) {
    return commitmentOf(input, 'input');
  };

  function commitmentOf(input, name) {
    if (typeof input === 'string') {
      const hex = PASTED_HEX.exec(input);
      if (hex === null) {
        if (input.trim().startsWith('{')) return boxCommitment(input);
        throw invalidArgument(name, 'is neither a 33-byte digest nor an AvlTree register in hex, nor a box as JSON');
      }
      return hex[1].length === 2 * DIGEST_BYTES ? digestCommitment(raw.fromHex(hex[1])) : registerCommitment(hex[1]);
    }
    if (input !== null && typeof input === 'object' && isBytes(input)) {
      const view = logBytes(input, name);
      if (view.length === DIGEST_BYTES) return digestCommitment(copyBytes(view));
      let first = 0;
      while (first < view.length && (view[first] === 0x20 || view[first] === 0x09 || view[first] === 0x0a || view[first] === 0x0d)) first++;
      return view[first] === 0x7b /* { */ ? boxCommitment(copyBytes(view)) : registerCommitment(copyBytes(view));
    }
    if (input !== null && typeof input === 'object' && !Array.isArray(input)) return boxCommitment(input);
    throw invalidArgument(name, 'must be a digest or an AvlTree register (bytes or hex), or a box as JSON');
  }

  function digestCommitment(digest) {
    return { kind: 'digest', digest };
  }

  function registerCommitment(register) {
    const tree = raw.avlTreeFromRegister(register);
    return { kind: 'register', digest: tree.digest, shape: { keyLength: tree.keyLength, valueLength: tree.valueLength }, tree };
  }

  function boxCommitment(box) {
    const commitment = raw.trackerCommitment(jsonText(box, 'box'));
    const { tree } = commitment;
    return { kind: 'box', digest: tree.digest, shape: { keyLength: tree.keyLength, valueLength: tree.valueLength }, tree, box: commitment };
  }

  /**
   * An inert commitment as `expectRoot` takes it, named `name`: `{ digest, shape?, anchor,
   * value }`, `value` what the module reads (a digest, a tree, a box's commitment), `anchor`
   * what it is ('digest', 'tree' or 'box').
   */
  function commitmentParts(value, name) {
    if (typeof value === 'string' || value instanceof Uint8Array) return { digest: value, anchor: 'digest', value };
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { digest: value, anchor: 'digest', value };
    if (value.kind === 'digest' || value.kind === 'register' || value.kind === 'box') {
      const inner = value.kind === 'box' ? value.box : value.kind === 'register' ? value.tree : value.digest;
      if (inner === undefined) throw invalidArgument(name, `is a ${value.kind} commitment without its ${value.kind === 'digest' ? 'digest' : value.kind === 'box' ? 'box' : 'tree'}`);
      return commitmentParts(inner, name);
    }
    const tree = value.tree !== undefined ? value.tree : value;
    const shape = tree !== null && typeof tree === 'object' && typeof tree.keyLength === 'number' ? { keyLength: tree.keyLength, valueLength: tree.valueLength ?? null } : undefined;
    const anchor = value.tree !== undefined && value.trackerKey !== undefined ? 'box' : 'tree';
    return { digest: tree !== null && typeof tree === 'object' ? tree.digest : undefined, shape, anchor, value };
  }

  /**
   * The inert options of a LogVerifier with their commitments (`expectRoot`, `commitments`) as
   * the module reads them; returns what the final root is checked against: 'none', 'digest',
   * 'tree' or 'box'.
   */
  function anchorOptions(options) {
    if (options === null || typeof options !== 'object' || options instanceof Uint8Array || Array.isArray(options)) return 'none';
    if (Array.isArray(options.commitments)) {
      options.commitments = options.commitments.map((item, i) => commitmentParts(item, `commitments[${i}]`).value);
    }
    if (options.expectRoot === undefined) return 'none';
    const parts = commitmentParts(options.expectRoot, 'expectRoot');
    options.expectRoot = parts.value;
    return parts.anchor;
  }

  /** The report with `anchor`, unless the module gave it. */
  function withAnchor(report, anchor) {
    if (report !== null && typeof report === 'object' && report.anchor === undefined) report.anchor = anchor;
    return report;
  }

  /** The text of each element of a JSON array's text, which JSON.parse has accepted. */
  function jsonArrayElements(text) {
    const elements = [];
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

  /** A parsed commitment as `parseCommitments` gives it: the digest, the register's tree, or the box's commitment. */
  function asGiven(commitment) {
    return commitment.kind === 'box' ? commitment.box : commitment.kind === 'register' ? commitment.tree : commitment.digest;
  }

  /**
   * On-chain commitments as a person pastes them, oldest first: one a line — a 33-byte digest in
   * hex, an `AvlTree` register (R5) in hex, or a box as JSON on one line — with blank lines and
   * lines starting with `#` skipped; or a JSON array of the same. A line that is none of these
   * throws with its `line` (from 1).
   */
  api.parseCommitments = function parseCommitments(text) {
    if (typeof text !== 'string') throw invalidArgument('text', 'must be a string');
    const trimmed = text.trim();
    if (trimmed.startsWith('[')) {
      try {
        JSON.parse(trimmed);
      } catch (err) {
        throw invalidArgument('text', `starts with '[' but is not a JSON array: ${err.message}`);
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
        if (api.isBasisTreeError(err)) err.line = i + 1;
        throw err;
      }
    }
    return commitments;
  };

  /**
   * The options of verifyLog / verifyLogStream: the JS-only ones (`onProgress`, `signal`) taken
   * out, the rest made inert for the LogVerifier.
   */
  function verifyOptions(options, jsOnly) {
    if (options === undefined || options === null) return { rest: undefined, anchor: 'none' };
    if (typeof options !== 'object') throw invalidArgument('options', 'must be an object');
    checkOptions(options, 'options');
    const taken = {};
    const rest = [];
    for (const field of ownFields(options, 'options')) {
      if (jsOnly.includes(field[0])) taken[field[0]] = field[2];
      else rest.push(field);
    }
    if (taken.onProgress !== undefined && typeof taken.onProgress !== 'function') {
      throw invalidArgument('onProgress', 'must be a function');
    }
    if (taken.onRecord !== undefined && typeof taken.onRecord !== 'function') {
      throw invalidArgument('onRecord', 'must be a function');
    }
    if (taken.keepTree !== undefined && typeof taken.keepTree !== 'boolean') {
      throw invalidArgument('keepTree', 'must be true or false');
    }
    if (taken.signal !== undefined) taken.signal = abortSignal(taken.signal);
    const inertRest = inertFields(rest);
    if (taken.keepTree && inertRest.stateless === true) {
      throw invalidArgument('keepTree', 'cannot be true with stateless: a stateless verifier holds no tree');
    }
    return { ...taken, rest: inertRest, anchor: anchorOptions(inertRest) };
  }

  /** An AbortSignal, of this realm or another: anything with a boolean `aborted` and abort listeners. */
  function abortSignal(signal) {
    const usable =
      signal !== null &&
      typeof signal === 'object' &&
      reading('signal', () => typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function' && typeof signal.removeEventListener === 'function');
    if (!usable) throw invalidArgument('signal', 'must be an AbortSignal');
    return signal;
  }

  function abortedError(signal) {
    return basisError('ABORTED', 'log verification was aborted', undefined, reading('signal', () => signal.reason));
  }

  function throwIfAborted(signal) {
    if (signal && reading('signal', () => signal.aborted)) throw abortedError(signal);
  }

  /** `promise`, or ABORTED as soon as `signal` aborts, whichever comes first. */
  function unlessAborted(promise, signal) {
    if (!signal) return promise;
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(abortedError(signal));
      if (reading('signal', () => signal.aborted)) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = (then) => (value) => {
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
  const nextTurn =
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

  /**
   * The chunks of a ReadableStream, an async iterable or an iterable: `next()` is a promise of
   * `{ done, value }`; `close()` stops the source (cancels the stream, returns the iterator)
   * without waiting for it to agree, so that a source that never answers keeps nobody waiting.
   */
  function chunkSource(source) {
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
        const step = (result) => {
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
   * Verifies a whole log held in memory; returns the report or throws at the first bad record.
   * `onProgress({ records, bytes })` is called as the log is read.
   */
  api.verifyLog = function verifyLog(bytes, options) {
    const { onProgress, rest, anchor } = verifyOptions(options, ['onProgress']);
    const data = logBytes(bytes, 'bytes');
    const length = data.length;
    const verifier = new raw.LogVerifier(rest);
    try {
      for (let at = 0; at < length; at += SLICE_BYTES) {
        // The caller's onProgress may have taken the buffer away: its end is not the log's.
        stillHolds(data, length, 'bytes');
        verifier.push(copyBytes(data, at, Math.min(length, at + SLICE_BYTES)));
        if (onProgress) onProgress(verifier.progress());
      }
      return withAnchor(verifier.finish(), anchor);
    } finally {
      verifier.free();
    }
  };

  /**
   * The records a log's bytes hold, decoded beside a verifier and handed to `onRecord` once the
   * verifier has verified them, between two calls into the module: `decoded(slice, upTo)` after
   * the verifier's push of `slice`, with `upTo` the bytes of the log it has verified (after a
   * failure only those are decoded), `handOver(verified)` with the count of records verified.
   */
  function recordCourier(onRecord, options) {
    const limits = {};
    if (options && options.maxValueLength !== undefined) limits.maxValueLength = options.maxValueLength;
    if (options && options.maxRecordLength !== undefined) limits.maxRecordLength = options.maxRecordLength;
    const decoder = new raw.LogDecoder(limits);
    let held = [];
    let handed = 0;
    let fed = 0;
    let decodable = true;
    const take = (decode) => {
      if (!decodable) return;
      try {
        const records = decode();
        for (let i = 0; i < records.length; i++) held.push(records[i]);
      } catch {
        decodable = false; // the verifier refuses these bytes too, and says why
      }
    };
    return {
      decoded(slice, upTo) {
        const length = Math.max(0, Math.min(slice.length, upTo - fed));
        fed += length;
        take(() => decoder.push(length === slice.length ? slice : slice.subarray(0, length)));
      },
      finished: () => take(() => decoder.finish()),
      handOver(verified) {
        let i = 0;
        for (; i < held.length && handed < verified; i++, handed++) onRecord(held[i]);
        if (i > 0) held = held.slice(i);
      },
      free: () => decoder.free(),
    };
  }

  /**
   * Verifies a log as it arrives from a ReadableStream<Uint8Array> (e.g. `fetch().body`) or an
   * async iterable (e.g. a Node stream), yielding to the event loop between slices.
   * `options.signal` aborts with code ABORTED; `options.onProgress({ records, bytes })`.
   */
  api.verifyLogStream = async function verifyLogStream(source, options) {
    const { onProgress, onRecord, keepTree, signal, rest, anchor } = verifyOptions(options, ['onProgress', 'onRecord', 'keepTree', 'signal']);
    throwIfAborted(signal);
    const chunks = chunkSource(source);
    let ended = false;
    let verifier;
    let courier;
    const verified = () => Number(verifier.progress().records);
    try {
      verifier = new raw.LogVerifier(rest);
      if (onRecord) courier = recordCourier(onRecord, rest);
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
              verifier.push(slice);
              pushed = true;
            } finally {
              // A slice that fails verified up to the failing record: those records are handed.
              courier.decoded(slice, pushed ? Infinity : Number(verifier.progress().bytes));
              courier.handOver(verified());
            }
          } else {
            verifier.push(slice);
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
      let report;
      if (courier) {
        try {
          report = verifier.finish();
        } finally {
          courier.finished();
          courier.handOver(verified());
        }
      } else {
        report = verifier.finish();
      }
      withAnchor(report, anchor);
      if (keepTree) report.tree = adopt('Tree', verifier.tree());
      return report;
    } finally {
      // Stopping early (a bad record, an abort) stops the download.
      if (!ended) chunks.close();
      if (courier) courier.free();
      if (verifier) verifier.free();
    }
  };

  return api;
}
