//! `LogVerifier` and `verify_log`: streaming verification of both formats, starting from a
//! snapshot, progress, and the first bad record reported with its code, sequence and offset.

mod common;

use basis_trees::{
    encode_log, encode_log_with_header, from_hex, verify_log, ErrorCode, LogFormat, LogHeader,
    LogStart, LogVerifier, Progress, Snapshot, TreeOperation, TreeShape, TreeStorage,
    VerifierOptions, EMPTY_BASIS_TRACKER_DIGEST,
};
use std::cell::RefCell;
use std::ops::ControlFlow;
use std::rc::Rc;

const FORMATS: [LogFormat; 2] = [LogFormat::Binary, LogFormat::Ndjson];

fn options() -> VerifierOptions {
    VerifierOptions::new(TreeShape::BASIS_TRACKER)
}

/// The log of `records` with the header of a log from the empty tree.
fn log_of(records: &[TreeOperation], format: LogFormat) -> Vec<u8> {
    let header = LogHeader {
        format,
        shape: TreeShape::BASIS_TRACKER,
        start: None,
    };
    encode_log_with_header(&header, records)
}

#[test]
fn both_formats_verify_to_the_same_report_and_tree() {
    let tracker = common::tracker_storage(21, 120);
    let mut reports = Vec::new();
    for format in FORMATS {
        let log = tracker.export_log(None, format);
        let report = verify_log(&log, options().expect_root(tracker.digest())).unwrap();
        assert_eq!(report.operations, 120);
        assert_eq!((report.first_sequence, report.last_sequence), (1, 120));
        assert_eq!(report.final_root, tracker.digest());
        assert_eq!(
            report.start_root.to_vec(),
            from_hex(EMPTY_BASIS_TRACKER_DIGEST).unwrap()
        );
        reports.push(report);

        let mut verifier = LogVerifier::new(options()).unwrap();
        for chunk in log.chunks(13) {
            verifier.push(chunk).unwrap();
        }
        verifier.finish().unwrap();
        assert_eq!(verifier.tree().unwrap().entries(), tracker.tree().entries());
        assert_eq!(verifier.tree().unwrap().digest(), tracker.digest());
    }
    assert_eq!(reports[0], reports[1]);
}

#[test]
fn progress_is_pollable_and_reported_and_can_abort() {
    let tracker = common::tracker_storage(22, 50);
    let log = tracker.export_log(None, LogFormat::Binary);
    let seen: Rc<RefCell<Vec<Progress>>> = Rc::default();
    let sink = seen.clone();
    let reporting = options().progress_every(10).on_progress(move |p| {
        sink.borrow_mut().push(p);
        ControlFlow::Continue(())
    });
    let mut verifier = LogVerifier::new(reporting).unwrap();
    verifier.push(&log[..log.len() / 2]).unwrap();
    let halfway = verifier.progress();
    assert!(halfway.records > 0 && halfway.records < 50, "{halfway:?}");
    assert!(halfway.bytes <= log.len() as u64 / 2);
    verifier.push(&log[log.len() / 2..]).unwrap();
    verifier.finish().unwrap();
    assert_eq!(
        verifier.progress(),
        Progress {
            records: 50,
            bytes: log.len() as u64
        }
    );
    let records: Vec<u64> = seen.borrow().iter().map(|p| p.records).collect();
    assert_eq!(records, [10, 20, 30, 40, 50, 50]);

    // Breaking from the callback aborts verification.
    let aborting = options().progress_every(5).on_progress(|p| {
        if p.records >= 15 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    let err = verify_log(&log, aborting).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Aborted);
}

#[test]
fn expected_root_mismatch_and_truncation_at_a_record_boundary() {
    let tracker = common::tracker_storage(23, 30);
    for format in FORMATS {
        let log = tracker.export_log(None, format);
        let (_, offsets) = common::record_offsets(&log);
        // Cut after record 20: a valid log, but not the one committed on chain.
        let cut = (offsets[19].0 + offsets[19].1) as usize;
        let err = verify_log(&log[..cut], options().expect_root(tracker.digest())).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ExpectedRootMismatch, "{format:?}");
        let report = verify_log(&log[..cut], options()).unwrap();
        assert_eq!(report.last_sequence, 20);
        // Cut inside record 21.
        let err = verify_log(&log[..cut + 5], options()).unwrap_err();
        assert_eq!(
            (err.code(), err.sequence()),
            (ErrorCode::LogCorrupt, Some(21))
        );
        let offset = err.offset().unwrap();
        match format {
            LogFormat::Binary => assert_eq!(offset, offsets[20].0),
            // The JSON reader points where the cut line stops making sense.
            LogFormat::Ndjson => assert!((offsets[20].0..=cut as u64 + 5).contains(&offset)),
        }
    }
}

