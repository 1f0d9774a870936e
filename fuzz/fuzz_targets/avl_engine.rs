//! Our AVL+ engine (`basis_trees::avl`) and `ergo_avltree_rust`'s `BatchAVLProver` driven with
//! the same operations, as libFuzzer steers them: the rule of `tests/engine/` (same outcome,
//! previous value and digest after every operation; same proof bytes after every batch; settle
//! and abort leave both in the same state) must hold for every input.
//!
//! Input: `[shape][step…]`. `shape` picks one of `SHAPES` (Basis's two, and short keys). Each
//! step starts with a byte `s`:
//! - `s % 8` < 6: an operation (lookup, insert, update, insertOrUpdate, remove, removeIfExists)
//!   on the key made of the next byte (`[k; key length]`; with bit 3 of `s`, of the next two
//!   bytes `[k, j, k, j, …]`), with, for writes, a value whose length and bytes come from the
//!   next byte (bit 4 of `s`: a value one byte too long for a fixed-length tree);
//! - `s % 8` = 6: the batch ends, with its proof, settled or aborted (the next byte `% 3`);
//! - `s % 8` = 7: the lookup proof of the keys of the next byte's low 2 bits + 1 steps' key
//!   bytes, made on `&self`, compared between batches.
//!
//! All-zero and all-0xFF keys (from `k = 0x00`, `0xFF`) reach the sentinel checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/engine/mod.rs"]
mod engine;

use engine::{End, Owned, Pair, SHAPES};

struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(first)
    }
}

fn key(step: u8, input: &mut Input, key_length: usize) -> Option<Vec<u8>> {
    let k = input.byte()?;
    if step & 8 == 0 {
        return Some(vec![k; key_length]);
    }
    let j = input.byte()?;
    Some(
        (0..key_length)
            .map(|i| if i % 2 == 0 { k } else { j })
            .collect(),
    )
}

fn value(step: u8, input: &mut Input, value_length: Option<usize>) -> Option<Vec<u8>> {
    let v = input.byte()?;
    let length = match value_length {
        Some(length) if step & 16 != 0 => length + 1,
        Some(length) => length,
        // Mostly short (inline), sometimes long (kept aside).
        None if v & 0x80 == 0 => usize::from(v % 12),
        None => usize::from(v),
    };
    Some(vec![v; length])
}

fn run(data: &[u8]) -> Result<(), String> {
    let Some((&shape, rest)) = data.split_first() else {
        return Ok(());
    };
    let (key_length, value_length) = SHAPES[usize::from(shape) % SHAPES.len()];
    let mut pair = Pair::new(key_length, value_length);
    let mut input = Input(rest);
    while let Some(step) = input.byte() {
        match step % 8 {
            6 => {
                let end = match input.byte().unwrap_or(0) % 3 {
                    0 => End::Proof,
                    1 => End::Settle,
                    _ => End::Abort,
                };
                pair.end_batch(end)?;
            }
            7 => {
                let count = 1 + usize::from(input.byte().unwrap_or(0) & 3);
                let mut keys = Vec::new();
                for _ in 0..count {
                    match key(step, &mut input, key_length) {
                        Some(k) => keys.push(k),
                        None => break,
                    }
                }
                pair.end_batch(End::Proof)?;
                pair.check_lookup_proof(&keys)?;
            }
            kind => {
                let Some(k) = key(step, &mut input, key_length) else {
                    break;
                };
                let op = match kind {
                    0 => Owned::Lookup(k),
                    4 => Owned::Remove(k),
                    5 => Owned::RemoveIfExists(k),
                    _ => {
                        let Some(v) = value(step, &mut input, value_length) else {
                            break;
                        };
                        match kind {
                            1 => Owned::Insert(k, v),
                            2 => Owned::Update(k, v),
                            _ => Owned::InsertOrUpdate(k, v),
                        }
                    }
                };
                pair.perform(&op, step & 32 != 0)?;
            }
        }
    }
    pair.end_batch(End::Proof)
}

fuzz_target!(|data: &[u8]| {
    if let Err(mismatch) = run(data) {
        panic!("engine differs from ergo_avltree_rust: {mismatch}");
    }
});
