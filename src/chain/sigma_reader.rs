//! A cursor over a serialized Sigma constant: single bytes, fixed arrays and VLQ numbers, each
//! read checked, every refusal a `REGISTER_INVALID` error at the offending byte.
//!
//! VLQ numbers are read as sigma-rust's `ReadSigmaVlqExt::get_u64` and scorex-util's
//! `VLQReader.getULong` read them: seven bits a byte, least significant group first, at most ten
//! bytes (bits shifted past the 64th are dropped, as there); `get_u32` / `getUInt` then refuse a
//! number over `u32::MAX`. Non-minimal encodings (`80 00` for 0) are accepted, as there.

use super::register_error::RegisterError;
use crate::error::{Error, ErrorKind, Result};

/// The longest VLQ number the reference readers accept.
const MAX_VLQ_BYTES: usize = 10;

/// A `REGISTER_INVALID` error at `offset` in the register's bytes.
pub(crate) fn invalid(reason: RegisterError, offset: usize) -> Error {
    Error::new(ErrorKind::RegisterInvalid {
        register: None,
        reason,
    })
    .at_offset(offset as u64)
}

pub(crate) struct SigmaReader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> SigmaReader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> SigmaReader<'a> {
        SigmaReader { bytes, position: 0 }
    }

    /// Reads the type byte, refusing any other type than `expected`.
    pub(crate) fn type_code(&mut self, expected: u8) -> Result<()> {
        let actual = self.u8("type")?;
        if actual != expected {
            return Err(invalid(RegisterError::WrongType { expected, actual }, 0));
        }
        Ok(())
    }

    pub(crate) fn u8(&mut self, what: &'static str) -> Result<u8> {
        let [byte] = self.array(what)?;
        Ok(byte)
    }

    pub(crate) fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N]> {
        let end = self.position.saturating_add(N);
        match self.bytes.get(self.position..end) {
            Some(taken) => {
                let mut out = [0u8; N];
                out.copy_from_slice(taken);
                self.position = end;
                Ok(out)
            }
            None => Err(invalid(RegisterError::Truncated { what }, self.bytes.len())),
        }
    }

    pub(crate) fn vlq_u64(&mut self, what: &'static str) -> Result<u64> {
        let start = self.position;
        let mut result = 0u64;
        for group in 0..MAX_VLQ_BYTES {
            let byte = self.u8(what)?;
            result |= u64::from(byte & 0x7f) << (7 * group);
            if byte & 0x80 == 0 {
                return Ok(result);
            }
        }
        Err(invalid(RegisterError::VlqTooLong { what }, start))
    }

    /// A VLQ number of at most `max`, as `getUShort` (`max` 65535) and `getUInt` read them.
    pub(crate) fn vlq_at_most(&mut self, what: &'static str, max: u64) -> Result<u64> {
        let start = self.position;
        let value = self.vlq_u64(what)?;
        match value <= max {
            true => Ok(value),
            false => Err(invalid(
                RegisterError::OutOfBounds { what, value, max },
                start,
            )),
        }
    }

    /// Steps over `count` bytes.
    pub(crate) fn skip(&mut self, count: usize, what: &'static str) -> Result<()> {
        let end = self.position.saturating_add(count);
        if end > self.bytes.len() {
            return Err(invalid(RegisterError::Truncated { what }, self.bytes.len()));
        }
        self.position = end;
        Ok(())
    }

    /// The offset of the next byte to read.
    pub(crate) fn position(&self) -> usize {
        self.position
    }

    /// The next byte, not read.
    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.position).copied()
    }

    /// Whether every byte has been read.
    pub(crate) fn at_end(&self) -> bool {
        self.position >= self.bytes.len()
    }

    pub(crate) fn vlq_u32(&mut self, what: &'static str) -> Result<u32> {
        let start = self.position;
        let value = self.vlq_u64(what)?;
        u32::try_from(value).map_err(|_| invalid(RegisterError::OutOfRange { what, value }, start))
    }

    /// Refuses bytes after the value.
    pub(crate) fn finish(self) -> Result<()> {
        let count = self.bytes.len().saturating_sub(self.position);
        if count > 0 {
            return Err(invalid(
                RegisterError::TrailingBytes { count },
                self.position,
            ));
        }
        Ok(())
    }
}

