//! The digest of a tree: what Ergo's `AvlTree` commits on chain.

/// A tree digest: the root's 32-byte blake2b256 label followed by one byte of tree height.
pub type Digest = [u8; 33];

/// The digest of an empty tree with 32-byte keys and variable-length values.
pub const EMPTY_BASIS_TRACKER_DIGEST: &str =
    "4ec61f485b98eb87153f7c57db4f5ecd75556fddbc403b41acf8441fde8e160900";
