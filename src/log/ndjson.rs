//! The NDJSON log, version 1: a header line, then one JSON object per record, with the field
//! names of the tracker's `TreeOperation`, bytes in hex and u64 numbers as decimal strings.
//! Layout and rules: `docs/FORMAT.md`.

use crate::digest::Digest;
use crate::error::{Error, ErrorKind, Result};
use crate::hex::{decode_hex, to_hex};
use crate::json_reader::{parse_object, JsonMember, JsonValue};
use crate::log::format::{
    LogFormat, LogHeader, LogStart, LIMIT_KEY, LIMIT_VALUE, MAX_PROOF_LENGTH,
};
use crate::log::record::{OperationType, TreeOperation};
use crate::shape::TreeShape;

/// The value of the header line's `format` member.
pub const NDJSON_LOG_FORMAT_NAME: &str = "basis-trees-log";

/// The version this crate writes and the only one it reads.
pub(crate) const VERSION: u64 = 1;

fn corrupt(offset: u64, reason: impl Into<String>) -> Error {
    Error::new(ErrorKind::LogCorrupt {
        reason: reason.into(),
    })
    .at_offset(offset)
}

/// Appends the header line (newline included) to `out`.
pub(crate) fn encode_header(header: &LogHeader, out: &mut Vec<u8>) {
    let value_length = match header.shape.value_length {
        Some(len) => len.to_string(),
        None => "null".to_string(),
    };
    let mut line = format!(
        "{{\"format\":\"{NDJSON_LOG_FORMAT_NAME}\",\"version\":{VERSION},\"key_length\":{},\"value_length\":{value_length}",
        header.shape.key_length
    );
    if let Some(start) = header.start {
        line.push_str(&format!(
            ",\"start_sequence\":\"{}\",\"start_root\":\"{}\"",
            start.sequence,
            to_hex(&start.root)
        ));
    }
    line.push_str("}\n");
    out.extend_from_slice(line.as_bytes());
}

fn optional_hex(bytes: &Option<Vec<u8>>) -> String {
    match bytes {
        Some(bytes) => format!("\"{}\"", to_hex(bytes)),
        None => "null".to_string(),
    }
}

/// Appends one record line (newline included) to `out`. Every field is written, absent ones as
/// `null`, in the order of the format's table.
pub(crate) fn encode_record(record: &TreeOperation, out: &mut Vec<u8>) {
    let line = format!(
        "{{\"sequence_number\":\"{}\",\"operation_type\":\"{}\",\"timestamp\":\"{}\",\"key\":\"{}\",\"value\":{},\"previous_value\":{},\"tree_root_before\":\"{}\",\"tree_root_after\":\"{}\",\"proof\":{}}}\n",
        record.sequence_number,
        record.operation_type.as_str(),
        record.timestamp,
        to_hex(&record.key),
        optional_hex(&record.value),
        optional_hex(&record.previous_value),
        to_hex(&record.tree_root_before),
        to_hex(&record.tree_root_after),
        optional_hex(&record.proof),
    );
    out.extend_from_slice(line.as_bytes());
}

/// The members of a line, each known name at most once.
struct Fields<'a> {
    members: Vec<JsonMember<'a>>,
    line_offset: u64,
}

impl<'a> Fields<'a> {
    fn parse(line: &'a [u8], line_offset: u64, known: &[&str]) -> Result<Fields<'a>> {
        let members = parse_object(line, line_offset)?;
        for (i, member) in members.iter().enumerate() {
            if known.contains(&member.name) && members.iter().take(i).any(|m| m.name == member.name)
            {
                return Err(corrupt(
                    member.offset,
                    format!("field {} appears twice", member.name),
                ));
            }
        }
        Ok(Fields {
            members,
            line_offset,
        })
    }

    fn get(&self, name: &str) -> Option<&JsonMember<'a>> {
        self.members.iter().find(|m| m.name == name)
    }

    fn required(&self, name: &str) -> Result<&JsonMember<'a>> {
        self.get(name)
            .ok_or_else(|| corrupt(self.line_offset, format!("missing field {name}")))
    }

    /// A string field that must be present.
    fn string(&self, name: &str) -> Result<(&'a str, u64)> {
        let member = self.required(name)?;
        match member.value {
            JsonValue::String(s) => Ok((s, member.offset)),
            _ => Err(corrupt(
                member.offset,
                format!("{name} must be a string without escapes"),
            )),
        }
    }

    /// A string field that may be absent or null.
    fn optional_string(&self, name: &str) -> Result<Option<(&'a str, u64)>> {
        match self.get(name) {
            None => Ok(None),
            Some(JsonMember {
                value: JsonValue::Null,
                ..
            }) => Ok(None),
            Some(_) => self.string(name).map(Some),
        }
    }

    /// A small unsigned JSON number.
    fn small_number(&self, name: &str, max: u64) -> Result<Option<u64>> {
        let member = self.required(name)?;
        match member.value {
            JsonValue::Null => Ok(None),
            JsonValue::Number(text) => match parse_decimal(text) {
                Some(n) if n <= max => Ok(Some(n)),
                _ => Err(corrupt(
                    member.offset,
                    format!("{name} must be an integer from 0 to {max}"),
                )),
            },
            _ => Err(corrupt(member.offset, format!("{name} must be a number"))),
        }
    }
}

/// A canonical decimal u64: digits only, no sign, no leading zero (except "0"), at most u64::MAX.
fn parse_decimal(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || (bytes.len() > 1 && bytes.first() == Some(&b'0')) {
        return None;
    }
    let mut n: u64 = 0;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(n)
}

