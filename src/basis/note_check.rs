//! [`verify_note`] and [`verify_tracker_proof`]: a note's signatures, and the tracker's proof of
//! its debt against the digest committed on chain.

use super::answers::{Note, TrackerProofAnswer};
use super::report::{Check, CheckStatus};
use super::schnorr::{public_key_argument, verify_signature, SignatureCheck, SIGNATURE_LENGTH};
use crate::chain::Commitment;
use crate::digest::Digest;
use crate::error::{Error, ErrorKind, Result};
use crate::hex::to_hex;
use crate::proof::verifier::verify_proof;
use crate::shape::TreeShape;
use crate::tree::operation::Operation;

/// What [`verify_note`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteReport {
    /// `issuerSignature` and `trackerSignature`, in that order.
    pub checks: Vec<Check>,
    /// The note's key: blake2b256(issuer ‖ recipient).
    pub key: [u8; 32],
    /// The 48 bytes both signatures sign.
    pub message: [u8; 48],
    /// The issuer's signature, checked.
    pub issuer_signature: SignatureCheck,
    /// The tracker's signature, checked, when it and the tracker's key were given.
    pub tracker_signature: Option<SignatureCheck>,
}

impl NoteReport {
    /// No check failed (some may not have been checked: see [`NoteReport::checks`]).
    pub fn passed(&self) -> bool {
        self.checks
            .iter()
            .all(|check| check.status != CheckStatus::Failed)
    }
}

/// A signature's check as a named check: passed when the contract accepts it.
pub(crate) fn signature_check(name: &'static str, who: &str, check: SignatureCheck) -> Check {
    match (check.valid, check.on_chain) {
        (_, true) => Check::passed(
            name,
            format!("{who}'s signature holds, as the contract checks it"),
        ),
        (true, false) => Check::failed(
            name,
            format!(
                "{who}'s signature holds by the equation z·G = a + e·P, but the top bit of e or z \
                 is set: the contract reads them as negative numbers (byteArrayToBigInt) and \
                 refuses it"
            ),
        ),
        (false, _) => Check::failed(name, format!("{who}'s signature does not hold")),
    }
}

/// Checks a note's signatures: the issuer's over the note's message, and the tracker's when
/// `tracker_signature` is given with the tracker's key `tracker_key` (R4 of its box; read it with
/// [`TrackerCommitment::from_box_json`](crate::TrackerCommitment::from_box_json)).
///
/// A tracker key that is not a point of secp256k1, or a tracker signature that is not 65 bytes,
/// is `INVALID_ARGUMENT`. A tracker signature without the tracker's key is reported as not
/// checked, as is a missing tracker signature.
pub fn verify_note(
    note: &Note,
    tracker_key: Option<&[u8]>,
    tracker_signature: Option<&[u8]>,
) -> Result<NoteReport> {
    let message = note.message();
    if let Some(key) = tracker_key {
        public_key_argument("trackerKey", key)?;
    }
    let issuer_signature = verify_signature(&note.issuer, &message, &note.signature)?;
    let mut checks = vec![signature_check(
        "issuerSignature",
        "the issuer",
        issuer_signature,
    )];
    let tracker = match (tracker_key, tracker_signature) {
        (Some(key), Some(signature)) => {
            let check = verify_signature(key, &message, signature).map_err(rename_signature)?;
            checks.push(signature_check("trackerSignature", "the tracker", check));
            Some(check)
        }
        (None, Some(signature)) => {
            if signature.len() != SIGNATURE_LENGTH {
                return Err(Error::invalid_argument(
                    "trackerSignature",
                    format!(
                        "must be 65 bytes (a 33 ‖ z 32), not {} bytes",
                        signature.len()
                    ),
                ));
            }
            checks.push(Check::not_checked(
                "trackerSignature",
                "the tracker's key is needed: give its box (R4) or its key",
            ));
            None
        }
        (_, None) => {
            checks.push(Check::not_checked(
                "trackerSignature",
                "no tracker signature was given (the contract needs one unless the tracker's box \
                 is old enough for the emergency path)",
            ));
            None
        }
    };
    Ok(NoteReport {
        checks,
        key: note.key(),
        message,
        issuer_signature,
        tracker_signature: tracker,
    })
}

/// The signature argument's errors, named as the tracker's.
fn rename_signature(err: Error) -> Error {
    match err.kind() {
        ErrorKind::InvalidArgument { argument, problem } if argument == "signature" => {
            Error::invalid_argument("trackerSignature", problem.clone())
        }
        ErrorKind::InvalidArgument { argument, problem } if argument == "publicKey" => {
            Error::invalid_argument("trackerKey", problem.clone())
        }
        _ => err,
    }
}

