//! Snapshots, version 1: the exact tree (its shape, balances included, so that its digest is
//! reproduced) with the log sequence number it belongs to and optional checkpoint metadata.
//! Layout and rules: `docs/FORMAT.md`.
//!
//! A snapshot stores every node in post-order: leaves with their key and value, internal nodes
//! as their balance byte. Next-leaf keys and internal-node keys are not stored: the first is the
//! key of the following leaf, the second the smallest key of the right subtree, and neither is
//! covered by the digest, so storing them would let a snapshot carry wrong ones that no digest
//! check could catch. Restoring builds the nodes directly, checking everything the prover relies
//! on before a node exists, then recomputes the digest.

use crate::byte_reader::ByteReader;
use crate::crc32c::crc32c;
use crate::error::{Error, ErrorKind, Result};
use crate::memory::ensure_headroom;
use crate::shape::{TreeShape, MAX_VALUE_LENGTH};
use crate::tree::checkpoint::Checkpoint;
use crate::tree::operation::stored_bytes;
use crate::tree::Tree;
use bytes::Bytes;
use ergo_avltree_rust::batch_node::{InternalNode, LeafNode, Node, NodeId};

/// The first eight bytes of every snapshot.
pub const SNAPSHOT_MAGIC: [u8; 8] = *b"\x89BTSNP\r\n";

const VERSION: u16 = 1;
const FLAG_FIXED_VALUE_LENGTH: u16 = 1;
const FLAG_CHECKPOINT: u16 = 2;
/// Magic, version, flags, key length, value length, sequence, checkpoint id and timestamp,
/// digest, entry count.
const HEADER_LENGTH: usize = 8 + 2 + 2 + 2 + 4 + 8 + 8 + 8 + 33 + 8;
const LEAF_TAG: u8 = 2;

/// A decoded snapshot: the tree, the sequence number of the last log record it includes, and the
/// checkpoint it was taken for, if any.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The restored tree; its digest has been recomputed and checked.
    pub tree: Tree,
    /// The sequence number of the last record the tree includes (0: none, or not tied to a log).
    pub sequence: u64,
    /// The checkpoint the snapshot was taken for; its `sequence`, `tree_root` and `node_count`
    /// are those of the snapshot.
    pub checkpoint: Option<Checkpoint>,
}

impl Snapshot {
    /// The snapshot bytes of `tree` after record `sequence`, with the checkpoint's id and
    /// timestamp if one is given (its other fields are taken from the tree and `sequence`).
    pub fn encode(tree: &Tree, sequence: u64, checkpoint: Option<&Checkpoint>) -> Vec<u8> {
        encode_snapshot(tree, sequence, checkpoint.map(|c| (c.id, c.timestamp)))
    }

    /// Restores a snapshot in time linear in its size, after checking its checksum, every node
    /// (balances, heights, key order, sentinel, lengths) and the digest it claims. Any defect is
    /// `SNAPSHOT_INVALID` with the byte offset where it was found.
    pub fn decode(bytes: &[u8]) -> Result<Snapshot> {
        decode_snapshot(bytes)
    }
}

impl Tree {
    /// The exact tree, its shape included, as snapshot bytes (format in `docs/FORMAT.md`) that
    /// [`Tree::from_snapshot`] restores in time linear in the size. The snapshot is not tied to a
    /// log: its sequence number is 0 (see [`Snapshot`] for one that is).
    pub fn snapshot(&self) -> Vec<u8> {
        encode_snapshot(self, 0, None)
    }

    /// The tree a snapshot holds, after checking every node and recomputing the digest; fails
    /// with `SNAPSHOT_INVALID` on any defect.
    pub fn from_snapshot(bytes: &[u8]) -> Result<Tree> {
        Ok(Snapshot::decode(bytes)?.tree)
    }
}

/// What one restored node takes in memory, at most, beside its key and value (counted with the
/// snapshot's bytes): the prover's node and its reference count (96 bytes in wasm32), its label,
/// and this reader's note of it.
const NODE_MEMORY: usize = 160;

fn invalid(offset: usize, reason: impl Into<String>) -> Error {
    Error::new(ErrorKind::SnapshotInvalid {
        reason: reason.into(),
    })
    .at_offset(offset as u64)
}

