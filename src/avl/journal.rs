//! The batch: what the prover keeps between two proofs (the direction bits, the visited marks,
//! the tree the batch started from), kept here as a journal of the records the batch changed.
//!
//! Every node the batch changes is journaled before its first change: an internal node's
//! children and balance, a leaf's value field, and the node's flags. Keys change only in one
//! deletion case and are journaled at each change. From the journal:
//!
//! - **the batch's starting tree**, for the proof: swapping every saved record with the current
//!   one, newest first, gives the tree as it was; swapping again, oldest first, gives it back;
//! - **abort**: restoring the saved records, newest first, and the slot counters;
//! - **settle**: clearing the marks of the nodes the batch visited, journaled or made (one list of
//!   them), and freeing the slots the batch removed (which the starting tree still held until
//!   then).

use super::store::NodeRef;
use super::{
    AvlTree, BALANCE, INTERNAL_FLAGS, JOURNALED, KEY, LEAF_FLAGS, LEFT, RIGHT, STALE, VALUE,
    VISITED,
};

/// The slot counters of the three arenas: high-water mark and free-stack top.
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct SlotState {
    pub(crate) internals: (u32, usize),
    pub(crate) leaves: (u32, usize),
    pub(crate) spills: (u32, usize),
}

/// A saved record.
#[derive(Clone, Copy, Debug)]
enum Undo {
    /// An internal node's children, balance and flags.
    Internal { index: u32, head: [u8; KEY] },
    /// An internal node's key, at `at` in the journal's bytes.
    Key { index: u32, at: u32 },
    /// A leaf's flags and value field, at `at` in the journal's bytes.
    Leaf { index: u32, at: u32 },
}

#[derive(Clone, Debug)]
pub(crate) struct Batch {
    pub(crate) start_root: NodeRef,
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
    journal: Vec<Undo>,
    journal_bytes: Vec<u8>,
    /// Every node the batch visited, journaled or made: whose marks the batch's end clears.
    marked: Vec<NodeRef>,
    freed: Vec<NodeRef>,
    pub(crate) fresh_spills: Vec<u32>,
    pub(crate) freed_spills: Vec<u32>,
    /// Whether labels were recomputed during the batch (then an abort marks every restored node
    /// stale, since its label may have been overwritten).
    pub(crate) labels_refreshed: bool,
}

impl Batch {
    pub(crate) fn new(root: NodeRef, height: usize, size: usize, slots: &SlotState) -> Batch {
        Batch {
            start_root: root,
            start_height: height,
            start_size: size,
            start_slots: *slots,
            directions: Vec::new(),
            direction_bits: 0,
            replay_index: 0,
            last_right_step: 0,
            found: false,
            journal: Vec::new(),
            journal_bytes: Vec::new(),
            marked: Vec::new(),
            freed: Vec::new(),
            fresh_spills: Vec::new(),
            freed_spills: Vec::new(),
            labels_refreshed: false,
        }
    }

    pub(crate) fn has_changes(&self) -> bool {
        !self.journal.is_empty()
    }

    /// Forgets the batch; the next starts from the given state. Keeps the buffers' capacity.
    fn restart(&mut self, root: NodeRef, height: usize, size: usize, slots: SlotState) {
        self.start_root = root;
        self.start_height = height;
        self.start_size = size;
        self.start_slots = slots;
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
        self.labels_refreshed = false;
    }
}

impl AvlTree {
    /// Marks `node` visited: it will be opened in the batch's proof.
    pub(crate) fn visit(&mut self, node: NodeRef) {
        let flags = self.flags_mut(node);
        let before = *flags;
        *flags = before | VISITED;
        if before & (VISITED | JOURNALED) == 0 {
            self.batch.marked.push(node);
        }
    }

