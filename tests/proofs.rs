//! Batch proofs: byte-identical to Ergo's prover, accepted by Ergo's verifier and ours, bound to
//! their digest and keys, and usable one record at a time.

mod common;
mod differential;

use basis_trees::{
    debt_value, from_hex, verify_proof, verify_record_proof, ErrorCode, ErrorKind, Operation,
    ProofError, Tree, TreeShape, TreeStorage, EMPTY_BASIS_TRACKER_DIGEST,
};
use differential::{crate_verify, to_ergo, CrateOutcome, Rng};
use ergo_avltree_rust::authenticated_tree_ops::AuthenticatedTreeOps;
use ergo_avltree_rust::batch_avl_prover::BatchAVLProver;
use ergo_avltree_rust::batch_node::{AVLTree, Node, NodeHeader};

const RESERVE: TreeShape = TreeShape {
    key_length: 32,
    value_length: Some(8),
};

fn raw_prover(shape: TreeShape) -> BatchAVLProver {
    BatchAVLProver::new(
        AVLTree::new(
            |d| Node::LabelOnly(NodeHeader::new(Some(*d), None)),
            shape.key_length,
            shape.value_length,
        ),
        false,
    )
}

fn key(i: u64) -> Vec<u8> {
    basis_trees::note_key(&i.to_be_bytes(), b"recipient").to_vec()
}

fn lookup(key: &[u8]) -> Operation {
    Operation::Lookup { key: key.to_vec() }
}

fn proof_error(err: &basis_trees::Error) -> &ProofError {
    match err.kind() {
        ErrorKind::ProofInvalid { reason } => reason,
        other => panic!("expected PROOF_INVALID, got {other:?}"),
    }
}

/// A tree of `shape` with `n` entries and the raw prover after the same inserts.
fn tree_and_prover(shape: TreeShape, n: u64) -> (Tree, BatchAVLProver) {
    let mut tree = Tree::new(shape).unwrap();
    let mut prover = raw_prover(shape);
    for i in 0..n {
        let op = Operation::Insert {
            key: key(i),
            value: debt_value(i).to_vec(),
        };
        tree.apply(&op).unwrap();
        prover.perform_one_operation(&to_ergo(&op)).unwrap();
    }
    prover.generate_proof();
    (tree, prover)
}

#[test]
fn tree_prove_gives_the_bytes_of_batch_avl_prover() {
    let mut rng = Rng(11);
    for round in 0..30u64 {
        let (mut tree, mut prover) = tree_and_prover(RESERVE, 20 + round * 7);
        let mut operations = Vec::new();
        for i in 0..1 + rng.below(12) as u64 {
            let existing = key(rng.below(20) as u64);
            let fresh = key(10_000 + round * 100 + i);
            let value = debt_value(rng.next_u64()).to_vec();
            let op = match rng.below(6) {
                0 => lookup(&existing),
                1 => Operation::Insert { key: fresh, value },
                2 => Operation::Update {
                    key: existing,
                    value,
                },
                3 => Operation::InsertOrUpdate {
                    key: if rng.chance(50) { existing } else { fresh },
                    value,
                },
                4 => Operation::RemoveIfExists { key: fresh },
                _ => Operation::RemoveIfExists { key: existing },
            };
            operations.push(op);
        }
        // Keys may repeat: keep only what succeeds in sequence, as the prover would.
        let mut ok = Vec::new();
        for op in &operations {
            if prover.perform_one_operation(&to_ergo(op)).is_ok() {
                ok.push(op.clone());
            }
        }
        let expected = prover.generate_proof();
        let batch = tree.prove(&ok).unwrap();
        assert_eq!(batch.proof, expected.to_vec(), "round {round}");
        assert_eq!(
            batch.digest_after.to_vec(),
            prover.digest().unwrap().to_vec()
        );
    }
}

