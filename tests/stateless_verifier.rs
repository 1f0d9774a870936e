//! `LogVerifier` in stateless mode: each record checked by its own proof, no tree held.

use basis_trees::{
    debt_value, note_key, ErrorCode, LogFormat, LogVerifier, Tree, TreeShape, TreeStorage,
    VerifierOptions,
};

fn tracker_with_proofs(records: u64) -> TreeStorage {
    let mut tracker = TreeStorage::with_proofs(TreeShape::BASIS_TRACKER).unwrap();
    let key = |i: u64| note_key(&(i % 40).to_be_bytes(), b"recipient");
    for i in 0..records {
        let k = key(i);
        if tracker.tree().get(&k).unwrap().is_none() {
            tracker.insert(&k, &debt_value(i), i).unwrap();
        } else if i % 3 == 0 {
            tracker.remove(&k, i).unwrap();
        } else {
            tracker.update(&k, &debt_value(i * 10), i).unwrap();
        }
    }
    tracker
}

fn verify(log: &[u8], options: VerifierOptions) -> basis_trees::Result<basis_trees::Report> {
    let mut verifier = LogVerifier::new(options)?;
    for chunk in log.chunks(333) {
        verifier.push(chunk)?;
    }
    assert!(
        verifier.tree().is_none(),
        "a stateless verifier holds no tree"
    );
    verifier.finish()
}

#[test]
fn a_log_with_proofs_verifies_statelessly_to_the_same_report() {
    let tracker = tracker_with_proofs(300);
    for format in [LogFormat::Binary, LogFormat::Ndjson] {
        let log = tracker.export_log(None, format);
        let stateful = basis_trees::verify_log(
            &log,
            VerifierOptions::new(TreeShape::BASIS_TRACKER).expect_root(tracker.digest()),
        )
        .unwrap();
        let stateless = verify(
            &log,
            VerifierOptions::new(TreeShape::BASIS_TRACKER)
                .stateless()
                .expect_root(tracker.digest()),
        )
        .unwrap();
        assert_eq!(stateless, stateful, "{format:?}");
        assert_eq!(stateless.operations, 300);
    }
}

#[test]
fn a_record_without_proof_is_refused_at_its_sequence() {
    let mut tracker = tracker_with_proofs(20);
    tracker.set_emit_proofs(false);
    tracker.insert(&[7; 32], &debt_value(1), 99).unwrap();
    let log = tracker.export_log(None, LogFormat::Binary);
    let options = VerifierOptions::new(TreeShape::BASIS_TRACKER).stateless();
    let err = verify(&log, options).unwrap_err();
    assert_eq!(
        (err.code(), err.sequence()),
        (ErrorCode::ProofInvalid, Some(21))
    );
    assert!(err.offset().is_some());
}

#[test]
fn each_defect_is_refused_with_its_code_and_sequence() {
    let tracker = tracker_with_proofs(60);
    let records = tracker.log().to_vec();
    let shape = TreeShape::BASIS_TRACKER;
    let encode = |records: &[basis_trees::TreeOperation]| {
        basis_trees::encode_log(records, shape, LogFormat::Binary)
    };
    let options = || VerifierOptions::new(shape).stateless();

    let mut forged = records.clone();
    let proof = forged[30].proof.as_mut().unwrap();
    let middle = proof.len() / 2;
    proof[middle] ^= 0x10;
    let err = verify(&encode(&forged), options()).unwrap_err();
    assert_eq!(
        (err.code(), err.sequence()),
        (ErrorCode::ProofInvalid, Some(31))
    );

    let mut forged = records.clone();
    forged[40].tree_root_after[3] ^= 1;
    let err = verify(&encode(&forged), options()).unwrap_err();
    assert_eq!(
        (err.code(), err.sequence()),
        (ErrorCode::RootAfterMismatch, Some(41))
    );

    // A consistent forgery of one record (its own proof, roots and value all agree) still breaks
    // the chain: the next record's root before is not the forged root after.
    let mut forged = records.clone();
    let mut other = Tree::new(shape).unwrap();
    other.insert(&[9; 32], &debt_value(5)).unwrap();
    forged[10].tree_root_before = other.digest();
    let err = verify(&encode(&forged), options()).unwrap_err();
    assert_eq!(
        (err.code(), err.sequence()),
        (ErrorCode::RootBeforeMismatch, Some(11))
    );

    let mut forged = records.clone();
    forged.remove(20);
    let err = verify(&encode(&forged), options()).unwrap_err();
    assert_eq!(
        (err.code(), err.sequence()),
        (ErrorCode::LogSequence, Some(22))
    );

    let err = verify(
        &encode(&records),
        options().expect_root(Tree::new(shape).unwrap().digest()),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ExpectedRootMismatch);
}

#[test]
fn a_tail_verifies_from_a_trusted_root_without_the_tree() {
    let tracker = tracker_with_proofs(100);
    let checkpoint = tracker.log()[49].clone();
    let tail = tracker.export_log(Some(51), LogFormat::Binary);
    let report = verify(
        &tail,
        VerifierOptions::new(TreeShape::BASIS_TRACKER)
            .stateless()
            .start_at(50, checkpoint.tree_root_after)
            .expect_root(tracker.digest()),
    )
    .unwrap();
    assert_eq!((report.first_sequence, report.last_sequence), (51, 100));
    assert_eq!(report.start_root, checkpoint.tree_root_after);

    // From the wrong root, the tail is refused before its first record.
    let err = verify(
        &tail,
        VerifierOptions::new(TreeShape::BASIS_TRACKER)
            .stateless()
            .start_at(50, tracker.log()[48].tree_root_after),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::RootBeforeMismatch);
}
