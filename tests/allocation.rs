//! A declared length is never allocated before its bytes arrive: a hostile header or record
//! length costs nothing. Measured with a counting allocator (this test binary only): the
//! `GlobalAlloc` trait is unsafe to implement, and this forwards every call to the system
//! allocator unchanged, recording only the largest size asked for.

use basis_trees::{ErrorCode, LogDecoder, LogFormat, LogVerifier, TreeShape, VerifierOptions};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Largest;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Largest {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Largest = Largest;

#[test]
fn declared_lengths_are_not_allocated() {
    let header = basis_trees::encode_log(&[], TreeShape::BASIS_TRACKER, LogFormat::Binary);
    // A record declaring the largest length accepted (64 MiB), then a few bytes of it.
    let mut log = header.clone();
    log.extend_from_slice(&(basis_trees::MAX_RECORD_LENGTH as u32).to_be_bytes());
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
