//! Checking one log record against a tree and applying it: the step shared by
//! [`TreeStorage::append`](crate::TreeStorage::append), recovery and log verification.

use crate::error::{Error, ErrorKind, Result};
use crate::log::record::{OperationType, TreeOperation};
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
    let operation = operation_of(record).map_err(|e| e.at_sequence(sequence))?;
    let shape = tree.shape();
    shape
        .check_key(&record.key)
        .map_err(|e| e.at_sequence(sequence))?;
    if let Some(value) = &record.value {
        shape
            .check_value(value)
            .map_err(|e| e.at_sequence(sequence))?;
    }
    if let Some(previous) = &record.previous_value {
        shape
            .check_value(previous)
            .map_err(|e| e.at_sequence(sequence))?;
    }
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

/// The tree operation a record describes, or why the record cannot describe one.
pub(crate) fn operation_of(record: &TreeOperation) -> Result<Operation> {
    let key = record.key.clone();
    let missing = |what: &str| {
        Error::new(ErrorKind::OperationFailed {
            reason: format!("{} record {what}", record.operation_type.as_str()),
        })
    };
    match record.operation_type {
        OperationType::Insert => match &record.value {
            Some(value) => Ok(Operation::Insert {
                key,
                value: value.clone(),
            }),
            None => Err(missing("has no value")),
        },
        OperationType::Update => match &record.value {
            Some(value) => Ok(Operation::Update {
                key,
                value: value.clone(),
            }),
            None => Err(missing("has no value")),
        },
        OperationType::Remove => match &record.value {
            None => Ok(Operation::Remove { key }),
            Some(_) => Err(missing("carries a value")),
        },
    }
}
