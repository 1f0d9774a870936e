//! Reading one whole serialized Sigma constant — its type, then a value of that type — to find
//! where it ends: the type serializer and data serializer of sigmastate (`TypeSerializer`,
//! `CoreDataSerializer`) and sigma-rust (`serialization/types.rs`, `serialization/data.rs`).
//!
//! Only the bytes' extent is read, never the value: a register is bound to a box's id only when
//! the box's bytes split into fields one way, and that needs each constant's end, not its
//! meaning. Types whose values this reader does not delimit (`Box`, `Header`, `String`, functions
//! …) and expressions in place of a constant are [`Unsupported`], never guessed at.

use super::register_error::RegisterError;
use super::sigma_reader::{invalid, SigmaReader};
use crate::error::Error;

/// How deep types and sigma propositions may nest here: deeper is [`Unsupported::TooDeep`]
/// (a box is at most 4 KiB; no register nests this far in practice, and the reader must not
/// exhaust the stack on a crafted one).
const MAX_NESTING: usize = 64;

/// The last type code of a constant: a register's first byte above it is an expression's op code
/// (sigma-rust `OpCode::LAST_CONSTANT_CODE`, sigmastate `OpCodes.LastConstantCode`).
const LAST_CONSTANT_CODE: u8 = 112;

/// A collection's length, and a `SigmaProp`'s counts, are VLQ numbers of at most 65535
/// (`getUShort`).
const MAX_U16: u64 = u16::MAX as u64;

/// What stops this reader from finding a constant's end, though the bytes may be a valid one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Unsupported {
    /// A type code this reader does not delimit values of.
    Type { code: u8 },
    /// An expression's op code where a constant was expected.
    Expression { op_code: u8 },
    /// Types or propositions nested deeper than [`MAX_NESTING`].
    TooDeep,
}

/// Why a constant was not read.
#[derive(Debug, Clone)]
pub(crate) enum ConstantFailure {
    /// The bytes are no constant: `REGISTER_INVALID` at the offending byte.
    Invalid(Error),
    /// The bytes may be a constant this reader does not delimit.
    Unsupported(Unsupported),
}

impl From<Error> for ConstantFailure {
    fn from(err: Error) -> ConstantFailure {
        ConstantFailure::Invalid(err)
    }
}

type Read<T> = Result<T, ConstantFailure>;

/// A Sigma type, as far as its values' extent goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SigmaType {
    /// One byte (any non-zero byte is true).
    Boolean,
    /// One byte.
    Byte,
    /// `Short`, `Int`, `Long`: a ZigZag VLQ number.
    Number,
    /// `BigInt`, `UnsignedBigInt`: a length (at most 32) and that many bytes.
    BigInt,
    /// A compressed point: 33 bytes.
    GroupElement,
    SigmaProp,
    Unit,
    AvlTree,
    /// `Coll[Boolean]`: packed eight to a byte.
    CollBoolean,
    /// `Coll[Byte]`: the bytes themselves.
    CollByte,
    Coll(Box<SigmaType>),
    Option(Box<SigmaType>),
    Tuple(Vec<SigmaType>),
}

impl SigmaType {
    /// Whether its values take no bytes (`Unit`, and tuples of them): a collection of them is
    /// its length alone.
    fn is_empty(&self) -> bool {
        match self {
            SigmaType::Unit => true,
            SigmaType::Tuple(items) => items.iter().all(SigmaType::is_empty),
            _ => false,
        }
    }

    /// `Coll[element]`: booleans are packed and bytes are themselves, however the type was
    /// written (`0x0d`, or `0x0c 0x01`).
    fn coll_of(element: SigmaType) -> SigmaType {
        match element {
            SigmaType::Boolean => SigmaType::CollBoolean,
            SigmaType::Byte => SigmaType::CollByte,
            other => SigmaType::Coll(Box::new(other)),
        }
    }
}

/// Reads one constant at the reader's position: its type, then a value of that type.
pub(crate) fn read_constant(reader: &mut SigmaReader<'_>) -> Read<()> {
    if let Some(op_code) = reader.peek().filter(|&code| code > LAST_CONSTANT_CODE) {
        return Err(ConstantFailure::Unsupported(Unsupported::Expression {
            op_code,
        }));
    }
    let value_type = read_type(reader, 0)?;
    read_value(reader, &value_type, 0)
}

/// A primitive type by its code 1 to 9 (`Boolean` … `SigmaProp`, and v6's `UnsignedBigInt`);
/// `code` is the whole type byte, for the message.
fn embeddable(primitive: u8, code: u8) -> Read<SigmaType> {
    Ok(match primitive {
        1 => SigmaType::Boolean,
        2 => SigmaType::Byte,
        3..=5 => SigmaType::Number,
        6 | 9 => SigmaType::BigInt,
        7 => SigmaType::GroupElement,
        8 => SigmaType::SigmaProp,
        _ => return Err(ConstantFailure::Unsupported(Unsupported::Type { code })),
    })
}

