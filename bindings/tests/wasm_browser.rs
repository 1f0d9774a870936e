//! The JS bindings, run by wasm-bindgen-test in a headless Chromium page
//! (`make test-wasm-browser`).
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "wasm/suite.rs"]
mod suite;
