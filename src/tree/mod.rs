//! The tree: [`Tree`], the in-memory authenticated AVL+ tree (Ergo's `BatchAVLProver` behind an
//! API that validates every input before the prover sees it), which also makes proofs
//! ([`BatchProof`]); and what belongs to it:
//!
//! - `operation.rs`: [`Operation`], one lookup or change, as [`Tree::apply`] and batch proofs
//!   take it;
//! - `snapshot.rs`: [`Snapshot`](snapshot::Snapshot), the exact tree as bytes, with
//!   `Tree::snapshot` and `Tree::from_snapshot`;
//! - `checkpoint.rs`: [`Checkpoint`](checkpoint::Checkpoint), a named state of the tree in its
//!   log, as a snapshot carries it.
//!
//! It may use the foundation (`error`, `shape`, `digest`, `hex`, `crc32c`, `byte_reader`,
//! `note_key`) and `ergo_avltree_rust`; never the proof verifier, the log or the storage, which
//! are built on it.

pub(crate) mod checkpoint;
pub(crate) mod operation;
pub(crate) mod snapshot;

use crate::digest::Digest;
use crate::error::{Error, ErrorKind, Result};
use crate::memory::{ensure_headroom, OPERATION_OVERHEAD};
use crate::shape::TreeShape;
use crate::tree::operation::Operation;
use bytes::Bytes;
use ergo_avltree_rust::batch_avl_prover::BatchAVLProver;
use ergo_avltree_rust::batch_node::{AVLTree, Node, NodeHeader, NodeId};
use ergo_avltree_rust::operation::Digest32;

/// The resolver of a tree that lives wholly in memory: a child is never a bare label, and the
/// verifier side reconstructs label-only nodes, so the identity is the only correct answer.
pub(crate) fn label_only_resolver(digest: &Digest32) -> Node {
    Node::LabelOnly(NodeHeader::new(Some(*digest), None))
}

/// An authenticated AVL+ tree held in memory, whose [`digest`](Tree::digest) is exactly the
/// digest Ergo's `AvlTree` would have after the same operations in the same order.
///
/// Every method checks keys and values against the tree's [`TreeShape`] first; a failed
/// operation leaves the tree, its size and its digest exactly as they were.
///
/// Cloning is O(1): settled nodes are never mutated (the prover copies on write), so a clone
/// shares them with the original and the two then evolve independently.
pub struct Tree {
    prover: BatchAVLProver,
    /// The root when the prover's current batch began (the prover's own copy is private): the
    /// tree whose visited marks [`Tree::settle_without_proof`] clears.
    batch_start: Option<NodeId>,
    shape: TreeShape,
    size: usize,
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

/// The state of a tree at a moment, to return to it after a batch that must be all or nothing.
pub(crate) struct Savepoint {
    root: Option<NodeId>,
    height: usize,
    size: usize,
}

impl Tree {
    /// An empty tree of `shape`.
    ///
    /// Fails with `KEY_LENGTH` or `VALUE_LENGTH` when the shape's lengths are out of range.
    pub fn new(shape: TreeShape) -> Result<Tree> {
        let shape = TreeShape::new(shape.key_length, shape.value_length)?;
        let avl = AVLTree::new(label_only_resolver, shape.key_length, shape.value_length);
        let prover = BatchAVLProver::new(avl, false);
        Ok(Tree {
            batch_start: prover.base.tree.root.clone(),
            prover,
            shape,
            size: 0,
        })
    }

    /// The tree's shape.
    pub fn shape(&self) -> TreeShape {
        self.shape
    }

    /// The 33-byte digest: the root's blake2b256 label followed by the tree's height, as Ergo's
    /// `AvlTree` stores it on chain.
    pub fn digest(&self) -> Digest {
        let avl = &self.prover.base.tree;
        let mut digest = [0u8; 33];
        // The prover creates its root in `new` and never removes it (the sentinel leaf stays).
        if let Some(root) = &avl.root {
            digest[..32].copy_from_slice(&avl.label(root));
        }
        digest[32] = avl.height as u8;
        digest
    }

    /// The number of entries.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Whether the tree has no entries.
    pub fn is_empty(&self) -> bool {
        self.size == 0
    }

    /// The height of the tree, as in the last byte of the digest.
    pub fn height(&self) -> usize {
        self.prover.base.tree.height
    }

