//! Batch proofs of Ergo's AVL+ tree, checked by someone who holds only a digest:
//!
//! - `packed_tree.rs`: decodes the partial tree a proof carries into an arena of labelled nodes;
//! - `verifier.rs`: [`verify_proof`](verifier::verify_proof) performs a batch of operations over
//!   that partial tree and returns the new digest, never panicking whatever the bytes;
//! - `error.rs`: [`ProofError`](error::ProofError), why a proof is refused (the reason of a
//!   `PROOF_INVALID` error).
//!
//! Proofs are made by the tree (`Tree::prove`); checking one needs no tree. It may use the
//! foundation and the tree's `Operation`; never the log or the storage. (The foundation's
//! `error.rs` names `ProofError` as the reason of `PROOF_INVALID`; `error.rs` here uses nothing
//! of the crate but `hex`.)

pub(crate) mod error;
pub(crate) mod packed_tree;
pub(crate) mod verifier;
