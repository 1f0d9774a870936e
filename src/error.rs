//! The one error type of the crate: a stable code, what went wrong, and where.

use crate::chain::RegisterError;
use crate::digest::Digest;
use crate::hex::to_hex;
use crate::log::record::TreeOperation;
use crate::proof::error::ProofError;
use crate::shape::TreeShape;
use std::fmt;

/// The stable, machine-readable code of an [`Error`]; the same strings reach JavaScript as
/// `error.code`. New codes may come in later versions: a `match` needs a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ErrorCode {
    /// A key is not of the tree's key length, or a shape's key length is out of range.
    KeyLength,
    /// A value is not of the tree's fixed value length, or is longer than any tree accepts.
    ValueLength,
    /// A key is all-0x00 or all-0xFF: those two keys are the tree's sentinels.
    KeyReserved,
    /// An insert found its key already in the tree.
    KeyExists,
    /// An update or remove did not find its key.
    KeyNotFound,
    /// A proof does not verify, whatever the reason.
    ProofInvalid,
    /// A snapshot's bytes are malformed or do not hash to the digest they claim.
    SnapshotInvalid,
    /// Data made for one tree shape was given to a tree of another.
    ShapeMismatch,
    /// Log bytes are malformed, fail their checksum, or end early.
    LogCorrupt,
    /// A record's sequence number is not exactly one more than the previous one.
    LogSequence,
    /// A record's `tree_root_before` is not the digest the tree has before it.
    RootBeforeMismatch,
    /// A record's `tree_root_after` is not the digest the tree has after it.
    RootAfterMismatch,
    /// A record's `previous_value` is not the value the tree held.
    PreviousValueMismatch,
    /// A logged operation cannot be applied (for example an insert of a key that exists).
    OperationFailed,
    /// The final root is not the one the caller expected (for example the on-chain digest).
    ExpectedRootMismatch,
    /// The caller cancelled the work.
    Aborted,
    /// A register's bytes are not the Sigma constant expected (an `AvlTree`, a `GroupElement`).
    RegisterInvalid,
    /// A box's JSON is malformed or lacks what a tracker's commitment box holds.
    BoxInvalid,
    /// An on-chain commitment is not the tree's root after any record of the log, in the order
    /// the commitments were given.
    CommitmentMissing,
    /// An argument is malformed: the caller's mistake (a wrong type, bad hex, a digest of the
    /// wrong length, an unknown option), never something the data says.
    InvalidArgument,
    /// The memory the work needs cannot be had (a WebAssembly instance has at most 4 GiB): the
    /// work was refused before it started, and everything is as it was.
    OutOfMemory,
    /// A Basis note's JSON is malformed or lacks a field of a note (its keys, total debt,
    /// timestamp or signature), or is of the older format without a timestamp.
    NoteInvalid,
    /// A Basis tracker's answer (its JSON, or the error it answered with) is not the answer
    /// expected.
    TrackerAnswerInvalid,
    /// A tracker's lookup proof is for a key other than blake2b256(issuer ‖ recipient) of the
    /// note.
    NoteKeyMismatch,
    /// A tracker's tree value is not a total debt of 8 bytes, or not the debt the answer states.
    DebtValueInvalid,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 25] = [
        ErrorCode::KeyLength,
        ErrorCode::ValueLength,
        ErrorCode::KeyReserved,
        ErrorCode::KeyExists,
        ErrorCode::KeyNotFound,
        ErrorCode::ProofInvalid,
        ErrorCode::SnapshotInvalid,
        ErrorCode::ShapeMismatch,
        ErrorCode::LogCorrupt,
        ErrorCode::LogSequence,
        ErrorCode::RootBeforeMismatch,
        ErrorCode::RootAfterMismatch,
        ErrorCode::PreviousValueMismatch,
        ErrorCode::OperationFailed,
        ErrorCode::ExpectedRootMismatch,
        ErrorCode::Aborted,
        ErrorCode::RegisterInvalid,
        ErrorCode::BoxInvalid,
        ErrorCode::CommitmentMissing,
        ErrorCode::InvalidArgument,
        ErrorCode::OutOfMemory,
        ErrorCode::NoteInvalid,
        ErrorCode::TrackerAnswerInvalid,
        ErrorCode::NoteKeyMismatch,
        ErrorCode::DebtValueInvalid,
    ];

    /// The code as the stable string of the public API, e.g. `"ROOT_AFTER_MISMATCH"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::KeyLength => "KEY_LENGTH",
            ErrorCode::ValueLength => "VALUE_LENGTH",
            ErrorCode::KeyReserved => "KEY_RESERVED",
            ErrorCode::KeyExists => "KEY_EXISTS",
            ErrorCode::KeyNotFound => "KEY_NOT_FOUND",
            ErrorCode::ProofInvalid => "PROOF_INVALID",
            ErrorCode::SnapshotInvalid => "SNAPSHOT_INVALID",
            ErrorCode::ShapeMismatch => "SHAPE_MISMATCH",
            ErrorCode::LogCorrupt => "LOG_CORRUPT",
            ErrorCode::LogSequence => "LOG_SEQUENCE",
            ErrorCode::RootBeforeMismatch => "ROOT_BEFORE_MISMATCH",
            ErrorCode::RootAfterMismatch => "ROOT_AFTER_MISMATCH",
            ErrorCode::PreviousValueMismatch => "PREVIOUS_VALUE_MISMATCH",
            ErrorCode::OperationFailed => "OPERATION_FAILED",
            ErrorCode::ExpectedRootMismatch => "EXPECTED_ROOT_MISMATCH",
            ErrorCode::Aborted => "ABORTED",
            ErrorCode::RegisterInvalid => "REGISTER_INVALID",
            ErrorCode::BoxInvalid => "BOX_INVALID",
            ErrorCode::CommitmentMissing => "COMMITMENT_MISSING",
            ErrorCode::InvalidArgument => "INVALID_ARGUMENT",
            ErrorCode::OutOfMemory => "OUT_OF_MEMORY",
            ErrorCode::NoteInvalid => "NOTE_INVALID",
            ErrorCode::TrackerAnswerInvalid => "TRACKER_ANSWER_INVALID",
            ErrorCode::NoteKeyMismatch => "NOTE_KEY_MISMATCH",
            ErrorCode::DebtValueInvalid => "DEBT_VALUE_INVALID",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What went wrong, with the values that disagree. New kinds may come in later versions: a
