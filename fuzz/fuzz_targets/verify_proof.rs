//! `verify_proof` against `ergo_avltree_rust`'s `BatchAVLVerifier` on inputs libFuzzer steers:
//! the rule of `tests/differential/` (ours never panics; same answer where the crate accepts;
//! PROOF_INVALID where it errs or panics) must hold for every input.
//!
//! Input: `[case][mode][rest…]`. `case` picks one of 32 honest batches (random trees of several
//! shapes, see `honest_case`); `mode` says what `rest` is:
//! - `0`: a whole proof, checked against the case's digest and operations;
//! - `1`: a whole proof, checked against its own packed tree's label (so the operations run);
//! - `2`: patches `(offset u16 BE, byte)` to the honest proof, against the honest digest;
//! - `3`: the same patches, re-anchored to the patched tree's label;
//! - otherwise: the seed of `mutant`, the differential test's own mutator.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

#[path = "../../tests/differential/mod.rs"]
mod differential;

use differential::{check, honest_case, mutant, packed_tree_label, Case, Rng};

fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let mut rng = Rng(0xf022);
        (0..32).map(|_| honest_case(&mut rng)).collect()
    })
}

fn anchored(proof: &[u8], case: &Case) -> Vec<u8> {
    match packed_tree_label(proof, case.shape) {
        Some(label) => {
            let mut digest = label.to_vec();
            digest.push(*case.digest.last().unwrap_or(&0));
            digest
        }
        None => case.digest.clone(),
    }
}

fn patched(proof: &[u8], patches: &[u8]) -> Vec<u8> {
    let mut out = proof.to_vec();
    for patch in patches.chunks_exact(3) {
        let offset = usize::from(u16::from_be_bytes([patch[0], patch[1]]));
        if let Some(byte) = out.get_mut(offset) {
            *byte = patch[2];
        } else if offset == out.len() {
            out.push(patch[2]);
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let [selector, mode, rest @ ..] = data else {
        return;
    };
    let cases = cases();
    let case = &cases[usize::from(*selector) % cases.len()];
    let (shape, digest, proof, operations) = match mode {
        0 => (
            case.shape,
            case.digest.clone(),
            rest.to_vec(),
            case.operations.clone(),
        ),
        1 => (
            case.shape,
            anchored(rest, case),
            rest.to_vec(),
            case.operations.clone(),
        ),
        2 => {
            let proof = patched(&case.proof, rest);
            (
                case.shape,
                case.digest.clone(),
                proof,
                case.operations.clone(),
            )
        }
        3 => {
            let proof = patched(&case.proof, rest);
            (
                case.shape,
                anchored(&proof, case),
                proof,
                case.operations.clone(),
            )
        }
        _ => {
            let mut seed = [0u8; 8];
            for (slot, byte) in seed.iter_mut().zip(rest) {
                *slot = *byte;
            }
            let m = mutant(&mut Rng(u64::from_le_bytes(seed)), case);
            (m.shape, m.digest, m.proof, m.operations)
        }
    };
    if let Err(violation) = check(shape, &digest, &proof, &operations) {
        panic!("{violation}");
    }
});
