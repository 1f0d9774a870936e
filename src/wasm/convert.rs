//! Conversions between JS values and the core's types. Every function checks the JS value's
//! type first and returns a `BasisTreeError` naming the argument when it is wrong.

use super::error::{self, argument};
use crate::{
    Checkpoint, ErrorCode, Operation, OperationType, TreeOperation, TreeShape, MAX_KEY_LENGTH,
    MAX_VALUE_LENGTH,
};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

/// The largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Bytes given as a `Uint8Array` (a Node `Buffer` too) or a hex string; `code` is the error code
/// to report when `value` is neither. Keys and values (codes `KEY_LENGTH`, `VALUE_LENGTH`) longer
/// than any tree accepts are refused before they are copied into the instance's memory.
pub(crate) fn bytes_arg(value: &JsValue, code: ErrorCode, what: &str) -> Result<Vec<u8>, JsValue> {
    let limit = match code {
        ErrorCode::KeyLength => MAX_KEY_LENGTH,
        ErrorCode::ValueLength => MAX_VALUE_LENGTH,
        _ => usize::MAX,
    };
    bytes_within(value, code, what, limit)
}

/// [`bytes_arg`] with an explicit limit on the length.
pub(crate) fn bytes_within(
    value: &JsValue,
    code: ErrorCode,
    what: &str,
    limit: usize,
) -> Result<Vec<u8>, JsValue> {
    let too_long = |length: usize| {
        argument(
            code,
            format!("{what} is {length} bytes, longer than the {limit} allowed"),
        )
    };
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        let length = array.length() as usize;
        if length > limit {
            return Err(too_long(length));
        }
        return Ok(array.to_vec());
    }
    if let Some(text) = value.as_string() {
        if text.len() / 2 > limit {
            return Err(too_long(text.len() / 2));
        }
        return crate::from_hex(&text).map_err(|err| {
            error::new(
                code,
                &format!("{what} is not valid hex: {}", err.kind()),
                None,
                err.offset(),
            )
        });
    }
    Err(argument(
        code,
        format!("{what} must be a Uint8Array or a hex string"),
    ))
}

/// Like [`bytes_arg`], `None` for `undefined` and `null`.
pub(crate) fn optional_bytes_arg(
    value: &JsValue,
    code: ErrorCode,
    what: &str,
) -> Result<Option<Vec<u8>>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    bytes_arg(value, code, what).map(Some)
}

/// A 33-byte digest.
pub(crate) fn digest_arg(
    value: &JsValue,
    code: ErrorCode,
    what: &str,
) -> Result<crate::Digest, JsValue> {
    let bytes = bytes_arg(value, code, what)?;
    crate::Digest::try_from(bytes.as_slice()).map_err(|_| {
        argument(
            code,
            format!("{what} is {} bytes, a digest is 33", bytes.len()),
        )
    })
}

/// A u64 given as a `bigint` or as a non-negative integer `number`.
pub(crate) fn u64_arg(value: &JsValue, code: ErrorCode, what: &str) -> Result<u64, JsValue> {
    if value.is_bigint() {
        if let Ok(n) = u64::try_from(value.clone()) {
            return Ok(n);
        }
    } else if let Some(n) = value.as_f64() {
        if n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(&n) {
            return Ok(n as u64);
        }
    }
    Err(argument(
        code,
        format!("{what} must be a bigint (or integer number) from 0 to 2^64-1"),
    ))
}

/// A `usize` given as a non-negative integer `number` no larger than `max`.
fn length_arg(value: &JsValue, max: usize, code: ErrorCode, what: &str) -> Result<usize, JsValue> {
    let n = if value.is_bigint() {
        u64::try_from(value.clone()).ok().map(|n| n as f64)
    } else {
        value.as_f64()
    };
    match n {
        Some(n) if n.fract() == 0.0 && (0.0..=max as f64).contains(&n) => Ok(n as usize),
        _ => Err(argument(
            code,
            format!("{what} must be an integer from 0 to {max}"),
        )),
    }
}

