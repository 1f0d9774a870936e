//! blake2b256 (RFC 7693: 32-byte digest, no key), the hash of every label, note key and proof
//! check. Tree labels hash inputs of one block (66 bytes for an internal node, 73 for a leaf with
//! 32-byte keys and 8-byte values): [`blake2b256_block`] compresses such a block once, without a
//! streaming hasher's buffering; [`blake2b256`] takes any input, block by block.

/// A blake2b256 digest.
pub(crate) type Hash = [u8; 32];

/// Bytes per block.
pub(crate) const BLOCK: usize = 128;

const IV: [u64; 8] = [
    0x6a09_e667_f3bc_c908,
    0xbb67_ae85_84ca_a73b,
    0x3c6e_f372_fe94_f82b,
    0xa54f_f53a_5f1d_36f1,
    0x510e_527f_ade6_82d1,
    0x9b05_688c_2b3e_6c1f,
    0x1f83_d9ab_fb41_bd6b,
    0x5be0_cd19_137e_2179,
];

const SIGMA: [[usize; 16]; 12] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
];

/// The state of a blake2b256 hash before its first block: the IV with the parameter block
/// (digest length 32, no key, fan-out and depth 1) folded into its first word.
const INITIAL: [u64; 8] = {
    let mut h = IV;
    h[0] ^= 0x0101_0000 ^ 32;
    h
};

#[inline(always)]
fn g(v: &mut [u64; 16], a: usize, b: usize, c: usize, d: usize, x: u64, y: u64) {
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(x);
    v[d] = (v[d] ^ v[a]).rotate_right(32);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(24);
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(y);
    v[d] = (v[d] ^ v[a]).rotate_right(16);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(63);
}

/// Compresses one block into `h`; `bytes` is the count of input bytes so far, this block's
/// included.
fn compress(h: &mut [u64; 8], block: &[u8; BLOCK], bytes: u64, last: bool) {
    let mut m = [0u64; 16];
    for (word, chunk) in m.iter_mut().zip(block.chunks_exact(8)) {
        let mut le = [0u8; 8];
        le.copy_from_slice(chunk);
        *word = u64::from_le_bytes(le);
    }
    let mut v = [0u64; 16];
    v[..8].copy_from_slice(h);
    v[8..].copy_from_slice(&IV);
    v[12] ^= bytes;
    if last {
        v[14] = !v[14];
    }
    // Twelve rounds, unrolled so that every message index is a constant.
    macro_rules! round {
        ($r:expr) => {
            g(&mut v, 0, 4, 8, 12, m[SIGMA[$r][0]], m[SIGMA[$r][1]]);
            g(&mut v, 1, 5, 9, 13, m[SIGMA[$r][2]], m[SIGMA[$r][3]]);
            g(&mut v, 2, 6, 10, 14, m[SIGMA[$r][4]], m[SIGMA[$r][5]]);
            g(&mut v, 3, 7, 11, 15, m[SIGMA[$r][6]], m[SIGMA[$r][7]]);
            g(&mut v, 0, 5, 10, 15, m[SIGMA[$r][8]], m[SIGMA[$r][9]]);
            g(&mut v, 1, 6, 11, 12, m[SIGMA[$r][10]], m[SIGMA[$r][11]]);
            g(&mut v, 2, 7, 8, 13, m[SIGMA[$r][12]], m[SIGMA[$r][13]]);
            g(&mut v, 3, 4, 9, 14, m[SIGMA[$r][14]], m[SIGMA[$r][15]]);
        };
    }
    round!(0);
    round!(1);
    round!(2);
    round!(3);
    round!(4);
    round!(5);
    round!(6);
    round!(7);
    round!(8);
    round!(9);
    round!(10);
    round!(11);
    for i in 0..8 {
        h[i] ^= v[i] ^ v[i + 8];
    }
}

fn output(h: &[u64; 8]) -> Hash {
    let mut label = [0u8; 32];
    for (chunk, word) in label.chunks_exact_mut(8).zip(h) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    label
}

/// blake2b256 of the concatenation of `parts`.
pub(crate) fn blake2b256(parts: &[&[u8]]) -> Hash {
    let mut h = INITIAL;
    let mut block = [0u8; BLOCK];
    let mut filled = 0usize;
    let mut total = 0u64;
    for part in parts {
        let mut part: &[u8] = part;
        while !part.is_empty() {
            if filled == BLOCK {
                // A full block is compressed only once more input follows: the last block,
                // full or not, is compressed with the final flag.
                compress(&mut h, &block, total, false);
                filled = 0;
            }
            let take = part.len().min(BLOCK - filled);
            block[filled..filled + take].copy_from_slice(&part[..take]);
            filled += take;
            total += take as u64;
            part = &part[take..];
        }
    }
    block[filled..].fill(0);
    compress(&mut h, &block, total, true);
    output(&h)
}

/// blake2b256 of the first `length` bytes of `block` (at most [`BLOCK`]), whose other bytes are
/// zero.
pub(crate) fn blake2b256_block(block: &[u8; BLOCK], length: usize) -> Hash {
    let mut h = INITIAL;
    compress(&mut h, block, length as u64, true);
    output(&h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use blake2::digest::consts::U32;
    use blake2::{Blake2b, Digest as _};

    fn reference(parts: &[&[u8]]) -> Hash {
        let mut hasher = Blake2b::<U32>::new();
        for part in parts {
            hasher.update(part);
        }
        hasher.finalize().into()
    }

    #[test]
    fn agrees_with_the_blake2_crate_at_every_length_around_the_blocks() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3) as u8).collect();
        for length in (0..=300).chain([383, 384, 385, 511, 512, 513, 1000]) {
            let input = &data[..length];
            assert_eq!(blake2b256(&[input]), reference(&[input]), "length {length}");
            let (a, b) = input.split_at(length / 3);
            assert_eq!(
                blake2b256(&[a, &[], b]),
                reference(&[input]),
                "split {length}"
            );
            if length <= BLOCK {
                let mut block = [0u8; BLOCK];
                block[..length].copy_from_slice(input);
                assert_eq!(blake2b256_block(&block, length), reference(&[input]));
            }
        }
    }

    #[test]
    fn abc_is_the_published_vector() {
        assert_eq!(
            crate::hex::to_hex(&blake2b256(&[b"abc"])),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
        );
    }
}
