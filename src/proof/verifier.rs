//! Verifying batch proofs of Ergo's authenticated AVL+ tree without trusting their maker.
//!
//! This is the verifier of Reyzin, Meshkov, Chepurnoy and Ivanov, "Improving Authenticated
//! Dynamic Dictionaries, with Applications to Cryptocurrencies" (eprint 2016/994), with the
//! proof format of Ergo's `BatchAVLVerifier`: it decodes the partial tree the proof carries,
//! checks it against the starting digest, then performs the operations over it, steering by the
//! proof's direction bits and checking keys at the leaves, and hashes the new root.
//!
//! Unlike `ergo_avltree_rust`'s verifier it is total: every malformed proof is an error, never a
//! panic (which would trap a WebAssembly instance).

use crate::digest::Digest;
use crate::error::{Error, ErrorKind, Result};
use crate::proof::error::ProofError;
use crate::proof::packed_tree::{decode_packed_tree, max_nodes, Node, NodeId, PartialTree};
use crate::shape::TreeShape;
use crate::tree::operation::Operation;
use std::cmp::Ordering;

/// The longest path the verifier walks. An AVL+ tree whose height fits the digest's height byte
/// has no path longer than 256 nodes; this bounds the recursion whatever the proof claims.
pub(crate) const MAX_PATH_LENGTH: usize = 512;

/// What a verified batch proof establishes: the digest after the operations and each
/// operation's result (the value the key had before it, or for a lookup the value it has).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedBatch {
    /// The tree's digest after all the operations.
    pub digest: Digest,
    /// One entry per operation: `Some(value)` when the key was in the tree, `None` when not.
    pub results: Vec<Option<Vec<u8>>>,
}

/// Verifies a batch proof, as made by [`Tree::prove`](crate::Tree::prove) or by Ergo's
/// `BatchAVLProver`, of `operations` against the 33-byte starting `digest` of a tree of `shape`.
///
/// Returns the digest after the operations and their results. Any proof that does not verify —
/// malformed, for another tree, leading elsewhere than the operations' keys, or showing that an
/// operation cannot be applied — is a `PROOF_INVALID` error whose reason is a [`ProofError`];
/// this function never panics, whatever the bytes. Operations whose keys or values do not fit
/// `shape` are refused first with `KEY_LENGTH`, `KEY_RESERVED` or `VALUE_LENGTH`.
///
/// ```
/// use basis_trees::{verify_proof, Operation, Tree, TreeShape};
///
/// # fn main() -> Result<(), basis_trees::Error> {
/// let mut tree = Tree::new(TreeShape::BASIS_TRACKER)?;
/// tree.insert(&[7; 32], b"debt")?;
/// let proof = tree.prove_lookup(&[[7u8; 32]])?;
///
/// let lookup = [Operation::Lookup { key: vec![7; 32] }];
/// let verified = verify_proof(&tree.digest(), &proof, &lookup, TreeShape::BASIS_TRACKER)?;
/// assert_eq!(verified.results, vec![Some(b"debt".to_vec())]);
/// assert_eq!(verified.digest, tree.digest());
/// # Ok(())
/// # }
/// ```
pub fn verify_proof(
    digest: &[u8],
    proof: &[u8],
    operations: &[Operation],
    shape: TreeShape,
) -> Result<VerifiedBatch> {
    for operation in operations {
        shape.check_key(operation.key())?;
        if let Some(value) = operation.value() {
            shape.check_value(value)?;
        }
    }
    verify_batch(digest, proof, operations, shape).map_err(proof_invalid)
}

fn proof_invalid(reason: ProofError) -> Error {
    let offset = match &reason {
        ProofError::Truncated { offset }
        | ProofError::BadBalance { offset, .. }
        | ProofError::MissingSubtree { offset } => Some(*offset as u64),
        _ => None,
    };
    let error = Error::new(ErrorKind::ProofInvalid { reason });
    match offset {
        Some(offset) => error.at_offset(offset),
        None => error,
    }
}

