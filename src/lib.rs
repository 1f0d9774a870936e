//! Authenticated AVL+ trees and operation logs of the [Basis] tracker on Ergo, for light clients
//! that check a tracker instead of trusting it.
//!
//! A [`Tree`] is an authenticated AVL+ tree held in memory that behaves exactly as Ergo's
//! `BatchAVLProver`: its 33-byte [`digest`](Tree::digest) is the one committed on chain. A [`TreeStorage`] is a tree plus its log of [`TreeOperation`]
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
//! A wallet holding Basis notes checks them here too (`docs/NOTES.md`): [`verify_signature`] and
//! [`sign_note`] are the notes' Schnorr signatures as the reserve contract checks them (the
//! top bits of e and z clear), [`Note::from_json`] and [`TrackerProofAnswer::from_json`] read
//! what the tracker serves, [`verify_note`] and [`verify_tracker_proof`] check a note's
//! signatures and the tracker's proof of its debt against the digest on chain, and
//! [`check_redemption`] judges a redemption condition by condition, as `basis.es` would.
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

// The foundation, which every layer may use: errors, shapes, digests, hex, checksums, blake2b,
// the cursor over untrusted bytes, room in memory, a bounded JSON reader, and how Basis derives
// keys and values.
mod blake2b;
mod byte_reader;
mod crc32c;
mod digest;
mod error;
mod hex;
mod json_reader;
mod memory;
mod note_key;
mod shape;

// The layers, from the bottom up: `chain` (what the chain holds: registers, boxes, commitments),
// `tree` (the tree, its operations, snapshots and checkpoints), `proof` (the proof verifier), `log`
// (records, formats, replay, the verifier), `storage` (the tracker's tree and log) and `basis` (a
// wallet's checks of notes, signatures, proofs and redemptions). Each may use the foundation and
// the layers below it, never those above.
mod basis;
mod chain;
mod log;
mod proof;
mod storage;
mod tree;

/// The AVL+ engine under [`Tree`]: not part of the API, public only for the differential tests
/// and the fuzz target that check it against `ergo_avltree_rust`.
#[doc(hidden)]
pub use tree::avl;

/// The examples of `docs/PROOFS.md`, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/PROOFS.md")]
pub struct ProofsGuide;

/// The examples of `docs/CHAIN.md`, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/CHAIN.md")]
pub struct ChainGuide;

pub use basis::{
    check_redemption, note_message, public_key, sign_note, verify_note, verify_signature,
    verify_tracker_proof, Check, CheckStatus, Note, NoteReport, Redemption, RedemptionReport,
    ReserveBox, ReserveProofAnswer, ReserveUpdate, SignatureCheck, TrackerBox, TrackerProofAnswer,
    TrackerProofReport, TrackerSignatureAnswer, TrackerState, EMERGENCY_BLOCKS,
    NOTE_MESSAGE_LENGTH, PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH,
};
pub use chain::{
    group_element_from_register, Anchor, AvlTreeData, Commitment, CommitmentMatch, RegisterError,
    TrackerCommitment, UnverifiedBoxId, AVL_TREE_TYPE_CODE, GROUP_ELEMENT_TYPE_CODE,
};
pub use digest::{Digest, EMPTY_BASIS_TRACKER_DIGEST};
pub use error::{Error, ErrorCode, ErrorKind, Result};
pub use hex::to_hex;
pub use log::binary::BINARY_LOG_MAGIC;
pub use log::codec::{
    decode_log, decode_log_within, encode_log, encode_log_with_header, DecodedRecord, LogDecoder,
    LogEncoder,
};
pub use log::format::{
    record_length_limit, LogFormat, LogHeader, LogStart, RecordLimits, DEFAULT_MAX_VALUE_LENGTH,
    MAX_LINE_LENGTH, MAX_PROOF_LENGTH, MAX_RECORD_LENGTH,
};
pub use log::ndjson::NDJSON_LOG_FORMAT_NAME;
pub use log::record::{OperationType, TreeOperation};
pub use log::replay::{replay_record, verify_record_proof};
pub use log::verifier::{
    verify_log, LogVerifier, Progress, ProgressCallback, Report, ShapeAssertion, VerifierOptions,
};
pub use note_key::{debt_value, note_key};
pub use proof::error::ProofError;
pub use proof::verifier::{verify_proof, VerifiedBatch};
pub use shape::{TreeShape, MAX_KEY_LENGTH, MAX_VALUE_LENGTH};
pub use storage::TreeStorage;
pub use tree::checkpoint::Checkpoint;
pub use tree::operation::Operation;
pub use tree::snapshot::{Snapshot, SNAPSHOT_MAGIC};
pub use tree::{BatchProof, Tree};

/// Bytes of a hex string, in either case. An odd length or a character that is not a hex digit is
/// `LOG_CORRUPT`, located at the byte offset of that character in `text`.
///
/// ```
/// use basis_trees::{from_hex, ErrorCode};
/// assert_eq!(from_hex("01fE")?, vec![0x01, 0xfe]);
/// let err = from_hex("00zz").unwrap_err();
/// assert_eq!((err.code(), err.offset()), (ErrorCode::LogCorrupt, Some(2)));
/// # Ok::<(), basis_trees::Error>(())
/// ```
pub fn from_hex(text: &str) -> Result<Vec<u8>> {
    hex::decode_hex(text).map_err(|err| {
        let corrupt = Error::new(ErrorKind::LogCorrupt {
            reason: err.to_string(),
        });
        match err.offset() {
            Some(offset) => corrupt.at_offset(offset as u64),
            None => corrupt,
        }
    })
}

/// What the JavaScript bindings (the `basis-trees-wasm` package in `bindings/`) share with the
/// crate beyond its API: the byte cursor and the hex decoder its readers use, and the check of a
/// public key argument, in the words of the functions that take one. Not part of the API.
#[doc(hidden)]
pub mod bindings_support {
    pub use crate::basis::public_key_argument;
    pub use crate::byte_reader::ByteReader;
    pub use crate::hex::{decode_hex, HexError};
}
