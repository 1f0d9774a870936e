//! The JS bindings, run by wasm-bindgen-test in Node (`make test-wasm-node`).
#![cfg(target_arch = "wasm32")]

#[path = "wasm/suite.rs"]
mod suite;
