//! The AVL+ engine alone (`basis_trees::avl`) against the plain `ergo_avltree_rust` prover, in one
//! process: quick ratios while working on the engine, and a fixed workload for
//! `valgrind --tool=callgrind` (instruction counts are stable on a shared machine).
//!
//! ```text
//! cargo bench --bench engine -- [--size N] [--ops M] [--only ours|crate|crate-plain] [--workload W]
//! ```
//!
//! Workloads (32-byte keys, 8-byte values): `insert` (N inserts, the digest after each),
//! `replay` (a tree of N entries, then M records of 50 % updates, 25 % inserts, 25 % removes, the
//! digest after each), `build` (N inserts, the digest at the end), `prove` (M lookup proofs of
//! one present key each, on a tree of N entries), `hash` (the time of one internal node's label). The crate runs as a user runs it: one
//! `perform_one_operation` and `digest` per record, and `generate_proof` every 100 records in
//! `replay` (its batches would otherwise keep every replaced node); `insert` runs it both ways.
//! Under `cargo test` the program runs once on a tiny workload.

use basis_trees::avl::{AvlTree, Op};
use bytes::Bytes;
use ergo_avltree_rust::authenticated_tree_ops::AuthenticatedTreeOps;
use ergo_avltree_rust::batch_avl_prover::BatchAVLProver;
use ergo_avltree_rust::batch_node::{AVLTree, Node, NodeHeader};
use ergo_avltree_rust::operation::{KeyValue, Operation};
use std::time::Instant;

struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn key(&mut self) -> [u8; 32] {
        let mut key = [0u8; 32];
        for chunk in key.chunks_mut(8) {
            chunk.copy_from_slice(&self.next_u64().to_be_bytes());
        }
        key
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Insert,
    Update,
    Remove,
}

fn new_prover() -> BatchAVLProver {
    let resolver = |d: &[u8; 32]| Node::LabelOnly(NodeHeader::new(Some(*d), None));
    BatchAVLProver::new(AVLTree::new(resolver, 32, Some(8)), false)
}

fn ergo(kind: Kind, key: &[u8; 32], value: &[u8; 8]) -> Operation {
    let key = Bytes::copy_from_slice(key);
    let value = Bytes::copy_from_slice(value);
    match kind {
        Kind::Insert => Operation::Insert(KeyValue { key, value }),
        Kind::Update => Operation::Update(KeyValue { key, value }),
        Kind::Remove => Operation::Remove(key),
    }
}

fn ours_op<'a>(kind: Kind, key: &'a [u8; 32], value: &'a [u8; 8]) -> Op<'a> {
    match kind {
        Kind::Insert => Op::Insert(key, value),
        Kind::Update => Op::Update(key, value),
        Kind::Remove => Op::Remove(key),
    }
}

/// `count` records on a tree holding `present`: 50 % updates, 25 % inserts, 25 % removes.
fn records(rng: &mut Rng, present: &mut Vec<[u8; 32]>, count: usize) -> Vec<(Kind, [u8; 32])> {
    (0..count)
        .map(|_| match rng.next_u64() % 4 {
            0 => {
                let key = rng.key();
                present.push(key);
                (Kind::Insert, key)
            }
            1 => {
                let i = (rng.next_u64() % present.len() as u64) as usize;
                (Kind::Remove, present.swap_remove(i))
            }
            _ => {
                let i = (rng.next_u64() % present.len() as u64) as usize;
                (Kind::Update, present[i])
            }
        })
        .collect()
}

fn value(i: usize) -> [u8; 8] {
    (i as u64).to_be_bytes()
}

fn ours_insert(keys: &[[u8; 32]]) -> (f64, [u8; 33]) {
    let mut tree = AvlTree::new(32, Some(8));
    let mut old = Vec::new();
    let start = Instant::now();
    for (i, key) in keys.iter().enumerate() {
        tree.perform(Op::Insert(key, &value(i)), &mut old)
            .expect("insert");
        tree.settle();
        tree.refresh_labels();
        std::hint::black_box(tree.digest());
    }
    (start.elapsed().as_secs_f64(), tree.digest())
}

