//! The hashing limit: what one blake2b256 label costs, which bounds how fast any implementation
//! can replay a record (each record relabels its path).

use crate::config::Config;
use crate::report::{median, Json};
use crate::workload::VALUE_LENGTH;
use blake2::digest::Digest as _;
use std::time::Instant;

/// ns per label of an internal node and of a leaf; printed and recorded under `hash_ns`.
pub fn run(config: &Config, json: &mut Json) -> (f64, f64) {
    let (internal_ns, leaf_ns) = hash_ns(config.hashes_per_run, config.runs);
    println!("blake2b256 per label: internal node {internal_ns:.1} ns, leaf {leaf_ns:.1} ns");
    json.object(
        "hash_ns",
        std::mem::take(
            Json::default()
                .number("internal", internal_ns)
                .number("leaf", leaf_ns),
        ),
    );
    (internal_ns, leaf_ns)
}

/// ns per blake2b256 label of an internal node (1 + 1 + 32 + 32 bytes) and of a leaf of this
/// shape (1 + 32 + 8 + 32 bytes), hashed exactly as the crate's `Node::label` does; each hash
/// feeds the next so that none can be skipped.
fn hash_ns(count: usize, runs: usize) -> (f64, f64) {
    type Blake2b256 = blake2::Blake2b<blake2::digest::consts::U32>;
    let mut label = [7u8; 32];
    let mut internal = Vec::new();
    let mut leaf = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        for _ in 0..count {
            let mut hasher = Blake2b256::new();
            hasher.update([1u8]);
            hasher.update([0u8]);
            hasher.update(label);
            hasher.update(label);
            label.copy_from_slice(&hasher.finalize());
        }
        internal.push(start.elapsed().as_nanos() as f64 / count as f64);
        let value = [3u8; VALUE_LENGTH];
        let start = Instant::now();
        for _ in 0..count {
            let mut hasher = Blake2b256::new();
            hasher.update([0u8]);
            hasher.update(label);
            hasher.update(value);
            hasher.update(label);
            label.copy_from_slice(&hasher.finalize());
        }
        leaf.push(start.elapsed().as_nanos() as f64 / count as f64);
    }
    std::hint::black_box(label);
    (median(internal), median(leaf))
}
