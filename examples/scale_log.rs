//! Writes the log of a busy Basis tracker's year for `make bench-scale`: RECORDS records over
//! NOTES notes (each note inserted once, then updates of the notes' cumulative debts, with one
//! record in a thousand a note settled and removed), in two binary files: the plain log and the
//! same records each carrying the proof of its operation (for stateless verification). The
//! records go to disk as they are made; the tracker holds only its tree.
//!
//! `cargo run --release --example scale_log -- [RECORDS] [NOTES] [DIR]`
//! (defaults: 10,000,000 records, 1,000,000 notes, `target/scale/`). Prints the final root and
//! writes it to `DIR/scale-RECORDS.root`.

use basis_trees::{
    debt_value, note_key, to_hex, LogEncoder, LogFormat, LogHeader, Operation, OperationType, Tree,
    TreeOperation, TreeShape,
};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// SplitMix64: deterministic, so every run writes the same logs.
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let records: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000_000);
    let notes: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/scale"));
    if notes == 0 || records < notes {
        return Err("RECORDS must be at least NOTES, and NOTES at least 1".into());
    }
    std::fs::create_dir_all(&dir)?;

    // Enough parties that every note is a distinct (issuer, recipient) pair.
    let mut rng = Rng(0x5ca1_e10e);
    let parties = (1..).find(|p: &u64| p * (p - 1) >= notes).unwrap_or(2);
    let keys: Vec<[u8; 33]> = (0..parties).map(|_| public_key(&mut rng)).collect();
    let pair = |n: u64| {
        let issuer = n / (parties - 1);
        let recipient = n % (parties - 1);
        let recipient = if recipient >= issuer {
            recipient + 1
        } else {
            recipient
        };
        note_key(&keys[issuer as usize], &keys[recipient as usize])
    };

    let shape = TreeShape::BASIS_TRACKER;
    let mut tree = Tree::new(shape)?;
    let header = LogHeader {
        format: LogFormat::Binary,
        shape,
        start: None,
    };
    let encoder = LogEncoder::new(header);
    let plain_path = dir.join(format!("scale-{records}.log"));
    let proofs_path = dir.join(format!("scale-{records}-proofs.log"));
    let partial = |p: &PathBuf| p.with_extension("partial");
    let mut plain =
        std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(partial(&plain_path))?);
    let mut proofs =
        std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(partial(&proofs_path))?);
    plain.write_all(&encoder.header_bytes())?;
    proofs.write_all(&encoder.header_bytes())?;

    let mut open: Vec<([u8; 32], u64)> = Vec::with_capacity(notes as usize);
    let mut timestamp: u64 = 1_767_225_600_000; // 2026-01-01, in milliseconds
    let (mut inserted, mut removes) = (0u64, 0u64);
    let mut buffer = Vec::with_capacity(4096);
    let started = Instant::now();
    for sequence_number in 1..=records {
        timestamp += 1 + rng.below(3_000);
        // Every note first; then updates, and one record in a thousand a settled note removed.
        let (operation_type, operation) = if inserted < notes {
            let key = pair(inserted);
            let debt = 1_000 + rng.below(1_000_000);
            open.push((key, debt));
            inserted += 1;
            let value = debt_value(debt).to_vec();
            (
                OperationType::Insert,
                Operation::Insert {
                    key: key.to_vec(),
                    value,
                },
            )
        } else if open.len() > 1 && rng.below(1_000) == 0 {
            let i = rng.below(open.len() as u64) as usize;
            let (key, _) = open.swap_remove(i);
            removes += 1;
            (
                OperationType::Remove,
                Operation::Remove { key: key.to_vec() },
            )
        } else {
            let i = rng.below(open.len() as u64) as usize;
            open[i].1 += 1 + rng.below(250_000);
            let value = debt_value(open[i].1).to_vec();
            (
                OperationType::Update,
                Operation::Update {
                    key: open[i].0.to_vec(),
                    value,
                },
            )
        };
        let tree_root_before = tree.digest();
        let batch = tree.prove(std::slice::from_ref(&operation))?;
        let mut record = TreeOperation {
            sequence_number,
            operation_type,
            timestamp,
            key: operation.key().to_vec(),
            value: operation.value().map(<[u8]>::to_vec),
            previous_value: batch.results.into_iter().next().flatten(),
            tree_root_before,
            tree_root_after: tree.digest(),
            proof: Some(batch.proof),
        };
        buffer.clear();
        encoder.append_record(&record, &mut buffer);
        proofs.write_all(&buffer)?;
        record.proof = None;
        buffer.clear();
        encoder.append_record(&record, &mut buffer);
        plain.write_all(&buffer)?;
        if sequence_number % 1_000_000 == 0 {
            eprintln!(
                "  {sequence_number} records, {:.0} s",
                started.elapsed().as_secs_f64()
            );
        }
    }
    plain.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    proofs
        .into_inner()
        .map_err(|e| e.into_error())?
        .sync_all()?;
    std::fs::rename(partial(&plain_path), &plain_path)?;
    std::fs::rename(partial(&proofs_path), &proofs_path)?;
    let root = to_hex(&tree.digest());
    std::fs::write(
        dir.join(format!("scale-{records}.root")),
        format!("{root}\n"),
    )?;

    let size = |p: &PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    println!("scale log: {records} records over {notes} notes ({removes} removes)");
    println!("  open notes   {}", tree.size());
    println!("  tree height  {}", tree.height());
    println!("  final root   {root}");
    println!("  {}  {} bytes", plain_path.display(), size(&plain_path));
    println!("  {}  {} bytes", proofs_path.display(), size(&proofs_path));
    println!("  written in   {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}