/// Every tampering is refused at the first bad record, with its code, its sequence as logged
/// and its byte offset; the tree stays at the last good record.
#[test]
fn the_first_bad_record_is_reported_with_code_sequence_and_offset() {
    let tracker = common::tracker_storage(24, 40);
    let log = tracker.log().to_vec();
    let update = log
        .iter()
        .position(|r| r.previous_value.is_some() && r.sequence_number > 5)
        .unwrap();

    let mut cases: Vec<(&str, Vec<TreeOperation>, usize, ErrorCode, u64)> = Vec::new();
    let mut reordered = log.clone();
    reordered.swap(10, 11);
    cases.push(("reordered", reordered, 10, ErrorCode::LogSequence, 12));
    let mut duplicated = log.clone();
    duplicated.insert(15, log[14].clone());
    cases.push(("duplicated", duplicated, 15, ErrorCode::LogSequence, 15));
    let mut dropped = log.clone();
    dropped.remove(20);
    cases.push(("dropped", dropped, 20, ErrorCode::LogSequence, 22));
    let mut forged = log.clone();
    forged[25].tree_root_after[3] ^= 1;
    cases.push(("root after", forged, 25, ErrorCode::RootAfterMismatch, 26));
    let mut forged = log.clone();
    forged[26].tree_root_before[0] ^= 1;
    cases.push(("root before", forged, 26, ErrorCode::RootBeforeMismatch, 27));
    let mut forged = log.clone();
    forged[update].previous_value = Some(vec![9; 8]);
    let seq = forged[update].sequence_number;
    cases.push((
        "previous value",
        forged,
        update,
        ErrorCode::PreviousValueMismatch,
        seq,
    ));
    // An insert of a key the tree already holds at that point.
    let replica = TreeStorage::recover(TreeShape::BASIS_TRACKER, log[..30].to_vec()).unwrap();
    let mut forged = log.clone();
    forged[30].operation_type = basis_trees::OperationType::Insert;
    forged[30].key = replica.tree().entries()[0].0.clone();
    forged[30].value = Some(vec![1; 8]);
    forged[30].previous_value = None;
    cases.push(("bad operation", forged, 30, ErrorCode::OperationFailed, 31));

    for format in FORMATS {
        for (name, records, index, code, sequence) in &cases {
            let bytes = log_of(records, format);
            let (_, offsets) = common::record_offsets(&bytes);
            let mut verifier = LogVerifier::new(options()).unwrap();
            let err = verifier.push(&bytes).unwrap_err();
            assert_eq!(err.code(), *code, "{format:?} {name}: {err}");
            assert_eq!(err.sequence(), Some(*sequence), "{format:?} {name}");
            assert_eq!(err.offset(), Some(offsets[*index].0), "{format:?} {name}");
            // Nothing after it was applied; the same error comes back.
            assert_eq!(
                verifier.tree().unwrap().digest(),
                log[*index - 1].tree_root_after,
                "{name}"
            );
            assert_eq!(verifier.finish().unwrap_err(), err);
        }
    }
}