/// `match` needs a wildcard arm.
#[allow(missing_docs)] // the variants and fields are named for what they hold
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A key is `actual` bytes where the tree's keys are exactly `expected`.
    KeyLength {
        expected: usize,
        actual: usize,
    },
    /// A tree shape's key length is not from `min` to `max` bytes.
    KeyLengthOutOfRange {
        min: usize,
        max: usize,
        actual: usize,
    },
    /// A value is `actual` bytes where the tree's values are exactly `expected`.
    ValueLength {
        expected: usize,
        actual: usize,
    },
    /// A value, or a tree shape's fixed value length, is `actual` bytes, more than the `max` a
    /// tree accepts.
    ValueTooLong {
        max: usize,
        actual: usize,
    },
    /// A log record's value is `actual` bytes, more than the `max` a log reader takes (its cap on
    /// the values of a variable-length log, which its options may raise).
    ValueOverCap {
        max: usize,
        actual: usize,
    },
    KeyReserved {
        key: Vec<u8>,
    },
    KeyExists {
        key: Vec<u8>,
    },
    KeyNotFound {
        key: Vec<u8>,
    },
    /// Why the proof does not verify.
    ProofInvalid {
        reason: ProofError,
    },
    SnapshotInvalid {
        reason: String,
    },
    ShapeMismatch {
        expected: TreeShape,
        actual: TreeShape,
    },
    LogCorrupt {
        reason: String,
    },
    LogSequence {
        expected: u64,
        actual: u64,
    },
    /// A log's header says it starts after record `actual`, where the verifier (or storage)
    /// stands after record `expected`.
    LogStart {
        expected: u64,
        actual: u64,
    },
    /// The `counter` ("sequence number", "checkpoint id") is at `u64::MAX`: none can follow.
    CounterExhausted {
        counter: &'static str,
    },
    /// `expected` is the digest the tree has, `logged` the one the record claims.
    RootBeforeMismatch {
        expected: Digest,
        logged: Digest,
    },
    /// `computed` is the digest after applying the record, `logged` the one the record claims.
    RootAfterMismatch {
        computed: Digest,
        logged: Digest,
    },
    PreviousValueMismatch {
        actual: Option<Vec<u8>>,
        logged: Option<Vec<u8>>,
    },
    OperationFailed {
        reason: String,
    },
    ExpectedRootMismatch {
        expected: Digest,
        actual: Digest,
    },
    Aborted,
    /// `register` names the box register the bytes came from (`"R4"`, `"R5"`), if any.
    RegisterInvalid {
        register: Option<&'static str>,
        reason: RegisterError,
    },
    BoxInvalid {
        reason: String,
    },
    /// `index` is the commitment's place in the list (from 0); `previous` the sequence of the
    /// record where the one before it was reached; `seen_at` the first record after which the
    /// tree had this digest, if it ever did (then before `previous`: the list is out of order).
    /// The error's sequence is the last record checked.
    CommitmentMissing {
        index: usize,
        digest: Digest,
        previous: Option<u64>,
        seen_at: Option<u64>,
    },
    /// `argument` names the argument (`"expectRoot"`, `"records[3].key"`); `problem` says what is
    /// wrong with it, as a predicate: "must be a 33-byte digest, not 5 bytes".
    InvalidArgument {
        argument: String,
        problem: String,
    },
    /// `requested` more bytes could not be allocated.
    OutOfMemory {
        requested: usize,
    },
    NoteInvalid {
        reason: String,
    },
    TrackerAnswerInvalid {
        reason: String,
    },
    /// `expected` is blake2b256(issuer ‖ recipient) of the note, `actual` the key proved.
    NoteKeyMismatch {
        expected: [u8; 32],
        actual: Vec<u8>,
    },
    /// `value` is the tree's value; `reason` says what is wrong with it.
    DebtValueInvalid {
        value: Vec<u8>,
        reason: String,
    },
}

