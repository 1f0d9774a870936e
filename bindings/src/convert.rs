//! Conversions of JS arguments into the core's types (the values returned are made in `output`).
//!
//! The package's JavaScript layer (`pkg-template/boundary.js`) hands these functions only inert
//! values: primitives, fresh `Uint8Array` copies, plain arrays and null-prototype objects it built
//! itself, so reading them runs no caller code while a wasm frame is on the stack. These functions
//! then check every value's type and form, strictly (an unknown option is refused, not ignored),
//! and refuse a malformed one with `INVALID_ARGUMENT` naming it; the codes of the data
//! (`KEY_LENGTH`, `SNAPSHOT_INVALID`, …) are left to the core.

use super::error::{invalid, to_js};
use super::output::with_name;
use basis_trees::{
    Error, ErrorKind, Operation, OperationType, TreeOperation, TreeShape, MAX_KEY_LENGTH,
    MAX_PROOF_LENGTH, MAX_VALUE_LENGTH,
};
use js_sys::{Array, JsString, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

/// The largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Whether a JS value is `undefined` or `null`.
pub(crate) fn is_absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

/// A JS object read as named fields, strictly: every own enumerable key must be a known one.
pub(crate) struct Fields<'a> {
    object: Option<&'a JsValue>,
    /// The prefix of the fields' names: empty for an options argument (`expectRoot`), the
    /// object's own name for a nested object (`startAt.root`, `records[3].key`).
    prefix: String,
}

impl<'a> Fields<'a> {
    /// An options argument named `name`: `undefined` and `null` mean no options; its fields are
    /// named by their keys alone.
    pub(crate) fn options(
        value: &'a JsValue,
        name: &str,
        known: &[&str],
    ) -> Result<Fields<'a>, JsValue> {
        if is_absent(value) {
            return Ok(Fields {
                object: None,
                prefix: String::new(),
            });
        }
        Fields::read(value, name, String::new(), known, "option")
    }

    /// An object argument (or element) named `name`, which must be there; its fields are named
    /// `name.field`.
    pub(crate) fn object(
        value: &'a JsValue,
        name: &str,
        known: &[&str],
    ) -> Result<Fields<'a>, JsValue> {
        Fields::read(value, name, format!("{name}."), known, "field")
    }

    #[inline(never)]
    fn read(
        value: &'a JsValue,
        name: &str,
        prefix: String,
        known: &[&str],
        noun: &str,
    ) -> Result<Fields<'a>, JsValue> {
        if !value.is_object() || value.is_instance_of::<Uint8Array>() || Array::is_array(value) {
            return Err(invalid(
                name,
                format!("must be an object with the {noun}s {}", known.join(", ")),
            ));
        }
        let object: &Object = value.unchecked_ref();
        for key in Object::keys(object).iter() {
            let key = short_name(&key);
            if !known.contains(&key.as_str()) {
                let suggestion = closest(&key, known)
                    .map(|k| format!(" (did you mean {k}?)"))
                    .unwrap_or_default();
                return Err(invalid(
                    &format!("{prefix}{key}"),
                    format!(
                        "is not a known {noun}{suggestion}; the {noun}s are {}",
                        known.join(", ")
                    ),
                ));
            }
        }
        Ok(Fields {
            object: Some(value),
            prefix,
        })
    }

    /// The name of field `key`, for messages.
    pub(crate) fn name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// Field `key` (`undefined` when absent).
    pub(crate) fn get(&self, key: &str) -> Result<JsValue, JsValue> {
        let Some(object) = self.object else {
            return Ok(JsValue::UNDEFINED);
        };
        with_name(key, |key| Reflect::get(object, key))
            .map_err(|_| invalid(&self.name(key), "could not be read"))
    }

    /// Field `key` and its name, `None` when absent (`undefined`, or `null` in a nested object).
    /// An option that is `null` is refused: `expectRoot: onChain ?? null` must not switch a check
    /// off. (`valueLength: null` is a value: values of any length.)
    fn present(&self, key: &str) -> Result<Option<(JsValue, String)>, JsValue> {
        let value = self.get(key)?;
        if value.is_null() && self.prefix.is_empty() && key != "valueLength" {
            return Err(invalid(
                &self.name(key),
                "is null: to leave the option unset, leave it out",
            ));
        }
        Ok((!is_absent(&value)).then(|| (value, self.name(key))))
    }

    /// Field `key` converted by `convert` (given the value and its name), `None` when absent.
    pub(crate) fn optional<T>(
        &self,
        key: &str,
        convert: impl FnOnce(&JsValue, &str) -> Result<T, JsValue>,
    ) -> Result<Option<T>, JsValue> {
        match self.present(key)? {
            Some((value, name)) => convert(&value, &name).map(Some),
            None => Ok(None),
        }
    }

    /// Field `key` converted by `convert`; absent is refused.
    pub(crate) fn required<T>(
        &self,
        key: &str,
        convert: impl FnOnce(&JsValue, &str) -> Result<T, JsValue>,
    ) -> Result<T, JsValue> {
        match self.present(key)? {
            Some((value, name)) => convert(&value, &name),
            None => Err(invalid(&self.name(key), "is missing")),
        }
    }

    /// Whether boolean field `key` is `true` (absent is `false`).
    pub(crate) fn flag(&self, key: &str) -> Result<bool, JsValue> {
        self.optional(key, |value, name| {
            value
                .as_bool()
                .ok_or_else(|| invalid(name, "must be true or false"))
        })
        .map(|flag| flag.unwrap_or(false))
    }
}

