//! The native half of `make bench`: `basis_trees` against the plain `ergo_avltree_rust` prover on
//! the same generated workloads, the blake2b256 hashing limit, and bytes per entry.
//!
//! `cargo bench --bench native -- --out target/bench` prints the figures, writes them to
//! `native.json`, and writes for the wasm benchmarks (bench/*.mjs) each workload to
//! `workload-<size>.bin` and its binary log to `log-<size>.bin` (with the offsets of its parts in
//! `log-<size>.json`), so that every runtime replays exactly the same bytes. Under `cargo test`
//! the same program runs once on a tiny workload, as a smoke test that keeps it compiling.
//!
//! Workloads (32-byte keys, 8-byte values, fixed-length tree):
//! - W1 replay-verify: a tree prefilled with `size` entries, then records of 50 % updates, 25 %
//!   inserts and 25 % removes (the size stays put); each record is applied and the digest
//!   computed and compared after it. `basis_trees` runs `replay_record`, and `LogVerifier` over
//!   the binary log of the same records; the plain crate runs `perform_one_operation` + `digest`
//!   per record and `generate_proof` every [`PROOF_EVERY`] records, as a user of
//!   `BatchAVLProver` would.
//! - W2 batch build: `size` inserts into an empty tree, digest at the end.
//! - W3: single-key lookup proofs of present keys made (`Tree::prove_lookup`) and verified
//!   (`verify_proof`) per second.
//! - W4: stateless checks of W1 records by the proofs they carry (`verify_record_proof`); the
//!   records with proofs are also written to `proofs-<size>.bin` for the wasm benchmarks.
//! - W5: snapshot save and restore of the prefilled tree, against `LogVerifier` replaying the log
//!   of the inserts that built it.

use basis_trees::{
    replay_record, verify_proof, verify_record_proof, LogEncoder, LogFormat, LogHeader, LogStart,
    LogVerifier, Operation, OperationType, Snapshot, Tree, TreeOperation, TreeShape,
    VerifierOptions,
};
use blake2::digest::Digest as _;
use bytes::Bytes;
use ergo_avltree_rust::authenticated_tree_ops::AuthenticatedTreeOps;
use ergo_avltree_rust::batch_avl_prover::BatchAVLProver;
use ergo_avltree_rust::batch_node::{AVLTree, Node, NodeHeader, NodeId};
use ergo_avltree_rust::operation::{KeyValue, Operation as ErgoOperation};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

const KEY_LENGTH: usize = 32;
const VALUE_LENGTH: usize = 8;
/// How often the plain prover's user asks for a proof in W1 (a block's worth of records).
const PROOF_EVERY: usize = 100;
const SEED: u64 = 0x6261_7369_735f_7472;

type Key = [u8; KEY_LENGTH];
type Value = [u8; VALUE_LENGTH];
type Digest = [u8; 33];

struct Config {
    sizes: Vec<usize>,
    /// Sizes whose W2 (three builds per implementation) is measured; W1 needs only one build.
    build_sizes: Vec<usize>,
    memory_sizes: Vec<usize>,
    runs: usize,
    ops_per_run: usize,
    hashes_per_run: usize,
    /// Lookup proofs made and verified per W3 run.
    lookups: usize,
    out: Option<PathBuf>,
    /// `--only basis_trees` or `--only ergo_avltree_rust`: W1 of one side only (for profiling).
    only: Option<String>,
}