/// Decodes and checks the packed tree, performs every operation, and returns the new digest.
/// The operations' keys and values must already fit `shape`.
pub(crate) fn verify_batch(
    digest: &[u8],
    proof: &[u8],
    operations: &[Operation],
    shape: TreeShape,
) -> Result<VerifiedBatch, ProofError> {
    let digest_length = ProofError::DigestLength {
        actual: digest.len(),
    };
    let (&height, label) = digest.split_last().ok_or(digest_length.clone())?;
    let label = <[u8; 32]>::try_from(label).map_err(|_| digest_length)?;
    let height = usize::from(height);
    let decoded = decode_packed_tree(proof, shape, max_nodes(operations.len(), height))?;
    let computed = decoded.tree.label(decoded.root);
    if computed != label {
        return Err(ProofError::DigestMismatch {
            computed,
            expected: label,
        });
    }
    let mut verifier = Verifier {
        tree: decoded.tree,
        root: decoded.root,
        height,
        directions: Directions::new(proof, decoded.directions_start_bit),
        operation: 0,
    };
    let mut results = Vec::with_capacity(operations.len());
    for (index, operation) in operations.iter().enumerate() {
        verifier.operation = index;
        results.push(verifier.perform(operation)?);
    }
    let height = u8::try_from(verifier.height).map_err(|_| ProofError::HeightOutOfRange {
        operation: operations.len(),
    })?;
    let mut digest = [0u8; 33];
    let (label_part, height_part) = digest.split_at_mut(32);
    label_part.copy_from_slice(&verifier.tree.label(verifier.root));
    height_part.fill(height);
    Ok(VerifiedBatch { digest, results })
}

/// The direction bits after the packed tree: bit `i` (least significant first) set means "go
/// left" at the `i`-th internal node met. Deletions walk their path twice; the second walk
/// replays the first one's bits (see [`Directions::replay`]).
struct Directions<'a> {
    proof: &'a [u8],
    next_bit: usize,
    replay_bit: usize,
    /// The last bit that said "go right" — where a found key's path turned right. Like Ergo's
    /// verifier, it is kept from one operation to the next.
    last_right_step: usize,
}

impl<'a> Directions<'a> {
    fn new(proof: &'a [u8], start_bit: usize) -> Directions<'a> {
        Directions {
            proof,
            next_bit: start_bit,
            replay_bit: start_bit,
            last_right_step: 0,
        }
    }

    fn bit(&self, bit: usize) -> Option<bool> {
        let byte = self.proof.get(bit / 8)?;
        Some(byte & (1 << (bit % 8)) != 0)
    }

    /// Starts an operation: its replay will begin where its first walk begins.
    fn start_operation(&mut self) {
        self.replay_bit = self.next_bit;
    }

    /// The next step of the first walk: `Some(true)` left, `Some(false)` right, `None` if the
    /// proof has no more bits.
    fn next_is_left(&mut self) -> Option<bool> {
        let left = self.bit(self.next_bit)?;
        if !left {
            self.last_right_step = self.next_bit;
        }
        self.next_bit += 1;
        Some(left)
    }

    /// The next step of the second walk, as the result of comparing the key with the node's
    /// key: `Equal` at the last right turn (the node whose key it is), `Greater` at an earlier
    /// right turn, `Less` elsewhere (after the last right turn the path only goes left).
    fn replay(&mut self) -> Option<Ordering> {
        let bit = self.replay_bit;
        let ordering = if bit == self.last_right_step {
            Ordering::Equal
        } else if !self.bit(bit)? && bit < self.last_right_step {
            Ordering::Greater
        } else {
            Ordering::Less
        };
        self.replay_bit += 1;
        Some(ordering)
    }
}

/// The outcome of the first walk of an operation below one node.
struct Modified {
    node: NodeId,
    changed: bool,
    height_increased: bool,
    to_delete: bool,
    old_value: Option<Vec<u8>>,
}

impl Modified {
    fn unchanged(node: NodeId, to_delete: bool, old_value: Option<Vec<u8>>) -> Modified {
        Modified {
            node,
            changed: false,
            height_increased: false,
            to_delete,
            old_value,
        }
    }

