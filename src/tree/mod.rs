//! The tree: [`Tree`], the in-memory authenticated AVL+ tree (our engine, byte-identical to
//! Ergo's `BatchAVLProver`, behind an API that validates every input before the engine sees it),
//! which also makes proofs ([`BatchProof`]); and what belongs to it:
//!
//! - `operation.rs`: [`Operation`], one lookup or change, as [`Tree::apply`] and batch proofs
//!   take it;
//! - `snapshot.rs`: [`Snapshot`](snapshot::Snapshot), the exact tree as bytes, with
//!   `Tree::snapshot` and `Tree::from_snapshot`;
//! - `checkpoint.rs`: [`Checkpoint`](checkpoint::Checkpoint), a named state of the tree in its
//!   log, as a snapshot carries it;
//! - `avl/`: the AVL+ engine, in flat arenas: the operations, batches, proofs and labels of
//!   Ergo's prover, checked against `ergo_avltree_rust` by the differential tests; it uses
//!   nothing outside its folder but the foundation's blake2b.
//!
//! It may use the foundation (`error`, `shape`, `digest`, `hex`, `crc32c`, `byte_reader`,
//! `blake2b`, `note_key`); never the proof verifier, the log or the storage, which are built on
//! it.

pub mod avl;
pub(crate) mod checkpoint;
pub(crate) mod operation;
pub(crate) mod snapshot;

use crate::digest::Digest;
use crate::error::{Error, ErrorKind, Result};
use crate::memory::{out_of_memory, try_extend};
use crate::shape::TreeShape;
use crate::tree::operation::Operation;
use avl::{AvlTree, Op, OpError};

/// An authenticated AVL+ tree held in memory, whose [`digest`](Tree::digest) is exactly the
/// digest Ergo's `AvlTree` would have after the same operations in the same order.
///
/// Every method checks keys and values against the tree's [`TreeShape`] first; a failed
/// operation leaves the tree, its size and its digest exactly as they were.
///
/// Nodes live in pages of a few KB shared between clones: cloning copies one pointer per page
/// (about 16,000 for a million entries, microseconds), and afterwards each of the two copies the
/// pages it writes to that the other still holds, the first time only. A clone kept while the
/// original changes a lot costs, in the end, about the tree's memory again.
#[derive(Clone)]
pub struct Tree {
    engine: AvlTree,
    shape: TreeShape,
    /// The previous value of the last operation performed.
    old: Vec<u8>,
}

/// A batch proof made by [`Tree::prove`]: the bytes Ergo's `BatchAVLProver::generate_proof`
/// gives for the same operations on the same tree, with the digests it links and the results it
/// proves. Check it with [`verify_proof`](crate::verify_proof).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchProof {
    /// The proof bytes (format: `docs/PROOFS.md`).
    pub proof: Vec<u8>,
    /// The digest the proof starts from.
    pub digest_before: Digest,
    /// The digest after the operations.
    pub digest_after: Digest,
    /// Each operation's result: the value its key had before it (for a lookup, the value it has).
    pub results: Vec<Option<Vec<u8>>>,
}

impl Tree {
    /// An empty tree of `shape`.
    ///
    /// Fails with `KEY_LENGTH` or `VALUE_LENGTH` when the shape's lengths are out of range.
    pub fn new(shape: TreeShape) -> Result<Tree> {
        let shape = TreeShape::new(shape.key_length, shape.value_length)?;
        Ok(Tree::from_engine(
            shape,
            AvlTree::new(shape.key_length, shape.value_length),
        ))
    }

    /// A tree over an engine built elsewhere (a snapshot), settled, with its labels computed.
    pub(crate) fn from_engine(shape: TreeShape, engine: AvlTree) -> Tree {
        Tree {
            engine,
            shape,
            old: Vec::new(),
        }
    }

    /// The tree's shape.
    pub fn shape(&self) -> TreeShape {
        self.shape
    }

    /// The 33-byte digest: the root's blake2b256 label followed by the tree's height, as Ergo's
    /// `AvlTree` stores it on chain.
    pub fn digest(&self) -> Digest {
        self.engine.digest()
    }

    /// The number of entries.
    pub fn size(&self) -> usize {
        self.engine.size()
    }

    /// Whether the tree has no entries.
    pub fn is_empty(&self) -> bool {
        self.engine.size() == 0
    }

    /// The height of the tree, as in the last byte of the digest.
    pub fn height(&self) -> usize {
        self.engine.height()
    }

