//! A record of the operation log: what the Basis tracker's `TreeOperation` holds.

use crate::digest::Digest;
use crate::error::{Error, ErrorKind, Result};
use crate::tree::operation::Operation;

/// The kind of change a log record describes.
#[allow(missing_docs)] // the variants are named for what they hold
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationType {
    Insert,
    Update,
    Remove,
}

impl OperationType {
    /// `"insert"`, `"update"` or `"remove"`, as in logs and the JS API.
    pub fn as_str(self) -> &'static str {
        match self {
            OperationType::Insert => "insert",
            OperationType::Update => "update",
            OperationType::Remove => "remove",
        }
    }

    /// The type named by `name` (`"insert"`, `"update"`, `"remove"`), if any.
    pub fn from_name(name: &str) -> Option<OperationType> {
        match name {
            "insert" => Some(OperationType::Insert),
            "update" => Some(OperationType::Update),
            "remove" => Some(OperationType::Remove),
            _ => None,
        }
    }
}

/// One change of the tree, as logged: the tracker's `TreeOperation`.
///
/// `value` is present for inserts and updates; `previous_value` for updates and removes;
/// `proof`, when present, proves the operation against `tree_root_before`.
#[allow(missing_docs)] // the variants and fields are named for what they hold
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeOperation {
    pub sequence_number: u64,
    pub operation_type: OperationType,
    pub timestamp: u64,
    pub key: Vec<u8>,
    pub value: Option<Vec<u8>>,
    pub previous_value: Option<Vec<u8>>,
    pub tree_root_before: Digest,
    pub tree_root_after: Digest,
    pub proof: Option<Vec<u8>>,
}

impl TreeOperation {
    /// The tree operation the record describes: an insert or an update of `key` to `value`, or
    /// a remove of `key`. A record whose fields do not make one (an insert or update without a
    /// value, a remove with one) is `OPERATION_FAILED`, located at its sequence number.
    ///
    /// ```
    /// use basis_trees::{debt_value, ErrorCode, Operation, TreeShape, TreeStorage};
    ///
    /// let mut tracker = TreeStorage::new(TreeShape::BASIS_TRACKER)?;
    /// let record = tracker.insert(&[1; 32], &debt_value(5), 1_700_000_000_000)?.clone();
    /// let insert = Operation::Insert { key: vec![1; 32], value: debt_value(5).to_vec() };
    /// assert_eq!(record.operation()?, insert);
    ///
    /// let mut forged = record;
    /// forged.value = None;
    /// let err = forged.operation().unwrap_err();
    /// assert_eq!((err.code(), err.sequence()), (ErrorCode::OperationFailed, Some(1)));
    /// # Ok::<(), basis_trees::Error>(())
    /// ```
    pub fn operation(&self) -> Result<Operation> {
        let key = self.key.clone();
        let missing = |what: &str| {
            Error::new(ErrorKind::OperationFailed {
                reason: format!("{} record {what}", self.operation_type.as_str()),
            })
            .at_sequence(self.sequence_number)
        };
        match self.operation_type {
            OperationType::Insert => match &self.value {
                Some(value) => Ok(Operation::Insert {
                    key,
                    value: value.clone(),
                }),
                None => Err(missing("has no value")),
            },
            OperationType::Update => match &self.value {
                Some(value) => Ok(Operation::Update {
                    key,
                    value: value.clone(),
                }),
                None => Err(missing("has no value")),
            },
            OperationType::Remove => match &self.value {
                None => Ok(Operation::Remove { key }),
                Some(_) => Err(missing("carries a value")),
            },
        }
    }
}