impl Config {
    fn from_args() -> Config {
        let args: Vec<String> = std::env::args().collect();
        // `cargo bench` passes `--bench`; `cargo test` runs the program without it.
        if !args.iter().any(|a| a == "--bench") {
            return Config {
                sizes: vec![300],
                build_sizes: vec![300],
                memory_sizes: vec![],
                runs: 2,
                ops_per_run: 50,
                hashes_per_run: 1000,
                lookups: 50,
                out: None,
                only: None,
            };
        }
        let value = |name: &str| {
            args.iter()
                .position(|a| a == name)
                .and_then(|i| args.get(i + 1))
                .cloned()
        };
        let list = |name: &str, default: &str| -> Vec<usize> {
            value(name)
                .unwrap_or_else(|| default.to_string())
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().expect("a list of sizes"))
                .collect()
        };
        let number = |name: &str, default: usize| {
            value(name).map_or(default, |s| s.parse().expect("a number"))
        };
        Config {
            sizes: list("--sizes", "10000,100000,1000000"),
            build_sizes: list("--build-sizes", "10000,100000,1000000"),
            memory_sizes: list("--memory-sizes", "100000,1000000"),
            runs: number("--runs", 5),
            ops_per_run: number("--ops", 20_000),
            hashes_per_run: number("--hashes", 400_000),
            lookups: number("--lookups", 5_000),
            out: value("--out").map(PathBuf::from),
            only: value("--only"),
        }
    }
}

/// SplitMix64: the workloads are the same on every machine and in every runtime.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    fn key(&mut self) -> Key {
        loop {
            let mut key = [0u8; KEY_LENGTH];
            for chunk in key.chunks_mut(8) {
                chunk.copy_from_slice(&self.next_u64().to_be_bytes());
            }
            // The two sentinel keys are not valid entries.
            if key.iter().any(|&b| b != 0) && key.iter().any(|&b| b != 0xff) {
                return key;
            }
        }
    }

    fn value(&mut self) -> Value {
        self.next_u64().to_be_bytes()
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Insert,
    Update,
    Remove,
}

struct Record {
    kind: Kind,
    key: Key,
    value: Value,
    previous: Option<Value>,
    root_after: Digest,
}

struct Workload {
    size: usize,
    prefill: Vec<(Key, Value)>,
    records: Vec<Record>,
    /// The digest after the prefill, before the first record.
    start_root: Digest,
    /// Labels computed per record: internal nodes, leaves.
    hashed_internal: u64,
    hashed_leaves: u64,
}

fn generate(size: usize, record_count: usize) -> Workload {
    let mut rng = Rng(SEED ^ size as u64);
    let prefill: Vec<(Key, Value)> = (0..size).map(|_| (rng.key(), rng.value())).collect();
    let mut live = prefill.clone();
    let mut records = Vec::with_capacity(record_count);
    for _ in 0..record_count {
        let choice = rng.below(4);
        let record = if choice == 0 || live.is_empty() {
            let (key, value) = (rng.key(), rng.value());
            live.push((key, value));
            Record {
                kind: Kind::Insert,
                key,
                value,
                previous: None,
                root_after: [0; 33],
            }
        } else if choice == 1 {
            let (key, previous) = live.swap_remove(rng.below(live.len()));
            Record {
                kind: Kind::Remove,
                key,
                value: [0; VALUE_LENGTH],
                previous: Some(previous),
                root_after: [0; 33],
            }
        } else {
            let index = rng.below(live.len());
            let value = rng.value();
            let previous = std::mem::replace(&mut live[index].1, value);
            Record {
                kind: Kind::Update,
                key: live[index].0,
                value,
                previous: Some(previous),
                root_after: [0; 33],
            }
        };
        records.push(record);
    }
    let mut workload = Workload {
        size,
        prefill,
        records,
        start_root: [0; 33],
        hashed_internal: 0,
        hashed_leaves: 0,
    };
    reference_pass(&mut workload);
    workload
}

fn identity_resolver(digest: &[u8; 32]) -> Node {
    Node::LabelOnly(NodeHeader::new(Some(*digest), None))
}

fn new_prover() -> BatchAVLProver {
    BatchAVLProver::new(
        AVLTree::new(identity_resolver, KEY_LENGTH, Some(VALUE_LENGTH)),
        false,
    )
}

fn ergo_operation(kind: Kind, key: &Key, value: &Value) -> ErgoOperation {
    let key = Bytes::copy_from_slice(key);
    match kind {
        Kind::Insert => ErgoOperation::Insert(KeyValue {
            key,
            value: Bytes::copy_from_slice(value),
        }),
        Kind::Update => ErgoOperation::Update(KeyValue {
            key,
            value: Bytes::copy_from_slice(value),
        }),
        Kind::Remove => ErgoOperation::Remove(key),
    }
}

