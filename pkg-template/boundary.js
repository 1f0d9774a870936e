// The boundary between callers and the WebAssembly module. A JS exception that unwinds through
// wasm frames (a throwing getter, a Proxy trap, a detached buffer, wasm-bindgen's own "null
// pointer passed to rust") skips their epilogues: the shadow stack leaks, borrowed objects stay
// borrowed, and after some thousands of such errors the instance traps for good. So no value the
// caller owns reaches the glue: every argument is read here, once, in plain JavaScript, into an
// inert copy — primitives as they are, bytes copied through the TypedArray intrinsics captured
// below (a subclass or an own property cannot lie about a length), arrays element by element,
// objects as null-prototype copies of their own enumerable properties. Reading them from Rust
// then runs no caller code, and the Rust side checks their types and forms and names the
// argument at fault (`INVALID_ARGUMENT`).
//
// The same source serves the web build (ESM) and Node (the package build turns it into
// boundary.cjs), so it touches no platform API.

const TypedArray = Object.getPrototypeOf(Uint8Array);
const NativeUint8Array = Uint8Array;
/** `uncurry(fn)(self, ...args)` is `fn.call(self, ...args)`, whatever `fn.call` says later. */
const uncurry = Function.prototype.bind.bind(Function.prototype.call);
const getterOf = (proto, name) => uncurry(Object.getOwnPropertyDescriptor(proto, name).get);
/** 'Uint8Array', 'Uint16Array', … for a typed array (whatever its prototype says), else undefined. */
const typedArrayTag = getterOf(TypedArray.prototype, Symbol.toStringTag);
const typedArrayLength = getterOf(TypedArray.prototype, 'length');
const typedArrayBuffer = getterOf(TypedArray.prototype, 'buffer');
const typedArrayByteOffset = getterOf(TypedArray.prototype, 'byteOffset');
const typedArrayByteLength = getterOf(TypedArray.prototype, 'byteLength');
const typedArraySet = uncurry(TypedArray.prototype.set);
const arrayBufferByteLength = getterOf(ArrayBuffer.prototype, 'byteLength');
const sharedArrayBufferByteLength =
  typeof SharedArrayBuffer === 'function' ? getterOf(SharedArrayBuffer.prototype, 'byteLength') : null;
const dataViewBuffer = getterOf(DataView.prototype, 'buffer');
const dataViewByteOffset = getterOf(DataView.prototype, 'byteOffset');
const dataViewByteLength = getterOf(DataView.prototype, 'byteLength');
const { isArray } = Array;
const { isView } = ArrayBuffer;
const { keys: ownKeys, create } = Object;
const encodeText = uncurry(TextEncoder.prototype.encode);
const textEncoder = new TextEncoder();

/** Nesting deeper than this is refused (it also stops cycles). */
const MAX_DEPTH = 16;

/** A `BasisTreeError`: an `Error` with `name`, `code` and the given fields. */
export function basisError(code, message, fields, cause) {
  const error = cause === undefined ? new Error(message) : new Error(message, { cause });
  error.name = 'BasisTreeError';
  error.code = code;
  if (fields) Object.assign(error, fields);
  return error;
}

/** `INVALID_ARGUMENT`: `problem` is a predicate on `argument` ("must be an array"). */
export function invalidArgument(argument, problem, cause) {
  return basisError('INVALID_ARGUMENT', `${argument} ${problem}`, { argument }, cause);
}

/** Calls `read()`; an exception from caller code becomes INVALID_ARGUMENT naming `name`. */
function reading(name, read) {
  try {
    return read();
  } catch (err) {
    if (err && err.name === 'BasisTreeError') throw err;
    throw invalidArgument(name, `could not be read: ${describeError(err)}`, err);
  }
}

function describeError(err) {
  try {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } catch {
    return 'an exception';
  }
}

/** Whether a typed array's buffer has been detached (transferred or structuredClone'd away). */
function isDetached(view) {
  if (typedArrayLength(view) !== 0) return false;
  try {
    new NativeUint8Array(typedArrayBuffer(view), 0, 0);
    return false;
  } catch {
    return true;
  }
}

/** The kind of ArrayBuffer `value` is, read through the intrinsics: 'ArrayBuffer', 'SharedArrayBuffer' or undefined. */
function bufferKind(value) {
  try {
    arrayBufferByteLength(value);
    return 'ArrayBuffer';
  } catch {
    // not an ArrayBuffer
  }
  if (sharedArrayBufferByteLength === null) return undefined;
  try {
    sharedArrayBufferByteLength(value);
    return 'SharedArrayBuffer';
  } catch {
    return undefined;
  }
}

/**
 * The bytes of `value` as a genuine Uint8Array view (not yet a copy), when it is byte data: a
 * Uint8Array (a Node Buffer too), any other typed array or DataView (its bytes), an ArrayBuffer
 * or a SharedArrayBuffer. Undefined for anything else. A detached buffer is refused.
 */
