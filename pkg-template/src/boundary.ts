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
// The same source serves the web build (ESM) and Node (CommonJS), so it touches no platform API.

import { basisError, invalidArgument } from './errors.js';
import type { BasisTreeError } from './errors.js';
import type { ByteArray } from './types.js';

/** A value of the caller's, or a copy of one: whatever it may be, read with care below. */
type Any = any;

const TypedArray: Any = Object.getPrototypeOf(Uint8Array);
const NativeUint8Array = Uint8Array;
/** `uncurry(fn)(self, ...args)` is `fn.call(self, ...args)`, whatever `fn.call` says later. */
const uncurry: (fn: Any) => (self: unknown, ...args: Any[]) => Any = Function.prototype.bind.bind(Function.prototype.call) as Any;
const getterOf = (proto: object, name: PropertyKey) => uncurry(Object.getOwnPropertyDescriptor(proto, name)!.get);
/** 'Uint8Array', 'Uint16Array', … for a typed array (whatever its prototype says), else undefined. */
const typedArrayTag = getterOf(TypedArray.prototype, Symbol.toStringTag);
const typedArrayLength = getterOf(TypedArray.prototype, 'length');
const typedArrayBuffer = getterOf(TypedArray.prototype, 'buffer');
const typedArrayByteOffset = getterOf(TypedArray.prototype, 'byteOffset');
const typedArrayByteLength = getterOf(TypedArray.prototype, 'byteLength');
const typedArraySet = uncurry(TypedArray.prototype.set);
const typedArrayIncludes = uncurry(TypedArray.prototype.includes);
const objectToString = uncurry(Object.prototype.toString);
const isPrototypeOf = uncurry(Object.prototype.isPrototypeOf);
const { getPrototypeOf } = Object;
const ObjectPrototype = Object.prototype;
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

/** An own enumerable property of an object argument: `[key, name in messages, value]`. */
export type Field = [string, string, unknown];

/** What one argument's copy remembers (see `copying`). */
interface Copying {
  copies: Map<object, Any>;
  open: Map<object, string>;
}

/** Nesting deeper than this is refused. */
const MAX_DEPTH = 16;
/**
 * Elements an array argument may have: a longer one is refused before any element is read (a
 * sparse array or a Proxy claims a length at no cost, and reading it would not end).
 */
const MAX_ELEMENTS = 1 << 24;
/**
 * Values a box given as an object may hold, counted as JSON writes them (a value reached twice
 * counted twice): more would be more JSON than the 1 MiB a box's text may be.
 */
const MAX_JSON_VALUES = 1 << 20;

/** Calls `read()`; an exception from caller code becomes INVALID_ARGUMENT naming `name`. */
export function reading<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw unreadable(name, err);
  }
}

/** What `reading` throws for `err`, thrown while `name` was read. */
function unreadable(name: string, err: Any): BasisTreeError {
  if (err && err.name === 'BasisTreeError') return err;
  return invalidArgument(name, `could not be read: ${describeError(err)}`, err);
}

function describeError(err: unknown): string {
  try {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } catch {
    return 'an exception';
  }
}

/**
 * Refuses a typed array that has no bytes to read: its buffer detached (transferred or
 * structuredClone'd away), or resized so that the view is out of its bounds. (Either reads as
 * length 0; so does an empty view, which is fine.)
 */
function checkReadable(view: Any, name: string): void {
  if (typedArrayLength(view) !== 0) return;
  try {
    typedArrayIncludes(view, 0); // validates the view, runs no caller code
    return;
  } catch {
    // detached, or out of bounds
  }
  try {
    new NativeUint8Array(typedArrayBuffer(view), 0, 0);
  } catch {
    throw detached(name);
  }
  throw invalidArgument(name, 'is a view out of the bounds of its ArrayBuffer, which was resized smaller: there are no bytes to read');
}

