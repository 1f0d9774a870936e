//! Simulates a Basis tracker: parties issue notes to each other, debts grow, some notes are
//! settled and removed. Every change is logged. The tracker writes its log in both formats to
//! `target/demo/` with a checkpoint snapshot taken half-way; a light client then verifies both
//! logs as streams, checking every record, and resumes verification from the snapshot.
//!
//! `cargo run --release --example tracker_demo -- [OPERATIONS] [PARTIES]`

use basis_trees::{
    debt_value, note_key, to_hex, verify_log, LogFormat, LogVerifier, Report, Snapshot, TreeShape,
    TreeStorage, VerifierOptions,
};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// SplitMix64: deterministic, so every run produces the same log and root.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A party's public key: a 33-byte compressed secp256k1 point (here only its format).
fn public_key(rng: &mut Rng) -> [u8; 33] {
    let mut key = [0u8; 33];
    key[0] = 2 + (rng.next() & 1) as u8;
    for chunk in key[1..].chunks_mut(8) {
        chunk.copy_from_slice(&rng.next().to_be_bytes()[..chunk.len()]);
    }
    key
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let path = dir.join(name);
    std::fs::write(&path, bytes)?;
    Ok(path)
}

/// Verifies a log file as a light client would a download: in 64 KiB chunks, against the root
/// the tracker committed, polling the progress.
fn verify_file(
    path: &Path,
    root: basis_trees::Digest,
) -> Result<Report, Box<dyn std::error::Error>> {
    let bytes = std::fs::read(path)?;
    let options = VerifierOptions::new(TreeShape::BASIS_TRACKER)
        .expect_root(root)
        .progress_every(5_000)
        .on_progress(|_| ControlFlow::Continue(()));
    let mut verifier = LogVerifier::new(options)?;
    for chunk in bytes.chunks(64 * 1024) {
        verifier.push(chunk)?;
    }
    Ok(verifier.finish()?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let operations: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let parties: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3_000);
    let out_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/demo");
    std::fs::create_dir_all(&out_dir)?;

    let mut rng = Rng(0xba51_5eed);
    let keys: Vec<[u8; 33]> = (0..parties).map(|_| public_key(&mut rng)).collect();
    let mut tracker = TreeStorage::new(TreeShape::BASIS_TRACKER)?;
    let mut open_notes: Vec<([u8; 32], u64)> = Vec::new();
    let mut timestamp: u64 = 1_767_225_600_000; // 2026-01-01, in milliseconds
    let (mut inserts, mut updates, mut removes) = (0u64, 0u64, 0u64);
    let mut halfway = None;

    let started = Instant::now();
    for step in 0..operations {
        if step == operations / 2 {
            halfway = Some(tracker.checkpoint(timestamp)?);
        }
        timestamp += 1 + rng.below(30_000);
        let roll = rng.below(100);
        if open_notes.is_empty() || roll < 35 {
            // A new note between two parties who have none yet.
            let issuer = &keys[rng.below(parties as u64) as usize];
            let recipient = &keys[rng.below(parties as u64) as usize];
            let key = note_key(issuer, recipient);
            if issuer == recipient || tracker.tree().contains_key(&key)? {
                continue;
            }
            let debt = 1_000 + rng.below(1_000_000);
            tracker.insert(&key, &debt_value(debt), timestamp)?;
            open_notes.push((key, debt));
            inserts += 1;
        } else if roll < 90 {
            // More credit on an existing note: its total debt grows.
            let i = rng.below(open_notes.len() as u64) as usize;
            open_notes[i].1 += 1 + rng.below(250_000);
            tracker.update(&open_notes[i].0, &debt_value(open_notes[i].1), timestamp)?;
            updates += 1;
        } else {
            // The note is settled on chain and leaves the tree.
            let i = rng.below(open_notes.len() as u64) as usize;
            let (key, _) = open_notes.swap_remove(i);
            tracker.remove(&key, timestamp)?;
            removes += 1;
        }
    }
    let tracking = started.elapsed();
    let halfway = match halfway {
        Some(checkpoint) => checkpoint,
        None => tracker.checkpoint(timestamp)?,
    };
    let root = tracker.digest();

    // The tracker publishes its log in both formats, and the half-way checkpoint's snapshot.
    let binary = write(
        &out_dir,
        "tracker.log",
        &tracker.export_log(None, LogFormat::Binary),
    )?;
    let ndjson = write(
        &out_dir,
        "tracker.ndjson",
        &tracker.export_log(None, LogFormat::Ndjson),
    )?;
    let snapshot_bytes = tracker
        .checkpoint_snapshot(halfway.id)
        .ok_or("the half-way checkpoint has no snapshot")?;
    let snapshot_path = write(&out_dir, "checkpoint.snap", &snapshot_bytes)?;
    let tail = tracker.export_log(Some(halfway.sequence + 1), LogFormat::Binary);
    let tail_path = write(&out_dir, "tail.log", &tail)?;

    // The light client verifies both logs against the committed root.
    let started = Instant::now();
    let from_binary = verify_file(&binary, root)?;
    let binary_time = started.elapsed();
    let started = Instant::now();
    let from_ndjson = verify_file(&ndjson, root)?;
    let ndjson_time = started.elapsed();

    // And, holding only the snapshot, verifies the second half.
    let started = Instant::now();
    let snapshot = Snapshot::decode(&std::fs::read(&snapshot_path)?)?;
    let restore_time = started.elapsed();
    let resumed = verify_log(
        &std::fs::read(&tail_path)?,
        VerifierOptions::new(TreeShape::BASIS_TRACKER)
            .start_from(snapshot)
            .expect_root(root),
    )?;

    let records = tracker.log().len();
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    println!("basis-trees demo: a simulated Basis tracker and a light client verifying its log");
    println!("  parties            {parties}");
    println!(
        "  records            {records} ({inserts} inserts, {updates} updates, {removes} removes)"
    );
    println!("  open notes         {}", tracker.tree().size());
    println!("  tree height        {}", tracker.tree().height());
    println!("  tracker root       {}", to_hex(&root));
    println!(
        "  tracker time       {:.1} ms ({:.0} records/s)",
        tracking.as_secs_f64() * 1e3,
        records as f64 / tracking.as_secs_f64()
    );
    println!("  written to         {}", out_dir.display());
    println!("    tracker.log      {} bytes (binary)", size(&binary));
    println!("    tracker.ndjson   {} bytes (NDJSON)", size(&ndjson));
    println!(
        "    checkpoint.snap  {} bytes (checkpoint #{} at sequence {}, {} nodes)",
        size(&snapshot_path),
        halfway.id,
        halfway.sequence,
        halfway.node_count
    );
    println!(
        "    tail.log         {} bytes (records {}..)",
        size(&tail_path),
        halfway.sequence + 1
    );
    println!(
        "  binary log         {} records verified, final root {} ({:.1} ms)",
        from_binary.operations,
        to_hex(&from_binary.final_root),
        binary_time.as_secs_f64() * 1e3
    );
    println!(
        "  NDJSON log         {} records verified, final root {} ({:.1} ms)",
        from_ndjson.operations,
        to_hex(&from_ndjson.final_root),
        ndjson_time.as_secs_f64() * 1e3
    );
    println!(
        "  from the snapshot  restored in {:.1} ms, records {}..{} verified, final root {}",
        restore_time.as_secs_f64() * 1e3,
        resumed.first_sequence,
        resumed.last_sequence,
        to_hex(&resumed.final_root)
    );
    if from_binary != from_ndjson || resumed.final_root != root || from_binary.final_root != root {
        eprintln!("FAILED: the verified roots disagree");
        std::process::exit(1);
    }
    println!("  verdict            OK: every record of both logs verified, all roots agree");
    Ok(())
}