fn decimal(name: &str, (text, offset): (&str, u64)) -> Result<u64> {
    parse_decimal(text).ok_or_else(|| {
        corrupt(
            offset,
            format!("{name} must be a decimal string from 0 to 18446744073709551615, without sign or leading zeros"),
        )
    })
}

fn hex(name: &str, (text, offset): (&str, u64), limit: usize) -> Result<Vec<u8>> {
    if text.len() / 2 > limit {
        return Err(corrupt(
            offset,
            format!("{name} is longer than {limit} bytes"),
        ));
    }
    decode_hex(text).map_err(|e| {
        // The offset of the bad digit within the string; +1 skips the opening quote.
        let at = offset + 1 + e.offset().unwrap_or(0) as u64;
        corrupt(at, format!("{name} is not hex: {e}"))
    })
}

fn digest(name: &str, field: (&str, u64)) -> Result<Digest> {
    let bytes = hex(name, field, 33)?;
    Digest::try_from(bytes.as_slice())
        .map_err(|_| corrupt(field.1, format!("{name} must be 33 bytes (66 hex digits)")))
}

/// Reads the header line, which starts at byte 0 of the log.
pub(crate) fn decode_header(line: &[u8]) -> Result<LogHeader> {
    let known = [
        "format",
        "version",
        "key_length",
        "value_length",
        "start_sequence",
        "start_root",
    ];
    let fields = Fields::parse(line, 0, &known)?;
    match fields.get("format") {
        Some(JsonMember {
            value: JsonValue::String(NDJSON_LOG_FORMAT_NAME),
            ..
        }) => {}
        _ => {
            return Err(corrupt(
                0,
                format!("first line is not a {NDJSON_LOG_FORMAT_NAME} header"),
            ))
        }
    }
    let version_offset = fields.required("version")?.offset;
    match fields.small_number("version", u64::from(u16::MAX))? {
        Some(VERSION) => {}
        other => {
            return Err(corrupt(
                version_offset,
                format!(
                    "NDJSON log version {} is not supported (this reader knows {VERSION})",
                    other.map_or("null".to_string(), |v| v.to_string())
                ),
            ))
        }
    }
    let key_offset = fields.required("key_length")?.offset;
    let key_length = fields
        .small_number("key_length", u64::from(u32::MAX))?
        .ok_or_else(|| corrupt(key_offset, "key_length must be a number"))?;
    let value_length = if fields.get("value_length").is_some() {
        fields.small_number("value_length", u64::from(u32::MAX))?
    } else {
        None
    };
    let shape = TreeShape::new(key_length as usize, value_length.map(|v| v as usize))
        .map_err(|e| corrupt(key_offset, format!("bad tree shape: {}", e.kind())))?;
    let start = match (
        fields.optional_string("start_sequence")?,
        fields.optional_string("start_root")?,
    ) {
        (None, None) => None,
        (Some(sequence), Some(root)) => Some(LogStart {
            sequence: decimal("start_sequence", sequence)?,
            root: digest("start_root", root)?,
        }),
        _ => {
            return Err(corrupt(
                0,
                "start_sequence and start_root must be given together",
            ))
        }
    };
    Ok(LogHeader {
        format: LogFormat::Ndjson,
        shape,
        start,
    })
}

/// Reads one record line starting at byte `offset` of the log; `sequence` is the sequence
/// number the record should have, for the location of errors.
pub(crate) fn decode_record(line: &[u8], offset: u64, sequence: u64) -> Result<TreeOperation> {
    decode_record_fields(line, offset).map_err(|e| e.at_sequence(sequence))
}

fn decode_record_fields(line: &[u8], offset: u64) -> Result<TreeOperation> {
    let known = [
        "sequence_number",
        "operation_type",
        "timestamp",
        "key",
        "value",
        "previous_value",
        "tree_root_before",
        "tree_root_after",
        "proof",
    ];
    let fields = Fields::parse(line, offset, &known)?;
    let sequence_number = decimal("sequence_number", fields.string("sequence_number")?)?;
    let (type_name, type_offset) = fields.string("operation_type")?;
    let operation_type = OperationType::from_name(type_name).ok_or_else(|| {
        corrupt(
            type_offset,
            "operation_type must be \"insert\", \"update\" or \"remove\"",
        )
    })?;
    let timestamp = decimal("timestamp", fields.string("timestamp")?)?;
    let key = hex("key", fields.string("key")?, LIMIT_KEY)?;
    let value = match fields.optional_string("value")? {
        Some(field) => Some(hex("value", field, LIMIT_VALUE)?),
        None => None,
    };
    let previous_value = match fields.optional_string("previous_value")? {
        Some(field) => Some(hex("previous_value", field, LIMIT_VALUE)?),
        None => None,
    };
    let tree_root_before = digest("tree_root_before", fields.string("tree_root_before")?)?;
    let tree_root_after = digest("tree_root_after", fields.string("tree_root_after")?)?;
    let proof = match fields.optional_string("proof")? {
        Some(field) => Some(hex("proof", field, MAX_PROOF_LENGTH)?),
        None => None,
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_canonical_and_within_u64() {
        assert_eq!(parse_decimal("0"), Some(0));
        assert_eq!(parse_decimal("18446744073709551615"), Some(u64::MAX));
        for bad in [
            "",
            "18446744073709551616",
            "-1",
            "01",
            "1e3",
            "1.0",
            " 1",
            "+1",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }
}
