//! The JS chain API: `avlTreeFromRegister`, `trackerCommitment`, the commitments a verifier's
//! `expectRoot` and `commitments` options take, and the JS form of what they read.

use super::convert::{self, describe, digest, u64_value, Fields};
use super::error::{invalid, to_js};
use super::output::{set, uint8_array};
use basis_trees::{Anchor, AvlTreeData, Commitment, CommitmentMatch, TrackerCommitment};
use js_sys::{Array, JsString, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

/// The longest register read: Ergo caps a whole box at 4 KiB.
const MAX_REGISTER_BYTES: usize = 4096;

/// The longest box JSON read (an explorer's box, with a large ErgoTree and many tokens, is
/// tens of KiB).
const MAX_BOX_JSON_BYTES: usize = 1 << 20;

/// The fields of a tree as `avlTreeFromRegister` returns it.
const TREE_FIELDS: [&str; 6] = [
    "digest",
    "keyLength",
    "valueLength",
    "insertAllowed",
    "updateAllowed",
    "removeAllowed",
];

/// The fields of a tracker commitment as `trackerCommitment` returns it.
const COMMITMENT_FIELDS: [&str; 6] = [
    "boxId",
    "boxIdVerified",
    "boxIdUnverified",
    "creationHeight",
    "trackerKey",
    "tree",
];

/// `{ digest, keyLength, valueLength, insertAllowed, updateAllowed, removeAllowed }`;
/// `valueLength` is `null` for values of any length.
pub(crate) fn avl_tree_to_js(tree: &AvlTreeData) -> JsValue {
    let object = Object::new();
    set(&object, "digest", uint8_array(&tree.digest));
    set(&object, "keyLength", JsValue::from(tree.key_length));
    set(
        &object,
        "valueLength",
        tree.value_length.map_or(JsValue::NULL, JsValue::from),
    );
    set(&object, "insertAllowed", JsValue::from(tree.insert_allowed));
    set(&object, "updateAllowed", JsValue::from(tree.update_allowed));
    set(&object, "removeAllowed", JsValue::from(tree.remove_allowed));
    object.into()
}

/// `{ boxId?, boxIdVerified, boxIdUnverified?, creationHeight?, trackerKey, tree }`:
/// `boxIdUnverified` says why the id is not verified, when it is not.
pub(crate) fn tracker_commitment_to_js(commitment: &TrackerCommitment) -> JsValue {
    let object = Object::new();
    if let Some(id) = &commitment.box_id {
        set(&object, "boxId", uint8_array(id));
    }
    set(
        &object,
        "boxIdVerified",
        JsValue::from(commitment.box_id_verified),
    );
    if let Some(reason) = &commitment.box_id_unverified {
        set(
            &object,
            "boxIdUnverified",
            JsValue::from_str(&reason.to_string()),
        );
    }
    if let Some(height) = commitment.creation_height {
        set(&object, "creationHeight", JsValue::from(height));
    }
    set(&object, "trackerKey", uint8_array(&commitment.tracker_key));
    set(&object, "tree", avl_tree_to_js(&commitment.tree));
    object.into()
}

/// `[{ digest, sequence }]`, `sequence` a `bigint`.
pub(crate) fn commitment_matches_to_js(matches: &[CommitmentMatch]) -> JsValue {
    let array = Array::new();
    for matched in matches {
        let object = Object::new();
        set(&object, "digest", uint8_array(&matched.digest));
        set(&object, "sequence", JsValue::from(matched.sequence));
        array.push(&object);
    }
    array.into()
}

/// A whole number from 0 to 2^32-1, named `name`.
fn u32_value(value: &JsValue, name: &str) -> Result<u32, JsValue> {
    u64_value(value, name)
        .ok()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| invalid(name, "must be a whole number from 0 to 4294967295"))
}

fn bool_value(value: &JsValue, name: &str) -> Result<bool, JsValue> {
    value
        .as_bool()
        .ok_or_else(|| invalid(name, "must be true or false"))
}

