//! CRC-32C (Castagnoli), the checksum of every binary log record, log header and snapshot: it
//! catches accidental corruption (bit flips, torn writes) at the record where it happened. It is
//! not a defence against forgery; the tree roots are.

use std::sync::OnceLock;

/// The reflected Castagnoli polynomial 0x1EDC6F41.
const POLYNOMIAL: u32 = 0x82f6_3b78;

/// Eight tables of 256 entries.
type Tables = [[u32; 256]; 8];

/// The tables, built on first use: built at compile time they would be 8 KB of the `.wasm` that
/// does not compress.
static TABLES: OnceLock<Tables> = OnceLock::new();

/// `tables[0]`: one entry per byte value, the CRC of that byte. `tables[k]`: the same byte
/// followed by `k` zero bytes, so eight bytes are folded in at once ("slicing by 8").
fn build_tables() -> Tables {
    let mut tables = [[0u32; 256]; 8];
    let mut n = 0;
    while n < 256 {
        let mut crc = n as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ POLYNOMIAL
            } else {
                crc >> 1
            };
            bit += 1;
        }
        tables[0][n] = crc;
        n += 1;
    }
    let mut k = 1;
    while k < 8 {
        let mut n = 0;
        while n < 256 {
            let previous = tables[k - 1][n];
            tables[k][n] = (previous >> 8) ^ tables[0][(previous & 0xff) as usize];
            n += 1;
        }
        k += 1;
    }
    tables
}

/// CRC-32C of `bytes` (initial value and final xor 0xFFFFFFFF, as in iSCSI, ext4 and SSE4.2).
///
/// Eight bytes at a time through eight tables, then byte by byte: a byte-at-a-time loop waits on
/// each table load before the next, and a record carrying a proof (about 800 bytes) spent more
/// time in its checksum than in anything but hashing.
pub(crate) fn crc32c(bytes: &[u8]) -> u32 {
    let [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES.get_or_init(build_tables);
    let at = |table: &[u32; 256], byte: u32| table[(byte & 0xff) as usize];
    let mut crc = !0u32;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        // `chunks_exact(8)`: every word has eight bytes.
        let word: [u8; 8] = word.try_into().unwrap_or([0; 8]);
        let low = u32::from_le_bytes([word[0], word[1], word[2], word[3]]) ^ crc;
        let high = u32::from_le_bytes([word[4], word[5], word[6], word[7]]);
        crc = at(t7, low)
            ^ at(t6, low >> 8)
            ^ at(t5, low >> 16)
            ^ at(t4, low >> 24)
            ^ at(t3, high)
            ^ at(t2, high >> 8)
            ^ at(t1, high >> 16)
            ^ at(t0, high >> 24);
    }
    for &byte in words.remainder() {
        crc = at(t0, crc ^ u32::from(byte)) ^ (crc >> 8);
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_check_values() {
        // The standard check value of CRC-32C and the iSCSI test patterns (RFC 3720, B.4).
        assert_eq!(crc32c(b"123456789"), 0xe306_9283);
        assert_eq!(crc32c(&[0u8; 32]), 0x8a91_36aa);
        assert_eq!(crc32c(&[0xffu8; 32]), 0x62a8_ab43);
        let ascending: Vec<u8> = (0..32).collect();
        assert_eq!(crc32c(&ascending), 0x46dd_794e);
        assert_eq!(crc32c(b""), 0);
    }

    /// The bitwise definition, one bit at a time, with no table.
    fn bitwise(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ POLYNOMIAL
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn eight_at_a_time_is_the_bitwise_crc_at_every_length_and_alignment() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let bytes: Vec<u8> = (0..300)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        for start in 0..9 {
            for end in start..bytes.len() {
                let part = &bytes[start..end];
                assert_eq!(crc32c(part), bitwise(part), "bytes {start}..{end}");
            }
        }
    }
}
