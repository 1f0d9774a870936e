//! The partial tree a batch proof carries: decoding its packed post-order form into an arena of
//! nodes, with every label computed as the node is made.
//!
//! Byte layout (see `docs/PROOFS.md`): a post-order sequence of nodes, each starting with a tag —
//! `2` a leaf, `3` a label-only subtree (32 bytes of label), `0xff`/`0`/`1` an internal node with
//! that balance whose two subtrees are the last two decoded — then `4`, then the direction bits.

use crate::proof::error::ProofError;
use crate::shape::TreeShape;
use crate::tree::avl::hash::{internal_label, leaf_label};

pub(crate) const LEAF_TAG: u8 = 2;
pub(crate) const LABEL_TAG: u8 = 3;
pub(crate) const END_OF_TREE_TAG: u8 = 4;

/// An index into [`PartialTree::nodes`].
pub(crate) type NodeId = usize;

/// A blake2b256 label.
pub(crate) type Label = [u8; 32];

/// A node of the partial tree. Internal nodes carry no key: the verifier learns its way from the
/// proof's direction bits and checks keys only at leaves.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    /// A subtree the proof does not open.
    LabelOnly,
    Leaf {
        key: Vec<u8>,
        value: Vec<u8>,
        next_key: Vec<u8>,
    },
    Internal {
        left: NodeId,
        right: NodeId,
        balance: i8,
    },
}

/// Nodes in an arena, each stored with its label. Nodes are never changed in place: an operation
/// makes new nodes along its path, which keeps every label valid without recomputation.
#[derive(Debug, Default)]
pub(crate) struct PartialTree {
    nodes: Vec<(Node, Label)>,
}

impl PartialTree {
    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id].0
    }

    pub(crate) fn label(&self, id: NodeId) -> Label {
        self.nodes[id].1
    }

    fn push(&mut self, node: Node, label: Label) -> NodeId {
        self.nodes.push((node, label));
        self.nodes.len() - 1
    }

    pub(crate) fn label_only(&mut self, label: Label) -> NodeId {
        self.push(Node::LabelOnly, label)
    }

    /// A leaf; its label is blake2b256(0 ‖ key ‖ value ‖ next key).
    pub(crate) fn leaf(&mut self, key: Vec<u8>, value: Vec<u8>, next_key: Vec<u8>) -> NodeId {
        let label = leaf_label(&key, &value, &next_key);
        self.push(
            Node::Leaf {
                key,
                value,
                next_key,
            },
            label,
        )
    }

    /// An internal node; its label is blake2b256(1 ‖ balance ‖ left label ‖ right label).
    pub(crate) fn internal(&mut self, left: NodeId, right: NodeId, balance: i8) -> NodeId {
        let label = internal_label(balance, &self.label(left), &self.label(right));
        self.push(
            Node::Internal {
                left,
                right,
                balance,
            },
            label,
        )
    }
}

/// The most nodes a proof for `operations` operations on a tree of height `height` may carry:
/// the bound of the paper (eprint 2016/994, appendix B) as `BatchAVLVerifier` computes it with
/// `maxNumOperations = operations` and `maxDeletes` unset. Saturating, so that it cannot
/// overflow on 32-bit targets.
pub(crate) fn max_nodes(operations: usize, height: usize) -> u64 {
    let operations = operations as u64;
    let height = height as u64;
    let mut log_operations = 0u64;
    let mut power = 1u64;
    while power < operations {
        power = power.saturating_mul(2);
        log_operations += 1;
    }
    let longest = 1 + height.max(log_operations);
    let new_height = longest + longest / 2;
    let deletes = operations;
    operations
        .saturating_add(deletes)
        .saturating_mul(2 * height + 1)
        .saturating_add(deletes.saturating_mul(new_height))
        .saturating_add(1)
}

/// The most nodes reserved up front for a partial tree (about 100 KB): enough for a proof of
/// several operations on a tree of millions of entries; a larger proof's tree grows as it decodes.
const RESERVED_NODES: usize = 1024;
/// Nodes reserved beside the proof's own for those an operation makes along its path.
const RESERVED_FOR_OPERATIONS: usize = 128;
/// Subtrees reserved on the decoder's stack: the stack is as deep as the tree is high.
const RESERVED_STACK: usize = 64;

/// A decoded packed tree: its nodes, its root, and the bit where the direction bits begin.
pub(crate) struct DecodedTree {
    pub(crate) tree: PartialTree,
    pub(crate) root: NodeId,
    pub(crate) directions_start_bit: usize,
}

