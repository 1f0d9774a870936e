//! Fixed values that must never change, and one input for every error code.

mod common;

use basis_trees::{
    debt_value, from_hex, to_hex, ErrorCode, Tree, TreeShape, TreeStorage,
    EMPTY_BASIS_TRACKER_DIGEST,
};
use std::collections::BTreeSet;

const PINNED_DIGEST_AFTER_400: &str =
    "7e333c8b5da31614a82803006f32e01d043a8684fea59df9b5ac00e75be3827a09";

#[test]
fn empty_tracker_tree_digest() {
    let tree = Tree::new(TreeShape::BASIS_TRACKER).unwrap();
    assert_eq!(to_hex(&tree.digest()), EMPTY_BASIS_TRACKER_DIGEST);
    assert_eq!(
        EMPTY_BASIS_TRACKER_DIGEST,
        "4ec61f485b98eb87153f7c57db4f5ecd75556fddbc403b41acf8441fde8e160900"
    );
    assert_eq!((tree.size(), tree.height()), (0, 0));
}

#[test]
fn digest_depends_on_insertion_order_not_only_contents() {
    let keys: Vec<[u8; 32]> = (1u8..=8).map(|i| [i; 32]).collect();
    let build = |order: &[usize]| {
        let mut tree = Tree::new(TreeShape::BASIS_TRACKER).unwrap();
        for &i in order {
            tree.insert(&keys[i], &debt_value(i as u64)).unwrap();
        }
        tree
    };
    let ascending = build(&[0, 1, 2, 3, 4, 5, 6, 7]);
    let other = build(&[7, 6, 5, 4, 3, 2, 1, 0]);
    assert_eq!(ascending.entries(), other.entries());
    assert_ne!(ascending.digest(), other.digest());
}

#[test]
fn digest_equals_the_plain_ergo_prover_after_the_same_operations() {
    use ergo_avltree_rust::authenticated_tree_ops::AuthenticatedTreeOps;
    use ergo_avltree_rust::batch_avl_prover::BatchAVLProver;
    use ergo_avltree_rust::batch_node::{AVLTree, Node, NodeHeader};
    use ergo_avltree_rust::operation::{KeyValue, Operation};

    let mut prover = BatchAVLProver::new(
        AVLTree::new(
            |d| Node::LabelOnly(NodeHeader::new(Some(*d), None)),
            32,
            None,
        ),
        true,
    );
    let mut tree = Tree::new(TreeShape::BASIS_TRACKER).unwrap();
    let mut rng = common::SplitMix64(99);
    let mut keys = Vec::new();
    for i in 0..400u64 {
        let kv = |key: &[u8; 32], v: u64| KeyValue {
            key: bytes::Bytes::copy_from_slice(key),
            value: bytes::Bytes::copy_from_slice(&debt_value(v)),
        };
        if keys.is_empty() || rng.below(3) > 0 {
            let key = basis_trees::note_key(&i.to_be_bytes(), b"r");
            tree.insert(&key, &debt_value(i)).unwrap();
            prover
                .perform_one_operation(&Operation::Insert(kv(&key, i)))
                .unwrap();
            keys.push(key);
        } else if rng.below(2) == 0 {
            let key = keys[rng.below(keys.len() as u64) as usize];
            tree.update(&key, &debt_value(i * 7)).unwrap();
            prover
                .perform_one_operation(&Operation::Update(kv(&key, i * 7)))
                .unwrap();
        } else {
            let key = keys.swap_remove(rng.below(keys.len() as u64) as usize);
            tree.remove(&key).unwrap();
            prover
                .perform_one_operation(&Operation::Remove(bytes::Bytes::copy_from_slice(&key)))
                .unwrap();
        }
        if i % 50 == 0 {
            prover.generate_proof();
        }
        assert_eq!(
            tree.digest().to_vec(),
            prover.digest().unwrap().to_vec(),
            "after {i}"
        );
    }
    // Pinned so that any change to hashing, node layout or operation order shows up.
    assert_eq!(to_hex(&tree.digest()), PINNED_DIGEST_AFTER_400);
}

