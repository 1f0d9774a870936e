//! Snapshots, version 1: the exact tree (its shape, balances included, so that its digest is
//! reproduced) with the log sequence number it belongs to and optional checkpoint metadata.
//! Layout and rules: `docs/FORMAT.md`.
//!
//! A snapshot stores every node in post-order: leaves with their key and value, internal nodes
//! as their balance byte. Next-leaf keys and internal-node keys are not stored: the first is the
//! key of the following leaf, the second the smallest key of the right subtree, and neither is
//! covered by the digest, so storing them would let a snapshot carry wrong ones that no digest
//! check could catch. Restoring builds the nodes directly in the engine's arenas, checking
//! everything the engine relies on as each node is added, then recomputes the digest.

use crate::byte_reader::ByteReader;
use crate::crc32c::crc32c;
use crate::digest::Digest;
use crate::error::{Error, ErrorKind, Result};
use crate::memory::ensure_headroom;
use crate::shape::{TreeShape, MAX_VALUE_LENGTH};
use crate::tree::avl::{BuildError, TreeBuilder, Visit};
use crate::tree::checkpoint::Checkpoint;
use crate::tree::Tree;

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
/// snapshot's bytes): the engine's record (74 bytes for an internal node beside its key, and the
/// labels it keeps; 1 for a leaf beside its value), its share of a page, and this reader's note
/// of it.
const NODE_MEMORY: usize = 160;

fn invalid(offset: usize, reason: impl Into<String>) -> Error {
    Error::new(ErrorKind::SnapshotInvalid {
        reason: reason.into(),
    })
    .at_offset(offset as u64)
}