/// The property `name` of `object` (`undefined` when `object` is not an object).
pub(crate) fn property(object: &JsValue, name: &str) -> JsValue {
    if !object.is_object() {
        return JsValue::UNDEFINED;
    }
    // Reflect.get throws only on non-objects or on a throwing getter; both read as absent.
    Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Whether a JS value is `undefined` or `null`.
pub(crate) fn is_absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

/// A tree shape from `{ keyLength, valueLength? }`; `undefined` options mean the Basis tracker's
/// shape (32-byte keys, values of any length), and so does a missing `keyLength` of 32.
pub(crate) fn shape_arg(options: &JsValue) -> Result<TreeShape, JsValue> {
    if is_absent(options) {
        return Ok(TreeShape::BASIS_TRACKER);
    }
    if !options.is_object() {
        return Err(argument(
            ErrorCode::KeyLength,
            "the shape must be an object { keyLength, valueLength? }",
        ));
    }
    let key_length = property(options, "keyLength");
    let key_length = if key_length.is_undefined() {
        TreeShape::BASIS_TRACKER.key_length
    } else {
        length_arg(
            &key_length,
            MAX_KEY_LENGTH,
            ErrorCode::KeyLength,
            "keyLength",
        )?
    };
    let value_length = property(options, "valueLength");
    let value_length = if is_absent(&value_length) {
        None
    } else {
        Some(length_arg(
            &value_length,
            MAX_VALUE_LENGTH,
            ErrorCode::ValueLength,
            "valueLength",
        )?)
    };
    TreeShape::new(key_length, value_length).map_err(error::to_js)
}

/// `{ keyLength, valueLength }` of a shape (`valueLength` is `null` for variable values).
pub(crate) fn shape_to_js(shape: TreeShape) -> JsValue {
    let object = Object::new();
    set(&object, "keyLength", JsValue::from(shape.key_length as f64));
    set(
        &object,
        "valueLength",
        match shape.value_length {
            Some(len) => JsValue::from(len as f64),
            None => JsValue::NULL,
        },
    );
    object.into()
}

/// Sets a property on an object this module created (which cannot fail).
pub(crate) fn set(object: &Object, name: &str, value: JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(name), &value);
}

/// A `Uint8Array` copy of `bytes`.
pub(crate) fn uint8_array(bytes: &[u8]) -> JsValue {
    Uint8Array::from(bytes).into()
}

/// `Uint8Array`, or `undefined` for `None`.
pub(crate) fn optional_uint8_array(bytes: Option<&[u8]>) -> JsValue {
    bytes.map_or(JsValue::UNDEFINED, uint8_array)
}

/// The JS object of a log record, with API.md's camelCase fields; absent optional fields are
/// left out.
pub(crate) fn record_to_js(record: &TreeOperation) -> JsValue {
    let object = Object::new();
    set(
        &object,
        "sequenceNumber",
        JsValue::from(record.sequence_number),
    );
    set(
        &object,
        "type",
        JsValue::from_str(record.operation_type.as_str()),
    );
    set(&object, "timestamp", JsValue::from(record.timestamp));
    set(&object, "key", uint8_array(&record.key));
    if let Some(value) = &record.value {
        set(&object, "value", uint8_array(value));
    }
    if let Some(previous) = &record.previous_value {
        set(&object, "previousValue", uint8_array(previous));
    }
    set(&object, "rootBefore", uint8_array(&record.tree_root_before));
    set(&object, "rootAfter", uint8_array(&record.tree_root_after));
    if let Some(proof) = &record.proof {
        set(&object, "proof", uint8_array(proof));
    }
    object.into()
}

/// An array of record objects.
pub(crate) fn records_to_js(records: &[TreeOperation]) -> Array {
    records.iter().map(record_to_js).collect()
}

