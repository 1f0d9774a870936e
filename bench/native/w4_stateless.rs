//! W4: stateless checks of the W1 records by the proofs they carry (`verify_record_proof`, and
//! `LogVerifier` in stateless mode); the records with proofs are also written to
//! `proofs-<size>.bin` for the wasm benchmarks.

use crate::config::Config;
use crate::report::{median, Json};
use crate::w1_replay::push_chunked;
use crate::workload::{shape, Workload};
use basis_trees::{
    verify_record_proof, LogEncoder, LogFormat, LogHeader, LogStart, LogVerifier, Tree,
    TreeOperation, VerifierOptions,
};
use std::time::Instant;

/// Measures W4 on the first W1 `records`, proved against `tree` (the prefilled tree); printed and
/// recorded under `w4`.
pub fn run(
    config: &Config,
    workload: &Workload,
    tree: &Tree,
    records: &[TreeOperation],
    entry: &mut Json,
) {
    let size = workload.size;
    let per_run = (config.ops_per_run / 4).max(1);
    let proved = proved_records(tree, records, per_run * config.runs);
    let log = proved_log(&proved, workload, per_run);
    if let Some(out) = &config.out {
        write_proved_log(&log, out, size);
    }
    let checked = median(w4(&proved, per_run));
    let streamed = median(w4_log_verifier(&log, workload));
    drop((proved, log));
    println!(
        "size {size}: W4 stateless records/s: verify_record_proof {checked:.0}, \
         LogVerifier (stateless) {streamed:.0}"
    );
    let mut w4 = Json::default();
    w4.number("verify_record_proof", checked)
        .number("log_verifier", streamed);
    entry.object("w4", w4);
}

/// The W1 records that W4 checks, each with the proof of its operation against its root before
/// (made untimed with `Tree::prove` on a copy of the prefilled tree).
fn proved_records(tree: &Tree, records: &[TreeOperation], count: usize) -> Vec<TreeOperation> {
    let mut tree = tree.clone();
    records
        .iter()
        .take(count)
        .map(|record| {
            let operation = record.operation().expect("a record of an operation");
            let batch = tree.prove(&[operation]).expect("the record applies");
            assert_eq!(batch.digest_after, record.tree_root_after, "proved root");
            let mut record = record.clone();
            record.proof = Some(batch.proof);
            record
        })
        .collect()
}

/// W4: stateless checks of a chain of records by their own proofs (`verify_record_proof`),
/// records/s per run; nothing is kept between records, so memory stays constant.
fn w4(records: &[TreeOperation], per_run: usize) -> Vec<f64> {
    records
        .chunks(per_run)
        .map(|run| {
            let start = Instant::now();
            for record in run {
                verify_record_proof(shape(), record).expect("the record's proof verifies");
            }
            run.len() as f64 / start.elapsed().as_secs_f64()
        })
        .collect()
}

/// The W4 records (with proofs) as a binary log that starts after the prefill, with the offset
/// of its header's end and (end offset, records) per run.
fn proved_log(
    proved: &[TreeOperation],
    workload: &Workload,
    per_run: usize,
) -> (Vec<u8>, usize, Vec<(usize, usize)>) {
    let encoder = LogEncoder::new(LogHeader {
        format: LogFormat::Binary,
        shape: shape(),
        start: Some(LogStart {
            sequence: workload.size as u64,
            root: workload.start_root,
        }),
    });
    let mut bytes = encoder.header_bytes();
    let header_end = bytes.len();
    let mut ends = Vec::new();
    for run in proved.chunks(per_run) {
        for record in run {
            encoder.append_record(record, &mut bytes);
        }
        ends.push((bytes.len(), run.len()));
    }
    (bytes, header_end, ends)
}

/// W4 through `LogVerifier` in stateless mode, starting after the prefill: records/s per run.
fn w4_log_verifier(log: &(Vec<u8>, usize, Vec<(usize, usize)>), workload: &Workload) -> Vec<f64> {
    let (bytes, header_end, ends) = log;
    let options = VerifierOptions::new(shape())
        .stateless()
        .start_at(workload.size as u64, workload.start_root);
    let mut verifier = LogVerifier::new(options).expect("a verifier");
    let mut from = *header_end;
    push_chunked(&mut verifier, bytes.get(..from).expect("in the log"));
    let rates = ends
        .iter()
        .map(|&(end, records)| {
            let start = Instant::now();
            push_chunked(&mut verifier, bytes.get(from..end).expect("in the log"));
            from = end;
            records as f64 / start.elapsed().as_secs_f64()
        })
        .collect();
    verifier.finish().expect("the log ends cleanly");
    rates
}

/// Writes the W4 log and its offsets for the wasm benchmarks.
fn write_proved_log(
    log: &(Vec<u8>, usize, Vec<(usize, usize)>),
    out: &std::path::Path,
    size: usize,
) {
    let (bytes, header_end, ends) = log;
    let ends: Vec<String> = ends
        .iter()
        .map(|(end, n)| format!("[{end}, {n}]"))
        .collect();
    std::fs::write(out.join(format!("proofs-{size}.bin")), bytes).expect("proof log written");
    let index = format!(
        "{{ \"header_end\": {header_end}, \"run_ends\": [{}] }}\n",
        ends.join(", ")
    );
    std::fs::write(out.join(format!("proofs-{size}.json")), index).expect("proof index written");
}