/// Reads the packed tree at the start of `proof`, checking every length against the proof's end,
/// every balance, the stack discipline and the node bound.
pub(crate) fn decode_packed_tree(
    proof: &[u8],
    shape: TreeShape,
    node_limit: u64,
) -> Result<DecodedTree, ProofError> {
    let mut reader = Reader { proof, offset: 0 };
    // Room for the nodes the proof can hold (every leaf or label takes a key's length or 32
    // bytes, and the internal nodes are one fewer) and for those a few operations make, up to
    // [`RESERVED_NODES`]: one allocation where growing one node at a time took several, each
    // copying what was there.
    let openings = proof.len() / (1 + shape.key_length.min(32));
    let mut tree = PartialTree {
        nodes: Vec::with_capacity((2 * openings + 1 + RESERVED_FOR_OPERATIONS).min(RESERVED_NODES)),
    };
    let mut stack: Vec<NodeId> = Vec::with_capacity(RESERVED_STACK);
    // The key of a leaf that directly follows another leaf (no label in between) is the
    // previous leaf's next key, and is not repeated in the proof.
    let mut previous_next_key: Option<&[u8]> = None;
    let mut nodes = 0u64;
    loop {
        let tag_offset = reader.offset;
        let tag = reader.byte()?;
        if tag == END_OF_TREE_TAG {
            break;
        }
        nodes += 1;
        if nodes > node_limit {
            return Err(ProofError::TooManyNodes { limit: node_limit });
        }
        match tag {
            LABEL_TAG => {
                let label = reader.label()?;
                stack.push(tree.label_only(label));
                previous_next_key = None;
            }
            LEAF_TAG => {
                let key = match previous_next_key.take() {
                    Some(key) => key,
                    None => reader.bytes(shape.key_length)?,
                };
                let next_key = reader.bytes(shape.key_length)?;
                let value_length = match shape.value_length {
                    Some(length) => length,
                    None => reader.u32()? as usize,
                };
                let value = reader.bytes(value_length)?.to_vec();
                previous_next_key = Some(next_key);
                stack.push(tree.leaf(key.to_vec(), value, next_key.to_vec()));
            }
            0x00 | 0x01 | 0xff => {
                let (Some(right), Some(left)) = (stack.pop(), stack.pop()) else {
                    return Err(ProofError::MissingSubtree { offset: tag_offset });
                };
                stack.push(tree.internal(left, right, tag as i8));
            }
            byte => {
                return Err(ProofError::BadBalance {
                    offset: tag_offset,
                    byte,
                })
            }
        }
    }
    let root = match stack.as_slice() {
        [root] => *root,
        other => {
            return Err(ProofError::NotOneTree {
                subtrees: other.len(),
            })
        }
    };
    Ok(DecodedTree {
        tree,
        root,
        directions_start_bit: reader.offset.saturating_mul(8),
    })
}

/// A cursor over the proof that returns `Truncated` instead of reading past the end.
struct Reader<'a> {
    proof: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    fn bytes(&mut self, length: usize) -> Result<&'a [u8], ProofError> {
        let truncated = ProofError::Truncated {
            offset: self.proof.len(),
        };
        let end = self.offset.checked_add(length).ok_or(truncated.clone())?;
        let bytes = self.proof.get(self.offset..end).ok_or(truncated)?;
        self.offset = end;
        Ok(bytes)
    }

    fn byte(&mut self) -> Result<u8, ProofError> {
        let byte = *self.proof.get(self.offset).ok_or(ProofError::Truncated {
            offset: self.offset,
        })?;
        self.offset += 1;
        Ok(byte)
    }

    fn u32(&mut self) -> Result<u32, ProofError> {
        let bytes = self.bytes(4)?;
        let mut word = [0u8; 4];
        word.copy_from_slice(bytes);
        Ok(u32::from_be_bytes(word))
    }

    fn label(&mut self) -> Result<Label, ProofError> {
        let mut label = [0u8; 32];
        label.copy_from_slice(self.bytes(32)?);
        Ok(label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_bound_follows_the_paper_and_saturates() {
        // No operation: the proof is the root's label alone.
        assert_eq!(max_nodes(0, 0), 1);
        assert_eq!(max_nodes(0, 200), 1);
        // One operation on a one-leaf tree: 2·1 + 1·(1 + 0) + 1.
        assert_eq!(max_nodes(1, 0), 4);
        // Four operations, height 10: t = 11, 8·21 + 4·16 + 1.
        assert_eq!(max_nodes(4, 10), 8 * 21 + 4 * 16 + 1);
        assert_eq!(max_nodes(usize::MAX, 255), u64::MAX);
    }

    #[test]
    fn a_leaf_after_a_leaf_takes_the_previous_next_key() {
        let shape = TreeShape::new(1, Some(1)).unwrap();
        // leaf(1 → 5, value 9), leaf(key omitted → 5, next 7, value 8), internal balance 0.
        let proof = [2, 1, 5, 9, 2, 7, 8, 0, 4];
        let decoded = decode_packed_tree(&proof, shape, 10).unwrap();
        let Node::Internal { right, .. } = decoded.tree.node(decoded.root) else {
            panic!("root is internal");
        };
        let Node::Leaf { key, next_key, .. } = decoded.tree.node(*right) else {
            panic!("right is a leaf");
        };
        assert_eq!(
            (key.as_slice(), next_key.as_slice()),
            (&[5u8][..], &[7u8][..])
        );
        assert_eq!(decoded.directions_start_bit, 9 * 8);
        assert_eq!(
            decode_packed_tree(&proof, shape, 2).err(),
            Some(ProofError::TooManyNodes { limit: 2 })
        );
    }
}
