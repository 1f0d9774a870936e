//! The JS wallet API of Basis notes: `noteMessage`, `verifySignature`, `publicKey`, `signNote`,
//! `readNote`, `readTrackerState`, `verifyNote`, `verifyTrackerProof` and `checkRedemption`
//! (API.md, "Basis wallet checks"). JSON documents (notes, the tracker's answers, boxes) come as their text — a string,
//! or a `Uint8Array` of UTF-8 — and are read here, so that numbers beyond 2^53 stay exact; the
//! package's layer turns a parsed object back into text only when it holds no such number.

use super::chain::{avl_tree_to_js, commitment, tracker_commitment_to_js};
use super::convert::{bytes_within, describe, is_absent, u64_value, Fields};
use super::error::{invalid, to_js};
use super::output::{set, uint8_array};
use basis_trees::{
    Check, Commitment, Note, NoteReport, RedemptionReport, ReserveBox, ReserveProofAnswer,
    SignatureCheck, TrackerBox, TrackerCommitment, TrackerProofAnswer, TrackerSignatureAnswer,
    TrackerState,
};
use js_sys::{Array, JsString, Object, Uint8Array};
use wasm_bindgen::prelude::*;

/// The longest JSON document read (a box with a large ErgoTree is tens of KiB).
const MAX_JSON_BYTES: usize = 1 << 20;

/// The longest proof read: a lookup proof in a tree of any size the chain holds is a few KiB.
const MAX_PROOF_BYTES: usize = 1 << 20;

/// The fields of `noteMessage`'s argument (and `signNote`'s note).
const NOTE_FIELDS: [&str; 4] = ["issuer", "recipient", "totalDebt", "timestamp"];

/// `verifyNote`'s options.
const VERIFY_NOTE_OPTIONS: [&str; 3] = ["tracker", "trackerKey", "trackerSignature"];

/// `verifyTrackerProof`'s options.
const VERIFY_PROOF_OPTIONS: [&str; 2] = ["tracker", "note"];

/// `checkRedemption`'s fields.
const REDEMPTION_FIELDS: [&str; 8] = [
    "trackerBox",
    "reserveBox",
    "note",
    "trackerSignature",
    "trackerProof",
    "reserveProof",
    "amount",
    "height",
];

/// A JSON document's text, from a string or a `Uint8Array` of UTF-8, at most 1 MiB.
fn json_text(value: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    let too_long = |length: usize| {
        invalid(
            name,
            format!("is {length} bytes of JSON, more than the {MAX_JSON_BYTES} read"),
        )
    };
    if let Some(text) = value.dyn_ref::<JsString>() {
        // A character is at least one byte of UTF-8: measured before the text is copied.
        if text.length() as usize > MAX_JSON_BYTES {
            return Err(too_long(text.length() as usize));
        }
        let bytes = String::from(text).into_bytes();
        if bytes.len() > MAX_JSON_BYTES {
            return Err(too_long(bytes.len()));
        }
        return Ok(bytes);
    }
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        if array.length() as usize > MAX_JSON_BYTES {
            return Err(too_long(array.length() as usize));
        }
        return Ok(array.to_vec());
    }
    Err(invalid(
        name,
        format!(
            "must be JSON text (a string or a Uint8Array), not {}",
            describe(value)
        ),
    ))
}

/// Whether a string argument is JSON text rather than hex: its first non-blank character (among
/// its first 256, the only ones copied to look) is `{`.
fn is_json_string(value: &JsValue) -> bool {
    value
        .dyn_ref::<JsString>()
        .map(|text| {
            String::from(text.slice(0, 256))
                .trim_start()
                .starts_with('{')
        })
        .unwrap_or(false)
}

/// The longest key, secret, entropy, message or signature argument read: none is near it.
const MAX_SMALL_BYTES: usize = 1024;

/// Bytes (Uint8Array or hex) of at most `limit`; more is refused before it is copied.
fn bytes_at_most(value: &JsValue, name: &str, limit: usize) -> Result<Vec<u8>, JsValue> {
    bytes_within(value, name, limit, &|length| {
        invalid(
            name,
            format!("is {length} bytes, more than the {limit} it can be"),
        )
    })
}

