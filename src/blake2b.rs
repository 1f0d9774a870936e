//! blake2b256 (RFC 7693: 32-byte digest, no key), the hash of every label, note key and proof
//! check. Tree labels hash inputs of one block (66 bytes for an internal node, 73 for a leaf with
//! 32-byte keys and 8-byte values): [`blake2b256_short`] compresses such a block once, without a
//! streaming hasher's buffering and with the zero words of its end folded away;
//! [`blake2b256_block`] takes any one block, [`blake2b256`] any input, block by block.

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

/// A row of the 4 × 4 working matrix: its four words, column by column.
type Row = [u64; 4];

#[inline(always)]
fn add(a: Row, b: Row) -> Row {
    [
        a[0].wrapping_add(b[0]),
        a[1].wrapping_add(b[1]),
        a[2].wrapping_add(b[2]),
        a[3].wrapping_add(b[3]),
    ]
}

#[inline(always)]
fn xor_rotate(a: Row, b: Row, bits: u32) -> Row {
    [
        (a[0] ^ b[0]).rotate_right(bits),
        (a[1] ^ b[1]).rotate_right(bits),
        (a[2] ^ b[2]).rotate_right(bits),
        (a[3] ^ b[3]).rotate_right(bits),
    ]
}

/// Half of G on the four columns at once (rows a, b, c, d = v[0..4]), with the message words
/// `m` (one per column) and the two rotations of this half.
#[inline(always)]
fn half_g(v: &mut [Row; 4], m: Row, first: u32, second: u32) {
    v[0] = add(add(v[0], v[1]), m);
    v[3] = xor_rotate(v[3], v[0], first);
    v[2] = add(v[2], v[3]);
    v[1] = xor_rotate(v[1], v[2], second);
}

/// The row rotated left by `by` words: how the diagonals become columns, and back.
#[inline(always)]
fn rotate_row(r: Row, by: usize) -> Row {
    [r[by % 4], r[(by + 1) % 4], r[(by + 2) % 4], r[(by + 3) % 4]]
}

/// Compresses one block, as its words `m`, into `h`; `bytes` is the count of input bytes so far,
/// this block's included. Inlined into its two callers, [`blake2b256_short`] (every label, with
/// the block's last six words known to be zero) and [`compress_block`] (any other block): in
/// wasm, a call to it from a label costs a fifth more than the same code inlined (the working
/// state goes through memory). The working matrix is kept as four rows, G running on the four
/// columns (then the four diagonals) at once: the form that compiles best to wasm and to x86-64 alike (measured
/// against a word-by-word G and against wasm `simd128` lanes, which the message gathers slow
/// down).
#[inline(always)]
fn compress(h: &mut [u64; 8], m: &[u64; 16], bytes: u64, last: bool) {
    let mut v = [
        [h[0], h[1], h[2], h[3]],
        [h[4], h[5], h[6], h[7]],
        [IV[0], IV[1], IV[2], IV[3]],
        [
            IV[4] ^ bytes,
            IV[5],
            if last { !IV[6] } else { IV[6] },
            IV[7],
        ],
    ];
    // Twelve rounds, unrolled so that every message index is a constant.
    macro_rules! round {
        ($r:expr) => {
            let s = &SIGMA[$r];
            half_g(&mut v, [m[s[0]], m[s[2]], m[s[4]], m[s[6]]], 32, 24);
            half_g(&mut v, [m[s[1]], m[s[3]], m[s[5]], m[s[7]]], 16, 63);
            v[1] = rotate_row(v[1], 1);
            v[2] = rotate_row(v[2], 2);
            v[3] = rotate_row(v[3], 3);
            half_g(&mut v, [m[s[8]], m[s[10]], m[s[12]], m[s[14]]], 32, 24);
            half_g(&mut v, [m[s[9]], m[s[11]], m[s[13]], m[s[15]]], 16, 63);
            v[1] = rotate_row(v[1], 3);
            v[2] = rotate_row(v[2], 2);
            v[3] = rotate_row(v[3], 1);
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
    for i in 0..4 {
        h[i] ^= v[0][i] ^ v[2][i];
        h[i + 4] ^= v[1][i] ^ v[3][i];
    }
}

fn output(h: &[u64; 8]) -> Hash {
    let mut label = [0u8; 32];
    for (chunk, word) in label.chunks_exact_mut(8).zip(h) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    label
}

/// A block as its 16 little-endian words.
fn words(block: &[u8; BLOCK]) -> [u64; 16] {
    let mut m = [0u64; 16];
    for (word, chunk) in m.iter_mut().zip(block.chunks_exact(8)) {
        let mut le = [0u8; 8];
        le.copy_from_slice(chunk);
        *word = u64::from_le_bytes(le);
    }
    m
}

/// One block of a longer input (see [`compress`]).
#[inline(never)]
fn compress_block(h: &mut [u64; 8], block: &[u8; BLOCK], bytes: u64, last: bool) {
    compress(h, &words(block), bytes, last)
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
                compress_block(&mut h, &block, total, false);
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
    if total <= BLOCK as u64 {
        return blake2b256_block(&block, filled);
    }
    compress_block(&mut h, &block, total, true);
    output(&h)
}

/// Words of the longest message [`blake2b256_short`] takes: 80 bytes, enough for every label of
/// a tree with 32-byte keys and values of up to 15 bytes (an internal node is 66 bytes, a leaf
/// with an 8-byte value 73).
pub(crate) const SHORT_WORDS: usize = 10;

/// blake2b256 of the first `length` bytes of `block` (at most [`BLOCK`]), whose other bytes are
/// zero.
pub(crate) fn blake2b256_block(block: &[u8; BLOCK], length: usize) -> Hash {
    let m = words(block);
    if length <= 8 * SHORT_WORDS {
        let mut short = [0u64; SHORT_WORDS];
        short.copy_from_slice(&m[..SHORT_WORDS]);
        return blake2b256_short(&short, length);
    }
    let mut h = INITIAL;
    compress_block(&mut h, block, length as u64, true);
    output(&h)
}

/// blake2b256 of a message of `length` bytes (at most 80) given as the first ten little-endian
/// words of its block (zero past its end): labels build their words directly, which in wasm
/// spares filling and copying a block of bytes. The block's last six words are known to be zero,
/// so the compression is specialised for them: the twelve rounds add nothing for those words
/// (72 additions fewer), and six fewer words stay live, which in wasm means fewer spills.
#[inline(never)]
pub(crate) fn blake2b256_short(m: &[u64; SHORT_WORDS], length: usize) -> Hash {
    let mut block = [0u64; 16];
    block[..SHORT_WORDS].copy_from_slice(m);
    let mut h = INITIAL;
    compress(&mut h, &block, length as u64, true);
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
