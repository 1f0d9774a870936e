//! The batch: what the prover keeps between two proofs (the direction bits, the visited marks,
//! the tree the batch started from), kept here as a journal of the records the batch changed.
//!
//! Every node the batch changes is journaled before its first change: an internal node's children
//! and body (balance, the labels it keeps for its children and their dirty bits), a leaf's value
//! field.
//! Keys change only in one deletion case and are journaled at each change. From the journal:
//!
//! - **the batch's starting tree**, for the proof: swapping every saved record with the current
//!   one, newest first, gives the tree as it was; swapping again, oldest first, gives it back;
//! - **abort**: restoring the saved records, newest first, and the slot counters and the root;
//! - **settle**: clearing the marks of the nodes the batch visited, journaled or made (one list of
//!   them), and freeing the slots the batch removed (which the starting tree still held until
//!   then).
//!
//! A record restored by an abort has the labels it had: labels computed during the batch went
//! only into the bodies the batch changed (saved before), or into bodies whose subtree the batch
//! did not change (right for both trees).

use super::hash::Label;
use super::store::NodeRef;
use super::{
    dirty_bit, key_prefix, read_u32, AvlTree, Side, BALANCE, BODY, INTERNAL_FLAGS, JOURNALED,
    LABELS, LEAF_FLAGS, SLOT_MARKS, VALUE, VISITED,
};

/// A journaled internal node: its children (4 bytes each), then its body.
const SAVED_BODY: usize = 8 + BODY;

/// A child's label as its parent keeps it: the label, and whether it is out of date.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Kept {
    label: Label,
    dirty: bool,
}

/// What becomes of the label a node keeps for a child it is given.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ChildLabel {
    /// Nothing changed there: the label stays (computed afresh if the child is another node).
    Same,
    /// The child changed: its label is computed afresh.
    Recompute,
    /// The child moved here unchanged from a node that kept this for it.
    Carried(Kept),
}

/// The slot counters of the three arenas: high-water mark and free-stack top.
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct SlotState {
    pub(crate) internals: (u32, usize),
    pub(crate) leaves: (u32, usize),
    pub(crate) spills: (u32, usize),
}

/// What a saved record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Saved {
    /// An internal node's children and body.
    Body,
    /// An internal node's key.
    Key,
    /// A leaf's flags and value field.
    Leaf,
}

/// A saved record: its bytes are at `at` in the journal's bytes.
#[derive(Clone, Copy, Debug)]
struct Undo {
    saved: Saved,
    index: u32,
    at: u32,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Batch {
    pub(crate) start_root: NodeRef,
    start_root_label: Label,
    start_root_dirty: bool,
    start_height: usize,
    start_size: usize,
    start_slots: SlotState,
    pub(crate) directions: Vec<u8>,
    pub(crate) direction_bits: usize,
    /// Where the deletion's second walk reads the direction bits.
    pub(crate) replay_index: usize,
    /// The direction bit of the step where the key was found (a deletion's key node).
    pub(crate) last_right_step: usize,
    /// Whether the current walk has passed the node holding its key.
    pub(crate) found: bool,
    /// The [`key_prefix`] of the current operation's key.
    pub(crate) key_prefix: u64,
    journal: Vec<Undo>,
    journal_bytes: Vec<u8>,
    /// Every node the batch visited, journaled or made: whose marks the batch's end clears.
    marked: Vec<NodeRef>,
    freed: Vec<NodeRef>,
    pub(crate) fresh_spills: Vec<u32>,
    pub(crate) freed_spills: Vec<u32>,
}

impl Batch {
    /// A batch starting from `tree` as it is.
    pub(crate) fn new(tree: &AvlTree) -> Batch {
        let mut batch = Batch::default();
        batch.restart(tree);
        batch
    }

    /// Forgets the batch; the next starts from `tree` as it is. Keeps the buffers' capacity.
    fn restart(&mut self, tree: &AvlTree) {
        self.start_root = tree.root;
        self.start_root_label = tree.root_label;
        self.start_root_dirty = tree.root_dirty;
        self.start_height = tree.height;
        self.start_size = tree.size;
        self.start_slots = tree.slot_state();
        self.directions.clear();
        self.direction_bits = 0;
        self.replay_index = 0;
        self.last_right_step = 0;
        self.found = false;
        self.journal.clear();
        self.journal_bytes.clear();
        self.marked.clear();
        self.freed.clear();
        self.fresh_spills.clear();
        self.freed_spills.clear();
    }
}

impl AvlTree {
    /// Marks `node` visited: it will be opened in the batch's proof.
    pub(crate) fn visit(&mut self, node: NodeRef) {
        let flags = self.flags_mut(node);
        let before = *flags;
        *flags = before | VISITED;
        if before & SLOT_MARKS == 0 {
            self.batch.marked.push(node);
        }
    }

