//! `BasisTreeError`: a plain JS `Error` with `name`, `code`, and `sequence` / `offset` where they
//! apply, so that `instanceof Error` and stack traces work as users expect.

use crate::ErrorCode;
use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// A `BasisTreeError` with `code`, `message` and the optional location.
pub(crate) fn new(
    code: ErrorCode,
    message: &str,
    sequence: Option<u64>,
    offset: Option<u64>,
) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name("BasisTreeError");
    let set = |name: &str, value: JsValue| {
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(&error, &JsValue::from_str(name), &value);
    };
    set("code", JsValue::from_str(code.as_str()));
    if let Some(sequence) = sequence {
        set("sequence", JsValue::from(sequence));
    }
    if let Some(offset) = offset {
        set("offset", JsValue::from(offset as f64));
    }
    error.into()
}

/// The JS form of a core error.
pub(crate) fn to_js(err: crate::Error) -> JsValue {
    new(err.code(), &err.to_string(), err.sequence(), err.offset())
}

/// A `BasisTreeError` for an argument of the wrong type or form.
pub(crate) fn argument(code: ErrorCode, message: impl AsRef<str>) -> JsValue {
    new(code, message.as_ref(), None, None)
}
