//! Differential checking of our AVL+ engine (`basis_trees::avl::AvlTree`) against
//! `ergo_avltree_rust`'s `BatchAVLProver`, shared by `tests/engine_differential.rs`,
//! `make fuzz-engine` and the fuzz target `fuzz/fuzz_targets/avl_engine.rs`.
//!
//! Both engines get the same operations. After every operation: the same outcome (failed or
//! not), the same previous value, the same digest. After every batch: the same proof bytes, or,
//! when the batch is settled without a proof or aborted, the same state for the next batch.
//! Every so often, at the end of a batch: the same lookup proof made on `&self`, every entry in
//! order against a model, a tree rebuilt from the nodes in post-order, and a clone left behind
//! that must not change while the original goes on.
#![allow(dead_code)]

use basis_trees::avl::{AvlTree, Op, TreeBuilder, Visit};
use bytes::Bytes;
use ergo_avltree_rust::authenticated_tree_ops::AuthenticatedTreeOps;
use ergo_avltree_rust::batch_avl_prover::BatchAVLProver;
use ergo_avltree_rust::batch_node::{AVLTree, Node, NodeHeader, NodeId};
use ergo_avltree_rust::operation::{KeyValue, Operation as ErgoOperation};
use std::collections::{BTreeMap, HashMap};

/// A deterministic generator (SplitMix64), so that every run replays from its seed.
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
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}

/// An operation with owned bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owned {
    Lookup(Vec<u8>),
    Insert(Vec<u8>, Vec<u8>),
    Update(Vec<u8>, Vec<u8>),
    InsertOrUpdate(Vec<u8>, Vec<u8>),
    Remove(Vec<u8>),
    RemoveIfExists(Vec<u8>),
}

impl Owned {
    pub fn op(&self) -> Op<'_> {
        match self {
            Owned::Lookup(k) => Op::Lookup(k),
            Owned::Insert(k, v) => Op::Insert(k, v),
            Owned::Update(k, v) => Op::Update(k, v),
            Owned::InsertOrUpdate(k, v) => Op::InsertOrUpdate(k, v),
            Owned::Remove(k) => Op::Remove(k),
            Owned::RemoveIfExists(k) => Op::RemoveIfExists(k),
        }
    }

    pub fn ergo(&self) -> ErgoOperation {
        let key = |k: &[u8]| Bytes::copy_from_slice(k);
        let kv = |k: &[u8], v: &[u8]| KeyValue {
            key: key(k),
            value: Bytes::copy_from_slice(v),
        };
        match self {
            Owned::Lookup(k) => ErgoOperation::Lookup(key(k)),
            Owned::Insert(k, v) => ErgoOperation::Insert(kv(k, v)),
            Owned::Update(k, v) => ErgoOperation::Update(kv(k, v)),
            Owned::InsertOrUpdate(k, v) => ErgoOperation::InsertOrUpdate(kv(k, v)),
            Owned::Remove(k) => ErgoOperation::Remove(key(k)),
            Owned::RemoveIfExists(k) => ErgoOperation::RemoveIfExists(key(k)),
        }
    }
}

/// How a batch ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// Both make the proof; the bytes must be equal.
    Proof,
    /// Ours settles without a proof; the crate makes one and drops it.
    Settle,
    /// Ours aborts; the crate goes back to the tree it kept from the batch's start.
    Abort,
}

fn identity_resolver(digest: &[u8; 32]) -> Node {
    Node::LabelOnly(NodeHeader::new(Some(*digest), None))
}