fn crate_insert(keys: &[[u8; 32]], proof_every: Option<usize>) -> (f64, Vec<u8>) {
    let mut prover = new_prover();
    let start = Instant::now();
    for (i, key) in keys.iter().enumerate() {
        prover
            .perform_one_operation(&ergo(Kind::Insert, key, &value(i)))
            .expect("insert");
        std::hint::black_box(prover.digest());
        if proof_every.is_some_and(|every| (i + 1) % every == 0) {
            prover.generate_proof();
        }
    }
    let digest = prover.digest().map(|d| d.to_vec()).unwrap_or_default();
    (start.elapsed().as_secs_f64(), digest)
}

fn ours_tree(keys: &[[u8; 32]]) -> AvlTree {
    let mut tree = AvlTree::new(32, Some(8));
    let mut old = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        tree.perform(Op::Insert(key, &value(i)), &mut old)
            .expect("insert");
        tree.settle();
        tree.refresh_labels();
    }
    tree
}

fn crate_tree(keys: &[[u8; 32]]) -> BatchAVLProver {
    let mut prover = new_prover();
    for (i, key) in keys.iter().enumerate() {
        prover
            .perform_one_operation(&ergo(Kind::Insert, key, &value(i)))
            .expect("insert");
        prover.digest();
        if (i + 1) % 100 == 0 {
            prover.generate_proof();
        }
    }
    prover.generate_proof();
    prover
}

#[inline(never)]
fn ours_replay(tree: &mut AvlTree, records: &[(Kind, [u8; 32])]) -> f64 {
    let mut old = Vec::new();
    let start = Instant::now();
    for (i, (kind, key)) in records.iter().enumerate() {
        let value = value(i);
        tree.perform(ours_op(*kind, key, &value), &mut old)
            .expect("record");
        tree.refresh_labels();
        std::hint::black_box(tree.digest());
        tree.settle();
    }
    start.elapsed().as_secs_f64()
}

