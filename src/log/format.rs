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

/// The longest NDJSON header line a decoder accepts (a header is a few hundred bytes).
pub(crate) const MAX_HEADER_LINE_LENGTH: usize = 64 * 1024;

/// The longest value a record of a variable-length tree may carry unless a reader is given
/// another cap ([`RecordLimits::new`]): 64 KiB, far beyond a Basis tracker's values (8 bytes) or
/// anything an Ergo register holds.
pub const DEFAULT_MAX_VALUE_LENGTH: usize = 64 * 1024;

/// How much of one record a log reader accepts, derived from the tree's shape. Every field of a
/// record is bounded by the shape — the key by the key length, the value and the previous value by
/// the fixed value length or, for values of any length, a cap — and so is the proof of one
/// operation (a path of at most 256 nodes), hence the longest record. A reader checks a record's
/// length against these limits before it buffers the record, so its memory is at most about twice
/// the longest record it accepts, whatever the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordLimits {
    /// The longest value and previous value.
    pub max_value_length: usize,
    /// The longest binary record body; an NDJSON line may be twice as long, plus 64 KiB.
    pub max_record_length: usize,
}

impl RecordLimits {
    /// The limits of a log of `shape`. Values are of the fixed length, or for values of any length
    /// at most `max_value_length` ([`DEFAULT_MAX_VALUE_LENGTH`] when `None`, at most
    /// [`MAX_VALUE_LENGTH`]). Records are at most `max_record_length` bytes when given (at most
    /// [`MAX_RECORD_LENGTH`]), otherwise the longest record such values and their proof make:
    /// [`record_length_limit`].
    pub fn new(
        shape: TreeShape,
        max_value_length: Option<usize>,
        max_record_length: Option<usize>,
    ) -> RecordLimits {
        let max_value_length = shape.value_length.unwrap_or_else(|| {
            max_value_length
                .unwrap_or(DEFAULT_MAX_VALUE_LENGTH)
                .min(MAX_VALUE_LENGTH)
        });
        let max_record_length = max_record_length
            .unwrap_or_else(|| record_length_limit(shape.key_length, max_value_length))
            .min(MAX_RECORD_LENGTH);
        RecordLimits {
            max_value_length,
            max_record_length,
        }
    }

    /// The longest NDJSON line: a record body in hex, with room for the members' names.
    pub fn max_line_length(&self) -> usize {
        2 * self.max_record_length + 64 * 1024
    }
}

/// The longest binary record body of a tree with keys of `key_length` bytes and values of at most
/// `value_length`: its fixed fields, the key, a value and a previous value, and the proof of one
/// operation — on each side of a path of at most 256 internal nodes (the digest's height byte
/// bounds it) a node or a subtree's label, at most four leaves with their key, next key and
/// value, and the direction bits. For 32-byte keys and 8-byte values, 17,927 bytes; with the
/// 64 KiB default cap on values, 411,095.
pub fn record_length_limit(key_length: usize, value_length: usize) -> usize {
    let leaf = key_length
        .saturating_mul(2)
        .saturating_add(value_length)
        .saturating_add(1 + 4);
    let proof = leaf
        .saturating_mul(4)
        .saturating_add(2 * 256 * (1 + 33) + 2 * 256 / 8 + 1);
    let fields: usize = 8 + 1 + 1 + 8 + 2 + 4 + 4 + 2 * 33 + 4;
    fields
        .saturating_add(key_length)
        .saturating_add(value_length.saturating_mul(2))
        .saturating_add(proof)
}

/// Limits of single fields, shared by both formats.
pub(crate) const LIMIT_KEY: usize = MAX_KEY_LENGTH;
pub(crate) const LIMIT_VALUE: usize = MAX_VALUE_LENGTH;
