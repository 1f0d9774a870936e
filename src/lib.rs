//! Authenticated AVL+ trees and operation logs of the [Basis] tracker on Ergo, for light clients
//! that check a tracker instead of trusting it.
//!
//! A [`Tree`] is Ergo's `BatchAVLProver` held in memory: its 33-byte [`digest`](Tree::digest) is
//! the one committed on chain. A [`TreeStorage`] is a tree plus its log of [`TreeOperation`]
//! records; replaying a log checks every record's roots and previous value.
//!
//! ```
//! use basis_trees::{note_key, debt_value, TreeShape, TreeStorage, ErrorCode};
//!
//! # fn main() -> Result<(), basis_trees::Error> {
//! // The tracker's side: perform and log.
//! let mut tracker = TreeStorage::new(TreeShape::BASIS_TRACKER)?;
//! let key = note_key(b"issuer public key", b"recipient public key");
//! tracker.insert(&key, &debt_value(100), 1_700_000_000_000)?;
//! tracker.update(&key, &debt_value(250), 1_700_000_060_000)?;
//!
//! // The light client's side: replay the log, checking every record.
//! let replica = TreeStorage::recover(TreeShape::BASIS_TRACKER, tracker.log().to_vec())?;
//! assert_eq!(replica.digest(), tracker.digest());
//! assert_eq!(replica.tree().get(&key)?, Some(debt_value(250).to_vec()));
//!
//! // A tampered record is refused with its code and sequence number.
//! let mut forged = tracker.log().to_vec();
//! forged[1].value = Some(debt_value(1).to_vec());
//! let err = TreeStorage::recover(TreeShape::BASIS_TRACKER, forged).unwrap_err();
//! assert_eq!((err.code(), err.sequence()), (ErrorCode::RootAfterMismatch, Some(2)));
//! # Ok(())
//! # }
//! ```
//!
//! [Basis]: https://www.ergoforum.org/t/basis-a-foundational-on-chain-reserve-approach-to-support-a-variety-of-offchain-protocols/5153
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod hex;
mod note_key;
mod operation;
mod record;
mod replay;
mod shape;
mod storage;
mod tree;

/// A tree digest: the root's 32-byte blake2b256 label followed by one byte of tree height.
pub type Digest = [u8; 33];

/// The digest of an empty tree with 32-byte keys and variable-length values.
pub const EMPTY_BASIS_TRACKER_DIGEST: &str =
    "4ec61f485b98eb87153f7c57db4f5ecd75556fddbc403b41acf8441fde8e160900";

pub use error::{Error, ErrorCode, ErrorKind, Result};
pub use hex::{from_hex, to_hex};
pub use note_key::{debt_value, note_key};
pub use operation::Operation;
pub use record::{OperationType, TreeOperation};
pub use replay::replay_record;
pub use shape::{TreeShape, MAX_KEY_LENGTH, MAX_VALUE_LENGTH};
pub use storage::{Checkpoint, TreeStorage};
pub use tree::Tree;

/// The JavaScript bindings (wasm32 only): the classes and functions of the npm package.
#[cfg(target_arch = "wasm32")]
pub mod wasm;
