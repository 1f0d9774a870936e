//! Snapshots restore the exact tree (digest, entries, and the digests of every later change),
//! and every malformation is `SNAPSHOT_INVALID`, without a panic.

mod common;

use basis_trees::{debt_value, note_key, ErrorCode, Snapshot, Tree, TreeShape, TreeStorage};

/// Header length of a snapshot (docs/FORMAT.md): nodes start here.
const NODES_AT: usize = 83;

fn sample_tree(entries: u64, shape: TreeShape) -> Tree {
    let mut tree = Tree::new(shape).unwrap();
    for i in 0..entries {
        tree.insert(&note_key(&i.to_be_bytes(), b"x"), &debt_value(i * 7))
            .unwrap();
    }
    for i in (0..entries).step_by(3) {
        tree.remove(&note_key(&i.to_be_bytes(), b"x")).unwrap();
    }
    tree
}

#[test]
fn restores_the_exact_tree_and_its_future() {
    let fixed = TreeShape::new(32, Some(8)).unwrap();
    for (entries, shape) in [
        (0, TreeShape::BASIS_TRACKER),
        (1, TreeShape::BASIS_TRACKER),
        (2, fixed),
        (500, TreeShape::BASIS_TRACKER),
        (300, fixed),
    ] {
        let mut original = sample_tree(entries, shape);
        let bytes = original.snapshot();
        let mut restored = Tree::from_snapshot(&bytes).unwrap();
        assert_eq!(restored.digest(), original.digest());
        assert_eq!(restored.entries(), original.entries());
        assert_eq!(
            (restored.size(), restored.height(), restored.shape()),
            (original.size(), original.height(), shape)
        );
        assert_eq!(
            restored.snapshot(),
            bytes,
            "a restored tree writes the same snapshot"
        );
        // The same changes give the same digests: the shape was restored, not only the entries.
        let mut clone = restored.clone();
        for i in 0..60u64 {
            let key = note_key(&i.to_be_bytes(), b"later");
            original.insert(&key, &debt_value(i)).unwrap();
            restored.insert(&key, &debt_value(i)).unwrap();
            if i % 4 == 0 {
                let gone = note_key(&(i + 1).to_be_bytes(), b"x");
                assert_eq!(
                    original.remove_if_exists(&gone).unwrap(),
                    restored.remove_if_exists(&gone).unwrap()
                );
            }
            assert_eq!(restored.digest(), original.digest());
        }
        // The clone taken before those changes still holds the snapshot's tree.
        assert_eq!(
            Tree::from_snapshot(&bytes).unwrap().digest(),
            clone.digest()
        );
        clone.insert(&[9; 32], &debt_value(1)).unwrap();
    }
}

#[test]
fn snapshots_carry_sequence_and_checkpoint() {
    let mut storage = common::tracker_storage(41, 70);
    let checkpoint = storage.checkpoint(1_234).unwrap();
    let bytes = storage.checkpoint_snapshot(checkpoint.id).unwrap();
    storage.insert(&[3; 32], &debt_value(3), 1_235).unwrap();
    let snapshot = Snapshot::decode(&bytes).unwrap();
    assert_eq!(snapshot.sequence, 70);
    assert_eq!(snapshot.checkpoint, Some(checkpoint.clone()));
    assert_eq!(snapshot.tree.digest(), checkpoint.tree_root);
    assert_eq!(storage.checkpoint_snapshot(99), None);

    let current = Snapshot::decode(&storage.snapshot()).unwrap();
    assert_eq!((current.sequence, current.checkpoint), (71, None));
    assert_eq!(current.tree.digest(), storage.digest());
    let resumed = TreeStorage::resume(current.tree, current.sequence);
    assert_eq!(resumed.last_sequence(), 71);
}

fn assert_invalid(bytes: &[u8], what: &str) -> basis_trees::Error {
    let err = Tree::from_snapshot(bytes).unwrap_err();
    assert_eq!(err.code(), ErrorCode::SnapshotInvalid, "{what}: {err}");
    assert!(err.offset().is_some(), "{what}: {err}");
    err
}