    /// Saves leaf `index`'s record if the batch has not yet: its value is about to change.
    pub(crate) fn touch_leaf(&mut self, index: u32) {
        self.save_for_history(NodeRef::leaf(index));
        let record = self.leaves.get_mut(index);
        let before = record[LEAF_FLAGS];
        if before & JOURNALED != 0 {
            return;
        }
        record[LEAF_FLAGS] = before | JOURNALED;
        let at = self.batch.journal_bytes.len() as u32;
        self.batch.journal_bytes.extend_from_slice(record);
        self.batch.journal.push(Undo {
            saved: Saved::Leaf,
            index,
            at,
        });
        if before & VISITED == 0 {
            self.batch.marked.push(NodeRef::leaf(index));
        }
    }

    /// Gives internal node `index` these children and balance (Ergo's `InternalNode::update`),
    /// saving its body first if the batch has not yet; each child comes with what becomes of the
    /// label the node keeps for it. `visit` marks the node visited as well.
    pub(crate) fn update_node(
        &mut self,
        index: u32,
        children: [(NodeRef, ChildLabel); 2],
        balance: i8,
        visit: bool,
    ) {
        self.save_for_history(NodeRef::internal(index));
        let old = *self.node_links(index);
        let body = match self.internals.get(index).first_chunk::<BODY>() {
            Some(body) => body,
            None => unreachable!("an internal record starts with its body"),
        };
        let before = body[INTERNAL_FLAGS];
        if before & JOURNALED == 0 {
            let at = self.batch.journal_bytes.len() as u32;
            let saved = &mut self.batch.journal_bytes;
            saved.extend_from_slice(&old.left.to_bits().to_le_bytes());
            saved.extend_from_slice(&old.right.to_bits().to_le_bytes());
            // Two copies of known lengths, which compile to plain loads and stores (a copy of
            // more than 64 bytes is a call in wasm).
            saved.extend_from_slice(&body[..LABELS]);
            saved.extend_from_slice(&body[LABELS..]);
            self.batch.journal.push(Undo {
                saved: Saved::Body,
                index,
                at,
            });
        }
        let links = self.node_links_mut(index);
        links.left = children[0].0;
        links.right = children[1].0;
        let body = self.body_mut(index);
        let mut flags = before | JOURNALED | if visit { VISITED } else { 0 };
        for (side, (child, label)) in children.iter().enumerate() {
            let moved = *child != if side == 0 { old.left } else { old.right };
            let dirty = dirty_bit(side);
            match label {
                ChildLabel::Same if !moved => {}
                ChildLabel::Same | ChildLabel::Recompute => flags |= dirty,
                ChildLabel::Carried(kept) => {
                    let at = LABELS + 32 * side;
                    body[at..at + 32].copy_from_slice(&kept.label);
                    flags = if kept.dirty {
                        flags | dirty
                    } else {
                        flags & !dirty
                    };
                }
            }
        }
        body[BALANCE] = balance as u8;
        body[INTERNAL_FLAGS] = flags;
        if before & SLOT_MARKS == 0 {
            self.batch.marked.push(NodeRef::internal(index));
        }
    }

    /// What internal node `index` keeps of its child's label, to move it with the child.
    pub(crate) fn kept(&self, index: u32, side: Side) -> Kept {
        Kept {
            label: *self.kept_label(index, side),
            dirty: self.body(index)[INTERNAL_FLAGS] & dirty_bit(side) != 0,
        }
    }

    /// Gives internal node `index` the key of internal node `source` (Ergo's
    /// `InternalNode::update_key`). Keys are not hashed into labels; leaves see them as bounds.
    pub(crate) fn copy_key(&mut self, index: u32, source: u32) {
        self.save_for_history(NodeRef::internal(index));
        let key_length = self.key_length;
        let at = self.batch.journal_bytes.len();
        let journal_bytes = &mut self.batch.journal_bytes;
        journal_bytes.extend_from_slice(&self.internals.get(index)[BODY..]);
        journal_bytes.extend_from_slice(&self.internals.get(source)[BODY..]);
        self.internals.get_mut(index)[BODY..]
            .copy_from_slice(&self.batch.journal_bytes[at + key_length..at + 2 * key_length]);
        self.batch.journal_bytes.truncate(at + key_length);
        self.node_links_mut(index).prefix = self.node_links(source).prefix;
        self.batch.journal.push(Undo {
            saved: Saved::Key,
            index,
            at: at as u32,
        });
    }

