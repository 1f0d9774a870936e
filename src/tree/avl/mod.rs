//! Our authenticated AVL+ tree: Ergo's `BatchAVLProver` (scrypto, `ergo_avltree_rust`) in flat
//! arenas, with the same digests after every operation and the same proof bytes for every batch.
//!
//! Not part of the crate's API: [`Tree`](crate::Tree) is. It is public (and hidden) only so that
//! the differential tests and the fuzz target can drive it beside `ergo_avltree_rust`.
//!
//! # Layout
//!
//! Internal nodes and leaves live in arenas of fixed-size records addressed by `u32` ([`store`]);
//! a child reference tells the two apart by its top bit. An internal node is two records at the
//! same index: its links ([`Links`]: its children and the first eight bytes of its key, 16 bytes)
//! and its body (its balance, a flags byte, its children's labels, and its key: the smallest key
//! of its right subtree, as in Ergo). A walk down reads the links alone, except at the node that
//! holds the key sought: a million nodes' links take 16 MB where whole nodes take 106, so the
//! walks of a large tree stay in the caches instead of waiting on memory at every level. A leaf
//! holds a flags byte and its value (inline for fixed-length values; for variable-length ones,
//! inline up to [`INLINE_VALUE`] bytes, else in a side table). A node's label is kept by its
//! parent (the root's by the tree): hashing a node reads its own body alone, and its label goes
//! to its parent's body, which the walk back up has just read. A leaf stores neither its key nor
//! its next leaf's key: in an AVL+ tree they are the keys of the nearest ancestors whose right
//! and left subtree, respectively, hold the leaf (the sentinels at the edges), so every walk from
//! the root knows them. For 32-byte keys and 8-byte values an entry (one leaf, one internal node)
//! takes 16 + 98 + 9 = 123 bytes.
//!
//! # Operations and batches
//!
//! Ergo's prover copies every node it changes and keeps the tree of the batch's start for the
//! proof. Here nodes change in place, and the first change of a node in a batch saves its record
//! in a journal ([`journal`]), which gives three things without copying the tree: the batch's
//! starting tree for the proof (swap the saved records in, pack, swap them back), all-or-nothing
//! batches ([`AvlTree::abort`] restores them), and cheap settling (forget them). A node keeps its
//! slot when it changes, so the slot stands for the node object the prover would have copied, and
//! the "visited" mark the proof needs is a bit of the slot. Freed slots wait until the batch ends
//! before they are reused, since the batch's starting tree still holds them.
//!
//! The operations ([`operate`]) follow `authenticated_tree_ops.rs` step for step: the same
//! comparisons and direction bits, the same rotations and balances, the same deletion procedure
//! (with the second walk replaying the direction bits), the same nodes marked visited. Where the
//! prover gives a leaf a new key and value (deletion copies a leaf into the place of another),
//! the leaf's slot moves there instead: the keys are implicit, and the tree is the same.
//!
//! Labels are computed lazily, like the prover's: a change marks the label its parent keeps as
//! dirty, and [`AvlTree::refresh_labels`] (or [`AvlTree::digest`]) hashes exactly the dirty ones.
//!
//! # Clones
//!
//! Pages of records are shared between clones and copied on first write, so a clone costs one
//! reference count per page of [`store::PAGE`] slots (about 16,000 for a million entries), and
//! afterwards each side pays a page copy (a few KB) the first time it writes to a page the other
//! still holds.

pub(crate) mod hash;
mod history;
mod journal;
mod operate;
mod proof;
pub(crate) mod store;
mod walk;

pub use history::TreeAt;
pub use walk::{BuildError, TreeBuilder, Visit};

/// blake2b256 of an internal node's encoding, as the tree hashes it (for benchmarks: the unit
/// of the hashing limit).
pub fn internal_node_label(balance: i8, left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    hash::internal_label(balance, left, right)
}

/// blake2b256 of a leaf's encoding, as the tree hashes it (for benchmarks).
pub fn leaf_node_label(key: &[u8], value: &[u8], next_key: &[u8]) -> [u8; 32] {
    hash::leaf_label(key, value, next_key)
}

use hash::Label;
use journal::Batch;
use std::cmp::Ordering;
use std::rc::Rc;
use store::{NodeRef, Pages, Slots, TypedPages, NO_NODE};

/// Variable-length values up to this many bytes are stored in the leaf itself.
pub const INLINE_VALUE: usize = 8;