#[test]
fn an_insert_of_an_existing_key_is_operation_failed() {
    let mut tracker = TreeStorage::new(TreeShape::BASIS_TRACKER).unwrap();
    tracker.insert(&[5; 32], &[1], 1).unwrap();
    tracker.insert(&[6; 32], &[1], 2).unwrap();
    let mut records = tracker.log().to_vec();
    records[1].key = vec![5; 32];
    let err = verify_log(&log_of(&records, LogFormat::Ndjson), options()).unwrap_err();
    assert_eq!(
        (err.code(), err.sequence()),
        (ErrorCode::OperationFailed, Some(2))
    );
}

#[test]
fn a_header_for_another_shape_is_shape_mismatch() {
    let tracker = common::tracker_storage(25, 10);
    for format in FORMATS {
        let log = tracker.export_log(None, format);
        let fixed = VerifierOptions::new(TreeShape::new(32, Some(8)).unwrap());
        let err = verify_log(&log, fixed).unwrap_err();
        assert_eq!(
            (err.code(), err.offset()),
            (ErrorCode::ShapeMismatch, Some(0))
        );
        let short_keys = VerifierOptions::new(TreeShape::new(16, None).unwrap());
        assert_eq!(
            verify_log(&log, short_keys).unwrap_err().code(),
            ErrorCode::ShapeMismatch
        );
    }
}

/// With `from_header`, the log says its own shape; what is asserted of it must hold, and a
/// mismatch names the shape asked for and the log's.
#[test]
fn the_shape_is_the_headers_and_assertions_are_checked() {
    let fixed = TreeShape::new(32, Some(8)).unwrap();
    let mut reserve = TreeStorage::new(fixed).unwrap();
    for n in 1..=20u8 {
        reserve.insert(&[n; 32], &[n; 8], u64::from(n)).unwrap();
    }
    for format in FORMATS {
        let log = reserve.export_log(None, format);
        let options = VerifierOptions::from_header().expect_root(reserve.digest());
        let mut verifier = LogVerifier::new(options).unwrap();
        verifier.push(&log).unwrap();
        assert_eq!(verifier.finish().unwrap().operations, 20);
        assert_eq!(verifier.shape(), fixed);
        assert_eq!(verifier.tree().unwrap().digest(), reserve.digest());
        let report = verify_log(&log, VerifierOptions::from_header().assert_key_length(32));
        assert_eq!(
            report.unwrap().start_root,
            TreeStorage::new(fixed).unwrap().digest()
        );
        let stateless = VerifierOptions::from_header().stateless();
        assert!(
            verify_log(&log, stateless).is_err(),
            "no proofs in this log"
        );

        let asked = VerifierOptions::from_header().assert_value_length(None);
        let err = verify_log(&log, asked).unwrap_err();
        assert_eq!(
            err.kind(),
            &basis_trees::ErrorKind::ShapeMismatch {
                expected: TreeShape::BASIS_TRACKER,
                actual: fixed
            }
        );
        assert_eq!(err.offset(), Some(0));
    }
    // A snapshot fixes the shape: assertions are of it.
    let snapshot = Snapshot::decode(&reserve.snapshot()).unwrap();
    let tail = reserve.export_log(Some(21), LogFormat::Binary);
    let from_snapshot = VerifierOptions::from_header().start_from(snapshot.clone());
    assert_eq!(verify_log(&tail, from_snapshot).unwrap().operations, 0);
    let wrong = VerifierOptions::from_header()
        .assert_key_length(16)
        .start_from(snapshot);
    assert_eq!(
        LogVerifier::new(wrong).unwrap_err().code(),
        ErrorCode::ShapeMismatch
    );
}