fn encode_snapshot(tree: &Tree, sequence: u64, checkpoint: Option<(u64, u64)>) -> Vec<u8> {
    let shape = tree.shape();
    let mut out = Vec::with_capacity(HEADER_LENGTH + tree.size() * (shape.key_length + 16));
    let mut flags = 0u16;
    if shape.value_length.is_some() {
        flags |= FLAG_FIXED_VALUE_LENGTH;
    }
    if checkpoint.is_some() {
        flags |= FLAG_CHECKPOINT;
    }
    let (id, timestamp) = checkpoint.unwrap_or((0, 0));
    out.extend_from_slice(&SNAPSHOT_MAGIC);
    out.extend_from_slice(&VERSION.to_be_bytes());
    out.extend_from_slice(&flags.to_be_bytes());
    out.extend_from_slice(&(shape.key_length as u16).to_be_bytes());
    out.extend_from_slice(&(shape.value_length.unwrap_or(0) as u32).to_be_bytes());
    out.extend_from_slice(&sequence.to_be_bytes());
    out.extend_from_slice(&id.to_be_bytes());
    out.extend_from_slice(&timestamp.to_be_bytes());
    out.extend_from_slice(&tree.digest());
    out.extend_from_slice(&(tree.size() as u64).to_be_bytes());

    // Post-order, iteratively: (node, children already written).
    let mut stack: Vec<(NodeId, bool)> = tree.root_node().into_iter().map(|n| (n, false)).collect();
    while let Some((node, expanded)) = stack.pop() {
        match &*node.borrow() {
            Node::Internal(internal) if expanded => out.push(internal.balance as u8),
            Node::Internal(internal) => {
                stack.push((node.clone(), true));
                stack.push((internal.right.clone(), false));
                stack.push((internal.left.clone(), false));
            }
            Node::Leaf(leaf) => {
                out.push(LEAF_TAG);
                if let Some(key) = &leaf.hdr.key {
                    out.extend_from_slice(key);
                }
                if shape.value_length.is_none() {
                    out.extend_from_slice(&(leaf.value.len() as u32).to_be_bytes());
                }
                out.extend_from_slice(&leaf.value);
            }
            // A tree held in memory has no label-only nodes (see `label_only_resolver`).
            Node::LabelOnly(_) => {}
        }
    }
    let crc = crc32c(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

/// A node as stored: a leaf (key, value, offset) or an internal node's balance (and offset).
enum Stored<'a> {
    Leaf(&'a [u8], &'a [u8], usize),
    Internal(i8, usize),
}

/// A subtree built so far: its root, height and smallest key.
struct Built {
    node: NodeId,
    height: usize,
    min_key: Bytes,
}

fn decode_snapshot(bytes: &[u8]) -> Result<Snapshot> {
    for (i, (&got, &want)) in bytes.iter().zip(SNAPSHOT_MAGIC.iter()).enumerate() {
        if got != want {
            return Err(invalid(i, "not a basis-trees snapshot (wrong magic bytes)"));
        }
    }
    let mut r = ByteReader::new(bytes);
    let short = |what: &str| invalid(bytes.len(), format!("snapshot ends inside its {what}"));
    r.take(8).ok_or_else(|| short("magic bytes"))?;
    let version = r.u16().ok_or_else(|| short("header"))?;
    if version != VERSION {
        return Err(invalid(
            8,
            format!("snapshot version {version} is not supported (this reader knows {VERSION})"),
        ));
    }
    if bytes.len() < HEADER_LENGTH + 4 {
        return Err(short("header"));
    }
    let crc_at = bytes.len() - 4;
    let (covered, crc) = bytes.split_at(crc_at);
    if crc32c(covered) != u32::from_be_bytes([crc[0], crc[1], crc[2], crc[3]]) {
        return Err(invalid(crc_at, "snapshot checksum mismatch"));
    }
    let mut r = ByteReader::new(covered);
    r.take(10).ok_or_else(|| short("header"))?;
    let (
        Some(flags),
        Some(key_length),
        Some(value_length),
        Some(sequence),
        Some(checkpoint_id),
        Some(checkpoint_timestamp),
        Some(digest),
        Some(entries),
    ) = (
        r.u16(),
        r.u16(),
        r.u32(),
        r.u64(),
        r.u64(),
        r.u64(),
        r.digest(),
        r.u64(),
    )
    else {
        return Err(short("header"));
    };
    if flags & !(FLAG_FIXED_VALUE_LENGTH | FLAG_CHECKPOINT) != 0 {
        return Err(invalid(10, format!("unknown flags {flags:#06x}")));
    }
    let value_length = if flags & FLAG_FIXED_VALUE_LENGTH != 0 {
        Some(value_length as usize)
    } else if value_length != 0 {
        return Err(invalid(
            14,
            "value length set without the fixed-length flag",
        ));
    } else {
        None
    };
    let shape = TreeShape::new(usize::from(key_length), value_length)
        .map_err(|e| invalid(12, format!("bad tree shape: {}", e.kind())))?;
    let checkpoint = if flags & FLAG_CHECKPOINT != 0 {
        Some(Checkpoint {
            id: checkpoint_id,
            sequence,
            timestamp: checkpoint_timestamp,
            tree_root: digest,
            node_count: entries.saturating_mul(2).saturating_add(1),
        })
    } else if checkpoint_id != 0 || checkpoint_timestamp != 0 {
        return Err(invalid(
            26,
            "checkpoint fields set without the checkpoint flag",
        ));
    } else {
        None
    };

    // Building the tree allocates per node what the prover's nodes take, which cannot fail
    // gracefully: make sure it can be had first. Each entry is a leaf (its tag and key) and an
    // internal node (one byte), so the bytes bound the number of nodes.
    let most_nodes = covered.len().saturating_mul(2) / (2 + shape.key_length);
    ensure_headroom(
        most_nodes
            .saturating_mul(NODE_MEMORY)
            .saturating_add(covered.len()),
    )?;
    let nodes = read_nodes(&mut r, shape)?;
    let tree = build_tree(shape, &nodes, entries, covered.len())?;
    if tree.digest() != digest {
        return Err(invalid(
            42,
            format!(
                "the nodes hash to {}, the snapshot claims {}",
                crate::hex::to_hex(&tree.digest()),
                crate::hex::to_hex(&digest)
            ),
        ));
    }
    Ok(Snapshot {
        tree,
        sequence,
        checkpoint,
    })
}

/// Every stored node, without building any: the bytes are only split and their lengths checked.
fn read_nodes<'a>(r: &mut ByteReader<'a>, shape: TreeShape) -> Result<Vec<Stored<'a>>> {
    let mut nodes = Vec::new();
    while r.remaining() > 0 {
        let at = r.position();
        let ends = || invalid(at, "snapshot ends inside a node");
        match r.u8().ok_or_else(ends)? {
            LEAF_TAG => {
                let key = r.take(shape.key_length).ok_or_else(ends)?;
                let length = match shape.value_length {
                    Some(length) => length,
                    None => {
                        let length = r.u32().ok_or_else(ends)? as usize;
                        if length > MAX_VALUE_LENGTH {
                            return Err(invalid(
                                at,
                                format!("value of {length} bytes exceeds {MAX_VALUE_LENGTH}"),
                            ));
                        }
                        length
                    }
                };
                let value = r.take(length).ok_or_else(ends)?;
                nodes.push(Stored::Leaf(key, value, at));
            }
            balance @ (0xff | 0x00 | 0x01) => nodes.push(Stored::Internal(balance as i8, at)),
            tag => {
                return Err(invalid(
                    at,
                    format!("{tag:#04x} is neither a leaf tag nor a balance"),
                ))
            }
        }
    }
    Ok(nodes)
}

