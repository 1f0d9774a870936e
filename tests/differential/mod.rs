//! Differential checking of `basis_trees::verify_proof` against `ergo_avltree_rust`'s
//! `BatchAVLVerifier`, shared by `tests/proof_differential.rs`, `make fuzz-proofs` and the fuzz
//! target in `fuzz/`.
//!
//! The rule checked for every input: ours never panics; where the crate returns a digest and
//! results without panicking, ours returns the same; where the crate errs or panics, ours returns
//! `PROOF_INVALID`. The only exceptions are the documented ones (`docs/PROOFS.md`, "Where we
//! differ from ergo_avltree_rust"), each reached only through a starting digest that no
//! well-formed AVL+ tree has.
#![allow(dead_code)]

use basis_trees::{
    verify_proof, ErrorCode, ErrorKind, Operation, ProofError, Tree, TreeShape, VerifiedBatch,
};
use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest as _};
use bytes::Bytes;
use ergo_avltree_rust::authenticated_tree_ops::AuthenticatedTreeOps;
use ergo_avltree_rust::batch_avl_verifier::BatchAVLVerifier;
use ergo_avltree_rust::batch_node::{AVLTree, Node, NodeHeader};
use ergo_avltree_rust::operation::{KeyValue, Operation as ErgoOperation};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

/// A deterministic generator (SplitMix64), so that every case replays from its seed.
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

thread_local! {
    static IN_CRATE: Cell<bool> = const { Cell::new(false) };
}

/// Installs, once, a panic hook that stays silent while the crate's verifier runs (its panics
/// are expected and counted) and reports every other panic as usual.
pub fn silence_crate_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_CRATE.with(Cell::get) {
                default(info)
            }
        }));
    });
}

/// What `ergo_avltree_rust`'s verifier did with an input.
#[derive(Debug)]
pub enum CrateOutcome {
    Accepted {
        digest: Vec<u8>,
        results: Vec<Option<Vec<u8>>>,
    },
    Rejected,
    Panicked,
}

/// The same operation in `ergo_avltree_rust`'s terms.
pub fn to_ergo(operation: &Operation) -> ErgoOperation {
    let key = Bytes::copy_from_slice(operation.key());
    let kv = |value: &[u8]| KeyValue {
        key: key.clone(),
        value: Bytes::copy_from_slice(value),
    };
    match operation {
        Operation::Lookup { .. } => ErgoOperation::Lookup(key),
        Operation::Insert { value, .. } => ErgoOperation::Insert(kv(value)),
        Operation::Update { value, .. } => ErgoOperation::Update(kv(value)),
        Operation::InsertOrUpdate { value, .. } => ErgoOperation::InsertOrUpdate(kv(value)),
        Operation::Remove { .. } => ErgoOperation::Remove(key),
        Operation::RemoveIfExists { .. } => ErgoOperation::RemoveIfExists(key),
    }
}

/// Runs `BatchAVLVerifier` (with `maxNumOperations` = the number of operations) under
/// `catch_unwind`.
pub fn crate_verify(
    shape: TreeShape,
    digest: &[u8],
    proof: &[u8],
    operations: &[Operation],
) -> CrateOutcome {
    silence_crate_panics();
    IN_CRATE.with(|flag| flag.set(true));
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let tree = AVLTree::new(
            |d| Node::LabelOnly(NodeHeader::new(Some(*d), None)),
            shape.key_length,
            shape.value_length,
        );
        let Ok(mut verifier) = BatchAVLVerifier::new(
            &Bytes::copy_from_slice(digest),
            &Bytes::copy_from_slice(proof),
            tree,
            Some(operations.len()),
            None,
        ) else {
            return CrateOutcome::Rejected;
        };
        let mut results = Vec::new();
        for operation in operations {
            match verifier.perform_one_operation(&to_ergo(operation)) {
                Ok(result) => results.push(result.map(|v| v.to_vec())),
                Err(_) => return CrateOutcome::Rejected,
            }
        }
        match verifier.digest() {
            Some(digest) => CrateOutcome::Accepted {
                digest: digest.to_vec(),
                results,
            },
            None => CrateOutcome::Rejected,
        }
    }));
    IN_CRATE.with(|flag| flag.set(false));
    outcome.unwrap_or(CrateOutcome::Panicked)
}

