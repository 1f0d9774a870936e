//! The operations, step for step as `ergo_avltree_rust`'s `authenticated_tree_ops.rs` and
//! `batch_avl_prover.rs` perform them: the same walk and direction bits, the same rotations and
//! balances, the same deletion procedure, the same nodes visited. The prover's
//! `InternalNode::update` is [`AvlTree::update`] (in place instead of a copy); where the prover
//! rewrites a leaf's key and value, the leaf holding them moves instead (keys are implicit).

use super::journal::ChildLabel::{self, Carried, Recompute, Same};
use super::store::NodeRef;
use super::{key_prefix, AvlTree, Op, OpError};
use std::cmp::Ordering;

/// What [`AvlTree::modify`] did below a node (the prover's `modify_helper` result).
struct Step {
    /// The subtree's root afterwards.
    node: NodeRef,
    changed: bool,
    grew: bool,
    /// The key was found and the operation removes it: the second walk follows.
    to_delete: bool,
}

impl Step {
    fn unchanged(node: NodeRef, to_delete: bool) -> Step {
        Step {
            node,
            changed: false,
            grew: false,
            to_delete,
        }
    }

    fn changed(node: NodeRef, grew: bool) -> Step {
        Step {
            node,
            changed: true,
            grew,
            to_delete: false,
        }
    }
}

/// The leaf a deletion in "delete max" mode removed (to be moved into its successor's place),
/// and the internal node that held its key.
#[derive(Clone, Copy)]
struct Saved {
    leaf: u32,
    key_holder: u32,
}

impl AvlTree {
    /// Performs one operation in the current batch (the prover's `perform_one_operation`).
    ///
    /// Returns whether the key was present; if it was, its value before the operation is left
    /// in `old` (for a lookup, the value it has). A failed operation changes nothing: not the
    /// tree, not the batch.
    pub fn perform(&mut self, op: Op<'_>, old: &mut Vec<u8>) -> Result<bool, OpError> {
        old.clear();
        let key = op.key();
        if key.len() != self.key_length {
            return Err(OpError::KeyLength);
        }
        if key.iter().all(|&b| b == 0) || key.iter().all(|&b| b == 0xff) {
            return Err(OpError::KeyReserved);
        }
        if let Some(value) = op.value() {
            let fits = match self.value_length {
                Some(length) => value.len() == length,
                None => u32::try_from(value.len()).is_ok(),
            };
            if !fits {
                return Err(OpError::ValueLength);
            }
            if !(self.internal_slots.can_take(1)
                && self.leaf_slots.can_take(1)
                && self.spill_slots.can_take(2))
            {
                return Err(OpError::Full);
            }
        }
        self.batch.replay_index = self.batch.direction_bits;
        self.batch.key_prefix = key_prefix(key);
        let mut found = false;
        let step = match self.modify(self.root, op, old, &mut found) {
            Ok(step) => step,
            Err(err) => {
                self.forget_directions_since(self.batch.replay_index);
                old.clear();
                return Err(err);
            }
        };
        if step.changed || step.to_delete {
            self.root_changed();
        }
        if step.to_delete {
            let mut saved = None;
            let (root, shrank, _) = self.delete(step.node, false, &mut saved);
            if shrank {
                self.height -= 1;
            }
            self.root = root;
            self.size -= 1;
        } else {
            if step.grew {
                self.height += 1;
            }
            self.root = step.node;
        }
        Ok(found)
    }

    /// Drops the direction bits from `bits` on, as the prover does when an operation fails.
    fn forget_directions_since(&mut self, bits: usize) {
        let batch = &mut self.batch;
        batch.directions.truncate(bits.div_ceil(8));
        batch.direction_bits = bits;
        if bits & 7 > 0 {
            if let Some(last) = batch.directions.last_mut() {
                *last &= (1u8 << (bits & 7)) - 1;
            }
        }
    }