/// The flags byte of a node: visited in this batch (it will be opened in the proof).
const VISITED: u8 = 1;
/// The node's record as it was at the batch's start is in the journal (or the node is new).
const JOURNALED: u8 = 2;
/// The label an internal node keeps for its left (right) child is out of date.
const LEFT_DIRTY: u8 = 4;
const RIGHT_DIRTY: u8 = 8;
/// The marks that belong to a slot for the batch, not to the content.
const SLOT_MARKS: u8 = VISITED | JOURNALED;
/// The record is saved in the history's current epoch (see `history.rs`).
const EPOCH: u8 = 16;

/// An internal node's body record: balance (1), flags (1), left child's label (32), right child's
/// label (32), then its key. Offsets in the record; the part before the key is the body proper.
const BALANCE: usize = 0;
const INTERNAL_FLAGS: usize = 1;
const LABELS: usize = 2;
const BODY: usize = LABELS + 64;

/// An internal node's links: what a walk down reads at each level, kept apart from its body (see
/// "Layout" above).
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct Links {
    /// [`key_prefix`] of the node's key.
    prefix: u64,
    left: NodeRef,
    right: NodeRef,
}

/// The first eight bytes of `key` as a big-endian number (zeros past the end of a shorter key).
/// Two keys of the same length whose prefixes differ compare as their prefixes do; only equal
/// prefixes need the keys themselves.
#[inline]
pub(crate) fn key_prefix(key: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    let length = key.len().min(8);
    word[..length].copy_from_slice(&key[..length]);
    u64::from_be_bytes(word)
}
/// Leaf record: flags (1), value field.
const LEAF_FLAGS: usize = 0;
const VALUE: usize = 1;
/// The first byte of a variable-length value field when the value is in the side table.
const SPILLED: u8 = 0xff;

/// Which child: 0 left, 1 right.
type Side = usize;

fn dirty_bit(side: Side) -> u8 {
    if side == 0 {
        LEFT_DIRTY
    } else {
        RIGHT_DIRTY
    }
}

/// One operation, as Ergo's `Operation` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op<'a> {
    /// The value of a key; changes nothing.
    Lookup(&'a [u8]),
    /// Adds a key; fails if it is present.
    Insert(&'a [u8], &'a [u8]),
    /// Replaces a value; fails if the key is absent.
    Update(&'a [u8], &'a [u8]),
    /// Adds a key or replaces its value.
    InsertOrUpdate(&'a [u8], &'a [u8]),
    /// Removes a key; fails if it is absent.
    Remove(&'a [u8]),
    /// Removes a key if it is present.
    RemoveIfExists(&'a [u8]),
}

impl<'a> Op<'a> {
    /// The key the operation acts on.
    pub fn key(&self) -> &'a [u8] {
        match *self {
            Op::Lookup(key)
            | Op::Insert(key, _)
            | Op::Update(key, _)
            | Op::InsertOrUpdate(key, _)
            | Op::Remove(key)
            | Op::RemoveIfExists(key) => key,
        }
    }

    /// The value the operation writes, if any.
    pub fn value(&self) -> Option<&'a [u8]> {
        match *self {
            Op::Insert(_, value) | Op::Update(_, value) | Op::InsertOrUpdate(_, value) => {
                Some(value)
            }
            Op::Lookup(_) | Op::Remove(_) | Op::RemoveIfExists(_) => None,
        }
    }
}

/// Why an operation did nothing. Like the prover's failures, a failed operation leaves the tree
/// and the batch exactly as they were.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpError {
    /// The key is not of the tree's key length.
    KeyLength,
    /// The key is one of the two sentinel keys (all 0x00, all 0xFF).
    KeyReserved,
    /// The value is not of the tree's fixed length, or longer than a proof can carry.
    ValueLength,
    /// An insert of a present key.
    KeyExists,
    /// An update or remove of an absent key.
    KeyNotFound,
    /// The tree holds 2³¹ − 1 nodes of a kind.
    Full,
    /// The previous value (this many bytes) could not be copied out: no memory for it.
    OutOfMemory(usize),
}

