//! [`LogVerifier`]: checks a downloaded operation log record by record as its bytes arrive,
//! holding the tree and at most one partial record, never the log.

use crate::chain::{Anchor, AvlTreeData, Commitment, CommitmentMatch, CommitmentMatcher};
use crate::digest::Digest;
use crate::error::{Error, ErrorKind, Result};
use crate::log::codec::LogDecoder;
use crate::log::format::{LogHeader, RecordLimits};
use crate::log::record::TreeOperation;
use crate::log::replay::{
    check_header, check_link, next_sequence, replay_record, verify_record_proof,
};
use crate::shape::TreeShape;
use crate::tree::snapshot::Snapshot;
use crate::tree::Tree;
use std::fmt;
use std::ops::ControlFlow;

/// Bytes handed to the decoder at a time by [`LogVerifier::push`].
const PUSH_SLICE: usize = 64 * 1024;

/// How far verification has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Records verified so far.
    pub records: u64,
    /// Bytes of the log verified so far (the header and those records).
    pub bytes: u64,
}

/// Called with the progress every [`VerifierOptions::progress_every`] records and at the end;
/// returning `ControlFlow::Break(())` stops verification with `ABORTED`.
pub type ProgressCallback = Box<dyn FnMut(Progress) -> ControlFlow<()>>;

/// What a verified log proved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The number of records verified.
    pub operations: u64,
    /// The sequence number of the first record (one more than the start's when there were none).
    pub first_sequence: u64,
    /// The sequence number of the last record (the start's when there were none).
    pub last_sequence: u64,
    /// The digest before the first record: the empty tree's, or the starting snapshot's.
    pub start_root: Digest,
    /// The digest after the last record.
    pub final_root: Digest,
    /// Where each of [`VerifierOptions::commitments`] was reached, in their order.
    pub commitments: Vec<CommitmentMatch>,
    /// What the final root was checked against ([`VerifierOptions::anchor`]): `None` when no
    /// root was expected.
    pub anchor: Anchor,
}

/// The options of a [`LogVerifier`]. Start from [`VerifierOptions::new`] and add what you need.
/// The struct is `#[non_exhaustive]`: new options come as new fields with defaults and new
/// methods, so code written against these keeps compiling.
///
/// ```
/// use basis_trees::{TreeShape, VerifierOptions};
/// let options = VerifierOptions::new(TreeShape::BASIS_TRACKER)
///     .expect_root([0; 33])
///     .progress_every(10_000);
/// assert_eq!(options.shape, TreeShape::BASIS_TRACKER);
/// // Or take the shape from the log's header, asserting only its key length.
/// let options = VerifierOptions::from_header().assert_key_length(32);
/// ```
#[non_exhaustive]
pub struct VerifierOptions {
    /// The shape of the tree; the log's header must declare the same (`SHAPE_MISMATCH`). Unused
    /// when `header_shape` is set.
    pub shape: TreeShape,
    /// When set, the tree's shape is the one the log's header declares (or a starting snapshot
    /// has), and these parts of it are asserted (`SHAPE_MISMATCH` when it has others).
    pub header_shape: Option<ShapeAssertion>,
    /// The cap on values of a variable-length tree's records, default
    /// [`DEFAULT_MAX_VALUE_LENGTH`](crate::DEFAULT_MAX_VALUE_LENGTH) (see [`RecordLimits`]).
    pub max_value_length: Option<usize>,
    /// The limit of one record's length, default the longest a record of the shape can be (see
    /// [`RecordLimits`]).
    pub max_record_length: Option<usize>,
    /// The digest the log must end at, e.g. the one committed on chain (`EXPECTED_ROOT_MISMATCH`).
    pub expect_root: Option<Digest>,
    /// The on-chain tree `expect_root` was read from, if any: the log's shape must be its key and
    /// value lengths (`SHAPE_MISMATCH`). Set with [`expect_commitment`](Self::expect_commitment).
    pub expect_tree: Option<AvlTreeData>,
    /// What `expect_root` was read from — a digest, a tree or a box — reported as
    /// [`Report::anchor`]; [`Anchor::None`] when there is no `expect_root`.
    pub anchor: Anchor,
    /// Digests the tracker committed to on chain, oldest first: each must be the tree's root after
    /// some record (or at the start), in this order, else `COMMITMENT_MISSING`; the report says
    /// where each was reached. Those read from a register must be of the log's shape.
    pub commitments: Vec<Commitment>,
    /// The state to start from; the log's first record must follow its sequence number.
    pub start: Option<Snapshot>,
    /// Called with the progress as verification goes.
    pub on_progress: Option<ProgressCallback>,
    /// How many records between two calls of `on_progress` (at least 1; default 1024).
    pub progress_every: u64,
    /// Check each record by the proof it carries instead of replaying it on a tree: no tree is
    /// held, so memory stays constant whatever the log's length (see [`LogVerifier`]).
    pub stateless: bool,
    /// In stateless mode, the sequence number and digest to start from when there is no
    /// starting snapshot (e.g. a checkpoint's root committed on chain).
    pub start_root: Option<(u64, Digest)>,
}

