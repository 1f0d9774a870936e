//! A log checked against the tracker's on-chain commitments: digests (or registers, or boxes)
//! taken at several points of the log's history must each be reached, in order; the report says
//! at which record; one that is never reached, or reached out of order, fails with
//! `COMMITMENT_MISSING` and the last record checked.

mod common;

use basis_trees::{
    verify_log, Anchor, AvlTreeData, Commitment, Digest, ErrorCode, ErrorKind, LogFormat,
    LogVerifier, Report, TrackerCommitment, TreeShape, TreeStorage, VerifierOptions,
    EMPTY_BASIS_TRACKER_DIGEST,
};

const RECORDS: usize = 40;

/// A tracker's log and the root after each record (index 0: the empty tree's).
fn history() -> (TreeStorage, Vec<Digest>) {
    let storage = common::tracker_storage(11, RECORDS);
    let mut roots = vec![storage.log()[0].tree_root_before];
    roots.extend(storage.log().iter().map(|r| r.tree_root_after));
    (storage, roots)
}

/// The tree the tracker would post on chain at that root: a Basis tree (32-byte keys, values of
/// any length, insert and update allowed), as an `AvlTree` register read back.
fn on_chain(root: Digest) -> AvlTreeData {
    let tree = AvlTreeData {
        digest: root,
        key_length: 32,
        value_length: None,
        insert_allowed: true,
        update_allowed: true,
        remove_allowed: false,
    };
    AvlTreeData::from_register(&tree.to_register()).unwrap()
}

fn verify(log: &[u8], options: VerifierOptions) -> Result<Report, basis_trees::Error> {
    verify_log(log, options)
}

fn options() -> VerifierOptions {
    VerifierOptions::new(TreeShape::BASIS_TRACKER)
}

fn sequences(report: &Report) -> Vec<u64> {
    report.commitments.iter().map(|m| m.sequence).collect()
}

#[test]
fn finds_every_commitment_at_its_record() {
    let (storage, roots) = history();
    for format in [LogFormat::Binary, LogFormat::Ndjson] {
        let log = storage.export_log(None, format);
        let at = [0usize, 3, 7, 7, 19, RECORDS];
        let list: Vec<Commitment> = at.iter().map(|&i| Commitment::from(roots[i])).collect();
        let report = verify(&log, options().commitments(list.clone())).unwrap();
        assert_eq!(sequences(&report), [0, 3, 7, 7, 19, RECORDS as u64]);
        for (matched, commitment) in report.commitments.iter().zip(&list) {
            assert_eq!(matched.digest, commitment.digest);
        }
        // The same as registers read from the chain, and in chunks of any size.
        let registers: Vec<Commitment> = at.iter().map(|&i| on_chain(roots[i]).into()).collect();
        let mut verifier = LogVerifier::new(options().commitments(registers)).unwrap();
        for chunk in log.chunks(13) {
            verifier.push(chunk).unwrap();
        }
        assert_eq!(verifier.finish().unwrap(), report);
    }
    // No commitments: an empty list in the report.
    let log = storage.export_log(None, LogFormat::Binary);
    assert!(verify(&log, options()).unwrap().commitments.is_empty());
}

#[test]
fn the_empty_trees_digest_is_reached_before_any_record() {
    let (storage, _) = history();
    let empty: Digest = basis_trees::from_hex(EMPTY_BASIS_TRACKER_DIGEST)
        .unwrap()
        .try_into()
        .unwrap();
    let log = storage.export_log(None, LogFormat::Binary);
    let report = verify(&log, options().commitments([Commitment::from(empty)])).unwrap();
    assert_eq!(sequences(&report), [0]);
}

#[test]
fn a_commitment_never_reached_is_missing() {
    let (storage, roots) = history();
    let log = storage.export_log(None, LogFormat::Binary);
    let mut forged = roots[9];
    forged[0] ^= 1;
    let list = [roots[4], forged, roots[30]].map(Commitment::from);
    let err = verify(&log, options().commitments(list)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::CommitmentMissing);
    assert_eq!(
        err.sequence(),
        Some(RECORDS as u64),
        "the last record checked"
    );
    assert_eq!(
        err.kind(),
        &ErrorKind::CommitmentMissing {
            index: 1,
            digest: forged,
            previous: Some(4),
            seen_at: None,
        }
    );
    let text = err.to_string();
    assert!(
        text.contains("commitments[1]") && text.contains("not the tree's root"),
        "{text}"
    );
}

#[test]
fn commitments_out_of_order_are_missing_and_said_so() {
    let (storage, roots) = history();
    let log = storage.export_log(None, LogFormat::Binary);
    let list = [roots[5], roots[20], roots[12]].map(Commitment::from);
    let err = verify(&log, options().commitments(list)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::CommitmentMissing);
    assert_eq!(
        err.kind(),
        &ErrorKind::CommitmentMissing {
            index: 2,
            digest: roots[12],
            previous: Some(20),
            seen_at: Some(12),
        }
    );
    assert!(err.to_string().contains("out of order"), "{err}");
}