/// An authenticated AVL+ tree whose digests and proofs are those of Ergo's `BatchAVLProver`.
///
/// Operations are grouped in batches, as in the prover: [`perform`](AvlTree::perform) applies
/// one, [`generate_proof`](AvlTree::generate_proof) ends the batch with the proof of its
/// operations, [`settle`](AvlTree::settle) ends it without one, and [`abort`](AvlTree::abort)
/// returns to the state where it began.
#[derive(Clone)]
pub struct AvlTree {
    key_length: usize,
    value_length: Option<usize>,
    links: TypedPages<Links>,
    internals: Pages<u8>,
    internal_slots: Slots,
    leaves: Pages<u8>,
    leaf_slots: Slots,
    /// Variable-length values longer than [`INLINE_VALUE`]; `None` for a free entry.
    spilled: Vec<Option<Rc<[u8]>>>,
    spill_slots: Slots,
    negative_infinity: Box<[u8]>,
    positive_infinity: Box<[u8]>,
    root: NodeRef,
    /// The root's label, when `root_dirty` is false.
    root_label: Label,
    root_dirty: bool,
    height: usize,
    size: usize,
    batch: Batch,
    history: history::HistorySlot,
    /// Whether some record may carry an `EPOCH` flag (set by saving, cleared by a first mark).
    saved_flags: bool,
}

impl AvlTree {
    /// An empty tree: the sentinel leaf alone (all-zero key, a zero or empty value). `key_length`
    /// must be at least 1.
    pub fn new(key_length: usize, value_length: Option<usize>) -> AvlTree {
        let mut tree = AvlTree::without_nodes(key_length, value_length);
        let sentinel_value = vec![0u8; value_length.unwrap_or(0)];
        // A tree without nodes has room for one leaf.
        let leaf = tree.put_leaf(&sentinel_value).unwrap_or(0);
        tree.root = NodeRef::leaf(leaf);
        tree.start_first_batch();
        tree
    }

    /// Computes every label and starts a batch from the tree as it is.
    fn start_first_batch(&mut self) {
        self.root_dirty = true;
        self.refresh_labels();
        self.batch = Batch::new(self);
    }

    /// A tree with no nodes at all, for [`TreeBuilder`].
    fn without_nodes(key_length: usize, value_length: Option<usize>) -> AvlTree {
        let value_field = match value_length {
            Some(length) => length,
            None => 1 + INLINE_VALUE,
        };
        AvlTree {
            key_length,
            value_length,
            links: TypedPages::new(),
            internals: Pages::new(BODY + key_length),
            internal_slots: Slots::default(),
            leaves: Pages::new(VALUE + value_field),
            leaf_slots: Slots::default(),
            spilled: Vec::new(),
            spill_slots: Slots::default(),
            negative_infinity: vec![0u8; key_length].into_boxed_slice(),
            positive_infinity: vec![0xffu8; key_length].into_boxed_slice(),
            root: NodeRef::leaf(0),
            root_label: [0; 32],
            root_dirty: true,
            height: 0,
            size: 0,
            batch: Batch::default(),
            history: history::HistorySlot::default(),
            saved_flags: false,
        }
    }

    /// The key length.
    pub fn key_length(&self) -> usize {
        self.key_length
    }

    /// The fixed value length, if values have one.
    pub fn value_length(&self) -> Option<usize> {
        self.value_length
    }

    /// Entries in the tree (the sentinel leaf not counted).
    pub fn size(&self) -> usize {
        self.size
    }

    /// The tree's height: 0 for the sentinel leaf alone.
    pub fn height(&self) -> usize {
        self.height
    }

    /// The digest: the root's label and the height as one byte. Hashes any dirty label on the
    /// way without keeping it; [`refresh_labels`](AvlTree::refresh_labels) first keeps them.
    pub fn digest(&self) -> [u8; 33] {
        let mut digest = [0u8; 33];
        let label = if self.root_dirty {
            self.label_of(self.root, NO_NODE, NO_NODE)
        } else {
            self.root_label
        };
        digest[..32].copy_from_slice(&label);
        digest[32] = self.height as u8;
        digest
    }

    /// Computes and keeps every dirty label, so that [`digest`](AvlTree::digest) and proofs
    /// hash nothing more.
    pub fn refresh_labels(&mut self) {
        if self.root_dirty {
            self.root_label = self.fresh_label(self.root, NO_NODE, NO_NODE);
            self.root_dirty = false;
        }
    }

