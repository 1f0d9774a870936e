//! Encoding and decoding both log formats: round trips, chunks split anywhere, and every kind of
//! bad input refused with `LOG_CORRUPT` at the right offset and sequence, without a panic.

mod common;

use basis_trees::{
    decode_log, decode_log_within, encode_log, encode_log_with_header, record_length_limit,
    ErrorCode, LogDecoder, LogFormat, LogHeader, LogStart, RecordLimits, TreeOperation, TreeShape,
    DEFAULT_MAX_VALUE_LENGTH, MAX_RECORD_LENGTH,
};

const FORMATS: [LogFormat; 2] = [LogFormat::Binary, LogFormat::Ndjson];

fn small_log() -> Vec<TreeOperation> {
    common::tracker_storage(11, 8).log().to_vec()
}

/// Records exercising every optional field: values, previous values and proofs, present and not.
fn records_with_every_field() -> Vec<TreeOperation> {
    let mut records = small_log();
    records[0].proof = Some(vec![0x02, 0x00, 0xff, 0x04]);
    records[1].proof = Some(Vec::new());
    records[2].value = Some(Vec::new());
    records
}

#[test]
fn both_formats_round_trip_header_and_records() {
    let records = records_with_every_field();
    for shape in [
        TreeShape::BASIS_TRACKER,
        TreeShape::new(32, Some(8)).unwrap(),
    ] {
        for format in FORMATS {
            let bytes = encode_log(&records, shape, format);
            let (header, decoded) = decode_log(&bytes).unwrap();
            assert_eq!(decoded, records, "{format:?}");
            assert_eq!(header.shape, shape);
            assert_eq!(header.format, format);
            assert_eq!(
                header.start,
                Some(LogStart {
                    sequence: 0,
                    root: records[0].tree_root_before
                })
            );
        }
    }
}

#[test]
fn a_header_without_start_and_no_records_round_trips() {
    for format in FORMATS {
        let header = LogHeader {
            format,
            shape: TreeShape::new(4, Some(0)).unwrap(),
            start: None,
        };
        let bytes = encode_log_with_header(&header, &[]);
        assert_eq!(decode_log(&bytes).unwrap(), (header, Vec::new()));
        assert_eq!(header.first_sequence(), 1);
    }
}

#[test]
fn binary_header_is_the_documented_63_bytes() {
    let bytes = encode_log(&[], TreeShape::BASIS_TRACKER, LogFormat::Binary);
    assert_eq!(bytes.len(), 63);
    assert_eq!(&bytes[..8], b"\x89BTLOG\r\n");
    assert_eq!(&bytes[8..10], &[0, 1]); // version 1
    assert_eq!(&bytes[10..12], &[0, 0]); // variable values, no start
    assert_eq!(&bytes[12..14], &[0, 32]);
    assert_eq!(
        u32::from_be_bytes(bytes[59..63].try_into().unwrap()),
        common::crc32c(&bytes[..59])
    );
}

#[test]
fn chunks_split_at_any_byte_decode_the_same() {
    let records = small_log();
    for format in FORMATS {
        let bytes = encode_log(&records, TreeShape::BASIS_TRACKER, format);
        let (_, whole) = common::record_offsets(&bytes);
        for split in 0..=bytes.len() {
            let mut decoder = LogDecoder::new();
            let mut got = Vec::new();
            for chunk in [&bytes[..split], &bytes[split..]] {
                decoder.push(chunk);
                while let Some(d) = decoder.next_record().unwrap() {
                    got.push(d);
                }
            }
            decoder.finish();
            while let Some(d) = decoder.next_record().unwrap() {
                got.push(d);
            }
            let offsets: Vec<(u64, u64)> = got.iter().map(|d| (d.offset, d.length)).collect();
            assert_eq!(offsets, whole, "{format:?} split at {split}");
            let decoded: Vec<TreeOperation> = got.into_iter().map(|d| d.record).collect();
            assert_eq!(decoded, records);
        }
        // One byte at a time, pulling as soon as records complete.
        let mut decoder = LogDecoder::new();
        let mut count = 0;
        for (i, byte) in bytes.iter().enumerate() {
            decoder.push(std::slice::from_ref(byte));
            while let Some(d) = decoder.next_record().unwrap() {
                // A record is returned as soon as its last byte arrives, not later.
                assert_eq!(d.offset + d.length, i as u64 + 1, "{format:?}");
                count += 1;
            }
        }
        decoder.finish();
        assert!(decoder.next_record().unwrap().is_none());
        assert_eq!(count, records.len());
        assert_eq!(decoder.bytes_decoded(), bytes.len() as u64);
    }
}

