//! W3: single-key lookup proofs of present keys, made (`Tree::prove_lookup`) and verified
//! (`verify_proof`) per second.

use crate::config::Config;
use crate::report::{median, Json};
use crate::workload::{shape, Key, Rng, Workload, SEED};
use basis_trees::{verify_proof, Operation, Tree};
use std::time::Instant;

/// Measures W3 on `tree` (the prefilled tree); printed and recorded under `w3`.
pub fn run(config: &Config, workload: &Workload, tree: &Tree, entry: &mut Json) {
    let (made, verified, proof_size) = w3(tree, workload, config.lookups, config.runs);
    let (made, verified) = (median(made), median(verified));
    println!(
        "size {}: W3 lookup proofs/s: made {made:.0}, verified {verified:.0} \
         ({proof_size:.0} bytes each)",
        workload.size
    );
    let mut w3 = Json::default();
    w3.number("made", made)
        .number("verified", verified)
        .number("proof_bytes", proof_size);
    entry.object("w3", w3);
}

/// W3: single-key lookup proofs of present keys, made with `Tree::prove_lookup` and checked
/// with `verify_proof`; proofs/s made and verified per run, and the mean proof size.
fn w3(tree: &Tree, workload: &Workload, count: usize, runs: usize) -> (Vec<f64>, Vec<f64>, f64) {
    let mut rng = Rng(SEED ^ 3);
    let keys: Vec<Key> = (0..count)
        .map(|_| workload.prefill[rng.below(workload.size)].0)
        .collect();
    let lookups: Vec<[Operation; 1]> = keys
        .iter()
        .map(|key| [Operation::Lookup { key: key.to_vec() }])
        .collect();
    let digest = tree.digest();
    let (mut made, mut verified, mut mean_size) = (Vec::new(), Vec::new(), 0.0);
    for _ in 0..runs {
        let start = Instant::now();
        let proofs: Vec<Vec<u8>> = keys
            .iter()
            .map(|key| tree.prove_lookup(&[key]).expect("a lookup proof"))
            .collect();
        made.push(count as f64 / start.elapsed().as_secs_f64());
        let start = Instant::now();
        for (proof, lookup) in proofs.iter().zip(&lookups) {
            let batch = verify_proof(&digest, proof, lookup, shape()).expect("the proof verifies");
            assert!(
                batch.results.first().is_some_and(Option::is_some),
                "key found"
            );
        }
        verified.push(count as f64 / start.elapsed().as_secs_f64());
        mean_size = proofs.iter().map(Vec::len).sum::<usize>() as f64 / count as f64;
    }
    assert_eq!(tree.digest(), digest, "lookups change nothing");
    (made, verified, mean_size)
}
