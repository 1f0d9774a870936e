//! The tree as it was at marks taken earlier (a storage's checkpoints), kept as the records
//! changed since, not as copies of the tree.
//!
//! After a mark, the first change of a record saves it, whole, in the mark's epoch (a flag bit
//! says it is saved, until the next mark). The tree at mark `k` is then the current tree seen
//! through the records saved in epochs `k`, `k + 1`, … (the earliest saving of a record is its
//! state at mark `k`). Memory is the records the tree changed since the first mark, each once per
//! epoch; a tree that was never marked saves nothing.
//!
//! Saving happens before a record is written for a change: a body (`update_node`), a key
//! (`copy_key`), a leaf's value (`touch_leaf`), a freed slot taken for a new node (`put_*`).
//! Labels, which a view does not need, and the batch's marks are not saved. An abort may restore
//! a record's flag bit as unsaved; the record is then saved again, later, harmlessly (the
//! earliest saving wins).

use super::store::NodeRef;
use super::walk::{post_order, InternalView, Visit};
use super::{read_u32, AvlTree, BALANCE, BODY, EPOCH};
use std::rc::Rc;

/// A saved record: the node, and where its bytes are. A leaf's value in the side table is kept
/// apart: the entry is saved when it is freed (`freed_values`).
#[derive(Clone, Debug)]
struct SavedRecord {
    node: NodeRef,
    at: usize,
}

/// The tree at a mark, and the records changed since, until the next mark.
#[derive(Clone, Debug)]
struct Epoch {
    root: NodeRef,
    height: usize,
    size: usize,
    /// Slots at or above these were not in the tree at the mark: nothing to save for them.
    internals: u32,
    leaves: u32,
    saved: Vec<SavedRecord>,
    bytes: Vec<u8>,
    /// Side-table entries freed during the epoch, as they were, in the order freed.
    freed_values: Vec<(u32, Rc<[u8]>)>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct History {
    epochs: Vec<Epoch>,
}

/// A tree's history, which a plain clone of the tree leaves behind: a copy handed out does not
/// need it ([`AvlTree::clone_with_history`] keeps it).
#[derive(Debug, Default)]
pub(crate) struct HistorySlot(Option<Box<History>>);

impl Clone for HistorySlot {
    fn clone(&self) -> HistorySlot {
        HistorySlot(None)
    }
}

/// The tree as it was at a mark, read through the records saved since.
pub struct TreeAt<'a> {
    tree: &'a AvlTree,
    epoch: &'a Epoch,
    /// The earliest saving of each record changed since the mark, sorted by node: (node's bits,
    /// epoch, saving).
    saved: Vec<(u32, usize, usize)>,
    /// The earliest freeing of each side-table entry since the mark, sorted by entry: (entry,
    /// epoch, freeing).
    freed: Vec<(u32, usize, usize)>,
    history: &'a History,
}

impl AvlTree {
    /// Marks the tree's state, to read it later with [`at_mark`](AvlTree::at_mark): from now on
    /// the first change of each record is saved. Between batches only.
    pub fn mark(&mut self) -> usize {
        let mut history = self.history.0.take().unwrap_or_default();
        if history.epochs.is_empty() && self.saved_flags {
            // A clone of a marked tree: its records may carry saved flags of epochs it does not
            // have.
            self.clear_saved_flags();
        }
        // The saved flags of the epoch that ends belong to it.
        if let Some(last) = history.epochs.last() {
            for record in &last.saved {
                if self.slot_exists(record.node) {
                    *self.flags_mut(record.node) &= !EPOCH;
                }
            }
        }
        history.epochs.push(Epoch {
            root: self.root,
            height: self.height,
            size: self.size,
            internals: self.internal_slots.len,
            leaves: self.leaf_slots.len,
            saved: Vec::new(),
            bytes: Vec::new(),
            freed_values: Vec::new(),
        });
        let mark = history.epochs.len() - 1;
        self.history.0 = Some(history);
        mark
    }

    fn clear_saved_flags(&mut self) {
        for index in 0..self.internal_slots.len {
            *self.flags_mut(NodeRef::internal(index)) &= !EPOCH;
        }
        for index in 0..self.leaf_slots.len {
            *self.flags_mut(NodeRef::leaf(index)) &= !EPOCH;
        }
        self.saved_flags = false;
    }

    /// Whether the arena has a slot for `node`.
    fn slot_exists(&self, node: NodeRef) -> bool {
        if node.is_leaf() {
            node.index() < self.leaf_slots.len
        } else {
            node.index() < self.internal_slots.len
        }
    }

    /// A copy with the history of its marks (a plain `clone` leaves it behind).
    pub fn clone_with_history(&self) -> AvlTree {
        let mut copy = self.clone();
        copy.history.0 = self.history.0.clone();
        copy
    }

    /// Saves `node`'s record in the current epoch, if the tree has marks and the record is not
    /// saved yet: it is about to change.
    #[inline]
    pub(crate) fn save_for_history(&mut self, node: NodeRef) {
        if self.history.0.is_none() {
            return;
        }
        self.save_record(node);
    }

