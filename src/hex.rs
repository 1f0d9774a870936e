//! Lower-case hex, the text form of keys, values and digests in messages and NDJSON logs.

use crate::error::{Error, ErrorKind, Result};

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Lower-case hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    out
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Bytes of a hex string (either case; an odd length or a non-hex character is an error).
///
/// The error is `LOG_CORRUPT` with the offset of the offending character in `text`; callers that
/// parse something else re-map it.
pub fn from_hex(text: &str) -> Result<Vec<u8>> {
    let raw = text.as_bytes();
    if raw.len() % 2 != 0 {
        return Err(Error::new(ErrorKind::LogCorrupt {
            reason: format!("hex string has odd length {}", raw.len()),
        }));
    }
    let mut out = Vec::with_capacity(raw.len() / 2);
    for (i, pair) in raw.chunks_exact(2).enumerate() {
        let (hi, lo) = (pair[0], pair[1]);
        match (nibble(hi), nibble(lo)) {
            (Some(h), Some(l)) => out.push(h << 4 | l),
            (h, _) => {
                let at = if h.is_none() { 2 * i } else { 2 * i + 1 };
                return Err(Error::new(ErrorKind::LogCorrupt {
                    reason: format!("'{}' is not a hex digit", char::from(raw[at])),
                })
                .at_offset(at as u64));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(from_hex(&to_hex(&bytes)).unwrap(), bytes);
        assert_eq!(from_hex("ABcd").unwrap(), vec![0xab, 0xcd]);
    }

    #[test]
    fn rejects_odd_length_and_bad_digits() {
        assert!(from_hex("abc").is_err());
        let err = from_hex("00zz").unwrap_err();
        assert_eq!(err.offset(), Some(2));
    }
}