function byteView(value, name) {
  let view;
  const tag = typedArrayTag(value);
  if (tag !== undefined) {
    if (isDetached(value)) throw detached(name);
    view = new NativeUint8Array(typedArrayBuffer(value), typedArrayByteOffset(value), typedArrayByteLength(value));
  } else if (isView(value)) {
    view = reading(name, () => new NativeUint8Array(dataViewBuffer(value), dataViewByteOffset(value), dataViewByteLength(value)));
  } else if (bufferKind(value) !== undefined) {
    try {
      view = new NativeUint8Array(value);
    } catch {
      throw detached(name); // the only ArrayBuffer a view cannot be made of
    }
  }
  return view;
}

function detached(name) {
  return invalidArgument(name, 'is (a view of) a detached ArrayBuffer, transferred or structuredClone\'d away: there are no bytes to read');
}

/** A fresh Uint8Array holding bytes `from` to `to` of a genuine Uint8Array view. */
export function copyBytes(view, from = 0, to = typedArrayLength(view)) {
  let copy;
  try {
    copy = new NativeUint8Array(to - from);
  } catch (err) {
    throw basisError('OUT_OF_MEMORY', `out of memory: ${to - from} bytes cannot be allocated to copy an argument`, undefined, err);
  }
  typedArraySet(copy, from === 0 && to === typedArrayLength(view) ? view : new NativeUint8Array(typedArrayBuffer(view), typedArrayByteOffset(view) + from, to - from));
  return copy;
}

/**
 * The bytes of a log (or of a chunk of one) named `name`: byte data of any kind, or a string
 * taken as its UTF-8 text (NDJSON). A genuine Uint8Array view of the caller's bytes, to be copied
 * slice by slice with `copyBytes`.
 */
export function logBytes(value, name) {
  if (typeof value === 'string') return encodeText(textEncoder, value);
  const view = value !== null && typeof value === 'object' ? byteView(value, name) : undefined;
  if (view === undefined) {
    throw invalidArgument(name, `must be a Uint8Array, an ArrayBuffer (or a view of one) or a string of NDJSON text, not ${describe(value)}`);
  }
  return view;
}

/**
 * A box as JSON, named `name`, for the glue: its text as given (a string, or byte data of its
 * UTF-8, copied), or the object it parses to, made inert and written back as text (a `bigint`
 * as its digits, as nodes write large amounts).
 */
export function jsonText(value, name) {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const view = byteView(value, name);
    if (view !== undefined) return copyBytes(view);
    const copy = inert(value, name);
    return JSON.stringify(copy, (key, field) => (typeof field === 'bigint' ? field.toString() : field));
  }
  throw invalidArgument(name, `must be a box as JSON: its text, a Uint8Array of it, or the object it parses to, not ${describe(value)}`);
}

/** What a value is, for messages, without running any of its code. */
function describe(value) {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
  const tag = typedArrayTag(value);
  return tag ? `a ${tag}` : 'an object';
}

/** Arguments whose fields are named by their keys alone (`expectRoot`, not `options.expectRoot`). */
const OPTION_BAGS = new Set(['options', 'shape', 'input']);

/** Stands in for a function: the Rust side sees "a function" and never calls it. */
function functionStandIn() {}

/**
 * The own enumerable properties of an object argument, each getter called once:
 * `[key, name, value]` triples, where `name` names the field in messages.
 */
export function ownFields(value, name) {
  const keys = reading(name, () => ownKeys(value));
  const prefix = OPTION_BAGS.has(name) ? '' : `${name}.`;
  return keys.map((key) => {
    const fieldName = `${prefix}${key}`;
    return [key, fieldName, reading(fieldName, () => value[key])];
  });
}

/**
 * An inert copy of the argument `value` named `name`, safe to hand to the glue: primitives as
 * they are, Uint8Arrays copied, other byte data and functions replaced by stand-ins (the Rust
 * side refuses them by type), arrays copied element by element, other objects copied as
 * null-prototype objects of their own enumerable properties.
 */
export function inert(value, name, depth = 0) {
  if (typeof value === 'function') return functionStandIn;
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) throw invalidArgument(name, `is nested more than ${MAX_DEPTH} levels deep`);
  const tag = typedArrayTag(value);
  if (tag === 'Uint8Array') {
    if (isDetached(value)) throw detached(name);
    return reading(name, () => copyBytes(byteView(value, name)));
  }
  // Other byte data stands in as an empty object, which the Rust side refuses by type; an
  // ArrayBuffer has no own enumerable properties, so it becomes one below too.
  if (tag !== undefined || isView(value)) return create(null);
  if (reading(name, () => isArray(value))) {
    const length = reading(`${name}.length`, () => value.length);
    if (!Number.isSafeInteger(length) || length < 0) throw invalidArgument(name, 'has no valid length');
    const copy = [];
    for (let i = 0; i < length; i++) {
      const elementName = `${name}[${i}]`;
      copy.push(inert(reading(elementName, () => value[i]), elementName, depth + 1));
    }
    return copy;
  }
  return inertFields(ownFields(value, name), depth);
}

/** A null-prototype object of `[key, name, value]` fields, each value made inert. */
export function inertFields(fields, depth = 0) {
  const copy = create(null);
  for (const [key, name, value] of fields) copy[key] = inert(value, name, depth + 1);
  return copy;
}
