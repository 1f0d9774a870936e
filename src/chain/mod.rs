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
//! - `sigma_constant.rs`: where a serialized constant of any type ends;
//! - `box_bytes.rs`, `unverified_box_id.rs`: a box's bytes split into its fields by the bytes
//!   themselves, and why a box's id could not be bound to its fields;
//! - `box_json.rs`, `tracker_box.rs`: a box as JSON, its id recomputed from its contents, and the
//!   tracker's commitment it carries;
//! - `commitments.rs`, `commitment_matcher.rs`: a committed digest, and the matching of a log's
//!   roots against a list of them, which the log verifier runs.
//!
//! It may use the foundation only; the log's verifier uses its commitments.

mod avl_tree_data;
mod box_bytes;
mod box_json;
mod commitment_matcher;
mod commitments;
mod group_element;
mod register_error;
mod sigma_constant;
mod sigma_reader;
mod tracker_box;
mod unverified_box_id;

pub use avl_tree_data::{AvlTreeData, AVL_TREE_TYPE_CODE};
// The Basis reserve box is read through the same box reader (`crate::basis::boxes`).
pub(crate) use box_json::{box_invalid, BoxJson};
pub(crate) use commitment_matcher::CommitmentMatcher;
pub use commitments::{Anchor, Commitment, CommitmentMatch};
pub use group_element::{group_element_from_register, GROUP_ELEMENT_TYPE_CODE};
pub use register_error::RegisterError;
pub use tracker_box::TrackerCommitment;
pub use unverified_box_id::UnverifiedBoxId;