#[inline(never)]
fn crate_replay(prover: &mut BatchAVLProver, records: &[(Kind, [u8; 32])]) -> f64 {
    let start = Instant::now();
    for (i, (kind, key)) in records.iter().enumerate() {
        prover
            .perform_one_operation(&ergo(*kind, key, &value(i)))
            .expect("record");
        std::hint::black_box(prover.digest());
        if (i + 1) % 100 == 0 {
            prover.generate_proof();
        }
    }
    start.elapsed().as_secs_f64()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bench = args.iter().any(|a| a == "--bench");
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let size: usize = arg("--size")
        .and_then(|s| s.parse().ok())
        .unwrap_or(if bench { 100_000 } else { 300 });
    let ops: usize = arg("--ops")
        .and_then(|s| s.parse().ok())
        .unwrap_or(if bench { 20_000 } else { 100 });
    let only = arg("--only");
    let workload = arg("--workload").unwrap_or_else(|| "all".to_string());
    // `--only crate-plain`: the crate without proofs alone (insert).
    let run = |side: &str| {
        only.as_deref().map_or(true, |o| {
            o == side || (side == "crate" && o == "crate-plain")
        })
    };
    let proofs_too = only.as_deref() != Some("crate-plain");
    let wants = |w: &str| workload == "all" || workload == w;
    let mut rng = Rng(0x656e_6769_6e65);
    let keys: Vec<[u8; 32]> = (0..size).map(|_| rng.key()).collect();

    if wants("hash") {
        let count = 1_000_000;
        let mut label = [7u8; 32];
        let start = Instant::now();
        for _ in 0..count {
            label = basis_trees::avl::internal_node_label(0, &label, &label);
        }
        let ns = start.elapsed().as_nanos() as f64 / count as f64;
        std::hint::black_box(label);
        type Blake2b256 = blake2::Blake2b<blake2::digest::consts::U32>;
        use blake2::Digest as _;
        let start = Instant::now();
        for _ in 0..count {
            let mut hasher = Blake2b256::new();
            hasher.update([1u8, 0]);
            hasher.update(label);
            hasher.update(label);
            label.copy_from_slice(&hasher.finalize());
        }
        let crate_ns = start.elapsed().as_nanos() as f64 / count as f64;
        std::hint::black_box(label);
        println!(
            "blake2b256 of an internal node: ours {ns:.1} ns, the blake2 crate {crate_ns:.1} ns"
        );
    }
    if wants("insert") {
        let mut line = format!("insert {size}, digest after each:");
        let mut ours_rate = None;
        if run("ours") {
            let (seconds, digest) = ours_insert(&keys);
            ours_rate = Some(size as f64 / seconds);
            line += &format!(" ours {:.0}/s", size as f64 / seconds);
            if run("crate") {
                let (_, theirs) = crate_insert(&keys[..size.min(2000)], Some(100));
                let (_, mine) = ours_insert(&keys[..size.min(2000)]);
                assert_eq!(mine.as_slice(), theirs.as_slice(), "digests differ");
                let _ = digest;
            }
        }
        if run("crate") {
            let (seconds, _) = crate_insert(&keys, None);
            let rate = size as f64 / seconds;
            line += &format!(" | crate without proofs {rate:.0}/s");
            if let Some(ours) = ours_rate {
                line += &format!(" ({:.2}x)", ours / rate);
            }
            if proofs_too {
                let (seconds, _) = crate_insert(&keys, Some(100));
                let rate = size as f64 / seconds;
                line += &format!(" | crate, a proof every 100 {rate:.0}/s");
                if let Some(ours) = ours_rate {
                    line += &format!(" ({:.2}x)", ours / rate);
                }
            }
        }
        println!("{line}");
    }
    if wants("replay") {
        let mut present = keys.clone();
        let records = records(&mut rng, &mut present, ops);
        let mut line = format!("replay {ops} records on {size} entries:");
        let mut ours_rate = None;
        if run("ours") {
            let mut tree = ours_tree(&keys);
            let seconds = ours_replay(&mut tree, &records);
            ours_rate = Some(ops as f64 / seconds);
            line += &format!(" ours {:.0}/s", ops as f64 / seconds);
        }
        if run("crate") {
            let mut prover = crate_tree(&keys);
            let seconds = crate_replay(&mut prover, &records);
            let rate = ops as f64 / seconds;
            line += &format!(" | crate {rate:.0}/s");
            if let Some(ours) = ours_rate {
                line += &format!(" ({:.2}x)", ours / rate);
            }
        }
        println!("{line}");
    }
    if wants("build") {
        let mut line = format!("build {size}, digest at the end:");
        let mut ours_rate = None;
        if run("ours") {
            let mut tree = AvlTree::new(32, Some(8));
            let mut old = Vec::new();
            let start = Instant::now();
            for (i, key) in keys.iter().enumerate() {
                tree.perform(Op::Insert(key, &value(i)), &mut old)
                    .expect("insert");
            }
            tree.settle();
            tree.refresh_labels();
            std::hint::black_box(tree.digest());
            let rate = size as f64 / start.elapsed().as_secs_f64();
            ours_rate = Some(rate);
            line += &format!(" ours {rate:.0}/s");
        }
        if run("crate") {
            let mut prover = new_prover();
            let start = Instant::now();
            for (i, key) in keys.iter().enumerate() {
                prover
                    .perform_one_operation(&ergo(Kind::Insert, key, &value(i)))
                    .expect("insert");
            }
            std::hint::black_box(prover.digest());
            let rate = size as f64 / start.elapsed().as_secs_f64();
            line += &format!(" | crate {rate:.0}/s");
            if let Some(ours) = ours_rate {
                line += &format!(" ({:.2}x)", ours / rate);
            }
        }
        println!("{line}");
    }
    if wants("prove") {
        let lookups: Vec<&[u8; 32]> = (0..ops)
            .map(|_| &keys[(rng.next_u64() % size as u64) as usize])
            .collect();
        let mut line = format!("prove {ops} lookups on {size} entries:");
        let mut ours_rate = None;
        if run("ours") {
            let tree = ours_tree(&keys);
            let start = Instant::now();
            for key in &lookups {
                std::hint::black_box(tree.prove_lookups(&[key]).expect("proof"));
            }
            let rate = ops as f64 / start.elapsed().as_secs_f64();
            ours_rate = Some(rate);
            line += &format!(" ours {rate:.0}/s");
        }
        if run("crate") {
            let prover = crate_tree(&keys);
            let start = Instant::now();
            for key in &lookups {
                let lookup = vec![Operation::Lookup(Bytes::copy_from_slice(*key))];
                std::hint::black_box(
                    prover
                        .generate_proof_for_operations(&lookup)
                        .expect("proof"),
                );
            }
            let rate = ops as f64 / start.elapsed().as_secs_f64();
            line += &format!(" | crate {rate:.0}/s");
            if let Some(ours) = ours_rate {
                line += &format!(" ({:.2}x)", ours / rate);
            }
        }
        println!("{line}");
    }
}
