//! `BasisTreeError`: a plain JS `Error` with `name`, `code`, and the structured fields of the
//! failure — `sequence` / `offset` where it happened, `expected` / `actual` for what disagrees,
//! the failing `record` decoded, the `argument` at fault — so that no caller parses a message.

use super::output::{record_to_js, set, shape_to_js, uint8_array};
use basis_trees::{ErrorCode, ErrorKind};
use js_sys::Object;
use wasm_bindgen::JsValue;

/// A `BasisTreeError` with `code` and `message`, and nothing else yet.
fn error(code: ErrorCode, message: &str) -> Object {
    let error = js_sys::Error::new(message);
    error.set_name("BasisTreeError");
    let object: Object = error.into();
    set(&object, "code", JsValue::from_str(code.as_str()));
    object
}

/// The JS form of a core error.
pub(crate) fn to_js(err: basis_trees::Error) -> JsValue {
    let object = error(err.code(), &err.to_string());
    let field = |name: &str, value: JsValue| set(&object, name, value);
    if let Some(sequence) = err.sequence() {
        field("sequence", JsValue::from(sequence));
    }
    if let Some(offset) = err.offset() {
        field("offset", JsValue::from(offset as f64));
    }
    let both = |expected: JsValue, actual: JsValue| {
        field("expected", expected);
        field("actual", actual);
    };
    let optional_bytes = |bytes: &Option<Vec<u8>>| match bytes {
        Some(bytes) => uint8_array(bytes),
        None => JsValue::UNDEFINED,
    };
    match err.kind() {
        ErrorKind::KeyLength { expected, actual }
        | ErrorKind::ValueLength { expected, actual }
        | ErrorKind::ValueTooLong {
            max: expected,
            actual,
        }
        | ErrorKind::ValueOverCap {
            max: expected,
            actual,
        } => both(
            JsValue::from(*expected as f64),
            JsValue::from(*actual as f64),
        ),
        ErrorKind::KeyLengthOutOfRange { min, max, actual } => {
            let bound = if actual < min { min } else { max };
            both(JsValue::from(*bound as f64), JsValue::from(*actual as f64))
        }
        ErrorKind::KeyReserved { key }
        | ErrorKind::KeyExists { key }
        | ErrorKind::KeyNotFound { key } => field("key", uint8_array(key)),
        ErrorKind::ShapeMismatch { expected, actual } => {
            both(shape_to_js(*expected), shape_to_js(*actual))
        }
        ErrorKind::LogSequence { expected, actual } | ErrorKind::LogStart { expected, actual } => {
            both(JsValue::from(*expected), JsValue::from(*actual))
        }
        ErrorKind::RootBeforeMismatch { expected, logged } => {
            both(uint8_array(expected), uint8_array(logged))
        }
        ErrorKind::RootAfterMismatch { computed, logged } => {
            both(uint8_array(computed), uint8_array(logged))
        }
        ErrorKind::PreviousValueMismatch { actual, logged } => {
            both(optional_bytes(actual), optional_bytes(logged))
        }
        ErrorKind::ExpectedRootMismatch { expected, actual } => {
            both(uint8_array(expected), uint8_array(actual))
        }
        ErrorKind::InvalidArgument { argument, .. } => {
            field("argument", JsValue::from_str(argument))
        }
        ErrorKind::RegisterInvalid { register, reason } => {
            if let Some(register) = register {
                field("register", JsValue::from_str(register));
            }
            if let basis_trees::RegisterError::WrongType { expected, actual } = reason {
                both(JsValue::from(*expected), JsValue::from(*actual));
            }
        }
        ErrorKind::CommitmentMissing {
            index,
            digest,
            previous,
            seen_at,
        } => {
            field("index", JsValue::from(*index as f64));
            field("digest", uint8_array(digest));
            if let Some(previous) = previous {
                field("previous", JsValue::from(*previous));
            }
            if let Some(seen_at) = seen_at {
                field("seenAt", JsValue::from(*seen_at));
            }
        }
        ErrorKind::NoteKeyMismatch { expected, actual } => {
            both(uint8_array(expected), uint8_array(actual))
        }
        ErrorKind::DebtValueInvalid { value, .. } => field("value", uint8_array(value)),
        ErrorKind::ProofInvalid { .. }
        | ErrorKind::NoteInvalid { .. }
        | ErrorKind::TrackerAnswerInvalid { .. }
        | ErrorKind::CounterExhausted { .. }
        | ErrorKind::OutOfMemory { .. }
        | ErrorKind::SnapshotInvalid { .. }
        | ErrorKind::LogCorrupt { .. }
        | ErrorKind::OperationFailed { .. }
        | ErrorKind::BoxInvalid { .. }
        | ErrorKind::Aborted => {}
        // `ErrorKind` is non-exhaustive: a kind added to the core carries its code and message
        // until its fields are named here.
        _ => {}
    }
    if let Some(record) = err.record() {
        field("record", record_to_js(record));
    }
    object.into()
}

/// An `INVALID_ARGUMENT` error: `problem` is a predicate on `argument` ("must be a
/// Uint8Array or a hex string").
pub(crate) fn invalid(argument: &str, problem: impl AsRef<str>) -> JsValue {
    to_js(basis_trees::Error::invalid_argument(
        argument,
        problem.as_ref(),
    ))
}
