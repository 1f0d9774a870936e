//! Helpers of the bindings' wasm-bindgen tests (wasm/suite.rs and wasm_wallet.rs): JS objects
//! made and read from Rust, and the checks of a thrown `BasisTreeError`.

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

pub fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in pairs {
        Reflect::set(&object, &JsValue::from_str(name), value).unwrap();
    }
    object.into()
}

pub fn get(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(name)).unwrap()
}

pub fn bytes(value: &JsValue) -> Vec<u8> {
    value
        .dyn_ref::<Uint8Array>()
        .expect("a Uint8Array")
        .to_vec()
}

pub fn u8a(bytes: &[u8]) -> JsValue {
    Uint8Array::from(bytes).into()
}

/// Checks that `err` is a `BasisTreeError` with `code` and returns it.
pub fn expect_code(err: JsValue, code: &str) -> JsValue {
    assert!(
        err.is_instance_of::<js_sys::Error>(),
        "not an Error: {err:?}"
    );
    assert_eq!(
        get(&err, "name").as_string().as_deref(),
        Some("BasisTreeError")
    );
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some(code),
        "{err:?}"
    );
    err
}

/// Checks that `err` is `INVALID_ARGUMENT` about `argument`, named in its message.
pub fn expect_invalid(err: JsValue, argument: &str) -> JsValue {
    let err = expect_code(err, "INVALID_ARGUMENT");
    assert_eq!(
        get(&err, "argument").as_string().as_deref(),
        Some(argument),
        "{err:?}"
    );
    let message = get(&err, "message").as_string().unwrap_or_default();
    assert!(message.starts_with(argument), "{message}");
    err
}