#[test]
fn our_proofs_verify_in_the_crate_and_the_crates_verify_here() {
    let (mut tree, mut prover) = tree_and_prover(TreeShape::BASIS_TRACKER, 200);
    let operations = vec![
        lookup(&key(3)),
        Operation::Update {
            key: key(4),
            value: b"four".to_vec(),
        },
        Operation::Remove { key: key(5) },
        Operation::Insert {
            key: key(500),
            value: vec![],
        },
        Operation::RemoveIfExists { key: key(501) },
        Operation::InsertOrUpdate {
            key: key(6),
            value: vec![6; 100],
        },
    ];
    let digest = tree.digest();

    // The crate's prover → our verifier.
    for op in &operations {
        prover.perform_one_operation(&to_ergo(op)).unwrap();
    }
    let theirs = prover.generate_proof();
    let verified = verify_proof(&digest, &theirs, &operations, TreeShape::BASIS_TRACKER).unwrap();
    assert_eq!(verified.digest.to_vec(), prover.digest().unwrap().to_vec());

    // Our prover → the crate's verifier.
    let batch = tree.prove(&operations).unwrap();
    match crate_verify(TreeShape::BASIS_TRACKER, &digest, &batch.proof, &operations) {
        CrateOutcome::Accepted { digest, results } => {
            assert_eq!(digest, batch.digest_after.to_vec());
            assert_eq!(results, batch.results);
        }
        other => panic!("crate refused our proof: {other:?}"),
    }
    assert_eq!(
        batch.results,
        vec![
            Some(debt_value(3).to_vec()),
            Some(debt_value(4).to_vec()),
            Some(debt_value(5).to_vec()),
            None,
            None,
            Some(debt_value(6).to_vec()),
        ]
    );
    assert_eq!(verified.results, batch.results);
}

fn read_ops(name: &str) -> Vec<Operation> {
    let path = format!("{}/tests/vectors/scala/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split(' ').collect();
            match fields.as_slice() {
                ["insert", k, v] => Operation::Insert {
                    key: from_hex(k).unwrap(),
                    value: from_hex(v).unwrap(),
                },
                ["remove", k] => Operation::Remove {
                    key: from_hex(k).unwrap(),
                },
                _ => panic!("bad line {line}"),
            }
        })
        .collect()
}

fn read_proof(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/vectors/scala/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn scala_proofs_verify_here_and_tree_prove_reproduces_them() {
    let shape = TreeShape::BASIS_TRACKER;
    let (ops1, ops2) = (read_ops("proof1.ops"), read_ops("proof2.ops"));
    let (proof1, proof2) = (read_proof("proof1.dmp"), read_proof("proof2.dmp"));

    let empty = from_hex(EMPTY_BASIS_TRACKER_DIGEST).unwrap();
    let after1 = verify_proof(&empty, &proof1, &ops1, shape).unwrap();
    let after2 = verify_proof(&after1.digest, &proof2, &ops2, shape).unwrap();
    assert!(after1.results.iter().all(Option::is_none), "inserts");
    assert!(ops2
        .iter()
        .zip(&after2.results)
        .all(|(op, result)| matches!(op, Operation::Remove { .. }) == result.is_some()));

    let mut tree = Tree::new(shape).unwrap();
    let batch1 = tree.prove(&ops1).unwrap();
    assert_eq!(batch1.proof, proof1);
    assert_eq!(batch1.digest_after, after1.digest);
    let batch2 = tree.prove(&ops2).unwrap();
    assert_eq!(batch2.proof, proof2);
    assert_eq!(batch2.digest_after, after2.digest);
    assert_eq!(batch2.results, after2.results);

    // Both stop verifying when one operation is left out, or a byte changes.
    assert!(verify_proof(&after1.digest, &proof2, &ops2[1..], shape).is_err());
    let mut flipped = proof2.clone();
    flipped[proof2.len() / 2] ^= 0x10;
    assert!(verify_proof(&after1.digest, &flipped, &ops2, shape).is_err());
}

/// A proof for another tree says which label it hashes to and which one it was checked against.
#[test]
fn a_digest_mismatch_names_the_computed_and_the_expected_label() {
    let (tree, _) = tree_and_prover(RESERVE, 20);
    let (mut other, _) = tree_and_prover(RESERVE, 20);
    other.update(&key(3), &debt_value(4)).unwrap();
    let proof = tree.prove_lookup(&[key(1)]).unwrap();
    let err = verify_proof(&other.digest(), &proof, &[lookup(&key(1))], RESERVE).unwrap_err();
    let label = |digest: basis_trees::Digest| <[u8; 32]>::try_from(&digest[..32]).unwrap();
    assert_eq!(
        proof_error(&err),
        &ProofError::DigestMismatch {
            computed: label(tree.digest()),
            expected: label(other.digest()),
        }
    );
    let message = err.to_string();
    assert!(
        message.contains(&basis_trees::to_hex(&tree.digest()[..32])),
        "{message}"
    );
    assert!(
        message.contains(&basis_trees::to_hex(&other.digest()[..32])),
        "{message}"
    );
}

#[test]
fn a_proof_never_verifies_against_another_trees_digest() {
    let (tree, _) = tree_and_prover(RESERVE, 50);
    let (mut other, _) = tree_and_prover(RESERVE, 50);
    other.update(&key(7), &debt_value(8)).unwrap();
    let proof = tree.prove_lookup(&[key(1)]).unwrap();
    let ops = [lookup(&key(1))];
    assert!(verify_proof(&tree.digest(), &proof, &ops, RESERVE).is_ok());
    let err = verify_proof(&other.digest(), &proof, &ops, RESERVE).unwrap_err();
    assert!(matches!(
        proof_error(&err),
        ProofError::DigestMismatch { .. }
    ));
    // Against the empty tree (height 0) the proof also carries too many nodes.
    let empty = Tree::new(RESERVE).unwrap().digest();
    let err = verify_proof(&empty, &proof, &ops, RESERVE).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ProofInvalid);
    let err = verify_proof(&tree.digest()[..32], &proof, &ops, RESERVE).unwrap_err();
    assert_eq!(proof_error(&err), &ProofError::DigestLength { actual: 32 });
}

