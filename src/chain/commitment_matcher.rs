//! [`CommitmentMatcher`]: follows a log's roots and matches them against on-chain commitments.

use super::commitments::{Commitment, CommitmentMatch};
use crate::error::{Error, ErrorKind, Result};
use crate::Digest;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Hashes a digest by its first eight bytes. Digests are blake2b256 labels, uniform already, and
/// those a log reaches are computed here by replaying it, so no input can crowd one bucket: the
/// lookup each record costs is then a load and a compare, not SipHash over 33 bytes.
#[derive(Default)]
struct DigestHasher(u64);

impl Hasher for DigestHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes.iter().take(8) {
            self.0 = self.0 << 8 | u64::from(byte);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type DigestMap<V> = HashMap<Digest, V, BuildHasherDefault<DigestHasher>>;

/// Follows a log's roots and matches them against a list of commitments, in order: commitment
/// `i + 1` must be reached at or after the record where commitment `i` was (a tracker that posts
/// twice without a change commits the same digest twice). The earliest match is taken, which
/// finds an order-preserving match whenever one exists. The work per record is one hash-map
/// lookup on the digest's first bytes; the memory, the list.
#[derive(Debug, Clone)]
pub(crate) struct CommitmentMatcher {
    commitments: Vec<Digest>,
    matched: Vec<CommitmentMatch>,
    /// For each committed digest, the first sequence it appeared at (to tell out of order from
    /// never reached).
    first_seen: DigestMap<Option<u64>>,
}

impl CommitmentMatcher {
    /// A matcher of `commitments` that has seen no root yet. The first root it is shown is the
    /// start's (the tree's root after record `start_sequence`, 0 for the empty tree), and only
    /// once the tree's shape is known: the empty root of another shape is no root of the log.
    pub(crate) fn new(commitments: &[Commitment]) -> CommitmentMatcher {
        CommitmentMatcher {
            commitments: commitments.iter().map(|c| c.digest).collect(),
            matched: Vec::with_capacity(commitments.len()),
            first_seen: commitments.iter().map(|c| (c.digest, None)).collect(),
        }
    }

    /// The tree's root after record `sequence` (or the start's, before any).
    pub(crate) fn observe(&mut self, sequence: u64, root: Digest) {
        let Some(seen) = self.first_seen.get_mut(&root) else {
            return;
        };
        seen.get_or_insert(sequence);
        while self.commitments.get(self.matched.len()) == Some(&root) {
            self.matched.push(CommitmentMatch {
                digest: root,
                sequence,
            });
        }
    }

    /// The matches, or `COMMITMENT_MISSING` for the first commitment not reached in order, at
    /// `last_sequence`, the last record checked.
    pub(crate) fn finish(&self, last_sequence: u64) -> Result<Vec<CommitmentMatch>> {
        let index = self.matched.len();
        let Some(&digest) = self.commitments.get(index) else {
            return Ok(self.matched.clone());
        };
        let seen_at = self.first_seen.get(&digest).copied().flatten();
        Err(Error::new(ErrorKind::CommitmentMissing {
            index,
            digest,
            previous: index
                .checked_sub(1)
                .and_then(|i| self.matched.get(i))
                .map(|m| m.sequence),
            seen_at,
        })
        .at_sequence(last_sequence))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn digest(n: u8) -> Digest {
        [n; 33]
    }

    fn commitments(ns: &[u8]) -> Vec<Commitment> {
        ns.iter().map(|&n| Commitment::from(digest(n))).collect()
    }

    /// Roots 1, 2, …, 9 after records 1 to 9; the start root 0 after record 0.
    fn run(ns: &[u8]) -> Result<Vec<CommitmentMatch>> {
        let mut matcher = CommitmentMatcher::new(&commitments(ns));
        matcher.observe(0, digest(0));
        for sequence in 1..=9u8 {
            matcher.observe(u64::from(sequence), digest(sequence));
        }
        matcher.finish(9)
    }

    #[test]
    fn matches_in_order_at_their_records() {
        let matched = run(&[0, 2, 2, 5, 9]).unwrap();
        let sequences: Vec<u64> = matched.iter().map(|m| m.sequence).collect();
        assert_eq!(sequences, [0, 2, 2, 5, 9]);
        assert_eq!(matched[3].digest, digest(5));
        assert_eq!(run(&[]).unwrap(), []);
    }

    #[test]
    fn a_missing_commitment_names_itself_and_the_last_record() {
        let err = run(&[2, 42, 5]).unwrap_err();
        assert_eq!(err.code(), ErrorCode::CommitmentMissing);
        assert_eq!(err.sequence(), Some(9));
        assert_eq!(
            err.kind(),
            &ErrorKind::CommitmentMissing {
                index: 1,
                digest: digest(42),
                previous: Some(2),
                seen_at: None,
            }
        );
    }

    #[test]
    fn out_of_order_says_where_it_was_seen() {
        let err = run(&[5, 3]).unwrap_err();
        let ErrorKind::CommitmentMissing { index, seen_at, .. } = err.kind() else {
            panic!("{err}");
        };
        assert_eq!((*index, *seen_at), (1, Some(3)));
        assert!(err.to_string().contains("before"), "{err}");
    }

    #[test]
    fn a_root_seen_again_matches_later_commitments() {
        // Roots 1, 2, 1, 2: commitments 2 then 1 then 2 are in order.
        let mut matcher = CommitmentMatcher::new(&commitments(&[2, 1, 2]));
        matcher.observe(0, digest(0));
        for (sequence, root) in [(1, 1), (2, 2), (3, 1), (4, 2)] {
            matcher.observe(sequence, digest(root));
        }
        let sequences: Vec<u64> = matcher
            .finish(4)
            .unwrap()
            .iter()
            .map(|m| m.sequence)
            .collect();
        assert_eq!(sequences, [2, 3, 4]);
    }
}
