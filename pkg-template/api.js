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

/** Bytes pushed into the instance per call: a chunk of any size costs at most this much memory. */
const PUSH_BYTES = 1 << 20;
/** Bytes verified between two progress reports (and, when streaming, two turns of the event loop). */
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

/** A digest in hex: 33 bytes. (An `AvlTree` register is at least 37.) */
const DIGEST_HEX = /^[0-9a-fA-F]{66}$/;

export function createApi(raw) {
  /** Per class: wrapper → the glue's object, or null once freed. */
  const handles = new Map(Object.keys(CLASSES).map((name) => [name, new WeakMap()]));
  const api = {};

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
    for (let at = 0; at < view.length; at += PUSH_BYTES) {
      each(handle.push(copyBytes(view, at, Math.min(view.length, at + PUSH_BYTES))));
    }
  }

  for (const [className, spec] of Object.entries(CLASSES)) {
    const Raw = raw[className];
    const Class = {
      [className]: class {
        constructor(...args) {
          adopt(className, new Raw(...prepare(spec.constructor, args)), this);
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
                return wrap(packed ? handle[packedMethod](packed) : handle[method](...prepared));
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

  /** The commitment a tracker's box carries, from the box as JSON: text, bytes or the parsed object. */
  api.trackerCommitment = function trackerCommitment(box) {
    return raw.trackerCommitment(jsonText(box, 'box'));
  };

  /** One commitment as pasted: a digest or an `AvlTree` register in hex, or a box (JSON text or object). */
  function commitmentOf(item, name) {
    if (typeof item === 'string') {
      const text = item.trim();
      if (text.startsWith('{')) return api.trackerCommitment(text);
      if (DIGEST_HEX.test(text)) return api.fromHex(text);
      if (/^[0-9a-fA-F]+$/.test(text)) return api.avlTreeFromRegister(text);
      throw invalidArgument(name, 'is neither a 33-byte digest nor an AvlTree register in hex, nor a box as JSON');
    }
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) return api.trackerCommitment(item);
    throw invalidArgument(name, 'must be a digest or register in hex, or a box as JSON');
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
      return jsonArrayElements(trimmed).map((item, i) => commitmentOf(item.startsWith('{') ? item : JSON.parse(item), `text[${i}]`));
    }
    const commitments = [];
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (line === '' || line.startsWith('#')) continue;
      try {
        commitments.push(commitmentOf(line, `line ${i + 1}`));
      } catch (err) {
        if (err && err.name === 'BasisTreeError') {
          err.line = i + 1;
          if (!err.message.startsWith('line ')) err.message = `line ${i + 1}: ${err.message}`;
        }
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
    if (options === undefined || options === null) return { rest: undefined };
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
    if (taken.signal !== undefined) taken.signal = abortSignal(taken.signal);
    return { ...taken, rest: inertFields(rest) };
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

  const nextTurn =
    typeof setImmediate === 'function'
      ? () => new Promise((resolve) => setImmediate(resolve))
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
    const { onProgress, rest } = verifyOptions(options, ['onProgress']);
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
      return verifier.finish();
    } finally {
      verifier.free();
    }
  };

  /**
   * Verifies a log as it arrives from a ReadableStream<Uint8Array> (e.g. `fetch().body`) or an
   * async iterable (e.g. a Node stream), yielding to the event loop between slices.
   * `options.signal` aborts with code ABORTED; `options.onProgress({ records, bytes })`.
   */
  api.verifyLogStream = async function verifyLogStream(source, options) {
    const { onProgress, signal, rest } = verifyOptions(options, ['onProgress', 'signal']);
    throwIfAborted(signal);
    const chunks = chunkSource(source);
    let ended = false;
    let verifier;
    try {
      verifier = new raw.LogVerifier(rest);
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
          verifier.push(copyBytes(data, at, end));
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
      return verifier.finish();
    } finally {
      // Stopping early (a bad record, an abort) stops the download.
      if (!ended) chunks.close();
      if (verifier) verifier.free();
    }
  };

  return api;
}