    /// The value of `key`, if it is in the tree.
    pub fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.shape.check_key(key)?;
        Ok(self.engine.get(key).map(<[u8]>::to_vec))
    }

    /// Whether `key` is in the tree.
    pub fn contains_key(&self, key: &[u8]) -> Result<bool> {
        self.shape.check_key(key)?;
        Ok(self.engine.get(key).is_some())
    }

    /// Inserts a new entry; fails with `KEY_EXISTS` when the key is already there.
    pub fn insert(&mut self, key: &[u8], value: &[u8]) -> Result<()> {
        self.apply_one(Op::Insert(key, value)).map(|_| ())
    }

    /// Replaces the value of an existing entry and returns the old value; fails with
    /// `KEY_NOT_FOUND` when the key is absent.
    pub fn update(&mut self, key: &[u8], value: &[u8]) -> Result<Vec<u8>> {
        Ok(self.apply_one(Op::Update(key, value))?.unwrap_or_default())
    }

    /// Inserts or replaces; returns the old value, if there was one.
    pub fn insert_or_update(&mut self, key: &[u8], value: &[u8]) -> Result<Option<Vec<u8>>> {
        self.apply_one(Op::InsertOrUpdate(key, value))
    }

    /// Removes an entry and returns its value; fails with `KEY_NOT_FOUND` when the key is absent.
    pub fn remove(&mut self, key: &[u8]) -> Result<Vec<u8>> {
        Ok(self.apply_one(Op::Remove(key))?.unwrap_or_default())
    }

    /// Removes an entry if it is there; returns its value, if there was one.
    pub fn remove_if_exists(&mut self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.apply_one(Op::RemoveIfExists(key))
    }

    /// Applies one operation and returns the value the key had before it (for a lookup, the
    /// value it has). On failure nothing changes.
    pub fn apply(&mut self, operation: &Operation) -> Result<Option<Vec<u8>>> {
        self.apply_one(engine_op(operation))
    }

    fn apply_one(&mut self, op: Op<'_>) -> Result<Option<Vec<u8>>> {
        match self
            .perform_op(op)
            .and_then(|old| old.map(copied).transpose())
        {
            Ok(old) => {
                self.end_batch();
                Ok(old)
            }
            Err(err) => {
                // A failed operation changed nothing; an old value that could not be copied
                // undoes the operation.
                self.abort();
                Err(err)
            }
        }
    }

    /// Applies every operation or none: on the first failure the tree returns to its state
    /// before the batch and the error is returned. Returns each operation's old value.
    pub fn apply_all(&mut self, operations: &[Operation]) -> Result<Vec<Option<Vec<u8>>>> {
        let results = self.perform_all(operations)?;
        self.end_batch();
        Ok(results)
    }

    /// Applies `operations` as one batch, all or none, and returns the proof of the batch.
    ///
    /// On the first failing operation the tree returns to its state before the batch and that
    /// operation's error is returned. The proof bytes are exactly those of Ergo's
    /// `BatchAVLProver::generate_proof` for the same operations on the same tree, so Ergo nodes
    /// and sigma-rust accept them, as does [`verify_proof`](crate::verify_proof).
    ///
    /// ```
    /// use basis_trees::{verify_proof, Operation, Tree, TreeShape};
    ///
    /// # fn main() -> Result<(), basis_trees::Error> {
    /// let shape = TreeShape::new(32, Some(8))?;
    /// let mut reserve = Tree::new(shape)?;
    /// let ops = [Operation::InsertOrUpdate { key: vec![1; 32], value: 5u64.to_be_bytes().to_vec() }];
    /// let batch = reserve.prove(&ops)?;
    /// let verified = verify_proof(&batch.digest_before, &batch.proof, &ops, shape)?;
    /// assert_eq!(verified.digest, reserve.digest());
    /// assert_eq!(verified.results, vec![None]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn prove(&mut self, operations: &[Operation]) -> Result<BatchProof> {
        let digest_before = self.digest();
        let results = self.perform_all(operations)?;
        let proof = self.engine.generate_proof();
        self.engine.refresh_labels();
        Ok(BatchProof {
            proof,
            digest_before,
            digest_after: self.digest(),
            results,
        })
    }

    /// The proof of a batch of lookups of `keys`, against the current digest; the tree does not
    /// change. Verify it with [`verify_proof`](crate::verify_proof) and one
    /// [`Operation::Lookup`] per key, in the same order.
    pub fn prove_lookup<K: AsRef<[u8]>>(&self, keys: &[K]) -> Result<Vec<u8>> {
        for key in keys {
            self.shape.check_key(key.as_ref())?;
        }
        self.engine
            .prove_lookups(keys)
            .map_err(|err| engine_error(err, keys.first().map(AsRef::as_ref).unwrap_or(&[])))
    }

    /// Every entry in key order (the two sentinel leaves excluded).
    pub fn entries(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        let mut out = Vec::with_capacity(self.size());
        self.for_each_entry(|key, value| out.push((key.to_vec(), value.to_vec())));
        out
    }

    /// Calls `visit` with every entry in key order.
    pub fn for_each_entry(&self, visit: impl FnMut(&[u8], &[u8])) {
        self.engine.for_each_entry(visit)
    }

    /// The engine, for the snapshot encoder that walks its nodes.
    pub(crate) fn engine(&self) -> &AvlTree {
        &self.engine
    }

    /// Marks the tree's state, to be read later (see [`avl::TreeAt`]); the tree then keeps the
    /// records it changes, once per mark.
    pub(crate) fn mark(&mut self) -> usize {
        self.engine.mark()
    }

    /// A copy with the states of its marks (a plain `clone` leaves them behind).
    pub(crate) fn clone_with_history(&self) -> Tree {
        Tree {
            engine: self.engine.clone_with_history(),
            shape: self.shape,
            old: Vec::new(),
        }
    }

    /// Performs every operation, or none: on the first failure the tree returns to its state
    /// before the batch. On success the batch is left open, for the caller to end (with the
    /// proof, or not).
    fn perform_all(&mut self, operations: &[Operation]) -> Result<Vec<Option<Vec<u8>>>> {
        let mut results = Vec::with_capacity(operations.len());
        for operation in operations {
            match self
                .perform_op(engine_op(operation))
                .and_then(|old| old.map(copied).transpose())
            {
                Ok(old) => results.push(old),
                Err(err) => {
                    self.abort();
                    return Err(err);
                }
            }
        }
        Ok(results)
    }

    /// Validates and performs one operation in the current batch, and returns the value the key
    /// had before it. A failed operation changes nothing; the batch stays open either way, for
    /// the caller to end ([`Tree::end_batch`]) or undo ([`Tree::abort`]).
    pub(crate) fn perform(&mut self, operation: &Operation) -> Result<Option<&[u8]>> {
        self.perform_op(engine_op(operation))
    }

    fn perform_op(&mut self, op: Op<'_>) -> Result<Option<&[u8]>> {
        self.shape.check_key(op.key())?;
        let value_length = match op.value() {
            Some(value) => {
                self.shape.check_value(value)?;
                value.len()
            }
            None => 0,
        };
        // The engine's allocations cannot fail gracefully: make sure they will not fail at all,
        // and that the old value it returns fits.
        self.engine
            .reserve_operation(value_length)
            .map_err(out_of_memory)?;
        self.old
            .try_reserve(self.shape.value_length.unwrap_or(value_length))
            .map_err(|_| out_of_memory(value_length))?;
        match self.engine.perform(op, &mut self.old) {
            Ok(true) => Ok(Some(&self.old)),
            Ok(false) => Ok(None),
            Err(err) => Err(engine_error_for(err, op)),
        }
    }

    /// The digest with the current batch's operations, whose labels it computes and keeps.
    pub(crate) fn digest_in_batch(&mut self) -> Digest {
        self.engine.refresh_labels();
        self.engine.digest()
    }

    /// Ends the current batch without a proof, keeping its operations.
    pub(crate) fn end_batch(&mut self) {
        self.engine.settle();
        self.engine.refresh_labels();
    }

    /// Undoes the current batch: the tree returns to its state where the batch began.
    pub(crate) fn abort(&mut self) {
        self.engine.abort();
        self.engine.refresh_labels();
    }
}