#[test]
fn a_proof_for_one_key_never_answers_for_another() {
    let (tree, _) = tree_and_prover(RESERVE, 64);
    let digest = tree.digest();
    for a in [0u64, 17, 63] {
        let proof = tree.prove_lookup(&[key(a)]).unwrap();
        for b in 0..64u64 {
            let result = verify_proof(&digest, &proof, &[lookup(&key(b))], RESERVE);
            if a == b {
                assert_eq!(result.unwrap().results, vec![Some(debt_value(a).to_vec())]);
            } else {
                let err = result.unwrap_err();
                assert_eq!(err.code(), ErrorCode::ProofInvalid, "{a} vs {b}");
            }
        }
        // An absent key: the proof either shows it absent (it lies in the same gap) or fails.
        let mut rng = Rng(a);
        for _ in 0..200 {
            let absent = rng.bytes(32);
            if let Ok(verified) = verify_proof(&digest, &proof, &[lookup(&absent)], RESERVE) {
                assert_eq!(verified.results, vec![None]);
                assert_eq!(tree.get(&absent).unwrap(), None);
            }
        }
    }
}

#[test]
fn prove_is_all_or_nothing_and_leaves_later_proofs_exact() {
    let (mut tree, mut prover) = tree_and_prover(RESERVE, 40);
    let before = tree.digest();
    let err = tree
        .prove(&[
            Operation::Remove { key: key(1) },
            Operation::Insert {
                key: key(2),
                value: debt_value(0).to_vec(),
            },
        ])
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeyExists);
    assert_eq!(tree.digest(), before);
    assert_eq!(tree.get(&key(1)).unwrap(), Some(debt_value(1).to_vec()));

    let err = tree.prove_lookup(&[key(1), vec![1; 31]]).unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeyLength);
    let lookup_proof = tree.prove_lookup(&[key(1), key(2)]).unwrap();
    assert_eq!(tree.digest(), before);

    // The tree's next proof is still the prover's, byte for byte.
    let ops = [Operation::Remove { key: key(3) }];
    let batch = tree.prove(&ops).unwrap();
    prover.perform_one_operation(&to_ergo(&ops[0])).unwrap();
    assert_eq!(batch.proof, prover.generate_proof().to_vec());
    let verified = verify_proof(
        &before,
        &lookup_proof,
        &[lookup(&key(1)), lookup(&key(2))],
        RESERVE,
    )
    .unwrap();
    assert_eq!(verified.digest, before);
}

#[test]
fn every_removal_verifies_and_agrees_with_the_crate() {
    // Removing each key of trees of several sizes walks every delete case: leaf on either side,
    // the key's node deep above its leaf, single and double rotations on the way up.
    for n in [1u64, 2, 3, 5, 8, 13, 31, 64] {
        let (tree, _) = tree_and_prover(RESERVE, n);
        for i in 0..n {
            let mut copy = tree.clone();
            let ops = [Operation::Remove { key: key(i) }];
            let batch = copy.prove(&ops).unwrap();
            let (verdict, verified) =
                differential::check(RESERVE, &batch.digest_before, &batch.proof, &ops).unwrap();
            assert_eq!(verdict, differential::Verdict::BothAccepted);
            assert_eq!(verified.unwrap().digest, batch.digest_after);
        }
    }
}

