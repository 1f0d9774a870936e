//! The JS proof API: `Tree.proveLookup`, `Tree.prove`, `verifyProof`, `verifyRecordProof`.

use super::convert::{
    self, array_of, digest, operations_arg, record_arg, shape_arg, shape_of, Fields,
};
use super::error::to_js;
use super::output::{optional_uint8_array, set, uint8_array};
use super::tree::JsTree;
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
        let shape = self.inner.shape();
        let keys = array_of(&keys, "keys", |key, name| convert::key(key, name, shape))?;
        self.inner.prove_lookup(&keys).map_err(to_js)
    }

    /// Applies `ops` (all or none) and returns `{ proof, digestBefore, digestAfter, results }`.
    pub fn prove(&mut self, operations: JsValue) -> Result<JsValue, JsValue> {
        let operations = operations_arg(&operations, "operations", self.inner.shape())?;
        self.prove_operations(&operations)
    }

    /// `prove` of operations the package packed (`packOperations` in boundary.js).
    #[wasm_bindgen(js_name = provePacked)]
    pub fn prove_packed(&mut self, packed: &[u8]) -> Result<JsValue, JsValue> {
        let operations = convert::packed_operations(packed, self.inner.shape())?;
        self.prove_operations(&operations)
    }
}

impl JsTree {
    fn prove_operations(
        &mut self,
        operations: &[basis_trees::Operation],
    ) -> Result<JsValue, JsValue> {
        let batch = self.inner.prove(operations).map_err(to_js)?;
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
    let known = ["digest", "proof", "operations", "keyLength", "valueLength"];
    if convert::is_absent(&input) {
        return Err(super::error::invalid(
            "input",
            format!("must be an object with the fields {}", known.join(", ")),
        ));
    }
    let input = Fields::options(&input, "input", &known)?;
    let shape = shape_of(&input)?;
    let digest = input.required("digest", digest)?;
    let proof = input.required("proof", convert::bytes)?;
    let operations = input.required("operations", |ops, name| operations_arg(ops, name, shape))?;
    let verified = basis_trees::verify_proof(&digest, &proof, &operations, shape).map_err(to_js)?;
    let object = Object::new();
    set(&object, "digest", uint8_array(&verified.digest));
    set(&object, "results", results_to_js(&verified.results).into());
    Ok(object.into())
}

/// `verifyProof` of an input the package read and packed (`packVerifyInput` in boundary.ts): the
/// operations packed as `packOperations` packs them, `value_length` -1 for values of any length.
/// Returns the digest after the operations (33 bytes), then per operation 0 (no value) or 1, the
/// value's length (u32, big-endian) and its bytes: one call and one buffer each way, where the
/// input's fields read one by one cost several times the proof's check.
#[wasm_bindgen(js_name = verifyProofPacked)]
pub fn verify_proof_packed(
    digest: &[u8],
    proof: &[u8],
    packed: &[u8],
    key_length: u32,
    value_length: i32,
) -> Result<Vec<u8>, JsValue> {
    let value_length = usize::try_from(value_length).ok();
    let shape = basis_trees::TreeShape::new(key_length as usize, value_length).map_err(to_js)?;
    if digest.len() != 33 {
        return Err(convert::not_a_digest("digest", digest.len()));
    }
    let operations = convert::packed_operations(packed, shape)?;
    let verified = basis_trees::verify_proof(digest, proof, &operations, shape).map_err(to_js)?;
    let values: usize = verified.results.iter().flatten().map(|v| 5 + v.len()).sum();
    let mut out = Vec::with_capacity(33 + verified.results.len() + values);
    out.extend_from_slice(&verified.digest);
    for result in &verified.results {
        match result {
            None => out.push(0),
            Some(value) => {
                out.push(1);
                out.extend_from_slice(&(value.len() as u32).to_be_bytes());
                out.extend_from_slice(value);
            }
        }
    }
    Ok(out)
}

/// `verifyRecordProof(record, shape)`: checks a log record by the proof it carries, with no
/// tree; throws with the record's sequence when it does not check out.
#[wasm_bindgen(js_name = verifyRecordProof)]
pub fn verify_record_proof(record: JsValue, shape: JsValue) -> Result<(), JsValue> {
    let record = record_arg(&record, "record")?;
    let shape = shape_arg(&shape, "shape")?;
    basis_trees::verify_record_proof(shape, &record).map_err(to_js)
}
