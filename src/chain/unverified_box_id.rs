//! [`UnverifiedBoxId`]: why a box's id was not recomputed from its JSON.

use super::register_error::type_name;
use std::fmt;

/// Why [`TrackerCommitment::box_id`](crate::TrackerCommitment::box_id) is the id the JSON gives
/// rather than one recomputed from the box's contents (`box_id_verified` is then false).
///
/// An id is verified only when the box's bytes split into its fields one way: every field is
/// delimited by its own bytes, so that no other JSON can give the same bytes — hence the same id —
/// with other registers. These are the boxes whose fields this reader cannot delimit, or whose
/// contents the JSON does not give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UnverifiedBoxId {
    /// The JSON lacks a content the id is computed from (a transaction's output copied without
    /// its `transactionId` and `index`, for instance).
    MissingContent {
        /// The member missing: `"value"`, `"ergoTree"`, `"creationHeight"`, `"assets"`,
        /// `"transactionId"` or `"index"`.
        member: &'static str,
    },
    /// An ErgoTree without the size bit whose end only a full ErgoTree parser finds: its root
    /// is an expression (or has its constants segregated), not a single constant such as the
    /// P2PK form `00 08 cd` + a 33-byte key.
    TreeUndelimited {
        /// The tree's header byte.
        header: u8,
    },
    /// An ErgoTree header with bits this reader does not know (0x20, 0x40, 0x80), which may
    /// change the layout after it.
    TreeHeader {
        /// The tree's header byte.
        header: u8,
    },
    /// A register of a type whose values this reader does not delimit (`Box`, `Header`,
    /// `String`, a function, …), or an unknown type code.
    RegisterType {
        /// The register's number, 4 to 9.
        register: u8,
        /// The type code found.
        type_code: u8,
    },
    /// A register holding an expression rather than a constant.
    RegisterExpression {
        /// The register's number, 4 to 9.
        register: u8,
        /// The expression's op code (its first byte).
        op_code: u8,
    },
    /// A register whose types or sigma propositions nest deeper than this reader follows (64).
    RegisterTooDeep {
        /// The register's number, 4 to 9.
        register: u8,
    },
}

impl fmt::Display for UnverifiedBoxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnverifiedBoxId::MissingContent { member } => write!(
                f,
                "the JSON has no \"{member}\": the id cannot be recomputed from the box's contents"
            ),
            UnverifiedBoxId::TreeUndelimited { header } => write!(
                f,
                "the ergoTree (header 0x{header:02x}) has no size bit and is not a single \
                 constant: where it ends cannot be told without a full ErgoTree parser, so the \
                 box's bytes could be split into other fields"
            ),
            UnverifiedBoxId::TreeHeader { header } => write!(
                f,
                "the ergoTree's header 0x{header:02x} has flags this reader does not know"
            ),
            UnverifiedBoxId::RegisterType {
                register,
                type_code,
            } => write!(
                f,
                "register R{register} holds {}, whose values this reader does not delimit",
                type_name(*type_code)
            ),
            UnverifiedBoxId::RegisterExpression { register, op_code } => write!(
                f,
                "register R{register} holds an expression (op code 0x{op_code:02x}), not a \
                 constant this reader delimits"
            ),
            UnverifiedBoxId::RegisterTooDeep { register } => write!(
                f,
                "register R{register} nests deeper than this reader follows"
            ),
        }
    }
}
