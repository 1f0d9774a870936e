//! The binary log decoder. The first input byte chooses the shaping: bit 0 puts a valid header
//! before the rest (so records are reached), bit 1 rewrites every record checksum (so fields
//! behind the checksum are reached); the second byte is where to split the stream.
#![no_main]

use basis_trees::LogFormat;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Some((&split, rest)) = rest.split_first() else {
        return;
    };
    let mut bytes = if mode & 1 == 1 {
        let mut b = common::header(LogFormat::Binary);
        b.extend_from_slice(rest);
        b
    } else {
        rest.to_vec()
    };
    if mode & 2 == 2 {
        let mut at = 63;
        while let Some(len) = bytes.get(at..at + 4) {
            let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
            let end = at + 4 + len;
            if end + 4 > bytes.len() {
                break;
            }
            let crc = common::crc32c(&bytes[at..end]);
            bytes[end..end + 4].copy_from_slice(&crc.to_be_bytes());
            at = end + 4;
        }
    }
    common::check_log(&bytes, usize::from(split) * bytes.len() / 256);
});