    fn changed(node: NodeId, height_increased: bool, old_value: Option<Vec<u8>>) -> Modified {
        Modified {
            node,
            changed: true,
            height_increased,
            to_delete: false,
            old_value,
        }
    }
}

/// What an operation does at the leaf it reaches.
enum LeafAction {
    Keep,
    Write(Vec<u8>),
    Delete,
}

/// The fields of an internal node.
#[derive(Clone, Copy)]
struct Internal {
    left: NodeId,
    right: NodeId,
    balance: i8,
}

/// The fields of a leaf.
struct Leaf {
    key: Vec<u8>,
    value: Vec<u8>,
    next_key: Vec<u8>,
}

struct Verifier<'a> {
    tree: PartialTree,
    root: NodeId,
    height: usize,
    directions: Directions<'a>,
    /// The index of the operation being performed, for errors.
    operation: usize,
}

impl Verifier<'_> {
    /// Performs one operation and returns the key's value before it.
    fn perform(&mut self, operation: &Operation) -> Result<Option<Vec<u8>>, ProofError> {
        self.directions.start_operation();
        let key = operation.key();
        let modified = self.modify(self.root, key, operation, 0)?;
        if modified.to_delete {
            let mut removed_leaf = None;
            let (root, height_decreased) =
                self.delete(modified.node, false, &mut removed_leaf, 0)?;
            if height_decreased {
                self.height = self
                    .height
                    .checked_sub(1)
                    .ok_or(ProofError::HeightOutOfRange {
                        operation: self.operation,
                    })?;
            }
            self.root = root;
        } else {
            if modified.height_increased {
                self.height += 1;
            }
            self.root = modified.node;
        }
        Ok(modified.old_value)
    }

    fn inconsistent(&self, reason: &'static str) -> ProofError {
        ProofError::InconsistentTree {
            operation: self.operation,
            reason,
        }
    }

    fn check_depth(&self, depth: usize) -> Result<(), ProofError> {
        if depth >= MAX_PATH_LENGTH {
            return Err(ProofError::PathTooLong {
                operation: self.operation,
                limit: MAX_PATH_LENGTH,
            });
        }
        Ok(())
    }

    /// The fields of `node`, which the operation needs to be an internal node.
    fn internal(&self, node: NodeId) -> Result<Internal, ProofError> {
        match self.tree.node(node) {
            Node::Internal {
                left,
                right,
                balance,
            } => Ok(Internal {
                left: *left,
                right: *right,
                balance: *balance,
            }),
            Node::LabelOnly => Err(ProofError::LabelOnlyOnPath {
                operation: self.operation,
            }),
            Node::Leaf { .. } => Err(self.inconsistent("a leaf where an internal node must be")),
        }
    }

    fn leaf(&self, node: NodeId) -> Option<Leaf> {
        match self.tree.node(node) {
            Node::Leaf {
                key,
                value,
                next_key,
            } => Some(Leaf {
                key: key.clone(),
                value: value.clone(),
                next_key: next_key.clone(),
            }),
            _ => None,
        }
    }

    /// A leaf's key and next key (an update keeps both and replaces the value).
    fn leaf_keys(&self, node: NodeId) -> Option<(Vec<u8>, Vec<u8>)> {
        match self.tree.node(node) {
            Node::Leaf { key, next_key, .. } => Some((key.clone(), next_key.clone())),
            _ => None,
        }
    }

    fn is_leaf(&self, node: NodeId) -> bool {
        matches!(self.tree.node(node), Node::Leaf { .. })
    }

    fn balance_of(&self, node: NodeId) -> Result<i8, ProofError> {
        Ok(self.internal(node)?.balance)
    }

    /// The first walk: down by the direction bits to a leaf, then back up making the changed
    /// nodes and rebalancing (insertions and updates). A deletion is only detected here
    /// (`to_delete`) and done by [`Verifier::delete`].
    fn modify(
        &mut self,
        node: NodeId,
        key: &[u8],
        operation: &Operation,
        depth: usize,
    ) -> Result<Modified, ProofError> {
        self.check_depth(depth)?;
        if self.is_leaf(node) {
            return self.modify_leaf(node, key, operation);
        }
        let r = self.internal(node)?;
        if self.next_is_left()? {
            let child = self.modify(r.left, key, operation, depth + 1)?;
            self.after_left_modified(node, r, child)
        } else {
            let child = self.modify(r.right, key, operation, depth + 1)?;
            self.after_right_modified(node, r, child)
        }
    }

    /// The next direction bit of the first walk: `true` left, `false` right.
    fn next_is_left(&mut self) -> Result<bool, ProofError> {
        let bit = self.directions.next_bit;
        self.directions
            .next_is_left()
            .ok_or(ProofError::TruncatedDirections {
                operation: self.operation,
                bit,
            })
    }

    /// At the leaf: checks that it holds the key (equal) or proves it absent (leaf key < key <
    /// next key), then applies the operation there.
    fn modify_leaf(
        &mut self,
        node: NodeId,
        key: &[u8],
        operation: &Operation,
    ) -> Result<Modified, ProofError> {
        // The leaf is read in place; its fields are copied only into the nodes that change.
        let (found, old_value) = match self.tree.node(node) {
            Node::Leaf {
                key: leaf_key,
                value,
                next_key,
            } => {
                let found = match key.cmp(leaf_key) {
                    Ordering::Equal => true,
                    Ordering::Greater if key < next_key.as_slice() => false,
                    _ => {
                        return Err(ProofError::WrongLeaf {
                            operation: self.operation,
                        })
                    }
                };
                (found, found.then(|| value.clone()))
            }
            _ => return Err(self.inconsistent("a leaf expected")),
        };
        match self.leaf_action(operation, found)? {
            LeafAction::Keep => Ok(Modified::unchanged(node, false, old_value)),
            LeafAction::Delete => Ok(Modified::unchanged(node, true, old_value)),
            LeafAction::Write(value) if found => {
                let Some((leaf_key, next_key)) = self.leaf_keys(node) else {
                    return Err(self.inconsistent("a leaf expected"));
                };
                let updated = self.tree.leaf(leaf_key, value, next_key);
                Ok(Modified::changed(updated, false, old_value))
            }
            LeafAction::Write(value) => {
                let Some(leaf) = self.leaf(node) else {
                    return Err(self.inconsistent("a leaf expected"));
                };
                // The new key goes right of the leaf that proved it absent.
                let left = self.tree.leaf(leaf.key, leaf.value, key.to_vec());
                let right = self.tree.leaf(key.to_vec(), value, leaf.next_key);
                let parent = self.tree.internal(left, right, 0);
                Ok(Modified::changed(parent, true, None))
            }
        }
    }

    fn leaf_action(&self, operation: &Operation, found: bool) -> Result<LeafAction, ProofError> {
        let fail = |reason| ProofError::OperationFailed {
            operation: self.operation,
            reason,
        };
        Ok(match (operation, found) {
            (Operation::Lookup { .. }, _) => LeafAction::Keep,
            (Operation::Insert { .. }, true) => return Err(fail("is in the tree")),
            (Operation::Update { .. }, false) | (Operation::Remove { .. }, false) => {
                return Err(fail("is not in the tree"))
            }
            (Operation::Insert { value, .. }, false)
            | (Operation::Update { value, .. }, true)
            | (Operation::InsertOrUpdate { value, .. }, _) => LeafAction::Write(value.clone()),
            (Operation::Remove { .. }, true) | (Operation::RemoveIfExists { .. }, true) => {
                LeafAction::Delete
            }
            (Operation::RemoveIfExists { .. }, false) => LeafAction::Keep,
        })
    }

    /// Rebuilds `node` after its left subtree became `child`, rotating right if the left side
    /// grew two taller than the right.
    fn after_left_modified(
        &mut self,
        node: NodeId,
        r: Internal,
        child: Modified,
    ) -> Result<Modified, ProofError> {
        if !child.changed {
            return Ok(Modified::unchanged(node, child.to_delete, child.old_value));
        }
        let new_left = child.node;
        if child.height_increased && r.balance < 0 {
            let root = if self.balance_of(new_left)? < 0 {
                let left = self.internal(new_left)?;
                let new_right = self.tree.internal(left.right, r.right, 0);
                self.tree.internal(left.left, new_right, 0)
            } else {
                self.double_right_rotate(new_left, r.right)?
            };
            return Ok(Modified::changed(root, false, child.old_value));
        }
        let height_increased = child.height_increased && r.balance == 0;
        let balance = if child.height_increased {
            r.balance - 1
        } else {
            r.balance
        };
        let root = self.tree.internal(new_left, r.right, balance);
        Ok(Modified::changed(root, height_increased, child.old_value))
    }

    /// Rebuilds `node` after its right subtree became `child`, rotating left if the right side
    /// grew two taller than the left.
    fn after_right_modified(
        &mut self,
        node: NodeId,
        r: Internal,
        child: Modified,
    ) -> Result<Modified, ProofError> {
        if !child.changed {
            return Ok(Modified::unchanged(node, child.to_delete, child.old_value));
        }
        let new_right = child.node;
        if child.height_increased && r.balance > 0 {
            let root = if self.balance_of(new_right)? > 0 {
                let right = self.internal(new_right)?;
                let new_left = self.tree.internal(r.left, right.left, 0);
                self.tree.internal(new_left, right.right, 0)
            } else {
                self.double_left_rotate(r.left, new_right)?
            };
            return Ok(Modified::changed(root, false, child.old_value));
        }
        let height_increased = child.height_increased && r.balance == 0;
        let balance = if child.height_increased {
            r.balance + 1
        } else {
            r.balance
        };
        let root = self.tree.internal(r.left, new_right, balance);
        Ok(Modified::changed(root, height_increased, child.old_value))
    }

    /// The balances of the two new children of a double rotation, from the balance of the node
    /// that becomes their parent.
    fn double_rotation_balances(pivot_balance: i8) -> (i8, i8) {
        match pivot_balance {
            -1 => (0, 1),
            1 => (-1, 0),
            _ => (0, 0),
        }
    }

    /// Rotates a subtree whose left child `left` is right-heavy: `left.right` becomes the root,
    /// with `left` on its left and the old root (now over `right`) on its right.
    fn double_right_rotate(&mut self, left: NodeId, right: NodeId) -> Result<NodeId, ProofError> {
        let left = self.internal(left)?;
        let pivot = self.internal(left.right)?;
        let (left_balance, right_balance) = Self::double_rotation_balances(pivot.balance);
        let new_right = self.tree.internal(pivot.right, right, right_balance);
        let new_left = self.tree.internal(left.left, pivot.left, left_balance);
        Ok(self.tree.internal(new_left, new_right, 0))
    }

    /// Rotates a subtree whose right child `right` is left-heavy: `right.left` becomes the root,
    /// with the old root (now over `left`) on its left and `right` on its right.
    fn double_left_rotate(&mut self, left: NodeId, right: NodeId) -> Result<NodeId, ProofError> {
        let right = self.internal(right)?;
        let pivot = self.internal(right.left)?;
        let (left_balance, right_balance) = Self::double_rotation_balances(pivot.balance);
        let new_left = self.tree.internal(left, pivot.left, left_balance);
        let new_right = self.tree.internal(pivot.right, right.right, right_balance);
        Ok(self.tree.internal(new_left, new_right, 0))
    }

    /// The second walk of a deletion, replaying the first walk's directions. Removes the leaf
    /// that holds the key and the internal node whose key it is (or, with `delete_max`, the
    /// rightmost leaf and its parent, saving that leaf in `removed_leaf`), rebalancing on the way
    /// up. Returns the new subtree and whether its height decreased.
    fn delete(
        &mut self,
        node: NodeId,
        delete_max: bool,
        removed_leaf: &mut Option<Leaf>,
        depth: usize,
    ) -> Result<(NodeId, bool), ProofError> {
        self.check_depth(depth)?;
        let direction = if delete_max {
            Ordering::Greater
        } else {
            let bit = self.directions.replay_bit;
            self.directions
                .replay()
                .ok_or(ProofError::TruncatedDirections {
                    operation: self.operation,
                    bit,
                })?
        };
        let r = self.internal(node)?;
        if direction == Ordering::Less && self.is_leaf(r.left) {
            return Err(self.inconsistent("the deleted key's path ends at a leaf"));
        }
        if direction != Ordering::Less {
            if let Some(right_leaf) = self.leaf(r.right) {
                // This node and its right leaf go; the left subtree takes their place.
                if delete_max {
                    *removed_leaf = Some(right_leaf);
                    return Ok((r.left, true));
                }
                if direction != Ordering::Equal {
                    return Err(self.inconsistent("the deleted key's node has a leaf on its right"));
                }
                let left = self.change_next_key_of_max(r.left, right_leaf.next_key, depth + 1)?;
                return Ok((left, true));
            }
        }
        if direction == Ordering::Equal {
            if let Some(left_leaf) = self.leaf(r.left) {
                // This node and its left leaf (the key's) go; the leftmost leaf of the right
                // subtree takes over the left leaf's key and value.
                let right = self.change_key_and_value_of_min(r.right, left_leaf, depth + 1)?;
                return Ok((right, true));
            }
        }
        if direction == Ordering::Greater {
            return self.delete_right(r, delete_max, removed_leaf, depth);
        }
        // Going left. At the key's own node (`Equal`) both children are internal: delete the
        // maximum of the left subtree instead and move its leaf into the right subtree's minimum.
        let (new_left, height_decreased) = self.delete(
            r.left,
            direction == Ordering::Equal,
            removed_leaf,
            depth + 1,
        )?;
        let right = if direction == Ordering::Equal {
            let Some(moved) = removed_leaf.take() else {
                return Err(self.inconsistent("no leaf left the left subtree"));
            };
            self.change_key_and_value_of_min(r.right, moved, depth + 1)?
        } else {
            r.right
        };
        self.rebalance_after_left_shrank(r.balance, new_left, right, height_decreased)
    }

    /// [`Verifier::delete`] going right: deletes in the right subtree, then rebalances.
    fn delete_right(
        &mut self,
        r: Internal,
        delete_max: bool,
        removed_leaf: &mut Option<Leaf>,
        depth: usize,
    ) -> Result<(NodeId, bool), ProofError> {
        let (new_right, height_decreased) =
            self.delete(r.right, delete_max, removed_leaf, depth + 1)?;
        if height_decreased && r.balance < 0 {
            // The left side is now two taller: rotate right.
            let left = self.internal(r.left)?;
            if left.balance > 0 {
                return Ok((self.double_right_rotate(r.left, new_right)?, true));
            }
            let new_right_child = self.tree.internal(left.right, new_right, -left.balance - 1);
            let balance = 1 + left.balance;
            let root = self.tree.internal(left.left, new_right_child, balance);
            return Ok((root, balance == 0));
        }
        let balance = if height_decreased {
            r.balance - 1
        } else {
            r.balance
        };
        let root = self.tree.internal(r.left, new_right, balance);
        Ok((root, height_decreased && balance == 0))
    }

    /// Makes the node with children `left` (which may have become shorter) and `right`, rotating
    /// left if the right side is now two taller.
    fn rebalance_after_left_shrank(
        &mut self,
        balance: i8,
        left: NodeId,
        right: NodeId,
        height_decreased: bool,
    ) -> Result<(NodeId, bool), ProofError> {
        if height_decreased && balance > 0 {
            let right_child = self.internal(right)?;
            if right_child.balance < 0 {
                return Ok((self.double_left_rotate(left, right)?, true));
            }
            let new_left = self
                .tree
                .internal(left, right_child.left, 1 - right_child.balance);
            let new_balance = right_child.balance - 1;
            let root = self.tree.internal(new_left, right_child.right, new_balance);
            return Ok((root, new_balance == 0));
        }
        let new_balance = if height_decreased {
            balance + 1
        } else {
            balance
        };
        let root = self.tree.internal(left, right, new_balance);
        Ok((root, height_decreased && new_balance == 0))
    }

    /// The subtree with its rightmost leaf's next key replaced by `next_key`.
    fn change_next_key_of_max(
        &mut self,
        node: NodeId,
        next_key: Vec<u8>,
        depth: usize,
    ) -> Result<NodeId, ProofError> {
        self.check_depth(depth)?;
        if let Some(leaf) = self.leaf(node) {
            return Ok(self.tree.leaf(leaf.key, leaf.value, next_key));
        }
        let r = self.internal(node)?;
        let right = self.change_next_key_of_max(r.right, next_key, depth + 1)?;
        Ok(self.tree.internal(r.left, right, r.balance))
    }

    /// The subtree with its leftmost leaf's key and value replaced by those of `moved`.
    fn change_key_and_value_of_min(
        &mut self,
        node: NodeId,
        moved: Leaf,
        depth: usize,
    ) -> Result<NodeId, ProofError> {
        self.check_depth(depth)?;
        if let Some(leaf) = self.leaf(node) {
            return Ok(self.tree.leaf(moved.key, moved.value, leaf.next_key));
        }
        let r = self.internal(node)?;
        let left = self.change_key_and_value_of_min(r.left, moved, depth + 1)?;
        Ok(self.tree.internal(left, r.right, r.balance))
    }
}
