//! Values made for JavaScript: the objects the bindings return (records, checkpoints, shapes),
//! byte copies, and the property names they set, made JS strings once. A leaf of the bindings:
//! the conversions of arguments (`convert`) and the thrown errors (`error`) both use it.

use basis_trees::{Checkpoint, TreeOperation, TreeShape};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::JsValue;

/// The property names read and written on every call of the batch and proof methods: each is
/// made a JS string once ([`with_name`]) instead of being decoded from Rust text at every use.
const HOT_NAMES: [&str; 11] = [
    "type",
    "key",
    "value",
    "digest",
    "proof",
    "operations",
    "keyLength",
    "valueLength",
    "results",
    "digestBefore",
    "digestAfter",
];

thread_local! {
    static HOT_NAME_VALUES: Vec<JsValue> = HOT_NAMES.iter().map(|name| JsValue::from_str(name)).collect();
}

/// Calls `use_name` with `name` as a JS string (one of [`HOT_NAMES`] made once).
pub(crate) fn with_name<T>(name: &str, use_name: impl FnOnce(&JsValue) -> T) -> T {
    match HOT_NAMES.iter().position(|hot| *hot == name) {
        Some(index) => HOT_NAME_VALUES.with(|values| match values.get(index) {
            Some(value) => use_name(value),
            None => use_name(&JsValue::from_str(name)),
        }),
        None => use_name(&JsValue::from_str(name)),
    }
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
    with_name(name, |name| {
        let _ = Reflect::set(object, name, &value);
    });
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

/// The `{ id, sequence, timestamp, treeRoot, nodeCount }` object of a checkpoint (`id`,
/// `sequence` and `timestamp` are bigints: u64, exact to 2^64 − 1).
pub(crate) fn checkpoint_to_js(checkpoint: &Checkpoint) -> JsValue {
    let object = Object::new();
    set(&object, "id", JsValue::from(checkpoint.id));
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