impl ErrorKind {
    /// The stable code of this kind.
    pub fn code(&self) -> ErrorCode {
        match self {
            ErrorKind::KeyLength { .. } | ErrorKind::KeyLengthOutOfRange { .. } => {
                ErrorCode::KeyLength
            }
            ErrorKind::ValueLength { .. }
            | ErrorKind::ValueTooLong { .. }
            | ErrorKind::ValueOverCap { .. } => ErrorCode::ValueLength,
            ErrorKind::KeyReserved { .. } => ErrorCode::KeyReserved,
            ErrorKind::KeyExists { .. } => ErrorCode::KeyExists,
            ErrorKind::KeyNotFound { .. } => ErrorCode::KeyNotFound,
            ErrorKind::ProofInvalid { .. } => ErrorCode::ProofInvalid,
            ErrorKind::SnapshotInvalid { .. } => ErrorCode::SnapshotInvalid,
            ErrorKind::ShapeMismatch { .. } => ErrorCode::ShapeMismatch,
            ErrorKind::LogCorrupt { .. } => ErrorCode::LogCorrupt,
            ErrorKind::LogSequence { .. }
            | ErrorKind::LogStart { .. }
            | ErrorKind::CounterExhausted { .. } => ErrorCode::LogSequence,
            ErrorKind::RootBeforeMismatch { .. } => ErrorCode::RootBeforeMismatch,
            ErrorKind::RootAfterMismatch { .. } => ErrorCode::RootAfterMismatch,
            ErrorKind::PreviousValueMismatch { .. } => ErrorCode::PreviousValueMismatch,
            ErrorKind::OperationFailed { .. } => ErrorCode::OperationFailed,
            ErrorKind::ExpectedRootMismatch { .. } => ErrorCode::ExpectedRootMismatch,
            ErrorKind::Aborted => ErrorCode::Aborted,
            ErrorKind::RegisterInvalid { .. } => ErrorCode::RegisterInvalid,
            ErrorKind::BoxInvalid { .. } => ErrorCode::BoxInvalid,
            ErrorKind::CommitmentMissing { .. } => ErrorCode::CommitmentMissing,
            ErrorKind::InvalidArgument { .. } => ErrorCode::InvalidArgument,
            ErrorKind::OutOfMemory { .. } => ErrorCode::OutOfMemory,
            ErrorKind::NoteInvalid { .. } => ErrorCode::NoteInvalid,
            ErrorKind::TrackerAnswerInvalid { .. } => ErrorCode::TrackerAnswerInvalid,
            ErrorKind::NoteKeyMismatch { .. } => ErrorCode::NoteKeyMismatch,
            ErrorKind::DebtValueInvalid { .. } => ErrorCode::DebtValueInvalid,
        }
    }
}