/// The parts of a tree's shape a verifier requires of the shape a log declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShapeAssertion {
    /// The key length the log must declare, if any.
    pub key_length: Option<usize>,
    /// The value length the log must declare (`Some(None)`: values of any length), if any.
    pub value_length: Option<Option<usize>>,
}

impl ShapeAssertion {
    /// `declared` with the asserted parts in place of its own: the shape the log must have.
    pub fn applied_to(self, declared: TreeShape) -> TreeShape {
        TreeShape {
            key_length: self.key_length.unwrap_or(declared.key_length),
            value_length: self.value_length.unwrap_or(declared.value_length),
        }
    }
}

impl VerifierOptions {
    /// Options for a log of a tree of `shape`, starting from the empty tree.
    pub fn new(shape: TreeShape) -> VerifierOptions {
        VerifierOptions {
            shape,
            header_shape: None,
            max_value_length: None,
            max_record_length: None,
            expect_root: None,
            expect_tree: None,
            anchor: Anchor::None,
            commitments: Vec::new(),
            start: None,
            on_progress: None,
            progress_every: 1024,
            stateless: false,
            start_root: None,
        }
    }

    /// Options for a log of the shape its header declares (a starting snapshot's, when there is
    /// one), starting from the empty tree; [`assert_key_length`](VerifierOptions::assert_key_length)
    /// and [`assert_value_length`](VerifierOptions::assert_value_length) require parts of it.
    pub fn from_header() -> VerifierOptions {
        let mut options = VerifierOptions::new(TreeShape::BASIS_TRACKER);
        options.header_shape = Some(ShapeAssertion::default());
        options
    }

    /// Requires the log to declare keys of `key_length` bytes (`SHAPE_MISMATCH` otherwise).
    pub fn assert_key_length(mut self, key_length: usize) -> VerifierOptions {
        let assertion = self
            .header_shape
            .get_or_insert_with(ShapeAssertion::default);
        assertion.key_length = Some(key_length);
        self
    }

    /// Requires the log to declare values of `value_length` bytes (`None`: of any length).
    pub fn assert_value_length(mut self, value_length: Option<usize>) -> VerifierOptions {
        let assertion = self
            .header_shape
            .get_or_insert_with(ShapeAssertion::default);
        assertion.value_length = Some(value_length);
        self
    }

    /// Caps the values of a variable-length tree's records at `bytes` instead of
    /// [`DEFAULT_MAX_VALUE_LENGTH`](crate::DEFAULT_MAX_VALUE_LENGTH) (at most
    /// [`MAX_VALUE_LENGTH`](crate::MAX_VALUE_LENGTH)); a longer one is `VALUE_LENGTH`.
    pub fn max_value_length(mut self, bytes: usize) -> VerifierOptions {
        self.max_value_length = Some(bytes);
        self
    }

    /// Refuses records longer than `bytes` (binary body; an NDJSON line may be twice as long,
    /// plus 64 KiB), whatever the shape allows: `LOG_CORRUPT` before the record is buffered.
    pub fn max_record_length(mut self, bytes: usize) -> VerifierOptions {
        self.max_record_length = Some(bytes);
        self
    }

