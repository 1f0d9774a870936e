//! `TreeStorage`: a tree and its operation log, as the Basis tracker keeps them.
//!
//! The top of the core: it may use everything below it (the foundation, the tree, the log); only
//! the JavaScript bindings (`wasm/`) use it.

use crate::digest::Digest;
use crate::error::{Error, ErrorKind, Result};
use crate::log::codec::{encode_log_with_header, LogDecoder};
use crate::log::format::{LogFormat, LogHeader, LogStart};
use crate::log::record::{OperationType, TreeOperation};
use crate::log::replay::{check_header, following_sequence, next_sequence, replay_record};
use crate::memory::out_of_memory;
use crate::shape::TreeShape;
use crate::tree::checkpoint::Checkpoint;
use crate::tree::operation::Operation;
use crate::tree::snapshot::Snapshot;
use crate::tree::Tree;

/// A [`Tree`] and the log of every change made to it.
///
/// Changes made here ([`insert`](TreeStorage::insert), [`update`](TreeStorage::update),
/// [`remove`](TreeStorage::remove)) are performed and logged with sequence number, timestamp,
/// previous value and the roots before and after. Records made elsewhere are
/// [`append`](TreeStorage::append)ed only after every one of those fields checks out, so the log
/// and the tree never disagree.
#[derive(Debug, Clone)]
pub struct TreeStorage {
    tree: Tree,
    log: Vec<TreeOperation>,
    /// The sequence number of the state the log starts from (0 for an empty tree).
    base_sequence: u64,
    checkpoints: Vec<Checkpoint>,
    /// The tree at each checkpoint (an O(1) clone sharing its nodes), from which
    /// [`checkpoint_snapshot`](TreeStorage::checkpoint_snapshot) writes its snapshot.
    checkpoint_trees: Vec<Tree>,
    /// Whether records made here carry the proof of their operation.
    emit_proofs: bool,
}

impl TreeStorage {
    /// An empty tree of `shape` with an empty log; the first record will be sequence 1.
    pub fn new(shape: TreeShape) -> Result<TreeStorage> {
        Ok(TreeStorage::resume(Tree::new(shape)?, 0))
    }

    /// A storage that continues from `tree` as it was after record `sequence` (for example a
    /// tree restored from a checkpoint's snapshot); its log starts empty at `sequence + 1`.
    pub fn resume(tree: Tree, sequence: u64) -> TreeStorage {
        TreeStorage {
            tree,
            log: Vec::new(),
            base_sequence: sequence,
            checkpoints: Vec::new(),
            checkpoint_trees: Vec::new(),
            emit_proofs: false,
        }
    }

    /// Like [`new`](TreeStorage::new), but every record made here carries in `proof` the proof of
    /// its operation against its `tree_root_before` (what [`Tree::prove`] gives for that one
    /// operation), so that the log can be checked record by record with no tree at hand
    /// ([`verify_record_proof`](crate::verify_record_proof)).
    pub fn with_proofs(shape: TreeShape) -> Result<TreeStorage> {
        let mut storage = TreeStorage::new(shape)?;
        storage.emit_proofs = true;
        Ok(storage)
    }

    /// Turns proofs in new records on or off (see [`with_proofs`](TreeStorage::with_proofs)).
    pub fn set_emit_proofs(&mut self, emit_proofs: bool) {
        self.emit_proofs = emit_proofs;
    }

    /// Whether new records carry proofs.
    pub fn emits_proofs(&self) -> bool {
        self.emit_proofs
    }

    /// Rebuilds a storage of `shape` from its log, checking every record (see
    /// [`append`](TreeStorage::append)); stops at the first bad record with its sequence.
    pub fn recover(
        shape: TreeShape,
        records: impl IntoIterator<Item = TreeOperation>,
    ) -> Result<TreeStorage> {
        let mut storage = TreeStorage::new(shape)?;
        for record in records {
            storage.append(record)?;
        }
        Ok(storage)
    }

    /// Like [`recover`](TreeStorage::recover), from `tree` as it was after record `sequence`.
    pub fn recover_from(
        tree: Tree,
        sequence: u64,
        records: impl IntoIterator<Item = TreeOperation>,
    ) -> Result<TreeStorage> {
        let mut storage = TreeStorage::resume(tree, sequence);
        for record in records {
            storage.append(record)?;
        }
        Ok(storage)
    }

    /// The tree's shape.
    pub fn shape(&self) -> TreeShape {
        self.tree.shape()
    }

    /// The tree, for lookups and proofs.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// The current digest.
    pub fn digest(&self) -> Digest {
        self.tree.digest()
    }

    /// The sequence number of the last record (the starting sequence when the log is empty).
    pub fn last_sequence(&self) -> u64 {
        self.base_sequence + self.log.len() as u64
    }

    /// The sequence number the log starts from: the state before its first record.
    pub fn base_sequence(&self) -> u64 {
        self.base_sequence
    }