    /// Saves `node`'s record if the batch has not yet, and marks its label stale: its content or
    /// its place is about to change.
    pub(crate) fn touch(&mut self, node: NodeRef) {
        let index = node.index();
        let before = if node.is_leaf() {
            let record = self.leaves.get_mut(index);
            let before = record[LEAF_FLAGS];
            record[LEAF_FLAGS] = before | JOURNALED | STALE;
            if before & JOURNALED == 0 {
                let at = self.batch.journal_bytes.len() as u32;
                self.batch.journal_bytes.extend_from_slice(record);
                self.batch.journal.push(Undo::Leaf { index, at });
            }
            before
        } else {
            self.touch_internal(index, 0)
        };
        if before & (VISITED | JOURNALED) == 0 {
            self.batch.marked.push(node);
        }
    }

    /// [`touch`](AvlTree::touch) for an internal node, adding `marks` to its flags; returns its
    /// flags before. Does not record the node in `marked`.
    fn touch_internal(&mut self, index: u32, marks: u8) -> u8 {
        let record = self.internals.get_mut(index);
        let before = record[INTERNAL_FLAGS];
        if before & JOURNALED == 0 {
            let mut head = [0u8; KEY];
            head.copy_from_slice(&record[..KEY]);
            record[INTERNAL_FLAGS] = head[INTERNAL_FLAGS] | JOURNALED | STALE | marks;
            self.batch.journal.push(Undo::Internal { index, head });
        } else {
            record[INTERNAL_FLAGS] = before | STALE | marks;
        }
        before
    }

    /// Gives internal node `index` these children and balance (Ergo's `InternalNode::update`);
    /// `visit` marks it visited as well.
    pub(crate) fn update_node(
        &mut self,
        index: u32,
        left: NodeRef,
        right: NodeRef,
        balance: i8,
        visit: bool,
    ) {
        let before = self.touch_internal(index, if visit { VISITED } else { 0 });
        let record = self.internals.get_mut(index);
        record[LEFT..LEFT + 4].copy_from_slice(&left.to_bits().to_le_bytes());
        record[RIGHT..RIGHT + 4].copy_from_slice(&right.to_bits().to_le_bytes());
        record[BALANCE] = balance as u8;
        if before & (VISITED | JOURNALED) == 0 {
            self.batch.marked.push(NodeRef::internal(index));
        }
    }

    /// Gives internal node `index` these children and balance (Ergo's `InternalNode::update`).
    pub(crate) fn update(&mut self, index: u32, left: NodeRef, right: NodeRef, balance: i8) {
        self.update_node(index, left, right, balance, false);
    }