/** The kind of ArrayBuffer `value` is, read through the intrinsics: 'ArrayBuffer', 'SharedArrayBuffer' or undefined. */
function bufferKind(value: unknown): string | undefined {
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
function byteView(value: Any, name: string): Uint8Array | undefined {
  let view;
  const tag = typedArrayTag(value);
  if (tag !== undefined) {
    checkReadable(value, name);
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

function detached(name: string): BasisTreeError {
  return invalidArgument(name, 'is (a view of) a detached ArrayBuffer, transferred or structuredClone\'d away: there are no bytes to read');
}

/**
 * Refuses a view of `length` bytes read earlier that no longer holds them: its buffer was
 * detached or shrunk since (by the caller's own code, while the bytes were being verified).
 */
export function stillHolds(view: Uint8Array, length: number, name: string): void {
  if (typedArrayLength(view) === length) return;
  checkReadable(view, name);
  throw invalidArgument(name, `changed from ${length} to ${typedArrayLength(view)} bytes while it was being read`);
}

/** A fresh Uint8Array holding bytes `from` to `to` of a genuine Uint8Array view. */
export function copyBytes(view: Uint8Array, from = 0, to: number = typedArrayLength(view)): Uint8Array<ArrayBuffer> {
  let copy;
  try {
    copy = new NativeUint8Array(to - from);
  } catch (err) {
    throw basisError('OUT_OF_MEMORY', `out of memory: ${to - from} bytes cannot be allocated to copy an argument`, undefined, err);
  }
  typedArraySet(copy, from === 0 && to === typedArrayLength(view) ? view : new NativeUint8Array(typedArrayBuffer(view), typedArrayByteOffset(view) + from, to - from));
  return copy;
}

/** Whether `value` is byte data: a typed array, a DataView, an ArrayBuffer or a SharedArrayBuffer. */
export function isBytes(value: unknown): boolean {
  return typedArrayTag(value) !== undefined || isView(value) || bufferKind(value) !== undefined;
}

/**
 * The bytes of a log (or of a chunk of one) named `name`: byte data of any kind, or a string
 * taken as its UTF-8 text (NDJSON). A genuine Uint8Array view of the caller's bytes, to be copied
 * slice by slice with `copyBytes`.
 */
export function logBytes(value: unknown, name: string): Uint8Array {
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
export function jsonText(value: unknown, name: string): string | Uint8Array {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const view = byteView(value, name);
    if (view !== undefined) return copyBytes(view);
    const copy = inert(value, name);
    if (valuesWritten(copy, new Map(), name) > MAX_JSON_VALUES) {
      throw invalidArgument(name, `holds more than ${MAX_JSON_VALUES} values (an object reached twice counts twice): more JSON than a box can be`);
    }
    return JSON.stringify(copy, (key, field) => (typeof field === 'bigint' ? field.toString() : field));
  }
  throw invalidArgument(name, `must be a box as JSON: its text, a Uint8Array of it, or the object it parses to, not ${describe(value)}`);
}

/** What a value is, for messages, without running any of its code. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
  const tag = typedArrayTag(value);
  return tag ? `a ${tag}` : 'an object';
}

/** Arguments whose fields are named by their keys alone (`expectRoot`, not `options.expectRoot`). */
const OPTION_BAGS = new Set(['options', 'shape', 'input']);

/** Stands in for a function: the Rust side sees "a function" and never calls it. */
function functionStandIn(): void {}

/** 'a Map', 'an ArrayBuffer'. */
function aOrAn(kind: string | undefined): string {
  return `${/^[AEIO]/.test(kind ?? '') ? 'an' : 'a'} ${kind}`; // (a Uint8Array)
}

/** What kind of byte data `value` is: 'Uint16Array', 'DataView', 'ArrayBuffer'… */
function bytesKind(value: unknown): string | undefined {
  return typedArrayTag(value) || (isView(value) ? 'DataView' : bufferKind(value));
}

/** INVALID_ARGUMENT for byte data other than a Uint8Array where a log is not taken. */
function notBytes(value: unknown, name: string): BasisTreeError {
  return invalidArgument(name, `is ${aOrAn(bytesKind(value))}, which it cannot be: bytes are given as a Uint8Array or a hex string`);
}

/** Refuses an options argument that is not a plain object: byte data, an array, a Map… */
export function checkOptions(value: unknown, name: string): void {
  if (typedArrayTag(value) === 'Uint8Array') checkReadable(value, name);
  if (isBytes(value)) throw invalidArgument(name, `must be an object of options, not ${aOrAn(bytesKind(value))}`);
  if (reading(name, () => isArray(value))) throw invalidArgument(name, 'must be an object of options, not an array');
  plainObject(value, name);
}

/**
 * Refuses an object that is not a plain one (its own properties all it holds): a Map, a Date, a
 * boxed number, a Promise… would otherwise read as an empty object, options that ask for nothing.
 * An object of any prototype whose tag is `Object` is plain (`Object.create(null)`, a class's).
 * With `bytesRefused`, an ArrayBuffer is refused as bytes given where none are taken.
 *
 * Whether an object is an ArrayBuffer is known for sure only by calling an ArrayBuffer method on
 * it, which throws for anything else, and a thrown exception costs microseconds: the price of
 * every operation of a batch, many times what the tree spends on it. So it is asked of objects
 * whose tag is not `Object` only. An ArrayBuffer disguised as a plain object (its prototype
 * swapped, its tag overwritten) passes here; `inert` asks again of an object with no own
 * properties, so one given bare is still refused, and one given properties is read as the plain
 * object it claims to be: its own properties, never its bytes.
 */
function plainObject(value: unknown, name: string, bytesRefused = false): void {
  let tag;
  try {
    tag = objectToString(value);
  } catch (err) {
    if (bytesRefused && bufferKind(value) !== undefined) throw notBytes(value, name);
    throw unreadable(name, err);
  }
  if (tag !== '[object Object]') {
    if (bytesRefused && bufferKind(value) !== undefined) throw notBytes(value, name);
    throw invalidArgument(name, `is ${aOrAn(tag.slice(8, -1))}, not a plain object`);
  }
  const imitated = reading(name, () => imitatedBytes(value));
  if (imitated !== undefined) {
    throw invalidArgument(
      name,
      `is not ${imitated} but an object that passes for one (a Proxy over it, or an object given its prototype): bytes are read from a genuine Uint8Array only`,
    );
  }
}

/** Byte data whose prototype an object that is not byte data has ('a Uint8Array'…), or undefined. */
function imitatedBytes(value: unknown): string | undefined {
  const proto = getPrototypeOf(value);
  if (proto === ObjectPrototype || proto === null) return undefined; // a plain object's, at once
  if (isPrototypeOf(NativeUint8Array.prototype, value)) return 'a Uint8Array';
  if (isPrototypeOf(TypedArray.prototype, value)) return 'a typed array';
  if (isPrototypeOf(DataView.prototype, value)) return 'a DataView';
  if (isPrototypeOf(ArrayBuffer.prototype, value)) return bufferKind(value) === undefined ? 'an ArrayBuffer' : undefined;
  return undefined;
}

/**
 * The own enumerable properties of an object argument, each getter called once:
 * `[key, name, value]` triples, where `name` names the field in messages.
 */
export function ownFields(value: Any, name: string): Field[] {
  const keys = reading(name, () => ownKeys(value));
  const prefix = OPTION_BAGS.has(name) ? '' : `${name}.`;
  return keys.map((key) => {
    const fieldName = `${prefix}${key}`;
    return [key, fieldName, reading(fieldName, () => value[key])];
  });
}

/**
 * How many values JSON.stringify writes for an inert copy named `name`, counting an object each
 * time it is reached (`counted` memoises each object's count; counting stops past
 * MAX_JSON_VALUES). A whole number beyond 2^53 is refused: `JSON.parse` rounded it (an amount of
 * tokens, say), so the box's id would no longer be the hash of what it holds.
 */
function valuesWritten(copy: Any, counted: Map<object, number>, name: string): number {
  if (typeof copy === 'number' && Number.isInteger(copy) && !Number.isSafeInteger(copy)) {
    throw invalidArgument(
      name,
      `is ${copy}, beyond 2^53: JavaScript numbers are exact only up to 2^53, so JSON.parse has rounded it and the box would not be the box. Give the box as its JSON text, or this number as a bigint`,
    );
  }
  if (copy === null || typeof copy !== 'object' || typedArrayTag(copy) !== undefined) return 1;
  let count = counted.get(copy);
  if (count === undefined) {
    count = 1;
    const list = isArray(copy);
    for (const key of ownKeys(copy)) {
      count += valuesWritten(copy[key], counted, list ? `${name}[${key}]` : `${name}.${key}`);
      if (count > MAX_JSON_VALUES) break;
    }
    counted.set(copy, count);
  }
  return count;
}

function tooDeep(name: string): BasisTreeError {
  return invalidArgument(name, `is nested more than ${MAX_DEPTH} levels deep`);
}

/**
 * Bytes up to this long are copied each time an argument reaches them: remembering them costs
 * more than copying them, and each copy is as small as the field that holds it (objects and
 * arrays are copied once however often they are reached, so the copies stay in proportion to
 * the argument). Longer ones are copied once.
 */
const SHARED_BYTES = 256;

/** The inert copy of a Uint8Array reached `depth` levels down (see `inert`). */
function inertBytes(value: Uint8Array, name: string, context: Copying, depth: number): Uint8Array {
  const shared = typedArrayLength(value) > SHARED_BYTES;
  if (shared) {
    const known = context.copies.get(value);
    if (known !== undefined) return known;
  }
  if (depth > MAX_DEPTH) throw tooDeep(name);
  checkReadable(value, name);
  // Copied straight from itself (checked readable just above): no view of it.
  const copy = reading(name, () => copyBytes(value));
  if (shared) context.copies.set(value, copy);
  return copy;
}

/**
 * What one argument's copy remembers: the copy of every object already copied (an object reached
 * twice is copied once, so a structure of shared objects costs what it holds, not the number of
 * paths through it), and the objects being copied with their names (reaching one again is a
 * cycle).
 */
function copying(): Copying {
  return { copies: new Map(), open: new Map() };
}

/**
 * An inert copy of the argument `value` named `name`, safe to hand to the glue: primitives as
 * they are, Uint8Arrays copied, other byte data and functions replaced by stand-ins (the Rust
 * side refuses them by type), arrays copied element by element (a hole, or more than
 * MAX_ELEMENTS, refused), other objects copied as null-prototype objects of their own enumerable
 * properties. An object that contains itself is refused.
 */
export function inert(given: unknown, name: string, context: Copying = copying(), depth = 0): Any {
  if (typeof given === 'function') return functionStandIn;
  if (given === null || typeof given !== 'object') return given;
  const value: Any = given;
  const tag = typedArrayTag(value);
  if (tag === 'Uint8Array') return inertBytes(value, name, context, depth);
  const outer = context.open.get(value);
  if (outer !== undefined) {
    throw invalidArgument(name, `is ${outer}: an argument that contains itself cannot be read`);
  }
  const known = context.copies.get(value);
  if (known !== undefined) return known;
  if (depth > MAX_DEPTH) throw tooDeep(name);
  // Bytes are a Uint8Array or a hex string: other byte data is refused here, as no argument
  // that is not a log takes it.
  if (tag !== undefined || isView(value)) throw notBytes(value, name);
  const isList = reading(name, () => isArray(value));
  if (!isList) plainObject(value, name, true);
  context.open.set(value, name);
  let copy: Any;
  if (isList) {
    const length = reading(`${name}.length`, () => value.length);
    if (!Number.isSafeInteger(length) || length < 0) throw invalidArgument(name, 'has no valid length');
    if (length > MAX_ELEMENTS) {
      throw invalidArgument(name, `has ${length} elements, more than the ${MAX_ELEMENTS} an argument may have`);
    }
    copy = [];
    context.copies.set(value, copy);
    for (let i = 0; i < length; i++) {
      const elementName = `${name}[${i}]`;
      if (!reading(elementName, () => i in value)) {
        throw invalidArgument(elementName, 'is a hole: the array is sparse, and every element must be given');
      }
      copy.push(inert(reading(elementName, () => value[i]), elementName, context, depth + 1));
    }
  } else {
    const fields = ownFields(value, name);
    // An ArrayBuffer disguised as a plain object (see `plainObject`) has no own properties:
    // asked only of an object that has none, as the question costs a thrown exception.
    if (fields.length === 0 && bufferKind(value) !== undefined) throw notBytes(value, name);
    copy = create(null);
    context.copies.set(value, copy);
    fillFields(copy, fields, context, depth);
  }
  context.open.delete(value);
  return copy;
}

/** Operation types in the order of their packed codes (bindings/src/convert.rs has the same list). */
const PACKED_TYPES = ['lookup', 'insert', 'update', 'insertOrUpdate', 'remove', 'removeIfExists'];
/** Null-prototype lookups: read with `[]`, they run no code a page may have replaced. */
const lookup = (entries: [string, Any][]): Record<string, Any> => Object.freeze(Object.assign(create(null), Object.fromEntries(entries)));
const PACKED_CODES = lookup(PACKED_TYPES.map((type, code) => [type, code]));
/** Types whose operations carry a value. */
const VALUE_TYPES = lookup(['insert', 'update', 'insertOrUpdate'].map((type) => [type, true]));
const OPERATION_FIELDS = lookup(['type', 'key', 'value'].map((field) => [field, true]));
/** The longest value a tree takes (`MAX_VALUE_LENGTH` of the crate). */
const MAX_VALUE_LENGTH = 16 * 1024 * 1024;

/**
 * Operations already made inert (`inert`), packed into one buffer for a tree of `shape`
 * (`{ keyLength, valueLength }`): per operation its type's code, its key, and for a type that
 * carries a value the value's length (u32, big-endian) and bytes. The module then copies one
 * buffer instead of reading every field of every object from JavaScript, which costs more than
 * the tree's own work on a batch. Undefined unless every operation is a `{ type, key, value? }`
 * of a known type with Uint8Array bytes of the shape's lengths: anything else goes to the module
 * as objects, and it says what is wrong, as it always has.
 */
export function packOperations(operations: Any, shape: { keyLength: number; valueLength: number | null }): Uint8Array | undefined {
  if (!isArray(operations)) return undefined;
  const { keyLength, valueLength } = shape;
  const count = operations.length;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const operation = operations[i];
    if (operation === null || typeof operation !== 'object' || isArray(operation) || typedArrayTag(operation) !== undefined) return undefined;
    const fields = ownKeys(operation);
    for (let f = 0; f < fields.length; f++) if (OPERATION_FIELDS[fields[f]] !== true) return undefined;
    const { type, key, value } = operation;
    if (typeof type !== 'string' || PACKED_CODES[type] === undefined) return undefined;
    if (typedArrayTag(key) !== 'Uint8Array' || typedArrayLength(key) !== keyLength) return undefined;
    total += 1 + keyLength;
    if (VALUE_TYPES[type]) {
      if (typedArrayTag(value) !== 'Uint8Array') return undefined;
      const length = typedArrayLength(value);
      if (valueLength === null ? length > MAX_VALUE_LENGTH : length !== valueLength) return undefined;
      total += 4 + length;
    }
  }
  let packed;
  try {
    packed = new NativeUint8Array(total);
  } catch {
    return undefined; // the module says OUT_OF_MEMORY for the operations themselves
  }
  let at = 0;
  for (let i = 0; i < count; i++) {
    const { type, key, value } = operations[i];
    packed[at++] = PACKED_CODES[type];
    typedArraySet(packed, key, at);
    at += keyLength;
    if (VALUE_TYPES[type]) {
      const length = typedArrayLength(value);
      packed[at++] = length >>> 24;
      packed[at++] = (length >>> 16) & 0xff;
      packed[at++] = (length >>> 8) & 0xff;
      packed[at++] = length & 0xff;
      typedArraySet(packed, value, at);
      at += length;
    }
  }
  return packed;
}

/** The fields of `verifyProof`'s input. */
const VERIFY_FIELDS = lookup(['digest', 'proof', 'operations', 'keyLength', 'valueLength'].map((field) => [field, true]));
/** The longest key a tree takes (`MAX_KEY_LENGTH` of the crate). */
const MAX_KEY_LENGTH = 1024;
/** The key length of a shape that does not give one (`TreeShape::BASIS_TRACKER` of the crate). */
const DEFAULT_KEY_LENGTH = 32;
/** The most bytes `verifyProof` hands the module in one packed call; more goes as objects, whose
 *  copies the module makes itself and answers OUT_OF_MEMORY for. */
const PACKED_VERIFY_LIMIT = 1 << 20;

/** What `verifyProofPacked` takes: `verifyProof`'s input, made inert and packed. */
export interface PackedVerify {
  digest: Uint8Array;
  proof: Uint8Array;
  packed: Uint8Array;
  keyLength: number;
  /** -1 for values of any length. */
  valueLength: number;
}

const isLength = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/**
 * `verifyProof`'s input, already made inert, packed for the module: one call with three buffers
 * and two numbers, where reading the input's fields and every operation's from JavaScript costs
 * the module several times the proof's own check. Undefined unless the input is exactly what the
 * module would accept (a 33-byte digest, Uint8Array bytes, lengths in range, operations
 * `packOperations` packs, no other field) and small: anything else goes to the module as objects,
 * and it says what is wrong, as it always has.
 */
export function packVerifyInput(input: Any): PackedVerify | undefined {
  if (input === null || typeof input !== 'object' || isArray(input) || typedArrayTag(input) !== undefined) return undefined;
  const fields = ownKeys(input);
  for (let f = 0; f < fields.length; f++) if (VERIFY_FIELDS[fields[f]] !== true) return undefined;
  const { digest, proof, operations } = input;
  const keyLength = input.keyLength === undefined ? DEFAULT_KEY_LENGTH : input.keyLength;
  const valueLength = input.valueLength === undefined ? null : input.valueLength;
  if (!isLength(keyLength, 1, MAX_KEY_LENGTH)) return undefined;
  if (valueLength !== null && !isLength(valueLength, 0, MAX_VALUE_LENGTH)) return undefined;
  if (typedArrayTag(digest) !== 'Uint8Array' || typedArrayLength(digest) !== 33) return undefined;
  if (typedArrayTag(proof) !== 'Uint8Array' || typedArrayLength(proof) > PACKED_VERIFY_LIMIT) return undefined;
  const packed = packOperations(operations, { keyLength, valueLength });
  if (packed === undefined || typedArrayLength(packed) + typedArrayLength(proof) > PACKED_VERIFY_LIMIT) return undefined;
  return { digest, proof, packed, keyLength, valueLength: valueLength === null ? -1 : valueLength };
}

/**
 * `verifyProofPacked`'s answer read back: the digest's 33 bytes, then per operation 0 (no value)
 * or 1, the value's length (u32, big-endian) and its bytes.
 */
export function unpackVerified(out: Uint8Array): { digest: ByteArray; results: (ByteArray | undefined)[] } {
  const digest = out.slice(0, 33);
  const results: (ByteArray | undefined)[] = [];
  let at = 33;
  while (at < out.length) {
    if (out[at++] === 0) {
      results.push(undefined);
      continue;
    }
    const length = ((out[at] << 24) >>> 0) + (out[at + 1] << 16) + (out[at + 2] << 8) + out[at + 3];
    at += 4;
    results.push(out.slice(at, at + length));
    at += length;
  }
  return { digest, results };
}

/** A null-prototype object of `[key, name, value]` fields (an options argument's), each value made inert. */
export function inertFields(fields: Field[]): Any {
  return fillFields(create(null), fields, copying(), 0);
}

function fillFields(copy: Any, fields: Field[], context: Copying, depth: number): Any {
  for (const [key, name, value] of fields) copy[key] = inert(value, name, context, depth + 1);
  return copy;
}
