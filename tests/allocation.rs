//! Memory, measured with a counting allocator (this test binary only: the `GlobalAlloc` trait is
//! unsafe to implement; this one forwards every call to the system allocator unchanged and only
//! counts). A declared length is never allocated before its bytes arrive, and a verifier's memory
//! follows the tree, not the length of the log.

use basis_trees::{
    ErrorCode, LogDecoder, LogFormat, LogVerifier, RecordLimits, TreeShape, VerifierOptions,
};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Largest;

/// The largest single allocation.
static LARGEST: AtomicUsize = AtomicUsize::new(0);
/// Bytes allocated and not yet freed, and the most there have been.
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Largest {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        grew(layout.size());
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        grew(new_size);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Largest = Largest;

/// The counters are global: the tests take turns.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn declared_lengths_are_not_allocated() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let header = basis_trees::encode_log(&[], TreeShape::BASIS_TRACKER, LogFormat::Binary);
    // A record declaring the largest length the shape allows, then a few bytes of it.
    let limit = RecordLimits::new(TreeShape::BASIS_TRACKER, None, None).max_record_length;
    let mut log = header.clone();
    log.extend_from_slice(&(limit as u32).to_be_bytes());
    log.extend_from_slice(&[0; 200]);
    LARGEST.store(0, Ordering::Relaxed);
    let mut decoder = LogDecoder::new();
    for chunk in log.chunks(16) {
        decoder.push(chunk);
        assert!(decoder.next_record().unwrap().is_none());
    }
    decoder.finish();
    let err = decoder.next_record().unwrap_err();
    assert_eq!(err.code(), ErrorCode::LogCorrupt);
    let largest = LARGEST.load(Ordering::Relaxed);
    assert!(largest < 64 * 1024, "{largest} bytes allocated at once");

    // One byte more than the shape allows is refused as soon as the length field is there.
    let mut log = header.clone();
    log.extend_from_slice(&(limit as u32 + 1).to_be_bytes());
    let mut decoder = LogDecoder::new();
    decoder.push(&log);
    let err = decoder.next_record().unwrap_err();
    assert_eq!(
        (err.code(), err.offset()),
        (ErrorCode::LogCorrupt, Some(63))
    );

    // The same through the verifier, with a declared length beyond the limit.
    let mut log = header;
    log.extend_from_slice(&u32::MAX.to_be_bytes());
    LARGEST.store(0, Ordering::Relaxed);
    let mut verifier = LogVerifier::new(VerifierOptions::new(TreeShape::BASIS_TRACKER)).unwrap();
    let err = verifier.push(&log).unwrap_err();
    assert_eq!(
        (err.code(), err.offset()),
        (ErrorCode::LogCorrupt, Some(63))
    );
    let largest = LARGEST.load(Ordering::Relaxed);
    assert!(largest < 64 * 1024, "{largest} bytes allocated at once");
}

/// A long log over a small tree: notes come and go, at most eight open at once. Verifying it in
/// chunks needs memory for the tree and one chunk, a small fraction of the log.
#[test]
fn a_verifiers_memory_follows_the_tree_not_the_log() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut tracker = basis_trees::TreeStorage::new(TreeShape::BASIS_TRACKER).unwrap();
    for i in 0..3_000u64 {
        let key = basis_trees::note_key(&(i % 8).to_be_bytes(), b"recipient");
        if i % 16 < 8 {
            tracker.insert(&key, &i.to_be_bytes(), i).unwrap();
        } else {
            tracker.remove(&key, i).unwrap();
        }
    }
    for format in [LogFormat::Binary, LogFormat::Ndjson] {
        let log = tracker.export_log(None, format);
        let options = VerifierOptions::new(TreeShape::BASIS_TRACKER).expect_root(tracker.digest());
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let mut verifier = LogVerifier::new(options).unwrap();
        for chunk in log.chunks(4096) {
            verifier.push(chunk).unwrap();
        }
        assert_eq!(verifier.finish().unwrap().operations, 3_000);
        let peak = PEAK.load(Ordering::Relaxed) - before;
        println!("{format:?}: peak {peak} bytes, log {} bytes", log.len());
        assert!(
            peak < log.len() / 8,
            "{format:?}: {peak} bytes at peak for a log of {} bytes",
            log.len()
        );
    }
}

/// Stateless verification holds no tree: its peak memory is the same for a log of 500 records
/// as for one of 3,000 over a tree that keeps growing, and far below a stateful verifier's.
#[test]
fn a_stateless_verifiers_memory_is_constant_in_the_log() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut tracker = basis_trees::TreeStorage::with_proofs(TreeShape::BASIS_TRACKER).unwrap();
    for i in 0..3_000u64 {
        let key = basis_trees::note_key(&i.to_be_bytes(), b"recipient");
        tracker.insert(&key, &i.to_be_bytes(), i).unwrap();
    }
    let peak_of = |records: u64, stateless: bool| {
        let log = tracker.export_log(None, LogFormat::Binary);
        let mut options = VerifierOptions::new(TreeShape::BASIS_TRACKER);
        if stateless {
            options = options.stateless();
        }
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let mut verifier = LogVerifier::new(options).unwrap();
        let mut decoded = 0;
        for chunk in log.chunks(4096) {
            verifier.push(chunk).unwrap();
            decoded = verifier.progress().records;
            if decoded >= records {
                break;
            }
        }
        assert!(decoded >= records);
        let peak = PEAK.load(Ordering::Relaxed) - before;
        drop(verifier);
        drop(log);
        peak
    };
    let short = peak_of(500, true);
    let long = peak_of(3_000, true);
    let stateful = peak_of(3_000, false);
    println!("stateless: {short} bytes for 500 records, {long} for 3000; stateful: {stateful}");
    assert!(
        long < short + short / 2,
        "stateless peak grew: {short} -> {long}"
    );
    assert!(
        long * 4 < stateful,
        "stateless {long} vs stateful {stateful}"
    );
}
