//! `TreeStorage`: logging, appending checked records, batches, ranges, checkpoints, recovery.

mod common;

use basis_trees::{debt_value, ErrorCode, TreeOperation, TreeShape, TreeStorage};
use proptest::prelude::*;

/// What a user can observe of a storage: digest, last sequence, entries.
type Observed = (basis_trees::Digest, u64, Vec<(Vec<u8>, Vec<u8>)>);

fn snapshot_of(storage: &TreeStorage) -> Observed {
    (
        storage.digest(),
        storage.last_sequence(),
        storage.tree().entries(),
    )
}

#[test]
fn records_carry_sequence_roots_and_previous_values() {
    let mut s = TreeStorage::new(TreeShape::BASIS_TRACKER).unwrap();
    let empty = s.digest();
    let r1 = s.insert(&[1; 32], &debt_value(5), 10).unwrap().clone();
    assert_eq!((r1.sequence_number, r1.timestamp), (1, 10));
    assert_eq!(
        (r1.tree_root_before, r1.previous_value.clone()),
        (empty, None)
    );
    let r2 = s.update(&[1; 32], &debt_value(9), 11).unwrap().clone();
    assert_eq!(r2.previous_value, Some(debt_value(5).to_vec()));
    assert_eq!(r2.tree_root_before, r1.tree_root_after);
    let r3 = s.remove(&[1; 32], 12).unwrap().clone();
    assert_eq!(
        (r3.value.clone(), r3.previous_value.clone()),
        (None, Some(debt_value(9).to_vec()))
    );
    assert_eq!(r3.tree_root_after, empty);
    assert_eq!(s.last_sequence(), 3);
    // A refused operation logs nothing.
    assert_eq!(
        s.remove(&[1; 32], 13).unwrap_err().code(),
        ErrorCode::KeyNotFound
    );
    assert_eq!(s.log().len(), 3);
}

#[test]
fn operations_returns_inclusive_ranges() {
    let s = common::tracker_storage(1, 30);
    let seqs = |from, to| -> Vec<u64> {
        s.operations(from, to)
            .iter()
            .map(|r| r.sequence_number)
            .collect()
    };
    assert_eq!(seqs(Some(5), Some(7)), vec![5, 6, 7]);
    assert_eq!(seqs(None, Some(2)), vec![1, 2]);
    assert_eq!(seqs(Some(29), None), vec![29, 30]);
    assert_eq!(seqs(Some(31), None), Vec::<u64>::new());
    assert_eq!(seqs(Some(7), Some(5)), Vec::<u64>::new());
    assert_eq!(seqs(Some(0), Some(u64::MAX)).len(), 30);
}

#[test]
fn checkpoints_record_sequence_root_and_node_count() {
    let mut s = common::tracker_storage(2, 40);
    let c1 = s.checkpoint(1000).unwrap();
    assert_eq!((c1.id, c1.sequence, c1.tree_root), (1, 40, s.digest()));
    assert_eq!(c1.node_count, 2 * s.tree().size() as u64 + 1);
    s.insert(&[9; 32], &debt_value(1), 1001).unwrap();
    let c2 = s.checkpoint(1002).unwrap();
    assert_eq!((c2.id, c2.sequence), (2, 41));
    assert_eq!(s.get_checkpoint(1), Some(&c1));
    assert_eq!(s.get_checkpoint(3), None);
    assert_eq!(s.get_checkpoint(0), None);
    assert_eq!(s.checkpoints().len(), 2);
}