/// A key, secret, entropy, message or signature argument, whose exact length the core checks.
fn small_bytes(value: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    bytes_at_most(value, name, MAX_SMALL_BYTES)
}

/// A public key argument: 33 bytes or 66 hex digits.
fn key_value(value: &JsValue, name: &str) -> Result<[u8; 33], JsValue> {
    let bytes = small_bytes(value, name)?;
    basis_trees::bindings_support::public_key_argument(name, &bytes).map_err(to_js)
}

/// A 32-bit height.
fn height_value(value: &JsValue, name: &str) -> Result<u32, JsValue> {
    u64_value(value, name)
        .ok()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| invalid(name, "must be a whole number from 0 to 4294967295"))
}

/// A signature: 65 bytes (Uint8Array or hex), or the tracker's `/tracker/signature` answer as
/// JSON text.
fn signature_value(value: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    if is_json_string(value) {
        let answer = TrackerSignatureAnswer::from_json(&json_text(value, name)?).map_err(to_js)?;
        return Ok(answer.signature.to_vec());
    }
    small_bytes(value, name)
}

/// A lookup proof: bytes (Uint8Array or hex), or the tracker's `/tracker/proof` answer as JSON
/// text (its `proof`).
fn proof_value(value: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    if is_json_string(value) {
        let answer = TrackerProofAnswer::from_json(&json_text(value, name)?).map_err(to_js)?;
        return Ok(answer.proof);
    }
    bytes_at_most(value, name, MAX_PROOF_BYTES)
}

/// A reserve lookup proof: bytes (Uint8Array or hex), or the tracker's `/reserve/proof` answer
/// as JSON text (its lookup proof, else its insert proof; `None` when it has neither).
fn reserve_proof_value(value: &JsValue, name: &str) -> Result<Option<Vec<u8>>, JsValue> {
    if is_json_string(value) {
        let answer = ReserveProofAnswer::from_json(&json_text(value, name)?).map_err(to_js)?;
        return Ok(answer.lookup_proof().map(<[u8]>::to_vec));
    }
    bytes_at_most(value, name, MAX_PROOF_BYTES).map(Some)
}

/// The tracker on chain: its box as JSON text, a `trackerCommitment` result, a tree from
/// `avlTreeFromRegister`, or a 33-byte digest (as `expectRoot` takes them).
fn tracker_value(value: &JsValue, name: &str) -> Result<(Commitment, Option<[u8; 33]>), JsValue> {
    if is_json_string(value) {
        let read = TrackerCommitment::from_box_json(&json_text(value, name)?).map_err(to_js)?;
        return Ok((Commitment::from(read), Some(read.tracker_key)));
    }
    let key = if value.is_object() && !value.is_instance_of::<Uint8Array>() {
        let given = js_sys::Reflect::get(value, &JsValue::from_str("trackerKey"))
            .map_err(|_| invalid(name, "could not be read"))?;
        match is_absent(&given) {
            true => None,
            false => Some(key_value(&given, &format!("{name}.trackerKey"))?),
        }
    } else {
        None
    };
    Ok((commitment(value, name)?, key))
}

/// A note from its JSON text.
fn note_value(value: &JsValue, name: &str) -> Result<Note, JsValue> {
    Note::from_json(&json_text(value, name)?).map_err(to_js)
}

fn signature_check_to_js(check: SignatureCheck) -> JsValue {
    let object = Object::new();
    set(&object, "valid", JsValue::from(check.valid));
    set(&object, "onChain", JsValue::from(check.on_chain));
    object.into()
}

fn checks_to_js(checks: &[Check]) -> JsValue {
    let array = Array::new();
    for check in checks {
        let object = Object::new();
        set(&object, "name", JsValue::from_str(check.name));
        set(&object, "status", JsValue::from_str(check.status.as_str()));
        set(&object, "detail", JsValue::from_str(&check.detail));
        array.push(&object);
    }
    array.into()
}

