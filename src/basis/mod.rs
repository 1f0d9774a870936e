//! A Basis wallet's checks: the Schnorr signatures of notes, the tracker's answers read from its
//! JSON, its lookup proofs checked against the digest on chain, and a redemption judged as the
//! reserve contract judges it. Sources, and what each check proves: `docs/NOTES.md`.
//!
//! - `schnorr.rs`: the note's message, signing and verifying, with the contract's top-bit rule;
//! - `answers.rs`: a note and the tracker's answers, from the JSON basis-tracker serves;
//! - `note_check.rs`: a note's signatures, and the tracker's proof of its debt;
//! - `boxes.rs`, `redemption.rs`: the reserve and tracker boxes, and a redemption's conditions;
//! - `report.rs`: the named checks the reports are made of.
//!
//! It may use every layer below it (the chain's boxes, the tree, the proof verifier).

mod answers;
mod boxes;
mod note_check;
mod redemption;
mod report;
mod schnorr;

pub use answers::{
    Note, ReserveProofAnswer, TrackerProofAnswer, TrackerSignatureAnswer, TrackerState,
};
pub use boxes::{ReserveBox, TrackerBox};
pub use note_check::{verify_note, verify_tracker_proof, NoteReport, TrackerProofReport};
pub use redemption::{
    check_redemption, Redemption, RedemptionReport, ReserveUpdate, EMERGENCY_BLOCKS,
};
pub use report::{Check, CheckStatus};
pub use schnorr::public_key_argument;
pub use schnorr::{
    note_message, public_key, sign_note, verify_signature, SignatureCheck, NOTE_MESSAGE_LENGTH,
    PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH,
};
