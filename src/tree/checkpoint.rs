//! A checkpoint: a named state of a tree in its log, as a snapshot records it.

use crate::digest::Digest;

/// A named point in the log: the state after record `sequence`.
///
/// [`TreeStorage::checkpoint`](crate::TreeStorage::checkpoint) takes one; a snapshot written for
/// it ([`TreeStorage::checkpoint_snapshot`](crate::TreeStorage::checkpoint_snapshot)) carries it,
/// and [`Snapshot::checkpoint`](crate::Snapshot::checkpoint) gives it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// 1 for the first checkpoint of a storage, then 2, 3, …
    pub id: u64,
    /// The sequence number of the last record included (0 before any record).
    pub sequence: u64,
    /// The time the caller gave when taking it.
    pub timestamp: u64,
    /// The tree's digest at that point.
    pub tree_root: Digest,
    /// Nodes in the tree at that point: `2 × entries + 1` (leaves, the sentinel leaf included,
    /// and internal nodes).
    pub node_count: u64,
}
