// Bytes as people and the tracker write them: hex, note keys, debt values, empty digests.
import { inert } from './boundary.js';
import { invalidArgument } from './errors.js';
import { glue } from './glue.js';
import type { ByteArray, Bytes, TreeShape } from './types.js';

/** Hex as a person pastes it: surrounding whitespace and a `0x` prefix around the digits. */
export const PASTED_HEX = /^\s*(?:0[xX])?([0-9a-fA-F]*)\s*$/;

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Bytes): string {
  return glue.toHex(inert(bytes, 'bytes'));
}

/** The bytes of a hex string, in either case; `0x` and surrounding whitespace are taken. */
export function fromHex(text: string): ByteArray {
  return glue.fromHex(inert(text, 'text')) as ByteArray;
}

/** The tracker tree's key of a note: blake2b256(issuer ‖ recipient). */
export function noteKey(issuer: Bytes, recipient: Bytes): ByteArray {
  return glue.noteKey(inert(issuer, 'issuer'), inert(recipient, 'recipient')) as ByteArray;
}

/** The tracker tree's value of a note: its total debt as 8 bytes big-endian. */
export function debtValue(totalDebt: bigint | number): ByteArray {
  return glue.debtValue(inert(totalDebt, 'totalDebt')) as ByteArray;
}

/** The debt of a note's value: 8 bytes big-endian (`debtValue`'s inverse), else `INVALID_ARGUMENT`. */
export function decodeDebt(bytes: Bytes): bigint {
  const copy: unknown = inert(bytes, 'bytes');
  const digits = typeof copy === 'string' ? PASTED_HEX.exec(copy) : null;
  if (typeof copy === 'string' && digits === null) throw invalidArgument('bytes', 'is not valid hex');
  const length = digits ? digits[1].length / 2 : copy instanceof Uint8Array ? copy.length : undefined;
  if (length === undefined) throw invalidArgument('bytes', 'must be a Uint8Array or a hex string');
  if (length !== 8) throw invalidArgument('bytes', `is ${length} bytes, not the 8 of a debt (big-endian)`);
  const value = digits ? glue.fromHex(digits[1]) : (copy as Uint8Array);
  return new DataView(value.buffer, value.byteOffset, 8).getBigUint64(0);
}

/** The digest of an empty tree of `shape`. */
export function emptyDigest(shape?: TreeShape): ByteArray {
  return glue.emptyDigest(inert(shape, 'shape')) as ByteArray;
}