/// A failing record comes back with its error, decoded; a value longer than the reader's cap is
/// refused unless the cap is raised.
#[test]
fn the_failing_record_is_carried_and_values_are_capped() {
    let tracker = common::tracker_storage(26, 12);
    let mut records = tracker.log().to_vec();
    records[5].tree_root_after = records[0].tree_root_after;
    for format in FORMATS {
        let err = verify_log(&log_of(&records, format), options()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::RootAfterMismatch);
        assert_eq!(err.record(), Some(&records[5]));
    }
    let mut big = TreeStorage::new(TreeShape::BASIS_TRACKER).unwrap();
    big.insert(&[1; 32], &[2; 70_000], 1).unwrap();
    let log = big.export_log(None, LogFormat::Binary);
    let err = verify_log(&log, options()).unwrap_err();
    assert_eq!(
        (err.code(), err.sequence()),
        (ErrorCode::ValueLength, Some(1))
    );
    assert!(verify_log(&log, options().max_value_length(70_000)).is_ok());
    let lowered = options().max_record_length(100);
    assert_eq!(
        verify_log(&log, lowered).unwrap_err().code(),
        ErrorCode::LogCorrupt
    );
}

#[test]
fn resumes_from_a_snapshot_taken_mid_way() {
    let mut tracker = common::tracker_storage(26, 80);
    let checkpoint = tracker.checkpoint(1_800_000_000_000).unwrap();
    // Continue the tracker with 40 more changes.
    for i in 0..40u64 {
        let key = basis_trees::note_key(&i.to_be_bytes(), b"second half");
        tracker
            .insert(&key, &i.to_be_bytes(), 1_800_000_000_000 + i)
            .unwrap();
    }
    let snapshot_bytes = tracker.checkpoint_snapshot(checkpoint.id).unwrap();
    for format in FORMATS {
        let tail = tracker.export_log(Some(81), format);
        let snapshot = Snapshot::decode(&snapshot_bytes).unwrap();
        assert_eq!(
            (snapshot.sequence, snapshot.checkpoint.clone()),
            (80, Some(checkpoint.clone()))
        );
        let report = verify_log(
            &tail,
            options().start_from(snapshot).expect_root(tracker.digest()),
        )
        .unwrap();
        assert_eq!(report.operations, 40);
        assert_eq!((report.first_sequence, report.last_sequence), (81, 120));
        assert_eq!(report.start_root, checkpoint.tree_root);

        // The whole log does not follow the snapshot.
        let whole = tracker.export_log(None, format);
        let snapshot = Snapshot::decode(&snapshot_bytes).unwrap();
        let err = verify_log(&whole, options().start_from(snapshot)).unwrap_err();
        assert_eq!(
            (err.code(), err.offset()),
            (ErrorCode::LogSequence, Some(0))
        );

        // A tail whose header has no start: its first record must still follow the snapshot.
        let records = tracker.operations(Some(82), None).to_vec();
        let snapshot = Snapshot::decode(&snapshot_bytes).unwrap();
        let err =
            verify_log(&log_of(&records, format), options().start_from(snapshot)).unwrap_err();
        assert_eq!(
            (err.code(), err.sequence()),
            (ErrorCode::LogSequence, Some(82))
        );

        // Without the snapshot, the tail cannot be verified.
        let err = verify_log(&tail, options()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::LogSequence);
    }
    // A snapshot of another shape is refused up front.
    let other = basis_trees::Tree::new(TreeShape::new(32, Some(8)).unwrap()).unwrap();
    let snapshot = Snapshot::decode(&other.snapshot()).unwrap();
    let err = LogVerifier::new(options().start_from(snapshot)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ShapeMismatch);
}

#[test]
fn a_log_whose_start_root_is_not_the_start_state_is_refused() {
    let tracker = common::tracker_storage(28, 10);
    let header = LogHeader {
        format: LogFormat::Binary,
        shape: TreeShape::BASIS_TRACKER,
        start: Some(LogStart {
            sequence: 0,
            root: [7; 33],
        }),
    };
    let err = verify_log(&encode_log_with_header(&header, tracker.log()), options()).unwrap_err();
    assert_eq!(
        (err.code(), err.offset()),
        (ErrorCode::RootBeforeMismatch, Some(0))
    );
}