/// The characters of a name read whole; a longer one (an option key, a type) is no name this
/// module knows, and only its start is read, for messages.
const MAX_NAME_CHARS: u32 = 64;

/// A string that should be a name, read without copying more than its first `MAX_NAME_CHARS`
/// characters into the instance: a longer one comes back cut, ending with `…`.
fn short_name(value: &JsValue) -> String {
    let Some(text) = value.dyn_ref::<JsString>() else {
        return String::new();
    };
    if text.length() <= MAX_NAME_CHARS {
        return String::from(text);
    }
    let mut start = String::from(text.slice(0, MAX_NAME_CHARS / 2));
    start.push('…');
    start
}

/// The known name closest to a misspelt `key`: at most two edits away, ignoring case.
#[inline(never)] // only on the error path
fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let mut best = None;
    for &name in known {
        let distance = edit_distance(key.as_bytes(), name.as_bytes());
        if distance <= 2 && best.map_or(true, |(d, _)| distance < d) {
            best = Some((distance, name));
        }
    }
    best.map(|(_, name)| name)
}

/// Levenshtein distance of two names, ignoring ASCII case; names longer than 32 bytes are far.
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    if a.len() > 32 || b.len() > 32 {
        return usize::MAX;
    }
    // One row of the table: row[j] is the distance between a[..i] and b[..j].
    let mut row = [0u8; 33];
    for (j, cell) in (0u8..).zip(row.iter_mut()) {
        *cell = j;
    }
    for (i, &ca) in (1u8..).zip(a) {
        let mut diagonal = i - 1;
        let mut left = i;
        for (&cb, cell) in b.iter().zip(row.iter_mut().skip(1)) {
            let substitution = diagonal + u8::from(!ca.eq_ignore_ascii_case(&cb));
            let next = substitution.min(*cell + 1).min(left + 1);
            diagonal = *cell;
            *cell = next;
            left = next;
        }
        row[0] = i;
    }
    usize::from(row[b.len()])
}

/// What a value is, for messages ("a number", "an object", "a Uint16Array").
pub(crate) fn describe(value: &JsValue) -> String {
    if value.is_null() {
        return "null".to_string();
    }
    let kind = value.js_typeof().as_string().unwrap_or_default();
    match kind.as_str() {
        "object" if Array::is_array(value) => "an array".to_string(),
        "object" => "an object".to_string(),
        "undefined" => "undefined".to_string(),
        _ => format!("a {kind}"),
    }
}

