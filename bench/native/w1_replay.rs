//! W1 replay-verify: the prefilled tree, then each record applied and the digest computed and
//! compared after it. `basis_trees` runs `replay_record`, and `LogVerifier` over the binary log of
//! the prefill and the same records (the prefill's part is W5's replay); the plain crate runs
//! `perform_one_operation` + `digest` per record and `generate_proof` every [`PROOF_EVERY`]
//! records, as a user of `BatchAVLProver` would.

use crate::config::Config;
use crate::plain::{build_prover_with_proofs, digest_of, ergo_operation};
use crate::report::{median, Json};
use crate::workload::{shape, Workload, PROOF_EVERY};
use basis_trees::{
    replay_record, LogEncoder, LogFormat, LogHeader, LogVerifier, Tree, TreeOperation,
    VerifierOptions,
};
use std::time::Instant;

/// Measures W1 on `tree` (the prefilled tree) and `records`, and writes the binary log of
/// `prefill` and `records` for the wasm benchmarks. Printed and recorded under `w1`,
/// `hashes_per_op` and `hash_limit_ops`; returns the records/s of replaying the prefill through
/// `LogVerifier`, for W5.
pub fn run(
    config: &Config,
    workload: &Workload,
    tree: &Tree,
    prefill: Vec<TreeOperation>,
    records: &[TreeOperation],
    (internal_ns, leaf_ns): (f64, f64),
    entry: &mut Json,
) -> f64 {
    let size = workload.size;
    let log = log_of(&prefill, records, config.ops_per_run);
    drop(prefill);
    if let Some(out) = &config.out {
        std::fs::write(out.join(format!("log-{size}.bin")), &log.bytes).expect("log written");
        let ends: Vec<String> = log
            .run_ends
            .iter()
            .map(|(end, n)| format!("[{end}, {n}]"))
            .collect();
        let index = format!(
            "{{ \"header_end\": {}, \"prefill_end\": {}, \"run_ends\": [{}] }}\n",
            log.header_end,
            log.prefill_end,
            ends.join(", ")
        );
        std::fs::write(out.join(format!("log-{size}.json")), index).expect("log index written");
    }
    let count = workload.records.len() as f64;
    let internal_per_op = workload.hashed_internal as f64 / count;
    let leaves_per_op = workload.hashed_leaves as f64 / count;
    let limit = 1e9 / (internal_per_op * internal_ns + leaves_per_op * leaf_ns);

    let run = |side: &str| config.only.as_deref().map_or(true, |only| only == side);
    let ours = if run("basis_trees") {
        median(w1_basis_trees(tree.clone(), records, config))
    } else {
        f64::NAN
    };
    let plain = if run("ergo_avltree_rust") {
        median(w1_plain_crate(workload, config))
    } else {
        f64::NAN
    };
    let (replay, verifier) = if config.only.is_none() {
        let (replay, rates) = log_verifier(&log, workload);
        (replay, median(rates))
    } else {
        (f64::NAN, f64::NAN)
    };
    drop(log);
    println!(
        "size {size}: W1 records/s: ergo_avltree_rust {plain:.0}, replay_record {ours:.0} \
         ({:.2}x), LogVerifier {verifier:.0} ({:.2}x); labels/record {:.2} + {:.2} leaves; \
         hashing limit {limit:.0}/s (crate {:.0} %, replay_record {:.0} %, LogVerifier {:.0} %)",
        ours / plain,
        verifier / plain,
        internal_per_op,
        leaves_per_op,
        100.0 * plain / limit,
        100.0 * ours / limit,
        100.0 * verifier / limit,
    );
    let mut w1 = Json::default();
    w1.number("ergo_avltree_rust", plain)
        .number("basis_trees", ours)
        .number("log_verifier", verifier);
    entry.object("w1", w1);
    let mut hashes = Json::default();
    hashes
        .number("internal", internal_per_op)
        .number("leaf", leaves_per_op);
    entry.object("hashes_per_op", hashes);
    entry.number("hash_limit_ops", limit);
    replay
}