    /// The prover's `next_direction_is_left`: compares with the node's key (until the key is
    /// found: then right once, and left to the leaf) and records the direction bit.
    fn next_direction_is_left(&mut self, key: &[u8], index: u32) -> bool {
        let left = if self.batch.found {
            true
        } else {
            match self.compare_at(key, self.batch.key_prefix, index) {
                Ordering::Equal => {
                    self.batch.found = true;
                    self.batch.last_right_step = self.batch.direction_bits;
                    false
                }
                Ordering::Less => true,
                Ordering::Greater => false,
            }
        };
        let bits = self.batch.direction_bits;
        if bits & 7 == 0 {
            self.batch.directions.push(u8::from(left));
        } else if left {
            if let Some(byte) = self.batch.directions.get_mut(bits >> 3) {
                *byte |= 1 << (bits & 7);
            }
        }
        self.batch.direction_bits += 1;
        left
    }

    /// The prover's `replay_comparison`: the comparison the first walk made at this depth,
    /// read back from its direction bits (0 where the key was found).
    fn replay_comparison(&mut self) -> i32 {
        let at = self.batch.replay_index;
        let comparison = if at == self.batch.last_right_step {
            0
        } else {
            let byte = self.batch.directions.get(at >> 3).copied().unwrap_or(0);
            if byte & (1 << (at & 7)) == 0 {
                1
            } else {
                -1
            }
        };
        self.batch.replay_index += 1;
        comparison
    }

    /// The prover's `modify_helper`: the walk down, the change at the leaf, and the rebalancing
    /// on the way up. Deletions only find their leaf here (`to_delete`).
    fn modify(
        &mut self,
        node: NodeRef,
        op: Op<'_>,
        old: &mut Vec<u8>,
        found: &mut bool,
    ) -> Result<Step, OpError> {
        if node.is_leaf() {
            return self.modify_leaf(node, op, old, found);
        }
        let index = node.index();
        let (left, right, balance) = self.links(index);
        if self.next_direction_is_left(op.key(), index) {
            let below = self.modify(left, op, old, found)?;
            if !below.changed {
                self.visit(node);
                return Ok(Step::unchanged(node, below.to_delete));
            }
            if below.grew && balance < 0 {
                self.visit(node);
                // The left side grew, so its new root is an internal node.
                let new_left = below.node.index();
                if self.balance(new_left) < 0 {
                    let (grand_left, grand_right) = (self.left(new_left), self.right(new_left));
                    let moving = Carried(self.kept(new_left, 1));
                    self.update_node(index, [(grand_right, moving), (right, Same)], 0, false);
                    self.update_node(new_left, [(grand_left, Same), (node, Recompute)], 0, false);
                    return Ok(Step::changed(below.node, false));
                }
                let root = self.double_right_rotate(index, new_left, (right, Same));
                return Ok(Step::changed(root, false));
            }
            let grew = below.grew && balance == 0;
            let balance = if below.grew { balance - 1 } else { balance };
            self.update_node(
                index,
                [(below.node, Recompute), (right, Same)],
                balance,
                true,
            );
            Ok(Step::changed(node, grew))
        } else {
            let below = self.modify(right, op, old, found)?;
            if !below.changed {
                self.visit(node);
                return Ok(Step::unchanged(node, below.to_delete));
            }
            if below.grew && balance > 0 {
                self.visit(node);
                let new_right = below.node.index();
                if self.balance(new_right) > 0 {
                    let (grand_left, grand_right) = (self.left(new_right), self.right(new_right));
                    let moving = Carried(self.kept(new_right, 0));
                    self.update_node(index, [(left, Same), (grand_left, moving)], 0, false);
                    self.update_node(
                        new_right,
                        [(node, Recompute), (grand_right, Same)],
                        0,
                        false,
                    );
                    return Ok(Step::changed(below.node, false));
                }
                let root = self.double_left_rotate(index, (left, Same), new_right);
                return Ok(Step::changed(root, false));
            }
            let grew = below.grew && balance == 0;
            let balance = if below.grew { balance + 1 } else { balance };
            self.update_node(
                index,
                [(left, Same), (below.node, Recompute)],
                balance,
                true,
            );
            Ok(Step::changed(node, grew))
        }
    }