#[test]
fn a_commitment_after_the_logs_end_is_missing() {
    // The log stops at record 25; the chain has a later commitment (record 33's root).
    let (storage, roots) = history();
    let mut prefix = TreeStorage::new(TreeShape::BASIS_TRACKER).unwrap();
    for record in &storage.log()[..25] {
        prefix.append(record.clone()).unwrap();
    }
    let log = prefix.export_log(None, LogFormat::Binary);
    let list = [roots[10], roots[33]].map(Commitment::from);
    let err = verify(&log, options().commitments(list)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::CommitmentMissing);
    assert_eq!(err.sequence(), Some(25));
}

#[test]
fn stateless_verification_checks_commitments_too() {
    let mut storage = TreeStorage::with_proofs(TreeShape::BASIS_TRACKER).unwrap();
    for i in 1..=15u64 {
        let key = basis_trees::note_key(b"issuer", &i.to_be_bytes());
        match i % 3 {
            0 => storage
                .update(
                    &basis_trees::note_key(b"issuer", &(i - 1).to_be_bytes()),
                    &[9],
                    i,
                )
                .unwrap(),
            _ => storage
                .insert(&key, &basis_trees::debt_value(i), i)
                .unwrap(),
        };
    }
    let roots: Vec<Digest> = storage.log().iter().map(|r| r.tree_root_after).collect();
    let log = storage.export_log(None, LogFormat::Binary);
    let list = [roots[2], roots[14]].map(Commitment::from);
    let report = verify(&log, options().stateless().commitments(list)).unwrap();
    assert_eq!(sequences(&report), [3, 15]);
    let backwards = [roots[14], roots[2]].map(Commitment::from);
    let err = verify(&log, options().stateless().commitments(backwards)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::CommitmentMissing);
}

#[test]
fn an_expected_tree_must_have_the_logs_shape() {
    let (storage, roots) = history();
    let log = storage.export_log(None, LogFormat::Binary);
    let last = on_chain(roots[RECORDS]);
    verify(&log, options().expect_commitment(last)).unwrap();

    let mut fixed = last;
    fixed.value_length = Some(8);
    let err = verify(&log, options().expect_commitment(fixed)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ShapeMismatch);
    assert_eq!(
        err.kind(),
        &ErrorKind::ShapeMismatch {
            expected: TreeShape::new(32, Some(8)).unwrap(),
            actual: TreeShape::BASIS_TRACKER,
        }
    );
    // A commitment of the list is held to the same.
    let err = verify(&log, options().commitments([Commitment::from(fixed)])).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ShapeMismatch);
    // The right shape but another digest: the final root is not the one committed.
    let earlier = on_chain(roots[RECORDS - 1]);
    let err = verify(&log, options().expect_commitment(earlier)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ExpectedRootMismatch);
}

#[test]
fn a_tracker_box_is_a_commitment() {
    let (storage, roots) = history();
    let log = storage.export_log(None, LogFormat::Binary);
    let register = basis_trees::to_hex(&on_chain(roots[RECORDS]).to_register());
    let json = format!(
        r#"{{"additionalRegisters": {{"R4": "07024e564477ff457c601c01ad1cc31903f8b27b7d5e515bd03138891d8152d787b2", "R5": "{register}"}}}}"#
    );
    let commitment = TrackerCommitment::from_box_json(json.as_bytes()).unwrap();
    let report = verify(
        &log,
        options()
            .expect_commitment(commitment)
            .commitments([commitment]),
    )
    .unwrap();
    assert_eq!(sequences(&report), [RECORDS as u64]);
}

#[test]
fn from_a_snapshot_its_root_counts_at_its_sequence() {
    let (storage, roots) = history();
    let mut prefix = TreeStorage::new(TreeShape::BASIS_TRACKER).unwrap();
    for record in &storage.log()[..20] {
        prefix.append(record.clone()).unwrap();
    }
    let snapshot = basis_trees::Snapshot::decode(&prefix.snapshot()).unwrap();
    let tail = storage.export_log(Some(21), LogFormat::Binary);
    let list = [roots[20], roots[27]].map(Commitment::from);
    let report = verify(
        &tail,
        options().start_from(snapshot.clone()).commitments(list),
    )
    .unwrap();
    assert_eq!(sequences(&report), [20, 27]);
    // A commitment from before the snapshot cannot be checked by this log: it is missing.
    let before = [roots[5], roots[27]].map(Commitment::from);
    let err = verify(&tail, options().start_from(snapshot).commitments(before)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::CommitmentMissing);
}

/// The matcher against a model: for any list drawn from the log's history (in order, shuffled,
/// or with digests no tree had), verification succeeds exactly when the model finds each
/// commitment at or after the previous one, at the same records.
mod model {
    use super::*;
    use proptest::prelude::*;