fn digest_of(prover: &BatchAVLProver) -> Digest {
    let mut digest = [0u8; 33];
    digest.copy_from_slice(&prover.digest().expect("the prover always has a root"));
    digest
}

/// The nodes whose label the next digest computes (internal, leaves): the changed nodes form a
/// subtree at the root, since every change relabels the whole path above it.
fn unlabelled(node: &NodeId) -> (u64, u64) {
    match &*node.borrow() {
        Node::Internal(n) if n.hdr.label.is_none() => {
            let (li, ll) = unlabelled(&n.left);
            let (ri, rl) = unlabelled(&n.right);
            (1 + li + ri, ll + rl)
        }
        Node::Leaf(n) if n.hdr.label.is_none() => (0, 1),
        _ => (0, 0),
    }
}

/// Runs the workload once through the plain prover, untimed: fills in every record's root and
/// counts the labels each digest computes.
fn reference_pass(workload: &mut Workload) {
    let mut prover = build_prover_with_proofs(&workload.prefill);
    workload.start_root = digest_of(&prover);
    for (i, record) in workload.records.iter_mut().enumerate() {
        prover
            .perform_one_operation(&ergo_operation(record.kind, &record.key, &record.value))
            .expect("generated records apply");
        let root = prover.base.tree.root.clone().expect("a root");
        let (internal, leaves) = unlabelled(&root);
        workload.hashed_internal += internal;
        workload.hashed_leaves += leaves;
        record.root_after = digest_of(&prover);
        if (i + 1) % PROOF_EVERY == 0 {
            prover.generate_proof();
        }
    }
}

/// The plain prover filled by a user who asks for a proof every [`PROOF_EVERY`] inserts.
fn build_prover_with_proofs(prefill: &[(Key, Value)]) -> BatchAVLProver {
    let mut prover = new_prover();
    for (i, (key, value)) in prefill.iter().enumerate() {
        prover
            .perform_one_operation(&ergo_operation(Kind::Insert, key, value))
            .expect("prefill keys are distinct");
        if (i + 1) % PROOF_EVERY == 0 {
            prover.generate_proof();
        }
    }
    prover.generate_proof();
    prover
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    let n = samples.len();
    if n % 2 == 1 {
        samples[n / 2]
    } else {
        (samples[n / 2 - 1] + samples[n / 2]) / 2.0
    }
}

fn shape() -> TreeShape {
    TreeShape::new(KEY_LENGTH, Some(VALUE_LENGTH)).expect("a valid shape")
}

/// The W1 records as log records, numbered after the prefill's `size` inserts.
fn records_of(workload: &Workload) -> Vec<TreeOperation> {
    let mut before = workload.start_root;
    workload
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let record = TreeOperation {
                sequence_number: (workload.size + i) as u64 + 1,
                operation_type: match r.kind {
                    Kind::Insert => OperationType::Insert,
                    Kind::Update => OperationType::Update,
                    Kind::Remove => OperationType::Remove,
                },
                timestamp: 1_700_000_000_000 + i as u64,
                key: r.key.to_vec(),
                value: (r.kind != Kind::Remove).then(|| r.value.to_vec()),
                previous_value: r.previous.map(|v| v.to_vec()),
                tree_root_before: before,
                tree_root_after: r.root_after,
                proof: None,
            };
            before = r.root_after;
            record
        })
        .collect()
}

/// The prefilled tree, built one settled insert at a time as a replayed log builds it (the
/// allocation pattern, and so the memory locality of the tree, depends on how it was built), and
/// the log records of those inserts.
fn prefilled(workload: &Workload) -> (Tree, Vec<TreeOperation>) {
    let mut tree = Tree::new(shape()).expect("a tree");
    let mut records = Vec::with_capacity(workload.size);
    for (i, (key, value)) in workload.prefill.iter().enumerate() {
        let before = tree.digest();
        tree.insert(key, value).expect("prefill applies");
        records.push(TreeOperation {
            sequence_number: i as u64 + 1,
            operation_type: OperationType::Insert,
            timestamp: 1_600_000_000_000 + i as u64,
            key: key.to_vec(),
            value: Some(value.to_vec()),
            previous_value: None,
            tree_root_before: before,
            tree_root_after: tree.digest(),
            proof: None,
        });
    }
    assert_eq!(tree.digest(), workload.start_root, "prefill digest");
    (tree, records)
}

