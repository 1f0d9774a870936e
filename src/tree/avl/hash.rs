//! Node labels: blake2b256 over Ergo's node encodings, each written straight into one block
//! when it fits (always for internal nodes; for leaves with short keys and values).

use crate::blake2b::{blake2b256, blake2b256_block, blake2b256_short, BLOCK, SHORT_WORDS};

/// A blake2b256 label.
pub(crate) type Label = [u8; 32];

/// blake2b256(0x01 ‖ balance ‖ left label ‖ right label): an internal node. Its 66 bytes go
/// straight into the block's words: the labels' words, two bytes along.
pub(crate) fn internal_label(balance: i8, left: &Label, right: &Label) -> Label {
    let word = |label: &Label, i: usize| {
        let mut le = [0u8; 8];
        le.copy_from_slice(&label[8 * i..8 * i + 8]);
        u64::from_le_bytes(le)
    };
    let (l, r) = (
        [word(left, 0), word(left, 1), word(left, 2), word(left, 3)],
        [
            word(right, 0),
            word(right, 1),
            word(right, 2),
            word(right, 3),
        ],
    );
    let mut m = [0u64; SHORT_WORDS];
    m[0] = 1 | u64::from(balance as u8) << 8 | l[0] << 16;
    m[1] = l[0] >> 48 | l[1] << 16;
    m[2] = l[1] >> 48 | l[2] << 16;
    m[3] = l[2] >> 48 | l[3] << 16;
    m[4] = l[3] >> 48 | r[0] << 16;
    m[5] = r[0] >> 48 | r[1] << 16;
    m[6] = r[1] >> 48 | r[2] << 16;
    m[7] = r[2] >> 48 | r[3] << 16;
    m[8] = r[3] >> 48;
    blake2b256_short(&m, 66)
}

/// blake2b256(0x00 ‖ key ‖ value ‖ next key): a leaf.
pub(crate) fn leaf_label(key: &[u8], value: &[u8], next_key: &[u8]) -> Label {
    let length = 1 + key.len() + value.len() + next_key.len();
    if length > BLOCK {
        return blake2b256(&[&[0], key, value, next_key]);
    }
    let mut block = [0u8; BLOCK];
    let value_at = 1 + key.len();
    let next_at = value_at + value.len();
    block[1..value_at].copy_from_slice(key);
    block[value_at..next_at].copy_from_slice(value);
    block[next_at..length].copy_from_slice(next_key);
    blake2b256_block(&block, length)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_labels_hash_ergos_encodings() {
        let (left, right) = ([7u8; 32], [9u8; 32]);
        for balance in [-1i8, 0, 1] {
            assert_eq!(
                internal_label(balance, &left, &right),
                blake2b256(&[&[1, balance as u8], &left, &right])
            );
        }
        for (key_length, value_length) in [(32, 8), (32, 0), (1, 0), (32, 63), (32, 64), (64, 200)]
        {
            let key = vec![3u8; key_length];
            let value = vec![5u8; value_length];
            let next = vec![0xffu8; key_length];
            assert_eq!(
                leaf_label(&key, &value, &next),
                blake2b256(&[&[0], &key, &value, &next])
            );
        }
    }
}
