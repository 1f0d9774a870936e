//! The snapshot reader. The first input byte chooses the shaping: bit 0 rewrites the trailing
//! checksum, so the header and nodes behind it are reached. An accepted snapshot must re-encode
//! to exactly its bytes.
#![no_main]

use basis_trees::{ErrorCode, Snapshot};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut bytes = rest.to_vec();
    if mode & 1 == 1 && bytes.len() >= 4 {
        let body = bytes.len() - 4;
        let crc = common::crc32c(&bytes[..body]);
        bytes[body..].copy_from_slice(&crc.to_be_bytes());
    }
    match Snapshot::decode(&bytes) {
        Ok(s) => {
            let again = Snapshot::encode(&s.tree, s.sequence, s.checkpoint.as_ref());
            assert_eq!(again, bytes);
        }
        Err(e) => assert_eq!(e.code(), ErrorCode::SnapshotInvalid),
    }
});