#[test]
fn every_truncation_and_bit_flip_is_invalid() {
    let bytes = sample_tree(12, TreeShape::BASIS_TRACKER).snapshot();
    for cut in 0..bytes.len() {
        assert_invalid(&bytes[..cut], &format!("cut at {cut}"));
    }
    for i in 0..bytes.len() {
        for bit in 0..8 {
            let mut flipped = bytes.clone();
            flipped[i] ^= 1 << bit;
            assert_invalid(&flipped, &format!("byte {i} bit {bit}"));
        }
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_invalid(&longer, "a byte appended");
    assert_invalid(b"", "empty");
    assert_invalid(b"\x89BTLOG\r\n", "a log header");
}

/// The offsets of the stored nodes of a snapshot of a variable-value tree with 32-byte keys,
/// with each node's kind: `None` for a leaf, the balance for an internal node.
fn node_offsets(bytes: &[u8]) -> Vec<(usize, Option<i8>)> {
    let mut out = Vec::new();
    let mut at = NODES_AT;
    while at < bytes.len() - 4 {
        if bytes[at] == 2 {
            out.push((at, None));
            let len = u32::from_be_bytes(bytes[at + 33..at + 37].try_into().unwrap()) as usize;
            at += 1 + 32 + 4 + len;
        } else {
            out.push((at, Some(bytes[at] as i8)));
            at += 1;
        }
    }
    out
}

/// Structural defects behind a valid checksum: each is found and located before a node is built.
#[test]
fn structural_defects_are_invalid_and_located() {
    let tree = sample_tree(12, TreeShape::BASIS_TRACKER);
    let good = tree.snapshot();
    let nodes = node_offsets(&good);
    let leaves: Vec<usize> = nodes
        .iter()
        .filter(|n| n.1.is_none())
        .map(|n| n.0)
        .collect();
    let internals: Vec<(usize, i8)> = nodes.iter().filter_map(|n| n.1.map(|b| (n.0, b))).collect();
    let edit = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut bytes = good.clone();
        f(&mut bytes);
        common::fix_snapshot_crc(&mut bytes);
        bytes
    };

    // A wrong balance.
    let (at, balance) = internals[2];
    let bad = edit(&|b| b[at] = if balance == 0 { 1 } else { 0 });
    let err = assert_invalid(&bad, "balance");
    assert_eq!(err.offset(), Some(at as u64));
    // A byte that is neither a leaf tag nor a balance.
    let bad = edit(&|b| b[at] = 7);
    assert_eq!(assert_invalid(&bad, "tag").offset(), Some(at as u64));
    // Two leaves swapped: keys out of order.
    let (a, b_) = (leaves[3], leaves[4]);
    let bad = edit(&|b| {
        let (ka, kb) = (b[a + 1..a + 33].to_vec(), b[b_ + 1..b_ + 33].to_vec());
        b[a + 1..a + 33].copy_from_slice(&kb);
        b[b_ + 1..b_ + 33].copy_from_slice(&ka);
    });
    assert_eq!(assert_invalid(&bad, "order").offset(), Some(b_ as u64));
    // A duplicate key.
    let bad = edit(&|b| {
        let k = b[a + 1..a + 33].to_vec();
        b[b_ + 1..b_ + 33].copy_from_slice(&k);
    });
    assert_invalid(&bad, "duplicate key");
    // No sentinel first.
    let bad = edit(&|b| b[leaves[0] + 5] = 1);
    assert_eq!(
        assert_invalid(&bad, "sentinel").offset(),
        Some(leaves[0] as u64)
    );
    // The reserved all-0xFF key as the last leaf.
    let last = *leaves.last().unwrap();
    let bad = edit(&|b| b[last + 1..last + 33].fill(0xff));
    assert_eq!(assert_invalid(&bad, "+inf key").offset(), Some(last as u64));
    // A claimed digest that the nodes do not hash to.
    let bad = edit(&|b| b[50] ^= 1);
    assert!(assert_invalid(&bad, "digest")
        .to_string()
        .contains("hash to"));
    // The height byte of the digest.
    let bad = edit(&|b| b[74] ^= 1);
    assert_invalid(&bad, "height");
    // A wrong entry count.
    let bad = edit(&|b| b[82] ^= 1);
    assert_invalid(&bad, "count");
    // A value length running past the end.
    let bad = edit(&|b| b[leaves[2] + 33..leaves[2] + 37].copy_from_slice(&u32::MAX.to_be_bytes()));
    assert_eq!(
        assert_invalid(&bad, "value length").offset(),
        Some(leaves[2] as u64)
    );
    // The last internal node dropped: two trees remain.
    let root_at = internals.last().unwrap().0;
    let bad = edit(&|b| {
        b.remove(root_at);
    });
    assert_invalid(&bad, "missing root");
    // An internal node with nothing under it.
    let bad = edit(&|b| b.insert(NODES_AT, 0));
    assert_eq!(
        assert_invalid(&bad, "orphan internal").offset(),
        Some(NODES_AT as u64)
    );
    // Unknown flags, a value length without its flag, a bad key length, checkpoint fields
    // without their flag, another version.
    for (at, value, what) in [
        (11, 0x80, "flags"),
        (17, 1, "value length"),
        (13, 0, "key length"),
        (33, 1, "checkpoint"),
        (9, 2, "version"),
    ] {
        let bad = edit(&|b| b[at] = value);
        assert_invalid(&bad, what);
    }
    // A fixed-length tree whose sentinel value is not all zeros.
    let fixed = sample_tree(3, TreeShape::new(32, Some(8)).unwrap()).snapshot();
    let mut bad = fixed.clone();
    bad[NODES_AT + 1 + 32] = 1;
    common::fix_snapshot_crc(&mut bad);
    assert_eq!(
        assert_invalid(&bad, "fixed sentinel").offset(),
        Some(NODES_AT as u64)
    );
}