    /// Requires the log to end at `root`.
    pub fn expect_root(mut self, root: Digest) -> VerifierOptions {
        self.expect_root = Some(root);
        self.expect_tree = None;
        self.anchor = Anchor::Digest;
        self
    }

    /// Requires the log to end at an on-chain commitment's digest — a digest, an
    /// [`AvlTreeData`] read from a register, or a [`TrackerCommitment`](crate::TrackerCommitment)
    /// read from a box — and, for a tree, to be of its shape.
    pub fn expect_commitment(mut self, commitment: impl Into<Commitment>) -> VerifierOptions {
        let commitment = commitment.into();
        self.expect_root = Some(commitment.digest);
        self.expect_tree = commitment.tree;
        self.anchor = commitment.anchor;
        self
    }

    /// Requires the log to reach each of these on-chain commitments (oldest first), in order:
    /// proof that it agrees with every state the tracker committed to, not only the last.
    pub fn commitments<C: Into<Commitment>>(
        mut self,
        commitments: impl IntoIterator<Item = C>,
    ) -> VerifierOptions {
        self.commitments = commitments.into_iter().map(Into::into).collect();
        self
    }

    /// Starts from a snapshot's tree instead of the empty tree: the first record must be the
    /// snapshot's sequence number plus one.
    pub fn start_from(mut self, snapshot: Snapshot) -> VerifierOptions {
        self.start = Some(snapshot);
        self
    }

    /// Calls `callback` with the progress as verification goes.
    pub fn on_progress(
        mut self,
        callback: impl FnMut(Progress) -> ControlFlow<()> + 'static,
    ) -> VerifierOptions {
        self.on_progress = Some(Box::new(callback));
        self
    }

    /// Checks every record by its own proof (the log must carry proofs, e.g. from
    /// [`TreeStorage::with_proofs`](crate::TreeStorage::with_proofs)); no tree is held, and
    /// [`LogVerifier::tree`] is `None`. A record without a proof, or with one that does not
    /// verify, fails with `PROOF_INVALID` at its sequence.
    pub fn stateless(mut self) -> VerifierOptions {
        self.stateless = true;
        self
    }

    /// In stateless mode, starts after record `sequence` at `root` instead of the empty tree: the
    /// first record must be `sequence + 1` with `root` as its root before. (A stateful verifier
    /// needs the tree itself: use [`start_from`](VerifierOptions::start_from).)
    pub fn start_at(mut self, sequence: u64, root: Digest) -> VerifierOptions {
        self.start_root = Some((sequence, root));
        self
    }

    /// Calls the progress callback every `records` records.
    pub fn progress_every(mut self, records: u64) -> VerifierOptions {
        self.progress_every = records.max(1);
        self
    }
}

impl fmt::Debug for VerifierOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifierOptions")
            .field("shape", &self.shape)
            .field("header_shape", &self.header_shape)
            .field("max_value_length", &self.max_value_length)
            .field("max_record_length", &self.max_record_length)
            .field(
                "expect_root",
                &self.expect_root.map(|r| crate::hex::to_hex(&r)),
            )
            .field("expect_tree", &self.expect_tree)
            .field("anchor", &self.anchor)
            .field("commitments", &self.commitments.len())
            .field("start_sequence", &self.start.as_ref().map(|s| s.sequence))
            .field("on_progress", &self.on_progress.is_some())
            .field("progress_every", &self.progress_every)
            .field("stateless", &self.stateless)
            .field(
                "start_root",
                &self.start_root.map(|(s, r)| (s, crate::hex::to_hex(&r))),
            )
            .finish()
    }
}

/// What a verifier replays records on: the tree itself, or, in stateless mode, only the current
/// digest, each record being checked by its own proof.
enum Replica {
    /// Boxed: a tree's handles are many words, a digest is 33 bytes.
    Tree(Box<Tree>),
    Stateless {
        root: Digest,
    },
}

impl Replica {
    fn digest(&self) -> Digest {
        match self {
            Replica::Tree(tree) => tree.digest(),
            Replica::Stateless { root } => *root,
        }
    }
}

