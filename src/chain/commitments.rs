//! Checking a log against the tracker's on-chain commitments: each committed digest must be the
//! tree's root after some record, in the order the commitments were made.

use super::avl_tree_data::AvlTreeData;
use super::tracker_box::TrackerCommitment;
use crate::error::{Error, ErrorKind, Result};
use crate::shape::TreeShape;
use crate::Digest;

/// What a log's final root was checked against: nothing, a bare digest, an on-chain tree (an
/// `AvlTree` register), or a tracker's box. A [`Commitment`] says which of the last three it was
/// read from; a [`Report`](crate::Report) says which the log was checked against, so that a
/// caller can assert it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Anchor {
    /// No final root was expected.
    #[default]
    None,
    /// A 33-byte digest.
    Digest,
    /// An on-chain tree: its digest, and its shape, which the log's must be.
    Tree,
    /// A tracker's box: its R5 tree, read from the box's JSON.
    Box,
}

impl Anchor {
    /// `"none"`, `"digest"`, `"tree"` or `"box"`, as the npm package's report says it.
    pub fn as_str(self) -> &'static str {
        match self {
            Anchor::None => "none",
            Anchor::Digest => "digest",
            Anchor::Tree => "tree",
            Anchor::Box => "box",
        }
    }
}

/// A digest the tracker committed to on chain, with the tree it was read from when there is one
/// (the tree's key and value lengths must then be the log's shape).
///
/// ```
/// use basis_trees::{from_hex, AvlTreeData, Commitment};
///
/// # fn main() -> Result<(), basis_trees::Error> {
/// let digest: [u8; 33] = [7; 33];
/// assert_eq!(Commitment::from(digest).tree, None);
/// let register =
///     from_hex("642c1d1fb21a9df51972a5439ca7ce8d5601f99c871f15cbf2c4ff6ae53d57a96f01012000")?;
/// let tree = AvlTreeData::from_register(&register)?;
/// assert_eq!(Commitment::from(tree).digest, tree.digest);
/// assert_eq!(Commitment::from(tree).anchor, basis_trees::Anchor::Tree);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Commitment {
    /// The committed digest.
    pub digest: Digest,
    /// The on-chain tree the digest was read from, if any.
    pub tree: Option<AvlTreeData>,
    /// What the digest was read from: [`Anchor::Digest`], [`Anchor::Tree`] or [`Anchor::Box`].
    pub anchor: Anchor,
}

impl From<Digest> for Commitment {
    fn from(digest: Digest) -> Commitment {
        Commitment {
            digest,
            tree: None,
            anchor: Anchor::Digest,
        }
    }
}

impl From<AvlTreeData> for Commitment {
    fn from(tree: AvlTreeData) -> Commitment {
        Commitment {
            digest: tree.digest,
            tree: Some(tree),
            anchor: Anchor::Tree,
        }
    }
}

impl From<TrackerCommitment> for Commitment {
    fn from(commitment: TrackerCommitment) -> Commitment {
        Commitment {
            anchor: Anchor::Box,
            ..Commitment::from(commitment.tree)
        }
    }
}

impl Commitment {
    /// Checks that a log of `shape` can be of the on-chain tree (any shape can, for a digest
    /// alone): `SHAPE_MISMATCH` (expected: the on-chain shape) when its key or value length
    /// differs, `KEY_LENGTH` / `VALUE_LENGTH` when the on-chain tree has lengths no tree here can
    /// have.
    pub fn check_shape(&self, shape: TreeShape) -> Result<()> {
        let Some(tree) = &self.tree else {
            return Ok(());
        };
        let on_chain = tree.shape()?;
        if on_chain != shape {
            return Err(Error::new(ErrorKind::ShapeMismatch {
                expected: on_chain,
                actual: shape,
            }));
        }
        Ok(())
    }
}

/// Where a log reached an on-chain commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommitmentMatch {
    /// The committed digest.
    pub digest: Digest,
    /// The sequence number of the record after which the tree had that digest (the start's, when
    /// it had it before any record).
    pub sequence: u64,
}