    /// The leaf case of `modify_helper`. The prover knows whether the leaf holds the key from
    /// the walk alone (`found`), as here.
    fn modify_leaf(
        &mut self,
        node: NodeRef,
        op: Op<'_>,
        old: &mut Vec<u8>,
        found: &mut bool,
    ) -> Result<Step, OpError> {
        let index = node.index();
        let key_here = std::mem::replace(&mut self.batch.found, false);
        if key_here {
            match op {
                Op::Insert(..) => Err(OpError::KeyExists),
                Op::Lookup(_) => {
                    self.take_old_value(index, old, found)?;
                    self.visit(node);
                    Ok(Step::unchanged(node, false))
                }
                Op::Update(_, value) | Op::InsertOrUpdate(_, value) => {
                    self.take_old_value(index, old, found)?;
                    self.touch_leaf(index);
                    self.write_value(index, value);
                    self.visit(node);
                    Ok(Step::changed(node, false))
                }
                Op::Remove(_) | Op::RemoveIfExists(_) => {
                    self.take_old_value(index, old, found)?;
                    self.visit(node);
                    Ok(Step::unchanged(node, true))
                }
            }
        } else {
            match op {
                Op::Update(..) | Op::Remove(_) => Err(OpError::KeyNotFound),
                Op::Lookup(_) | Op::RemoveIfExists(_) => {
                    self.visit(node);
                    Ok(Step::unchanged(node, false))
                }
                Op::Insert(key, value) | Op::InsertOrUpdate(key, value) => {
                    self.visit(node);
                    let new_node = self.add_node(node, key, value)?;
                    self.size += 1;
                    Ok(Step::changed(new_node, true))
                }
            }
        }
    }

    /// Copies the leaf's value out as the previous value, before anything changes (so that a
    /// copy that cannot be had fails the operation cleanly).
    fn take_old_value(
        &self,
        index: u32,
        old: &mut Vec<u8>,
        found: &mut bool,
    ) -> Result<(), OpError> {
        let value = self.value(index);
        old.try_reserve(value.len())
            .map_err(|_| OpError::OutOfMemory(value.len()))?;
        old.extend_from_slice(value);
        *found = true;
        Ok(())
    }

    /// The prover's `add_node`: `leaf` (whose next key becomes `key`) and a new leaf under a new
    /// internal node holding `key` (which computes both labels afresh).
    fn add_node(&mut self, leaf: NodeRef, key: &[u8], value: &[u8]) -> Result<NodeRef, OpError> {
        let new_leaf = self.new_leaf(value).ok_or(OpError::Full)?;
        let internal = self
            .new_internal(key, leaf, NodeRef::leaf(new_leaf), 0)
            .ok_or(OpError::Full)?;
        Ok(NodeRef::internal(internal))
    }

    /// The prover's `double_left_rotate`: `right_child`'s left child becomes the root. The
    /// grandchildren that move keep their labels.
    fn double_left_rotate(
        &mut self,
        index: u32,
        left_child: (NodeRef, ChildLabel),
        right_child: u32,
    ) -> NodeRef {
        let new_root = self.left(right_child);
        let root = new_root.index();
        let (new_left_balance, new_right_balance) = rotated_balances(self.balance(root));
        let (root_left, root_right) = (self.left(root), self.right(root));
        let (kept_left, kept_right) = (self.kept(root, 0), self.kept(root, 1));
        let right_right = self.right(right_child);
        self.update_node(
            index,
            [left_child, (root_left, Carried(kept_left))],
            new_left_balance,
            false,
        );
        self.update_node(
            right_child,
            [(root_right, Carried(kept_right)), (right_right, Same)],
            new_right_balance,
            false,
        );
        let children = [
            (NodeRef::internal(index), Recompute),
            (NodeRef::internal(right_child), Recompute),
        ];
        self.update_node(root, children, 0, false);
        new_root
    }

    /// The prover's `double_right_rotate`: `left_child`'s right child becomes the root.
    fn double_right_rotate(
        &mut self,
        index: u32,
        left_child: u32,
        right_child: (NodeRef, ChildLabel),
    ) -> NodeRef {
        let new_root = self.right(left_child);
        let root = new_root.index();
        let (new_left_balance, new_right_balance) = rotated_balances(self.balance(root));
        let (root_left, root_right) = (self.left(root), self.right(root));
        let (kept_left, kept_right) = (self.kept(root, 0), self.kept(root, 1));
        let left_left = self.left(left_child);
        self.update_node(
            index,
            [(root_right, Carried(kept_right)), right_child],
            new_right_balance,
            false,
        );
        self.update_node(
            left_child,
            [(left_left, Same), (root_left, Carried(kept_left))],
            new_left_balance,
            false,
        );
        let children = [
            (NodeRef::internal(left_child), Recompute),
            (NodeRef::internal(index), Recompute),
        ];
        self.update_node(root, children, 0, false);
        new_root
    }