#[test]
fn an_empty_log_is_corrupt_and_a_header_alone_verifies_nothing() {
    let err = verify_log(b"", options()).unwrap_err();
    assert_eq!((err.code(), err.offset()), (ErrorCode::LogCorrupt, Some(0)));
    for format in FORMATS {
        let log = encode_log(&[], TreeShape::BASIS_TRACKER, format);
        let report = verify_log(&log, options()).unwrap();
        assert_eq!(
            (
                report.operations,
                report.first_sequence,
                report.last_sequence
            ),
            (0, 1, 0)
        );
        assert_eq!(report.final_root, report.start_root);
    }
}

#[test]
fn storage_recovers_from_a_checkpoint_snapshot_and_the_log_tail() {
    let mut tracker = common::tracker_storage(29, 60);
    let checkpoint = tracker.checkpoint(99).unwrap();
    let rest = common::tracker_storage(30, 25);
    for r in rest.log() {
        if r.operation_type == basis_trees::OperationType::Insert {
            tracker
                .insert(&r.key, r.value.as_ref().unwrap(), r.timestamp)
                .unwrap();
        }
    }
    let snapshot = tracker.checkpoint_snapshot(checkpoint.id).unwrap();
    for format in FORMATS {
        let tail = tracker.export_log(Some(checkpoint.sequence + 1), format);
        let recovered = TreeStorage::recover_from_snapshot(&snapshot, &tail).unwrap();
        assert_eq!(recovered.digest(), tracker.digest());
        assert_eq!(recovered.last_sequence(), tracker.last_sequence());
        assert_eq!(recovered.log(), tracker.operations(Some(61), None));
        assert_eq!(recovered.get_checkpoint(checkpoint.id), Some(&checkpoint));
        // The recovered storage exports the same tail.
        assert_eq!(recovered.export_log(None, format), tail);

        let mut bad_tail = tail.clone();
        let (_, offsets) = common::record_offsets(&tail);
        let at = offsets[3].0 as usize + 20;
        bad_tail[at] ^= 0x01;
        let err = TreeStorage::recover_from_snapshot(&snapshot, &bad_tail).unwrap_err();
        assert_eq!(err.offset().map(|o| o >= offsets[3].0), Some(true), "{err}");
    }
    let mut wrong_shape = TreeStorage::new(TreeShape::new(32, Some(8)).unwrap()).unwrap();
    wrong_shape.insert(&[1; 32], &[0; 8], 1).unwrap();
    let tail = wrong_shape.export_log(None, LogFormat::Binary);
    let err = TreeStorage::recover_from_snapshot(&snapshot, &tail).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ShapeMismatch);
}

/// Recovery reads the tail's header as the verifier does: a header that names another start than
/// the snapshot's state is refused at byte 0 with the verifier's code, even with no record after
/// it to give the mismatch away.
#[test]
fn storage_recovery_checks_the_tail_header_as_the_verifier_does() {
    let mut tracker = common::tracker_storage(32, 40);
    let checkpoint = tracker.checkpoint(7).unwrap();
    let snapshot = tracker.checkpoint_snapshot(checkpoint.id).unwrap();
    let earlier = tracker.log()[38].tree_root_before;
    let starts = [
        (checkpoint.sequence - 1, earlier, ErrorCode::LogSequence),
        (
            checkpoint.sequence + 1,
            checkpoint.tree_root,
            ErrorCode::LogSequence,
        ),
        (checkpoint.sequence, earlier, ErrorCode::RootBeforeMismatch),
    ];
    for format in FORMATS {
        for (sequence, root, code) in starts {
            let header = LogHeader {
                format,
                shape: TreeShape::BASIS_TRACKER,
                start: Some(LogStart { sequence, root }),
            };
            let tail = encode_log_with_header(&header, &[]);
            let recovered = TreeStorage::recover_from_snapshot(&snapshot, &tail).unwrap_err();
            let start = Snapshot::decode(&snapshot).unwrap();
            let verified = verify_log(&tail, options().start_from(start)).unwrap_err();
            assert_eq!((recovered.code(), recovered.offset()), (code, Some(0)));
            assert_eq!(recovered, verified);
        }
        // The header of the tail that does follow the snapshot is accepted.
        let tail = tracker.export_log(Some(checkpoint.sequence + 1), format);
        let recovered = TreeStorage::recover_from_snapshot(&snapshot, &tail).unwrap();
        assert_eq!(recovered.digest(), tracker.digest());
    }
}