/// Cutting the log at any byte: at a record boundary the shorter log is valid (only an expected
/// root can tell, see the verifier's tests); anywhere else it is `LOG_CORRUPT`, located at the
/// record that was cut, with that record's sequence number.
#[test]
fn truncation_at_every_byte_is_located() {
    let records = small_log();
    for format in FORMATS {
        let bytes = encode_log(&records, TreeShape::BASIS_TRACKER, format);
        let (header_length, offsets) = common::record_offsets(&bytes);
        for cut in 0..bytes.len() {
            let result = decode_log(&bytes[..cut]);
            if cut as u64 == header_length
                || offsets.iter().any(|&(o, l)| o + l == cut as u64)
                || (format == LogFormat::Ndjson && bytes.get(cut) == Some(&b'\n'))
            {
                let (_, decoded) = result.unwrap();
                assert!(records.starts_with(&decoded), "{format:?} cut at {cut}");
                continue;
            }
            let err = result.unwrap_err();
            assert_eq!(
                err.code(),
                ErrorCode::LogCorrupt,
                "{format:?} cut at {cut}: {err}"
            );
            let offset = err.offset().unwrap();
            match offsets
                .iter()
                .position(|&(o, l)| o < cut as u64 && (cut as u64) < o + l)
            {
                Some(i) => {
                    let (start, _) = offsets[i];
                    assert_eq!(
                        err.sequence(),
                        Some(records[i].sequence_number),
                        "cut at {cut}"
                    );
                    match format {
                        LogFormat::Binary => assert_eq!(offset, start, "cut at {cut}"),
                        // The JSON reader points at the end of the cut line.
                        LogFormat::Ndjson => assert!(start <= offset && offset <= cut as u64),
                    }
                }
                None => {
                    // Inside the header.
                    assert!(offset <= cut as u64, "cut at {cut}");
                    assert_eq!(err.sequence(), None);
                }
            }
        }
    }
}

/// Every single-bit flip of a binary log is caught, at the record it hit (the checksum covers the
/// length field, the body and itself), with that record's sequence number.
#[test]
fn every_bit_flip_of_a_binary_log_is_caught_at_its_record() {
    let records = small_log();
    let bytes = encode_log(&records, TreeShape::BASIS_TRACKER, LogFormat::Binary);
    let (header_length, offsets) = common::record_offsets(&bytes);
    for i in 0..bytes.len() {
        for bit in 0..8 {
            let mut flipped = bytes.clone();
            flipped[i] ^= 1 << bit;
            let err = decode_log(&flipped).unwrap_err();
            assert_eq!(
                err.code(),
                ErrorCode::LogCorrupt,
                "byte {i} bit {bit}: {err}"
            );
            if (i as u64) < header_length {
                let expected = match i {
                    0..=7 => i as u64,
                    8..=9 => 8,
                    _ => 0,
                };
                assert_eq!(err.offset(), Some(expected), "byte {i}: {err}");
                assert_eq!(err.sequence(), None);
            } else {
                let k = offsets
                    .iter()
                    .position(|&(o, l)| o <= i as u64 && (i as u64) < o + l)
                    .unwrap();
                assert_eq!(
                    err.offset(),
                    Some(offsets[k].0),
                    "byte {i} bit {bit}: {err}"
                );
                assert_eq!(err.sequence(), Some(records[k].sequence_number));
            }
        }
    }
}

#[test]
fn empty_input_and_garbage_are_refused_at_offset_zero() {
    for input in [
        &b""[..],
        b"garbage",
        b"\x00\x01\x02",
        b" {\"format\":1}",
        b"\xef\xbb\xbf{",
    ] {
        let err = decode_log(input).unwrap_err();
        assert_eq!(
            (err.code(), err.offset()),
            (ErrorCode::LogCorrupt, Some(0)),
            "{input:?}"
        );
    }
    // A wrong magic byte is caught at its offset, before the rest of the header arrives.
    let mut decoder = LogDecoder::new();
    decoder.push(b"\x89BTLOX");
    let err = decoder.next_record().unwrap_err();
    assert_eq!(err.offset(), Some(5));
    // And the decoder keeps refusing.
    decoder.push(b"more");
    assert_eq!(decoder.next_record().unwrap_err(), err);
}

