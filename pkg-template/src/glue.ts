// The wasm-bindgen glue the API calls: the web build's (ES module, loaded by `init()`) or Node's
// (CommonJS, instantiated on load). Each entry hands its glue over once, before any call.

/** A glue object: its members are called with inert arguments only (see boundary.ts). */
export type GlueObject = any;

/** What the glue exports: the module's classes and functions. */
export interface Glue {
  Tree: GlueObject;
  TreeStorage: GlueObject;
  LogVerifier: GlueObject;
  LogDecoder: GlueObject;
  toHex(bytes: unknown): string;
  fromHex(text: unknown): Uint8Array;
  noteKey(issuer: unknown, recipient: unknown): Uint8Array;
  debtValue(totalDebt: unknown): Uint8Array;
  emptyDigest(shape: unknown): Uint8Array;
  verifyProof(input: unknown): GlueObject;
  verifyProofPacked(digest: Uint8Array, proof: Uint8Array, packed: Uint8Array, keyLength: number, valueLength: number): Uint8Array;
  verifyRecordProof(record: unknown, shape: unknown): void;
  encodeLog(records: unknown, shape: unknown, options: unknown): Uint8Array;
  decodeLog(bytes: unknown, options: unknown): GlueObject;
  avlTreeFromRegister(register: unknown): GlueObject;
  trackerCommitment(box: unknown): GlueObject;
}

/** The glue in use. */
export let glue: Glue;

/** Sets the glue the API calls (done once by each entry). */
export function useGlue(given: Glue): void {
  glue = given;
}
