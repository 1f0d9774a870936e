//! Node labels: blake2b256 over Ergo's node encodings.

use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest as _};

/// A blake2b256 label.
pub(crate) type Label = [u8; 32];

/// blake2b256(0x01 ‖ balance ‖ left label ‖ right label): an internal node.
pub(crate) fn internal_label(balance: i8, left: &Label, right: &Label) -> Label {
    let mut input = [0u8; 66];
    input[0] = 1;
    input[1] = balance as u8;
    input[2..34].copy_from_slice(left);
    input[34..66].copy_from_slice(right);
    Blake2b::<U32>::digest(input).into()
}

/// blake2b256(0x00 ‖ key ‖ value ‖ next key): a leaf.
pub(crate) fn leaf_label(key: &[u8], value: &[u8], next_key: &[u8]) -> Label {
    let mut hasher = Blake2b::<U32>::new();
    hasher.update([0u8]);
    hasher.update(key);
    hasher.update(value);
    hasher.update(next_key);
    hasher.finalize().into()
}