fn note_to_js(note: &Note) -> JsValue {
    let object = Object::new();
    set(&object, "issuer", uint8_array(&note.issuer));
    set(&object, "recipient", uint8_array(&note.recipient));
    set(&object, "totalDebt", JsValue::from(note.total_debt));
    set(
        &object,
        "amountRedeemed",
        JsValue::from(note.amount_redeemed),
    );
    set(&object, "timestamp", JsValue::from(note.timestamp));
    set(&object, "signature", uint8_array(&note.signature));
    set(&object, "key", uint8_array(&note.key()));
    set(&object, "message", uint8_array(&note.message()));
    object.into()
}

fn optional_u64(value: Option<u64>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, JsValue::from)
}

/// `noteMessage({ issuer, recipient, totalDebt, timestamp })`: the 48 bytes a note's signatures
/// sign. Keys are 33-byte points (Uint8Array or hex), numbers `bigint` or safe integers.
#[wasm_bindgen(js_name = noteMessage)]
pub fn note_message(note: JsValue) -> Result<Vec<u8>, JsValue> {
    let fields = Fields::object(&note, "note", &NOTE_FIELDS)?;
    let issuer = fields.required("issuer", key_value)?;
    let recipient = fields.required("recipient", key_value)?;
    let total_debt = fields.required("totalDebt", u64_value)?;
    let timestamp = fields.required("timestamp", u64_value)?;
    Ok(basis_trees::note_message(&issuer, &recipient, total_debt, timestamp).to_vec())
}

/// `verifySignature(publicKey, message, signature)`: `{ valid, onChain }`.
#[wasm_bindgen(js_name = verifySignature)]
pub fn verify_signature(
    public_key: JsValue,
    message: JsValue,
    signature: JsValue,
) -> Result<JsValue, JsValue> {
    let public_key = small_bytes(&public_key, "publicKey")?;
    let message = small_bytes(&message, "message")?;
    let signature = small_bytes(&signature, "signature")?;
    let check = basis_trees::verify_signature(&public_key, &message, &signature).map_err(to_js)?;
    Ok(signature_check_to_js(check))
}

/// `publicKey(secretKey)`: the 33-byte compressed public key of a 32-byte secret.
#[wasm_bindgen(js_name = publicKey)]
pub fn public_key(secret_key: JsValue) -> Result<Vec<u8>, JsValue> {
    let secret = small_bytes(&secret_key, "secretKey")?;
    basis_trees::public_key(&secret)
        .map(|key| key.to_vec())
        .map_err(to_js)
}

/// `signNote(secretKey, note, entropy)`: the 65-byte signature a ‖ z the contract accepts.
/// `note` is `{ recipient, totalDebt, timestamp, issuer? }` (the issuer, when given, must be the
/// secret's public key) or the 48-byte message; `entropy` is 32 fresh random bytes
/// (`crypto.getRandomValues`), from which the nonce is derived hedged, with the secret and the
/// message. The secret is not kept.
#[wasm_bindgen(js_name = signNote)]
pub fn sign_note(secret_key: JsValue, note: JsValue, entropy: JsValue) -> Result<Vec<u8>, JsValue> {
    let secret = small_bytes(&secret_key, "secretKey")?;
    let entropy = small_bytes(&entropy, "entropy")?;
    let entropy = <[u8; 32]>::try_from(entropy.as_slice()).map_err(|_| {
        invalid(
            "entropy",
            format!("must be 32 bytes, not {}", entropy.len()),
        )
    })?;
    let issuer = basis_trees::public_key(&secret).map_err(to_js)?;
    let message = if note.is_instance_of::<Uint8Array>() || note.is_string() {
        small_bytes(&note, "note")?
    } else {
        let fields = Fields::object(&note, "note", &NOTE_FIELDS)?;
        if let Some(given) = fields.optional("issuer", key_value)? {
            if given != issuer {
                return Err(invalid(
                    "note.issuer",
                    "is not the public key of secretKey: a note is signed by its issuer",
                ));
            }
        }
        let recipient = fields.required("recipient", key_value)?;
        let total_debt = fields.required("totalDebt", u64_value)?;
        let timestamp = fields.required("timestamp", u64_value)?;
        basis_trees::note_message(&issuer, &recipient, total_debt, timestamp).to_vec()
    };
    basis_trees::sign_note(&secret, &message, &entropy)
        .map(|signature| signature.to_vec())
        .map_err(to_js)
}