    /// Inserts `key` → `value` and logs it; fails with `KEY_EXISTS` when the key is there.
    pub fn insert(&mut self, key: &[u8], value: &[u8], timestamp: u64) -> Result<&TreeOperation> {
        self.perform_and_log(
            OperationType::Insert,
            Operation::Insert {
                key: key.to_vec(),
                value: value.to_vec(),
            },
            timestamp,
        )
    }

    /// Replaces the value of `key` and logs it; fails with `KEY_NOT_FOUND` when it is absent.
    pub fn update(&mut self, key: &[u8], value: &[u8], timestamp: u64) -> Result<&TreeOperation> {
        self.perform_and_log(
            OperationType::Update,
            Operation::Update {
                key: key.to_vec(),
                value: value.to_vec(),
            },
            timestamp,
        )
    }

    /// Removes `key` and logs it; fails with `KEY_NOT_FOUND` when it is absent.
    pub fn remove(&mut self, key: &[u8], timestamp: u64) -> Result<&TreeOperation> {
        self.perform_and_log(
            OperationType::Remove,
            Operation::Remove { key: key.to_vec() },
            timestamp,
        )
    }

    fn perform_and_log(
        &mut self,
        operation_type: OperationType,
        operation: Operation,
        timestamp: u64,
    ) -> Result<&TreeOperation> {
        // Nothing follows u64::MAX; and the log must have room for the record, before the tree
        // changes.
        let sequence_number = following_sequence(self.last_sequence())?;
        self.reserve_record()?;
        let tree_root_before = self.tree.digest();
        let (previous_value, proof) = if self.emit_proofs {
            let batch = self.tree.prove(std::slice::from_ref(&operation))?;
            (
                batch.results.into_iter().next().flatten(),
                Some(batch.proof),
            )
        } else {
            (self.tree.apply(&operation)?, None)
        };
        let value = operation.value().map(<[u8]>::to_vec);
        let key = operation.key().to_vec();
        self.log.push(TreeOperation {
            sequence_number,
            operation_type,
            timestamp,
            key,
            value,
            previous_value,
            tree_root_before,
            tree_root_after: self.tree.digest(),
            proof,
        });
        Ok(&self.log[self.log.len() - 1])
    }

    /// Appends a record made elsewhere, after checking it against the tree: its sequence is
    /// exactly the next one, its root before is the current digest, its operation applies, its
    /// previous value is the one the tree held, and its root after is the new digest. A refused
    /// record leaves the storage unchanged; the error carries its code and sequence.
    pub fn append(&mut self, record: TreeOperation) -> Result<()> {
        let expected_sequence = next_sequence(self.last_sequence(), &record)?;
        self.reserve_record()
            .map_err(|err| err.with_record(&record))?;
        replay_record(&mut self.tree, expected_sequence, &record)?;
        self.log.push(record);
        Ok(())
    }

    /// Room in the log for one more record (`OUT_OF_MEMORY` when there is none).
    fn reserve_record(&mut self) -> Result<()> {
        self.log
            .try_reserve(1)
            .map_err(|_| out_of_memory(std::mem::size_of::<TreeOperation>()))
    }

    /// Appends all of `records` or none: on the first refused record the storage returns to its
    /// state before the batch and the error names that record.
    pub fn append_batch(&mut self, records: Vec<TreeOperation>) -> Result<()> {
        let savepoint = self.tree.savepoint();
        let log_length = self.log.len();
        for record in records {
            if let Err(err) = self.append(record) {
                self.tree.rollback(savepoint);
                self.log.truncate(log_length);
                return Err(err);
            }
        }
        Ok(())
    }

    /// The records with sequence numbers from `from` to `to`, both included (`None`: from the
    /// first, to the last).
    pub fn operations(&self, from: Option<u64>, to: Option<u64>) -> &[TreeOperation] {
        // A log that holds records starts after a sequence number below u64::MAX.
        if self.log.is_empty() {
            return &[];
        }
        let first = self.base_sequence + 1;
        let from = from.unwrap_or(first).max(first);
        let to = to.unwrap_or(u64::MAX).min(self.last_sequence());
        if from > to {
            return &[];
        }
        let start = (from - first) as usize;
        let end = (to - first) as usize + 1;
        &self.log[start..end]
    }

    /// Every record, in order.
    pub fn log(&self) -> &[TreeOperation] {
        &self.log
    }