/// A tree as `avlTreeFromRegister` returns it; the flags, absent, are false.
fn tree_value(value: &JsValue, name: &str) -> Result<AvlTreeData, JsValue> {
    let fields = Fields::object(value, name, &TREE_FIELDS)?;
    let flag = |key| fields.optional(key, bool_value).map(|f| f.unwrap_or(false));
    Ok(AvlTreeData {
        digest: fields.required("digest", digest)?,
        key_length: fields.required("keyLength", u32_value)?,
        value_length: fields.optional("valueLength", u32_value)?,
        insert_allowed: flag("insertAllowed")?,
        update_allowed: flag("updateAllowed")?,
        remove_allowed: flag("removeAllowed")?,
    })
}

/// An on-chain commitment named `name`: a 33-byte digest (bytes or hex), a tree as
/// `avlTreeFromRegister` returns it, or a tracker commitment as `trackerCommitment` returns it
/// (its `tree` is what counts).
pub(crate) fn commitment(value: &JsValue, name: &str) -> Result<Commitment, JsValue> {
    if value.is_string() || value.is_instance_of::<Uint8Array>() {
        return Ok(Commitment::from(digest(value, name)?));
    }
    let is_object = value.is_object() && !Array::is_array(value);
    if is_object && Reflect::has(value, &JsValue::from_str("tree")).unwrap_or(false) {
        let fields = Fields::object(value, name, &COMMITMENT_FIELDS)?;
        return Ok(Commitment {
            anchor: Anchor::Box,
            ..Commitment::from(fields.required("tree", tree_value)?)
        });
    }
    if is_object {
        return Ok(Commitment::from(tree_value(value, name)?));
    }
    Err(invalid(
        name,
        format!(
            "must be a 33-byte digest (Uint8Array or hex), a tree from avlTreeFromRegister or a \
             commitment from trackerCommitment, not {}",
            describe(value)
        ),
    ))
}

/// A list of on-chain commitments, oldest first.
pub(crate) fn commitments(value: &JsValue, name: &str) -> Result<Vec<Commitment>, JsValue> {
    convert::array_of(value, name, commitment)
}

/// `avlTreeFromRegister(register)`: the tree a serialized `AvlTree` constant holds (a tracker
/// box's R5), from its bytes or hex.
#[wasm_bindgen(js_name = avlTreeFromRegister)]
pub fn avl_tree_from_register(register: JsValue) -> Result<JsValue, JsValue> {
    let bytes = convert::bounded_bytes(&register, "register", MAX_REGISTER_BYTES)?;
    let tree = AvlTreeData::from_register(&bytes).map_err(to_js)?;
    Ok(avl_tree_to_js(&tree))
}

/// `trackerCommitment(box)`: a tracker's commitment box, from its JSON text (a string, or a
/// `Uint8Array` of UTF-8; the package turns a parsed object into text first).
#[wasm_bindgen(js_name = trackerCommitment)]
pub fn tracker_commitment(json: JsValue) -> Result<JsValue, JsValue> {
    let too_long = |length: usize| {
        invalid(
            "box",
            format!("is {length} bytes of JSON, more than the {MAX_BOX_JSON_BYTES} a box can take"),
        )
    };
    let bytes = if let Some(text) = json.dyn_ref::<JsString>() {
        // A character is at least one byte of UTF-8: measured before the text is copied.
        if text.length() as usize > MAX_BOX_JSON_BYTES {
            return Err(invalid(
                "box",
                format!(
                    "is {} characters of JSON, more than the {MAX_BOX_JSON_BYTES} bytes a box can take",
                    text.length()
                ),
            ));
        }
        String::from(text).into_bytes()
    } else if let Some(array) = json.dyn_ref::<Uint8Array>() {
        if array.length() as usize > MAX_BOX_JSON_BYTES {
            return Err(too_long(array.length() as usize));
        }
        array.to_vec()
    } else {
        return Err(invalid(
            "box",
            format!(
                "must be a box as JSON: its text, or the object it parses to, not {}",
                describe(&json)
            ),
        ));
    };
    if bytes.len() > MAX_BOX_JSON_BYTES {
        return Err(too_long(bytes.len()));
    }
    let commitment = TrackerCommitment::from_box_json(&bytes).map_err(to_js)?;
    Ok(tracker_commitment_to_js(&commitment))
}
