//! A `GroupElement` register: the tracker's public key (R4 of its commitment box).

use super::register_error::RegisterError;
use super::sigma_reader::{invalid, SigmaReader};
use crate::error::Result;

/// The Sigma type code of `GroupElement` (sigma-rust `TypeCode::SGROUP_ELEMENT`).
pub const GROUP_ELEMENT_TYPE_CODE: u8 = 0x07;

/// Reads a serialized `GroupElement` constant holding a public key: the type byte `0x07` and a
/// 33-byte compressed secp256k1 point (first byte 0x02 or 0x03), as sigmastate's
/// `GroupElementSerializer` writes it. Returns the 33 bytes of the point.
///
/// The point at infinity (sigmastate writes it as 33 zero bytes) is refused: it is nobody's key.
/// Whether the x coordinate is on the curve is not checked; nothing here verifies signatures.
/// Anything else is `REGISTER_INVALID` with the offset of the offending byte. Never panics.
///
/// ```
/// use basis_trees::{from_hex, group_element_from_register};
///
/// # fn main() -> Result<(), basis_trees::Error> {
/// // 2·G, sigmastate `sdk/js/.../ValueSpec.scala`, "GroupElement toHex()/fromHex()".
/// let register =
///     from_hex("0702c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5")?;
/// assert_eq!(group_element_from_register(&register)?.to_vec(), register[1..].to_vec());
/// # Ok(())
/// # }
/// ```
pub fn group_element_from_register(bytes: &[u8]) -> Result<[u8; 33]> {
    let mut reader = SigmaReader::new(bytes);
    reader.type_code(GROUP_ELEMENT_TYPE_CODE)?;
    let point = reader.array::<33>("public key")?;
    if !matches!(point[0], 0x02 | 0x03) {
        return Err(invalid(
            RegisterError::NotAPublicKey { prefix: point[0] },
            1,
        ));
    }
    reader.finish()?;
    Ok(point)
}
