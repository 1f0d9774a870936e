// The parts of the API written in JavaScript, over the WebAssembly exports: whole-log and
// streaming verification. The same source serves the web build (ESM) and Node (the package
// build turns it into helpers.cjs), so it imports nothing and touches no platform API beyond
// timers, AbortSignal and streams.

/** Bytes pushed to the verifier at a time, so that no single call blocks for long. */
const SLICE_BYTES = 64 * 1024;

export function createHelpers(bt) {
  // free() twice (say an explicit free() inside a `using` block) is a no-op, not an error.
  for (const value of Object.values(bt)) {
    const proto = typeof value === 'function' && value.prototype;
    if (!proto || typeof proto.free !== 'function' || proto.free.idempotent) continue;
    const free = proto.free;
    const idempotentFree = function free_() {
      if (this.__wbg_ptr) free.call(this);
    };
    idempotentFree.idempotent = true;
    proto.free = idempotentFree;
    if (typeof Symbol.dispose === 'symbol') proto[Symbol.dispose] = idempotentFree;
  }

  function basisError(code, message, extra) {
    const error = new Error(message, extra && extra.cause !== undefined ? { cause: extra.cause } : undefined);
    error.name = 'BasisTreeError';
    error.code = code;
    return error;
  }

  function asBytes(chunk, what) {
    if (chunk instanceof Uint8Array) return chunk;
    if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
    if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (typeof chunk === 'string') return new TextEncoder().encode(chunk);
    throw basisError('LOG_CORRUPT', `${what} must be a Uint8Array, an ArrayBuffer or a string`);
  }

  function verifierOptions(options) {
    const { onProgress, signal, ...rest } = options || {};
    return rest;
  }

  function throwIfAborted(signal) {
    if (signal && signal.aborted) {
      throw basisError('ABORTED', 'log verification was aborted', { cause: signal.reason });
    }
  }

  const nextTurn =
    typeof setImmediate === 'function'
      ? () => new Promise((resolve) => setImmediate(resolve))
      : () => new Promise((resolve) => setTimeout(resolve, 0));

  /** The chunks of a ReadableStream, an async iterable or an iterable, one at a time. */
  async function* chunksOf(source) {
    if (source && typeof source.getReader === 'function') {
      const reader = source.getReader();
      let done = false;
      try {
        while (true) {
          const next = await reader.read();
          if (next.done) {
            done = true;
            return;
          }
          yield next.value;
        }
      } finally {
        // Stopping early (a bad record, an abort) cancels the download.
        if (!done) await reader.cancel().catch(() => {});
        reader.releaseLock();
      }
    } else if (source && (typeof source[Symbol.asyncIterator] === 'function' || typeof source[Symbol.iterator] === 'function')) {
      yield* source;
    } else {
      throw basisError('LOG_CORRUPT', 'verifyLogStream expects a ReadableStream or an (async) iterable of Uint8Array');
    }
  }

  /**
   * Verifies a whole log held in memory; returns the report or throws at the first bad record.
   * `onProgress({ records, bytes })` is called as the log is read.
   */
  function verifyLog(bytes, options) {
    const onProgress = options && options.onProgress;
    const data = asBytes(bytes, 'the log');
    const verifier = new bt.LogVerifier(verifierOptions(options));
    try {
      for (let at = 0; at < data.length; at += SLICE_BYTES) {
        verifier.push(data.subarray(at, at + SLICE_BYTES));
        if (onProgress) onProgress(verifier.progress());
      }
      return verifier.finish();
    } finally {
      verifier.free();
    }
  }

  /**
   * Verifies a log as it arrives from a ReadableStream<Uint8Array> (e.g. `fetch().body`) or an
   * async iterable (e.g. a Node stream), yielding to the event loop between slices.
   * `options.signal` aborts with code ABORTED; `options.onProgress({ records, bytes })`.
   */
  async function verifyLogStream(source, options) {
    const onProgress = options && options.onProgress;
    const signal = options && options.signal;
    throwIfAborted(signal);
    const verifier = new bt.LogVerifier(verifierOptions(options));
    try {
      for await (const chunk of chunksOf(source)) {
        const data = asBytes(chunk, 'a chunk');
        for (let at = 0; at < data.length; at += SLICE_BYTES) {
          throwIfAborted(signal);
          verifier.push(data.subarray(at, at + SLICE_BYTES));
          if (onProgress) onProgress(verifier.progress());
          await nextTurn();
        }
        throwIfAborted(signal);
      }
      throwIfAborted(signal);
      return verifier.finish();
    } finally {
      verifier.free();
    }
  }

  return { verifyLog, verifyLogStream };
}