#[test]
fn the_header_is_as_documented() {
    let tree = sample_tree(5, TreeShape::BASIS_TRACKER);
    let bytes = tree.snapshot();
    assert_eq!(&bytes[..8], b"\x89BTSNP\r\n");
    assert_eq!(&bytes[8..10], &[0, 1]);
    assert_eq!(&bytes[12..14], &[0, 32]);
    assert_eq!(&bytes[42..75], &tree.digest());
    assert_eq!(
        u64::from_be_bytes(bytes[75..83].try_into().unwrap()),
        tree.size() as u64
    );
    let n = bytes.len();
    assert_eq!(
        u32::from_be_bytes(bytes[n - 4..].try_into().unwrap()),
        common::crc32c(&bytes[..n - 4])
    );
    // Post-order: the first node is the sentinel leaf, the last the root's balance.
    assert_eq!(bytes[NODES_AT], 2);
    assert_eq!(&bytes[NODES_AT + 1..NODES_AT + 33], &[0u8; 32]);
    assert!(matches!(bytes[n - 5], 0xff | 0x00 | 0x01));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// After any run of operations, the restored tree has the same digest, and the same next
        /// operations give the same digests.
        #[test]
        fn any_tree_restores_exactly(seed in any::<u64>(), n in 0usize..200) {
            let storage = common::tracker_storage(seed, n);
            let mut original = storage.tree().clone();
            let mut restored = Tree::from_snapshot(&original.snapshot()).unwrap();
            prop_assert_eq!(restored.digest(), original.digest());
            let next = common::tracker_storage(seed ^ 1, 30);
            for record in next.log() {
                let key = note_key(&record.key, b"next");
                original.insert_or_update(&key, &[1]).unwrap();
                restored.insert_or_update(&key, &[1]).unwrap();
                prop_assert_eq!(restored.digest(), original.digest());
            }
        }
    }
}