#[test]
fn garbage_after_a_valid_log_is_located_after_its_last_record() {
    let records = small_log();
    for format in FORMATS {
        let mut bytes = encode_log(&records, TreeShape::BASIS_TRACKER, format);
        let end = bytes.len() as u64;
        bytes.extend_from_slice(b"\x00\x00\x00\x10 trailing garbage here\n");
        let err = decode_log(&bytes).unwrap_err();
        assert_eq!(err.code(), ErrorCode::LogCorrupt);
        assert_eq!(err.offset(), Some(end), "{format:?}: {err}");
        assert_eq!(err.sequence(), Some(records.len() as u64 + 1));
    }
}

#[test]
fn bytes_pushed_after_finish_are_refused_not_decoded_as_more_records() {
    let records = small_log();
    for format in FORMATS {
        let bytes = encode_log(&records, TreeShape::BASIS_TRACKER, format);
        let mut decoder = LogDecoder::new();
        decoder.push(&bytes);
        decoder.finish();
        let mut decoded = 0;
        while decoder.next_record().unwrap().is_some() {
            decoded += 1;
        }
        assert_eq!(decoded, records.len());
        // The log had ended: a second copy of it is not a continuation.
        decoder.push(&bytes);
        let err = decoder.next_record().unwrap_err();
        assert_eq!(err.code(), ErrorCode::LogCorrupt, "{format:?}: {err}");
        assert!(
            err.to_string().contains("after finish()"),
            "{format:?}: {err}"
        );
        assert_eq!(err.offset(), Some(bytes.len() as u64), "{format:?}");
        // Nothing, after the end, changes nothing.
        let mut quiet = LogDecoder::new();
        quiet.push(&bytes);
        quiet.finish();
        while quiet.next_record().unwrap().is_some() {}
        quiet.push(&[]);
        assert!(quiet.next_record().unwrap().is_none(), "{format:?}");
    }
}

#[test]
fn unsupported_versions_and_flags_are_refused() {
    let mut bytes = encode_log(&small_log(), TreeShape::BASIS_TRACKER, LogFormat::Binary);
    bytes[9] = 2;
    let err = decode_log(&bytes).unwrap_err();
    assert_eq!(err.offset(), Some(8));
    assert!(err.to_string().contains("version 2"), "{err}");

    let ndjson = encode_log(&small_log(), TreeShape::BASIS_TRACKER, LogFormat::Ndjson);
    let text = String::from_utf8(ndjson)
        .unwrap()
        .replacen("\"version\":1", "\"version\":2", 1);
    let err = decode_log(text.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("version 2"), "{err}");
}

#[test]
fn a_huge_declared_length_is_refused_at_once() {
    let mut bytes = encode_log(&[], TreeShape::BASIS_TRACKER, LogFormat::Binary);
    let header_length = bytes.len() as u64;
    bytes.extend_from_slice(&u32::MAX.to_be_bytes());
    let mut decoder = LogDecoder::new();
    decoder.push(&bytes);
    // Refused before the input ends: nothing waits for four gigabytes.
    let err = decoder.next_record().unwrap_err();
    assert_eq!(err.code(), ErrorCode::LogCorrupt);
    assert_eq!(
        (err.offset(), err.sequence()),
        (Some(header_length), Some(1))
    );
    assert!(err.to_string().contains("exceeds the limit"), "{err}");

    // At the limit of the shape: accepted as a length, then reported truncated at the end.
    let limit = RecordLimits::new(TreeShape::BASIS_TRACKER, None, None).max_record_length;
    let mut bytes = encode_log(&[], TreeShape::BASIS_TRACKER, LogFormat::Binary);
    bytes.extend_from_slice(&(limit as u32).to_be_bytes());
    bytes.extend_from_slice(&[0; 100]);
    let err = decode_log(&bytes).unwrap_err();
    assert_eq!(err.offset(), Some(header_length));
    assert!(err.to_string().contains("truncated"), "{err}");
    // The shape's limit can be raised, up to MAX_RECORD_LENGTH.
    let mut bytes = encode_log(&[], TreeShape::BASIS_TRACKER, LogFormat::Binary);
    bytes.extend_from_slice(&(MAX_RECORD_LENGTH as u32).to_be_bytes());
    bytes.extend_from_slice(&[0; 100]);
    let err = decode_log(&bytes).unwrap_err();
    assert!(err.to_string().contains("exceeds the limit"), "{err}");
    let raised = LogDecoder::with_limits(None, Some(MAX_RECORD_LENGTH));
    let err = decode_log_within(&bytes, raised).unwrap_err();
    assert!(err.to_string().contains("truncated"), "{err}");
}