/// How one input came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Both accepted, with the same digest and results.
    BothAccepted,
    /// The crate returned an error, ours PROOF_INVALID.
    BothRejected,
    /// The crate panicked, ours returned PROOF_INVALID.
    CratePanicked,
    /// The crate accepted a tree with a balance byte outside -1..=1; ours refuses it
    /// (documented).
    DifferBadBalance,
    /// The crate accepted a path longer than any tree with a one-byte height has; ours refuses
    /// it (documented).
    DifferPathTooLong,
}

/// Checks one input against both verifiers; `Err` describes a violation of the rule.
pub fn check(
    shape: TreeShape,
    digest: &[u8],
    proof: &[u8],
    operations: &[Operation],
) -> Result<(Verdict, Option<VerifiedBatch>), String> {
    silence_crate_panics();
    let describe = || {
        format!(
            "shape {shape:?}\ndigest {}\nproof {}\noperations {operations:?}",
            hex(digest),
            hex(proof)
        )
    };
    let ours = catch_unwind(AssertUnwindSafe(|| {
        verify_proof(digest, proof, operations, shape)
    }))
    .map_err(|_| format!("verify_proof panicked on\n{}", describe()))?;
    let theirs = crate_verify(shape, digest, proof, operations);
    match (theirs, ours) {
        (CrateOutcome::Accepted { digest: d, results }, Ok(verified)) => {
            if verified.digest.as_slice() != d.as_slice() || verified.results != results {
                return Err(format!(
                    "both accept but differ: crate {} {results:?}, ours {} {:?} on\n{}",
                    hex(&d),
                    hex(&verified.digest),
                    verified.results,
                    describe()
                ));
            }
            Ok((Verdict::BothAccepted, Some(verified)))
        }
        (CrateOutcome::Accepted { .. }, Err(err)) => match err.kind() {
            ErrorKind::ProofInvalid {
                reason: ProofError::BadBalance { .. },
            } => Ok((Verdict::DifferBadBalance, None)),
            ErrorKind::ProofInvalid {
                reason: ProofError::PathTooLong { .. },
            } => Ok((Verdict::DifferPathTooLong, None)),
            _ => Err(format!(
                "crate accepts, ours refuses with {err} on\n{}",
                describe()
            )),
        },
        (outcome, Ok(verified)) => Err(format!(
            "crate {outcome:?}, ours accepts {verified:?} on\n{}",
            describe()
        )),
        (outcome, Err(err)) => {
            if err.code() != ErrorCode::ProofInvalid {
                return Err(format!(
                    "crate {outcome:?}, ours refuses with {} instead of PROOF_INVALID on\n{}",
                    err.code(),
                    describe()
                ));
            }
            match outcome {
                CrateOutcome::Panicked => Ok((Verdict::CratePanicked, None)),
                _ => Ok((Verdict::BothRejected, None)),
            }
        }
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn blake2b256(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Blake2b::<U32>::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// The root label of the packed tree at the start of `proof`, decoded as the crate decodes it
/// (any byte other than 2, 3, 4 is an internal node with that balance), or `None` if the crate
/// cannot decode it. Used to give mutated proofs a starting digest they match, so that both
/// verifiers go on to perform the operations over the mutated tree.
pub fn packed_tree_label(proof: &[u8], shape: TreeShape) -> Option<[u8; 32]> {
    let mut i = 0usize;
    let mut stack: Vec<[u8; 32]> = Vec::new();
    let mut previous_next_key: Option<Vec<u8>> = None;
    let take = |i: &mut usize, n: usize| -> Option<Vec<u8>> {
        let end = i.checked_add(n)?;
        let bytes = proof.get(*i..end)?.to_vec();
        *i = end;
        Some(bytes)
    };
    loop {
        let tag = *proof.get(i)?;
        if tag == 4 {
            break;
        }
        i += 1;
        match tag {
            3 => {
                let label = take(&mut i, 32)?;
                stack.push(label.try_into().ok()?);
                previous_next_key = None;
            }
            2 => {
                let key = match previous_next_key.take() {
                    Some(key) => key,
                    None => take(&mut i, shape.key_length)?,
                };
                let next_key = take(&mut i, shape.key_length)?;
                let value_length = match shape.value_length {
                    Some(n) => n,
                    None => u32::from_be_bytes(take(&mut i, 4)?.try_into().ok()?) as usize,
                };
                let value = take(&mut i, value_length)?;
                stack.push(blake2b256(&[&[0], &key, &value, &next_key]));
                previous_next_key = Some(next_key);
            }
            balance => {
                let right = stack.pop()?;
                let left = stack.pop()?;
                stack.push(blake2b256(&[&[1, balance], &left, &right]));
            }
        }
    }
    match stack.as_slice() {
        [root] => Some(*root),
        _ => None,
    }
}

/// The offset of the end-of-tree byte of an honest proof.
pub fn end_of_tree(proof: &[u8], shape: TreeShape) -> Option<usize> {
    // Decoding stops at the end-of-tree byte; re-decode to find where.
    let mut i = 0usize;
    let mut previous_leaf = false;
    loop {
        let tag = *proof.get(i)?;
        if tag == 4 {
            return Some(i);
        }
        i += 1;
        match tag {
            3 => {
                i += 32;
                previous_leaf = false;
            }
            2 => {
                if !previous_leaf {
                    i += shape.key_length;
                }
                i += shape.key_length;
                let length = match shape.value_length {
                    Some(n) => n,
                    None => {
                        let word: [u8; 4] = proof.get(i..i + 4)?.try_into().ok()?;
                        i += 4;
                        u32::from_be_bytes(word) as usize
                    }
                };
                i += length;
                previous_leaf = true;
            }
            _ => {}
        }
    }
}

/// An honest batch: a tree, operations on it, the proof `Tree::prove` made, and what the
/// verifiers must answer.
#[derive(Debug, Clone)]
pub struct Case {
    pub shape: TreeShape,
    pub digest: Vec<u8>,
    pub proof: Vec<u8>,
    pub operations: Vec<Operation>,
    pub digest_after: Vec<u8>,
    pub results: Vec<Option<Vec<u8>>>,
    /// Operations that fail on the tree (e.g. inserts of present keys), with the index where
    /// they were dropped from the batch.
    pub failing: Vec<(usize, Operation)>,
    /// Keys in the tree before the batch.
    pub keys: Vec<Vec<u8>>,
}

pub const SHAPES: [TreeShape; 5] = [
    TreeShape {
        key_length: 32,
        value_length: None,
    },
    TreeShape {
        key_length: 32,
        value_length: Some(8),
    },
    TreeShape {
        key_length: 3,
        value_length: None,
    },
    TreeShape {
        key_length: 1,
        value_length: Some(2),
    },
    TreeShape {
        key_length: 8,
        value_length: Some(0),
    },
];

fn random_key(rng: &mut Rng, shape: TreeShape) -> Vec<u8> {
    loop {
        let key = rng.bytes(shape.key_length);
        if shape.check_key(&key).is_ok() {
            return key;
        }
    }
}

fn random_value(rng: &mut Rng, shape: TreeShape) -> Vec<u8> {
    let length = shape.value_length.unwrap_or_else(|| rng.below(25));
    rng.bytes(length)
}

/// A key near `key` (one added or subtracted in the last byte), to land in a neighbouring leaf.
fn neighbour(rng: &mut Rng, key: &[u8]) -> Vec<u8> {
    let mut out = key.to_vec();
    if let Some(last) = out.last_mut() {
        *last = if rng.chance(50) {
            last.wrapping_add(1)
        } else {
            last.wrapping_sub(1)
        };
    }
    out
}

pub fn random_operation(rng: &mut Rng, shape: TreeShape, keys: &[Vec<u8>]) -> Operation {
    let key = match rng.below(10) {
        0..=5 if !keys.is_empty() => keys[rng.below(keys.len())].clone(),
        6 if !keys.is_empty() => {
            let i = rng.below(keys.len());
            neighbour(rng, &keys[i])
        }
        _ => random_key(rng, shape),
    };
    let key = if shape.check_key(&key).is_ok() {
        key
    } else {
        random_key(rng, shape)
    };
    let value = random_value(rng, shape);
    match rng.below(6) {
        0 => Operation::Lookup { key },
        1 => Operation::Insert { key, value },
        2 => Operation::Update { key, value },
        3 => Operation::InsertOrUpdate { key, value },
        4 => Operation::Remove { key },
        _ => Operation::RemoveIfExists { key },
    }
}

/// Whether `operation` succeeds on a tree holding `model`, applying it if so.
fn apply_to_model(model: &mut BTreeMap<Vec<u8>, Vec<u8>>, operation: &Operation) -> bool {
    let key = operation.key().to_vec();
    let present = model.contains_key(&key);
    match operation {
        Operation::Lookup { .. } => true,
        Operation::Insert { value, .. } if !present => {
            model.insert(key, value.clone());
            true
        }
        Operation::Update { value, .. } if present => {
            model.insert(key, value.clone());
            true
        }
        Operation::InsertOrUpdate { value, .. } => {
            model.insert(key, value.clone());
            true
        }
        Operation::Remove { .. } if present => {
            model.remove(&key);
            true
        }
        Operation::RemoveIfExists { .. } => {
            model.remove(&key);
            true
        }
        _ => false,
    }
}

/// A random tree of one of [`SHAPES`] and an honest proof of a random batch on it.
pub fn honest_case(rng: &mut Rng) -> Case {
    let shape = SHAPES[rng.below(SHAPES.len())];
    let mut tree = Tree::new(shape).expect("shape");
    let mut model: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
    let size = match rng.below(10) {
        0 => 0,
        1..=2 => rng.below(6),
        _ => rng.below(if shape.key_length == 1 { 150 } else { 300 }),
    };
    for _ in 0..size {
        let keys: Vec<Vec<u8>> = model.keys().cloned().collect();
        if !keys.is_empty() && rng.chance(20) {
            let key = keys[rng.below(keys.len())].clone();
            tree.remove(&key).expect("remove present key");
            model.remove(&key);
        } else {
            let key = random_key(rng, shape);
            let value = random_value(rng, shape);
            tree.insert_or_update(&key, &value).expect("insert");
            model.insert(key, value);
        }
    }
    let keys: Vec<Vec<u8>> = model.keys().cloned().collect();
    let mut operations = Vec::new();
    let mut failing = Vec::new();
    let batch_size = 1 + rng.below(10);
    for _ in 0..batch_size {
        let operation = random_operation(rng, shape, &keys);
        if apply_to_model(&mut model, &operation) {
            operations.push(operation);
        } else {
            failing.push((operations.len(), operation));
        }
    }
    let batch = tree.prove(&operations).expect("honest batch");
    assert_eq!(tree.entries().len(), model.len());
    Case {
        shape,
        digest: batch.digest_before.to_vec(),
        proof: batch.proof,
        operations,
        digest_after: batch.digest_after.to_vec(),
        results: batch.results,
        failing,
        keys,
    }
}

/// One mutation of an honest case: a proof, digest and operations to check.
pub struct Mutant {
    pub shape: TreeShape,
    pub digest: Vec<u8>,
    pub proof: Vec<u8>,
    pub operations: Vec<Operation>,
}

const SPECIAL_BYTES: [u8; 8] = [0, 1, 2, 3, 4, 0xff, 0x7f, 0x80];

/// Changes `proof` once: a bit, a byte, a cut, an extension, a removal or an insertion.
pub fn mutate_bytes(rng: &mut Rng, proof: &mut Vec<u8>, from: usize) {
    let len = proof.len();
    let at = from + rng.below(len.saturating_sub(from).max(1));
    match rng.below(8) {
        0 if at < len => proof[at] ^= 1 << rng.below(8),
        1 if at < len => proof[at] = rng.next_u64() as u8,
        2 if at < len => proof[at] = SPECIAL_BYTES[rng.below(SPECIAL_BYTES.len())],
        3 => proof.truncate(at),
        4 => {
            let count = 1 + rng.below(16);
            let extra = rng.bytes(count);
            proof.extend(extra);
        }
        5 if at < len => {
            proof.remove(at);
        }
        6 => {
            let byte = if rng.chance(50) {
                SPECIAL_BYTES[rng.below(SPECIAL_BYTES.len())]
            } else {
                rng.next_u64() as u8
            };
            proof.insert(at.min(len), byte);
        }
        _ => {
            if at < len {
                proof[at] = proof[at].wrapping_add(1);
            }
        }
    }
}

/// The starting digest for a mutated packed tree: its own root label, so that the verifiers
/// get past the digest check, with the case's height byte or another one.
fn anchored_digest(rng: &mut Rng, proof: &[u8], case: &Case) -> Option<Vec<u8>> {
    let label = packed_tree_label(proof, case.shape)?;
    let mut digest = label.to_vec();
    let height = *case.digest.last().unwrap_or(&0);
    digest.push(match rng.below(10) {
        0 => rng.next_u64() as u8,
        1 => height.wrapping_add(1),
        2 => height.wrapping_sub(1),
        3 => 0,
        _ => height,
    });
    Some(digest)
}

fn mutate_operations(rng: &mut Rng, case: &Case, operations: &mut Vec<Operation>) {
    match rng.below(7) {
        0 if !operations.is_empty() => {
            let i = rng.below(operations.len());
            operations.remove(i);
        }
        1 if operations.len() > 1 => {
            let (i, j) = (rng.below(operations.len()), rng.below(operations.len()));
            operations.swap(i, j);
        }
        2 if !case.failing.is_empty() => {
            let (at, failing) = case.failing[rng.below(case.failing.len())].clone();
            operations.insert(at.min(operations.len()), failing);
        }
        3 if !operations.is_empty() => {
            // Same kind, other key.
            let i = rng.below(operations.len());
            let other = random_operation(rng, case.shape, &case.keys);
            operations[i] = retarget(&operations[i], other.key().to_vec());
        }
        4 if !operations.is_empty() => {
            let i = rng.below(operations.len());
            let other = random_operation(rng, case.shape, &case.keys);
            operations[i] = retarget(&other, operations[i].key().to_vec());
        }
        _ => {
            let extra = random_operation(rng, case.shape, &case.keys);
            let at = rng.below(operations.len() + 1);
            operations.insert(at, extra);
        }
    }
}

/// `operation` acting on `key` instead.
fn retarget(operation: &Operation, key: Vec<u8>) -> Operation {
    match operation.clone() {
        Operation::Lookup { .. } => Operation::Lookup { key },
        Operation::Insert { value, .. } => Operation::Insert { key, value },
        Operation::Update { value, .. } => Operation::Update { key, value },
        Operation::InsertOrUpdate { value, .. } => Operation::InsertOrUpdate { key, value },
        Operation::Remove { .. } => Operation::Remove { key },
        Operation::RemoveIfExists { .. } => Operation::RemoveIfExists { key },
    }
}

/// A random mutant of `case`.
pub fn mutant(rng: &mut Rng, case: &Case) -> Mutant {
    let mut digest = case.digest.clone();
    let mut proof = case.proof.clone();
    let mut operations = case.operations.clone();
    let directions = end_of_tree(&case.proof, case.shape).map_or(0, |end| end + 1);
    match rng.below(12) {
        // Plain byte mutations against the honest digest.
        0..=2 => {
            for _ in 0..1 + rng.below(3) {
                mutate_bytes(rng, &mut proof, 0);
            }
        }
        // Mutations of the direction bits only.
        3 => {
            for _ in 0..1 + rng.below(3) {
                mutate_bytes(rng, &mut proof, directions);
            }
        }
        // Mutations of the packed tree, re-anchored so that the operations run over it.
        4..=6 => {
            for _ in 0..1 + rng.below(2) {
                mutate_bytes(rng, &mut proof, 0);
            }
            if let Some(anchored) = anchored_digest(rng, &proof, case) {
                digest = anchored;
            }
        }
        7 => {
            let index = rng.below(33);
            digest[index] ^= 1 << rng.below(8);
        }
        8 => {
            let height = digest[32];
            digest[32] = match rng.below(3) {
                0 => height.wrapping_add(1),
                1 => height.wrapping_sub(1),
                _ => rng.next_u64() as u8,
            };
        }
        9 => mutate_operations(rng, case, &mut operations),
        10 => {
            mutate_operations(rng, case, &mut operations);
            mutate_bytes(rng, &mut proof, directions);
        }
        _ => {
            let length = rng.below(2 * case.proof.len() + 2);
            proof = rng.bytes(length);
            if rng.chance(50) {
                if let Some(anchored) = anchored_digest(rng, &proof, case) {
                    digest = anchored;
                }
            }
        }
    }
    Mutant {
        shape: case.shape,
        digest,
        proof,
        operations,
    }
}

/// A random packed tree built from scratch (labels, leaves and internal nodes with mostly valid
/// balances), random directions, its own label as digest, and operations on keys of its leaves.
pub fn synthetic_case(rng: &mut Rng) -> Mutant {
    let shape = SHAPES[rng.below(SHAPES.len())];
    let mut proof = Vec::new();
    let mut leaf_keys = Vec::new();
    let mut previous_leaf = false;
    let depth = 1 + rng.below(6);
    synthetic_subtree(
        rng,
        shape,
        depth,
        &mut proof,
        &mut leaf_keys,
        &mut previous_leaf,
    );
    proof.push(4);
    let count = rng.below(8);
    let directions = rng.bytes(count);
    proof.extend(directions);
    let mut digest = match packed_tree_label(&proof, shape) {
        Some(label) => label.to_vec(),
        None => rng.bytes(32),
    };
    digest.push(rng.below(8) as u8);
    let mut operations = Vec::new();
    for _ in 0..1 + rng.below(4) {
        operations.push(random_operation(rng, shape, &leaf_keys));
    }
    Mutant {
        shape,
        digest,
        proof,
        operations,
    }
}

fn synthetic_subtree(
    rng: &mut Rng,
    shape: TreeShape,
    depth: usize,
    out: &mut Vec<u8>,
    leaf_keys: &mut Vec<Vec<u8>>,
    previous_leaf: &mut bool,
) {
    match rng.below(10) {
        _ if depth == 0 || rng.chance(15) => {
            if rng.chance(30) {
                out.push(3);
                out.extend(rng.bytes(32));
                *previous_leaf = false;
            } else {
                out.push(2);
                let key = random_key(rng, shape);
                if !*previous_leaf {
                    out.extend(&key);
                }
                leaf_keys.push(key);
                let next = random_key(rng, shape);
                out.extend(&next);
                leaf_keys.push(next);
                let value = random_value(rng, shape);
                if shape.value_length.is_none() {
                    out.extend((value.len() as u32).to_be_bytes());
                }
                out.extend(value);
                *previous_leaf = true;
            }
        }
        _ => {
            synthetic_subtree(rng, shape, depth - 1, out, leaf_keys, previous_leaf);
            synthetic_subtree(rng, shape, depth - 1, out, leaf_keys, previous_leaf);
            out.push(if rng.chance(3) {
                rng.next_u64() as u8
            } else {
                [0xff, 0, 1][rng.below(3)]
            });
        }
    }
}

/// Tallies of verdicts.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub cases: u64,
    pub counts: BTreeMap<Verdict, u64>,
}

impl Tally {
    pub fn add(&mut self, verdict: Verdict) {
        self.cases += 1;
        *self.counts.entry(verdict).or_insert(0) += 1;
    }

    pub fn count(&self, verdict: Verdict) -> u64 {
        self.counts.get(&verdict).copied().unwrap_or(0)
    }
}

/// Checks an honest case (both verifiers accept, with the prover's digest and results) and
/// `mutants` mutants of it; panics with a reproducible description on any violation.
pub fn run_case(rng: &mut Rng, mutants: usize, tally: &mut Tally) {
    let case = honest_case(rng);
    let (verdict, verified) = check(case.shape, &case.digest, &case.proof, &case.operations)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(verdict, Verdict::BothAccepted, "honest proof refused");
    let verified = verified.expect("accepted");
    assert_eq!(verified.digest.to_vec(), case.digest_after, "digest after");
    assert_eq!(verified.results, case.results, "results");
    tally.add(verdict);
    for _ in 0..mutants {
        let m = if rng.chance(10) {
            synthetic_case(rng)
        } else {
            mutant(rng, &case)
        };
        let (verdict, _) =
            check(m.shape, &m.digest, &m.proof, &m.operations).unwrap_or_else(|e| panic!("{e}"));
        tally.add(verdict);
    }
}
