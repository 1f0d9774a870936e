//! The JavaScript bindings of basis-trees (wasm32 only): the classes and functions of the npm
//! package's WebAssembly module, the only code that knows about JS. It converts arguments (bytes
//! as `Uint8Array` or hex strings, u64 as `bigint`, option objects), calls the core (the crate
//! `basis_trees`), and turns [`basis_trees::Error`] into a thrown `BasisTreeError`. Nothing here
//! may panic on any input: a panic traps the WebAssembly instance for good.
#![cfg(target_arch = "wasm32")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod chain;
mod convert;
mod error;
mod log;
mod output;
mod proof;
mod storage;
mod tree;
mod wallet;

pub use chain::{avl_tree_from_register, tracker_commitment};
pub use log::{decode_log, encode_log, JsLogDecoder, JsLogVerifier};
pub use proof::{verify_proof, verify_record_proof};
pub use storage::JsTreeStorage;
pub use tree::JsTree;
pub use wallet::{
    check_redemption, note_message, public_key, read_note, read_tracker_state, sign_note,
    verify_note, verify_signature, verify_tracker_proof,
};

use wasm_bindgen::prelude::*;

/// `toHex(bytes)`: lower-case hex of a `Uint8Array`.
#[wasm_bindgen(js_name = toHex)]
pub fn to_hex(bytes: JsValue) -> Result<String, JsValue> {
    Ok(basis_trees::to_hex(&convert::bytes(&bytes, "bytes")?))
}

/// `fromHex(text)`: the bytes of a hex string.
#[wasm_bindgen(js_name = fromHex)]
pub fn from_hex(text: JsValue) -> Result<Vec<u8>, JsValue> {
    if !text.is_string() {
        return Err(error::invalid("text", "must be a hex string"));
    }
    convert::bytes(&text, "text")
}

/// `noteKey(issuer, recipient)`: the tracker tree's key of a note, blake2b256(issuer ‖ recipient).
#[wasm_bindgen(js_name = noteKey)]
pub fn note_key(issuer: JsValue, recipient: JsValue) -> Result<Vec<u8>, JsValue> {
    let issuer = convert::bytes(&issuer, "issuer")?;
    let recipient = convert::bytes(&recipient, "recipient")?;
    Ok(basis_trees::note_key(&issuer, &recipient).to_vec())
}

/// `debtValue(totalDebt)`: the tracker tree's value of a note, its debt as 8 bytes big-endian.
#[wasm_bindgen(js_name = debtValue)]
pub fn debt_value(total_debt: JsValue) -> Result<Vec<u8>, JsValue> {
    let debt = convert::u64_value(&total_debt, "totalDebt")?;
    Ok(basis_trees::debt_value(debt).to_vec())
}

/// `emptyDigest(shape)`: the digest of an empty tree of that shape.
#[wasm_bindgen(js_name = emptyDigest)]
pub fn empty_digest(shape: JsValue) -> Result<Vec<u8>, JsValue> {
    let shape = convert::shape_arg(&shape, "shape")?;
    let tree = basis_trees::Tree::new(shape).map_err(error::to_js)?;
    Ok(tree.digest().to_vec())
}

/// Where this instance's shadow stack stands: the address of a local of this function's frame.
/// A diagnostic, not part of the package's API: the package's tests call it before and after
/// storms of failing calls to prove that no call leaves a frame behind (a JS exception that
/// unwinds through wasm frames skips their epilogues, and the shadow stack pointer drifts until
/// the instance traps).
#[doc(hidden)]
#[wasm_bindgen(js_name = __memoryBytes)]
/// The size of this instance's memory in bytes (it only grows). A diagnostic, like
/// `__shadowStackPosition`: the package's tests check with it that a hostile log does not make the
/// memory grow beyond what its limits allow.
pub fn memory_bytes() -> f64 {
    core::arch::wasm32::memory_size(0) as f64 * 65536.0
}

#[doc(hidden)]
#[wasm_bindgen(js_name = __shadowStackPosition)]
#[inline(never)]
pub fn shadow_stack_position() -> u32 {
    let local = 0u8;
    std::hint::black_box(&local) as *const u8 as usize as u32
}
