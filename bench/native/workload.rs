//! The generated workload every runtime replays: a tree prefilled with `size` entries, then
//! records of 50 % updates, 25 % inserts and 25 % removes (SplitMix64, fixed seed), as log records
//! and as the file the wasm benchmarks read.

use crate::config::Config;
use basis_trees::{OperationType, Tree, TreeOperation, TreeShape};

pub const KEY_LENGTH: usize = 32;
pub const VALUE_LENGTH: usize = 8;
/// How often the plain prover's user asks for a proof in W1 (a block's worth of records).
pub const PROOF_EVERY: usize = 100;
pub const SEED: u64 = 0x6261_7369_735f_7472;

pub type Key = [u8; KEY_LENGTH];
pub type Value = [u8; VALUE_LENGTH];
pub type Digest = [u8; 33];

/// SplitMix64: the workloads are the same on every machine and in every runtime.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn key(&mut self) -> Key {
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

    pub fn value(&mut self) -> Value {
        self.next_u64().to_be_bytes()
    }
}

#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    Insert,
    Update,
    Remove,
}

pub struct Record {
    pub kind: Kind,
    pub key: Key,
    pub value: Value,
    pub previous: Option<Value>,
    pub root_after: Digest,
}

pub struct Workload {
    pub size: usize,
    pub prefill: Vec<(Key, Value)>,
    pub records: Vec<Record>,
    /// The digest after the prefill, before the first record.
    pub start_root: Digest,
    /// Labels computed per record: internal nodes, leaves.
    pub hashed_internal: u64,
    pub hashed_leaves: u64,
}

/// The workload of `size` entries and `record_count` records. The roots and the label counts
/// are left empty: [`reference_pass`](crate::plain::reference_pass) fills them in.
pub fn generate(size: usize, record_count: usize) -> Workload {
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
    Workload {
        size,
        prefill,
        records,
        start_root: [0; 33],
        hashed_internal: 0,
        hashed_leaves: 0,
    }
}

pub fn shape() -> TreeShape {
    TreeShape::new(KEY_LENGTH, Some(VALUE_LENGTH)).expect("a valid shape")
}

/// The W1 records as log records, numbered after the prefill's `size` inserts.
pub fn records_of(workload: &Workload) -> Vec<TreeOperation> {
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
pub fn prefilled(workload: &Workload) -> (Tree, Vec<TreeOperation>) {
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

pub fn write_workload(workload: &Workload, path: &std::path::Path, config: &Config) {
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
