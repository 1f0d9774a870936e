//! The binary log, version 1: a 63-byte header, then length-prefixed records each closed by a
//! CRC-32C. Layout and rules: `docs/FORMAT.md`.

use crate::byte_reader::ByteReader;
use crate::crc32c::crc32c;
use crate::error::{Error, ErrorKind, Result};
use crate::log::format::MAX_RECORD_LENGTH;
use crate::log::format::{
    LogFormat, LogHeader, LogStart, LIMIT_KEY, LIMIT_VALUE, MAX_PROOF_LENGTH,
};
use crate::log::record::{OperationType, TreeOperation};
use crate::shape::TreeShape;

/// The first eight bytes of every binary log: a non-ASCII byte, the name, CR LF (so that a
/// transfer in text mode or through a 7-bit channel is caught at once).
pub const BINARY_LOG_MAGIC: [u8; 8] = *b"\x89BTLOG\r\n";

/// The version this crate writes and the only one it reads.
pub(crate) const VERSION: u16 = 1;

/// Header length: magic, version, flags, key length, value length, start sequence, start root, CRC.
pub(crate) const HEADER_LENGTH: usize = 8 + 2 + 2 + 2 + 4 + 8 + 33 + 4;

const FLAG_FIXED_VALUE_LENGTH: u16 = 1;
const FLAG_START: u16 = 2;

const FIELD_VALUE: u8 = 1;
const FIELD_PREVIOUS_VALUE: u8 = 2;
const FIELD_PROOF: u8 = 4;

/// The shortest record body: sequence, type, fields, timestamp, key length and the two roots.
pub(crate) const MIN_BODY_LENGTH: usize = 8 + 1 + 1 + 8 + 2 + 33 + 33;

fn corrupt(offset: u64, reason: impl Into<String>) -> Error {
    Error::new(ErrorKind::LogCorrupt {
        reason: reason.into(),
    })
    .at_offset(offset)
}

fn length_u32(len: usize) -> [u8; 4] {
    // Lengths beyond u32 cannot be written; saturating makes the decoder refuse the record.
    u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes()
}

/// Appends the header of a binary log to `out`.
pub(crate) fn encode_header(header: &LogHeader, out: &mut Vec<u8>) {
    let start = out.len();
    let mut flags = 0u16;
    if header.shape.value_length.is_some() {
        flags |= FLAG_FIXED_VALUE_LENGTH;
    }
    if header.start.is_some() {
        flags |= FLAG_START;
    }
    out.extend_from_slice(&BINARY_LOG_MAGIC);
    out.extend_from_slice(&VERSION.to_be_bytes());
    out.extend_from_slice(&flags.to_be_bytes());
    let key_length = u16::try_from(header.shape.key_length).unwrap_or(u16::MAX);
    out.extend_from_slice(&key_length.to_be_bytes());
    out.extend_from_slice(&length_u32(header.shape.value_length.unwrap_or(0)));
    let (sequence, root) = header
        .start
        .map_or((0, [0u8; 33]), |s| (s.sequence, s.root));
    out.extend_from_slice(&sequence.to_be_bytes());
    out.extend_from_slice(&root);
    let crc = crc32c(out.get(start..).unwrap_or_default());
    out.extend_from_slice(&crc.to_be_bytes());
}