/// Each defect of an appended record is refused with its code and sequence, and the storage is
/// left exactly as it was.
#[test]
fn append_refuses_each_defect_and_changes_nothing() {
    let source = common::tracker_storage(3, 60);
    let log = source.log();
    let mut target = TreeStorage::recover(TreeShape::BASIS_TRACKER, log[..40].to_vec()).unwrap();
    let next = log[40].clone();
    let update = log[40..]
        .iter()
        .find(|r| r.previous_value.is_some())
        .unwrap()
        .clone();

    let mut cases: Vec<(&str, TreeOperation, ErrorCode)> = Vec::new();
    let mut r = next.clone();
    r.sequence_number = 42;
    cases.push(("gap", r, ErrorCode::LogSequence));
    cases.push(("duplicate", log[39].clone(), ErrorCode::LogSequence));
    let mut r = next.clone();
    r.tree_root_before[5] ^= 0x80;
    cases.push(("root before", r, ErrorCode::RootBeforeMismatch));
    let mut r = next.clone();
    r.tree_root_after[32] ^= 1;
    cases.push(("root after", r, ErrorCode::RootAfterMismatch));
    let mut r = next.clone();
    r.key.pop();
    cases.push(("short key", r, ErrorCode::KeyLength));
    let mut r = next.clone();
    r.key = vec![0xff; 32];
    cases.push(("reserved key", r, ErrorCode::KeyReserved));
    cases.push(("out of order", log[41].clone(), ErrorCode::LogSequence));
    // An insert of a key the tree already holds.
    let mut r = log[..40]
        .iter()
        .find(|r| r.value.is_some() && target.tree().get(&r.key).unwrap().is_some())
        .unwrap()
        .clone();
    r.operation_type = basis_trees::OperationType::Insert;
    r.previous_value = None;
    r.sequence_number = 41;
    r.tree_root_before = target.digest();
    cases.push(("insert of an existing key", r, ErrorCode::OperationFailed));
    let fixed_shape = TreeShape::new(32, Some(8)).unwrap();
    let mut fixed = TreeStorage::new(fixed_shape).unwrap();
    fixed.insert(&[3; 32], &debt_value(3), 1).unwrap();

    for (name, record, code) in cases {
        let before = snapshot_of(&target);
        let err = target.append(record.clone()).unwrap_err();
        assert_eq!(err.code(), code, "{name}: {err}");
        assert_eq!(err.sequence(), Some(record.sequence_number), "{name}");
        assert_eq!(snapshot_of(&target), before, "{name} changed the storage");
    }

    // Wrong previous value: an update whose record claims another old value.
    let mut on_update = TreeStorage::recover(
        TreeShape::BASIS_TRACKER,
        log[..(update.sequence_number - 1) as usize].to_vec(),
    )
    .unwrap();
    let mut r = update.clone();
    r.previous_value = Some(debt_value(123_456_789).to_vec());
    let before = snapshot_of(&on_update);
    let err = on_update.append(r).unwrap_err();
    assert_eq!(
        (err.code(), err.sequence()),
        (
            ErrorCode::PreviousValueMismatch,
            Some(update.sequence_number)
        )
    );
    assert_eq!(snapshot_of(&on_update), before);

    // A value of the wrong length for a fixed-length tree.
    let mut r = fixed.log()[0].clone();
    r.sequence_number = 2;
    r.key = vec![4; 32];
    r.tree_root_before = fixed.digest();
    r.value = Some(vec![1; 9]);
    let err = fixed.append(r).unwrap_err();
    assert_eq!(
        (err.code(), err.sequence()),
        (ErrorCode::ValueLength, Some(2))
    );

    // And the good record is then accepted.
    target.append(next).unwrap();
    assert_eq!(target.last_sequence(), 41);
}

/// A storage resumed after the last sequence number there can be (a hostile snapshot can say so)
/// refuses every record and answers everything else without overflowing.
#[test]
fn nothing_follows_the_last_sequence_number() {
    let tracker = common::tracker_storage(41, 3);
    let mut storage = TreeStorage::resume(tracker.tree().clone(), u64::MAX);
    let mut record = common::tracker_storage(42, 1).log()[0].clone();
    record.tree_root_before = tracker.digest();
    for sequence in [u64::MAX, 0, 1] {
        record.sequence_number = sequence;
        let err = storage.append(record.clone()).unwrap_err();
        assert_eq!(
            (err.code(), err.sequence()),
            (ErrorCode::LogSequence, Some(sequence))
        );
    }
    assert!(storage.operations(None, None).is_empty());
    assert_eq!(storage.last_sequence(), u64::MAX);
    let snapshot = storage.snapshot();
    let tail = storage.export_log(None, basis_trees::LogFormat::Binary);
    let recovered = TreeStorage::recover_from_snapshot(&snapshot, &tail).unwrap();
    assert_eq!(
        (recovered.last_sequence(), recovered.digest()),
        (u64::MAX, tracker.digest())
    );

    // Nor can a record be made there: the sequence number does not wrap to 0.
    let digest = storage.digest();
    let err = storage.insert(&[9; 32], &[1], 1).unwrap_err();
    assert_eq!(err.code(), ErrorCode::LogSequence);
    assert!(err.to_string().contains("none can follow"), "{err}");
    assert_eq!(storage.digest(), digest, "the tree did not change");
    assert!(storage.log().is_empty());
}