/// One binary log of the prefill's inserts followed by the W1 records, and where the prefill
/// and each run of W1 records end in it.
struct Log {
    bytes: Vec<u8>,
    header_end: usize,
    prefill_end: usize,
    /// (end offset, records) per run.
    run_ends: Vec<(usize, usize)>,
}

fn log_of(prefill: &[TreeOperation], records: &[TreeOperation], per_run: usize) -> Log {
    let encoder = LogEncoder::new(LogHeader {
        format: LogFormat::Binary,
        shape: shape(),
        start: None,
    });
    let mut bytes = encoder.header_bytes();
    let header_end = bytes.len();
    for record in prefill {
        encoder.append_record(record, &mut bytes);
    }
    let prefill_end = bytes.len();
    let mut run_ends = Vec::new();
    for run in records.chunks(per_run) {
        for record in run {
            encoder.append_record(record, &mut bytes);
        }
        run_ends.push((bytes.len(), run.len()));
    }
    Log {
        bytes,
        header_end,
        prefill_end,
        run_ends,
    }
}

/// W1 for `basis_trees`: records/s per run of `replay_record` on `tree`.
#[inline(never)]
fn w1_basis_trees(mut tree: Tree, records: &[TreeOperation], config: &Config) -> Vec<f64> {
    records
        .chunks(config.ops_per_run)
        .map(|run| {
            let start = Instant::now();
            for record in run {
                replay_record(&mut tree, record.sequence_number, record).expect("record replays");
            }
            run.len() as f64 / start.elapsed().as_secs_f64()
        })
        .collect()
}

/// Pushes `bytes` into `verifier` in 1 MiB chunks, as a download would arrive (as the wasm
/// benchmarks do).
fn push_chunked(verifier: &mut LogVerifier, bytes: &[u8]) {
    for chunk in bytes.chunks(1 << 20) {
        verifier.push(chunk).expect("the log verifies");
    }
}

/// W5's replay and W1 through `LogVerifier`: the log's prefill part is pushed in one chunk
/// (timed: the replay that a snapshot restore replaces), then each run's records in one chunk.
/// Returns the prefill's records/s and records/s per run.
fn log_verifier(log: &Log, workload: &Workload) -> (f64, Vec<f64>) {
    let mut verifier = LogVerifier::new(VerifierOptions::new(shape())).expect("a verifier");
    let start = Instant::now();
    push_chunked(
        &mut verifier,
        log.bytes.get(..log.prefill_end).expect("in the log"),
    );
    let replay = workload.size as f64 / start.elapsed().as_secs_f64();
    assert_eq!(verifier.digest(), workload.start_root, "replayed prefill");
    let mut from = log.prefill_end;
    let rates = log
        .run_ends
        .iter()
        .map(|&(end, records)| {
            let start = Instant::now();
            push_chunked(&mut verifier, log.bytes.get(from..end).expect("in the log"));
            let seconds = start.elapsed().as_secs_f64();
            from = end;
            records as f64 / seconds
        })
        .collect::<Vec<_>>();
    let report = verifier.finish().expect("the log ends cleanly");
    let last = workload
        .records
        .last()
        .map_or(workload.start_root, |r| r.root_after);
    assert_eq!(report.final_root, last, "final root");
    (replay, rates)
}

