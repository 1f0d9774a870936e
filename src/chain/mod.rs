//! What the chain holds: a tracker's commitment box and the Sigma constants in its registers.
//!
//! A Basis tracker commits to its tree by posting a box whose R4 is its public key (a
//! `GroupElement`) and whose R5 is the tree (an `AvlTree`: digest, flags, key and value lengths).
//! [`TrackerCommitment::from_box_json`] reads such a box as a node or an explorer serves it;
//! [`AvlTreeData::from_register`] and [`group_element_from_register`] read the registers' bytes.
//! Format, sources and what it proves: `docs/CHAIN.md`.

mod avl_tree_data;
mod box_json;
mod commitments;
mod group_element;
mod register_error;
mod sigma_reader;
mod tracker_box;

pub use avl_tree_data::{AvlTreeData, AVL_TREE_TYPE_CODE};
pub use commitments::{Commitment, CommitmentMatch};
pub use group_element::{group_element_from_register, GROUP_ELEMENT_TYPE_CODE};
pub use register_error::RegisterError;
pub use tracker_box::TrackerCommitment;