/// Builds the tree bottom-up, checking before each node is created what the prover would
/// otherwise panic on or silently get wrong.
fn build_tree(shape: TreeShape, nodes: &[Stored<'_>], entries: u64, end: usize) -> Result<Tree> {
    let leaves: Vec<&[u8]> = nodes
        .iter()
        .filter_map(|n| match n {
            Stored::Leaf(key, _, _) => Some(*key),
            Stored::Internal(..) => None,
        })
        .collect();
    if leaves.len() as u64 != entries.saturating_add(1) {
        return Err(invalid(
            75,
            format!(
                "the snapshot claims {entries} entries but holds {} leaves (the sentinel included)",
                leaves.len()
            ),
        ));
    }
    let positive_infinity = Bytes::from(vec![0xffu8; shape.key_length]);
    let sentinel_value = vec![0u8; shape.value_length.unwrap_or(0)];
    let mut leaf_index = 0usize;
    let mut next_key = positive_infinity.clone();
    let mut stack: Vec<Built> = Vec::new();
    for node in nodes {
        match node {
            Stored::Leaf(key, value, at) => {
                let key_bytes = match leaf_index {
                    0 => {
                        if key.iter().any(|&b| b != 0) || *value != sentinel_value.as_slice() {
                            return Err(invalid(*at, "the first leaf is not the sentinel (all-zero key, empty or zero value)"));
                        }
                        stored_bytes(key)
                    }
                    _ => {
                        let previous = leaves.get(leaf_index - 1).copied().unwrap_or_default();
                        if *key <= previous {
                            return Err(invalid(
                                *at,
                                "leaf keys are not in strictly increasing order",
                            ));
                        }
                        if key.iter().all(|&b| b == 0xff) {
                            return Err(invalid(*at, "a leaf holds the reserved all-0xFF key"));
                        }
                        // The previous leaf already used this key as its next key.
                        next_key.clone()
                    }
                };
                next_key = match leaves.get(leaf_index + 1) {
                    Some(next) => stored_bytes(next),
                    None => positive_infinity.clone(),
                };
                let leaf = LeafNode::new(&key_bytes, &stored_bytes(value), &next_key);
                stack.push(Built {
                    node: leaf,
                    height: 0,
                    min_key: key_bytes,
                });
                leaf_index += 1;
            }
            Stored::Internal(balance, at) => {
                let (Some(right), Some(left)) = (stack.pop(), stack.pop()) else {
                    return Err(invalid(
                        *at,
                        "an internal node without two subtrees before it",
                    ));
                };
                let difference = right.height as i64 - left.height as i64;
                if difference != i64::from(*balance) {
                    return Err(invalid(
                        *at,
                        format!(
                            "balance {balance} but the subtrees' heights differ by {difference}"
                        ),
                    ));
                }
                let node = InternalNode::new(
                    Some(right.min_key.clone()),
                    &left.node,
                    &right.node,
                    *balance,
                );
                stack.push(Built {
                    node,
                    height: left.height.max(right.height) + 1,
                    min_key: left.min_key,
                });
            }
        }
    }
    match (stack.pop(), stack.is_empty()) {
        (Some(root), true) => {
            if root.height > 255 {
                return Err(invalid(end, "tree is too high"));
            }
            Ok(Tree::from_root(
                shape,
                root.node,
                root.height,
                entries as usize,
            ))
        }
        _ => Err(invalid(end, "the nodes do not form one tree")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note_key::{debt_value, note_key};

    /// Every node of `tree` in pre-order: (key, balance or None for a leaf, value, next key).
    fn nodes(tree: &Tree) -> Vec<(Option<Bytes>, Option<i8>, Bytes, Bytes)> {
        let mut out = Vec::new();
        let mut stack: Vec<NodeId> = tree.root_node().into_iter().collect();
        while let Some(node) = stack.pop() {
            match &*node.borrow() {
                Node::Internal(n) => {
                    out.push((
                        n.hdr.key.clone(),
                        Some(n.balance),
                        Bytes::new(),
                        Bytes::new(),
                    ));
                    stack.push(n.right.clone());
                    stack.push(n.left.clone());
                }
                Node::Leaf(l) => out.push((
                    l.hdr.key.clone(),
                    None,
                    l.value.clone(),
                    l.next_node_key.clone(),
                )),
                Node::LabelOnly(_) => panic!("label-only node in a tree in memory"),
            }
        }
        out
    }

    /// The restored tree is node for node the prover's, internal keys and next keys included,
    /// after inserts, updates and removes (removes rewrite internal keys).
    #[test]
    fn restored_nodes_equal_the_provers_nodes() {
        for shape in [
            TreeShape::BASIS_TRACKER,
            TreeShape::new(32, Some(8)).unwrap(),
        ] {
            let mut tree = Tree::new(shape).unwrap();
            let mut keys = Vec::new();
            for i in 0u64..600 {
                let key = note_key(&i.to_be_bytes(), b"r");
                tree.insert(&key, &debt_value(i)).unwrap();
                keys.push(key);
                if i % 3 == 0 {
                    let gone = keys.swap_remove((i as usize * 7) % keys.len());
                    tree.remove(&gone).unwrap();
                }
                if i % 5 == 0 && !keys.is_empty() {
                    tree.update(&keys[i as usize % keys.len()], &debt_value(i + 1))
                        .unwrap();
                }
            }
            let restored = Tree::from_snapshot(&tree.snapshot()).unwrap();
            assert_eq!(restored.digest(), tree.digest());
            assert_eq!(restored.size(), tree.size());
            assert_eq!(nodes(&restored), nodes(&tree));
        }
    }
}
