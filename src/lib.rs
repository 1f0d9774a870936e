//! Authenticated AVL+ trees and operation logs of the [Basis] tracker on Ergo, for light clients
//! that check a tracker instead of trusting it.
//!
//! A [`Tree`] is Ergo's `BatchAVLProver` held in memory: its 33-byte [`digest`](Tree::digest) is
//! the one committed on chain. A [`TreeStorage`] is a tree plus its log of [`TreeOperation`]
//! records; replaying a log checks every record's roots and previous value. A tree proves lookups
//! and batches of operations with Ergo's proof bytes ([`Tree::prove_lookup`], [`Tree::prove`]);
//! [`verify_proof`] checks any such proof against a digest alone and never panics, whatever the
//! bytes (format and checks: `docs/PROOFS.md`).
//!
//! Logs travel as bytes in two formats, binary and NDJSON ([`LogFormat`], specified in
//! `docs/FORMAT.md`): [`TreeStorage::export_log`] and [`encode_log`] write them, [`LogDecoder`]
//! and [`decode_log`] read them, and [`LogVerifier`] / [`verify_log`] check one as it downloads,
//! holding the tree but never the log. A [`Snapshot`] restores an exact tree, so verification can
//! resume from a checkpoint.
//!
//! The anchor is the chain: [`TrackerCommitment::from_box_json`] reads the tracker's commitment
//! box (R4 its key, R5 its tree as an [`AvlTreeData`]) as a node or an explorer serves it, so a
//! log can be checked against the digest actually committed (`docs/CHAIN.md`).
//!
//! ```
//! use basis_trees::{
//!     debt_value, note_key, verify_proof, ErrorCode, LogFormat, LogVerifier, Operation, Tree,
//!     TreeShape, TreeStorage, VerifierOptions,
//! };
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
//!
//! // Over the wire: the tracker exports its log, the client verifies it against the digest
//! // committed on chain, then answers lookups from the replayed tree.
//! let bytes = tracker.export_log(None, LogFormat::Binary);
//! let options = VerifierOptions::new(TreeShape::BASIS_TRACKER).expect_root(tracker.digest());
//! let mut verifier = LogVerifier::new(options)?;
//! verifier.push(&bytes)?; // in chunks of any size, as they arrive
//! assert_eq!(verifier.finish()?.operations, 2);
//! let replayed = verifier.tree().expect("a stateful verifier holds its tree");
//! assert_eq!(replayed.get(&key)?, Some(debt_value(250).to_vec()));
//!
//! // A snapshot restores the exact tree, shape included.
//! let restored = Tree::from_snapshot(&tracker.tree().snapshot())?;
//! assert_eq!(restored.digest(), tracker.digest());
//!
//! // Proofs: the tracker proves a note's debt; anyone holding the digest checks it.
//! let proof = tracker.tree().prove_lookup(&[key])?;
//! let lookup = [Operation::Lookup { key: key.to_vec() }];
//! let verified = verify_proof(&tracker.digest(), &proof, &lookup, TreeShape::BASIS_TRACKER)?;
//! assert_eq!(verified.results, vec![Some(debt_value(250).to_vec())]);
//! let err = verify_proof(&tracker.digest(), &proof[..40], &lookup, TreeShape::BASIS_TRACKER);
//! assert_eq!(err.unwrap_err().code(), ErrorCode::ProofInvalid);
//! # Ok(())
//! # }
//! ```
//!
//! [Basis]: https://www.ergoforum.org/t/basis-a-foundational-on-chain-reserve-approach-to-support-a-variety-of-offchain-protocols/5153
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod binary_log;
mod byte_reader;
mod chain;
mod crc32c;
mod error;
mod hex;
mod json_reader;
mod log_codec;
mod log_format;
mod log_verifier;
mod ndjson_log;
mod note_key;
mod operation;
mod packed_tree;
mod proof_error;
mod proof_verifier;
mod record;
mod replay;
mod shape;
mod snapshot;
mod storage;
mod tree;

/// A tree digest: the root's 32-byte blake2b256 label followed by one byte of tree height.
pub type Digest = [u8; 33];

/// The digest of an empty tree with 32-byte keys and variable-length values.
pub const EMPTY_BASIS_TRACKER_DIGEST: &str =
    "4ec61f485b98eb87153f7c57db4f5ecd75556fddbc403b41acf8441fde8e160900";

/// The examples of `docs/PROOFS.md`, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/PROOFS.md")]
pub struct ProofsGuide;

/// The examples of `docs/CHAIN.md`, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/CHAIN.md")]
pub struct ChainGuide;

pub use binary_log::BINARY_LOG_MAGIC;
pub use chain::{
    group_element_from_register, AvlTreeData, Commitment, CommitmentMatch, RegisterError,
    TrackerCommitment, AVL_TREE_TYPE_CODE, GROUP_ELEMENT_TYPE_CODE,
};
pub use error::{Error, ErrorCode, ErrorKind, Result};
pub use hex::{from_hex, to_hex};
pub use log_codec::{
    decode_log, encode_log, encode_log_with_header, DecodedRecord, LogDecoder, LogEncoder,
};
pub use log_format::{
    LogFormat, LogHeader, LogStart, MAX_LINE_LENGTH, MAX_PROOF_LENGTH, MAX_RECORD_LENGTH,
};
pub use log_verifier::{
    verify_log, LogVerifier, Progress, ProgressCallback, Report, VerifierOptions,
};
pub use ndjson_log::NDJSON_LOG_FORMAT_NAME;
pub use note_key::{debt_value, note_key};
pub use operation::Operation;
pub use proof_error::ProofError;
pub use proof_verifier::{verify_proof, verify_record_proof, VerifiedBatch};
pub use record::{OperationType, TreeOperation};
pub use replay::replay_record;
pub use shape::{TreeShape, MAX_KEY_LENGTH, MAX_VALUE_LENGTH};
pub use snapshot::{Snapshot, SNAPSHOT_MAGIC};
pub use storage::{Checkpoint, TreeStorage};
pub use tree::{BatchProof, Tree};

/// The JavaScript bindings (wasm32 only): the classes and functions of the npm package.
#[cfg(target_arch = "wasm32")]
pub mod wasm;
