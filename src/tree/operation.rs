//! One operation on a tree, as given to [`Tree::apply`](crate::Tree::apply) and to batch proofs.

/// An operation on a [`Tree`](crate::Tree). The names follow Ergo's `Operation`: an insert fails
/// on an existing key, an update and a remove fail on a missing one, and the `…IfExists` /
/// `InsertOrUpdate` forms never fail on presence.
#[allow(missing_docs)] // the variants and fields are named for what they hold
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Operation {
    Lookup { key: Vec<u8> },
    Insert { key: Vec<u8>, value: Vec<u8> },
    Update { key: Vec<u8>, value: Vec<u8> },
    InsertOrUpdate { key: Vec<u8>, value: Vec<u8> },
    Remove { key: Vec<u8> },
    RemoveIfExists { key: Vec<u8> },
}

impl Operation {
    /// The key the operation acts on.
    pub fn key(&self) -> &[u8] {
        match self {
            Operation::Lookup { key }
            | Operation::Insert { key, .. }
            | Operation::Update { key, .. }
            | Operation::InsertOrUpdate { key, .. }
            | Operation::Remove { key }
            | Operation::RemoveIfExists { key } => key,
        }
    }

    /// The value the operation writes, if it writes one.
    pub fn value(&self) -> Option<&[u8]> {
        match self {
            Operation::Insert { value, .. }
            | Operation::Update { value, .. }
            | Operation::InsertOrUpdate { value, .. } => Some(value),
            Operation::Lookup { .. }
            | Operation::Remove { .. }
            | Operation::RemoveIfExists { .. } => None,
        }
    }

    /// The API name of the operation's type: `"lookup"`, `"insert"`, `"update"`,
    /// `"insertOrUpdate"`, `"remove"` or `"removeIfExists"`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Operation::Lookup { .. } => "lookup",
            Operation::Insert { .. } => "insert",
            Operation::Update { .. } => "update",
            Operation::InsertOrUpdate { .. } => "insertOrUpdate",
            Operation::Remove { .. } => "remove",
            Operation::RemoveIfExists { .. } => "removeIfExists",
        }
    }
}