fn optional_hex(value: &Option<Vec<u8>>) -> String {
    match value {
        Some(bytes) => to_hex(bytes),
        None => "none".to_string(),
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::KeyLength { expected, actual } => {
                write!(f, "key is {actual} bytes, the tree's keys are {expected}")
            }
            ErrorKind::KeyLengthOutOfRange { min, max, actual } => write!(
                f,
                "key length {actual} is out of range: a tree's keys are {min} to {max} bytes"
            ),
            ErrorKind::ValueLength { expected, actual } => {
                write!(
                    f,
                    "value is {actual} bytes, the tree's values are {expected}"
                )
            }
            ErrorKind::ValueTooLong { max, actual } => write!(
                f,
                "value of {actual} bytes is longer than the {max} bytes a tree accepts"
            ),
            ErrorKind::ValueOverCap { max, actual } => write!(
                f,
                "value of {actual} bytes is longer than the {max}-byte cap on a log's values \
                 (raise it with maxValueLength)"
            ),
            ErrorKind::KeyReserved { key } => write!(
                f,
                "key {} is reserved: all-0x00 and all-0xFF keys are the tree's sentinels",
                to_hex(key)
            ),
            ErrorKind::KeyExists { key } => write!(f, "key {} is already in the tree", to_hex(key)),
            ErrorKind::KeyNotFound { key } => write!(f, "key {} is not in the tree", to_hex(key)),
            ErrorKind::ProofInvalid { reason } => write!(f, "proof does not verify: {reason}"),
            ErrorKind::SnapshotInvalid { reason } => write!(f, "snapshot is invalid: {reason}"),
            ErrorKind::ShapeMismatch { expected, actual } => {
                write!(f, "data is for a tree of {actual}, expected {expected}")
            }
            ErrorKind::LogCorrupt { reason } => write!(f, "log is corrupt: {reason}"),
            ErrorKind::LogSequence { expected, actual } => {
                write!(f, "sequence number {actual} where {expected} was expected")
            }
            ErrorKind::LogStart { expected, actual } => write!(
                f,
                "the log starts after record {actual}, where it was to start after record \
                 {expected}"
            ),
            ErrorKind::CounterExhausted { counter } => write!(
                f,
                "the last {counter} is 2^64-1, the largest there is: none can follow"
            ),
            ErrorKind::RootBeforeMismatch { expected, logged } => write!(
                f,
                "root before is {}, log says {}",
                to_hex(expected),
                to_hex(logged)
            ),
            ErrorKind::RootAfterMismatch { computed, logged } => write!(
                f,
                "root after is {}, log says {}",
                to_hex(computed),
                to_hex(logged)
            ),
            ErrorKind::PreviousValueMismatch { actual, logged } => write!(
                f,
                "previous value is {}, log says {}",
                optional_hex(actual),
                optional_hex(logged)
            ),
            ErrorKind::OperationFailed { reason } => {
                write!(f, "operation cannot be applied: {reason}")
            }
            ErrorKind::ExpectedRootMismatch { expected, actual } => write!(
                f,
                "final root is {}, expected {}",
                to_hex(actual),
                to_hex(expected)
            ),
            ErrorKind::Aborted => f.write_str("aborted by the caller"),
            ErrorKind::RegisterInvalid {
                register: Some(register),
                reason,
            } => write!(f, "register {register} is invalid: {reason}"),
            ErrorKind::RegisterInvalid {
                register: None,
                reason,
            } => write!(f, "register is invalid: {reason}"),
            ErrorKind::BoxInvalid { reason } => write!(f, "box is invalid: {reason}"),
            ErrorKind::CommitmentMissing {
                index,
                digest,
                previous,
                seen_at,
            } => {
                write!(f, "on-chain commitments[{index}] {}", to_hex(digest))?;
                match (seen_at, previous) {
                    (Some(seen), Some(previous)) => write!(
                        f,
                        " is the tree's root after record {seen}, before commitments[{}] at record \
                         {}: the commitments are out of order",
                        index.saturating_sub(1),
                        previous
                    ),
                    (_, Some(previous)) => write!(
                        f,
                        " is not the tree's root after any record from {} (where commitments[{}] \
                         is) up to here",
                        previous,
                        index.saturating_sub(1)
                    ),
                    (_, None) => f.write_str(" is not the tree's root after any record up to here"),
                }
            }
            ErrorKind::InvalidArgument { argument, problem } => write!(f, "{argument} {problem}"),
            ErrorKind::OutOfMemory { requested } => write!(
                f,
                "out of memory: {requested} more bytes cannot be allocated; nothing was changed"
            ),
            ErrorKind::NoteInvalid { reason } => write!(f, "note is invalid: {reason}"),
            ErrorKind::TrackerAnswerInvalid { reason } => {
                write!(f, "tracker's answer is invalid: {reason}")
            }
            ErrorKind::NoteKeyMismatch { expected, actual } => write!(
                f,
                "the proof is for key {}, not the note's key {} = blake2b256(issuer ‖ recipient)",
                to_hex(actual),
                to_hex(expected)
            ),
            ErrorKind::DebtValueInvalid { value, reason } => {
                write!(
                    f,
                    "tree value {} is not the note's debt: {reason}",
                    to_hex(value)
                )
            }
        }
    }
}

