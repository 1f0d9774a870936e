//! The JS bindings, run by wasm-bindgen-test in a headless Chromium dedicated worker
//! (`make test-wasm-worker`).
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[path = "wasm/suite.rs"]
mod suite;
