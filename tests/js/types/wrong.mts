// Must NOT type-check: each line misuses the API (tests/js/types.test.mjs counts the errors).
import * as bt from 'basis-trees';

const t = new bt.Tree({ keyLength: 32 });
export const a: number = t.digest; // TS2322
export const b: string = t.get('00'); // TS2322
t.prove([{ type: 'insert', key: '00' }]); // TS2322: an insert needs a value
export const c: number = new bt.TreeStorage().insert('00', '00').sequenceNumber; // TS2322
bt.verifyLog(new Uint8Array(), { keyLenght: 32 }); // TS2561
bt.verifyLog(new Uint8Array(), { commitments: 'ab' }); // TS2322: a list, not one
export const d: Uint8Array = (bt.parseCommitment('00') as bt.ParsedCommitment).shape; // TS2322: a shape is no bytes
export function e(err: bt.BasisTreeError): Uint8Array | undefined { if (err.code === 'LOG_SEQUENCE') return err.expected; } // TS2322: a bigint
new bt.LogVerifier({ stateless: true }).tree().free(); // TS18048: a stateless verifier may have no tree
