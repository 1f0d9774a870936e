//! The plain `ergo_avltree_rust` prover, driven as its users drive it: perform each operation,
//! read the digest, and ask for a proof every [`PROOF_EVERY`] records.

use crate::workload::{Digest, Key, Kind, Value, Workload, KEY_LENGTH, PROOF_EVERY, VALUE_LENGTH};
use bytes::Bytes;
use ergo_avltree_rust::authenticated_tree_ops::AuthenticatedTreeOps;
use ergo_avltree_rust::batch_avl_prover::BatchAVLProver;
use ergo_avltree_rust::batch_node::{AVLTree, Node, NodeHeader, NodeId};
use ergo_avltree_rust::operation::{KeyValue, Operation as ErgoOperation};

fn identity_resolver(digest: &[u8; 32]) -> Node {
    Node::LabelOnly(NodeHeader::new(Some(*digest), None))
}

pub fn new_prover() -> BatchAVLProver {
    BatchAVLProver::new(
        AVLTree::new(identity_resolver, KEY_LENGTH, Some(VALUE_LENGTH)),
        false,
    )
}

pub fn ergo_operation(kind: Kind, key: &Key, value: &Value) -> ErgoOperation {
    let key = Bytes::copy_from_slice(key);
    match kind {
        Kind::Insert => ErgoOperation::Insert(KeyValue {
            key,
            value: Bytes::copy_from_slice(value),
        }),
        Kind::Update => ErgoOperation::Update(KeyValue {
            key,
            value: Bytes::copy_from_slice(value),
        }),
        Kind::Remove => ErgoOperation::Remove(key),
    }
}

pub fn digest_of(prover: &BatchAVLProver) -> Digest {
    let mut digest = [0u8; 33];
    digest.copy_from_slice(&prover.digest().expect("the prover always has a root"));
    digest
}

/// The nodes whose label the next digest computes (internal, leaves): the changed nodes form a
/// subtree at the root, since every change relabels the whole path above it.
fn unlabelled(node: &NodeId) -> (u64, u64) {
    match &*node.borrow() {
        Node::Internal(n) if n.hdr.label.is_none() => {
            let (li, ll) = unlabelled(&n.left);
            let (ri, rl) = unlabelled(&n.right);
            (1 + li + ri, ll + rl)
        }
        Node::Leaf(n) if n.hdr.label.is_none() => (0, 1),
        _ => (0, 0),
    }
}

/// Runs the workload once through the plain prover, untimed: fills in every record's root and
/// counts the labels each digest computes.
pub fn reference_pass(workload: &mut Workload) {
    let mut prover = build_prover_with_proofs(&workload.prefill);
    workload.start_root = digest_of(&prover);
    for (i, record) in workload.records.iter_mut().enumerate() {
        prover
            .perform_one_operation(&ergo_operation(record.kind, &record.key, &record.value))
            .expect("generated records apply");
        let root = prover.base.tree.root.clone().expect("a root");
        let (internal, leaves) = unlabelled(&root);
        workload.hashed_internal += internal;
        workload.hashed_leaves += leaves;
        record.root_after = digest_of(&prover);
        if (i + 1) % PROOF_EVERY == 0 {
            prover.generate_proof();
        }
    }
}

/// The plain prover filled by a user who asks for a proof every [`PROOF_EVERY`] inserts.
pub fn build_prover_with_proofs(prefill: &[(Key, Value)]) -> BatchAVLProver {
    let mut prover = new_prover();
    for (i, (key, value)) in prefill.iter().enumerate() {
        prover
            .perform_one_operation(&ergo_operation(Kind::Insert, key, value))
            .expect("prefill keys are distinct");
        if (i + 1) % PROOF_EVERY == 0 {
            prover.generate_proof();
        }
    }
    prover.generate_proof();
    prover
}