    /// Gives internal node `index` the key of internal node `source` (Ergo's
    /// `InternalNode::update_key`).
    pub(crate) fn copy_key(&mut self, index: u32, source: u32) {
        self.touch(NodeRef::internal(index));
        let at = self.batch.journal_bytes.len() as u32;
        self.batch
            .journal_bytes
            .extend_from_slice(&self.internals.get(index)[KEY..]);
        self.batch.journal.push(Undo::Key { index, at });
        let start = self.batch.journal_bytes.len();
        self.batch
            .journal_bytes
            .extend_from_slice(&self.internals.get(source)[KEY..]);
        let key_length = self.key_length;
        self.internals.get_mut(index)[KEY..]
            .copy_from_slice(&self.batch.journal_bytes[start..start + key_length]);
        self.batch.journal_bytes.truncate(start);
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
        self.internals.get_mut(index)[INTERNAL_FLAGS] |= JOURNALED;
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

    /// Whether the batch has changed anything or marked anything since it began.
    pub fn in_batch(&self) -> bool {
        !self.batch.marked.is_empty()
    }

    /// Returns to the state where the batch began (the last [`settle`](AvlTree::settle) or
    /// [`generate_proof`](AvlTree::generate_proof)): every operation of the batch is undone and
    /// its marks and direction bits dropped. Labels the batch had recomputed are marked stale
    /// again.
    pub fn abort(&mut self) {
        let journal = std::mem::take(&mut self.batch.journal);
        let journal_bytes = std::mem::take(&mut self.batch.journal_bytes);
        let refreshed = self.batch.labels_refreshed;
        // Flags to give a restored node: none of the batch's marks, and its label stale if the
        // batch may have overwritten it.
        let restored = |saved: u8| {
            if refreshed {
                STALE
            } else {
                saved & STALE
            }
        };
        let key_length = self.key_length;
        for undo in journal.iter().rev() {
            match *undo {
                Undo::Internal { index, head } => {
                    let record = self.internals.get_mut(index);
                    record[..INTERNAL_FLAGS].copy_from_slice(&head[..INTERNAL_FLAGS]);
                    record[INTERNAL_FLAGS] = restored(head[INTERNAL_FLAGS]);
                }
                Undo::Key { index, at } => {
                    let at = at as usize;
                    self.internals.get_mut(index)[KEY..]
                        .copy_from_slice(&journal_bytes[at..at + key_length]);
                }
                Undo::Leaf { index, at } => {
                    let at = at as usize;
                    let record = self.leaves.get_mut(index);
                    let length = record.len();
                    record.copy_from_slice(&journal_bytes[at..at + length]);
                    record[LEAF_FLAGS] = restored(journal_bytes[at]);
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
        let start = self.batch.start_slots;
        (self.internal_slots.len, self.internal_slots.free_top) = start.internals;
        (self.leaf_slots.len, self.leaf_slots.free_top) = start.leaves;
        (self.spill_slots.len, self.spill_slots.free_top) = start.spills;
        self.root = self.batch.start_root;
        self.height = self.batch.start_height;
        self.size = self.batch.start_size;
        self.batch.journal = journal;
        self.batch.journal_bytes = journal_bytes;
        self.batch
            .restart(self.root, self.height, self.size, self.slot_state());
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
            if let Some(entry) = self.spilled.get_mut(slot as usize) {
                *entry = None;
            }
            self.spill_slots.give_back(slot);
        }
        self.batch
            .restart(self.root, self.height, self.size, self.slot_state());
    }

    /// Clears the marks of the batch on every node it marked (the list is kept, with its
    /// capacity, until the batch restarts).
    fn clear_marks(&mut self) {
        for i in 0..self.batch.marked.len() {
            let node = self.batch.marked[i];
            *self.flags_mut(node) &= !(VISITED | JOURNALED);
        }
    }

    /// Exchanges every journaled record with the current one: newest first, this turns the
    /// current tree into the batch's starting tree; oldest first, it turns it back. Flags stay
    /// with the slots.
    pub(crate) fn swap_journal(&mut self, newest_first: bool) {
        let mut journal = std::mem::take(&mut self.batch.journal);
        let mut bytes = std::mem::take(&mut self.batch.journal_bytes);
        if newest_first {
            for undo in journal.iter_mut().rev() {
                self.swap_saved(undo, &mut bytes);
            }
        } else {
            for undo in journal.iter_mut() {
                self.swap_saved(undo, &mut bytes);
            }
        }
        self.batch.journal = journal;
        self.batch.journal_bytes = bytes;
    }

    fn swap_saved(&mut self, undo: &mut Undo, bytes: &mut [u8]) {
        match undo {
            Undo::Internal { index, head } => {
                self.internals.get_mut(*index)[..INTERNAL_FLAGS]
                    .swap_with_slice(&mut head[..INTERNAL_FLAGS]);
            }
            Undo::Key { index, at } => {
                let at = *at as usize;
                let key_length = self.key_length;
                self.internals.get_mut(*index)[KEY..]
                    .swap_with_slice(&mut bytes[at..at + key_length]);
            }
            Undo::Leaf { index, at } => {
                let at = *at as usize;
                let record = self.leaves.get_mut(*index);
                let length = record.len();
                record[VALUE..].swap_with_slice(&mut bytes[at + VALUE..at + length]);
            }
        }
    }

    /// The starting root of the batch, for the proof.
    pub(crate) fn batch_root(&self) -> NodeRef {
        self.batch.start_root
    }

    /// Whether `node` was visited in this batch.
    pub(crate) fn visited(&self, node: NodeRef) -> bool {
        self.flags(node) & VISITED != 0
    }
}