fn encode_snapshot(tree: &Tree, sequence: u64, checkpoint: Option<(u64, u64)>) -> Vec<u8> {
    let nodes = |visit: &mut dyn FnMut(Visit<'_>)| tree.engine().for_each_node(visit);
    let digest = tree.digest();
    encode_nodes(
        tree.shape(),
        &digest,
        tree.size(),
        nodes,
        sequence,
        checkpoint,
    )
}

/// The snapshot of the tree at `checkpoint`, `mark` being the tree's mark taken then; `None` if
/// the tree has no such mark.
pub(crate) fn encode_checkpoint(
    tree: &Tree,
    mark: usize,
    checkpoint: &Checkpoint,
) -> Option<Vec<u8>> {
    let then = tree.engine().at_mark(mark)?;
    let nodes = |visit: &mut dyn FnMut(Visit<'_>)| then.for_each_node(visit);
    Some(encode_nodes(
        tree.shape(),
        &checkpoint.tree_root,
        then.size(),
        nodes,
        checkpoint.sequence,
        Some((checkpoint.id, checkpoint.timestamp)),
    ))
}

/// A snapshot of the tree with this shape, digest and size whose nodes `nodes` walks in
/// post-order.
fn encode_nodes(
    shape: TreeShape,
    digest: &Digest,
    size: usize,
    nodes: impl FnOnce(&mut dyn FnMut(Visit<'_>)),
    sequence: u64,
    checkpoint: Option<(u64, u64)>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LENGTH + size * (shape.key_length + 16));
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
    out.extend_from_slice(digest);
    out.extend_from_slice(&(size as u64).to_be_bytes());

    nodes(&mut |visit| match visit {
        Visit::Internal { balance } => out.push(balance as u8),
        Visit::Leaf { key, value } => {
            out.push(LEAF_TAG);
            out.extend_from_slice(key);
            if shape.value_length.is_none() {
                out.extend_from_slice(&(value.len() as u32).to_be_bytes());
            }
            out.extend_from_slice(value);
        }
    });
    let crc = crc32c(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

/// A node as stored: a leaf (key, value, offset) or an internal node's balance (and offset).
enum Stored<'a> {
    Leaf(&'a [u8], &'a [u8], usize),
    Internal(i8, usize),
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

    // Building the tree allocates per node what the engine's records take, which cannot fail
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

/// Builds the tree bottom-up, checking as each node is added what the engine relies on: the
/// sentinel first, keys in strictly increasing order, balances that are the subtrees' heights'
/// difference, one tree in the end.
fn build_tree(shape: TreeShape, nodes: &[Stored<'_>], entries: u64, end: usize) -> Result<Tree> {
    let leaves = nodes
        .iter()
        .filter(|n| matches!(n, Stored::Leaf(..)))
        .count();
    if leaves as u64 != entries.saturating_add(1) {
        return Err(invalid(
            75,
            format!(
                "the snapshot claims {entries} entries but holds {leaves} leaves (the sentinel included)"
            ),
        ));
    }
    let sentinel_value = vec![0u8; shape.value_length.unwrap_or(0)];
    let mut builder = TreeBuilder::new(shape.key_length, shape.value_length);
    let mut previous_key: Option<&[u8]> = None;
    for node in nodes {
        match node {
            Stored::Leaf(key, value, at) => {
                match previous_key {
                    None => {
                        if key.iter().any(|&b| b != 0) || *value != sentinel_value.as_slice() {
                            return Err(invalid(*at, "the first leaf is not the sentinel (all-zero key, empty or zero value)"));
                        }
                    }
                    Some(previous) => {
                        if *key <= previous {
                            return Err(invalid(
                                *at,
                                "leaf keys are not in strictly increasing order",
                            ));
                        }
                        if key.iter().all(|&b| b == 0xff) {
                            return Err(invalid(*at, "a leaf holds the reserved all-0xFF key"));
                        }
                    }
                }
                previous_key = Some(key);
                builder
                    .leaf(key, value)
                    .map_err(|err| invalid(*at, build_error(err)))?;
            }
            Stored::Internal(balance, at) => {
                let (left, right) = builder
                    .internal(*balance)
                    .map_err(|err| invalid(*at, build_error(err)))?;
                let difference = right as i64 - left as i64;
                if difference != i64::from(*balance) {
                    return Err(invalid(
                        *at,
                        format!(
                            "balance {balance} but the subtrees' heights differ by {difference}"
                        ),
                    ));
                }
            }
        }
    }
    match builder.root_height() {
        Some(height) if height > 255 => Err(invalid(end, "tree is too high")),
        Some(_) => builder
            .finish()
            .map(|engine| Tree::from_engine(shape, engine))
            .map_err(|err| invalid(end, build_error(err))),
        None => Err(invalid(end, build_error(BuildError::NotOneTree))),
    }
}

fn build_error(err: BuildError) -> &'static str {
    match err {
        BuildError::MissingSubtree => "an internal node without two subtrees before it",
        BuildError::NotOneTree => "the nodes do not form one tree",
        BuildError::KeyLength | BuildError::ValueLength => "a node does not fit the tree's shape",
        BuildError::Full => "more nodes than a tree can hold",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note_key::{debt_value, note_key};

    /// Every node of `tree` in post-order: (key and value of a leaf, or the balance).
    fn nodes(tree: &Tree) -> Vec<(Vec<u8>, Vec<u8>, i8)> {
        let mut out = Vec::new();
        tree.engine().for_each_node(|visit| match visit {
            Visit::Leaf { key, value } => out.push((key.to_vec(), value.to_vec(), 0)),
            Visit::Internal { balance } => out.push((Vec::new(), Vec::new(), balance)),
        });
        out
    }

    /// The restored tree is node for node the original, and goes on exactly as the original
    /// does (its internal keys, which removes rewrite, and next keys are right): the same digests
    /// and proofs after inserts, updates and removes.
    #[test]
    fn restored_trees_are_the_original_and_go_on_as_it_does() {
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
            let mut restored = Tree::from_snapshot(&tree.snapshot()).unwrap();
            assert_eq!(restored.digest(), tree.digest());
            assert_eq!(restored.size(), tree.size());
            assert_eq!(restored.height(), tree.height());
            assert_eq!(nodes(&restored), nodes(&tree));
            for (i, key) in keys.iter().enumerate().step_by(3) {
                let batch = [
                    crate::Operation::Remove { key: key.to_vec() },
                    crate::Operation::InsertOrUpdate {
                        key: note_key(&(i as u64).to_be_bytes(), b"s").to_vec(),
                        value: debt_value(7).to_vec(),
                    },
                ];
                assert_eq!(restored.prove(&batch).unwrap(), tree.prove(&batch).unwrap());
            }
        }
    }
}
