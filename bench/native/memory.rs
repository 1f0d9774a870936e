//! Resident bytes per entry of a tree built one settled insert at a time, each measured in a
//! fresh process of this program (`--memory-child`).

use crate::plain::{digest_of, ergo_operation, new_prover};
use crate::report::Json;
use crate::workload::{shape, Kind, Rng, PROOF_EVERY, SEED};
use basis_trees::Tree;
use std::process::Command;

/// Measures both implementations at `size` entries; printed and recorded under
/// `bytes_per_entry`.
pub fn run(size: usize, entry: &mut Json) {
    let ours = memory("basis_trees", size);
    let plain = memory("ergo_avltree_rust", size);
    let show = |m: Option<f64>| m.map_or("-".to_string(), |b| format!("{b:.0}"));
    println!(
        "size {size}: resident bytes/entry: ergo_avltree_rust {}, basis_trees {}",
        show(plain),
        show(ours)
    );
    let mut bytes = Json::default();
    bytes
        .number("ergo_avltree_rust", plain.unwrap_or(f64::NAN))
        .number("basis_trees", ours.unwrap_or(f64::NAN));
    entry.object("bytes_per_entry", bytes);
}

fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// In a fresh process (so that earlier allocations cannot hide the growth): builds a tree of
/// `size` entries, one settled insert at a time, and prints the resident-set growth.
pub fn memory_child(which: &str, size: usize) {
    let mut rng = Rng(SEED ^ size as u64);
    let before = resident_bytes();
    let after = match which {
        "basis_trees" => {
            let mut tree = Tree::new(shape()).expect("a tree");
            for _ in 0..size {
                tree.insert(&rng.key(), &rng.value())
                    .expect("distinct keys");
            }
            let after = resident_bytes();
            std::hint::black_box(tree.digest());
            after
        }
        _ => {
            let mut prover = new_prover();
            for i in 0..size {
                let (key, value) = (rng.key(), rng.value());
                prover
                    .perform_one_operation(&ergo_operation(Kind::Insert, &key, &value))
                    .expect("distinct keys");
                if (i + 1) % PROOF_EVERY == 0 {
                    prover.generate_proof();
                }
            }
            prover.generate_proof();
            let after = resident_bytes();
            std::hint::black_box(digest_of(&prover));
            after
        }
    };
    println!("{}", after.saturating_sub(before));
}

fn memory(which: &str, size: usize) -> Option<f64> {
    let exe = std::env::current_exe().ok()?;
    let output = Command::new(exe)
        .args(["--memory-child", which, &size.to_string()])
        .output()
        .ok()?;
    let bytes: f64 = String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .ok()?;
    Some(bytes / size as f64)
}