    /// The value of `key`, if it is in the tree.
    pub fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.shape.check_key(key)?;
        Ok(self
            .prover
            .unauthenticated_lookup(&Bytes::copy_from_slice(key))
            .map(|v| v.to_vec()))
    }

    /// Whether `key` is in the tree.
    pub fn contains_key(&self, key: &[u8]) -> Result<bool> {
        Ok(self.get(key)?.is_some())
    }

    /// Inserts a new entry; fails with `KEY_EXISTS` when the key is already there.
    pub fn insert(&mut self, key: &[u8], value: &[u8]) -> Result<()> {
        self.apply(&Operation::Insert {
            key: key.to_vec(),
            value: value.to_vec(),
        })
        .map(|_| ())
    }

    /// Replaces the value of an existing entry and returns the old value; fails with
    /// `KEY_NOT_FOUND` when the key is absent.
    pub fn update(&mut self, key: &[u8], value: &[u8]) -> Result<Vec<u8>> {
        let old = self.apply(&Operation::Update {
            key: key.to_vec(),
            value: value.to_vec(),
        })?;
        Ok(old.unwrap_or_default())
    }

    /// Inserts or replaces; returns the old value, if there was one.
    pub fn insert_or_update(&mut self, key: &[u8], value: &[u8]) -> Result<Option<Vec<u8>>> {
        self.apply(&Operation::InsertOrUpdate {
            key: key.to_vec(),
            value: value.to_vec(),
        })
    }

    /// Removes an entry and returns its value; fails with `KEY_NOT_FOUND` when the key is absent.
    pub fn remove(&mut self, key: &[u8]) -> Result<Vec<u8>> {
        let old = self.apply(&Operation::Remove { key: key.to_vec() })?;
        Ok(old.unwrap_or_default())
    }

    /// Removes an entry if it is there; returns its value, if there was one.
    pub fn remove_if_exists(&mut self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.apply(&Operation::RemoveIfExists { key: key.to_vec() })
    }

    /// Applies one operation and returns the value the key had before it (for a lookup, the
    /// value it has). On failure nothing changes.
    pub fn apply(&mut self, operation: &Operation) -> Result<Option<Vec<u8>>> {
        let old = self.perform(operation)?;
        self.settle_without_proof();
        Ok(old)
    }

    /// Applies every operation or none: on the first failure the tree returns to its state
    /// before the batch and the error is returned. Returns each operation's old value.
    pub fn apply_all(&mut self, operations: &[Operation]) -> Result<Vec<Option<Vec<u8>>>> {
        let results = self.perform_all(operations)?;
        self.settle_without_proof();
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
        let proof = self.settle().to_vec();
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
        // Every key is checked before the first lookup: the copy shares its nodes with this tree
        // and marks them visited until it is settled.
        for key in keys {
            self.shape.check_key(key.as_ref())?;
        }
        let mut copy = self.clone();
        for key in keys {
            let lookup = Operation::Lookup {
                key: key.as_ref().to_vec(),
            };
            if let Err(err) = copy.perform(&lookup) {
                copy.settle();
                return Err(err);
            }
        }
        Ok(copy.settle().to_vec())
    }

    /// Every entry in key order (the two sentinel leaves excluded).
    pub fn entries(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        let mut out = Vec::with_capacity(self.size);
        self.for_each_entry(|key, value| out.push((key.to_vec(), value.to_vec())));
        out
    }

    /// Calls `visit` with every entry in key order.
    pub fn for_each_entry(&self, mut visit: impl FnMut(&[u8], &[u8])) {
        let avl = &self.prover.base.tree;
        let negative_infinity = avl.negative_infinity_key();
        let mut stack: Vec<NodeId> = avl.root.iter().cloned().collect();
        // Right child pushed first so that the left subtree is visited first.
        while let Some(node) = stack.pop() {
            match &*node.borrow() {
                Node::Internal(internal) => {
                    stack.push(internal.right.clone());
                    stack.push(internal.left.clone());
                }
                Node::Leaf(leaf) => {
                    if let Some(key) = &leaf.hdr.key {
                        if *key != negative_infinity {
                            visit(key, &leaf.value);
                        }
                    }
                }
                Node::LabelOnly(_) => {}
            }
        }
    }

