//! The NDJSON log decoder and its JSON reader. The first input byte chooses the shaping: bit 0
//! puts a valid header line before the rest; the second byte is where to split the stream.
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
    let bytes = if mode & 1 == 1 {
        let mut b = common::header(LogFormat::Ndjson);
        b.extend_from_slice(rest);
        b
    } else {
        rest.to_vec()
    };
    common::check_log(&bytes, usize::from(split) * bytes.len() / 256);
});