#[test]
fn malformed_operations_are_refused_before_the_proof() {
    let (tree, _) = tree_and_prover(RESERVE, 5);
    let proof = tree.prove_lookup(&[key(1)]).unwrap();
    let digest = tree.digest();
    let check = |op: Operation| verify_proof(&digest, &proof, &[op], RESERVE).unwrap_err();
    assert_eq!(check(lookup(&[1; 31])).code(), ErrorCode::KeyLength);
    assert_eq!(check(lookup(&[0; 32])).code(), ErrorCode::KeyReserved);
    assert_eq!(check(lookup(&[0xff; 32])).code(), ErrorCode::KeyReserved);
    let wrong_value = Operation::Update {
        key: key(1),
        value: vec![1; 7],
    };
    assert_eq!(check(wrong_value.clone()).code(), ErrorCode::ValueLength);
    // The crate's verifier panics on this one.
    let ops = [wrong_value];
    assert!(matches!(
        crate_verify(RESERVE, &digest, &proof, &ops),
        CrateOutcome::Panicked
    ));
}

#[test]
fn each_defect_has_its_own_reason() {
    let (tree, _) = tree_and_prover(RESERVE, 30);
    let digest = tree.digest();
    let ops = [lookup(&key(9))];
    let proof = tree.prove_lookup(&[key(9)]).unwrap();
    let reason = |proof: &[u8], ops: &[Operation]| {
        proof_error(&verify_proof(&digest, proof, ops, RESERVE).unwrap_err()).clone()
    };

    assert_eq!(reason(&[], &ops), ProofError::Truncated { offset: 0 });
    assert!(matches!(
        reason(&proof[..40], &ops),
        ProofError::Truncated { .. }
    ));
    // The end-of-tree byte is where the directions begin; without them the walk stops.
    let end = differential::end_of_tree(&proof, RESERVE).unwrap();
    assert!(matches!(
        reason(&proof[..=end], &ops),
        ProofError::TruncatedDirections { operation: 0, .. }
    ));
    let mut bad_balance = proof.clone();
    bad_balance[end - 1] = 7;
    assert_eq!(
        reason(&bad_balance, &ops),
        ProofError::BadBalance {
            offset: end - 1,
            byte: 7
        }
    );
    assert_eq!(
        reason(&[0x00, 4], &ops),
        ProofError::MissingSubtree { offset: 0 }
    );
    // An untouched tree is a single label: enough for no operation, not for one.
    let nothing = tree.clone().prove(&[]).unwrap().proof;
    assert!(verify_proof(&digest, &nothing, &[], RESERVE).is_ok());
    assert_eq!(
        reason(&nothing, &ops),
        ProofError::LabelOnlyOnPath { operation: 0 }
    );
    // Proofs carrying far more nodes than the operations can visit are cut off.
    let everything: Vec<Vec<u8>> = (0..30).map(key).collect();
    let big = tree.prove_lookup(&everything).unwrap();
    assert!(matches!(
        reason(&big, &ops),
        ProofError::TooManyNodes { .. }
    ));
    // A proof that the key is there refutes an insert of it.
    let insert = [Operation::Insert {
        key: key(9),
        value: debt_value(1).to_vec(),
    }];
    assert!(matches!(
        reason(&proof, &insert),
        ProofError::OperationFailed { operation: 0, .. }
    ));
}

#[test]
fn extra_bytes_after_the_directions_are_ignored_as_by_ergo() {
    let (tree, _) = tree_and_prover(RESERVE, 30);
    let mut proof = tree.prove_lookup(&[key(4)]).unwrap();
    proof.extend([0xde, 0xad]);
    let verified = verify_proof(&tree.digest(), &proof, &[lookup(&key(4))], RESERVE).unwrap();
    assert_eq!(verified.results, vec![Some(debt_value(4).to_vec())]);
}

#[test]
fn storage_with_proofs_logs_records_that_verify_alone() {
    let shape = TreeShape::BASIS_TRACKER;
    let mut storage = TreeStorage::with_proofs(shape).unwrap();
    assert!(storage.emits_proofs());
    let mut replica = Tree::new(shape).unwrap();
    let mut rng = Rng(5);
    let mut live: Vec<Vec<u8>> = Vec::new();
    for i in 0..120u64 {
        let record = if live.is_empty() || rng.chance(50) {
            live.push(key(i));
            storage.insert(&key(i), &debt_value(i), i).unwrap().clone()
        } else if rng.chance(60) {
            let k = live[rng.below(live.len())].clone();
            storage.update(&k, &debt_value(i), i).unwrap().clone()
        } else {
            let k = live.swap_remove(rng.below(live.len()));
            storage.remove(&k, i).unwrap().clone()
        };
        verify_record_proof(shape, &record).unwrap();
        // The proof is exactly what Tree::prove gives for that one operation.
        let op = match record.operation_type {
            basis_trees::OperationType::Insert => Operation::Insert {
                key: record.key.clone(),
                value: record.value.clone().unwrap(),
            },
            basis_trees::OperationType::Update => Operation::Update {
                key: record.key.clone(),
                value: record.value.clone().unwrap(),
            },
            basis_trees::OperationType::Remove => Operation::Remove {
                key: record.key.clone(),
            },
        };
        assert_eq!(record.proof, Some(replica.prove(&[op]).unwrap().proof));
    }
    // Proofs do not change what replay sees: the log recovers as before.
    let recovered = TreeStorage::recover(shape, storage.log().to_vec()).unwrap();
    assert_eq!(recovered.digest(), storage.digest());
}

