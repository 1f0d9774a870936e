//! The operation log, as the Basis tracker writes it and a light client checks it:
//!
//! - `record.rs`: [`TreeOperation`](record::TreeOperation), one record, and the `Operation` it
//!   describes;
//! - `format.rs`: what every log starts with ([`LogHeader`](format::LogHeader): its format, its
//!   tree's shape, the state it starts from) and the limits every decoder enforces;
//! - `binary.rs`, `ndjson.rs` (reading lines with the foundation's `json_reader.rs`): the two encodings, header and
//!   records, as `docs/FORMAT.md` specifies them;
//! - `codec.rs`: [`LogEncoder`](codec::LogEncoder) and the streaming
//!   [`LogDecoder`](codec::LogDecoder), for either format;
//! - `replay.rs`: the checks that tie a log to the state it continues: its header, each record's
//!   link to the one before, and each record's change, replayed on a tree or checked by its proof;
//! - `verifier.rs`: [`LogVerifier`](verifier::LogVerifier), those checks run on a log as its
//!   bytes arrive, with or without a tree.
//!
//! It may use the foundation, the tree (records are replayed on a `Tree`, verification may start
//! from a `Snapshot`) and the proof verifier (stateless checks); never the storage, which is built
//! on it.

pub(crate) mod binary;
pub(crate) mod codec;
pub(crate) mod format;
pub(crate) mod ndjson;
pub(crate) mod record;
pub(crate) mod replay;
pub(crate) mod verifier;
