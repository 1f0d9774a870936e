//! Checking one log record: against a tree, applying it ([`replay_record`]), or by the proof it
//! carries, with no tree at hand ([`verify_record_proof`]). These are the steps shared by
//! [`TreeStorage::append`](crate::TreeStorage::append), recovery and log verification.

use crate::error::{Error, ErrorKind, Result};
use crate::log::record::TreeOperation;
use crate::proof::error::ProofError;
use crate::proof::verifier::verify_batch;
use crate::shape::TreeShape;
use crate::tree::operation::Operation;
use crate::tree::Tree;

/// Checks `record` against `tree` and applies it, or leaves `tree` exactly as it was and returns
/// the first defect, located at the record's sequence number:
///
/// 1. the sequence number is `expected_sequence` (`LOG_SEQUENCE`);
/// 2. the key and value fit the tree's shape (`KEY_LENGTH`, `KEY_RESERVED`, `VALUE_LENGTH`) and
///    the record has the fields its type needs (`OPERATION_FAILED`);
/// 3. `tree_root_before` is the tree's digest (`ROOT_BEFORE_MISMATCH`);
/// 4. the operation applies (`OPERATION_FAILED`, e.g. an insert of a key that exists);
/// 5. `previous_value` is the value the key had (`PREVIOUS_VALUE_MISMATCH`);
/// 6. `tree_root_after` is the tree's new digest (`ROOT_AFTER_MISMATCH`).
pub fn replay_record(
    tree: &mut Tree,
    expected_sequence: u64,
    record: &TreeOperation,
) -> Result<()> {
    let sequence = record.sequence_number;
    let at = |kind: ErrorKind| Error::new(kind).at_sequence(sequence);
    if sequence != expected_sequence {
        return Err(at(ErrorKind::LogSequence {
            expected: expected_sequence,
            actual: sequence,
        }));
    }
    let operation = checked_operation(tree.shape(), record)?;
    let before = tree.digest();
    if before != record.tree_root_before {
        return Err(at(ErrorKind::RootBeforeMismatch {
            expected: before,
            logged: record.tree_root_before,
        }));
    }

    let savepoint = tree.savepoint();
    let previous = match tree.perform(&operation) {
        Ok(previous) => previous,
        Err(err) => {
            tree.rollback(savepoint);
            return Err(at(ErrorKind::OperationFailed {
                reason: format!("{} of {}", record.operation_type.as_str(), err.kind()),
            }));
        }
    };
    if previous != record.previous_value {
        tree.rollback(savepoint);
        return Err(at(ErrorKind::PreviousValueMismatch {
            actual: previous,
            logged: record.previous_value.clone(),
        }));
    }
    tree.settle_without_proof();
    let after = tree.digest();
    if after != record.tree_root_after {
        tree.rollback(savepoint);
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
/// the one proof.
///
/// Errors, located at the record's sequence number: `PROOF_INVALID` (no proof, or one that does
/// not verify), `OPERATION_FAILED` (the record cannot describe an operation, or the proof shows
/// the operation cannot be applied, e.g. an insert of a key that is there),
/// `PREVIOUS_VALUE_MISMATCH`, `ROOT_AFTER_MISMATCH`, and `KEY_LENGTH` / `KEY_RESERVED` /
/// `VALUE_LENGTH` for a key or value that does not fit `shape`.
pub fn verify_record_proof(shape: TreeShape, record: &TreeOperation) -> Result<()> {
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
