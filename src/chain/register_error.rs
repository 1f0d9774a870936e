//! Why a register's bytes are not the Sigma constant expected: the `reason` of a
//! `REGISTER_INVALID` error.

use std::fmt;

/// Why a serialized register was refused. Every variant reaches the caller as
/// [`ErrorCode::RegisterInvalid`](crate::ErrorCode::RegisterInvalid), with the byte offset of the
/// problem in the error (in the register's bytes, or in the JSON text when the register came from
/// a box). `what` names the field being read: `"type"`, `"digest"`, `"flags"`, `"key length"`,
/// `"value length"`, `"public key"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterError {
    /// The bytes end inside a field.
    Truncated {
        /// The field cut short.
        what: &'static str,
    },
    /// The first byte is the type code of another type.
    WrongType {
        /// The type code wanted (`0x64` for `AvlTree`, `0x07` for `GroupElement`).
        expected: u8,
        /// The type code found.
        actual: u8,
    },
    /// A VLQ number has more than 10 bytes (sigma-rust's and sigmastate's readers stop there).
    VlqTooLong {
        /// The field.
        what: &'static str,
    },
    /// A VLQ number is larger than an unsigned 32-bit integer (`getUInt` refuses it).
    OutOfRange {
        /// The field.
        what: &'static str,
        /// The number read.
        value: u64,
    },
    /// A VLQ number is larger than the field allows (a collection's length is at most 65535, a
    /// `BigInt` at most 32 bytes).
    OutOfBounds {
        /// The field.
        what: &'static str,
        /// The number read.
        value: u64,
        /// The largest the field allows.
        max: u64,
    },
    /// A `SigmaProp` whose first byte is none of the codes of a sigma proposition (`0xcd`
    /// ProveDlog, `0xce` ProveDHTuple, `0xd2`/`0xd3` false/true, `0x96` AND, `0x97` OR, `0x98`
    /// threshold).
    NotASigmaProposition {
        /// The byte found.
        op_code: u8,
    },
    /// Bytes follow the end of the value.
    TrailingBytes {
        /// How many.
        count: usize,
    },
    /// A `GroupElement` that is not a compressed point (first byte 0x02 or 0x03): the point at
    /// infinity (first byte 0x00) is a group element but no one's public key.
    NotAPublicKey {
        /// The first byte of the encoding.
        prefix: u8,
    },
}

/// The name of a Sigma type code, for messages (codes of sigma-rust's
/// `ergotree-ir/src/serialization/types.rs`).
pub(crate) fn type_name(code: u8) -> String {
    const PRIMITIVES: [&str; 9] = [
        "Boolean",
        "Byte",
        "Short",
        "Int",
        "Long",
        "BigInt",
        "GroupElement",
        "SigmaProp",
        "UnsignedBigInt",
    ];
    let primitive = |offset: u8| {
        code.checked_sub(offset)
            .and_then(|p| p.checked_sub(1))
            .and_then(|p| PRIMITIVES.get(usize::from(p)))
    };
    let name = match code {
        1..=9 => primitive(0).map(|p| p.to_string()),
        13..=21 => primitive(12).map(|p| format!("Coll[{p}]")),
        25..=33 => primitive(24).map(|p| format!("Coll[Coll[{p}]]")),
        37..=45 => primitive(36).map(|p| format!("Option[{p}]")),
        49..=57 => primitive(48).map(|p| format!("Option[Coll[{p}]]")),
        60..=95 => Some("a tuple".to_string()),
        96 => Some("a tuple".to_string()),
        97 => Some("Any".to_string()),
        98 => Some("Unit".to_string()),
        99 => Some("Box".to_string()),
        100 => Some("AvlTree".to_string()),
        101 => Some("Context".to_string()),
        104 => Some("Header".to_string()),
        105 => Some("PreHeader".to_string()),
        106 => Some("Global".to_string()),
        _ => None,
    };
    match name {
        Some(name) => format!("{name} (type 0x{code:02x})"),
        None => format!("type 0x{code:02x}"),
    }
}

impl fmt::Display for RegisterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegisterError::Truncated { what } => write!(f, "the bytes end inside the {what}"),
            RegisterError::WrongType { expected, actual } => write!(
                f,
                "it holds {} where {} was expected",
                type_name(*actual),
                type_name(*expected)
            ),
            RegisterError::VlqTooLong { what } => {
                write!(f, "the {what} is a VLQ number of more than 10 bytes")
            }
            RegisterError::OutOfRange { what, value } => {
                write!(f, "the {what} {value} does not fit in 32 bits")
            }
            RegisterError::OutOfBounds { what, value, max } => {
                write!(f, "the {what} {value} is over {max}")
            }
            RegisterError::NotASigmaProposition { op_code } => write!(
                f,
                "0x{op_code:02x} begins no sigma proposition (a SigmaProp is one of 0xcd, 0xce, \
                 0xd2, 0xd3, 0x96, 0x97, 0x98)"
            ),
            RegisterError::TrailingBytes { count } => {
                write!(f, "{count} bytes follow the end of the value")
            }
            RegisterError::NotAPublicKey { prefix } => write!(
                f,
                "the public key starts with 0x{prefix:02x}, not 0x02 or 0x03 (a compressed point)"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_follow_sigma_type_codes() {
        assert_eq!(type_name(0x64), "AvlTree (type 0x64)");
        assert_eq!(type_name(0x07), "GroupElement (type 0x07)");
        assert_eq!(type_name(0x0e), "Coll[Byte] (type 0x0e)");
        assert_eq!(type_name(0x05), "Long (type 0x05)");
        assert_eq!(type_name(0x1a), "Coll[Coll[Byte]] (type 0x1a)");
        assert_eq!(type_name(0x00), "type 0x00");
        assert_eq!(type_name(0xff), "type 0xff");
        for code in 0..=255u8 {
            assert!(type_name(code).contains(&format!("0x{code:02x}")));
        }
    }
}
