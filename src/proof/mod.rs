//! Batch proofs of Ergo's AVL+ tree: the packed tree they carry, the verifier, and why a proof is
//! refused.

pub(crate) mod error;
pub(crate) mod packed_tree;
pub(crate) mod verifier;
