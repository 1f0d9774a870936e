//! [`AvlTreeData`]: an `AvlTree` as Ergo stores it in a register (the tracker's R5).

use super::sigma_reader::{put_vlq, SigmaReader};
use crate::error::Result;
use crate::shape::TreeShape;
use crate::Digest;

/// The Sigma type code of `AvlTree` (sigma-rust `TypeCode::SAVL_TREE`, sigmastate `SAvlTree`).
pub const AVL_TREE_TYPE_CODE: u8 = 0x64;

const INSERT_ALLOWED: u8 = 0x01;
const UPDATE_ALLOWED: u8 = 0x02;
const REMOVE_ALLOWED: u8 = 0x04;

/// An authenticated tree as the chain holds it: its digest, the operations a contract may apply
/// to it, and its shape. The fields of sigmastate's and sigma-rust's `AvlTreeData`.
///
/// ```
/// use basis_trees::{from_hex, AvlTreeData, TreeShape, EMPTY_BASIS_TRACKER_DIGEST};
///
/// # fn main() -> Result<(), basis_trees::Error> {
/// // An empty Basis tree as a reserve's R5 holds it (basis-tracker, `ergo_tx.rs`).
/// let register = from_hex(
///     "644ec61f485b98eb87153f7c57db4f5ecd75556fddbc403b41acf8441fde8e160900032000",
/// )?;
/// let tree = AvlTreeData::from_register(&register)?;
/// assert_eq!(tree.digest.to_vec(), from_hex(EMPTY_BASIS_TRACKER_DIGEST)?);
/// assert_eq!(tree.shape()?, TreeShape::BASIS_TRACKER);
/// assert!(tree.insert_allowed && tree.update_allowed && !tree.remove_allowed);
/// assert_eq!(tree.to_register(), register);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AvlTreeData {
    /// The root's label and the tree's height: the 33 bytes a log's roots are compared with.
    pub digest: Digest,
    /// The length of every key.
    pub key_length: u32,
    /// The length of every value, when fixed; `None` for values of any length.
    pub value_length: Option<u32>,
    /// Whether a contract may insert into the tree (flag bit 0x01).
    pub insert_allowed: bool,
    /// Whether a contract may update the tree's values (flag bit 0x02).
    pub update_allowed: bool,
    /// Whether a contract may remove keys (flag bit 0x04).
    pub remove_allowed: bool,
}

impl AvlTreeData {
    /// Reads a serialized `AvlTree` constant: the type byte `0x64`, then the 33-byte digest, a
    /// flags byte, the key length as a VLQ number and the optional value length (a tag byte, and
    /// a VLQ number when the tag is not 0). The layout of sigmastate's `AvlTreeData.serializer`
    /// and sigma-rust's `AvlTreeData::sigma_parse`; like them, it ignores flag bits above 0x04
    /// and reads any non-zero tag as present.
    ///
    /// Anything else — another type, bytes cut short, a VLQ number of more than 10 bytes or over
    /// 32 bits, bytes after the value — is refused with `REGISTER_INVALID` and the offset of the
    /// offending byte. Never panics.
    pub fn from_register(bytes: &[u8]) -> Result<AvlTreeData> {
        let mut reader = SigmaReader::new(bytes);
        reader.type_code(AVL_TREE_TYPE_CODE)?;
        let digest = reader.array::<33>("digest")?;
        let flags = reader.u8("flags")?;
        let key_length = reader.vlq_u32("key length")?;
        let value_length = match reader.u8("value length")? {
            0 => None,
            _ => Some(reader.vlq_u32("value length")?),
        };
        reader.finish()?;
        Ok(AvlTreeData {
            digest,
            key_length,
            value_length,
            insert_allowed: flags & INSERT_ALLOWED != 0,
            update_allowed: flags & UPDATE_ALLOWED != 0,
            remove_allowed: flags & REMOVE_ALLOWED != 0,
        })
    }

    /// The serialized constant, as sigmastate and sigma-rust write it.
    pub fn to_register(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 + 33 + 1 + 5 + 1 + 5);
        out.push(AVL_TREE_TYPE_CODE);
        out.extend_from_slice(&self.digest);
        out.push(self.flags());
        put_vlq(&mut out, u64::from(self.key_length));
        match self.value_length {
            None => out.push(0),
            Some(length) => {
                out.push(1);
                put_vlq(&mut out, u64::from(length));
            }
        }
        out
    }

    /// The flags byte: 0x01 insert, 0x02 update, 0x04 remove.
    pub fn flags(&self) -> u8 {
        let mut flags = 0;
        if self.insert_allowed {
            flags |= INSERT_ALLOWED;
        }
        if self.update_allowed {
            flags |= UPDATE_ALLOWED;
        }
        if self.remove_allowed {
            flags |= REMOVE_ALLOWED;
        }
        flags
    }

    /// The tree's shape, the one a log of this tree must declare. A key length of 0 or over
    /// [`MAX_KEY_LENGTH`](crate::MAX_KEY_LENGTH) is `KEY_LENGTH`, a value length over
    /// [`MAX_VALUE_LENGTH`](crate::MAX_VALUE_LENGTH) `VALUE_LENGTH`: no tree here has them.
    pub fn shape(&self) -> Result<TreeShape> {
        let to_usize = |n: u32| usize::try_from(n).unwrap_or(usize::MAX);
        TreeShape::new(to_usize(self.key_length), self.value_length.map(to_usize))
    }
}