#[test]
fn record_proof_errors_name_the_record() {
    let shape = TreeShape::BASIS_TRACKER;
    let mut storage = TreeStorage::with_proofs(shape).unwrap();
    for i in 0..10 {
        storage.insert(&key(i), &debt_value(i), i).unwrap();
    }
    storage.update(&key(3), &debt_value(33), 11).unwrap();
    let record = storage.log()[10].clone();
    assert_eq!(record.sequence_number, 11);
    verify_record_proof(shape, &record).unwrap();
    let code_and_sequence = |r: &basis_trees::TreeOperation| {
        let err = verify_record_proof(shape, r).unwrap_err();
        (err.code(), err.sequence())
    };

    let mut previous = record.clone();
    previous.previous_value = Some(debt_value(4).to_vec());
    assert_eq!(
        code_and_sequence(&previous),
        (ErrorCode::PreviousValueMismatch, Some(11))
    );
    let mut after = record.clone();
    after.tree_root_after[5] ^= 1;
    assert_eq!(
        code_and_sequence(&after),
        (ErrorCode::RootAfterMismatch, Some(11))
    );
    let mut value = record.clone();
    value.value = Some(debt_value(34).to_vec());
    assert_eq!(
        code_and_sequence(&value),
        (ErrorCode::RootAfterMismatch, Some(11))
    );
    let mut before = record.clone();
    before.tree_root_before[0] ^= 1;
    assert_eq!(
        code_and_sequence(&before),
        (ErrorCode::ProofInvalid, Some(11))
    );
    let mut tampered = record.clone();
    if let Some(proof) = tampered.proof.as_mut() {
        let last = proof.len() - 1;
        proof[last] ^= 0xff;
    }
    assert_eq!(
        code_and_sequence(&tampered),
        (ErrorCode::ProofInvalid, Some(11))
    );
    let mut missing = record.clone();
    missing.proof = None;
    let err = verify_record_proof(shape, &missing).unwrap_err();
    assert_eq!(proof_error(&err), &ProofError::MissingProof);
    assert_eq!(err.sequence(), Some(11));

    // An insert of a key the proof shows present cannot be applied.
    let mut insert_existing = storage.log()[0].clone();
    insert_existing.sequence_number = 12;
    insert_existing.key = key(5);
    insert_existing.tree_root_before = storage.digest();
    insert_existing.proof = Some(storage.tree().prove_lookup(&[key(5)]).unwrap());
    assert_eq!(
        code_and_sequence(&insert_existing),
        (ErrorCode::OperationFailed, Some(12))
    );

    let plain = common::tracker_storage(3, 5);
    assert_eq!(plain.log()[0].proof, None);
}

#[test]
fn the_example_of_docs_proofs_md_is_exact() {
    let mut tree = Tree::new(RESERVE).unwrap();
    tree.insert(&[0x10; 32], &debt_value(5)).unwrap();
    tree.insert(&[0x20; 32], &debt_value(6)).unwrap();
    assert_eq!(
        basis_trees::to_hex(&tree.digest()),
        "b6698bbec0c96b3c5563b2da2fcb2c370ae68c92730cabec9f6acd091ac5d1da02"
    );
    let expected = [
        "03a2e3a951acdf26058f3b89228f0fec267713918c42d2ad9326d6bcb35a822df9",
        "03106dcb7a6481724de60494d9c58bd048242e67fdc46dd316f1489f8e6334a7fe",
        "02",
        &"20".repeat(32),
        &"ff".repeat(32),
        "0000000000000006",
        "00",
        "01",
        "04",
        "00",
    ]
    .concat();
    let proof = tree.prove_lookup(&[[0x20u8; 32]]).unwrap();
    assert_eq!(basis_trees::to_hex(&proof), expected);
    let verified = verify_proof(&tree.digest(), &proof, &[lookup(&[0x20; 32])], RESERVE).unwrap();
    assert_eq!(verified.results, vec![Some(debt_value(6).to_vec())]);
}