/// What [`verify_tracker_proof`] established.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackerProofReport {
    /// The key proved: the note's.
    pub key: [u8; 32],
    /// The total debt the tracker's tree on chain holds for it.
    pub total_debt: u64,
    /// The on-chain digest the proof was checked against.
    pub digest: Digest,
    /// The digest the tracker says its tree has now, if it said.
    pub tracker_state_digest: Option<Digest>,
    /// Whether that digest is the one on chain (`None` when it was not given). A tracker ahead
    /// of its last commitment is normal; the proof holds on chain all the same.
    pub digest_agrees: Option<bool>,
}

/// Checks the tracker's lookup proof (its `/tracker/proof` answer) against the digest committed
/// on chain — not the digest the answer claims — and returns the total debt it proves.
///
/// `commitment` is the tracker's on-chain tree (from its box, its R5 register or a digest);
/// `note`, when given, is the note the proof must be of. Errors, each with its code:
/// `NOTE_KEY_MISMATCH` when the key is not blake2b256(issuer ‖ recipient) of the note;
/// `DEBT_VALUE_INVALID` when the value is not 8 bytes, is not the answer's `total_debt`, or is
/// not what the tree on chain holds; `PROOF_INVALID` when the proof does not verify against the
/// on-chain digest (for example one made for a later tree); `KEY_NOT_FOUND` when it proves the
/// key absent; `SHAPE_MISMATCH` when the on-chain tree is not of 32-byte keys and values of any
/// length.
pub fn verify_tracker_proof(
    answer: &TrackerProofAnswer,
    commitment: &Commitment,
    note: Option<&Note>,
) -> Result<TrackerProofReport> {
    let Ok(key) = <[u8; 32]>::try_from(answer.key.as_slice()) else {
        return Err(match note {
            Some(note) => Error::new(ErrorKind::NoteKeyMismatch {
                expected: note.key(),
                actual: answer.key.clone(),
            }),
            None => Error::new(ErrorKind::KeyLength {
                expected: 32,
                actual: answer.key.len(),
            }),
        });
    };
    if let Some(note) = note {
        if note.key() != key {
            return Err(Error::new(ErrorKind::NoteKeyMismatch {
                expected: note.key(),
                actual: key.to_vec(),
            }));
        }
    }
    let total_debt = debt_of(&answer.value)?;
    if total_debt != answer.total_debt {
        return Err(debt_invalid(
            &answer.value,
            format!(
                "it is {total_debt}, the answer's total_debt says {}",
                answer.total_debt
            ),
        ));
    }
    let on_chain = lookup_on_chain(commitment, &key, &answer.proof)?;
    if on_chain != answer.value {
        return Err(debt_invalid(
            &answer.value,
            format!("the tree on chain holds {} for this key", to_hex(&on_chain)),
        ));
    }
    Ok(TrackerProofReport {
        key,
        total_debt,
        digest: commitment.digest,
        tracker_state_digest: answer.tracker_state_digest,
        digest_agrees: answer
            .tracker_state_digest
            .map(|digest| digest == commitment.digest),
    })
}

/// The value `key` has in the on-chain tree, as `proof` proves it: `PROOF_INVALID` when the
/// proof does not verify, `KEY_NOT_FOUND` when it proves the key absent.
pub(crate) fn lookup_on_chain(
    commitment: &Commitment,
    key: &[u8; 32],
    proof: &[u8],
) -> Result<Vec<u8>> {
    commitment.check_shape(TreeShape::BASIS_TRACKER)?;
    let lookup = [Operation::Lookup { key: key.to_vec() }];
    let verified = verify_proof(&commitment.digest, proof, &lookup, TreeShape::BASIS_TRACKER)?;
    match verified.results.into_iter().next().flatten() {
        Some(value) => Ok(value),
        None => Err(Error::new(ErrorKind::KeyNotFound { key: key.to_vec() })),
    }
}

/// A tracker tree value as a total debt: exactly 8 bytes big-endian.
pub(crate) fn debt_of(value: &[u8]) -> Result<u64> {
    <[u8; 8]>::try_from(value)
        .map(u64::from_be_bytes)
        .map_err(|_| {
            debt_invalid(
                value,
                format!(
                    "it is {} bytes, a total debt is 8 bytes big-endian",
                    value.len()
                ),
            )
        })
}

fn debt_invalid(value: &[u8], reason: String) -> Error {
    Error::new(ErrorKind::DebtValueInvalid {
        value: value.to_vec(),
        reason,
    })
}
