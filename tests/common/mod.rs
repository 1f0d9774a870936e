//! Helpers shared by the integration tests.
#![allow(dead_code)]

use basis_trees::{debt_value, note_key, TreeShape, TreeStorage};

/// A deterministic generator (SplitMix64), so that failures replay exactly.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// A storage of the Basis tracker's shape after `operations` random inserts, updates and removes.
pub fn tracker_storage(seed: u64, operations: usize) -> TreeStorage {
    let mut rng = SplitMix64(seed);
    let mut storage = TreeStorage::new(TreeShape::BASIS_TRACKER).unwrap();
    let mut keys: Vec<[u8; 32]> = Vec::new();
    for i in 0..operations {
        let timestamp = 1_700_000_000_000 + i as u64;
        let choice = rng.below(10);
        if keys.is_empty() || choice < 5 {
            let key = note_key(&rng.next_u64().to_be_bytes(), &rng.next_u64().to_be_bytes());
            storage
                .insert(&key, &debt_value(rng.below(1_000_000)), timestamp)
                .unwrap();
            keys.push(key);
        } else if choice < 8 {
            let key = keys[rng.below(keys.len() as u64) as usize];
            storage
                .update(&key, &debt_value(rng.below(1_000_000)), timestamp)
                .unwrap();
        } else {
            let key = keys.swap_remove(rng.below(keys.len() as u64) as usize);
            storage.remove(&key, timestamp).unwrap();
        }
    }
    storage
}

/// The record offsets of an encoded log (decoded with the streaming decoder), and the header length.
pub fn record_offsets(log: &[u8]) -> (u64, Vec<(u64, u64)>) {
    let mut decoder = basis_trees::LogDecoder::new();
    decoder.push(log);
    decoder.finish();
    let mut offsets = Vec::new();
    let mut header_length = None;
    while let Some(decoded) = decoder.next_record().unwrap() {
        header_length.get_or_insert(decoded.offset);
        offsets.push((decoded.offset, decoded.length));
    }
    (header_length.unwrap_or(log.len() as u64), offsets)
}

/// Recomputes the CRC-32C (Castagnoli) of `bytes`, bit by bit: an implementation independent of
/// the crate's table-driven one.
pub fn crc32c(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0x82f6_3b78
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Rewrites the trailing CRC-32C of a snapshot after its bytes were edited.
pub fn fix_snapshot_crc(snapshot: &mut [u8]) {
    let body = snapshot.len() - 4;
    let crc = crc32c(&snapshot[..body]);
    snapshot[body..].copy_from_slice(&crc.to_be_bytes());
}

/// Rewrites the CRC-32C of the binary record at `offset` (its length field) after its body was
/// edited.
pub fn fix_record_crc(log: &mut [u8], offset: usize) {
    let length = u32::from_be_bytes(log[offset..offset + 4].try_into().unwrap()) as usize;
    let end = offset + 4 + length;
    let crc = crc32c(&log[offset..end]);
    log[end..end + 4].copy_from_slice(&crc.to_be_bytes());
}