    /// A new internal node, or `None` when the arena is full (checked before an operation
    /// starts changing anything).
    pub(crate) fn new_internal(
        &mut self,
        key: &[u8],
        left: NodeRef,
        right: NodeRef,
        balance: i8,
    ) -> Option<u32> {
        let index = self.put_internal(key, left, right, balance)?;
        self.body_mut(index)[INTERNAL_FLAGS] |= JOURNALED;
        self.batch.marked.push(NodeRef::internal(index));
        Some(index)
    }

    /// A new leaf holding `value`, or `None` when the arena is full.
    pub(crate) fn new_leaf(&mut self, value: &[u8]) -> Option<u32> {
        let index = self.put_leaf(value)?;
        self.leaves.get_mut(index)[LEAF_FLAGS] |= JOURNALED;
        self.batch.marked.push(NodeRef::leaf(index));
        Some(index)
    }

    /// Frees `node` when the batch ends: until then the batch's starting tree may hold it.
    pub(crate) fn free_later(&mut self, node: NodeRef) {
        self.batch.freed.push(node);
    }

    /// Makes sure the memory one operation may need can be had, so that the operation cannot
    /// fail half-way for want of it (an allocation failure aborts a WebAssembly instance):
    /// room in the batch's lists for a path's worth of nodes (two walks and the rotations), in
    /// the history likewise, new pages where an arena is full to its last page, and a long value.
    /// `Err` gives the bytes that could not be had.
    pub fn reserve_operation(&mut self, value_length: usize) -> Result<(), usize> {
        let nodes = 4 * (self.height + 4);
        // An internal node's record as the journal or the history saves it: its body record
        // and its children.
        let record = (self.internals.stride() + 8).max(self.leaves.stride());
        let bytes = nodes.saturating_mul(record);
        let batch = &mut self.batch;
        let lists = [
            batch.journal.try_reserve(nodes).is_ok(),
            batch.journal_bytes.try_reserve(bytes).is_ok(),
            batch.marked.try_reserve(nodes).is_ok(),
            batch.freed.try_reserve(4).is_ok(),
            batch.fresh_spills.try_reserve(2).is_ok(),
            batch.freed_spills.try_reserve(2).is_ok(),
            self.spilled.try_reserve(1).is_ok(),
            self.reserve_history(nodes, bytes),
        ];
        if lists.contains(&false) {
            return Err(bytes);
        }
        let pages = self.links.next_page_bytes(self.internal_slots.len)
            + self.internals.next_page_bytes(self.internal_slots.len)
            + self.leaves.next_page_bytes(self.leaf_slots.len);
        let wanted = pages.saturating_add(value_length);
        let mut probe: Vec<u8> = Vec::new();
        probe.try_reserve_exact(wanted).map_err(|_| wanted)
    }

    /// Whether the batch has changed anything or marked anything since it began.
    pub fn in_batch(&self) -> bool {
        !self.batch.marked.is_empty() || !self.batch.journal.is_empty()
    }

    /// Returns to the state where the batch began (the last [`settle`](AvlTree::settle) or
    /// [`generate_proof`](AvlTree::generate_proof)): every operation of the batch is undone and
    /// its marks and direction bits dropped.
    pub fn abort(&mut self) {
        let journal = std::mem::take(&mut self.batch.journal);
        let journal_bytes = std::mem::take(&mut self.batch.journal_bytes);
        let key_length = self.key_length;
        for undo in journal.iter().rev() {
            let at = undo.at as usize;
            match undo.saved {
                Saved::Body => {
                    let saved = &journal_bytes[at..at + SAVED_BODY];
                    let links = self.node_links_mut(undo.index);
                    links.left = NodeRef::from_bits(read_u32(saved, 0));
                    links.right = NodeRef::from_bits(read_u32(saved, 4));
                    self.body_mut(undo.index).copy_from_slice(&saved[8..]);
                }
                Saved::Key => {
                    let saved = &journal_bytes[at..at + key_length];
                    self.internals.get_mut(undo.index)[BODY..].copy_from_slice(saved);
                    self.node_links_mut(undo.index).prefix = key_prefix(saved);
                }
                Saved::Leaf => {
                    let record = self.leaves.get_mut(undo.index);
                    let length = record.len();
                    record.copy_from_slice(&journal_bytes[at..at + length]);
                }
            }
        }
        self.clear_marks();
        for i in 0..self.batch.fresh_spills.len() {
            let slot = self.batch.fresh_spills[i] as usize;
            if let Some(entry) = self.spilled.get_mut(slot) {
                *entry = None;
            }
        }
        let batch = &self.batch;
        (self.internal_slots.len, self.internal_slots.free_top) = batch.start_slots.internals;
        (self.leaf_slots.len, self.leaf_slots.free_top) = batch.start_slots.leaves;
        (self.spill_slots.len, self.spill_slots.free_top) = batch.start_slots.spills;
        self.root = batch.start_root;
        self.root_label = batch.start_root_label;
        self.root_dirty = batch.start_root_dirty;
        self.height = batch.start_height;
        self.size = batch.start_size;
        self.batch.journal = journal;
        self.batch.journal_bytes = journal_bytes;
        self.restart_batch();
    }