/// Verifies an operation log (binary or NDJSON, told apart by its first byte) as its bytes
/// arrive, replaying every record on its own tree with [`replay_record`]: each record's sequence
/// is the previous one plus one, its root before is the current digest, its operation applies,
/// its previous value is the one the tree held and its root after is the new digest.
///
/// Verification stops at the first defect, and the error carries its code, the record's sequence
/// number and the byte offset of the record in the log; nothing after it is trusted. The memory
/// held is the tree plus one partial record, whatever the length of the log.
///
/// In stateless mode ([`VerifierOptions::stateless`]) no tree is held: each record must carry a
/// proof of its operation against its root before, checked with
/// [`verify_record_proof`], and the memory held is one record.
///
/// ```
/// use basis_trees::{debt_value, LogFormat, LogVerifier, TreeShape, TreeStorage, VerifierOptions};
///
/// let mut tracker = TreeStorage::new(TreeShape::BASIS_TRACKER)?;
/// tracker.insert(&[1; 32], &debt_value(100), 1_700_000_000_000)?;
/// tracker.update(&[1; 32], &debt_value(250), 1_700_000_060_000)?;
/// let log = tracker.export_log(None, LogFormat::Binary);
///
/// let options = VerifierOptions::new(TreeShape::BASIS_TRACKER).expect_root(tracker.digest());
/// let mut verifier = LogVerifier::new(options)?;
/// for chunk in log.chunks(7) {
///     verifier.push(chunk)?;
/// }
/// let report = verifier.finish()?;
/// assert_eq!((report.operations, report.last_sequence), (2, 2));
/// let replayed = verifier.tree().expect("a stateful verifier holds its tree");
/// assert_eq!(replayed.get(&[1; 32])?, Some(debt_value(250).to_vec()));
/// # Ok::<(), basis_trees::Error>(())
/// ```
pub struct LogVerifier {
    decoder: LogDecoder,
    replica: Replica,
    /// The sequence number of the last verified record (the start's before any).
    last_sequence: u64,
    start_sequence: u64,
    start_root: Digest,
    header_checked: bool,
    expect_root: Option<Digest>,
    /// What `expect_root` was read from.
    anchor: Anchor,
    /// The on-chain trees whose shape the log's must be.
    on_chain: Vec<Commitment>,
    matcher: Option<CommitmentMatcher>,
    shape: TreeShape,
    /// Until the header has been read: the shape is to be the header's, with these parts asserted.
    header_shape: Option<ShapeAssertion>,
    /// Whether a stateless verifier was given the root to start from (`start_at`).
    start_root_given: bool,
    progress: Progress,
    on_progress: Option<ProgressCallback>,
    progress_every: u64,
    failed: Option<Error>,
    report: Option<Report>,
}

