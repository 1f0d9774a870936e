//! Checking a log against the tracker's on-chain commitments: each committed digest must be the
//! tree's root after some record, in the order the commitments were made.

use super::avl_tree_data::AvlTreeData;
use super::tracker_box::TrackerCommitment;
use crate::error::{Error, ErrorKind, Result};
use crate::shape::TreeShape;
use crate::Digest;

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
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Commitment {
    /// The committed digest.
    pub digest: Digest,
    /// The on-chain tree the digest was read from, if any.
    pub tree: Option<AvlTreeData>,
}

impl From<Digest> for Commitment {
    fn from(digest: Digest) -> Commitment {
        Commitment { digest, tree: None }
    }
}

impl From<AvlTreeData> for Commitment {
    fn from(tree: AvlTreeData) -> Commitment {
        Commitment {
            digest: tree.digest,
            tree: Some(tree),
        }
    }
}

impl From<TrackerCommitment> for Commitment {
    fn from(commitment: TrackerCommitment) -> Commitment {
        Commitment::from(commitment.tree)
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