/// Clears the visited marks a batch left on the crate's nodes from `node` down (they form a
/// subtree at the root): a prover rebuilt on a kept tree would otherwise open them.
fn clear_visited(node: &NodeId) {
    let mut current = node.borrow_mut();
    if !current.visited() {
        return;
    }
    current.mark_visited(false);
    if let Node::Internal(internal) = &*current {
        clear_visited(&internal.left);
        clear_visited(&internal.right);
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The entries both trees should hold: ordered, with a list of the keys for picking one at
/// random, and the undo of the current batch.
#[derive(Default)]
pub struct Model {
    pub entries: BTreeMap<Vec<u8>, Vec<u8>>,
    keys: Vec<Vec<u8>>,
    positions: HashMap<Vec<u8>, usize>,
    undo: Vec<(Vec<u8>, Option<Vec<u8>>)>,
}

impl Model {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn random_key(&self, rng: &mut Rng) -> Option<&Vec<u8>> {
        self.keys.get(rng.below(self.keys.len()))
    }

    fn set(&mut self, key: &[u8], value: Option<Vec<u8>>) -> Option<Vec<u8>> {
        let previous = match value {
            Some(value) => self.entries.insert(key.to_vec(), value),
            None => self.entries.remove(key),
        };
        let present = self.entries.contains_key(key);
        match (previous.is_some(), present) {
            (false, true) => {
                self.positions.insert(key.to_vec(), self.keys.len());
                self.keys.push(key.to_vec());
            }
            (true, false) => {
                if let Some(at) = self.positions.remove(key) {
                    self.keys.swap_remove(at);
                    if let Some(moved) = self.keys.get(at) {
                        self.positions.insert(moved.clone(), at);
                    }
                }
            }
            _ => {}
        }
        previous
    }

    fn change(&mut self, key: &[u8], value: Option<Vec<u8>>) {
        let previous = self.set(key, value);
        self.undo.push((key.to_vec(), previous));
    }

    fn commit(&mut self) {
        self.undo.clear();
    }

    fn abort(&mut self) {
        while let Some((key, previous)) = self.undo.pop() {
            self.set(&key, previous);
        }
    }
}

/// The two engines side by side, with a model of the entries.
pub struct Pair {
    pub ours: AvlTree,
    theirs: BatchAVLProver,
    /// The crate's tree at the batch's start, for `End::Abort`.
    theirs_start: AVLTree,
    pub key_length: usize,
    pub value_length: Option<usize>,
    /// The entries at the batch's start and now.
    pub model: Model,
    /// A clone of ours from an earlier batch, with the digest and entries it must keep.
    kept: Option<(AvlTree, [u8; 33], usize)>,
    /// Marks of ours, with the nodes (post-order) the tree had then.
    marks: Vec<(usize, Vec<Node3>)>,
    old: Vec<u8>,
    /// The operations of the batch so far, for the report of a mismatch.
    pub batch_operations: Vec<Owned>,
    pub operations: u64,
    pub batches: u64,
    pub failed_operations: u64,
}

impl Pair {
    pub fn new(key_length: usize, value_length: Option<usize>) -> Pair {
        let ours = AvlTree::new(key_length, value_length);
        let theirs = BatchAVLProver::new(
            AVLTree::new(identity_resolver, key_length, value_length),
            false,
        );
        let theirs_start = theirs.base.tree.clone();
        Pair {
            ours,
            theirs,
            theirs_start,
            key_length,
            value_length,
            model: Model::default(),
            kept: None,
            marks: Vec::new(),
            old: Vec::new(),
            batch_operations: Vec::new(),
            operations: 0,
            batches: 0,
            failed_operations: 0,
        }
    }

    fn theirs_digest(&self) -> Vec<u8> {
        self.theirs.digest().map(|d| d.to_vec()).unwrap_or_default()
    }

    /// Whether the crate would panic on this operation (a value of the wrong length in a
    /// fixed-length tree): such operations go to ours alone, which must refuse them.
    fn crate_panics_on(&self, op: &Owned) -> bool {
        match (op.op().value(), self.value_length) {
            (Some(value), Some(length)) => value.len() != length,
            _ => false,
        }
    }

    /// Performs `op` on both and compares outcome, previous value and digest.
    pub fn perform(&mut self, op: &Owned, refresh_labels: bool) -> Result<(), String> {
        self.operations += 1;
        self.batch_operations.push(op.clone());
        if std::env::var_os("ENGINE_TRACE").is_some() {
            eprintln!("op {} {:?}", self.operations, op);
        }
        let before = self.ours.digest();
        let ours = self.ours.perform(op.op(), &mut self.old);
        if refresh_labels {
            self.ours.refresh_labels();
        }
        if self.crate_panics_on(op) {
            if ours.is_ok() || self.ours.digest() != before {
                return Err(format!(
                    "a value of the wrong length gave {ours:?} and changed the digest: {op:?}"
                ));
            }
            self.failed_operations += 1;
            return Ok(());
        }
        let theirs = self.theirs.perform_one_operation(&op.ergo());
        match (&ours, &theirs) {
            (Ok(found), Ok(previous)) => {
                let ours_previous = found.then(|| self.old.clone());
                let theirs_previous = previous.as_ref().map(|v| v.to_vec());
                if ours_previous != theirs_previous {
                    return Err(format!(
                        "previous value: ours {ours_previous:?}, crate {theirs_previous:?} for {op:?}"
                    ));
                }
                self.apply_to_model(op);
            }
            (Err(_), Err(_)) => {
                self.failed_operations += 1;
                if self.ours.digest() != before {
                    return Err(format!("a failed operation changed the digest: {op:?}"));
                }
            }
            _ => {
                return Err(format!(
                    "outcome: ours {ours:?}, crate {:?} for {op:?}",
                    theirs.map(|v| v.map(|v| v.to_vec()))
                ))
            }
        }
        let (ours_digest, theirs_digest) = (self.ours.digest(), self.theirs_digest());
        if ours_digest.as_slice() != theirs_digest.as_slice() {
            return Err(format!(
                "digest after {op:?}: ours {}, crate {}",
                hex(&ours_digest),
                hex(&theirs_digest)
            ));
        }
        if self.ours.size() != self.model.len() {
            return Err(format!(
                "size {} but {} entries after {op:?}",
                self.ours.size(),
                self.model.len()
            ));
        }
        Ok(())
    }

    fn apply_to_model(&mut self, op: &Owned) {
        match op {
            Owned::Lookup(_) => {}
            Owned::Insert(k, v) | Owned::Update(k, v) | Owned::InsertOrUpdate(k, v) => {
                self.model.change(k, Some(v.clone()));
            }
            Owned::Remove(k) | Owned::RemoveIfExists(k) => {
                self.model.change(k, None);
            }
        }
    }

    /// Ends the batch on both.
    pub fn end_batch(&mut self, end: End) -> Result<(), String> {
        self.batches += 1;
        self.end_batch_and_compare(end)?;
        self.batch_operations.clear();
        Ok(())
    }

    fn end_batch_and_compare(&mut self, end: End) -> Result<(), String> {
        if std::env::var_os("ENGINE_TRACE").is_some() {
            eprintln!("end {end:?}");
        }
        match end {
            End::Proof => {
                let ours = self.ours.generate_proof();
                let theirs = self.theirs.generate_proof();
                if ours.as_slice() != &theirs[..] {
                    return Err(format!(
                        "proof: ours {}, crate {}",
                        hex(&ours),
                        hex(&theirs)
                    ));
                }
            }
            End::Settle => {
                self.ours.settle();
                self.theirs.generate_proof();
            }
            End::Abort => {
                self.ours.abort();
                if let Some(root) = &self.theirs_start.root {
                    clear_visited(root);
                }
                self.theirs = BatchAVLProver::new(self.theirs_start.clone(), false);
                self.model.abort();
            }
        }
        self.theirs_start = self.theirs.base.tree.clone();
        self.model.commit();
        if std::env::var_os("ENGINE_TRACE").is_some() {
            fn any_visited(node: &NodeId) -> bool {
                let n = node.borrow();
                if n.visited() {
                    return true;
                }
                match &*n {
                    Node::Internal(i) => any_visited(&i.left) || any_visited(&i.right),
                    _ => false,
                }
            }
            if let Some(root) = &self.theirs.base.tree.root {
                if any_visited(root) {
                    return Err(format!("crate has visited marks after {end:?}"));
                }
            }
        }
        let (ours_digest, theirs_digest) = (self.ours.digest(), self.theirs_digest());
        if ours_digest.as_slice() != theirs_digest.as_slice() {
            return Err(format!(
                "digest after {end:?}: ours {}, crate {}",
                hex(&ours_digest),
                hex(&theirs_digest)
            ));
        }
        if self.ours.in_batch() {
            return Err(format!("a batch is still open after {end:?}"));
        }
        if let Some((kept, digest, size)) = &self.kept {
            if kept.digest() != *digest || kept.size() != *size {
                return Err("a clone changed when the original did".to_string());
            }
        }
        Ok(())
    }

    /// Between batches: the lookup proof of `keys` made on `&self` is the crate's.
    pub fn check_lookup_proof(&mut self, keys: &[Vec<u8>]) -> Result<(), String> {
        let ours = self.ours.prove_lookups(keys);
        let operations: Vec<ErgoOperation> = keys
            .iter()
            .map(|k| ErgoOperation::Lookup(Bytes::copy_from_slice(k)))
            .collect();
        let theirs = self.theirs.generate_proof_for_operations(&operations);
        if theirs.is_err() {
            // The crate stops at the first bad key without making the proof, leaving the marks
            // of the lookups before it on the tree it shares with `theirs`.
            if let Some(root) = &self.theirs.base.tree.root {
                clear_visited(root);
            }
        }
        match (ours, theirs) {
            (Ok(ours), Ok((theirs, _))) if ours.as_slice() == &theirs[..] => Ok(()),
            (Err(_), Err(_)) => Ok(()),
            (ours, theirs) => Err(format!(
                "lookup proof of {} keys: ours {:?}, crate {:?}",
                keys.len(),
                ours.map(|p| hex(&p)),
                theirs.map(|(p, _)| hex(&p))
            )),
        }
    }

    /// Between batches: entries and lookups against the model, a rebuild from the post-order
    /// walk, and (`keep`) a clone to watch while the original goes on.
    pub fn check_walks(&mut self, rng: &mut Rng, keep: bool) -> Result<(), String> {
        let mut entries = Vec::new();
        self.ours
            .for_each_entry(|k, v| entries.push((k.to_vec(), v.to_vec())));
        let expected: Vec<(Vec<u8>, Vec<u8>)> = self
            .model
            .entries
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if entries != expected {
            return Err(format!(
                "entries: {} in the tree, {} in the model, or in another order",
                entries.len(),
                expected.len()
            ));
        }
        for _ in 0..4 {
            let key = match self.model.random_key(rng) {
                Some(key) if rng.chance(70) => key.clone(),
                _ => rng.bytes(self.key_length),
            };
            let expected = self.model.entries.get(&key).map(|v| v.as_slice());
            if self.ours.get(&key) != expected {
                return Err(format!("get {}: {:?}", hex(&key), self.ours.get(&key)));
            }
        }
        // Rebuild from the nodes in post-order and go on with the rebuilt tree.
        let mut nodes: Vec<(Option<Vec<u8>>, Vec<u8>, i8)> = Vec::new();
        self.ours.for_each_node(|visit| match visit {
            Visit::Leaf { key, value } => nodes.push((Some(key.to_vec()), value.to_vec(), 0)),
            Visit::Internal { balance } => nodes.push((None, Vec::new(), balance)),
        });
        let mut builder = TreeBuilder::new(self.key_length, self.value_length);
        for (key, value, balance) in &nodes {
            let built = match key {
                Some(key) => builder.leaf(key, value).map(|_| ()),
                None => builder.internal(*balance).and_then(|(left, right)| {
                    if right as i64 - left as i64 == i64::from(*balance) {
                        Ok(())
                    } else {
                        Err(basis_trees::avl::BuildError::NotOneTree)
                    }
                }),
            };
            built.map_err(|e| format!("rebuilding: {e:?}"))?;
        }
        let rebuilt = builder.finish().map_err(|e| format!("rebuilding: {e:?}"))?;
        if rebuilt.digest() != self.ours.digest() || rebuilt.size() != self.ours.size() {
            return Err("the rebuilt tree has another digest or size".to_string());
        }
        if rebuilt.height() != self.ours.height() {
            return Err("the rebuilt tree has another height".to_string());
        }
        let previous = std::mem::replace(&mut self.ours, rebuilt);
        // The rebuilt tree has no marks.
        self.marks.clear();
        if keep {
            let digest = previous.digest();
            let size = previous.size();
            self.kept = Some((previous, digest, size));
        }
        Ok(())
    }
}

/// A node as a walk gives it: a leaf's key and value, or an internal node's balance.
pub type Node3 = (Vec<u8>, Vec<u8>, i8);

fn post_order_of(visits: &mut Vec<Node3>) -> impl FnMut(Visit<'_>) + '_ {
    move |visit| match visit {
        Visit::Leaf { key, value } => visits.push((key.to_vec(), value.to_vec(), 0)),
        Visit::Internal { balance } => visits.push((Vec::new(), Vec::new(), balance)),
    }
}

impl Pair {
    /// Between batches: marks ours, remembering its nodes; or checks that a mark taken earlier
    /// still reads as the tree it was.
    pub fn check_marks(&mut self, rng: &mut Rng) -> Result<(), String> {
        if self.marks.is_empty() || rng.chance(40) {
            let mut nodes = Vec::new();
            self.ours.for_each_node(post_order_of(&mut nodes));
            let mark = self.ours.mark();
            if self.marks.len() == 4 {
                self.marks.remove(0);
            }
            self.marks.push((mark, nodes));
        }
        let (mark, nodes) = &self.marks[rng.below(self.marks.len())];
        let then = self
            .ours
            .at_mark(*mark)
            .ok_or_else(|| format!("mark {mark} is gone"))?;
        let mut seen = Vec::new();
        then.for_each_node(post_order_of(&mut seen));
        if &seen != nodes {
            let first = seen.iter().zip(nodes).position(|(a, b)| a != b);
            return Err(format!(
                "the tree at mark {mark} reads {} nodes, it had {}; first difference at {first:?}: {:?} against {:?}",
                seen.len(),
                nodes.len(),
                first.map(|i| &seen[i]),
                first.map(|i| &nodes[i]),
            ));
        }
        Ok(())
    }
}

/// What a random run covered.
#[derive(Debug, Default, Clone, Copy)]
pub struct Coverage {
    pub operations: u64,
    pub failed_operations: u64,
    pub batches: u64,
    pub largest_tree: usize,
}

/// What a batch mostly does: grow the tree with new keys, churn (every kind of operation, on
/// present keys mostly), or shrink it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mood {
    Grow,
    Churn,
    Shrink,
}

/// A key for the next operation: one present (from the model) with probability `present`
/// percent, else a random one; rarely a sentinel or one of the wrong length.
fn pick_key(rng: &mut Rng, pair: &Pair, present: usize) -> Vec<u8> {
    let roll = rng.below(100);
    if roll < 2 {
        return vec![if rng.chance(50) { 0 } else { 0xff }; pair.key_length];
    }
    if roll < 3 {
        return rng.bytes(pair.key_length + 1);
    }
    if rng.chance(present) {
        if let Some(key) = pair.model.random_key(rng) {
            return key.clone();
        }
    }
    rng.bytes(pair.key_length)
}

fn pick_value(rng: &mut Rng, pair: &Pair) -> Vec<u8> {
    match pair.value_length {
        Some(length) if rng.chance(1) => rng.bytes(length + 1),
        Some(length) => rng.bytes(length),
        None => {
            let length = match rng.below(10) {
                0 => 0,
                1..=6 => rng.below(9),
                7 | 8 => 9 + rng.below(24),
                _ => 100 + rng.below(200),
            };
            rng.bytes(length)
        }
    }
}

pub fn random_operation(rng: &mut Rng, pair: &Pair, mood: Mood) -> Owned {
    let roll = rng.below(100);
    let (insert, insert_or_update, update, remove, remove_if_exists) = match mood {
        Mood::Grow => (55, 75, 80, 85, 90),
        Mood::Churn => (30, 45, 60, 75, 85),
        Mood::Shrink => (5, 10, 20, 65, 90),
    };
    let kind = [insert, insert_or_update, update, remove, remove_if_exists]
        .iter()
        .position(|&limit| roll < limit)
        .unwrap_or(5);
    let present = match (mood, kind) {
        (Mood::Grow, 0 | 1) => 10,
        (_, 0) => 40,
        _ => 80,
    };
    let key = pick_key(rng, pair, present);
    match kind {
        0 => Owned::Insert(key, pick_value(rng, pair)),
        1 => Owned::InsertOrUpdate(key, pick_value(rng, pair)),
        2 => Owned::Update(key, pick_value(rng, pair)),
        3 => Owned::Remove(key),
        4 => Owned::RemoveIfExists(key),
        _ => Owned::Lookup(key),
    }
}

/// The shapes the random runs use: Basis's two, and short keys, with which the tree fills up and
/// every deletion case comes often.
pub const SHAPES: [(usize, Option<usize>); 6] = [
    (32, None),
    (32, Some(8)),
    (1, Some(0)),
    (2, None),
    (3, Some(1)),
    (4, Some(40)),
];

/// Runs `operations` random operations on both engines, in random batches ended in every way,
/// cycling through [`SHAPES`] with a new tree every `per_tree` operations. Panics with the seed
/// and the mismatch at the first difference.
pub fn random_run(seed: u64, operations: u64, per_tree: u64) -> Coverage {
    let mut rng = Rng(seed);
    let mut coverage = Coverage::default();
    let mut shape_index = 0usize;
    while coverage.operations < operations {
        let (key_length, value_length) = SHAPES[shape_index % SHAPES.len()];
        shape_index += 1;
        let mut pair = Pair::new(key_length, value_length);
        let budget = per_tree.min(operations - coverage.operations);
        let run = |pair: &mut Pair, rng: &mut Rng| -> Result<(), String> {
            while pair.operations < budget {
                let longest = if rng.chance(20) { 60 } else { 8 };
                let batch = 1 + rng.below(longest);
                let mood = match rng.below(10) {
                    0..=4 => Mood::Grow,
                    5..=7 => Mood::Churn,
                    _ => Mood::Shrink,
                };
                for _ in 0..batch {
                    let op = random_operation(rng, pair, mood);
                    let refresh = rng.chance(50);
                    pair.perform(&op, refresh)?;
                }
                let end = match rng.below(10) {
                    0..=5 => End::Proof,
                    6..=8 => End::Settle,
                    _ => End::Abort,
                };
                pair.end_batch(end)?;
                if rng.chance(3) {
                    let count = 1 + rng.below(6);
                    let keys: Vec<Vec<u8>> = (0..count).map(|_| pick_key(rng, pair, 70)).collect();
                    pair.check_lookup_proof(&keys)?;
                }
                if rng.chance(1) {
                    let keep = rng.chance(50);
                    pair.check_walks(rng, keep)?;
                }
                if rng.chance(2) {
                    pair.check_marks(rng)?;
                }
            }
            Ok(())
        };
        if let Err(mismatch) = run(&mut pair, &mut rng) {
            panic!(
                "engine differs from ergo_avltree_rust (seed {seed:#x}, shape {key_length}/{value_length:?}, \
                 operation {} of this tree): {mismatch}\nthe batch: {:?}",
                pair.operations, pair.batch_operations
            );
        }
        coverage.operations += pair.operations;
        coverage.failed_operations += pair.failed_operations;
        coverage.batches += pair.batches;
        coverage.largest_tree = coverage.largest_tree.max(pair.model.len());
    }
    coverage
}
