//! Memory, measured with a counting allocator (this test binary only: the `GlobalAlloc` trait is
//! unsafe to implement; this one forwards every call to the system allocator unchanged and only
//! counts). A declared length is never allocated before its bytes arrive, and a verifier's memory
//! follows the tree, not the length of the log.

use basis_trees::{
    ErrorCode, LogDecoder, LogFormat, LogVerifier, OperationType, RecordLimits, TreeOperation,
    TreeShape, VerifierOptions, MAX_RECORD_LENGTH, MAX_VALUE_LENGTH,
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

    /// A growth is counted as a copy: the new block is had before the old one is given back, as
    /// a WebAssembly instance's memory must hold both when the block cannot grow in place. A
    /// shrink is done in place (by dlmalloc in WebAssembly, and glibc).
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        if new_size > layout.size() {
            grew(new_size);
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
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

/// An update of the largest value over the largest previous value, its proof filling the record
/// to `MAX_RECORD_LENGTH`: the largest record a reader given the highest limits accepts.
fn largest_record() -> TreeOperation {
    let mut record = TreeOperation {
        sequence_number: 1,
        operation_type: OperationType::Update,
        timestamp: 1,
        key: vec![0x11; 32],
        value: Some(vec![0x22; MAX_VALUE_LENGTH]),
        previous_value: Some(vec![0x33; MAX_VALUE_LENGTH]),
        tree_root_before: [0x44; 33],
        tree_root_after: [0x55; 33],
        proof: Some(Vec::new()),
    };
    let body = |record: &TreeOperation| {
        let log = basis_trees::encode_log(&[], TreeShape::BASIS_TRACKER, LogFormat::Binary);
        let whole = basis_trees::encode_log_with_header(
            &basis_trees::decode_log(&log).unwrap().0,
            std::slice::from_ref(record),
        );
        whole.len() - log.len() - 8
    };
    let room = MAX_RECORD_LENGTH - body(&record);
    record.proof = Some(vec![0x66; room]);
    assert_eq!(body(&record), MAX_RECORD_LENGTH);
    record
}

/// At the highest limits, buffering a record of the largest length a reader accepts costs at most
/// twice that length — the buffer holding its bytes and the record decoded from them — in both
/// formats, through the decoder and the verifier, the log pushed in 64 KiB chunks.
#[test]
fn the_largest_record_is_buffered_in_at_most_twice_its_length() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let record = largest_record();
    for format in [LogFormat::Binary, LogFormat::Ndjson] {
        let header_only = basis_trees::encode_log(&[], TreeShape::BASIS_TRACKER, format);
        let header = basis_trees::decode_log(&header_only).unwrap().0;
        let log = basis_trees::encode_log_with_header(&header, std::slice::from_ref(&record));
        // The record as the log holds it: framed binary record, or NDJSON line.
        let length = log.len() - header_only.len();
        let limits = (Some(MAX_VALUE_LENGTH), Some(MAX_RECORD_LENGTH));

        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let mut decoder = LogDecoder::with_limits(limits.0, limits.1);
        let mut decoded = 0;
        for chunk in log.chunks(64 * 1024) {
            decoder.push(chunk);
            while let Some(next) = decoder.next_record().unwrap() {
                assert_eq!(next.record, record);
                decoded += 1;
            }
        }
        decoder.finish();
        assert!(decoder.next_record().unwrap().is_none());
        assert_eq!(decoded, 1);
        let decoding = PEAK.load(Ordering::Relaxed) - before;
        drop(decoder);

        let mut options = VerifierOptions::new(TreeShape::BASIS_TRACKER);
        options.max_value_length = limits.0;
        options.max_record_length = limits.1;
        let mut verifier = LogVerifier::new(options).unwrap();
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        // Decoded whole, then refused: its root before is not the empty tree's.
        let err = log
            .chunks(64 * 1024)
            .try_for_each(|chunk| verifier.push(chunk))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::RootBeforeMismatch, "{err}");
        let verifying = PEAK.load(Ordering::Relaxed) - before;
        drop(verifier);

        println!(
            "{format:?}: a record of {length} bytes; peak {decoding} bytes decoding ({:.2}x), \
             {verifying} verifying ({:.2}x)",
            decoding as f64 / length as f64,
            verifying as f64 / length as f64
        );
        // Twice the record, and the few hundred bytes of an error and its bookkeeping.
        for peak in [decoding, verifying] {
            assert!(
                peak <= 2 * length + 4096,
                "{format:?}: {peak} bytes at peak for a record of {length} bytes"
            );
        }
    }
}