    /// The value of `key`, if present (a plain lookup: no proof, nothing marked).
    pub fn get(&self, key: &[u8]) -> Option<&[u8]> {
        if key.len() != self.key_length {
            return None;
        }
        let prefix = key_prefix(key);
        let mut node = self.root;
        let mut found = false;
        while !node.is_leaf() {
            let index = node.index();
            let go_left = found || {
                match self.compare_at(key, prefix, index) {
                    Ordering::Equal => {
                        found = true;
                        false
                    }
                    Ordering::Less => true,
                    Ordering::Greater => false,
                }
            };
            node = if go_left {
                self.left(index)
            } else {
                self.right(index)
            };
        }
        found.then(|| self.value(node.index()))
    }

    /// Bytes held by the arenas (pages, including unused slots of the last page).
    pub fn arena_bytes(&self) -> usize {
        self.links.allocated_bytes()
            + self.internals.allocated_bytes()
            + self.leaves.allocated_bytes()
    }

    // --- records ---

    /// An internal node's body record (body, then key).
    #[inline]
    fn internal_record(&self, index: u32) -> &[u8] {
        self.internals.get(index)
    }

    #[inline]
    fn leaf_record(&self, index: u32) -> &[u8] {
        self.leaves.get(index)
    }

    #[inline]
    fn leaf_record_mut(&mut self, index: u32) -> &mut [u8] {
        self.leaves.get_mut(index)
    }

    /// An internal node's links.
    #[inline(always)]
    fn node_links(&self, index: u32) -> &Links {
        self.links.get(index)
    }

    #[inline(always)]
    fn node_links_mut(&mut self, index: u32) -> &mut Links {
        self.links.get_mut(index)
    }

    /// An internal node's body: everything but its links and key.
    #[inline(always)]
    fn body(&self, index: u32) -> &[u8; BODY] {
        match self.internals.get(index).first_chunk::<BODY>() {
            Some(body) => body,
            None => unreachable!("an internal record starts with its body"),
        }
    }

    #[inline(always)]
    fn body_mut(&mut self, index: u32) -> &mut [u8; BODY] {
        match self.internals.get_mut(index).first_chunk_mut::<BODY>() {
            Some(body) => body,
            None => unreachable!("an internal record starts with its body"),
        }
    }

    /// An internal node's children and balance.
    #[inline(always)]
    fn links(&self, index: u32) -> (NodeRef, NodeRef, i8) {
        let links = self.node_links(index);
        (links.left, links.right, self.balance(index))
    }

    #[inline]
    fn left(&self, index: u32) -> NodeRef {
        self.node_links(index).left
    }

    #[inline]
    fn right(&self, index: u32) -> NodeRef {
        self.node_links(index).right
    }

    #[inline]
    fn child(&self, index: u32, side: Side) -> NodeRef {
        let links = self.node_links(index);
        if side == 0 {
            links.left
        } else {
            links.right
        }
    }

    #[inline]
    fn balance(&self, index: u32) -> i8 {
        self.body(index)[BALANCE] as i8
    }

    #[inline]
    fn key(&self, index: u32) -> &[u8] {
        &self.internal_record(index)[BODY..]
    }

    /// `key` (whose [`key_prefix`] is `prefix`) against internal node `index`'s key: the links'
    /// prefixes decide unless they are equal.
    #[inline(always)]
    fn compare_at(&self, key: &[u8], prefix: u64, index: u32) -> Ordering {
        let node = self.node_links(index).prefix;
        if prefix != node {
            return prefix.cmp(&node);
        }
        operate::compare_keys(key, self.key(index))
    }

    /// The label an internal node keeps for a child (up to date unless its dirty bit is set).
    #[inline]
    fn kept_label(&self, index: u32, side: Side) -> &Label {
        let at = LABELS + 32 * side;
        let label: &[u8] = &self.body(index)[at..at + 32];
        // Exactly 32 bytes: the conversion cannot fail.
        <&Label>::try_from(label).unwrap_or(&[0; 32])
    }

    /// The key an internal node stands for as a bound, or the sentinel key of that side.
    #[inline]
    fn bound_key(&self, bound: u32, low: bool) -> &[u8] {
        match (bound, low) {
            (NO_NODE, true) => &self.negative_infinity,
            (NO_NODE, false) => &self.positive_infinity,
            _ => self.key(bound),
        }
    }

    #[inline(always)]
    fn flags(&self, node: NodeRef) -> u8 {
        if node.is_leaf() {
            self.leaf_record(node.index())[LEAF_FLAGS]
        } else {
            self.body(node.index())[INTERNAL_FLAGS]
        }
    }

