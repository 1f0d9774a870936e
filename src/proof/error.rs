//! Why a batch proof does not verify: the `reason` of a `PROOF_INVALID` error.

use crate::hex::to_hex;
use std::fmt;

/// Why a proof was refused. Every variant reaches the caller as
/// [`ErrorCode::ProofInvalid`](crate::ErrorCode::ProofInvalid); the variant says which check
/// failed, so that a bad proof can be reported precisely. `offset` is a byte offset in the proof,
/// `bit` a bit offset (byte × 8 + bit, least significant bit first), `operation` the index of the
/// operation in the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProofError {
    /// The starting digest is not 33 bytes (32-byte label and one height byte).
    DigestLength {
        /// The length given.
        actual: usize,
    },
    /// The proof ends inside its packed tree: a node is cut short or the end-of-tree byte (4) is
    /// missing.
    Truncated {
        /// Where the missing bytes were expected.
        offset: usize,
    },
    /// A node byte that is neither a leaf (2), a label (3), the end of the tree (4), nor a
    /// balance (0xff, 0, 1).
    BadBalance {
        /// Where the byte is.
        offset: usize,
        /// The byte.
        byte: u8,
    },
    /// An internal node's balance byte comes when fewer than two subtrees precede it.
    MissingSubtree {
        /// Where the balance byte is.
        offset: usize,
    },
    /// The packed tree does not end with exactly one tree.
    NotOneTree {
        /// How many subtrees were left when the end-of-tree byte came.
        subtrees: usize,
    },
    /// The packed tree has more nodes than the operations can need (the bound of
    /// `BatchAVLVerifier` with `maxNumOperations` = the number of operations).
    TooManyNodes {
        /// The bound.
        limit: u64,
    },
    /// The packed tree's root label is not the label of the starting digest: the proof is for
    /// another tree.
    DigestMismatch {
        /// The label the packed tree hashes to.
        computed: [u8; 32],
        /// The label of the starting digest (its first 32 bytes).
        expected: [u8; 32],
    },
    /// An operation needs a direction bit beyond the end of the proof.
    TruncatedDirections {
        /// The operation.
        operation: usize,
        /// The bit that is missing.
        bit: usize,
    },
    /// An operation's path reaches a node the proof gives only as a label.
    LabelOnlyOnPath {
        /// The operation.
        operation: usize,
    },
    /// An operation's path ends at a leaf whose key range does not hold the operation's key:
    /// the proof leads somewhere else than the key.
    WrongLeaf {
        /// The operation.
        operation: usize,
    },
    /// The proof shows that an operation cannot be applied (an insert of a key that is in the
    /// tree, an update or remove of one that is not).
    OperationFailed {
        /// The operation.
        operation: usize,
        /// What the tree holds that makes it fail.
        reason: &'static str,
    },
    /// The tree the proof describes is not a well-formed AVL+ tree where an operation needs it
    /// to be (for example a balance that its subtrees' heights contradict).
    InconsistentTree {
        /// The operation.
        operation: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A path is longer than any AVL+ tree with a one-byte height can have.
    PathTooLong {
        /// The operation.
        operation: usize,
        /// The longest path accepted.
        limit: usize,
    },
    /// The tree's height would leave the range 0‥=255 of the digest's height byte.
    HeightOutOfRange {
        /// The operation after which it happened (the number of operations for the final digest).
        operation: usize,
    },
    /// A log record that must carry a proof carries none.
    MissingProof,
}

impl fmt::Display for ProofError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProofError::DigestLength { actual } => {
                write!(f, "starting digest is {actual} bytes, expected 33")
            }
            ProofError::Truncated { offset } => {
                write!(
                    f,
                    "packed tree ends early: bytes missing at offset {offset}"
                )
            }
            ProofError::BadBalance { offset, byte } => write!(
                f,
                "byte {byte:#04x} at offset {offset} is no node tag and no balance (-1, 0, 1)"
            ),
            ProofError::MissingSubtree { offset } => write!(
                f,
                "internal node at offset {offset} has fewer than two subtrees before it"
            ),
            ProofError::NotOneTree { subtrees } => {
                write!(
                    f,
                    "packed tree ends with {subtrees} subtrees instead of one"
                )
            }
            ProofError::TooManyNodes { limit } => write!(
                f,
                "packed tree has more than {limit} nodes, more than the operations can visit"
            ),
            ProofError::DigestMismatch { computed, expected } => write!(
                f,
                "packed tree hashes to label {}, the starting digest's label is {}",
                to_hex(computed),
                to_hex(expected)
            ),
            ProofError::TruncatedDirections { operation, bit } => write!(
                f,
                "operation {operation} needs direction bit {bit}, past the end of the proof"
            ),
            ProofError::LabelOnlyOnPath { operation } => write!(
                f,
                "operation {operation} reaches a node the proof gives only as a label"
            ),
            ProofError::WrongLeaf { operation } => write!(
                f,
                "operation {operation} reaches a leaf whose key range does not hold its key"
            ),
            ProofError::OperationFailed { operation, reason } => {
                write!(f, "operation {operation} cannot be applied: {reason}")
            }
            ProofError::InconsistentTree { operation, reason } => {
                write!(f, "operation {operation} finds a malformed tree: {reason}")
            }
            ProofError::PathTooLong { operation, limit } => write!(
                f,
                "operation {operation} walks a path longer than {limit} nodes"
            ),
            ProofError::HeightOutOfRange { operation } => {
                write!(f, "tree height leaves 0..=255 at operation {operation}")
            }
            ProofError::MissingProof => f.write_str("the record carries no proof"),
        }
    }
}

impl std::error::Error for ProofError {}
