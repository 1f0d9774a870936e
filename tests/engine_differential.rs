//! Our AVL+ engine against `ergo_avltree_rust`'s `BatchAVLProver`: random operations of every
//! kind, valid and invalid, on both shapes (and short keys), digest compared after every
//! operation and proof bytes after every batch (see `tests/engine/`).
//!
//! `cargo test` runs 100,000 operations; `make fuzz-engine` runs the ignored test for as many as
//! `ENGINE_OPERATIONS` asks (default 10,000,000), from `ENGINE_SEED`.

mod engine;

use engine::random_run;

#[test]
fn engine_matches_ergo_avltree_rust_on_100k_operations() {
    let coverage = random_run(0xa71_0001, 100_000, 5_000);
    eprintln!("engine differential: {coverage:?}");
    assert!(coverage.failed_operations > 1_000, "{coverage:?}");
    assert!(coverage.largest_tree > 200, "{coverage:?}");
}

#[test]
#[ignore = "long: run by `make fuzz-engine`"]
fn engine_matches_ergo_avltree_rust_long_run() {
    let operations = std::env::var("ENGINE_OPERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000);
    let seed = std::env::var("ENGINE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0xa71_0002);
    let coverage = random_run(seed, operations, 200_000);
    eprintln!("engine differential, seed {seed}: {coverage:?}");
}