/// A log record from its JS object; a malformed one is `LOG_CORRUPT` naming the field.
pub(crate) fn record_arg(value: &JsValue) -> Result<TreeOperation, JsValue> {
    let code = ErrorCode::LogCorrupt;
    if !value.is_object() {
        return Err(argument(code, "a record must be an object"));
    }
    let field = |name: &str| property(value, name);
    let type_name = field("type").as_string().unwrap_or_default();
    let operation_type = OperationType::from_name(&type_name)
        .ok_or_else(|| argument(code, "record type must be 'insert', 'update' or 'remove'"))?;
    Ok(TreeOperation {
        sequence_number: u64_arg(&field("sequenceNumber"), code, "record sequenceNumber")?,
        operation_type,
        timestamp: u64_arg(&field("timestamp"), code, "record timestamp")?,
        key: bytes_within(&field("key"), code, "record key", MAX_KEY_LENGTH)?,
        value: optional_bytes_arg(&field("value"), code, "record value")?,
        previous_value: optional_bytes_arg(&field("previousValue"), code, "record previousValue")?,
        tree_root_before: digest_arg(&field("rootBefore"), code, "record rootBefore")?,
        tree_root_after: digest_arg(&field("rootAfter"), code, "record rootAfter")?,
        proof: optional_bytes_arg(&field("proof"), code, "record proof")?,
    })
}

/// Records from a JS array (any iterable is not accepted: logs are arrays).
pub(crate) fn records_arg(value: &JsValue) -> Result<Vec<TreeOperation>, JsValue> {
    let array = value
        .dyn_ref::<Array>()
        .ok_or_else(|| argument(ErrorCode::LogCorrupt, "records must be an array"))?;
    array.iter().map(|record| record_arg(&record)).collect()
}

/// One operation `{ type, key, value? }` of a batch.
pub(crate) fn operation_arg(value: &JsValue) -> Result<Operation, JsValue> {
    let code = ErrorCode::OperationFailed;
    if !value.is_object() {
        return Err(argument(
            code,
            "an operation must be an object { type, key, value? }",
        ));
    }
    let key = bytes_arg(&property(value, "key"), ErrorCode::KeyLength, "key")?;
    let value_of = || bytes_arg(&property(value, "value"), ErrorCode::ValueLength, "value");
    let type_name = property(value, "type").as_string().unwrap_or_default();
    Ok(match type_name.as_str() {
        "lookup" => Operation::Lookup { key },
        "insert" => Operation::Insert {
            key,
            value: value_of()?,
        },
        "update" => Operation::Update {
            key,
            value: value_of()?,
        },
        "insertOrUpdate" => Operation::InsertOrUpdate {
            key,
            value: value_of()?,
        },
        "remove" => Operation::Remove { key },
        "removeIfExists" => Operation::RemoveIfExists { key },
        _ => {
            return Err(argument(
                code,
                "operation type must be one of 'lookup', 'insert', 'update', 'insertOrUpdate', \
                 'remove', 'removeIfExists'",
            ))
        }
    })
}

/// Operations from a JS array.
pub(crate) fn operations_arg(value: &JsValue) -> Result<Vec<Operation>, JsValue> {
    let array = value
        .dyn_ref::<Array>()
        .ok_or_else(|| argument(ErrorCode::OperationFailed, "operations must be an array"))?;
    array.iter().map(|op| operation_arg(&op)).collect()
}

/// The `{ id, sequence, timestamp, treeRoot, nodeCount }` object of a checkpoint.
pub(crate) fn checkpoint_to_js(checkpoint: &Checkpoint) -> JsValue {
    let object = Object::new();
    set(&object, "id", JsValue::from(checkpoint.id as f64));
    set(&object, "sequence", JsValue::from(checkpoint.sequence));
    set(&object, "timestamp", JsValue::from(checkpoint.timestamp));
    set(&object, "treeRoot", uint8_array(&checkpoint.tree_root));
    set(
        &object,
        "nodeCount",
        JsValue::from(checkpoint.node_count as f64),
    );
    object.into()
}

/// Optional `u64` option `name` of `options` (`undefined` and `null` are absent).
pub(crate) fn optional_u64_option(
    options: &JsValue,
    name: &str,
    code: ErrorCode,
) -> Result<Option<u64>, JsValue> {
    let value = property(options, name);
    if is_absent(&value) {
        return Ok(None);
    }
    u64_arg(&value, code, name).map(Some)
}