/// One binary log of the prefill's inserts followed by the W1 records, and where the prefill
/// and each run of W1 records end in it.
struct Log {
    bytes: Vec<u8>,
    header_end: usize,
    prefill_end: usize,
    /// (end offset, records) per run.
    run_ends: Vec<(usize, usize)>,
}

fn log_of(prefill: &[TreeOperation], records: &[TreeOperation], per_run: usize) -> Log {
    let encoder = LogEncoder::new(LogHeader {
        format: LogFormat::Binary,
        shape: shape(),
        start: None,
    });
    let mut bytes = encoder.header_bytes();
    let header_end = bytes.len();
    for record in prefill {
        encoder.append_record(record, &mut bytes);
    }
    let prefill_end = bytes.len();
    let mut run_ends = Vec::new();
    for run in records.chunks(per_run) {
        for record in run {
            encoder.append_record(record, &mut bytes);
        }
        run_ends.push((bytes.len(), run.len()));
    }
    Log {
        bytes,
        header_end,
        prefill_end,
        run_ends,
    }
}

/// W1 for `basis_trees`: records/s per run of `replay_record` on `tree`.
#[inline(never)]
fn w1_basis_trees(mut tree: Tree, records: &[TreeOperation], config: &Config) -> Vec<f64> {
    records
        .chunks(config.ops_per_run)
        .map(|run| {
            let start = Instant::now();
            for record in run {
                replay_record(&mut tree, record.sequence_number, record).expect("record replays");
            }
            run.len() as f64 / start.elapsed().as_secs_f64()
        })
        .collect()
}

/// W1 for the plain prover: perform, digest and compare per record, a proof every 100.
#[inline(never)]
fn w1_plain_crate(workload: &Workload, config: &Config) -> Vec<f64> {
    let mut prover = build_prover_with_proofs(&workload.prefill);
    assert_eq!(digest_of(&prover), workload.start_root, "prefill digest");
    let mut done = 0;
    workload
        .records
        .chunks(config.ops_per_run)
        .map(|run| {
            let start = Instant::now();
            for record in run {
                prover
                    .perform_one_operation(&ergo_operation(record.kind, &record.key, &record.value))
                    .expect("record applies");
                assert!(digest_of(&prover) == record.root_after, "root after");
                done += 1;
                if done % PROOF_EVERY == 0 {
                    prover.generate_proof();
                }
            }
            run.len() as f64 / start.elapsed().as_secs_f64()
        })
        .collect()
}

/// Pushes `bytes` into `verifier` in 1 MiB chunks, as a download would arrive (as the wasm
/// benchmarks do).
pub fn push_chunked(verifier: &mut LogVerifier, bytes: &[u8]) {
    for chunk in bytes.chunks(1 << 20) {
        verifier.push(chunk).expect("the log verifies");
    }
}

/// W5's replay and W1 through `LogVerifier`: the log's prefill part is pushed in one chunk
/// (timed: the replay that a snapshot restore replaces), then each run's records in one chunk.
/// Returns the prefill's records/s and records/s per run.
fn log_verifier(log: &Log, workload: &Workload) -> (f64, Vec<f64>) {
    let mut verifier = LogVerifier::new(VerifierOptions::new(shape())).expect("a verifier");
    let start = Instant::now();
    push_chunked(
        &mut verifier,
        log.bytes.get(..log.prefill_end).expect("in the log"),
    );
    let replay = workload.size as f64 / start.elapsed().as_secs_f64();
    assert_eq!(verifier.digest(), workload.start_root, "replayed prefill");
    let mut from = log.prefill_end;
    let rates = log
        .run_ends
        .iter()
        .map(|&(end, records)| {
            let start = Instant::now();
            push_chunked(&mut verifier, log.bytes.get(from..end).expect("in the log"));
            let seconds = start.elapsed().as_secs_f64();
            from = end;
            records as f64 / seconds
        })
        .collect::<Vec<_>>();
    let report = verifier.finish().expect("the log ends cleanly");
    let last = workload
        .records
        .last()
        .map_or(workload.start_root, |r| r.root_after);
    assert_eq!(report.final_root, last, "final root");
    (replay, rates)
}