#[test]
fn every_error_code_is_produced_by_some_input() {
    let mut seen = BTreeSet::new();
    let shape = TreeShape::new(32, Some(8)).unwrap();
    let mut tree = Tree::new(shape).unwrap();
    let mut note = |code: ErrorCode| {
        seen.insert(code);
    };
    note(tree.insert(&[1; 31], &[0; 8]).unwrap_err().code());
    note(tree.insert(&[1; 32], &[0; 7]).unwrap_err().code());
    note(tree.insert(&[0; 32], &[0; 8]).unwrap_err().code());
    tree.insert(&[1; 32], &[0; 8]).unwrap();
    note(tree.insert(&[1; 32], &[0; 8]).unwrap_err().code());
    note(tree.remove(&[2; 32]).unwrap_err().code());
    note(from_hex("zz").unwrap_err().code());
    note(
        basis_trees::verify_proof(&tree.digest(), &[4], &[], shape)
            .unwrap_err()
            .code(),
    );

    let storage = common::tracker_storage(7, 20);
    let log = storage.log().to_vec();
    let recover = |records: Vec<_>| {
        TreeStorage::recover(TreeShape::BASIS_TRACKER, records)
            .unwrap_err()
            .code()
    };
    let mut gap = log.clone();
    gap.remove(3);
    note(recover(gap));
    let mut before = log.clone();
    before[4].tree_root_before[0] ^= 1;
    note(recover(before));
    let mut after = log.clone();
    after[4].tree_root_after[0] ^= 1;
    note(recover(after));
    let mut previous = log.clone();
    let update = previous
        .iter()
        .position(|r| r.previous_value.is_some())
        .unwrap();
    previous[update].previous_value = Some(debt_value(u64::MAX).to_vec());
    note(recover(previous));
    let mut failing = log.clone();
    failing[1] = failing[0].clone();
    failing[1].sequence_number = 2;
    failing[1].tree_root_before = failing[0].tree_root_after;
    note(recover(failing));

    // The formats and the log verifier.
    note(Tree::from_snapshot(b"not a snapshot").unwrap_err().code());
    let log = storage.export_log(None, basis_trees::LogFormat::Binary);
    let other_shape = basis_trees::VerifierOptions::new(TreeShape::new(16, None).unwrap());
    note(
        basis_trees::verify_log(&log, other_shape)
            .unwrap_err()
            .code(),
    );
    let wrong_root =
        basis_trees::VerifierOptions::new(TreeShape::BASIS_TRACKER).expect_root([1; 33]);
    note(
        basis_trees::verify_log(&log, wrong_root)
            .unwrap_err()
            .code(),
    );
    let aborting = basis_trees::VerifierOptions::new(TreeShape::BASIS_TRACKER)
        .on_progress(|_| std::ops::ControlFlow::Break(()));
    note(basis_trees::verify_log(&log, aborting).unwrap_err().code());

    let recorded: BTreeSet<&str> = seen.iter().map(|c| c.as_str()).collect();
    for code in [
        "KEY_LENGTH",
        "VALUE_LENGTH",
        "KEY_RESERVED",
        "KEY_EXISTS",
        "KEY_NOT_FOUND",
        "PROOF_INVALID",
        "LOG_CORRUPT",
        "LOG_SEQUENCE",
        "ROOT_BEFORE_MISMATCH",
        "ROOT_AFTER_MISMATCH",
        "PREVIOUS_VALUE_MISMATCH",
        "OPERATION_FAILED",
        "SNAPSHOT_INVALID",
        "SHAPE_MISMATCH",
        "EXPECTED_ROOT_MISMATCH",
        "ABORTED",
    ] {
        assert!(
            recorded.contains(code),
            "{code} not produced; got {recorded:?}"
        );
    }
}