/// W3: single-key lookup proofs of present keys, made with `Tree::prove_lookup` and checked
/// with `verify_proof`; proofs/s made and verified per run, and the mean proof size.
fn w3(tree: &Tree, workload: &Workload, count: usize, runs: usize) -> (Vec<f64>, Vec<f64>, f64) {
    let mut rng = Rng(SEED ^ 3);
    let keys: Vec<Key> = (0..count)
        .map(|_| workload.prefill[rng.below(workload.size)].0)
        .collect();
    let lookups: Vec<[Operation; 1]> = keys
        .iter()
        .map(|key| [Operation::Lookup { key: key.to_vec() }])
        .collect();
    let digest = tree.digest();
    let (mut made, mut verified, mut mean_size) = (Vec::new(), Vec::new(), 0.0);
    for _ in 0..runs {
        let start = Instant::now();
        let proofs: Vec<Vec<u8>> = keys
            .iter()
            .map(|key| tree.prove_lookup(&[key]).expect("a lookup proof"))
            .collect();
        made.push(count as f64 / start.elapsed().as_secs_f64());
        let start = Instant::now();
        for (proof, lookup) in proofs.iter().zip(&lookups) {
            let batch = verify_proof(&digest, proof, lookup, shape()).expect("the proof verifies");
            assert!(
                batch.results.first().is_some_and(Option::is_some),
                "key found"
            );
        }
        verified.push(count as f64 / start.elapsed().as_secs_f64());
        mean_size = proofs.iter().map(Vec::len).sum::<usize>() as f64 / count as f64;
    }
    assert_eq!(tree.digest(), digest, "lookups change nothing");
    (made, verified, mean_size)
}

/// The W1 records that W4 checks, each with the proof of its operation against its root before
/// (made untimed with `Tree::prove` on a copy of the prefilled tree).
fn proved_records(tree: &Tree, records: &[TreeOperation], count: usize) -> Vec<TreeOperation> {
    let mut tree = tree.clone();
    records
        .iter()
        .take(count)
        .map(|record| {
            let key = record.key.clone();
            let operation = match (record.operation_type, &record.value) {
                (OperationType::Insert, Some(value)) => Operation::Insert {
                    key,
                    value: value.clone(),
                },
                (OperationType::Update, Some(value)) => Operation::Update {
                    key,
                    value: value.clone(),
                },
                _ => Operation::Remove { key },
            };
            let batch = tree.prove(&[operation]).expect("the record applies");
            assert_eq!(batch.digest_after, record.tree_root_after, "proved root");
            let mut record = record.clone();
            record.proof = Some(batch.proof);
            record
        })
        .collect()
}

/// W4: stateless checks of a chain of records by their own proofs (`verify_record_proof`),
/// records/s per run; nothing is kept between records, so memory stays constant.
fn w4(records: &[TreeOperation], per_run: usize) -> Vec<f64> {
    records
        .chunks(per_run)
        .map(|run| {
            let start = Instant::now();
            for record in run {
                verify_record_proof(shape(), record).expect("the record's proof verifies");
            }
            run.len() as f64 / start.elapsed().as_secs_f64()
        })
        .collect()
}

/// W5: snapshot encode and restore of `tree` (runs each); medians in seconds, and the size.
fn snapshots(tree: &Tree, runs: usize) -> (f64, f64, usize) {
    let mut save = Vec::new();
    let mut restore = Vec::new();
    let mut size = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let bytes = Snapshot::encode(tree, 0, None);
        save.push(start.elapsed().as_secs_f64());
        size = bytes.len();
        let start = Instant::now();
        let restored = Snapshot::decode(&bytes).expect("snapshot restores");
        restore.push(start.elapsed().as_secs_f64());
        assert_eq!(restored.tree.digest(), tree.digest(), "restored digest");
    }
    (median(save), median(restore), size)
}

/// W1 for the plain prover: perform, digest and compare per record, a proof every 100.
#[inline(never)]
fn w1_plain_crate(workload: &Workload, config: &Config) -> Vec<f64> {
    let mut prover = build_prover_with_proofs(&workload.prefill);
    assert_eq!(digest_of(&prover), workload.start_root, "prefill digest");
    let mut done = 0;
    workload
        .records
        .chunks(config.ops_per_run)
        .map(|run| {
            let start = Instant::now();
            for record in run {
                prover
                    .perform_one_operation(&ergo_operation(record.kind, &record.key, &record.value))
                    .expect("record applies");
                assert!(digest_of(&prover) == record.root_after, "root after");
                done += 1;
                if done % PROOF_EVERY == 0 {
                    prover.generate_proof();
                }
            }
            run.len() as f64 / start.elapsed().as_secs_f64()
        })
        .collect()
}

