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

    /// The same operation in `ergo_avltree_rust`'s terms.
    pub(crate) fn to_ergo(&self) -> ergo_avltree_rust::operation::Operation {
        use ergo_avltree_rust::operation::{KeyValue, Operation as Ergo};
        let key = stored_bytes(self.key());
        let kv = |value: &[u8]| KeyValue {
            key: key.clone(),
            value: stored_bytes(value),
        };
        match self {
            Operation::Lookup { .. } => Ergo::Lookup(key),
            Operation::Insert { value, .. } => Ergo::Insert(kv(value)),
            Operation::Update { value, .. } => Ergo::Update(kv(value)),
            Operation::InsertOrUpdate { value, .. } => Ergo::InsertOrUpdate(kv(value)),
            Operation::Remove { .. } => Ergo::Remove(key),
            Operation::RemoveIfExists { .. } => Ergo::RemoveIfExists(key),
        }
    }
}

/// `Bytes` for a key or value that the tree will keep. The tree clones every key and value it
/// stores (nodes are copied on write, and a key is shared by a leaf, an internal node and the
/// previous leaf), and the first clone of a `Bytes` made from a `Vec` allocates a shared header
/// beside the data. `Bytes::from_owner` of an array keeps the count and the data in one
/// allocation instead: Basis keys (32 bytes) and debts (8 bytes) take that path, saving an
/// allocation per key and per value (about 30 bytes per entry).
pub(crate) fn stored_bytes(data: &[u8]) -> bytes::Bytes {
    if let Ok(key) = <[u8; 32]>::try_from(data) {
        return bytes::Bytes::from_owner(key);
    }
    if let Ok(debt) = <[u8; 8]>::try_from(data) {
        return bytes::Bytes::from_owner(debt);
    }
    bytes::Bytes::copy_from_slice(data)
}
