//! `verify_proof` against `ergo_avltree_rust`'s `BatchAVLVerifier` on honest proofs and on
//! mutated, truncated, extended, re-anchored and random ones (see `tests/differential/`).
//!
//! `make test` runs the bounded test below; `make fuzz-proofs` runs the ignored one for as many
//! cases as `PROOF_CASES` asks (default 1,000,000).

mod differential;

use differential::{run_case, Rng, Tally, Verdict};

fn run(seed: u64, cases: u64) -> Tally {
    let mut rng = Rng(seed);
    let mut tally = Tally::default();
    while tally.cases < cases {
        run_case(&mut rng, 40, &mut tally);
    }
    eprintln!("proof differential, seed {seed}: {tally:?}");
    tally
}

#[test]
fn agrees_with_ergo_avltree_rust_on_100k_proofs() {
    let tally = run(0x5eed_0001, 100_000);
    // The mutants must reach every outcome, or the test would prove little.
    for verdict in [
        Verdict::BothAccepted,
        Verdict::BothRejected,
        Verdict::CratePanicked,
        Verdict::DifferBadBalance,
    ] {
        assert!(
            tally.count(verdict) > 0,
            "{verdict:?} never happened: {tally:?}"
        );
    }
}

#[test]
#[ignore = "long: run by `make fuzz-proofs`"]
fn agrees_with_ergo_avltree_rust_long_run() {
    let cases = std::env::var("PROOF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let seed = std::env::var("PROOF_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_0002);
    run(seed, cases);
}