/// W2: inserts/s building the prefill in one batch, digest at the end.
fn w2(workload: &Workload, runs: usize) -> (Vec<f64>, Vec<f64>) {
    let inserts: Vec<Operation> = workload
        .prefill
        .iter()
        .map(|(k, v)| Operation::Insert {
            key: k.to_vec(),
            value: v.to_vec(),
        })
        .collect();
    let mut ours = Vec::new();
    let mut plain = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let mut tree = Tree::new(shape()).expect("a tree");
        tree.apply_all(&inserts).expect("prefill applies");
        assert_eq!(tree.digest(), workload.start_root, "build digest");
        ours.push(workload.size as f64 / start.elapsed().as_secs_f64());
        drop(tree);

        let start = Instant::now();
        let mut prover = new_prover();
        for (key, value) in &workload.prefill {
            prover
                .perform_one_operation(&ergo_operation(Kind::Insert, key, value))
                .expect("prefill applies");
        }
        assert_eq!(digest_of(&prover), workload.start_root, "build digest");
        plain.push(workload.size as f64 / start.elapsed().as_secs_f64());
    }
    (ours, plain)
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
fn memory_child(which: &str, size: usize) {
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

/// The W4 records (with proofs) as a binary log that starts after the prefill, with the offset
/// of its header's end and (end offset, records) per run.
fn proved_log(
    proved: &[TreeOperation],
    workload: &Workload,
    per_run: usize,
) -> (Vec<u8>, usize, Vec<(usize, usize)>) {
    let encoder = LogEncoder::new(LogHeader {
        format: LogFormat::Binary,
        shape: shape(),
        start: Some(LogStart {
            sequence: workload.size as u64,
            root: workload.start_root,
        }),
    });
    let mut bytes = encoder.header_bytes();
    let header_end = bytes.len();
    let mut ends = Vec::new();
    for run in proved.chunks(per_run) {
        for record in run {
            encoder.append_record(record, &mut bytes);
        }
        ends.push((bytes.len(), run.len()));
    }
    (bytes, header_end, ends)
}

/// W4 through `LogVerifier` in stateless mode, starting after the prefill: records/s per run.
fn w4_log_verifier(log: &(Vec<u8>, usize, Vec<(usize, usize)>), workload: &Workload) -> Vec<f64> {
    let (bytes, header_end, ends) = log;
    let options = VerifierOptions::new(shape())
        .stateless()
        .start_at(workload.size as u64, workload.start_root);
    let mut verifier = LogVerifier::new(options).expect("a verifier");
    let mut from = *header_end;
    push_chunked(&mut verifier, bytes.get(..from).expect("in the log"));
    let rates = ends
        .iter()
        .map(|&(end, records)| {
            let start = Instant::now();
            push_chunked(&mut verifier, bytes.get(from..end).expect("in the log"));
            from = end;
            records as f64 / start.elapsed().as_secs_f64()
        })
        .collect();
    verifier.finish().expect("the log ends cleanly");
    rates
}

/// Writes the W4 log and its offsets for the wasm benchmarks.
fn write_proved_log(
    log: &(Vec<u8>, usize, Vec<(usize, usize)>),
    out: &std::path::Path,
    size: usize,
) {
    let (bytes, header_end, ends) = log;
    let ends: Vec<String> = ends
        .iter()
        .map(|(end, n)| format!("[{end}, {n}]"))
        .collect();
    std::fs::write(out.join(format!("proofs-{size}.bin")), bytes).expect("proof log written");
    let index = format!(
        "{{ \"header_end\": {header_end}, \"run_ends\": [{}] }}\n",
        ends.join(", ")
    );
    std::fs::write(out.join(format!("proofs-{size}.json")), index).expect("proof index written");
}

fn write_workload(workload: &Workload, path: &std::path::Path, config: &Config) {
    // Layout (little-endian u32s): "BTBENCH1", size, records, ops per run, then the prefill
    // (key, value) pairs, the start root, then per record: type (0 insert, 1 update, 2 remove),
    // key, value, has-previous (0/1), previous, root after.
    let mut out = Vec::new();
    out.extend_from_slice(b"BTBENCH1");
    for n in [workload.size, workload.records.len(), config.ops_per_run] {
        out.extend_from_slice(&(n as u32).to_le_bytes());
    }
    for (key, value) in &workload.prefill {
        out.extend_from_slice(key);
        out.extend_from_slice(value);
    }
    out.extend_from_slice(&workload.start_root);
    for r in &workload.records {
        out.push(match r.kind {
            Kind::Insert => 0,
            Kind::Update => 1,
            Kind::Remove => 2,
        });
        out.extend_from_slice(&r.key);
        out.extend_from_slice(&r.value);
        out.push(r.previous.is_some() as u8);
        out.extend_from_slice(&r.previous.unwrap_or_default());
        out.extend_from_slice(&r.root_after);
    }
    std::fs::write(path, out).expect("workload written");
}

/// A JSON object under construction: numbers (`NaN`/missing as `null`) and nested objects.
#[derive(Default)]
struct Json(Vec<(String, String)>);

impl Json {
    fn number(&mut self, key: &str, value: f64) -> &mut Json {
        let text = if value.is_finite() {
            format!("{value:.3}")
        } else {
            "null".to_string()
        };
        self.0.push((key.to_string(), text));
        self
    }

    fn object(&mut self, key: &str, value: Json) -> &mut Json {
        self.0.push((key.to_string(), value.render()));
        self
    }

    fn render(&self) -> String {
        let fields: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| format!("\"{k}\": {v}"))
            .collect();
        format!("{{ {} }}", fields.join(", "))
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--memory-child") {
        let which = args.get(i + 1).map_or("basis_trees", String::as_str);
        let size = args.get(i + 2).and_then(|s| s.parse().ok()).unwrap_or(0);
        memory_child(which, size);
        return;
    }
    let config = Config::from_args();
    if let Some(out) = &config.out {
        std::fs::create_dir_all(out).expect("output directory");
    }
    let mut json = Json::default();
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
    let mut sizes = Json::default();
    for &size in &config.sizes {
        let mut entry = Json::default();
        let workload = generate(size, config.runs * config.ops_per_run);
        let (tree, prefill_records) = prefilled(&workload);
        let records = records_of(&workload);
        let log = log_of(&prefill_records, &records, config.ops_per_run);
        drop(prefill_records);
        if let Some(out) = &config.out {
            write_workload(
                &workload,
                &out.join(format!("workload-{size}.bin")),
                &config,
            );
            std::fs::write(out.join(format!("log-{size}.bin")), &log.bytes).expect("log written");
            let ends: Vec<String> = log
                .run_ends
                .iter()
                .map(|(end, n)| format!("[{end}, {n}]"))
                .collect();
            let index = format!(
                "{{ \"header_end\": {}, \"prefill_end\": {}, \"run_ends\": [{}] }}\n",
                log.header_end,
                log.prefill_end,
                ends.join(", ")
            );
            std::fs::write(out.join(format!("log-{size}.json")), index).expect("log index written");
        }
        let count = workload.records.len() as f64;
        let internal_per_op = workload.hashed_internal as f64 / count;
        let leaves_per_op = workload.hashed_leaves as f64 / count;
        let limit = 1e9 / (internal_per_op * internal_ns + leaves_per_op * leaf_ns);

        let run = |side: &str| config.only.as_deref().map_or(true, |only| only == side);
        let ours = if run("basis_trees") {
            median(w1_basis_trees(tree.clone(), &records, &config))
        } else {
            f64::NAN
        };
        let plain = if run("ergo_avltree_rust") {
            median(w1_plain_crate(&workload, &config))
        } else {
            f64::NAN
        };
        let (replay, verifier) = if config.only.is_none() {
            let (replay, rates) = log_verifier(&log, &workload);
            (replay, median(rates))
        } else {
            (f64::NAN, f64::NAN)
        };
        drop(log);
        println!(
            "size {size}: W1 records/s: ergo_avltree_rust {plain:.0}, replay_record {ours:.0} \
             ({:.2}x), LogVerifier {verifier:.0} ({:.2}x); labels/record {:.2} + {:.2} leaves; \
             hashing limit {limit:.0}/s (crate {:.0} %, replay_record {:.0} %, LogVerifier {:.0} %)",
            ours / plain,
            verifier / plain,
            internal_per_op,
            leaves_per_op,
            100.0 * plain / limit,
            100.0 * ours / limit,
            100.0 * verifier / limit,
        );
        let mut w1 = Json::default();
        w1.number("ergo_avltree_rust", plain)
            .number("basis_trees", ours)
            .number("log_verifier", verifier);
        entry.object("w1", w1);
        let mut hashes = Json::default();
        hashes
            .number("internal", internal_per_op)
            .number("leaf", leaves_per_op);
        entry.object("hashes_per_op", hashes);
        entry.number("hash_limit_ops", limit);

        let (made, verified, proof_size) = w3(&tree, &workload, config.lookups, config.runs);
        let (made, verified) = (median(made), median(verified));
        println!(
            "size {size}: W3 lookup proofs/s: made {made:.0}, verified {verified:.0} \
             ({proof_size:.0} bytes each)"
        );
        let mut w3 = Json::default();
        w3.number("made", made)
            .number("verified", verified)
            .number("proof_bytes", proof_size);
        entry.object("w3", w3);

        let per_run = (config.ops_per_run / 4).max(1);
        let proved = proved_records(&tree, &records, per_run * config.runs);
        let log = proved_log(&proved, &workload, per_run);
        if let Some(out) = &config.out {
            write_proved_log(&log, out, size);
        }
        let checked = median(w4(&proved, per_run));
        let streamed = median(w4_log_verifier(&log, &workload));
        drop((proved, log));
        println!(
            "size {size}: W4 stateless records/s: verify_record_proof {checked:.0}, \
             LogVerifier (stateless) {streamed:.0}"
        );
        let mut w4 = Json::default();
        w4.number("verify_record_proof", checked)
            .number("log_verifier", streamed);
        entry.object("w4", w4);

        if config.build_sizes.contains(&size) {
            let build_runs = if size >= 1_000_000 { 3 } else { config.runs };
            let (ours, plain) = w2(&workload, build_runs);
            let (ours, plain) = (median(ours), median(plain));
            println!(
                "size {size}: W2 build inserts/s: ergo_avltree_rust {plain:.0}, basis_trees \
                 {ours:.0} ({:.2}x)",
                ours / plain
            );
            let mut w2 = Json::default();
            w2.number("ergo_avltree_rust", plain)
                .number("basis_trees", ours);
            entry.object("w2", w2);

            let (save, restore, bytes) = snapshots(&tree, build_runs);
            let replay_seconds = size as f64 / replay;
            println!(
                "size {size}: W5 snapshot {bytes} bytes, save {:.1} ms, restore {:.1} ms; \
                 replaying the log {:.1} ms ({:.1}x the restore)",
                save * 1e3,
                restore * 1e3,
                replay_seconds * 1e3,
                replay_seconds / restore
            );
            let mut w5 = Json::default();
            w5.number("snapshot_bytes", bytes as f64)
                .number("save_ms", save * 1e3)
                .number("restore_ms", restore * 1e3)
                .number("replay_ms", replay_seconds * 1e3);
            entry.object("w5", w5);
        }
        drop(tree);
        if config.memory_sizes.contains(&size) {
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
        sizes.object(&size.to_string(), entry);
    }
    json.object("sizes", sizes);
    json.number("runs", config.runs as f64)
        .number("ops_per_run", config.ops_per_run as f64)
        .number("proof_every", PROOF_EVERY as f64);
    if let Some(out) = &config.out {
        std::fs::write(out.join("native.json"), json.render() + "\n").expect("native.json written");
    }
}
