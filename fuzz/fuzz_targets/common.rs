//! Shared by the fuzz targets: input shaping, and the properties every decoder must keep.
#![allow(dead_code)] // each target uses only part of it

use basis_trees::{
    decode_log, encode_log_with_header, Error, ErrorCode, LogDecoder, LogFormat, LogHeader,
    TreeShape,
};

/// CRC-32C, bit by bit (the crate's own is private): lets the fuzzer get past checksums.
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

/// A valid header of `format` for the Basis tracker's shape.
pub fn header(format: LogFormat) -> Vec<u8> {
    let header = LogHeader {
        format,
        shape: TreeShape::BASIS_TRACKER,
        start: None,
    };
    encode_log_with_header(&header, &[])
}

/// Decodes `bytes` whole and in two chunks split at `split`; both must agree, and a refusal must
/// be `LOG_CORRUPT` at an offset inside the input. An accepted log must re-encode losslessly.
pub fn check_log(bytes: &[u8], split: usize) {
    let whole = decode_log(bytes);
    let mut decoder = LogDecoder::new();
    let split = split.min(bytes.len());
    let mut streamed: Result<usize, Error> = Ok(0);
    for chunk in [&bytes[..split], &bytes[split..]] {
        decoder.push(chunk);
        loop {
            match decoder.next_record() {
                Ok(Some(_)) => streamed = streamed.map(|n| n + 1),
                Ok(None) => break,
                Err(e) => {
                    streamed = Err(e);
                    break;
                }
            }
        }
        if streamed.is_err() {
            break;
        }
    }
    if streamed.is_ok() {
        decoder.finish();
        loop {
            match decoder.next_record() {
                Ok(Some(_)) => streamed = streamed.map(|n| n + 1),
                Ok(None) => break,
                Err(e) => {
                    streamed = Err(e);
                    break;
                }
            }
        }
    }
    match (&whole, &streamed) {
        (Ok((header, records)), Ok(n)) => {
            assert_eq!(records.len(), *n);
            let again = encode_log_with_header(header, records);
            assert_eq!(
                &decode_log(&again).expect("re-encoded log decodes").1,
                records
            );
        }
        (Err(a), Err(b)) => {
            assert_eq!(a, b);
            // Bad bytes, or a value longer than the shape's limit (with its record).
            match a.code() {
                ErrorCode::LogCorrupt => {}
                ErrorCode::ValueLength => assert!(a.record().is_some()),
                code => panic!("{code}: {a}"),
            }
            assert!(a.offset().unwrap_or(u64::MAX) <= bytes.len() as u64);
        }
        _ => panic!("one-shot and streaming decoding disagree"),
    }
}
