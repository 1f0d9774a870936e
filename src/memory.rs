//! Room in memory, asked for before the work that needs it. A WebAssembly instance has at most
//! 4 GiB and an allocation that fails aborts it (a trap, for good), so the work that input makes
//! grow — a value into the tree, a record into a buffer — first checks that the memory it needs
//! can be had, and fails with `OUT_OF_MEMORY` when it cannot, leaving everything as it was.

use crate::error::{Error, ErrorKind, Result};

/// What one operation on a tree may allocate beyond its key and value: a new leaf and the path's
/// new internal nodes (about 200 bytes a level; a tree of 2^40 entries is 58 levels high).
pub(crate) const OPERATION_OVERHEAD: usize = 16 * 1024;

/// Fails with `OUT_OF_MEMORY` unless `bytes` can be allocated now. The bytes are reserved and
/// given back at once, so the allocations that follow find them free.
pub(crate) fn ensure_headroom(bytes: usize) -> Result<()> {
    let mut probe: Vec<u8> = Vec::new();
    probe
        .try_reserve_exact(bytes)
        .map_err(|_| out_of_memory(bytes))
}

/// The `OUT_OF_MEMORY` error for `requested` bytes.
pub(crate) fn out_of_memory(requested: usize) -> Error {
    Error::new(ErrorKind::OutOfMemory { requested })
}

/// Appends `bytes` to `buffer`, or fails with `OUT_OF_MEMORY` (changing nothing) when the room for
/// them cannot be had.
pub(crate) fn try_extend(buffer: &mut Vec<u8>, bytes: &[u8]) -> Result<()> {
    buffer
        .try_reserve(bytes.len())
        .map_err(|_| out_of_memory(bytes.len()))?;
    buffer.extend_from_slice(bytes);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn room_that_cannot_be_had_is_an_error_not_an_abort() {
        assert!(ensure_headroom(1024).is_ok());
        let err = ensure_headroom(usize::MAX).unwrap_err();
        assert_eq!(err.code(), ErrorCode::OutOfMemory);
        let mut buffer = vec![1u8];
        assert!(try_extend(&mut buffer, &[2, 3]).is_ok());
        assert_eq!(buffer, [1, 2, 3]);
    }
}