#[test]
fn record_limits_follow_the_shape() {
    let fixed = TreeShape::new(32, Some(8)).unwrap();
    let limits = RecordLimits::new(fixed, None, None);
    assert_eq!(limits.max_value_length, 8);
    assert_eq!(limits.max_record_length, record_length_limit(32, 8));
    assert_eq!(record_length_limit(32, 8), 17_927);
    let variable = RecordLimits::new(TreeShape::BASIS_TRACKER, None, None);
    assert_eq!(variable.max_value_length, DEFAULT_MAX_VALUE_LENGTH);
    assert_eq!(variable.max_record_length, 411_095);
    assert_eq!(variable.max_line_length(), 2 * 411_095 + 65_536);
    let raised = RecordLimits::new(TreeShape::BASIS_TRACKER, Some(1 << 20), None);
    assert_eq!(raised.max_value_length, 1 << 20);
    assert!(raised.max_record_length > 2 << 20);
    let capped = RecordLimits::new(TreeShape::BASIS_TRACKER, Some(usize::MAX), Some(usize::MAX));
    assert_eq!(capped.max_value_length, basis_trees::MAX_VALUE_LENGTH);
    assert_eq!(capped.max_record_length, MAX_RECORD_LENGTH);
}

/// A variable-length log's values are capped (64 KiB unless raised); an unterminated line is
/// refused at the shape's line limit, not at MAX_LINE_LENGTH, and the decoder's buffer stays
/// within about twice that.
#[test]
fn records_beyond_the_shapes_limits_are_refused_before_they_are_buffered() {
    let mut tracker = basis_trees::TreeStorage::new(TreeShape::BASIS_TRACKER).unwrap();
    tracker.insert(&[1; 32], &[7; 100_000], 1).unwrap();
    for format in [LogFormat::Binary, LogFormat::Ndjson] {
        let log = tracker.export_log(None, format);
        let err = decode_log(&log).unwrap_err();
        assert_eq!(
            (err.code(), err.sequence()),
            (ErrorCode::ValueLength, Some(1)),
            "{format:?}: {err}"
        );
        assert_eq!(err.record().map(|r| r.sequence_number), Some(1));
        let raised = LogDecoder::with_limits(Some(100_000), None);
        assert_eq!(decode_log_within(&log, raised).unwrap().1.len(), 1);
    }
    let mut log = encode_log(&[], TreeShape::BASIS_TRACKER, LogFormat::Ndjson);
    let limit = RecordLimits::new(TreeShape::BASIS_TRACKER, None, None).max_line_length();
    let mut decoder = LogDecoder::new();
    decoder.push(&log);
    log.clear();
    log.resize(64 * 1024, b'a');
    let mut pushed = 0;
    let err = loop {
        decoder.push(&log);
        pushed += log.len();
        if let Err(err) = decoder.next_record() {
            break err;
        }
        assert!(pushed <= limit + log.len(), "{pushed} bytes buffered");
    };
    assert_eq!(err.code(), ErrorCode::LogCorrupt);
    assert!(err.to_string().contains("maxRecordLength"), "{err}");
}

/// An NDJSON log with one record line replaced by `line`.
fn ndjson_with_line(index: usize, line: &str) -> (Vec<u8>, u64) {
    let bytes = encode_log(&small_log(), TreeShape::BASIS_TRACKER, LogFormat::Ndjson);
    let text = String::from_utf8(bytes).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let offset: usize = lines[..index + 1].iter().map(|l| l.len() + 1).sum();
    lines[index + 1] = line.to_string();
    (
        format!("{}\n", lines.join("\n")).into_bytes(),
        offset as u64,
    )
}

fn record_line(index: usize) -> String {
    let bytes = encode_log(&small_log(), TreeShape::BASIS_TRACKER, LogFormat::Ndjson);
    String::from_utf8(bytes)
        .unwrap()
        .lines()
        .nth(index + 1)
        .unwrap()
        .to_string()
}

