//! Checking a log against the state it continues: its header ([`check_header`]), each record's
//! link to the record before it ([`check_link`]), and each record's change, replayed on a tree
//! ([`replay_record`]) or checked by the proof it carries with no tree at hand
//! ([`verify_record_proof`]). These are the checks of
//! [`TreeStorage::append`](crate::TreeStorage::append), recovery and the [`LogVerifier`], stateful
//! or stateless, so all of them refuse a log for the same reasons.
//!
//! [`LogVerifier`]: crate::LogVerifier

use crate::digest::Digest;
use crate::error::{Error, ErrorKind, Result};
use crate::log::format::LogHeader;
use crate::log::record::TreeOperation;
use crate::proof::error::ProofError;
use crate::proof::verifier::verify_batch;
use crate::shape::TreeShape;
use crate::tree::operation::Operation;
use crate::tree::Tree;

/// Checks that a log's header is for a tree of `shape` (`SHAPE_MISMATCH`) and, when it names the
/// state it starts from, that this is the state after record `sequence` (`LOG_SEQUENCE`), whose
/// digest is `root` (`ROOT_BEFORE_MISMATCH`). Errors are located at byte 0, the header's.
pub(crate) fn check_header(
    header: &LogHeader,
    shape: TreeShape,
    sequence: u64,
    root: &Digest,
) -> Result<()> {
    let at_header = |kind: ErrorKind| Error::new(kind).at_offset(0);
    if header.shape != shape {
        return Err(at_header(ErrorKind::ShapeMismatch {
            expected: shape,
            actual: header.shape,
        }));
    }
    if let Some(start) = header.start {
        if start.sequence != sequence {
            return Err(at_header(ErrorKind::LogStart {
                expected: sequence,
                actual: start.sequence,
            }));
        }
        if start.root != *root {
            return Err(at_header(ErrorKind::RootBeforeMismatch {
                expected: *root,
                logged: start.root,
            }));
        }
    }
    Ok(())
}

/// The sequence number the record after record `last` must have. Nothing follows `u64::MAX`:
/// after it `record` is out of sequence (`LOG_SEQUENCE`) whatever its number.
pub(crate) fn next_sequence(last: u64, record: &TreeOperation) -> Result<u64> {
    following_sequence(last).map_err(|err| err.with_record(record))
}

/// The sequence number after `last`; `LOG_SEQUENCE` at `u64::MAX`, after which there is none.
pub(crate) fn following_sequence(last: u64) -> Result<u64> {
    last.checked_add(1).ok_or_else(|| {
        Error::new(ErrorKind::CounterExhausted {
            counter: "sequence number",
        })
    })
}

/// Checks that `record` is the next one where the log stands: its sequence number is
/// `expected_sequence` (`LOG_SEQUENCE`) and its `tree_root_before` is `root`, the digest there
/// (`ROOT_BEFORE_MISMATCH`). Errors are located at the record's sequence number.
pub(crate) fn check_link(
    record: &TreeOperation,
    expected_sequence: u64,
    root: &Digest,
) -> Result<()> {
    let sequence = record.sequence_number;
    let at = |kind: ErrorKind| Error::new(kind).at_sequence(sequence).with_record(record);
    if sequence != expected_sequence {
        return Err(at(ErrorKind::LogSequence {
            expected: expected_sequence,
            actual: sequence,
        }));
    }
    if record.tree_root_before != *root {
        return Err(at(ErrorKind::RootBeforeMismatch {
            expected: *root,
            logged: record.tree_root_before,
        }));
    }
    Ok(())
}

/// Checks `record` against `tree` and applies it, or leaves `tree` exactly as it was and returns
/// the first defect, located at the record's sequence number:
///
/// 1. the sequence number is `expected_sequence` (`LOG_SEQUENCE`);
/// 2. `tree_root_before` is the tree's digest (`ROOT_BEFORE_MISMATCH`);
/// 3. the key and value fit the tree's shape (`KEY_LENGTH`, `KEY_RESERVED`, `VALUE_LENGTH`) and
///    the record has the fields its type needs (`OPERATION_FAILED`);
/// 4. the operation applies (`OPERATION_FAILED`, e.g. an insert of a key that exists);
/// 5. `previous_value` is the value the key had (`PREVIOUS_VALUE_MISMATCH`);
/// 6. `tree_root_after` is the tree's new digest (`ROOT_AFTER_MISMATCH`).
///
/// Every error carries the record ([`Error::record`]).
pub fn replay_record(
    tree: &mut Tree,
    expected_sequence: u64,
    record: &TreeOperation,
) -> Result<()> {
    replay_checked(tree, expected_sequence, record).map_err(|err| err.with_record(record))
}