    /// Ends the batch without a proof: its changes stay, its marks and direction bits go, and
    /// the slots it freed become reusable.
    pub fn settle(&mut self) {
        self.clear_marks();
        for i in 0..self.batch.freed.len() {
            let node = self.batch.freed[i];
            if node.is_leaf() {
                self.release_spilled_value_later(node.index());
                self.leaf_slots.give_back(node.index());
            } else {
                self.internal_slots.give_back(node.index());
            }
        }
        for i in 0..self.batch.freed_spills.len() {
            let slot = self.batch.freed_spills[i];
            if let Some(value) = self.spilled.get_mut(slot as usize).and_then(Option::take) {
                self.save_freed_value(slot, &value);
            }
            self.spill_slots.give_back(slot);
        }
        self.restart_batch();
    }

    fn restart_batch(&mut self) {
        let mut batch = std::mem::take(&mut self.batch);
        batch.restart(self);
        self.batch = batch;
    }

    /// Clears the marks of the batch on every node it marked (the list is kept, with its
    /// capacity, until the batch restarts).
    fn clear_marks(&mut self) {
        for i in 0..self.batch.marked.len() {
            let node = self.batch.marked[i];
            *self.flags_mut(node) &= !SLOT_MARKS;
        }
    }

    /// Exchanges every journaled record with the current one: newest first, this turns the
    /// current tree into the batch's starting tree; oldest first, it turns it back. The marks
    /// of the batch stay with the slots.
    pub(crate) fn swap_journal(&mut self, newest_first: bool) {
        let journal = std::mem::take(&mut self.batch.journal);
        let mut bytes = std::mem::take(&mut self.batch.journal_bytes);
        if newest_first {
            for undo in journal.iter().rev() {
                self.swap_saved(undo, &mut bytes);
            }
        } else {
            for undo in journal.iter() {
                self.swap_saved(undo, &mut bytes);
            }
        }
        std::mem::swap(&mut self.root, &mut self.batch.start_root);
        std::mem::swap(&mut self.root_label, &mut self.batch.start_root_label);
        std::mem::swap(&mut self.root_dirty, &mut self.batch.start_root_dirty);
        self.batch.journal = journal;
        self.batch.journal_bytes = bytes;
    }

    fn swap_saved(&mut self, undo: &Undo, bytes: &mut [u8]) {
        let at = undo.at as usize;
        let key_length = self.key_length;
        match undo.saved {
            Saved::Body => {
                let saved = &mut bytes[at..at + SAVED_BODY];
                let links = self.node_links_mut(undo.index);
                let (left, right) = (links.left, links.right);
                links.left = NodeRef::from_bits(read_u32(saved, 0));
                links.right = NodeRef::from_bits(read_u32(saved, 4));
                saved[..4].copy_from_slice(&left.to_bits().to_le_bytes());
                saved[4..8].copy_from_slice(&right.to_bits().to_le_bytes());
                let body = self.body_mut(undo.index);
                let marks = body[INTERNAL_FLAGS] & SLOT_MARKS;
                body.swap_with_slice(&mut saved[8..]);
                body[INTERNAL_FLAGS] = (body[INTERNAL_FLAGS] & !SLOT_MARKS) | marks;
            }
            Saved::Key => {
                let saved = &mut bytes[at..at + key_length];
                self.internals.get_mut(undo.index)[BODY..].swap_with_slice(saved);
                let prefix = key_prefix(&self.internals.get(undo.index)[BODY..]);
                self.node_links_mut(undo.index).prefix = prefix;
            }
            Saved::Leaf => {
                let record = self.leaves.get_mut(undo.index);
                let length = record.len();
                record[VALUE..].swap_with_slice(&mut bytes[at + VALUE..at + length]);
            }
        }
    }

    /// Whether `node` was visited in this batch.
    pub(crate) fn visited(&self, node: NodeRef) -> bool {
        self.flags(node) & VISITED != 0
    }

    /// Marks the label of the tree's root to be computed (the root changed or is another node).
    pub(crate) fn root_changed(&mut self) {
        self.root_dirty = true;
    }
}
