//! What every operation log starts with: its format, the tree shape it is for and the state it
//! starts from; and the limits every decoder enforces. The byte layouts are in `docs/FORMAT.md`.

use crate::digest::Digest;
use crate::shape::{TreeShape, MAX_KEY_LENGTH, MAX_VALUE_LENGTH};

/// The two encodings of an operation log. Decoders tell them apart by the first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LogFormat {
    /// Length-prefixed binary records, each with a CRC-32C: compact and self-checking.
    #[default]
    Binary,
    /// One JSON object per line, hex bytes and decimal-string numbers: easy to emit anywhere.
    Ndjson,
}

impl LogFormat {
    /// `"binary"` or `"ndjson"`, as in the JS API's `format` option.
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Binary => "binary",
            LogFormat::Ndjson => "ndjson",
        }
    }

    /// The format named `name` (`"binary"` or `"ndjson"`), if any.
    pub fn from_name(name: &str) -> Option<LogFormat> {
        match name {
            "binary" => Some(LogFormat::Binary),
            "ndjson" => Some(LogFormat::Ndjson),
            _ => None,
        }
    }
}

/// The state a log starts from: the records follow record `sequence`, whose tree had digest
/// `root`. A log without one starts from the empty tree, before record 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LogStart {
    /// The sequence number of the last record before the log (0: none).
    pub sequence: u64,
    /// The tree's digest at that point: the first record's `tree_root_before`.
    pub root: Digest,
}

/// The header of a log: its format, the shape of its tree and, optionally, where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LogHeader {
    /// How the log is encoded.
    pub format: LogFormat,
    /// The shape of the tree the records change.
    pub shape: TreeShape,
    /// The state the first record applies to; `None` for a log from the empty tree.
    pub start: Option<LogStart>,
}

impl LogHeader {
    /// The sequence number the first record must have.
    pub fn first_sequence(&self) -> u64 {
        self.start.map_or(0, |s| s.sequence).saturating_add(1)
    }
}

/// The longest binary record body a decoder accepts (64 MiB): two values of
/// [`MAX_VALUE_LENGTH`] and a proof fit. A longer declared length is refused before anything is
/// allocated.
pub const MAX_RECORD_LENGTH: usize = 64 * 1024 * 1024;

/// The longest NDJSON line a decoder accepts: a record of [`MAX_RECORD_LENGTH`] bytes in hex, with
/// room for field names and whitespace.
pub const MAX_LINE_LENGTH: usize = 2 * MAX_RECORD_LENGTH + 64 * 1024;

/// The longest proof a record may carry: whatever fits in a record beside its other fields.
pub const MAX_PROOF_LENGTH: usize = MAX_RECORD_LENGTH;

/// Limits of single fields, shared by both formats.
pub(crate) const LIMIT_KEY: usize = MAX_KEY_LENGTH;
pub(crate) const LIMIT_VALUE: usize = MAX_VALUE_LENGTH;