fn replay_checked(tree: &mut Tree, expected_sequence: u64, record: &TreeOperation) -> Result<()> {
    match replay_in_batch(tree, expected_sequence, record) {
        Ok(()) => {
            tree.end_batch();
            Ok(())
        }
        Err(err) => {
            tree.abort();
            Err(err)
        }
    }
}

/// [`replay_record`] within the tree's current batch, which the caller ends or aborts: on an
/// error the batch may hold the record's operation (and the caller aborts it, with whatever the
/// batch held before). Errors do not carry the record yet.
pub(crate) fn replay_in_batch(
    tree: &mut Tree,
    expected_sequence: u64,
    record: &TreeOperation,
) -> Result<()> {
    let at = |kind: ErrorKind| Error::new(kind).at_sequence(record.sequence_number);
    check_link(record, expected_sequence, &tree.digest_in_batch())?;
    let operation = checked_operation(tree.shape(), record)?;
    let previous = match tree.perform(&operation) {
        Ok(previous) => previous,
        Err(err) => {
            return Err(at(ErrorKind::OperationFailed {
                reason: format!("{} of {}", record.operation_type.as_str(), err.kind()),
            }));
        }
    };
    if previous != record.previous_value.as_deref() {
        return Err(at(ErrorKind::PreviousValueMismatch {
            actual: previous.map(<[u8]>::to_vec),
            logged: record.previous_value.clone(),
        }));
    }
    let after = tree.digest_in_batch();
    if after != record.tree_root_after {
        return Err(at(ErrorKind::RootAfterMismatch {
            computed: after,
            logged: record.tree_root_after,
        }));
    }
    Ok(())
}

/// Checks a log record by the proof it carries, with no tree at hand: the proof verifies the
/// record's operation against `tree_root_before`, the operation's result is the record's
/// `previous_value`, and the digest after it is `tree_root_after`. Memory and time are those of
/// the one proof. (Whether the record follows the one before it, its sequence number and
/// `tree_root_before`, is the caller's to check, as the stateless [`LogVerifier`] does.)
///
/// [`LogVerifier`]: crate::LogVerifier
///
/// Errors, located at the record's sequence number: `PROOF_INVALID` (no proof, or one that does
/// not verify), `OPERATION_FAILED` (the record cannot describe an operation, or the proof shows
/// the operation cannot be applied, e.g. an insert of a key that is there),
/// `PREVIOUS_VALUE_MISMATCH`, `ROOT_AFTER_MISMATCH`, and `KEY_LENGTH` / `KEY_RESERVED` /
/// `VALUE_LENGTH` for a key or value that does not fit `shape`. Every error carries the record
/// ([`Error::record`]).
pub fn verify_record_proof(shape: TreeShape, record: &TreeOperation) -> Result<()> {
    verify_record_proof_checked(shape, record).map_err(|err| err.with_record(record))
}

fn verify_record_proof_checked(shape: TreeShape, record: &TreeOperation) -> Result<()> {
    let at = |kind: ErrorKind| Error::new(kind).at_sequence(record.sequence_number);
    let operation = checked_operation(shape, record)?;
    let Some(proof) = &record.proof else {
        return Err(at(ErrorKind::ProofInvalid {
            reason: ProofError::MissingProof,
        }));
    };
    let verified = match verify_batch(&record.tree_root_before, proof, &[operation], shape) {
        Ok(verified) => verified,
        Err(ProofError::OperationFailed { reason, .. }) => {
            return Err(at(ErrorKind::OperationFailed {
                reason: format!("{} of a key that {reason}", record.operation_type.as_str()),
            }))
        }
        Err(reason) => return Err(at(ErrorKind::ProofInvalid { reason })),
    };
    let previous = verified.results.into_iter().next().flatten();
    if previous != record.previous_value {
        return Err(at(ErrorKind::PreviousValueMismatch {
            actual: previous,
            logged: record.previous_value.clone(),
        }));
    }
    if verified.digest != record.tree_root_after {
        return Err(at(ErrorKind::RootAfterMismatch {
            computed: verified.digest,
            logged: record.tree_root_after,
        }));
    }
    Ok(())
}

/// The record's operation, once the record has the fields its type needs and its key, value and
/// previous value fit `shape`; errors are located at the record's sequence number.
fn checked_operation(shape: TreeShape, record: &TreeOperation) -> Result<Operation> {
    let operation = record.operation()?;
    let located = |err: Error| err.at_sequence(record.sequence_number);
    shape.check_key(&record.key).map_err(located)?;
    for value in [&record.value, &record.previous_value]
        .into_iter()
        .flatten()
    {
        shape.check_value(value).map_err(located)?;
    }
    Ok(operation)
}