/// Appends one record to `out`.
pub(crate) fn encode_record(record: &TreeOperation, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&[0; 4]); // the length, written once the body is known
    out.extend_from_slice(&record.sequence_number.to_be_bytes());
    out.push(match record.operation_type {
        OperationType::Insert => 1,
        OperationType::Update => 2,
        OperationType::Remove => 3,
    });
    let mut fields = 0;
    if record.value.is_some() {
        fields |= FIELD_VALUE;
    }
    if record.previous_value.is_some() {
        fields |= FIELD_PREVIOUS_VALUE;
    }
    if record.proof.is_some() {
        fields |= FIELD_PROOF;
    }
    out.push(fields);
    out.extend_from_slice(&record.timestamp.to_be_bytes());
    let key_length = u16::try_from(record.key.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&key_length.to_be_bytes());
    out.extend_from_slice(&record.key);
    for bytes in [&record.value, &record.previous_value]
        .into_iter()
        .flatten()
    {
        out.extend_from_slice(&length_u32(bytes.len()));
        out.extend_from_slice(bytes);
    }
    out.extend_from_slice(&record.tree_root_before);
    out.extend_from_slice(&record.tree_root_after);
    if let Some(proof) = &record.proof {
        out.extend_from_slice(&length_u32(proof.len()));
        out.extend_from_slice(proof);
    }
    let body_length = out.len() - start - 4;
    if let Some(length) = out.get_mut(start..start + 4) {
        length.copy_from_slice(&length_u32(body_length));
    }
    let crc = crc32c(out.get(start..).unwrap_or_default());
    out.extend_from_slice(&crc.to_be_bytes());
}

/// Reads the header from the start of `bytes`: `Ok(None)` when more bytes are needed, otherwise
/// the header and its length. Defects are found as early as the bytes allow: a wrong magic byte
/// or version is reported before the rest of the header arrives.
pub(crate) fn decode_header(bytes: &[u8]) -> Result<Option<(LogHeader, usize)>> {
    for (i, (&got, &want)) in bytes.iter().zip(BINARY_LOG_MAGIC.iter()).enumerate() {
        if got != want {
            return Err(corrupt(
                i as u64,
                "not a basis-trees binary log (wrong magic bytes)",
            ));
        }
    }
    if let Some(version) = bytes.get(8..10) {
        let version = u16::from_be_bytes([version[0], version[1]]);
        if version != VERSION {
            return Err(corrupt(
                8,
                format!(
                    "binary log version {version} is not supported (this reader knows {VERSION})"
                ),
            ));
        }
    }
    let Some(header) = bytes.get(..HEADER_LENGTH) else {
        return Ok(None);
    };
    let mut r = ByteReader::new(header);
    let _magic_and_version = r.take(10);
    let (Some(flags), Some(key_length), Some(value_length), Some(sequence), Some(root)) =
        (r.u16(), r.u16(), r.u32(), r.u64(), r.digest())
    else {
        return Ok(None);
    };
    let stored_crc = r.u32().unwrap_or_default();
    if crc32c(header.get(..HEADER_LENGTH - 4).unwrap_or_default()) != stored_crc {
        return Err(corrupt(0, "header checksum mismatch"));
    }
    if flags & !(FLAG_FIXED_VALUE_LENGTH | FLAG_START) != 0 {
        return Err(corrupt(10, format!("unknown header flags {flags:#06x}")));
    }
    let value_length = if flags & FLAG_FIXED_VALUE_LENGTH != 0 {
        Some(value_length as usize)
    } else if value_length != 0 {
        return Err(corrupt(
            14,
            "value length set without the fixed-length flag",
        ));
    } else {
        None
    };
    let shape = TreeShape::new(usize::from(key_length), value_length)
        .map_err(|e| corrupt(12, format!("bad tree shape: {}", e.kind())))?;
    let start = if flags & FLAG_START != 0 {
        Some(LogStart { sequence, root })
    } else if sequence != 0 || root != [0u8; 33] {
        return Err(corrupt(18, "start reference set without the start flag"));
    } else {
        None
    };
    let header = LogHeader {
        format: LogFormat::Binary,
        shape,
        start,
    };
    Ok(Some((header, HEADER_LENGTH)))
}