    /// The prover's `delete_helper`: the second walk of a deletion, replaying the first walk's
    /// comparisons (`delete_max`: always right, removing the subtree's largest leaf into
    /// `saved`). Returns the subtree's new root, whether it got lower, and what becomes of the
    /// label its parent keeps for it.
    fn delete(
        &mut self,
        node: NodeRef,
        delete_max: bool,
        saved: &mut Option<Saved>,
    ) -> (NodeRef, bool, ChildLabel) {
        self.visit(node);
        let direction = if delete_max {
            1
        } else {
            self.replay_comparison()
        };
        // The walk ends above the leaves: the key's node has a leaf child on the side it takes.
        let index = node.index();
        let (left, right, balance) = self.links(index);
        if direction >= 0 && right.is_leaf() {
            self.visit(right);
            self.free_later(node);
            if delete_max {
                *saved = Some(Saved {
                    leaf: right.index(),
                    key_holder: index,
                });
                return (left, true, Carried(self.kept(index, 0)));
            }
            // This node holds the key, its right leaf is the key's: the leaf before it takes
            // the next key.
            let new_left = self.change_next_of_max(left);
            self.free_later(right);
            return (new_left, true, Recompute);
        }
        if direction == 0 && left.is_leaf() {
            // The leaf on the left takes the place of the key's leaf (the smallest on the right).
            self.visit(left);
            self.free_later(node);
            let new_right = self.replace_min_leaf(right, left.index());
            return (new_right, true, Recompute);
        }
        if direction <= 0 {
            let (new_left, shrank, left_label) = self.delete(left, direction == 0, saved);
            if direction == 0 {
                // Both children are internal: the largest leaf on the left was removed instead,
                // and takes the place of the key's leaf; this node takes its key.
                if let Some(moved) = saved.take() {
                    self.copy_key(index, moved.key_holder);
                    let new_right = self.replace_min_leaf(right, moved.leaf);
                    self.update_node(
                        index,
                        [(left, Same), (new_right, Recompute)],
                        balance,
                        false,
                    );
                }
            }
            let root_balance = self.balance(index);
            let root_right = self.right(index);
            if shrank && root_balance > 0 {
                self.visit(root_right);
                let right_child = root_right.index();
                let right_balance = self.balance(right_child);
                if right_balance < 0 {
                    self.visit(self.left(right_child));
                    let root = self.double_left_rotate(index, (new_left, left_label), right_child);
                    return (root, true, Recompute);
                }
                let (right_left, right_right) = (self.left(right_child), self.right(right_child));
                let moving = Carried(self.kept(right_child, 0));
                let children = [(new_left, left_label), (right_left, moving)];
                self.update_node(index, children, 1 - right_balance, false);
                let new_balance = right_balance - 1;
                let children = [(node, Recompute), (right_right, Same)];
                self.update_node(right_child, children, new_balance, false);
                return (root_right, new_balance == 0, Recompute);
            }
            let new_balance = if shrank {
                root_balance + 1
            } else {
                root_balance
            };
            let children = [(new_left, left_label), (root_right, Same)];
            self.update_node(index, children, new_balance, false);
            (node, shrank && new_balance == 0, Recompute)
        } else {
            let (new_right, shrank, right_label) = self.delete(right, delete_max, saved);
            if shrank && balance < 0 {
                self.visit(left);
                let left_child = left.index();
                let left_balance = self.balance(left_child);
                if left_balance > 0 {
                    self.visit(self.right(left_child));
                    let root =
                        self.double_right_rotate(index, left_child, (new_right, right_label));
                    return (root, true, Recompute);
                }
                let (left_left, left_right) = (self.left(left_child), self.right(left_child));
                let moving = Carried(self.kept(left_child, 1));
                let children = [(left_right, moving), (new_right, right_label)];
                self.update_node(index, children, -left_balance - 1, false);
                let new_balance = 1 + left_balance;
                let children = [(left_left, Same), (node, Recompute)];
                self.update_node(left_child, children, new_balance, false);
                return (left, new_balance == 0, Recompute);
            }
            let new_balance = if shrank { balance - 1 } else { balance };
            let children = [(left, Same), (new_right, right_label)];
            self.update_node(index, children, new_balance, false);
            (node, shrank && new_balance == 0, Recompute)
        }
    }