#[test]
fn ndjson_defects_are_refused_with_offset_and_sequence() {
    let line = record_line(2);
    let records = small_log();
    let key_hex = basis_trees::to_hex(&records[2].key);
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "missing key",
            line.replacen(&format!("\"key\":\"{key_hex}\","), "", 1),
            "missing field key",
        ),
        (
            "missing root after",
            line.replacen("\"tree_root_after\"", "\"tree_root_later\"", 1),
            "missing field tree_root_after",
        ),
        ("bad hex", line.replacen(&key_hex[..2], "zz", 1), "not hex"),
        (
            "odd hex",
            line.replacen(&key_hex, &key_hex[1..], 1),
            "odd length",
        ),
        (
            "sequence beyond u64",
            line.replacen(
                "\"sequence_number\":\"3\"",
                "\"sequence_number\":\"18446744073709551616\"",
                1,
            ),
            "decimal string",
        ),
        (
            "timestamp as a number",
            line.replacen(
                &format!("\"timestamp\":\"{}\"", records[2].timestamp),
                &format!("\"timestamp\":{}", records[2].timestamp),
                1,
            ),
            "must be a string",
        ),
        (
            "negative sequence",
            line.replacen("\"sequence_number\":\"3\"", "\"sequence_number\":\"-3\"", 1),
            "decimal string",
        ),
        (
            "leading zero",
            line.replacen("\"sequence_number\":\"3\"", "\"sequence_number\":\"03\"", 1),
            "leading zeros",
        ),
        (
            "unknown operation",
            line.replacen("\"operation_type\":\"", "\"operation_type\":\"x", 1),
            "operation_type must be",
        ),
        (
            "short root",
            line.replacen("\"tree_root_before\":\"", "\"tree_root_before\":\"00", 1),
            "33 bytes",
        ),
        (
            "duplicate field",
            line.replacen("{", "{\"key\":\"00\",", 1),
            "appears twice",
        ),
        (
            "escaped hex",
            line.replacen(&key_hex[..2], "\\u0030", 1),
            "without escapes",
        ),
        ("not an object", "[1,2]".to_string(), "'{'"),
        ("blank line", String::new(), "'{'"),
        (
            "trailing comma",
            line.replacen("}", ",}", 1),
            "expected a string",
        ),
        (
            "two objects",
            format!("{line}{line}"),
            "after the JSON object",
        ),
        (
            "huge key",
            line.replacen(&key_hex, &"ab".repeat(2000), 1),
            "longer than",
        ),
    ];
    for (name, bad, reason) in cases {
        let (bytes, line_offset) = ndjson_with_line(2, &bad);
        let err = decode_log(&bytes).unwrap_err();
        assert_eq!(err.code(), ErrorCode::LogCorrupt, "{name}: {err}");
        assert_eq!(err.sequence(), Some(3), "{name}: {err}");
        let offset = err.offset().unwrap();
        assert!(
            line_offset <= offset && offset <= line_offset + bad.len() as u64,
            "{name}: offset {offset} outside the line at {line_offset}: {err}"
        );
        assert!(err.to_string().contains(reason), "{name}: {err}");
    }
}

#[test]
fn ndjson_accepts_what_other_json_writers_produce() {
    let records = small_log();
    let line = record_line(2);
    // Whitespace, another member order, unknown members, CRLF, uppercase hex, absent optionals.
    let key_hex = basis_trees::to_hex(&records[2].key);
    let rewritten = line
        .replacen("{", "{ \"note\": {\"a\": [1, 2.5e-3, null, true]}, ", 1)
        .replacen(",\"proof\":null", "", 1)
        .replacen(&key_hex, &key_hex.to_uppercase(), 1)
        .replacen(":", " : ", 3)
        + " \r";
    let (bytes, _) = ndjson_with_line(2, &rewritten);
    let (_, decoded) = decode_log(&bytes).unwrap();
    assert_eq!(decoded, records);
    // A last line without its newline.
    let bytes = encode_log(&records, TreeShape::BASIS_TRACKER, LogFormat::Ndjson);
    let (_, decoded) = decode_log(&bytes[..bytes.len() - 1]).unwrap();
    assert_eq!(decoded, records);
}

#[test]
fn ndjson_header_defects_are_refused() {
    let bytes = encode_log(&small_log(), TreeShape::BASIS_TRACKER, LogFormat::Ndjson);
    let text = String::from_utf8(bytes).unwrap();
    let cases = [
        ("\"format\":\"basis-trees-log\"", "\"format\":\"other\""),
        ("\"key_length\":32", "\"key_length\":0"),
        ("\"key_length\":32", "\"key_length\":\"32\""),
        ("\"value_length\":null", "\"value_length\":-1"),
        ("\"start_sequence\":\"0\",", ""),
        ("\"start_root\":\"", "\"start_root\":\"zz"),
    ];
    for (from, to) in cases {
        let bad = text.replacen(from, to, 1);
        let err = decode_log(bad.as_bytes()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::LogCorrupt, "{to}: {err}");
        assert!(err.offset().unwrap() < 250, "{to}: {err}");
        assert_eq!(err.sequence(), None, "{to}");
    }
}