/// A copy of `bytes`, or `OUT_OF_MEMORY`.
fn copied(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut copy = Vec::new();
    try_extend(&mut copy, bytes)?;
    Ok(copy)
}

/// The engine's terms for an operation.
fn engine_op(operation: &Operation) -> Op<'_> {
    match operation {
        Operation::Lookup { key } => Op::Lookup(key),
        Operation::Insert { key, value } => Op::Insert(key, value),
        Operation::Update { key, value } => Op::Update(key, value),
        Operation::InsertOrUpdate { key, value } => Op::InsertOrUpdate(key, value),
        Operation::Remove { key } => Op::Remove(key),
        Operation::RemoveIfExists { key } => Op::RemoveIfExists(key),
    }
}

fn engine_error_for(err: OpError, op: Op<'_>) -> Error {
    engine_error(err, op.key())
}

/// The error of a failed operation on `key` (the shape was checked before, so presence or a
/// full arena are the only causes left).
fn engine_error(err: OpError, key: &[u8]) -> Error {
    Error::new(match err {
        OpError::KeyExists => ErrorKind::KeyExists { key: key.to_vec() },
        OpError::KeyNotFound => ErrorKind::KeyNotFound { key: key.to_vec() },
        OpError::Full => ErrorKind::OperationFailed {
            reason: "the tree holds as many nodes as it can (2^31 - 1 of a kind)".to_string(),
        },
        OpError::OutOfMemory(bytes) => return out_of_memory(bytes),
        OpError::KeyLength | OpError::KeyReserved | OpError::ValueLength => {
            ErrorKind::OperationFailed {
                reason: format!("the engine refused the operation: {err:?}"),
            }
        }
    })
}

impl std::fmt::Debug for Tree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tree")
            .field("shape", &self.shape)
            .field("size", &self.size())
            .field("digest", &crate::hex::to_hex(&self.digest()))
            .finish()
    }
}
