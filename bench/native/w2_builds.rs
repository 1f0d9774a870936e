//! W2 batch build: `size` inserts into an empty tree, the digest at the end.

use crate::plain::{digest_of, ergo_operation, new_prover};
use crate::report::{median, Json};
use crate::workload::{shape, Kind, Workload};
use basis_trees::{Operation, Tree};
use std::time::Instant;

/// Measures W2 (`runs` builds per implementation); printed and recorded under `w2`.
pub fn run(workload: &Workload, runs: usize, entry: &mut Json) {
    let (ours, plain) = w2(workload, runs);
    let (ours, plain) = (median(ours), median(plain));
    println!(
        "size {}: W2 build inserts/s: ergo_avltree_rust {plain:.0}, basis_trees {ours:.0} \
         ({:.2}x)",
        workload.size,
        ours / plain
    );
    let mut w2 = Json::default();
    w2.number("ergo_avltree_rust", plain)
        .number("basis_trees", ours);
    entry.object("w2", w2);
}

/// W2: inserts/s building the prefill in one batch, digest at the end.
fn w2(workload: &Workload, runs: usize) -> (Vec<f64>, Vec<f64>) {
    let inserts: Vec<Operation> = workload
        .prefill
        .iter()
        .map(|(k, v)| Operation::Insert {
            key: k.to_vec(),
            value: v.to_vec(),
        })
        .collect();
    let mut ours = Vec::new();
    let mut plain = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let mut tree = Tree::new(shape()).expect("a tree");
        tree.apply_all(&inserts).expect("prefill applies");
        assert_eq!(tree.digest(), workload.start_root, "build digest");
        ours.push(workload.size as f64 / start.elapsed().as_secs_f64());
        drop(tree);

        let start = Instant::now();
        let mut prover = new_prover();
        for (key, value) in &workload.prefill {
            prover
                .perform_one_operation(&ergo_operation(Kind::Insert, key, value))
                .expect("prefill applies");
        }
        assert_eq!(digest_of(&prover), workload.start_root, "build digest");
        plain.push(workload.size as f64 / start.elapsed().as_secs_f64());
    }
    (ours, plain)
}
