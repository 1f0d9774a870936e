//! Lower-case hex, the text form of keys, values and digests in messages and NDJSON logs.
//!
//! A leaf: it uses nothing else of the crate. Decoding fails with a [`HexError`], which each
//! caller turns into its own error (`LOG_CORRUPT` in a log line, the argument's code in the
//! JavaScript bindings).

use std::fmt;

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

/// Why a string is not hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HexError {
    /// The string has an odd number of bytes.
    OddLength {
        /// The string's length in bytes.
        length: usize,
    },
    /// The character at byte `offset` of the string is not a hex digit.
    NotADigit {
        /// Its byte offset in the string.
        offset: usize,
        /// The character.
        character: char,
    },
}

impl HexError {
    /// The byte offset of the offending character in the string, if one is to blame.
    pub fn offset(&self) -> Option<usize> {
        match self {
            HexError::OddLength { .. } => None,
            HexError::NotADigit { offset, .. } => Some(*offset),
        }
    }
}

impl fmt::Display for HexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HexError::OddLength { length } => write!(f, "hex string has odd length {length}"),
            HexError::NotADigit { character, .. } => {
                write!(f, "'{character}' is not a hex digit")
            }
        }
    }
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Bytes of a hex string, in either case.
pub fn decode_hex(text: &str) -> Result<Vec<u8>, HexError> {
    let raw = text.as_bytes();
    if raw.len() % 2 != 0 {
        return Err(HexError::OddLength { length: raw.len() });
    }
    let mut out = Vec::with_capacity(raw.len() / 2);
    for (i, pair) in raw.chunks_exact(2).enumerate() {
        let (hi, lo) = (pair[0], pair[1]);
        match (nibble(hi), nibble(lo)) {
            (Some(h), Some(l)) => out.push(h << 4 | l),
            (h, _) => {
                let offset = if h.is_none() { 2 * i } else { 2 * i + 1 };
                // Every byte before `offset` is an ASCII digit, so it starts a character.
                let character = text
                    .get(offset..)
                    .and_then(|rest| rest.chars().next())
                    .unwrap_or(char::REPLACEMENT_CHARACTER);
                return Err(HexError::NotADigit { offset, character });
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
        assert_eq!(decode_hex(&to_hex(&bytes)).unwrap(), bytes);
        assert_eq!(decode_hex("ABcd").unwrap(), vec![0xab, 0xcd]);
    }

    #[test]
    fn rejects_odd_length_and_bad_digits() {
        assert_eq!(
            decode_hex("abc").unwrap_err(),
            HexError::OddLength { length: 3 }
        );
        let err = decode_hex("00zz").unwrap_err();
        assert_eq!(err.offset(), Some(2));
        assert_eq!(err.to_string(), "'z' is not a hex digit");
        // A character of several bytes is named whole, at its first byte.
        let err = decode_hex("0é0").unwrap_err();
        assert_eq!(
            err,
            HexError::NotADigit {
                offset: 1,
                character: 'é'
            }
        );
    }
}