/// Bytes given as a `Uint8Array` (a Node `Buffer` too) or a hex string. More than `limit`
/// bytes are refused with `too_long(length)` before any is copied into the instance's memory.
#[inline(never)] // one copy: it is on the path of every byte argument
pub(crate) fn bytes_within(
    value: &JsValue,
    name: &str,
    limit: usize,
    too_long: &dyn Fn(usize) -> JsValue,
) -> Result<Vec<u8>, JsValue> {
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        let length = array.length() as usize;
        if length > limit {
            return Err(too_long(length));
        }
        return copy_of(array);
    }
    if let Some(text) = value.dyn_ref::<JsString>() {
        // Measured before it is copied: hex has two characters a byte, beside some room for
        // what a paste adds (a `0x`, a newline); measured again once the digits are known.
        let length = text.length() as usize;
        if length.saturating_sub(PASTED_EXTRA_CHARS) / 2 > limit {
            return Err(too_long(length / 2));
        }
        let text = String::from(text);
        let (skipped, digits) = hex_digits(&text);
        if digits.len() / 2 > limit {
            return Err(too_long(digits.len() / 2));
        }
        return basis_trees::bindings_support::decode_hex(digits).map_err(|err| {
            let error = Error::invalid_argument(name, format!("is not valid hex: {err}"));
            to_js(match err.offset() {
                Some(offset) => error.at_offset((skipped + offset) as u64),
                None => error,
            })
        });
    }
    Err(invalid(
        name,
        format!(
            "must be a Uint8Array or a hex string, not {}",
            describe(value)
        ),
    ))
}

/// Characters a hex string may have beside its digits (whitespace around them, `0x`) before it
/// is copied to be measured.
const PASTED_EXTRA_CHARS: usize = 64;

/// The hex digits of `text` as a person pastes them: surrounding whitespace and a `0x` prefix
/// are not digits. Returns how many bytes of `text` come before the digits, and the digits.
fn hex_digits(text: &str) -> (usize, &str) {
    let trimmed = text.trim();
    let digits = trimmed
        .strip_prefix("0x")
        .or_else(|| trimmed.strip_prefix("0X"))
        .unwrap_or(trimmed);
    (
        text.len() - text.trim_start().len() + trimmed.len() - digits.len(),
        digits,
    )
}

/// The bytes of a `Uint8Array`, copied into the instance's memory; `OUT_OF_MEMORY` when there is
/// no room for them (an allocation that fails would abort the instance).
pub(crate) fn copy_of(array: &Uint8Array) -> Result<Vec<u8>, JsValue> {
    let length = array.length() as usize;
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(length)
        .map_err(|_| to_js(Error::new(ErrorKind::OutOfMemory { requested: length })))?;
    bytes.resize(length, 0);
    array.copy_to(&mut bytes);
    Ok(bytes)
}

/// Bytes of any length (a snapshot, a proof).
pub(crate) fn bytes(value: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    bytes_within(value, name, usize::MAX, &|_| JsValue::UNDEFINED)
}

/// Bytes of at most `limit`, where more is the caller's mistake (`INVALID_ARGUMENT`).
pub(crate) fn bounded_bytes(value: &JsValue, name: &str, limit: usize) -> Result<Vec<u8>, JsValue> {
    bytes_within(value, name, limit, &|length| {
        invalid(
            name,
            format!("is {length} bytes, more than the {limit} any tree accepts"),
        )
    })
}

/// A key for a tree of `shape`: one of another length is the data's `KEY_LENGTH`, refused
/// before it is copied.
pub(crate) fn key(value: &JsValue, name: &str, shape: TreeShape) -> Result<Vec<u8>, JsValue> {
    bytes_within(value, name, shape.key_length, &|actual| {
        to_js(Error::new(ErrorKind::KeyLength {
            expected: shape.key_length,
            actual,
        }))
    })
}

/// A value for a tree of `shape`: longer than the shape allows is the data's `VALUE_LENGTH`,
/// refused before it is copied.
pub(crate) fn value(value: &JsValue, name: &str, shape: TreeShape) -> Result<Vec<u8>, JsValue> {
    let limit = shape.value_length.unwrap_or(MAX_VALUE_LENGTH);
    bytes_within(value, name, limit, &|actual| {
        to_js(Error::new(match shape.value_length {
            Some(expected) => ErrorKind::ValueLength { expected, actual },
            None => ErrorKind::ValueTooLong { max: limit, actual },
        }))
    })
}

/// A 33-byte digest.
pub(crate) fn digest(value: &JsValue, name: &str) -> Result<basis_trees::Digest, JsValue> {
    let wrong = |length: usize| not_a_digest(name, length);
    let bytes = bytes_within(value, name, 33, &wrong)?;
    basis_trees::Digest::try_from(bytes.as_slice()).map_err(|_| wrong(bytes.len()))
}

