//! What the chain holds: a tracker's commitment box and the Sigma constants in its registers.
//!
//! A Basis tracker commits to its tree by posting a box whose R4 is its public key (a
//! `GroupElement`) and whose R5 is the tree (an `AvlTree`: digest, flags, key and value lengths).
//! [`TrackerCommitment::from_box_json`] reads such a box as a node or an explorer serves it;
//! [`AvlTreeData::from_register`] and [`group_element_from_register`] read the registers' bytes.
//! Format, sources and what it proves: `docs/CHAIN.md`.
//!
//! - `sigma_reader.rs`, `register_error.rs`: reading a serialized Sigma constant, and why one is
//!   refused;
//! - `avl_tree_data.rs`, `group_element.rs`: the two registers a tracker's box holds;
//! - `box_json.rs`, `tracker_box.rs`: a box as JSON, its id recomputed from its contents, and the
//!   tracker's commitment it carries;
//! - `commitments.rs`, `commitment_matcher.rs`: a committed digest, and the matching of a log's
//!   roots against a list of them, which the log verifier runs.
//!
//! It may use the foundation only; the log's verifier uses its commitments.

mod avl_tree_data;
mod box_json;
mod commitment_matcher;
mod commitments;
mod group_element;
mod register_error;
mod sigma_reader;
mod tracker_box;

pub use avl_tree_data::{AvlTreeData, AVL_TREE_TYPE_CODE};
// The Basis reserve box is read through the same box reader (`crate::basis::boxes`).
pub(crate) use box_json::{box_invalid, BoxJson};
pub(crate) use commitment_matcher::CommitmentMatcher;
pub use commitments::{Commitment, CommitmentMatch};
pub use group_element::{group_element_from_register, GROUP_ELEMENT_TYPE_CODE};
pub use register_error::RegisterError;
pub use tracker_box::TrackerCommitment;
