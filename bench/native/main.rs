//! The native half of `make bench`: `basis_trees` against the plain `ergo_avltree_rust` prover on
//! the same generated workloads, the blake2b256 hashing limit, and bytes per entry.
//!
//! `cargo bench --bench native -- --out target/bench` prints the figures, writes them to
//! `native.json`, and writes for the wasm benchmarks (bench/*.mjs) each workload to
//! `workload-<size>.bin` and its binary log to `log-<size>.bin` (with the offsets of its parts in
//! `log-<size>.json`), so that every runtime replays exactly the same bytes. Under `cargo test`
//! the same program runs once on a tiny workload, as a smoke test that keeps it compiling.
//!
//! Workloads (32-byte keys, 8-byte values, fixed-length tree), one file each:
//! - `w1_replay.rs`, W1 replay-verify: a tree prefilled with `size` entries, then records of 50 %
//!   updates, 25 % inserts and 25 % removes (the size stays put); each record is applied and the
//!   digest computed and compared after it, by `replay_record`, by `LogVerifier` and by the plain
//!   prover (`plain.rs`) as its users drive it.
//! - `w2_builds.rs`, W2 batch build: `size` inserts into an empty tree, digest at the end.
//! - `w3_lookups.rs`, W3: single-key lookup proofs of present keys made (`Tree::prove_lookup`) and
//!   verified (`verify_proof`) per second.
//! - `w4_stateless.rs`, W4: stateless checks of W1 records by the proofs they carry
//!   (`verify_record_proof`); the records with proofs are also written to `proofs-<size>.bin` for
//!   the wasm benchmarks.
//! - `w5_snapshots.rs`, W5: snapshot save and restore of the prefilled tree, against
//!   `LogVerifier` replaying the log of the inserts that built it.
//!
//! Beside them: `workload.rs` generates the workload, `hashing.rs` measures the cost of one label
//! (the limit of any implementation), `memory.rs` the resident bytes per entry, and `report.rs`
//! reduces and writes the figures.

mod config;
mod hashing;
mod memory;
mod plain;
mod report;
mod w1_replay;
mod w2_builds;
mod w3_lookups;
mod w4_stateless;
mod w5_snapshots;
mod workload;

use config::Config;
use report::Json;
use workload::{generate, prefilled, records_of, write_workload, Workload, PROOF_EVERY};

/// The workload of `size` entries for this run, with every record's root filled in by the plain
/// prover.
fn workload(size: usize, config: &Config) -> Workload {
    let mut workload = generate(size, config.runs * config.ops_per_run);
    plain::reference_pass(&mut workload);
    workload
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--memory-child") {
        let which = args.get(i + 1).map_or("basis_trees", String::as_str);
        let size = args.get(i + 2).and_then(|s| s.parse().ok()).unwrap_or(0);
        memory::memory_child(which, size);
        return;
    }
    let config = Config::from_args();
    if let Some(out) = &config.out {
        std::fs::create_dir_all(out).expect("output directory");
    }
    let mut json = Json::default();
    let hash_ns = hashing::run(&config, &mut json);
    let mut sizes = Json::default();
    for &size in &config.sizes {
        let mut entry = Json::default();
        let workload = workload(size, &config);
        let (tree, prefill_records) = prefilled(&workload);
        let records = records_of(&workload);
        if let Some(out) = &config.out {
            write_workload(
                &workload,
                &out.join(format!("workload-{size}.bin")),
                &config,
            );
        }
        let replay = w1_replay::run(
            &config,
            &workload,
            &tree,
            prefill_records,
            &records,
            hash_ns,
            &mut entry,
        );
        w3_lookups::run(&config, &workload, &tree, &mut entry);
        w4_stateless::run(&config, &workload, &tree, &records, &mut entry);
        if config.build_sizes.contains(&size) {
            let build_runs = if size >= 1_000_000 { 3 } else { config.runs };
            w2_builds::run(&workload, build_runs, &mut entry);
            w5_snapshots::run(&tree, build_runs, replay, &mut entry);
        }
        drop(tree);
        if config.memory_sizes.contains(&size) {
            memory::run(size, &mut entry);
        }
        sizes.object(&size.to_string(), entry);
    }
    json.object("sizes", sizes);
    json.number("runs", config.runs as f64)
        .number("ops_per_run", config.ops_per_run as f64)
        .number("proof_every", PROOF_EVERY as f64);
    if let Some(out) = &config.out {
        std::fs::write(out.join("native.json"), json.render() + "\n").expect("native.json written");
    }
}