    #[inline(never)]
    fn save_record(&mut self, node: NodeRef) {
        let Some(mut history) = self.history.0.take() else {
            return;
        };
        if let Some(epoch) = history.epochs.last_mut() {
            let index = node.index();
            let existed = if node.is_leaf() {
                index < epoch.leaves
            } else {
                index < epoch.internals
            };
            if existed && self.flags(node) & EPOCH == 0 {
                let at = epoch.bytes.len();
                if node.is_leaf() {
                    epoch.bytes.extend_from_slice(self.leaves.get(index));
                } else {
                    // The body record, then the children.
                    let links = self.node_links(index);
                    epoch.bytes.extend_from_slice(self.internals.get(index));
                    epoch
                        .bytes
                        .extend_from_slice(&links.left.to_bits().to_le_bytes());
                    epoch
                        .bytes
                        .extend_from_slice(&links.right.to_bits().to_le_bytes());
                }
                epoch.saved.push(SavedRecord { node, at });
            }
            if existed {
                *self.flags_mut(node) |= EPOCH;
                self.saved_flags = true;
            }
        }
        self.history.0 = Some(history);
    }

    /// Room in the current epoch for `records` records of `bytes` bytes in all (true when the
    /// tree has no marks).
    pub(crate) fn reserve_history(&mut self, records: usize, bytes: usize) -> bool {
        match self
            .history
            .0
            .as_mut()
            .and_then(|history| history.epochs.last_mut())
        {
            Some(epoch) => {
                epoch.saved.try_reserve(records).is_ok()
                    && epoch.bytes.try_reserve(bytes).is_ok()
                    && epoch.freed_values.try_reserve(2).is_ok()
            }
            None => true,
        }
    }

    /// Keeps side-table entry `slot`'s value for the history, if the tree has marks: the entry
    /// is being freed, and a leaf of a marked tree may name it.
    pub(crate) fn save_freed_value(&mut self, slot: u32, value: &Rc<[u8]>) {
        if let Some(epoch) = self
            .history
            .0
            .as_mut()
            .and_then(|history| history.epochs.last_mut())
        {
            epoch.freed_values.push((slot, value.clone()));
        }
    }

    /// The tree as it was at `mark`, if there is such a mark.
    pub fn at_mark(&self, mark: usize) -> Option<TreeAt<'_>> {
        let history = self.history.0.as_deref()?;
        let epoch = history.epochs.get(mark)?;
        // Sorted by node, then by time: the first of each node is its earliest saving.
        let earliest = |mut all: Vec<(u32, usize, usize)>| {
            all.sort_unstable();
            all.dedup_by_key(|(key, _, _)| *key);
            all
        };
        let later = || history.epochs.iter().enumerate().skip(mark);
        let saved = earliest(
            later()
                .flat_map(|(e, epoch)| {
                    (epoch.saved.iter().enumerate()).map(move |(s, r)| (r.node.to_bits(), e, s))
                })
                .collect(),
        );
        let freed = earliest(
            later()
                .flat_map(|(e, epoch)| {
                    (epoch.freed_values.iter().enumerate()).map(move |(f, v)| (v.0, e, f))
                })
                .collect(),
        );
        Some(TreeAt {
            tree: self,
            epoch,
            saved,
            freed,
            history,
        })
    }
}

impl TreeAt<'_> {
    /// Entries then.
    pub fn size(&self) -> usize {
        self.epoch.size
    }

    /// The height then.
    pub fn height(&self) -> usize {
        self.epoch.height
    }

    fn saved(&self, node: NodeRef) -> Option<&[u8]> {
        let bits = node.to_bits();
        let at = self
            .saved
            .binary_search_by_key(&bits, |(key, _, _)| *key)
            .ok()?;
        let &(_, e, s) = self.saved.get(at)?;
        let epoch = self.history.epochs.get(e)?;
        let record = epoch.saved.get(s)?;
        let length = if node.is_leaf() {
            self.tree.leaves.stride()
        } else {
            self.tree.internals.stride() + 8
        };
        epoch.bytes.get(record.at..record.at + length)
    }

    /// Side-table entry `slot` as it was at the mark: as the earliest epoch since that freed it
    /// kept it, or as it is.
    fn spilled_value(&self, slot: u32) -> &[u8] {
        let freed = self
            .freed
            .binary_search_by_key(&slot, |(key, _, _)| *key)
            .ok()
            .and_then(|at| self.freed.get(at))
            .and_then(|&(_, e, f)| self.history.epochs.get(e)?.freed_values.get(f));
        match freed {
            Some((_, value)) => value,
            None => self.tree.spilled_entry(slot),
        }
    }

    /// Calls `visit` with every node then, in post-order, as
    /// [`AvlTree::for_each_node`] does for the tree now.
    pub fn for_each_node(&self, visit: impl FnMut(Visit<'_>)) {
        let tree = self.tree;
        let internal = |index: u32| match self.saved(NodeRef::internal(index)) {
            Some(saved) => {
                let (record, children) = saved.split_at(saved.len() - 8);
                InternalView {
                    key: &record[BODY..],
                    left: NodeRef::from_bits(read_u32(children, 0)),
                    right: NodeRef::from_bits(read_u32(children, 4)),
                    balance: record[BALANCE] as i8,
                }
            }
            None => {
                let (left, right, balance) = tree.links(index);
                InternalView {
                    key: tree.key(index),
                    left,
                    right,
                    balance,
                }
            }
        };
        let value = |index: u32| {
            let record = match self.saved(NodeRef::leaf(index)) {
                Some(record) => record,
                None => tree.leaves.get(index),
            };
            match tree.spill_slot(record) {
                Some(slot) => tree.value_in(record, Some(self.spilled_value(slot))),
                None => tree.value_in(record, None),
            }
        };
        post_order(tree, self.epoch.root, internal, value, visit);
    }
}