impl LogVerifier {
    /// A verifier with these options; fails with `SHAPE_MISMATCH` when a starting snapshot is of
    /// another shape than the one asked for.
    pub fn new(options: VerifierOptions) -> Result<LogVerifier> {
        let mut header_shape = options.header_shape;
        let asked = match header_shape {
            // Until the header says otherwise: the asserted parts over the tracker's shape.
            Some(assertion) => assertion.applied_to(TreeShape::BASIS_TRACKER),
            None => options.shape,
        };
        let mut shape = TreeShape::new(asked.key_length, asked.value_length)?;
        let (tree, start_sequence) = match options.start {
            Some(snapshot) => {
                let had = snapshot.tree.shape();
                if let Some(assertion) = header_shape.take() {
                    // A snapshot fixes the shape: the assertions are of it.
                    shape = had;
                    if assertion.applied_to(had) != had {
                        return Err(Error::new(ErrorKind::ShapeMismatch {
                            expected: assertion.applied_to(had),
                            actual: had,
                        }));
                    }
                }
                if had != shape {
                    return Err(Error::new(ErrorKind::ShapeMismatch {
                        expected: shape,
                        actual: had,
                    }));
                }
                (snapshot.tree, snapshot.sequence)
            }
            None => (Tree::new(shape)?, 0),
        };
        let (replica, start_sequence) = match (options.stateless, options.start_root) {
            (false, _) => (Replica::Tree(Box::new(tree)), start_sequence),
            (true, Some((sequence, root))) => (Replica::Stateless { root }, sequence),
            (true, None) => (
                Replica::Stateless {
                    root: tree.digest(),
                },
                start_sequence,
            ),
        };
        let start_root = replica.digest();
        // Shown the start's root once the header has fixed the shape (`verify_available`).
        let matcher = match options.commitments.is_empty() {
            true => None,
            false => Some(CommitmentMatcher::new(&options.commitments)),
        };
        let on_chain = options
            .expect_tree
            .map(Commitment::from)
            .into_iter()
            .chain(options.commitments.iter().copied())
            .filter(|c| c.tree.is_some())
            .collect();
        Ok(LogVerifier {
            decoder: LogDecoder::with_limits(options.max_value_length, options.max_record_length),
            start_root,
            replica,
            last_sequence: start_sequence,
            start_sequence,
            header_checked: false,
            expect_root: options.expect_root,
            // A root set without saying what it was read from is a digest; none, no anchor.
            anchor: match (options.expect_root, options.anchor) {
                (None, _) => Anchor::None,
                (Some(_), Anchor::None) => Anchor::Digest,
                (Some(_), anchor) => anchor,
            },
            on_chain,
            matcher,
            shape,
            header_shape,
            start_root_given: options.stateless && options.start_root.is_some(),
            progress: Progress::default(),
            on_progress: options.on_progress,
            progress_every: options.progress_every.max(1),
            failed: None,
            report: None,
        })
    }

