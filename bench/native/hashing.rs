//! The hashing limit: what one blake2b256 label costs, which bounds how fast any implementation
//! can replay a record (each record relabels its path).

use crate::config::Config;
use crate::report::{median, Json};
use crate::workload::VALUE_LENGTH;
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
/// shape (1 + 32 + 8 + 32 bytes), hashed as the tree hashes them (`basis_trees`'s own blake2b,
/// the fastest in the build); each hash feeds the next so that none can be skipped.
fn hash_ns(count: usize, runs: usize) -> (f64, f64) {
    use basis_trees::avl::{internal_node_label, leaf_node_label};
    let mut label = [7u8; 32];
    let mut internal = Vec::new();
    let mut leaf = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        for _ in 0..count {
            label = internal_node_label(0, &label, &label);
        }
        internal.push(start.elapsed().as_nanos() as f64 / count as f64);
        let value = [3u8; VALUE_LENGTH];
        let start = Instant::now();
        for _ in 0..count {
            label = leaf_node_label(&label, &value, &label);
        }
        leaf.push(start.elapsed().as_nanos() as f64 / count as f64);
    }
    std::hint::black_box(label);
    (median(internal), median(leaf))
}
