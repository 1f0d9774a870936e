// The platform's secure randomness, for the nonces of signatures: `globalThis.crypto` (browsers,
// workers, Node 19 and later), or what the Node entry hands over (Node 18's `webcrypto`).
import { basisError } from './errors.js';

/** The platform's secure randomness: `globalThis.crypto`, or Node 18's `webcrypto` (set by the Node entry). */
let nodeCrypto: { getRandomValues(array: Uint8Array): Uint8Array } | undefined;

/** Sets the randomness Node 18 has no global for (`require('node:crypto').webcrypto`). */
export function useCrypto(given: { getRandomValues(array: Uint8Array): Uint8Array }): void {
  nodeCrypto = given;
}

/** 32 fresh random bytes from the platform's secure generator. */
export function freshEntropy(): Uint8Array {
  const source = (globalThis as { crypto?: { getRandomValues?: unknown } }).crypto;
  const random = typeof source?.getRandomValues === 'function' ? (source as typeof nodeCrypto) : nodeCrypto;
  if (random === undefined) {
    throw basisError('OPERATION_FAILED', 'no secure randomness: this platform has no crypto.getRandomValues, and a signature cannot be made without it');
  }
  const entropy = new Uint8Array(32);
  random.getRandomValues(entropy);
  return entropy;
}