#[test]
fn export_log_from_a_sequence_names_its_start() {
    let tracker = common::tracker_storage(31, 20);
    for format in FORMATS {
        let (header, records) =
            basis_trees::decode_log(&tracker.export_log(Some(15), format)).unwrap();
        assert_eq!(records, tracker.operations(Some(15), None));
        assert_eq!(
            header.start,
            Some(LogStart {
                sequence: 14,
                root: tracker.log()[13].tree_root_after
            })
        );
        let (header, records) =
            basis_trees::decode_log(&tracker.export_log(Some(21), format)).unwrap();
        assert!(records.is_empty());
        assert_eq!(
            header.start.map(|s| (s.sequence, s.root)),
            Some((20, tracker.digest()))
        );
    }
}

#[test]
fn finish_is_idempotent_and_later_bytes_are_refused() {
    let tracker = common::tracker_storage(32, 12);
    let log = tracker.export_log(None, LogFormat::Ndjson);
    let mut verifier = LogVerifier::new(options()).unwrap();
    verifier.push(&log).unwrap();
    let report = verifier.finish().unwrap();
    assert_eq!(verifier.finish().unwrap(), report);
    let err = verifier.push(b"{}\n").unwrap_err();
    assert_eq!(
        (err.code(), err.offset()),
        (ErrorCode::LogCorrupt, Some(log.len() as u64))
    );
    assert_eq!(verifier.finish().unwrap(), report);
    assert_eq!(verifier.tree().unwrap().digest(), tracker.digest());
}

/// After record 2^64-1 no record can follow, and the error says so — not that a record
/// numbered 0 was out of order where 2^64-1 was expected. A header whose start is not the
/// verifier's says which start each has.
#[test]
fn nothing_follows_record_2_to_the_64_minus_1_and_the_error_says_so() {
    let tracker = common::tracker_storage(41, 3);
    let snapshot = TreeStorage::resume(tracker.tree().clone(), u64::MAX).snapshot();
    let mut record = common::tracker_storage(42, 1).log()[0].clone();
    record.tree_root_before = tracker.digest();
    for sequence in [0, 1, u64::MAX] {
        record.sequence_number = sequence;
        for format in [LogFormat::Binary, LogFormat::Ndjson] {
            let log = basis_trees::encode_log(&[record.clone()], TreeShape::BASIS_TRACKER, format);
            let start = Snapshot::decode(&snapshot).unwrap();
            let err = verify_log(&log, options().start_from(start)).unwrap_err();
            assert_eq!(err.code(), ErrorCode::LogSequence, "{err}");
            let message = err.to_string();
            match sequence {
                // Its header says it starts after the record before it (for 0, names no start).
                1 | u64::MAX => assert!(
                    message.contains(&format!(
                        "the log starts after record {}, where it was to start after record \
                         18446744073709551615",
                        sequence - 1
                    )),
                    "{message}"
                ),
                _ => {
                    assert_eq!(err.sequence(), Some(sequence));
                    assert!(
                        message.contains("the last sequence number is 2^64-1")
                            && message.contains("none can follow"),
                        "{message}"
                    );
                }
            }
            assert!(
                !message.contains("where 18446744073709551615 was expected"),
                "{message}"
            );
        }
    }
}