/// Appends `value` as a VLQ number, as sigma-rust's `put_u64` writes it (minimal length).
pub(crate) fn put_vlq(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value & 0x7f) as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn read_u64(bytes: &[u8]) -> Result<u64> {
        let mut reader = SigmaReader::new(bytes);
        let value = reader.vlq_u64("n")?;
        reader.finish()?;
        Ok(value)
    }

    /// sigma-rust `sigma-ser/src/vlq_encode.rs`, `expected_values()` (from scorex-util's
    /// VLQReaderWriterSpecification, itself from protobuf's CodedInputStreamTest).
    #[test]
    fn reads_and_writes_the_reference_vectors() {
        let cases: [(&[u8], u64); 8] = [
            (&[0x00], 0),
            (&[0x01], 1),
            (&[0x7f], 127),
            (&[0xa2, 0x74], 14882),
            (&[0xbe, 0xf7, 0x92, 0x84, 0x0b], 2961488830),
            (&[0xbe, 0xf7, 0x92, 0x84, 0x1b], 7256456126),
            (
                &[0x80, 0xe6, 0xeb, 0x9c, 0xc3, 0xc9, 0xa4, 0x49],
                41256202580718336,
            ),
            (
                &[0x9b, 0xa8, 0xf9, 0xc2, 0xbb, 0xd6, 0x80, 0x85, 0xa6, 0x01],
                11964378330978735131,
            ),
        ];
        for (bytes, value) in cases {
            assert_eq!(read_u64(bytes).unwrap(), value, "{bytes:02x?}");
            let mut written = Vec::new();
            put_vlq(&mut written, value);
            assert_eq!(written, bytes);
        }
    }

    /// sigma-rust `vlq_encode.rs`, `u32_corner_cases`.
    #[test]
    fn reads_u32_corner_cases() {
        let cases: [(&[u8], u32); 13] = [
            (&[0], 0),
            (&[0x7e], 126),
            (&[0x7f], 127),
            (&[0x80, 0x01], 128),
            (&[0x81, 0x01], 129),
            (&[0xff, 0x7f], 16383),
            (&[0x80, 0x80, 0x01], 16384),
            (&[0x81, 0x80, 0x01], 16385),
            (&[0xff, 0xff, 0x7f], 2097151),
            (&[0x80, 0x80, 0x80, 0x01], 2097152),
            (&[0xff, 0xff, 0xff, 0x7f], 268435455),
            (&[0x80, 0x80, 0x80, 0x80, 0x01], 268435456),
            (&[0xff, 0xff, 0xff, 0xff, 0x0f], u32::MAX),
        ];
        for (bytes, value) in cases {
            assert_eq!(SigmaReader::new(bytes).vlq_u32("n").unwrap(), value);
        }
        // 7256456126 of `expected_values()` does not fit: `get_u32` refuses it.
        let err = SigmaReader::new(&[0xbe, 0xf7, 0x92, 0x84, 0x1b])
            .vlq_u32("key length")
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::RegisterInvalid);
        assert_eq!(err.offset(), Some(0));
        assert!(err.to_string().contains("7256456126"), "{err}");
    }

    /// sigma-rust `vlq_encode.rs`, `malformed_input` (from protobuf's CodedInputStreamTest).
    #[test]
    fn refuses_malformed_vlq() {
        let err = read_u64(&[0x80]).unwrap_err();
        assert!(matches!(
            err.kind(),
            ErrorKind::RegisterInvalid {
                reason: RegisterError::Truncated { what: "n" },
                ..
            }
        ));
        assert_eq!(err.offset(), Some(1));
        let overlong = [
            0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00,
        ];
        let err = read_u64(&overlong).unwrap_err();
        assert!(matches!(
            err.kind(),
            ErrorKind::RegisterInvalid {
                reason: RegisterError::VlqTooLong { .. },
                ..
            }
        ));
        assert_eq!(err.offset(), Some(0));
    }

    #[test]
    fn accepts_what_the_reference_readers_accept() {
        // Non-minimal: 0 in two bytes (sigma-rust's `i16_corner_cases` reads `80 00` as 0).
        assert_eq!(read_u64(&[0x80, 0x00]).unwrap(), 0);
        // A tenth byte's bits past the 64th are dropped, as `get_u64` drops them.
        let tenth = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f];
        assert_eq!(read_u64(&tenth).unwrap(), 1 << 63);
    }

    #[test]
    fn refuses_trailing_bytes_at_their_offset() {
        let err = read_u64(&[0x05, 0xaa, 0xbb]).unwrap_err();
        assert!(matches!(
            err.kind(),
            ErrorKind::RegisterInvalid {
                reason: RegisterError::TrailingBytes { count: 2 },
                ..
            }
        ));
        assert_eq!(err.offset(), Some(1));
    }
}