/// Every single-bit flip of an NDJSON log (which has no checksum) is either refused at the line
/// it hit, or leaves a log that decodes to records that differ at most in that line.
#[test]
fn every_bit_flip_of_an_ndjson_log_is_refused_or_stays_in_its_line() {
    let records = small_log();
    let bytes = encode_log(&records, TreeShape::BASIS_TRACKER, LogFormat::Ndjson);
    let (header_length, offsets) = common::record_offsets(&bytes);
    for i in 0..bytes.len() {
        for bit in 0..8 {
            let mut flipped = bytes.clone();
            flipped[i] ^= 1 << bit;
            let line = offsets
                .iter()
                .position(|&(o, l)| o <= i as u64 && (i as u64) < o + l);
            match (decode_log(&flipped), line) {
                (Ok((_, decoded)), Some(k)) => {
                    // Records other than the hit one are untouched (a flipped newline may merge
                    // or split lines, which the JSON reader refuses).
                    assert_eq!(decoded.len(), records.len(), "byte {i} bit {bit}");
                    for (j, (a, b)) in decoded.iter().zip(&records).enumerate() {
                        if j != k {
                            assert_eq!(a, b, "byte {i} bit {bit}");
                        }
                    }
                }
                (Ok((header, decoded)), None) => {
                    assert_eq!(decoded, records, "byte {i} bit {bit}");
                    assert!((i as u64) < header_length);
                    let _ = header;
                }
                (Err(err), _) => {
                    assert_eq!(err.code(), ErrorCode::LogCorrupt, "byte {i} bit {bit}");
                    let offset = err.offset().unwrap();
                    match line {
                        Some(k) => {
                            let (start, length) = offsets[k];
                            // A flipped newline makes the error show in the next line.
                            assert!(
                                start <= offset
                                    && offset
                                        <= start + length + offsets.get(k + 1).map_or(0, |n| n.1),
                                "byte {i} bit {bit}: {err}"
                            );
                        }
                        None => assert!(offset <= header_length, "byte {i} bit {bit}: {err}"),
                    }
                }
            }
        }
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn record() -> impl Strategy<Value = TreeOperation> {
        let bytes = |max: usize| proptest::collection::vec(any::<u8>(), 0..max);
        (
            any::<u64>(),
            0u8..3,
            any::<u64>(),
            bytes(64),
            proptest::option::of(bytes(40)),
            proptest::option::of(bytes(40)),
            any::<[u8; 33]>(),
            any::<[u8; 33]>(),
            proptest::option::of(bytes(100)),
        )
            .prop_map(|(seq, t, ts, key, value, previous, before, after, proof)| {
                TreeOperation {
                    sequence_number: seq,
                    operation_type: [
                        basis_trees::OperationType::Insert,
                        basis_trees::OperationType::Update,
                        basis_trees::OperationType::Remove,
                    ][usize::from(t)],
                    timestamp: ts,
                    key,
                    value,
                    previous_value: previous,
                    tree_root_before: before,
                    tree_root_after: after,
                    proof,
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any records — the decoder does not judge them, the verifier does — survive both
        /// encodings, whole or in chunks of any sizes.
        #[test]
        fn any_records_round_trip_in_any_chunks(
            records in proptest::collection::vec(record(), 0..6),
            chunk in 1usize..50,
            binary in any::<bool>(),
        ) {
            let format = if binary { LogFormat::Binary } else { LogFormat::Ndjson };
            let bytes = encode_log(&records, TreeShape::BASIS_TRACKER, format);
            prop_assert_eq!(&decode_log(&bytes).unwrap().1, &records);
            let mut decoder = LogDecoder::new();
            let mut got = Vec::new();
            for piece in bytes.chunks(chunk) {
                decoder.push(piece);
                while let Some(d) = decoder.next_record().unwrap() {
                    got.push(d.record);
                }
            }
            decoder.finish();
            while let Some(d) = decoder.next_record().unwrap() {
                got.push(d.record);
            }
            prop_assert_eq!(got, records);
        }
    }
}