/// `readNote(json)`: a note as the tracker serves it (bare or in its `{ success, data, error }`
/// envelope) as `{ issuer, recipient, totalDebt, amountRedeemed, timestamp, signature, key,
/// message }`, numbers as `bigint`.
#[wasm_bindgen(js_name = readNote)]
pub fn read_note(json: JsValue) -> Result<JsValue, JsValue> {
    Ok(note_to_js(&note_value(&json, "note")?))
}

/// `readTrackerState(json)`: the tracker's `/tracker/state` answer as `{ localDigest,
/// confirmedDigest?, confirmedBoxId?, confirmedHeight?, pendingDigest?, pendingTxId?,
/// pendingSubmittedHeight?, trackerBoxId? }` (heights `bigint`): what the tracker says of its
/// commitments, to be compared with the chain's.
#[wasm_bindgen(js_name = readTrackerState)]
pub fn read_tracker_state(json: JsValue) -> Result<JsValue, JsValue> {
    let state = TrackerState::from_json(&json_text(&json, "state")?).map_err(to_js)?;
    let object = Object::new();
    set(&object, "localDigest", uint8_array(&state.local_digest));
    let bytes = |name: &str, value: Option<&[u8]>| {
        if let Some(value) = value {
            set(&object, name, uint8_array(value));
        }
    };
    bytes(
        "confirmedDigest",
        state.confirmed_digest.as_ref().map(|d| &d[..]),
    );
    bytes(
        "confirmedBoxId",
        state.confirmed_box_id.as_ref().map(|d| &d[..]),
    );
    bytes(
        "pendingDigest",
        state.pending_digest.as_ref().map(|d| &d[..]),
    );
    bytes("pendingTxId", state.pending_tx_id.as_ref().map(|d| &d[..]));
    bytes(
        "trackerBoxId",
        state.tracker_box_id.as_ref().map(|d| &d[..]),
    );
    set(
        &object,
        "confirmedHeight",
        optional_u64(state.confirmed_height),
    );
    set(
        &object,
        "pendingSubmittedHeight",
        optional_u64(state.pending_submitted_height),
    );
    Ok(object.into())
}

/// `verifyNote(note, { tracker?, trackerKey?, trackerSignature? })`: the note's signatures.
/// `tracker` is the tracker's box (JSON text or a `trackerCommitment` result), whose R4 is its
/// key; `trackerKey` gives the key directly; `trackerSignature` is 65 bytes (Uint8Array or hex)
/// or the tracker's `/tracker/signature` answer as JSON text. Returns `{ passed, checks: [{ name,
/// status, detail }], key, message, issuerSignature: { valid, onChain }, trackerSignature?,
/// note }`.
#[wasm_bindgen(js_name = verifyNote)]
pub fn verify_note(note: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let note = note_value(&note, "note")?;
    let fields = Fields::options(&options, "options", &VERIFY_NOTE_OPTIONS)?;
    let from_box = fields
        .optional("tracker", tracker_value)?
        .and_then(|(_, key)| key);
    let given = fields.optional("trackerKey", key_value)?;
    let tracker_key = match (from_box, given) {
        (Some(from_box), Some(given)) if from_box != given => {
            return Err(invalid(
                "trackerKey",
                "is not the tracker box's key (R4): give one of them",
            ))
        }
        (from_box, given) => from_box.or(given),
    };
    let signature = fields.optional("trackerSignature", signature_value)?;
    let report = basis_trees::verify_note(
        &note,
        tracker_key.as_ref().map(|key| key.as_slice()),
        signature.as_deref(),
    )
    .map_err(to_js)?;
    Ok(note_report_to_js(&report, &note))
}