    /// A settled tree over nodes built elsewhere (a snapshot): `root` must be a valid AVL+ tree of
    /// `shape` with `size` entries and this `height`, as [`snapshot`] checks.
    pub(crate) fn from_root(shape: TreeShape, root: NodeId, height: usize, size: usize) -> Tree {
        let mut avl = AVLTree::new(label_only_resolver, shape.key_length, shape.value_length);
        avl.root = Some(root);
        avl.height = height;
        // Marks every node as settled, so the prover copies them on write (clones share them).
        avl.reset();
        let prover = BatchAVLProver::new(avl, false);
        Tree {
            batch_start: prover.base.tree.root.clone(),
            prover,
            shape,
            size,
        }
    }

    /// The root node, for encoders that walk the tree.
    pub(crate) fn root_node(&self) -> Option<NodeId> {
        self.prover.base.tree.root.clone()
    }

    /// Performs every operation, or none: on the first failure the tree returns to its settled
    /// state before the batch. On success the batch is left unsettled, for the caller to settle
    /// (and keep the proof, or not).
    fn perform_all(&mut self, operations: &[Operation]) -> Result<Vec<Option<Vec<u8>>>> {
        let savepoint = self.savepoint();
        let mut results = Vec::with_capacity(operations.len());
        for operation in operations {
            match self.perform(operation) {
                Ok(old) => results.push(old),
                Err(err) => {
                    self.rollback(savepoint);
                    return Err(err);
                }
            }
        }
        Ok(results)
    }

    /// Validates and performs one operation on the prover without discarding the prover's
    /// pending proof state (see [`Tree::settle`]).
    pub(crate) fn perform(&mut self, operation: &Operation) -> Result<Option<Vec<u8>>> {
        self.shape.check_key(operation.key())?;
        let value_length = match operation.value() {
            Some(value) => {
                self.shape.check_value(value)?;
                value.len()
            }
            None => 0,
        };
        // The prover's allocations cannot fail gracefully: make sure they will not fail at all.
        // (Its copies of the key and value, the old value it returns, the nodes it makes.)
        ensure_headroom(
            OPERATION_OVERHEAD
                .saturating_add(operation.key().len().saturating_mul(2))
                .saturating_add(value_length.saturating_mul(3)),
        )?;
        match self.prover.perform_one_operation(&operation.to_ergo()) {
            Ok(old) => {
                match (operation, &old) {
                    (Operation::Insert { .. }, _) | (Operation::InsertOrUpdate { .. }, None) => {
                        self.size += 1
                    }
                    (Operation::Remove { .. }, _) | (Operation::RemoveIfExists { .. }, Some(_)) => {
                        self.size -= 1
                    }
                    _ => {}
                }
                Ok(old.map(|v| v.to_vec()))
            }
            Err(err) => Err(Error::new(match operation {
                Operation::Insert { key, .. } => ErrorKind::KeyExists { key: key.clone() },
                Operation::Update { key, .. } | Operation::Remove { key } => {
                    ErrorKind::KeyNotFound { key: key.clone() }
                }
                _ => ErrorKind::OperationFailed {
                    reason: err.to_string(),
                },
            })),
        }
    }

    /// Ends the prover's current batch: clears its visited marks and directions and lets go of
    /// the nodes that the batch replaced (the prover keeps the batch's starting root alive until
    /// then). Returns the batch's proof bytes.
    pub(crate) fn settle(&mut self) -> Bytes {
        let proof = self.prover.generate_proof();
        self.batch_start = self.prover.base.tree.root.clone();
        proof
    }

    /// Ends the prover's current batch like [`Tree::settle`] but without building its proof,
    /// for callers that only want the new digest. `generate_proof` serialises every node the
    /// batch visited (cloning each one) only for the caller to drop the bytes; this leaves the
    /// prover in the same state with two short walks: the batch's visited marks are cleared
    /// (they may sit on nodes that a clone or a savepoint still shares), the batch's new nodes
    /// are frozen (`AVLTree::reset`), and a fresh prover takes the new root as its batch start.
    pub(crate) fn settle_without_proof(&mut self) {
        clear_visited(self.batch_start.as_ref());
        let avl = self.prover.base.tree.clone();
        avl.reset();
        self.prover = BatchAVLProver::new(avl, false);
        self.batch_start = self.prover.base.tree.root.clone();
    }

    /// Where the tree is now. The tree must be settled.
    pub(crate) fn savepoint(&self) -> Savepoint {
        Savepoint {
            root: self.prover.base.tree.root.clone(),
            height: self.prover.base.tree.height,
            size: self.size,
        }
    }