    /// The prover's `change_next_leaf_key_of_max_node`: the largest leaf of the subtree gets a
    /// new next key (implicit here), so it and the path to it change.
    fn change_next_of_max(&mut self, node: NodeRef) -> NodeRef {
        self.visit(node);
        if node.is_leaf() {
            // Its parent's update marks its label to be computed.
            return node;
        }
        let index = node.index();
        let (left, right, balance) = self.links(index);
        let new_right = self.change_next_of_max(right);
        self.update_node(
            index,
            [(left, Same), (new_right, Recompute)],
            balance,
            false,
        );
        node
    }

    /// The prover's `change_key_and_value_of_min_node`: the smallest leaf of the subtree is
    /// replaced by leaf `moving` (the prover copies that leaf's key and value into it).
    fn replace_min_leaf(&mut self, node: NodeRef, moving: u32) -> NodeRef {
        self.visit(node);
        if node.is_leaf() {
            self.free_later(node);
            return NodeRef::leaf(moving);
        }
        let index = node.index();
        let (left, right, balance) = self.links(index);
        let new_left = self.replace_min_leaf(left, moving);
        self.update_node(
            index,
            [(new_left, Recompute), (right, Same)],
            balance,
            false,
        );
        node
    }
}

/// `key` against a node's key, as bytes (lexicographically). Keys are compared eight bytes at a
/// time, as little-endian words: the first byte where two words differ is the lowest set byte of
/// their xor, and comparing that byte decides. (Big-endian words would compare directly, but wasm
/// has no byte swap: turning a word big-endian costs some thirty instructions there, and a byte
/// slice comparison is a call into a byte-by-byte `memcmp`.)
#[inline(always)]
pub(crate) fn compare_keys(key: &[u8], node_key: &[u8]) -> Ordering {
    if let (Ok(a), Ok(b)) = (<&[u8; 32]>::try_from(key), <&[u8; 32]>::try_from(node_key)) {
        for i in 0..4 {
            let (x, y) = (le_word(a, 8 * i), le_word(b, 8 * i));
            if x != y {
                return first_difference(x, y);
            }
        }
        return Ordering::Equal;
    }
    compare_other_keys(key, node_key)
}

/// [`compare_keys`] for keys of other lengths than 32 bytes.
#[inline(never)]
fn compare_other_keys(key: &[u8], node_key: &[u8]) -> Ordering {
    let words = key.len().min(node_key.len()) / 8;
    for i in 0..words {
        let (x, y) = (le_word(key, 8 * i), le_word(node_key, 8 * i));
        if x != y {
            return first_difference(x, y);
        }
    }
    key[8 * words..].cmp(&node_key[8 * words..])
}

/// The eight bytes of `bytes` at `at`, as a little-endian word.
#[inline(always)]
fn le_word(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

/// The order of two different little-endian words as byte strings: that of their first
/// differing byte, the lowest set byte of `x ^ y`.
#[inline(always)]
fn first_difference(x: u64, y: u64) -> Ordering {
    let shift = (x ^ y).trailing_zeros() & !7;
    ((x >> shift) as u8).cmp(&((y >> shift) as u8))
}

/// The balances of the two children of a double rotation's new root, from its old balance.
fn rotated_balances(balance: i8) -> (i8, i8) {
    match balance {
        -1 => (0, 1),
        1 => (-1, 0),
        _ => (0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_compare_as_byte_strings() {
        // Every length up to 40, differing at every position, in both directions.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut byte = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        };
        for length in 0..=40 {
            let a: Vec<u8> = (0..length).map(|_| byte()).collect();
            assert_eq!(compare_keys(&a, &a), Ordering::Equal);
            for at in 0..length {
                for delta in [1u8, 0x80, 0xff] {
                    let mut b = a.clone();
                    b[at] = b[at].wrapping_add(delta);
                    assert_eq!(compare_keys(&a, &b), a.cmp(&b), "length {length} at {at}");
                    assert_eq!(compare_keys(&b, &a), b.cmp(&a), "length {length} at {at}");
                }
            }
        }
    }
}