/// An error of this crate: an [`ErrorKind`] and, where it applies, the sequence number of the log
/// record, the byte offset in the input where it happened, and the record itself.
///
/// One pointer wide (its parts are boxed), so that a `Result` carries little more than its
/// success value and passing an error on moves a pointer, not the hundred-odd bytes of its parts.
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<Parts>);

#[derive(Clone, PartialEq, Eq)]
struct Parts {
    kind: ErrorKind,
    sequence: Option<u64>,
    offset: Option<u64>,
    /// Shared, so that an error kept and returned again (as a verifier keeps its first) is not
    /// a second copy of a record that may be tens of MiB.
    record: Option<std::sync::Arc<TreeOperation>>,
}

impl Error {
    /// An error with no location.
    pub fn new(kind: ErrorKind) -> Error {
        Error(Box::new(Parts {
            kind,
            sequence: None,
            offset: None,
            record: None,
        }))
    }

    /// An [`ErrorKind::InvalidArgument`]: `problem` is a predicate on `argument`.
    pub fn invalid_argument(argument: impl Into<String>, problem: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidArgument {
            argument: argument.into(),
            problem: problem.into(),
        })
    }

    /// The same error, located at log record `sequence`.
    pub fn at_sequence(mut self, sequence: u64) -> Error {
        self.0.sequence = Some(sequence);
        self
    }

    /// The same error, located at byte `offset` of the input.
    pub fn at_offset(mut self, offset: u64) -> Error {
        self.0.offset = Some(offset);
        self
    }

    /// The same error, carrying the log record it belongs to (located at its sequence number
    /// unless a location is already set). An error that carries its record already keeps it:
    /// a record is copied once, however many layers name it.
    pub fn with_record(mut self, record: &TreeOperation) -> Error {
        self.0.sequence.get_or_insert(record.sequence_number);
        if self.0.record.is_none() {
            self.0.record = Some(std::sync::Arc::new(record.clone()));
        }
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.0.kind.code()
    }

    /// The sequence number of the record the error belongs to, if any.
    pub fn sequence(&self) -> Option<u64> {
        self.0.sequence
    }

    /// The byte offset in the input where the error was found, if any.
    pub fn offset(&self) -> Option<u64> {
        self.0.offset
    }

    /// The log record the error belongs to, as it was given or decoded, if any.
    pub fn record(&self) -> Option<&TreeOperation> {
        self.0.record.as_deref()
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error::new(kind)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("sequence", &self.0.sequence)
            .field("offset", &self.0.offset)
            .field("record", &self.0.record)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Parts {
            kind,
            sequence,
            offset,
            ..
        } = &*self.0;
        // An argument's message starts with its name; where in it comes after.
        if let ErrorKind::InvalidArgument { .. } = kind {
            return match offset {
                Some(offset) => write!(f, "{kind} (at character {offset})"),
                None => write!(f, "{kind}"),
            };
        }
        match (sequence, offset) {
            (Some(sequence), Some(offset)) => {
                write!(f, "record {sequence} (byte {offset}): {kind}")
            }
            (Some(sequence), None) => write!(f, "record {sequence}: {kind}"),
            (None, Some(offset)) => write!(f, "byte {offset}: {kind}"),
            (None, None) => write!(f, "{kind}"),
        }
    }
}