    #[inline(always)]
    fn flags_mut(&mut self, node: NodeRef) -> &mut u8 {
        if node.is_leaf() {
            &mut self.leaf_record_mut(node.index())[LEAF_FLAGS]
        } else {
            &mut self.body_mut(node.index())[INTERNAL_FLAGS]
        }
    }

    /// A leaf's value.
    #[inline]
    fn value(&self, index: u32) -> &[u8] {
        let record = self.leaf_record(index);
        match self.spill_slot(record) {
            Some(slot) => self.value_in(record, Some(self.spilled_entry(slot))),
            None => self.value_in(record, None),
        }
    }

    /// The side-table entry a leaf record names, if its value is there.
    #[inline]
    fn spill_slot(&self, record: &[u8]) -> Option<u32> {
        (self.value_length.is_none() && record[VALUE] == SPILLED)
            .then(|| read_u32(record, VALUE + 1))
    }

    /// A side-table entry's value (empty for a free entry).
    fn spilled_entry(&self, slot: u32) -> &[u8] {
        match self.spilled.get(slot as usize) {
            Some(Some(value)) => value,
            _ => &[],
        }
    }

    /// The value a leaf record holds; `spilled` is the side-table entry it names, if it names
    /// one.
    fn value_in<'a>(&self, record: &'a [u8], spilled: Option<&'a [u8]>) -> &'a [u8] {
        let field = &record[VALUE..];
        if self.value_length.is_some() {
            return field;
        }
        match field[0] {
            SPILLED => spilled.unwrap_or(&[]),
            length => &field[1..1 + usize::from(length).min(INLINE_VALUE)],
        }
    }

    /// Writes a leaf's value field (the caller has journaled the leaf). A long variable-length
    /// value goes to a new side-table entry; the entry it replaces is freed when the batch ends.
    fn write_value(&mut self, index: u32, value: &[u8]) {
        if self.value_length.is_some() {
            self.leaf_record_mut(index)[VALUE..].copy_from_slice(value);
            return;
        }
        self.release_spilled_value_later(index);
        let mut field = [0u8; 1 + INLINE_VALUE];
        if value.len() <= INLINE_VALUE {
            field[0] = value.len() as u8;
            field[1..1 + value.len()].copy_from_slice(value);
        } else {
            let slot = self.spill(value);
            field[0] = SPILLED;
            field[1..5].copy_from_slice(&slot.to_le_bytes());
        }
        self.leaf_record_mut(index)[VALUE..].copy_from_slice(&field);
    }

    /// Writes a new internal node into a free slot, outside any journal; both its children's
    /// labels are to be computed.
    fn put_internal(
        &mut self,
        key: &[u8],
        left: NodeRef,
        right: NodeRef,
        balance: i8,
    ) -> Option<u32> {
        let index = self.internal_slots.take()?;
        self.links.ensure(index);
        self.internals.ensure(index);
        self.save_for_history(NodeRef::internal(index));
        *self.node_links_mut(index) = Links {
            prefix: key_prefix(key),
            left,
            right,
        };
        let record = self.internals.get_mut(index);
        record[BODY..].copy_from_slice(key);
        record[BALANCE] = balance as u8;
        record[INTERNAL_FLAGS] = (record[INTERNAL_FLAGS] & EPOCH) | LEFT_DIRTY | RIGHT_DIRTY;
        Some(index)
    }

    /// Writes a new leaf into a free slot, outside any journal.
    fn put_leaf(&mut self, value: &[u8]) -> Option<u32> {
        let index = self.leaf_slots.take()?;
        self.leaves.ensure(index);
        self.save_for_history(NodeRef::leaf(index));
        let record = self.leaves.get_mut(index);
        let epoch = record[LEAF_FLAGS] & EPOCH;
        record.fill(0);
        record[LEAF_FLAGS] = epoch;
        self.write_value(index, value);
        Some(index)
    }

    fn spill(&mut self, value: &[u8]) -> u32 {
        // Slots of the side table are bounded by the leaves' (one entry per leaf at most, plus
        // the batch's replaced ones), so this never runs out before the leaves do.
        let slot = self.spill_slots.take().unwrap_or(0);
        let value: Rc<[u8]> = Rc::from(value);
        match self.spilled.get_mut(slot as usize) {
            Some(entry) => *entry = Some(value),
            None => self.spilled.push(Some(value)),
        }
        self.batch.fresh_spills.push(slot);
        slot
    }