fn note_report_to_js(report: &NoteReport, note: &Note) -> JsValue {
    let object = Object::new();
    set(&object, "passed", JsValue::from(report.passed()));
    set(&object, "checks", checks_to_js(&report.checks));
    set(&object, "key", uint8_array(&report.key));
    set(&object, "message", uint8_array(&report.message));
    set(
        &object,
        "issuerSignature",
        signature_check_to_js(report.issuer_signature),
    );
    if let Some(check) = report.tracker_signature {
        set(&object, "trackerSignature", signature_check_to_js(check));
    }
    set(&object, "note", note_to_js(note));
    object.into()
}

/// `verifyTrackerProof(answer, { tracker, note? })`: the tracker's `/tracker/proof` answer (JSON
/// text) checked against the digest on chain — `tracker` is its box (JSON text or a
/// `trackerCommitment` result), a tree from `avlTreeFromRegister` or a 33-byte digest — and,
/// when `note` (JSON text) is given, against the note's key. Returns `{ key, totalDebt
/// (bigint), digest, trackerStateDigest?, digestAgrees (boolean, or null when the answer gave
/// no digest) }`; `NOTE_KEY_MISMATCH`, `DEBT_VALUE_INVALID`, `PROOF_INVALID`, `KEY_NOT_FOUND`
/// when it does not hold.
#[wasm_bindgen(js_name = verifyTrackerProof)]
pub fn verify_tracker_proof(answer: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let answer = TrackerProofAnswer::from_json(&json_text(&answer, "answer")?).map_err(to_js)?;
    let fields = Fields::options(&options, "options", &VERIFY_PROOF_OPTIONS)?;
    let (tracker, _) = fields.required("tracker", tracker_value)?;
    let note = fields.optional("note", note_value)?;
    let report =
        basis_trees::verify_tracker_proof(&answer, &tracker, note.as_ref()).map_err(to_js)?;
    let object = Object::new();
    set(&object, "key", uint8_array(&report.key));
    set(&object, "totalDebt", JsValue::from(report.total_debt));
    set(&object, "digest", uint8_array(&report.digest));
    if let Some(digest) = report.tracker_state_digest {
        set(&object, "trackerStateDigest", uint8_array(&digest));
    }
    set(
        &object,
        "digestAgrees",
        report.digest_agrees.map_or(JsValue::NULL, JsValue::from),
    );
    Ok(object.into())
}

/// `checkRedemption({ trackerBox, reserveBox, note, trackerSignature?, trackerProof?,
/// reserveProof?, amount, height })`: whether the reserve contract would let the note be
/// redeemed now. The boxes and the note are JSON text; `trackerSignature` 65 bytes or the
/// tracker's answer; `trackerProof` the lookup proof's bytes or the tracker's `/tracker/proof`
/// answer; `reserveProof` a lookup proof of the note's key in the reserve's tree, or the
/// tracker's `/reserve/proof` answer; `amount` and
/// `height` bigint or safe integers. Returns `{ redeemable, maxRedeemable, conditions: [{ name,
/// status, detail }], key, totalDebt?, alreadyRedeemed?, storedTimestamp?, trackerBoxAge?,
/// reserveUpdate?: { value, proof, newDigest, needsLookupProof }, trackerBox, reserveBox }`:
/// `trackerBox` as `trackerCommitment` returns it with `nftId`, `reserveBox` `{ ownerKey, tree,
/// trackerNftId, refundHeight? (bigint, a refund pending), value?, boxId?, boxIdVerified, boxIdUnverified? }`.
#[wasm_bindgen(js_name = checkRedemption)]
pub fn check_redemption(redemption: JsValue) -> Result<JsValue, JsValue> {
    let fields = Fields::object(&redemption, "redemption", &REDEMPTION_FIELDS)?;
    let tracker_box = fields.required("trackerBox", |value, name| {
        TrackerBox::from_box_json(&json_text(value, name)?).map_err(to_js)
    })?;
    let reserve_box = fields.required("reserveBox", |value, name| {
        ReserveBox::from_box_json(&json_text(value, name)?).map_err(to_js)
    })?;
    let note = fields.required("note", note_value)?;
    let tracker_signature = fields.optional("trackerSignature", signature_value)?;
    let tracker_proof = fields.optional("trackerProof", proof_value)?;
    let reserve_proof = fields
        .optional("reserveProof", reserve_proof_value)?
        .flatten();
    let amount = fields.required("amount", u64_value)?;
    let height = fields.required("height", height_value)?;
    let report = basis_trees::check_redemption(&basis_trees::Redemption {
        tracker_box: &tracker_box,
        reserve_box: &reserve_box,
        note: &note,
        tracker_signature: tracker_signature.as_deref(),
        tracker_proof: tracker_proof.as_deref(),
        reserve_proof: reserve_proof.as_deref(),
        amount,
        height,
    })
    .map_err(to_js)?;
    Ok(redemption_report_to_js(&report, &tracker_box, &reserve_box))
}