/// Reads one record from the start of `bytes`, which begin at byte `offset` of the log:
/// `Ok(None)` when more bytes are needed, otherwise the record and its encoded length.
/// `sequence` is the sequence number the record should have, for the location of errors.
/// A body longer than `max_body` (the log's [`RecordLimits`](crate::RecordLimits)) is refused as
/// soon as the length field is there.
pub(crate) fn decode_record(
    bytes: &[u8],
    offset: u64,
    sequence: u64,
    max_body: usize,
) -> Result<Option<(TreeOperation, usize)>> {
    let fail = |reason: String| corrupt(offset, reason).at_sequence(sequence);
    let Some(length) = bytes.get(..4) else {
        return Ok(None);
    };
    let body_length = u32::from_be_bytes([length[0], length[1], length[2], length[3]]) as usize;
    if body_length > max_body.min(MAX_RECORD_LENGTH) {
        return Err(fail(format!(
            "record length {body_length} exceeds the limit of {} bytes for a record of this \
             log's shape (raise it with maxRecordLength)",
            max_body.min(MAX_RECORD_LENGTH)
        )));
    }
    if body_length < MIN_BODY_LENGTH {
        return Err(fail(format!(
            "record length {body_length} is below the minimum of {MIN_BODY_LENGTH} bytes"
        )));
    }
    let total = 4 + body_length + 4;
    let Some(framed) = bytes.get(..total) else {
        return Ok(None);
    };
    let (covered, crc) = framed.split_at(total - 4);
    if crc32c(covered) != u32::from_be_bytes([crc[0], crc[1], crc[2], crc[3]]) {
        return Err(fail("record checksum mismatch".to_string()));
    }
    let body = covered.get(4..).unwrap_or_default();
    let record = decode_body(body).map_err(fail)?;
    Ok(Some((record, total)))
}

/// The fields of a record body whose checksum matched; `Err` says what is malformed.
fn decode_body(body: &[u8]) -> std::result::Result<TreeOperation, String> {
    let mut r = ByteReader::new(body);
    let short = || "record body ends early".to_string();
    let sequence_number = r.u64().ok_or_else(short)?;
    let operation_type = match r.u8().ok_or_else(short)? {
        1 => OperationType::Insert,
        2 => OperationType::Update,
        3 => OperationType::Remove,
        other => return Err(format!("unknown operation type {other}")),
    };
    let fields = r.u8().ok_or_else(short)?;
    if fields & !(FIELD_VALUE | FIELD_PREVIOUS_VALUE | FIELD_PROOF) != 0 {
        return Err(format!("unknown field flags {fields:#04x}"));
    }
    let timestamp = r.u64().ok_or_else(short)?;
    let key_length = usize::from(r.u16().ok_or_else(short)?);
    if key_length > LIMIT_KEY {
        return Err(format!("key length {key_length} exceeds {LIMIT_KEY}"));
    }
    let key = r.take(key_length).ok_or_else(short)?.to_vec();
    let mut sized = |present: bool, limit: usize, what: &str| -> Result<Option<Vec<u8>>, String> {
        if !present {
            return Ok(None);
        }
        let len = r.u32().ok_or_else(short)? as usize;
        if len > limit {
            return Err(format!("{what} length {len} exceeds {limit}"));
        }
        Ok(Some(r.take(len).ok_or_else(short)?.to_vec()))
    };
    let value = sized(fields & FIELD_VALUE != 0, LIMIT_VALUE, "value")?;
    let previous_value = sized(
        fields & FIELD_PREVIOUS_VALUE != 0,
        LIMIT_VALUE,
        "previous value",
    )?;
    let tree_root_before = r.digest().ok_or_else(short)?;
    let tree_root_after = r.digest().ok_or_else(short)?;
    let proof = if fields & FIELD_PROOF != 0 {
        let len = r.u32().ok_or_else(short)? as usize;
        if len > MAX_PROOF_LENGTH {
            return Err(format!("proof length {len} exceeds {MAX_PROOF_LENGTH}"));
        }
        Some(r.take(len).ok_or_else(short)?.to_vec())
    } else {
        None
    };
    if r.remaining() != 0 {
        return Err(format!(
            "{} bytes after the last field of the record body",
            r.remaining()
        ));
    }
    Ok(TreeOperation {
        sequence_number,
        operation_type,
        timestamp,
        key,
        value,
        previous_value,
        tree_root_before,
        tree_root_after,
        proof,
    })
}