    /// If the leaf's value is in the side table, frees that entry when the batch ends.
    fn release_spilled_value_later(&mut self, index: u32) {
        if self.value_length.is_some() {
            return;
        }
        let field = &self.leaf_record(index)[VALUE..];
        if field[0] == SPILLED {
            let slot = read_u32(field, 1);
            self.batch.freed_spills.push(slot);
        }
    }

    // --- labels ---

    /// The label of `node`, whose subtree's keys lie between the bounds `low` and `high`
    /// (internal node indices, or [`NO_NODE`] for the sentinels), computing without keeping
    /// whatever is dirty.
    fn label_of(&self, node: NodeRef, low: u32, high: u32) -> Label {
        let index = node.index();
        if node.is_leaf() {
            return self.leaf_label(index, low, high);
        }
        let left = self.child_label_of(index, 0, low, high);
        let right = self.child_label_of(index, 1, low, high);
        hash::internal_label(self.balance(index), &left, &right)
    }

    /// The label of a child of internal node `index` (in the subtree bounded by `low`, `high`).
    fn child_label_of(&self, index: u32, side: Side, low: u32, high: u32) -> Label {
        if self.body(index)[INTERNAL_FLAGS] & dirty_bit(side) == 0 {
            return *self.kept_label(index, side);
        }
        let (low, high) = if side == 0 {
            (low, index)
        } else {
            (index, high)
        };
        self.label_of(self.child(index, side), low, high)
    }

    /// Like [`label_of`](AvlTree::label_of), keeping every label it computes.
    fn fresh_label(&mut self, node: NodeRef, low: u32, high: u32) -> Label {
        let index = node.index();
        if node.is_leaf() {
            return self.leaf_label(index, low, high);
        }
        let flags = self.body(index)[INTERNAL_FLAGS];
        if flags & LEFT_DIRTY != 0 {
            self.refresh_child(index, 0, low, high);
        }
        if flags & RIGHT_DIRTY != 0 {
            self.refresh_child(index, 1, low, high);
        }
        let body = self.body(index);
        let mut left = [0u8; 32];
        let mut right = [0u8; 32];
        left.copy_from_slice(&body[LABELS..LABELS + 32]);
        right.copy_from_slice(&body[LABELS + 32..LABELS + 64]);
        hash::internal_label(body[BALANCE] as i8, &left, &right)
    }

    /// Computes the label internal node `index` keeps for a child, and keeps it.
    fn refresh_child(&mut self, index: u32, side: Side, low: u32, high: u32) {
        let (low, high) = if side == 0 {
            (low, index)
        } else {
            (index, high)
        };
        let label = self.fresh_label(self.child(index, side), low, high);
        let body = self.body_mut(index);
        let at = LABELS + 32 * side;
        body[at..at + 32].copy_from_slice(&label);
        body[INTERNAL_FLAGS] &= !dirty_bit(side);
    }

    /// A leaf's label: its key and next key are the bounds of its place.
    fn leaf_label(&self, index: u32, low: u32, high: u32) -> Label {
        hash::leaf_label(
            self.bound_key(low, true),
            self.value(index),
            self.bound_key(high, false),
        )
    }

    fn slot_state(&self) -> journal::SlotState {
        journal::SlotState {
            internals: (self.internal_slots.len, self.internal_slots.free_top),
            leaves: (self.leaf_slots.len, self.leaf_slots.free_top),
            spills: (self.spill_slots.len, self.spill_slots.free_top),
        }
    }
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(word)
}

impl std::fmt::Debug for AvlTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AvlTree")
            .field("key_length", &self.key_length)
            .field("value_length", &self.value_length)
            .field("size", &self.size)
            .field("height", &self.height)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An entry of a Basis-sized tree (32-byte keys, 8-byte values) is one internal node (16
    /// bytes of links, 98 of body) and one leaf (9): the arenas hold at most 128 bytes per entry,
    /// pages included.
    #[test]
    fn an_entry_takes_at_most_128_bytes() {
        let mut tree = AvlTree::new(32, Some(8));
        let mut old = Vec::new();
        for i in 1u64..=20_000 {
            let mut key = [0u8; 32];
            key[..8].copy_from_slice(&i.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_be_bytes());
            key[8..16].copy_from_slice(&i.to_be_bytes());
            tree.perform(Op::Insert(&key, &i.to_be_bytes()), &mut old)
                .unwrap();
            tree.settle();
        }
        let per_entry = tree.arena_bytes() / tree.size();
        assert!(per_entry <= 128, "{per_entry} bytes per entry");
    }
}
