//! Batch proofs, byte for byte as `BatchAVLProver::generate_proof` writes them: the batch's
//! starting tree in post-order, visited nodes opened and the others as labels, then the
//! direction bits (format: `docs/PROOFS.md`).

use super::store::{NodeRef, NO_NODE};
use super::{dirty_bit, key_prefix, AvlTree, OpError, INTERNAL_FLAGS};
use std::cmp::Ordering;

const LEAF_TAG: u8 = 2;
const LABEL_TAG: u8 = 3;
const END_OF_TREE_TAG: u8 = 4;

/// A key of a lookup proof on its way down: its position in the caller's list, and whether the
/// walk has passed the node holding it.
#[derive(Clone, Copy)]
struct Route {
    key: usize,
    /// The key's [`key_prefix`].
    prefix: u64,
    found: bool,
}

impl AvlTree {
    /// Ends the batch with the proof of its operations (the prover's `generate_proof`).
    pub fn generate_proof(&mut self) -> Vec<u8> {
        // The journal turns the tree back into the batch's starting tree for the packing.
        self.swap_journal(true);
        let mut proof = Vec::new();
        let mut previous_leaf = false;
        if self.visited(self.root) {
            self.pack(self.root, NO_NODE, NO_NODE, &mut proof, &mut previous_leaf);
        } else {
            self.refresh_labels();
            proof.push(LABEL_TAG);
            proof.extend_from_slice(&self.root_label);
        }
        self.swap_journal(false);
        proof.push(END_OF_TREE_TAG);
        proof.extend_from_slice(&self.batch.directions);
        self.settle();
        proof
    }

    /// The prover's `pack_tree` from a visited node, over the batch's starting tree. An
    /// unvisited node is not changed by the batch, nor is anything below it, so its label is the
    /// same in both trees.
    fn pack(
        &mut self,
        node: NodeRef,
        low: u32,
        high: u32,
        out: &mut Vec<u8>,
        previous_leaf: &mut bool,
    ) {
        let index = node.index();
        if node.is_leaf() {
            self.write_leaf(index, low, high, out, previous_leaf);
            return;
        }
        for side in 0..2 {
            let child = self.child(index, side);
            let (child_low, child_high) = if side == 0 {
                (low, index)
            } else {
                (index, high)
            };
            if self.visited(child) {
                self.pack(child, child_low, child_high, out, previous_leaf);
            } else {
                if self.body(index)[INTERNAL_FLAGS] & dirty_bit(side) != 0 {
                    self.refresh_child(index, side, low, high);
                }
                out.push(LABEL_TAG);
                out.extend_from_slice(self.kept_label(index, side));
                *previous_leaf = false;
            }
        }
        out.push(self.balance(index) as u8);
    }

    /// A leaf as a proof carries it: its key unless the previous node was a leaf (whose next key
    /// it is), its next key, its value's length for variable-length values, its value.
    fn write_leaf(
        &self,
        index: u32,
        low: u32,
        high: u32,
        out: &mut Vec<u8>,
        previous_leaf: &mut bool,
    ) {
        out.push(LEAF_TAG);
        if !*previous_leaf {
            out.extend_from_slice(self.bound_key(low, true));
        }
        out.extend_from_slice(self.bound_key(high, false));
        let value = self.value(index);
        if self.value_length.is_none() {
            out.extend_from_slice(&(value.len() as u32).to_be_bytes());
        }
        out.extend_from_slice(value);
        *previous_leaf = true;
    }

    /// The proof a fresh batch of lookups of `keys` would give (the prover's `generate_proof`
    /// after one `Lookup` per key), made without marking anything: the tree is not changed, and
    /// a batch in progress is not disturbed.
    pub fn prove_lookups<K: AsRef<[u8]>>(&self, keys: &[K]) -> Result<Vec<u8>, OpError> {
        for key in keys {
            let key = key.as_ref();
            if key.len() != self.key_length {
                return Err(OpError::KeyLength);
            }
            if key.iter().all(|&b| b == 0) || key.iter().all(|&b| b == 0xff) {
                return Err(OpError::KeyReserved);
            }
        }
        let mut routes: Vec<Route> = (keys.iter().enumerate())
            .map(|(key, k)| Route {
                key,
                prefix: key_prefix(k.as_ref()),
                found: false,
            })
            .collect();
        let mut proof = Vec::new();
        let mut previous_leaf = false;
        if routes.is_empty() {
            proof.push(LABEL_TAG);
            proof.extend_from_slice(&self.digest()[..32]);
        } else {
            self.pack_lookups(
                self.root,
                NO_NODE,
                NO_NODE,
                keys,
                &mut routes,
                &mut proof,
                &mut previous_leaf,
            );
        }
        proof.push(END_OF_TREE_TAG);
        let mut bits = 0usize;
        for key in keys {
            self.lookup_directions(key.as_ref(), &mut proof, &mut bits);
        }
        Ok(proof)
    }

    /// Packs the subtree at `node`, which the lookups of `routes` (at least one) pass, as the
    /// prover would after them: the nodes on their paths are the visited ones.
    #[allow(clippy::too_many_arguments)]
    fn pack_lookups<K: AsRef<[u8]>>(
        &self,
        node: NodeRef,
        low: u32,
        high: u32,
        keys: &[K],
        routes: &mut [Route],
        out: &mut Vec<u8>,
        previous_leaf: &mut bool,
    ) {
        let index = node.index();
        if node.is_leaf() {
            self.write_leaf(index, low, high, out, previous_leaf);
            return;
        }
        // The routes going left first, then those going right.
        let mut going_left = 0;
        for i in 0..routes.len() {
            let route = &mut routes[i];
            let left = route.found || {
                match self.compare_at(keys[route.key].as_ref(), route.prefix, index) {
                    Ordering::Equal => {
                        route.found = true;
                        false
                    }
                    Ordering::Less => true,
                    Ordering::Greater => false,
                }
            };
            if left {
                routes.swap(i, going_left);
                going_left += 1;
            }
        }
        let (left_routes, right_routes) = routes.split_at_mut(going_left);
        for (side, routes) in [left_routes, right_routes].into_iter().enumerate() {
            if routes.is_empty() {
                out.push(LABEL_TAG);
                out.extend_from_slice(&self.child_label_of(index, side, low, high));
                *previous_leaf = false;
            } else {
                let (child_low, child_high) = if side == 0 {
                    (low, index)
                } else {
                    (index, high)
                };
                let child = self.child(index, side);
                self.pack_lookups(
                    child,
                    child_low,
                    child_high,
                    keys,
                    routes,
                    out,
                    previous_leaf,
                );
            }
        }
        out.push(self.balance(index) as u8);
    }

    /// Appends the direction bits of a lookup of `key` to `out` (`bits` of them so far).
    fn lookup_directions(&self, key: &[u8], out: &mut Vec<u8>, bits: &mut usize) {
        let prefix = key_prefix(key);
        let mut node = self.root;
        let mut found = false;
        while !node.is_leaf() {
            let index = node.index();
            let left = found || {
                match self.compare_at(key, prefix, index) {
                    Ordering::Equal => {
                        found = true;
                        false
                    }
                    Ordering::Less => true,
                    Ordering::Greater => false,
                }
            };
            if *bits & 7 == 0 {
                out.push(u8::from(left));
            } else if left {
                if let Some(byte) = out.last_mut() {
                    *byte |= 1 << (*bits & 7);
                }
            }
            *bits += 1;
            node = if left {
                self.left(index)
            } else {
                self.right(index)
            };
        }
    }
}