    /// The earliest record at or after `from` whose root is `digest`, scanning the history.
    fn model(roots: &[Digest], list: &[Digest]) -> Result<Vec<u64>, usize> {
        let mut from = 0;
        let mut found = Vec::new();
        for (index, digest) in list.iter().enumerate() {
            match (from..roots.len()).find(|&i| roots[i] == *digest) {
                Some(i) => {
                    found.push(i as u64);
                    from = i;
                }
                None => return Err(index),
            }
        }
        Ok(found)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn agrees_with_a_scan_of_the_history(
            picks in proptest::collection::vec((0..=RECORDS, any::<bool>()), 0..8),
            sorted in any::<bool>(),
        ) {
            let (storage, roots) = history();
            let log = storage.export_log(None, LogFormat::Binary);
            let mut picks = picks;
            if sorted {
                picks.sort();
            }
            let list: Vec<Digest> = picks
                .iter()
                .map(|&(i, forged)| {
                    let mut digest = roots[i];
                    if forged && i % 5 == 0 {
                        digest[32] ^= 0x80;
                    }
                    digest
                })
                .collect();
            let result = verify(&log, options().commitments(list.iter().copied().map(Commitment::from)));
            match (model(&roots, &list), result) {
                (Ok(expected), Ok(report)) => prop_assert_eq!(sequences(&report), expected),
                (Err(index), Err(err)) => {
                    prop_assert_eq!(err.code(), ErrorCode::CommitmentMissing);
                    let ErrorKind::CommitmentMissing { index: at, .. } = err.kind() else {
                        panic!("{err}");
                    };
                    prop_assert_eq!(*at, index);
                    prop_assert_eq!(err.sequence(), Some(RECORDS as u64));
                }
                (model, result) => prop_assert!(false, "model {:?}, verifier {:?}", model, result),
            }
        }
    }
}

/// A log of another shape than the tracker's, verified with the shape taken from its header: the
/// commitments are matched against its own roots from its own empty tree on, never against the
/// empty root of the default shape.
#[test]
fn a_log_of_another_shape_starts_from_its_own_empty_root() {
    let shape = TreeShape::new(16, Some(8)).unwrap();
    for proofs in [false, true] {
        let mut storage = match proofs {
            false => TreeStorage::new(shape),
            true => TreeStorage::with_proofs(shape),
        }
        .unwrap();
        let empty = storage.digest();
        for i in 1..=6u64 {
            let mut key = [0x40; 16];
            key[..8].copy_from_slice(&i.to_be_bytes());
            storage.insert(&key, &(i * 7).to_be_bytes(), i).unwrap();
        }
        let last = storage.digest();
        let default_empty: Digest = basis_trees::from_hex(EMPTY_BASIS_TRACKER_DIGEST)
            .unwrap()
            .try_into()
            .unwrap();
        assert_ne!(empty, default_empty);
        let from_header = || match proofs {
            false => VerifierOptions::from_header(),
            true => VerifierOptions::from_header().stateless(),
        };
        for format in [LogFormat::Binary, LogFormat::Ndjson] {
            let log = storage.export_log(None, format);
            // verify_log, and a LogVerifier fed in small chunks.
            let run = |list: &[Digest]| {
                let whole = verify(&log, from_header().commitments(list.iter().copied()));
                let mut verifier =
                    LogVerifier::new(from_header().commitments(list.iter().copied())).unwrap();
                let pushed = log
                    .chunks(5)
                    .try_for_each(|chunk| verifier.push(chunk))
                    .and_then(|()| verifier.finish());
                assert_eq!(whole, pushed);
                whole
            };
            let report = run(&[empty, last]).unwrap();
            assert_eq!(sequences(&report), [0, 6]);
            let err = run(&[default_empty]).unwrap_err();
            assert_eq!(err.code(), ErrorCode::CommitmentMissing, "{err}");
            assert_eq!(err.sequence(), Some(6));
        }
    }
}

/// The report says what the final root was checked against: nothing, a digest, a tree or a box.
#[test]
fn the_report_names_its_anchor() {
    let (storage, roots) = history();
    let log = storage.export_log(None, LogFormat::Binary);
    let last = roots[RECORDS];
    let json = format!(
        r#"{{"additionalRegisters": {{"R4": "07024e564477ff457c601c01ad1cc31903f8b27b7d5e515bd03138891d8152d787b2", "R5": "{}"}}}}"#,
        basis_trees::to_hex(&on_chain(last).to_register())
    );
    let tracker_box = TrackerCommitment::from_box_json(json.as_bytes()).unwrap();
    let cases = [
        (options(), Anchor::None),
        (options().commitments([last]), Anchor::None),
        (options().expect_root(last), Anchor::Digest),
        (options().expect_commitment(last), Anchor::Digest),
        (options().expect_commitment(on_chain(last)), Anchor::Tree),
        (options().expect_commitment(tracker_box), Anchor::Box),
    ];
    for (options, anchor) in cases {
        let report = verify(&log, options).unwrap();
        assert_eq!(report.anchor, anchor);
    }
    let mut bare = options();
    bare.expect_root = Some(last);
    assert_eq!(verify(&log, bare).unwrap().anchor, Anchor::Digest);
    assert_eq!(
        [Anchor::None, Anchor::Digest, Anchor::Tree, Anchor::Box].map(Anchor::as_str),
        ["none", "digest", "tree", "box"]
    );
}