    /// Returns to a savepoint taken from this tree. Nodes reachable from a settled root are never
    /// mutated, so the old root still describes exactly the old tree.
    pub(crate) fn rollback(&mut self, savepoint: Savepoint) {
        self.prover.base.tree.root = savepoint.root;
        self.prover.base.tree.height = savepoint.height;
        self.size = savepoint.size;
        // Makes the restored root the prover's batch start, dropping any half-done batch.
        self.settle_without_proof();
    }
}

/// Clears the visited marks that a batch left on the tree it started from: marked nodes form a
/// subtree at `node` (an operation marks whole paths from the root), so the walk stops at the
/// first unmarked node. Recursion depth is the tree height (below 256 by the digest format).
fn clear_visited(node: Option<&NodeId>) {
    let Some(node) = node else { return };
    let mut current = node.borrow_mut();
    if !current.visited() {
        return;
    }
    current.mark_visited(false);
    if let Node::Internal(internal) = &*current {
        clear_visited(Some(&internal.left));
        clear_visited(Some(&internal.right));
    }
}

impl Clone for Tree {
    fn clone(&self) -> Tree {
        let prover = BatchAVLProver::new(self.prover.base.tree.clone(), false);
        Tree {
            batch_start: prover.base.tree.root.clone(),
            prover,
            shape: self.shape,
            size: self.size,
        }
    }
}

impl std::fmt::Debug for Tree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tree")
            .field("shape", &self.shape)
            .field("size", &self.size)
            .field("digest", &crate::hex::to_hex(&self.digest()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ergo_avltree_rust::authenticated_tree_ops::AuthenticatedTreeOps;

    fn key(i: u64) -> Vec<u8> {
        crate::note_key::note_key(&i.to_be_bytes(), b"settle").to_vec()
    }

    /// `settle_without_proof` must leave every flag as `generate_proof` would: otherwise the next
    /// proof would expand stale nodes or copy shared ones in place. Checked by making the next
    /// batch's proof and comparing it with the plain prover's, byte for byte, after plain
    /// updates, lookups, misses, a failed operation, a rollback and a clone that shares nodes.
    #[test]
    fn settling_without_a_proof_leaves_the_prover_as_generate_proof_does() {
        let shape = TreeShape::new(32, Some(8)).unwrap();
        let mut tree = Tree::new(shape).unwrap();
        let mut plain = BatchAVLProver::new(AVLTree::new(label_only_resolver, 32, Some(8)), false);
        let mut both = |tree: &mut Tree, operation: Operation| {
            let ours = tree.apply(&operation);
            let theirs = plain.perform_one_operation(&operation.to_ergo());
            assert_eq!(ours.is_ok(), theirs.is_ok(), "{operation:?}");
            plain.generate_proof();
            let batch = [
                Operation::Lookup { key: key(3) },
                Operation::Update {
                    key: key(1),
                    value: vec![9; 8],
                },
            ];
            let mut copy = tree.clone();
            let mut plain_copy = BatchAVLProver::new(plain.base.tree.clone(), false);
            for operation in &batch {
                copy.perform(operation).unwrap();
                plain_copy
                    .perform_one_operation(&operation.to_ergo())
                    .unwrap();
            }
            assert_eq!(copy.settle(), plain_copy.generate_proof());
            assert_eq!(tree.digest().to_vec(), plain.digest().unwrap().to_vec());
        };
        for i in 1..=40 {
            both(
                &mut tree,
                Operation::Insert {
                    key: key(i),
                    value: vec![i as u8; 8],
                },
            );
        }
        both(&mut tree, Operation::Lookup { key: key(7) });
        both(&mut tree, Operation::RemoveIfExists { key: key(99) });
        both(
            &mut tree,
            Operation::Insert {
                key: key(7),
                value: vec![0; 8],
            },
        );
        both(&mut tree, Operation::Remove { key: key(20) });
        let savepoint = tree.savepoint();
        tree.perform(&Operation::Remove { key: key(21) }).unwrap();
        tree.perform(&Operation::Lookup { key: key(22) }).unwrap();
        tree.rollback(savepoint);
        both(
            &mut tree,
            Operation::Update {
                key: key(5),
                value: vec![5; 8],
            },
        );
        let shared = tree.clone();
        both(&mut tree, Operation::Remove { key: key(30) });
        assert_eq!(shared.size(), tree.size() + 1);
    }
}
