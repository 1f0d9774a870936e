//! A record of the operation log: what the Basis tracker's `TreeOperation` holds.

use crate::Digest;

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
