//! W5: snapshot save and restore of the prefilled tree, against `LogVerifier` replaying the log
//! of the inserts that built it (measured in W1).

use crate::report::{median, Json};
use basis_trees::{Snapshot, Tree};
use std::time::Instant;

/// Measures W5 on `tree` (`runs` saves and restores); `replay` is the records/s at which W1
/// replayed the prefill. Printed and recorded under `w5`.
pub fn run(tree: &Tree, runs: usize, replay: f64, entry: &mut Json) {
    let size = tree.size();
    let (save, restore, bytes) = snapshots(tree, runs);
    let replay_seconds = size as f64 / replay;
    println!(
        "size {size}: W5 snapshot {bytes} bytes, save {:.1} ms, restore {:.1} ms; \
         replaying the log {:.1} ms ({:.1}x the restore)",
        save * 1e3,
        restore * 1e3,
        replay_seconds * 1e3,
        replay_seconds / restore
    );
    let mut w5 = Json::default();
    w5.number("snapshot_bytes", bytes as f64)
        .number("save_ms", save * 1e3)
        .number("restore_ms", restore * 1e3)
        .number("replay_ms", replay_seconds * 1e3);
    entry.object("w5", w5);
}

/// W5: snapshot encode and restore of `tree` (runs each); medians in seconds, and the size.
fn snapshots(tree: &Tree, runs: usize) -> (f64, f64, usize) {
    let mut save = Vec::new();
    let mut restore = Vec::new();
    let mut size = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let bytes = Snapshot::encode(tree, 0, None);
        save.push(start.elapsed().as_secs_f64());
        size = bytes.len();
        let start = Instant::now();
        let restored = Snapshot::decode(&bytes).expect("snapshot restores");
        restore.push(start.elapsed().as_secs_f64());
        assert_eq!(restored.tree.digest(), tree.digest(), "restored digest");
    }
    (median(save), median(restore), size)
}
