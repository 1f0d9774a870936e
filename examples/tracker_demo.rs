//! Simulates a Basis tracker: parties issue notes to each other, debts grow, some notes are
//! settled and removed. Every change is logged; a second storage then recovers from that log,
//! checking every record, and must reach the same root.
//!
//! `cargo run --release --example tracker_demo -- [OPERATIONS] [PARTIES]`

use basis_trees::{debt_value, note_key, to_hex, TreeShape, TreeStorage};
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

fn main() -> Result<(), basis_trees::Error> {
    let mut args = std::env::args().skip(1);
    let operations: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let parties: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3_000);

    let mut rng = Rng(0xba51_5eed);
    let keys: Vec<[u8; 33]> = (0..parties).map(|_| public_key(&mut rng)).collect();
    let mut tracker = TreeStorage::new(TreeShape::BASIS_TRACKER)?;
    let mut open_notes: Vec<([u8; 32], u64)> = Vec::new();
    let mut timestamp: u64 = 1_767_225_600_000; // 2026-01-01, in milliseconds
    let (mut inserts, mut updates, mut removes) = (0u64, 0u64, 0u64);

    let started = Instant::now();
    for _ in 0..operations {
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
    let checkpoint = tracker.checkpoint(timestamp);

    let started = Instant::now();
    let replica = TreeStorage::recover(TreeShape::BASIS_TRACKER, tracker.log().to_vec())?;
    let recovery = started.elapsed();

    let records = tracker.log().len();
    println!("basis-trees demo: a simulated Basis tracker and a light client replaying its log");
    println!("  parties            {parties}");
    println!(
        "  records            {records} ({inserts} inserts, {updates} updates, {removes} removes)"
    );
    println!("  open notes         {}", tracker.tree().size());
    println!("  tree height        {}", tracker.tree().height());
    println!(
        "  checkpoint         #{} at sequence {}, {} nodes",
        checkpoint.id, checkpoint.sequence, checkpoint.node_count
    );
    println!("  tracker root       {}", to_hex(&tracker.digest()));
    println!("  recovered root     {}", to_hex(&replica.digest()));
    println!(
        "  tracker time       {:.1} ms ({:.0} records/s)",
        tracking.as_secs_f64() * 1e3,
        records as f64 / tracking.as_secs_f64()
    );
    println!(
        "  recovery time      {:.1} ms ({:.0} records/s, every root pair checked)",
        recovery.as_secs_f64() * 1e3,
        records as f64 / recovery.as_secs_f64()
    );
    if replica.digest() != tracker.digest() || replica.tree().entries() != tracker.tree().entries()
    {
        eprintln!("FAILED: the recovered tree differs from the tracker's");
        std::process::exit(1);
    }
    println!("  verdict            OK: every record verified, roots agree");
    Ok(())
}