    /// Records a checkpoint of the current state at `timestamp` and returns it. The storage keeps
    /// the tree of every checkpoint (sharing the nodes that have not changed since), so that
    /// [`checkpoint_snapshot`](TreeStorage::checkpoint_snapshot) can write it later. Ids count
    /// up from the last checkpoint's; after id `u64::MAX` (which a restored snapshot may carry)
    /// there is none: `LOG_SEQUENCE`.
    pub fn checkpoint(&mut self, timestamp: u64) -> Result<Checkpoint> {
        let id = match self.checkpoints.last() {
            Some(last) => last.id.checked_add(1).ok_or_else(|| {
                Error::new(ErrorKind::CounterExhausted {
                    counter: "checkpoint id",
                })
            })?,
            None => 1,
        };
        let checkpoint = Checkpoint {
            id,
            sequence: self.last_sequence(),
            timestamp,
            tree_root: self.tree.digest(),
            node_count: 2 * self.tree.size() as u64 + 1,
        };
        self.checkpoints.push(checkpoint.clone());
        self.checkpoint_trees.push(self.tree.clone());
        Ok(checkpoint)
    }

    /// The checkpoint with this id, if any.
    pub fn get_checkpoint(&self, id: u64) -> Option<&Checkpoint> {
        self.checkpoints.get(self.checkpoint_index(id)?)
    }

    fn checkpoint_index(&self, id: u64) -> Option<usize> {
        self.checkpoints.binary_search_by_key(&id, |c| c.id).ok()
    }

    /// Every checkpoint, oldest first.
    pub fn checkpoints(&self) -> &[Checkpoint] {
        &self.checkpoints
    }

    /// The snapshot of the tree at checkpoint `id` (with the checkpoint's metadata), if there is
    /// such a checkpoint. With the log after it, it is all a replica needs: see
    /// [`recover_from_snapshot`](TreeStorage::recover_from_snapshot).
    pub fn checkpoint_snapshot(&self, id: u64) -> Option<Vec<u8>> {
        let index = self.checkpoint_index(id)?;
        let (checkpoint, tree) = (
            self.checkpoints.get(index)?,
            self.checkpoint_trees.get(index)?,
        );
        Some(Snapshot::encode(
            tree,
            checkpoint.sequence,
            Some(checkpoint),
        ))
    }

    /// The snapshot of the current tree, at the last sequence number.
    pub fn snapshot(&self) -> Vec<u8> {
        Snapshot::encode(&self.tree, self.last_sequence(), None)
    }

    /// The log from record `from` (default: the first held) to the last, in `format`. Its header
    /// names the state it starts from (the sequence number before its first record and the
    /// digest then), so a verifier can check it continues from a snapshot.
    pub fn export_log(&self, from: Option<u64>, format: LogFormat) -> Vec<u8> {
        let records = self.operations(from, None);
        let start = match records.first() {
            Some(first) => LogStart {
                sequence: first.sequence_number.saturating_sub(1),
                root: first.tree_root_before,
            },
            None => LogStart {
                sequence: self.last_sequence(),
                root: self.digest(),
            },
        };
        let header = LogHeader {
            format,
            shape: self.shape(),
            start: Some(start),
        };
        encode_log_with_header(&header, records)
    }

    /// Rebuilds a storage from a checkpoint's snapshot and the log after it (either format),
    /// checking every record as [`append`](TreeStorage::append) does. The log's header is checked
    /// as [`LogVerifier`](crate::LogVerifier) checks it: its shape must be the snapshot's
    /// (`SHAPE_MISMATCH`) and the state it says it starts from, if it says, the snapshot's
    /// sequence number (`LOG_SEQUENCE`) and digest (`ROOT_BEFORE_MISMATCH`); its first record must
    /// follow the snapshot's sequence number. Errors carry the record's sequence number and byte
    /// offset in `log_tail`. The snapshot's checkpoint, if it has one, becomes the storage's first
    /// checkpoint.
    pub fn recover_from_snapshot(snapshot: &[u8], log_tail: &[u8]) -> Result<TreeStorage> {
        TreeStorage::recover_from_snapshot_within(snapshot, log_tail, LogDecoder::new())
    }

    /// [`recover_from_snapshot`](TreeStorage::recover_from_snapshot), reading `log_tail` with
    /// `decoder` (a [`LogDecoder::with_limits`] given no bytes yet), whose limits replace the
    /// default ones of the log's shape.
    pub fn recover_from_snapshot_within(
        snapshot: &[u8],
        log_tail: &[u8],
        mut decoder: LogDecoder,
    ) -> Result<TreeStorage> {
        let snapshot = Snapshot::decode(snapshot)?;
        let mut storage = TreeStorage::resume(snapshot.tree, snapshot.sequence);
        if let Some(checkpoint) = snapshot.checkpoint {
            storage.checkpoints.push(checkpoint);
            storage.checkpoint_trees.push(storage.tree.clone());
        }
        decoder.push(log_tail);
        decoder.finish();
        if let Some(header) = decoder.poll_header()? {
            check_header(
                header,
                storage.shape(),
                storage.last_sequence(),
                &storage.digest(),
            )?;
        }
        while let Some(decoded) = decoder.next_record()? {
            storage
                .append(decoded.record)
                .map_err(|e| e.at_offset(decoded.offset))?;
        }
        Ok(storage)
    }
}