/// The `INVALID_ARGUMENT` of a digest argument `name` of `length` bytes.
pub(crate) fn not_a_digest(name: &str, length: usize) -> JsValue {
    invalid(
        name,
        format!("must be a 33-byte digest, not {length} bytes"),
    )
}

/// A u64 given as a `bigint` or as a non-negative whole `number`.
pub(crate) fn u64_value(value: &JsValue, name: &str) -> Result<u64, JsValue> {
    if value.is_bigint() {
        if let Ok(n) = u64::try_from(value.clone()) {
            return Ok(n);
        }
    } else if let Some(n) = value.as_f64() {
        if n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(&n) {
            return Ok(n as u64);
        }
    }
    Err(invalid(
        name,
        "must be a bigint from 0 to 2^64-1, or a whole number from 0 to 2^53-1 (a number beyond \
         is not exact: give a bigint)",
    ))
}

/// A whole `number` (or `bigint`) from `min` to `max`.
pub(crate) fn length_value(
    value: &JsValue,
    name: &str,
    min: usize,
    max: usize,
) -> Result<usize, JsValue> {
    let n = if value.is_bigint() {
        u64::try_from(value.clone()).ok().map(|n| n as f64)
    } else {
        value.as_f64()
    };
    match n {
        Some(n) if n.fract() == 0.0 && (min as f64..=max as f64).contains(&n) => Ok(n as usize),
        _ => Err(invalid(
            name,
            format!("must be a whole number from {min} to {max}"),
        )),
    }
}

/// A string that names something (an operation's type, a format), named `name`: one longer than
/// any such name is refused before it is copied into the instance.
pub(crate) fn string_value(value: &JsValue, name: &str) -> Result<String, JsValue> {
    let text = value
        .dyn_ref::<JsString>()
        .ok_or_else(|| invalid(name, format!("must be a string, not {}", describe(value))))?;
    if text.length() > MAX_NAME_CHARS {
        return Err(invalid(
            name,
            format!(
                "is a string of {} characters, longer than any name it could be",
                text.length()
            ),
        ));
    }
    Ok(String::from(text))
}

/// The shape fields `keyLength` and `valueLength` of `fields`: a missing `keyLength` is the
/// Basis tracker's 32, a missing or `null` `valueLength` means values of any length.
pub(crate) fn shape_of(fields: &Fields) -> Result<TreeShape, JsValue> {
    let key_length = fields
        .optional("keyLength", |v, n| length_value(v, n, 1, MAX_KEY_LENGTH))?
        .unwrap_or(TreeShape::BASIS_TRACKER.key_length);
    let value_length = fields.optional("valueLength", |v, n| {
        length_value(v, n, 0, MAX_VALUE_LENGTH)
    })?;
    TreeShape::new(key_length, value_length).map_err(to_js)
}

/// The names of a shape's fields.
pub(crate) const SHAPE_FIELDS: [&str; 2] = ["keyLength", "valueLength"];

/// A tree shape argument `{ keyLength, valueLength? }`; `undefined` is the Basis tracker's.
pub(crate) fn shape_arg(value: &JsValue, name: &str) -> Result<TreeShape, JsValue> {
    shape_of(&Fields::options(value, name, &SHAPE_FIELDS)?)
}

/// The fields of a record object.
const RECORD_FIELDS: [&str; 9] = [
    "sequenceNumber",
    "type",
    "timestamp",
    "key",
    "value",
    "previousValue",
    "rootBefore",
    "rootAfter",
    "proof",
];

/// A log record from its JS object, named `name` (`record`, `records[3]`).
pub(crate) fn record_arg(value: &JsValue, name: &str) -> Result<TreeOperation, JsValue> {
    let fields = Fields::object(value, name, &RECORD_FIELDS)?;
    let operation_type = fields.required("type", |value, name| {
        OperationType::from_name(&string_value(value, name)?)
            .ok_or_else(|| invalid(name, "must be 'insert', 'update' or 'remove'"))
    })?;
    let key = |v: &JsValue, n: &str| bounded_bytes(v, n, MAX_KEY_LENGTH);
    let value_bytes = |v: &JsValue, n: &str| bounded_bytes(v, n, MAX_VALUE_LENGTH);
    Ok(TreeOperation {
        sequence_number: fields.required("sequenceNumber", u64_value)?,
        operation_type,
        timestamp: fields.required("timestamp", u64_value)?,
        key: fields.required("key", key)?,
        value: fields.optional("value", value_bytes)?,
        previous_value: fields.optional("previousValue", value_bytes)?,
        tree_root_before: fields.required("rootBefore", digest)?,
        tree_root_after: fields.required("rootAfter", digest)?,
        proof: fields.optional("proof", |v, n| bounded_bytes(v, n, MAX_PROOF_LENGTH))?,
    })
}

