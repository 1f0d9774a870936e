//! The JS proof API: `Tree.proveLookup`, `Tree.prove`, `verifyProof`, `verifyRecordProof`.

use super::convert::{
    bytes_arg, operations_arg, optional_uint8_array, property, record_arg, set, shape_arg,
    uint8_array,
};
use super::error::{argument, to_js};
use super::tree::JsTree;
use crate::ErrorCode;
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

/// `[Uint8Array | undefined]` of operation results.
fn results_to_js(results: &[Option<Vec<u8>>]) -> Array {
    results
        .iter()
        .map(|result| optional_uint8_array(result.as_deref()))
        .collect()
}

#[wasm_bindgen(js_class = Tree)]
impl JsTree {
    /// A proof of lookups of `keys` against the current digest; the tree does not change.
    #[wasm_bindgen(js_name = proveLookup)]
    pub fn prove_lookup(&self, keys: JsValue) -> Result<Vec<u8>, JsValue> {
        let array = keys
            .dyn_ref::<Array>()
            .ok_or_else(|| argument(ErrorCode::KeyLength, "keys must be an array"))?;
        let keys = array
            .iter()
            .map(|key| bytes_arg(&key, ErrorCode::KeyLength, "key"))
            .collect::<Result<Vec<_>, _>>()?;
        self.inner.prove_lookup(&keys).map_err(to_js)
    }

    /// Applies `ops` (all or none) and returns `{ proof, digestBefore, digestAfter, results }`.
    pub fn prove(&mut self, operations: JsValue) -> Result<JsValue, JsValue> {
        let operations = operations_arg(&operations)?;
        let batch = self.inner.prove(&operations).map_err(to_js)?;
        let object = Object::new();
        set(&object, "proof", uint8_array(&batch.proof));
        set(&object, "digestBefore", uint8_array(&batch.digest_before));
        set(&object, "digestAfter", uint8_array(&batch.digest_after));
        set(&object, "results", results_to_js(&batch.results).into());
        Ok(object.into())
    }
}

/// `verifyProof({ digest, proof, operations, keyLength, valueLength })`: the digest after the
/// operations and their results; throws `PROOF_INVALID` for any proof that does not verify.
#[wasm_bindgen(js_name = verifyProof)]
pub fn verify_proof(input: JsValue) -> Result<JsValue, JsValue> {
    if !input.is_object() {
        return Err(argument(
            ErrorCode::ProofInvalid,
            "verifyProof expects { digest, proof, operations, keyLength, valueLength }",
        ));
    }
    let digest = bytes_arg(
        &property(&input, "digest"),
        ErrorCode::ProofInvalid,
        "digest",
    )?;
    let proof = bytes_arg(&property(&input, "proof"), ErrorCode::ProofInvalid, "proof")?;
    let operations = operations_arg(&property(&input, "operations"))?;
    let shape = shape_arg(&input)?;
    let verified = crate::verify_proof(&digest, &proof, &operations, shape).map_err(to_js)?;
    let object = Object::new();
    set(&object, "digest", uint8_array(&verified.digest));
    set(&object, "results", results_to_js(&verified.results).into());
    Ok(object.into())
}

/// `verifyRecordProof(record, shape)`: checks a log record by the proof it carries, with no
/// tree; throws with the record's sequence when it does not check out.
#[wasm_bindgen(js_name = verifyRecordProof)]
pub fn verify_record_proof(record: JsValue, shape: JsValue) -> Result<(), JsValue> {
    let record = record_arg(&record)?;
    let shape = shape_arg(&shape)?;
    crate::verify_record_proof(shape, &record).map_err(to_js)
}
