//! How the Basis tracker derives a tree key and value from a note.

use crate::blake2b::blake2b256;

/// The tracker tree's key of the note from `issuer` to `recipient`: blake2b256(issuer ‖ recipient),
/// where both are the parties' public keys as the tracker sees them (33-byte compressed points).
pub fn note_key(issuer: &[u8], recipient: &[u8]) -> [u8; 32] {
    blake2b256(&[issuer, recipient])
}

/// The tracker tree's value of a note: its total debt as 8 bytes big-endian.
pub fn debt_value(total_debt: u64) -> [u8; 8] {
    total_debt.to_be_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_blake2b256_of_the_concatenation() {
        // blake2b256("abc"), a published test vector of BLAKE2b-256.
        assert_eq!(
            crate::hex::to_hex(&note_key(b"a", b"bc")),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
        );
    }
}