impl std::error::Error for Error {}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_upper_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(s.chars().all(|c| c.is_ascii_uppercase() || c == '_'), "{s}");
            assert!(seen.insert(s), "duplicate code {s}");
        }
    }

    /// An exact length and a limit are not told in the same words.
    #[test]
    fn length_messages_say_whether_the_length_is_exact_or_a_limit() {
        let exact = ErrorKind::KeyLength {
            expected: 32,
            actual: 31,
        };
        let range = ErrorKind::KeyLengthOutOfRange {
            min: 1,
            max: 1024,
            actual: 0,
        };
        assert_eq!(exact.to_string(), "key is 31 bytes, the tree's keys are 32");
        assert_eq!(
            range.to_string(),
            "key length 0 is out of range: a tree's keys are 1 to 1024 bytes"
        );
        assert_eq!(
            (exact.code(), range.code()),
            (ErrorCode::KeyLength, ErrorCode::KeyLength)
        );
        let too_long = ErrorKind::ValueTooLong {
            max: 16,
            actual: 17,
        };
        assert_eq!(
            too_long.to_string(),
            "value of 17 bytes is longer than the 16 bytes a tree accepts"
        );
        assert_eq!(too_long.code(), ErrorCode::ValueLength);
        let over_cap = ErrorKind::ValueOverCap {
            max: 65536,
            actual: 100_000,
        };
        assert_eq!(
            over_cap.to_string(),
            "value of 100000 bytes is longer than the 65536-byte cap on a log's values (raise it \
             with maxValueLength)"
        );
        assert_eq!(over_cap.code(), ErrorCode::ValueLength);
    }

    #[test]
    fn message_names_record_and_both_roots() {
        let err = Error::new(ErrorKind::RootAfterMismatch {
            computed: [0x5f; 33],
            logged: [0x0e; 33],
        })
        .at_sequence(1042);
        let text = err.to_string();
        assert!(
            text.starts_with("record 1042: root after is 5f5f"),
            "{text}"
        );
        assert!(text.contains("log says 0e0e"), "{text}");
        assert_eq!(err.code().as_str(), "ROOT_AFTER_MISMATCH");
    }

    #[test]
    fn invalid_argument_names_the_argument_first() {
        let err = Error::invalid_argument("expectRoot", "must be a 33-byte digest, not 5 bytes");
        assert_eq!(err.code(), ErrorCode::InvalidArgument);
        assert_eq!(
            err.to_string(),
            "expectRoot must be a 33-byte digest, not 5 bytes"
        );
        let located = Error::invalid_argument("text", "is not valid hex").at_offset(3);
        assert_eq!(
            located.to_string(),
            "text is not valid hex (at character 3)"
        );
    }

    #[test]
    fn a_record_locates_the_error_at_its_sequence() {
        let record = TreeOperation {
            sequence_number: 7,
            operation_type: crate::OperationType::Insert,
            timestamp: 1,
            key: vec![1; 32],
            value: Some(vec![2]),
            previous_value: None,
            tree_root_before: [0; 33],
            tree_root_after: [1; 33],
            proof: None,
        };
        let err = Error::new(ErrorKind::Aborted).with_record(&record);
        assert_eq!(err.sequence(), Some(7));
        assert_eq!(err.record(), Some(&record));
        let located = Error::new(ErrorKind::Aborted)
            .at_sequence(3)
            .with_record(&record);
        assert_eq!(located.sequence(), Some(3));
    }
}
