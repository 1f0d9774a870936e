// Checking proofs made elsewhere: a batch against a digest, a log record by the proof it carries.
import { inert, packVerifyInput, unpackVerified } from './boundary.js';
import { commitmentParts } from './chain.js';
import { basisError } from './errors.js';
import { glue } from './glue.js';
import type { TreeOperationInput, TreeShape, VerifiedBatch, VerifyProofInput } from './types.js';

/**
 * Checks a proof of a batch against a digest; throws `PROOF_INVALID` for any proof that does not
 * verify. `input.digest` is a digest, or any commitment `expectRoot` takes (a tree, a box, a
 * parseCommitment result), whose tree's shape then is the proof's unless the input gives one,
 * which must agree (`SHAPE_MISMATCH`).
 */
export function verifyProof(input: VerifyProofInput): VerifiedBatch {
  // An inert copy holds no byte data but Uint8Arrays (asking isBytes of an object would cost a
  // thrown exception: more than the proof's check).
  const prepared = inert(input, 'input');
  if (prepared !== null && typeof prepared === 'object' && !(prepared instanceof Uint8Array) && !Array.isArray(prepared)) {
    const { digest } = prepared;
    if (digest !== null && typeof digest === 'object' && !(digest instanceof Uint8Array)) {
      const parts = commitmentParts(digest, 'digest');
      prepared.digest = parts.digest;
      if (parts.shape) {
        const given = { keyLength: prepared.keyLength ?? parts.shape.keyLength, valueLength: prepared.valueLength === undefined ? parts.shape.valueLength : prepared.valueLength };
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
  const packed = packVerifyInput(prepared);
  if (packed !== undefined) {
    return unpackVerified(glue.verifyProofPacked(packed.digest, packed.proof, packed.packed, packed.keyLength, packed.valueLength));
  }
  return glue.verifyProof(prepared);
}

/** Checks a record by the proof it carries, with no tree; throws with the record's sequence. */
export function verifyRecordProof(record: TreeOperationInput, shape?: TreeShape): void {
  glue.verifyRecordProof(inert(record, 'record'), inert(shape, 'shape'));
}
