//! Walking every node (entries in key order, nodes in post-order for snapshots) and building a
//! tree from nodes in post-order (restoring a snapshot).

use super::store::{NodeRef, NO_NODE};
use super::AvlTree;

/// A node met by [`AvlTree::for_each_node`], or given to [`TreeBuilder`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visit<'a> {
    /// A leaf.
    Leaf {
        /// Its key (the sentinel's is all zeros).
        key: &'a [u8],
        /// Its value.
        value: &'a [u8],
    },
    /// An internal node.
    Internal {
        /// height(right) − height(left).
        balance: i8,
    },
}

impl AvlTree {
    /// Calls `visit` with every entry in key order (the sentinel leaf left out).
    pub fn for_each_entry(&self, mut visit: impl FnMut(&[u8], &[u8])) {
        // (node, the internal node whose key is the subtree's smallest): leaves come out in
        // order when left children are taken first.
        let mut stack = vec![(self.root, NO_NODE)];
        while let Some((node, low)) = stack.pop() {
            let index = node.index();
            if node.is_leaf() {
                if low != NO_NODE {
                    visit(self.key(low), self.value(index));
                }
            } else {
                stack.push((self.right(index), index));
                stack.push((self.left(index), low));
            }
        }
    }

    /// Calls `visit` with every node in post-order (left subtree, right subtree, node): the
    /// order of snapshots and of [`TreeBuilder`].
    pub fn for_each_node(&self, visit: impl FnMut(Visit<'_>)) {
        post_order(
            self,
            self.root,
            |index| {
                let (left, right, balance) = self.links(index);
                InternalView {
                    key: self.key(index),
                    left,
                    right,
                    balance,
                }
            },
            |index| self.value(index),
            visit,
        );
    }
}

/// What a walk over every node reads of an internal node.
pub(crate) struct InternalView<'a> {
    pub(crate) key: &'a [u8],
    pub(crate) left: NodeRef,
    pub(crate) right: NodeRef,
    pub(crate) balance: i8,
}

/// The post-order walk from `root` over the internal nodes that `internal` gives and the leaves'
/// values that `value` gives: those of the tree now, or of the tree at a mark.
pub(crate) fn post_order<'r>(
    tree: &'r AvlTree,
    root: NodeRef,
    internal: impl Fn(u32) -> InternalView<'r>,
    value: impl Fn(u32) -> &'r [u8],
    mut visit: impl FnMut(Visit<'_>),
) {
    let mut stack = vec![(root, NO_NODE, false)];
    while let Some((node, low, children_done)) = stack.pop() {
        let index = node.index();
        if node.is_leaf() {
            let key = match low {
                NO_NODE => &tree.negative_infinity[..],
                _ => internal(low).key,
            };
            visit(Visit::Leaf {
                key,
                value: value(index),
            });
            continue;
        }
        let record = internal(index);
        if children_done {
            visit(Visit::Internal {
                balance: record.balance,
            });
        } else {
            stack.push((node, low, true));
            stack.push((record.right, index, false));
            stack.push((record.left, low, false));
        }
    }
}

/// Why [`TreeBuilder`] refused a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildError {
    /// A key is not of the tree's key length.
    KeyLength,
    /// A value is not of the tree's fixed length, or longer than a proof can carry.
    ValueLength,
    /// An internal node came without two subtrees before it.
    MissingSubtree,
    /// The nodes do not make exactly one tree.
    NotOneTree,
    /// More nodes than an arena holds.
    Full,
}

/// A subtree built so far.
struct Part<'a> {
    node: NodeRef,
    height: usize,
    smallest_key: &'a [u8],
}

/// Builds a tree from its nodes in post-order, as snapshots store them: leaves in key order
/// (the sentinel first), each internal node after its two subtrees. The builder checks only what
/// it needs to build; the caller checks key order, balances and the sentinel.
pub struct TreeBuilder<'a> {
    tree: AvlTree,
    parts: Vec<Part<'a>>,
    leaves: usize,
}

impl<'a> TreeBuilder<'a> {
    /// A builder of a tree of this shape.
    pub fn new(key_length: usize, value_length: Option<usize>) -> TreeBuilder<'a> {
        TreeBuilder {
            tree: AvlTree::without_nodes(key_length, value_length),
            parts: Vec::new(),
            leaves: 0,
        }
    }

    /// Adds the next leaf.
    pub fn leaf(&mut self, key: &'a [u8], value: &[u8]) -> Result<(), BuildError> {
        if key.len() != self.tree.key_length {
            return Err(BuildError::KeyLength);
        }
        let fits = match self.tree.value_length {
            Some(length) => value.len() == length,
            None => u32::try_from(value.len()).is_ok(),
        };
        if !fits {
            return Err(BuildError::ValueLength);
        }
        let leaf = self.tree.put_leaf(value).ok_or(BuildError::Full)?;
        self.parts.push(Part {
            node: NodeRef::leaf(leaf),
            height: 0,
            smallest_key: key,
        });
        self.leaves += 1;
        Ok(())
    }

    /// Adds an internal node over the last two subtrees; returns the heights of its left and
    /// right subtrees, for the caller to check the balance.
    pub fn internal(&mut self, balance: i8) -> Result<(usize, usize), BuildError> {
        let (Some(right), Some(left)) = (self.parts.pop(), self.parts.pop()) else {
            return Err(BuildError::MissingSubtree);
        };
        // An internal node's key is the smallest key of its right subtree.
        let index = self
            .tree
            .put_internal(right.smallest_key, left.node, right.node, balance)
            .ok_or(BuildError::Full)?;
        self.parts.push(Part {
            node: NodeRef::internal(index),
            height: left.height.max(right.height) + 1,
            smallest_key: left.smallest_key,
        });
        Ok((left.height, right.height))
    }

    /// The height of the tree built so far, if the nodes added make one tree.
    pub fn root_height(&self) -> Option<usize> {
        match self.parts.as_slice() {
            [root] => Some(root.height),
            _ => None,
        }
    }

    /// The tree, with every label computed.
    pub fn finish(mut self) -> Result<AvlTree, BuildError> {
        let (Some(root), true) = (self.parts.pop(), self.parts.is_empty()) else {
            return Err(BuildError::NotOneTree);
        };
        let mut tree = self.tree;
        tree.root = root.node;
        tree.height = root.height;
        tree.size = self.leaves - 1;
        tree.start_first_batch();
        Ok(tree)
    }
}