/// `{ ownerKey, tree, trackerNftId, refundHeight?, value?, boxId?, boxIdVerified, boxIdUnverified? }`:
/// what the reserve box holds.
fn reserve_box_to_js(reserve: &ReserveBox) -> JsValue {
    let object = Object::new();
    set(&object, "ownerKey", uint8_array(&reserve.owner_key));
    set(&object, "tree", avl_tree_to_js(&reserve.tree));
    set(
        &object,
        "trackerNftId",
        uint8_array(&reserve.tracker_nft_id),
    );
    if let Some(height) = reserve.refund_height {
        set(&object, "refundHeight", JsValue::from(height));
    }
    set(&object, "value", optional_u64(reserve.value));
    if let Some(id) = &reserve.box_id {
        set(&object, "boxId", uint8_array(id));
    }
    set(
        &object,
        "boxIdVerified",
        JsValue::from(reserve.box_id_unverified.is_none()),
    );
    if let Some(reason) = &reserve.box_id_unverified {
        set(
            &object,
            "boxIdUnverified",
            JsValue::from_str(&reason.to_string()),
        );
    }
    object.into()
}

fn redemption_report_to_js(
    report: &RedemptionReport,
    tracker_box: &TrackerBox,
    reserve_box: &ReserveBox,
) -> JsValue {
    let object = Object::new();
    set(&object, "redeemable", JsValue::from(report.redeemable));
    set(
        &object,
        "maxRedeemable",
        JsValue::from(report.max_redeemable),
    );
    set(&object, "conditions", checks_to_js(&report.conditions));
    set(&object, "key", uint8_array(&report.key));
    set(&object, "totalDebt", optional_u64(report.total_debt));
    set(
        &object,
        "alreadyRedeemed",
        optional_u64(report.already_redeemed),
    );
    set(
        &object,
        "storedTimestamp",
        optional_u64(report.stored_timestamp),
    );
    set(
        &object,
        "trackerBoxAge",
        report
            .tracker_box_age
            .map_or(JsValue::UNDEFINED, |age| JsValue::from(age as f64)),
    );
    if let Some(update) = &report.reserve_update {
        let inner = Object::new();
        set(&inner, "value", uint8_array(&update.value));
        set(&inner, "proof", uint8_array(&update.proof));
        set(&inner, "newDigest", uint8_array(&update.new_digest));
        set(
            &inner,
            "needsLookupProof",
            JsValue::from(update.needs_lookup_proof),
        );
        set(&object, "reserveUpdate", inner.into());
    }
    let tracker = tracker_commitment_to_js(&tracker_box.commitment);
    if let (Some(id), Some(tracker)) = (tracker_box.nft_id, tracker.dyn_ref::<Object>()) {
        set(tracker, "nftId", uint8_array(&id));
    }
    set(&object, "trackerBox", tracker);
    set(&object, "reserveBox", reserve_box_to_js(reserve_box));
    object.into()
}