/// The elements of an array argument named `name`, each converted by `convert` (given the
/// element and its name, `name[i]`).
pub(crate) fn array_of<T>(
    value: &JsValue,
    name: &str,
    mut convert: impl FnMut(&JsValue, &str) -> Result<T, JsValue>,
) -> Result<Vec<T>, JsValue> {
    let array = value
        .dyn_ref::<Array>()
        .filter(|_| Array::is_array(value))
        .ok_or_else(|| invalid(name, format!("must be an array, not {}", describe(value))))?;
    array
        .iter()
        .enumerate()
        .map(|(i, element)| convert(&element, &format!("{name}[{i}]")))
        .collect()
}

/// Records from a JS array named `name`.
pub(crate) fn records_arg(value: &JsValue, name: &str) -> Result<Vec<TreeOperation>, JsValue> {
    array_of(value, name, record_arg)
}

/// One operation `{ type, key, value? }` for a tree of `shape`, named `name`.
pub(crate) fn operation_arg(
    value: &JsValue,
    name: &str,
    shape: TreeShape,
) -> Result<Operation, JsValue> {
    let fields = Fields::object(value, name, &["type", "key", "value"])?;
    let type_name = fields.required("type", string_value)?;
    let key = fields.required("key", |v, n| key(v, n, shape))?;
    let value_of = || fields.required("value", |v, n| self::value(v, n, shape));
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
            return Err(invalid(
                &fields.name("type"),
                "must be one of 'lookup', 'insert', 'update', 'insertOrUpdate', 'remove', \
                 'removeIfExists'",
            ))
        }
    })
}

/// Operations packed by the package's JavaScript (`packOperations` in boundary.js), for a tree
/// of `shape`: per operation its type's index in [`PACKED_TYPES`], its key, and, for a type that
/// carries a value, the value's length (u32, big-endian) and bytes. The package packs only
/// operations it has already read and checked against the shape; the tree checks them again.
pub(crate) fn packed_operations(
    packed: &[u8],
    shape: TreeShape,
) -> Result<Vec<Operation>, JsValue> {
    let unreadable = || invalid("operations", "could not be read from their packed form");
    let mut reader = basis_trees::bindings_support::ByteReader::new(packed);
    let mut operations = Vec::new();
    while let Some(code) = reader.u8() {
        let key = reader
            .take(shape.key_length)
            .ok_or_else(unreadable)?
            .to_vec();
        let mut value = || -> Result<Vec<u8>, JsValue> {
            let length = reader.u32().ok_or_else(unreadable)? as usize;
            Ok(reader.take(length).ok_or_else(unreadable)?.to_vec())
        };
        operations.push(match PACKED_TYPES.get(usize::from(code)).copied() {
            Some("lookup") => Operation::Lookup { key },
            Some("insert") => Operation::Insert {
                key,
                value: value()?,
            },
            Some("update") => Operation::Update {
                key,
                value: value()?,
            },
            Some("insertOrUpdate") => Operation::InsertOrUpdate {
                key,
                value: value()?,
            },
            Some("remove") => Operation::Remove { key },
            Some("removeIfExists") => Operation::RemoveIfExists { key },
            _ => return Err(unreadable()),
        });
    }
    Ok(operations)
}

/// The operation types in the order of their packed codes (boundary.js has the same list).
const PACKED_TYPES: [&str; 6] = [
    "lookup",
    "insert",
    "update",
    "insertOrUpdate",
    "remove",
    "removeIfExists",
];

/// Operations from a JS array named `name`, for a tree of `shape`.
pub(crate) fn operations_arg(
    value: &JsValue,
    name: &str,
    shape: TreeShape,
) -> Result<Vec<Operation>, JsValue> {
    array_of(value, name, |op, name| operation_arg(op, name, shape))
}