/// A checkpoint id at u64::MAX (a restored snapshot may carry one) has no successor.
#[test]
fn checkpoint_ids_do_not_wrap() {
    let mut tracker = common::tracker_storage(43, 3);
    let tree = tracker.tree().clone();
    let last = basis_trees::Checkpoint {
        id: u64::MAX,
        sequence: tracker.last_sequence(),
        timestamp: 1,
        tree_root: tracker.digest(),
        node_count: 2 * tree.size() as u64 + 1,
    };
    let snapshot = basis_trees::Snapshot::encode(&tree, tracker.last_sequence(), Some(&last));
    let tail = tracker.export_log(Some(u64::MAX), basis_trees::LogFormat::Binary);
    let mut resumed = TreeStorage::recover_from_snapshot(&snapshot, &tail).unwrap();
    assert_eq!(resumed.checkpoints().last().map(|c| c.id), Some(u64::MAX));
    let err = resumed.checkpoint(2).unwrap_err();
    assert_eq!(err.code(), ErrorCode::LogSequence);
    assert!(err.to_string().contains("checkpoint id"), "{err}");
    assert_eq!(resumed.checkpoints().len(), 1);
    assert_eq!(tracker.checkpoint(2).unwrap().id, 1);
}

/// A refused record comes back with the error, as it was given.
#[test]
fn a_refused_record_is_carried_by_its_error() {
    let source = common::tracker_storage(44, 10);
    let mut forged = source.log().to_vec();
    forged[6].value = Some(vec![9; 8]);
    let err = TreeStorage::recover(source.shape(), forged.clone()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::RootAfterMismatch);
    assert_eq!(err.record(), Some(&forged[6]));
    forged[6] = source.log()[6].clone();
    forged[7].sequence_number = 99;
    let err = TreeStorage::recover(source.shape(), forged.clone()).unwrap_err();
    assert_eq!(
        (err.code(), err.record()),
        (ErrorCode::LogSequence, Some(&forged[7]))
    );
}

#[test]
fn append_batch_is_all_or_nothing() {
    let source = common::tracker_storage(4, 50);
    let log = source.log();
    let mut target = TreeStorage::recover(TreeShape::BASIS_TRACKER, log[..20].to_vec()).unwrap();
    let mut batch = log[20..30].to_vec();
    batch[6].tree_root_after[0] ^= 1;
    let before = snapshot_of(&target);
    let err = target.append_batch(batch).unwrap_err();
    assert_eq!(
        (err.code(), err.sequence()),
        (ErrorCode::RootAfterMismatch, Some(27))
    );
    assert_eq!(snapshot_of(&target), before);
    assert_eq!(target.log().len(), 20);
    target.append_batch(log[20..].to_vec()).unwrap();
    assert_eq!(snapshot_of(&target), snapshot_of(&source));
}

#[test]
fn recovery_stops_at_the_first_bad_record() {
    let source = common::tracker_storage(5, 80);
    let mut log = source.log().to_vec();
    log[50].timestamp = 0; // not covered by roots: accepted
    log[60].tree_root_after[10] ^= 4;
    log[70].tree_root_after[10] ^= 4;
    let err = TreeStorage::recover(TreeShape::BASIS_TRACKER, log).unwrap_err();
    assert_eq!(
        (err.code(), err.sequence()),
        (ErrorCode::RootAfterMismatch, Some(61))
    );
    assert!(
        err.to_string().starts_with("record 61: root after is "),
        "{err}"
    );
}

#[test]
fn recovery_from_a_midpoint_tree_continues_the_sequence() {
    let source = common::tracker_storage(6, 100);
    let first =
        TreeStorage::recover(TreeShape::BASIS_TRACKER, source.log()[..60].to_vec()).unwrap();
    let resumed =
        TreeStorage::recover_from(first.tree().clone(), 60, source.log()[60..].to_vec()).unwrap();
    assert_eq!(snapshot_of(&resumed), snapshot_of(&source));
    assert_eq!(resumed.base_sequence(), 60);
    assert_eq!(resumed.operations(Some(61), Some(61))[0], source.log()[60]);
    // The clone the resumed storage started from is untouched by the replay.
    assert_eq!(first.digest(), source.log()[59].tree_root_after);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Recovery from the log of a random run equals the live storage.
    #[test]
    fn recovery_of_a_random_run_equals_the_live_storage(seed in any::<u64>(), n in 1usize..300) {
        let live = common::tracker_storage(seed, n);
        let recovered = TreeStorage::recover(TreeShape::BASIS_TRACKER, live.log().to_vec()).unwrap();
        prop_assert_eq!(snapshot_of(&recovered), snapshot_of(&live));
        prop_assert_eq!(recovered.log(), live.log());
    }
}