    /// Verifies every complete record in the bytes given so far. After an error, every call
    /// returns that error again. Bytes pushed after [`finish`](LogVerifier::finish) are refused
    /// (`LOG_CORRUPT`) and change nothing.
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        if self.report.is_some() && !chunk.is_empty() {
            let err = Error::new(ErrorKind::LogCorrupt {
                reason: "bytes pushed after finish(): the log had already ended".to_string(),
            })
            .at_offset(self.decoder.bytes_decoded());
            return Err(err);
        }
        // A slice at a time, so that the decoder holds at most one partial record and one slice.
        for slice in chunk.chunks(PUSH_SLICE) {
            self.decoder.push(slice);
            let result = self.verify_available();
            self.record_failure(result)?;
        }
        Ok(())
    }

    /// Ends the input: checks that the log did not stop inside a record and that the final root
    /// is the expected one, and returns the report. Calling it again returns the same outcome.
    pub fn finish(&mut self) -> Result<Report> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        if let Some(report) = &self.report {
            return Ok(report.clone());
        }
        self.decoder.finish();
        let result = self.verify_available().and_then(|()| self.conclude());
        let report = self.record_failure(result)?;
        self.report = Some(report.clone());
        Ok(report)
    }

    /// How far verification has got.
    pub fn progress(&self) -> Progress {
        self.progress
    }

    /// The replayed tree: after [`finish`](LogVerifier::finish), the tree the log ends at; after
    /// an error, the tree after the last record that verified. `None` in stateless mode.
    pub fn tree(&self) -> Option<&Tree> {
        match &self.replica {
            Replica::Tree(tree) => Some(tree),
            Replica::Stateless { .. } => None,
        }
    }

    /// The digest after the last verified record (the start root before any).
    pub fn digest(&self) -> Digest {
        self.replica.digest()
    }

    /// The log's header, once it has been read.
    pub fn header(&self) -> Option<&LogHeader> {
        self.decoder.header()
    }

    /// The tree's shape: the one asked for, or once the header has been read, the log's.
    pub fn shape(&self) -> TreeShape {
        self.shape
    }

    /// The limits the log's records are held to, once the header has been read.
    pub fn limits(&self) -> Option<RecordLimits> {
        self.decoder.limits()
    }

    fn record_failure<T>(&mut self, result: Result<T>) -> Result<T> {
        if let Err(err) = &result {
            self.failed = Some(err.clone());
        }
        result
    }

    fn verify_available(&mut self) -> Result<()> {
        if !self.header_checked {
            let Some(header) = self.decoder.poll_header()?.copied() else {
                return Ok(());
            };
            if let Some(assertion) = self.header_shape.take() {
                self.take_shape(assertion.applied_to(header.shape))?;
            }
            check_header(&header, self.shape, self.start_sequence, &self.start_root)?;
            for commitment in &self.on_chain {
                commitment
                    .check_shape(header.shape)
                    .map_err(|e| e.at_offset(0))?;
            }
            // Only now is the start's root that of the log's shape.
            if let Some(matcher) = &mut self.matcher {
                matcher.observe(self.start_sequence, self.start_root);
            }
            self.header_checked = true;
            self.progress.bytes = self.decoder.bytes_decoded();
        }
        while let Some(decoded) = self.decoder.next_record()? {
            self.replay(&decoded.record)
                .map_err(|e| e.at_offset(decoded.offset))?;
            self.last_sequence = decoded.record.sequence_number;
            if let Some(matcher) = &mut self.matcher {
                // Replayed: the record's root after is the tree's digest.
                matcher.observe(self.last_sequence, decoded.record.tree_root_after);
            }
            self.progress.records += 1;
            self.progress.bytes = decoded.offset + decoded.length;
            if self.progress.records % self.progress_every == 0 {
                self.report_progress()?;
            }
        }
        Ok(())
    }

    /// Verifies a log of `shape` (the header's, with the asserted parts): before any record, the
    /// empty tree (or digest) of that shape. A shape other than the header's fails in
    /// `check_header`, which names both.
    fn take_shape(&mut self, shape: TreeShape) -> Result<()> {
        if shape == self.shape {
            return Ok(());
        }
        let empty = Tree::new(shape)?;
        match &mut self.replica {
            Replica::Tree(tree) => **tree = empty,
            Replica::Stateless { root } if !self.start_root_given => *root = empty.digest(),
            Replica::Stateless { .. } => {}
        }
        self.shape = shape;
        self.start_root = self.replica.digest();
        Ok(())
    }

    /// Checks `record` against the state after the last verified record and moves on to it.
    fn replay(&mut self, record: &TreeOperation) -> Result<()> {
        let expected = next_sequence(self.last_sequence, record)?;
        match &mut self.replica {
            Replica::Tree(tree) => replay_record(tree, expected, record),
            Replica::Stateless { root } => {
                check_link(record, expected, root)?;
                verify_record_proof(self.shape, record)?;
                *root = record.tree_root_after;
                Ok(())
            }
        }
    }

    fn report_progress(&mut self) -> Result<()> {
        if let Some(callback) = &mut self.on_progress {
            if callback(self.progress).is_break() {
                return Err(Error::new(ErrorKind::Aborted).at_offset(self.progress.bytes));
            }
        }
        Ok(())
    }

    fn conclude(&mut self) -> Result<Report> {
        let final_root = self.replica.digest();
        if let Some(expected) = self.expect_root {
            if expected != final_root {
                return Err(Error::new(ErrorKind::ExpectedRootMismatch {
                    expected,
                    actual: final_root,
                }));
            }
        }
        let commitments = match &self.matcher {
            Some(matcher) => matcher.finish(self.last_sequence)?,
            None => Vec::new(),
        };
        self.report_progress()?;
        Ok(Report {
            operations: self.progress.records,
            first_sequence: self.start_sequence.saturating_add(1),
            last_sequence: self.last_sequence,
            start_root: self.start_root,
            final_root,
            commitments,
            anchor: self.anchor,
        })
    }
}

impl fmt::Debug for LogVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogVerifier")
            .field("shape", &self.shape)
            .field("progress", &self.progress)
            .field("last_sequence", &self.last_sequence)
            .field("failed", &self.failed)
            .finish()
    }
}

/// Verifies a whole log held in memory; see [`LogVerifier`].
pub fn verify_log(bytes: &[u8], options: VerifierOptions) -> Result<Report> {
    let mut verifier = LogVerifier::new(options)?;
    verifier.push(bytes)?;
    verifier.finish()
}