/// sigmastate `TypeSerializer.deserialize`: codes below 96 are a constructor (code / 12) over a
/// primitive (code % 12, or 0 for a type that follows).
fn read_type(reader: &mut SigmaReader<'_>, depth: usize) -> Read<SigmaType> {
    if depth > MAX_NESTING {
        return Err(ConstantFailure::Unsupported(Unsupported::TooDeep));
    }
    let code = reader.u8("type")?;
    let next = |reader: &mut SigmaReader<'_>| read_type(reader, depth + 1);
    let primitive = code % 12;
    // The type a constructor applies to: the primitive, or the type that follows.
    let argument = |reader: &mut SigmaReader<'_>| match primitive {
        0 => next(reader),
        p => embeddable(p, code),
    };
    Ok(match code {
        0 => return Err(ConstantFailure::Unsupported(Unsupported::Type { code })),
        1..=11 => embeddable(code, code)?,
        12..=23 => SigmaType::coll_of(argument(reader)?),
        24..=35 => SigmaType::coll_of(SigmaType::coll_of(argument(reader)?)),
        36..=47 => SigmaType::Option(Box::new(argument(reader)?)),
        48..=59 => SigmaType::Option(Box::new(SigmaType::coll_of(argument(reader)?))),
        // (t1, t2): t1 the primitive, or both following.
        60..=71 => {
            let first = argument(reader)?;
            SigmaType::Tuple(vec![first, next(reader)?])
        }
        // (t1, t2, t3) when the primitive is 0; else (t1, primitive).
        72..=83 => match primitive {
            0 => SigmaType::Tuple(vec![next(reader)?, next(reader)?, next(reader)?]),
            p => {
                let second = embeddable(p, code)?;
                SigmaType::Tuple(vec![next(reader)?, second])
            }
        },
        // (t1, t2, t3, t4) when the primitive is 0; else (primitive, primitive).
        84..=95 => match primitive {
            0 => SigmaType::Tuple(vec![
                next(reader)?,
                next(reader)?,
                next(reader)?,
                next(reader)?,
            ]),
            p => SigmaType::Tuple(vec![embeddable(p, code)?, embeddable(p, code)?]),
        },
        96 => {
            let count = reader.u8("tuple length")?;
            let mut items = Vec::with_capacity(usize::from(count));
            for _ in 0..count {
                items.push(next(reader)?);
            }
            SigmaType::Tuple(items)
        }
        98 => SigmaType::Unit,
        100 => SigmaType::AvlTree,
        _ => return Err(ConstantFailure::Unsupported(Unsupported::Type { code })),
    })
}

/// sigmastate `CoreDataSerializer.deserialize`, sigma-rust `DataSerializer::sigma_parse`.
fn read_value(reader: &mut SigmaReader<'_>, value_type: &SigmaType, depth: usize) -> Read<()> {
    if depth > MAX_NESTING {
        return Err(ConstantFailure::Unsupported(Unsupported::TooDeep));
    }
    match value_type {
        SigmaType::Boolean | SigmaType::Byte => reader.skip(1, "value")?,
        SigmaType::Number => {
            reader.vlq_u64("number")?;
        }
        SigmaType::BigInt => {
            let length = reader.vlq_at_most("BigInt length", 32)?;
            reader.skip(length as usize, "BigInt")?;
        }
        SigmaType::GroupElement => reader.skip(33, "group element")?,
        SigmaType::SigmaProp => read_sigma_boolean(reader, depth)?,
        SigmaType::Unit => {}
        SigmaType::AvlTree => {
            reader.skip(33, "digest")?;
            reader.skip(1, "flags")?;
            reader.vlq_u32("key length")?;
            if reader.u8("value length")? != 0 {
                reader.vlq_u32("value length")?;
            }
        }
        SigmaType::CollBoolean => {
            let length = reader.vlq_at_most("collection length", MAX_U16)?;
            reader.skip(length.div_ceil(8) as usize, "collection")?;
        }
        SigmaType::CollByte => {
            let length = reader.vlq_at_most("collection length", MAX_U16)?;
            reader.skip(length as usize, "collection")?;
        }
        SigmaType::Coll(element) => {
            let length = reader.vlq_at_most("collection length", MAX_U16)?;
            if !element.is_empty() {
                // Each element takes at least a byte: the loop ends with the bytes.
                for _ in 0..length {
                    read_value(reader, element, depth + 1)?;
                }
            }
        }
        SigmaType::Option(element) => {
            if reader.u8("option tag")? != 0 {
                read_value(reader, element, depth + 1)?;
            }
        }
        SigmaType::Tuple(items) => {
            for item in items {
                read_value(reader, item, depth + 1)?;
            }
        }
    }
    Ok(())
}

/// sigmastate `SigmaBoolean.serializer`, sigma-rust `SigmaBoolean::sigma_parse`.
fn read_sigma_boolean(reader: &mut SigmaReader<'_>, depth: usize) -> Read<()> {
    if depth > MAX_NESTING {
        return Err(ConstantFailure::Unsupported(Unsupported::TooDeep));
    }
    let start = reader.position();
    match reader.u8("sigma proposition")? {
        0xcd => reader.skip(33, "ProveDlog")?,
        0xce => reader.skip(4 * 33, "ProveDHTuple")?,
        0xd2 | 0xd3 => {}
        0x96 | 0x97 => {
            let count = reader.vlq_at_most("proposition count", MAX_U16)?;
            for _ in 0..count {
                read_sigma_boolean(reader, depth + 1)?;
            }
        }
        0x98 => {
            reader.vlq_at_most("threshold", MAX_U16)?;
            let count = reader.vlq_at_most("proposition count", MAX_U16)?;
            for _ in 0..count {
                read_sigma_boolean(reader, depth + 1)?;
            }
        }
        op_code => {
            return Err(ConstantFailure::Invalid(invalid(
                RegisterError::NotASigmaProposition { op_code },
                start,
            )))
        }
    }
    Ok(())
}
