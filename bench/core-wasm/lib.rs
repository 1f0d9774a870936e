//! Benchmark entry points over the core: a workload file written by bench/native/ is
//! parsed once, then JavaScript times `prefill`, `replay` and `build`, which run wholly inside
//! WebAssembly (one call per run, so binding costs are negligible).

use basis_trees::{replay_record, Operation, OperationType, Tree, TreeOperation, TreeShape};
use blake2::digest::consts::U32;
use blake2::digest::Digest;
use wasm_bindgen::prelude::*;

type Blake2b256 = blake2::Blake2b<U32>;
type Root = [u8; 33];

fn shape() -> TreeShape {
    TreeShape {
        key_length: 32,
        value_length: Some(8),
    }
}

/// A parsed workload and the tree it is replayed on.
#[wasm_bindgen]
pub struct CoreBench {
    prefill: Vec<Operation>,
    start_root: Root,
    records: Vec<TreeOperation>,
    tree: Tree,
    next: usize,
}

/// Reads a workload file (layout in bench/native/workload.rs, `write_workload`).
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], JsValue> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len());
        let end = end.ok_or_else(|| JsValue::from_str("workload file is truncated"))?;
        let slice = self.bytes.get(self.at..end).unwrap_or_default();
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<usize, JsValue> {
        let mut le = [0u8; 4];
        le.copy_from_slice(self.take(4)?);
        Ok(u32::from_le_bytes(le) as usize)
    }

    fn root(&mut self) -> Result<Root, JsValue> {
        let mut root = [0u8; 33];
        root.copy_from_slice(self.take(33)?);
        Ok(root)
    }
}

#[wasm_bindgen]
impl CoreBench {
    /// Parses a workload file.
    #[wasm_bindgen(constructor)]
    pub fn new(workload: &[u8]) -> Result<CoreBench, JsValue> {
        let mut r = Reader {
            bytes: workload,
            at: 0,
        };
        if r.take(8)? != b"BTBENCH1" {
            return Err(JsValue::from_str("not a workload file"));
        }
        let (size, count, _per_run) = (r.u32()?, r.u32()?, r.u32()?);
        let mut prefill = Vec::with_capacity(size);
        for _ in 0..size {
            prefill.push(Operation::Insert {
                key: r.take(32)?.to_vec(),
                value: r.take(8)?.to_vec(),
            });
        }
        let start_root = r.root()?;
        let mut records = Vec::with_capacity(count);
        let mut before = start_root;
        for i in 0..count {
            let kind = r.take(1)?[0];
            let key = r.take(32)?.to_vec();
            let value = r.take(8)?.to_vec();
            let has_previous = r.take(1)?[0] == 1;
            let previous = r.take(8)?.to_vec();
            let after = r.root()?;
            records.push(TreeOperation {
                sequence_number: i as u64 + 1,
                operation_type: match kind {
                    0 => OperationType::Insert,
                    1 => OperationType::Update,
                    _ => OperationType::Remove,
                },
                timestamp: 0,
                key,
                value: (kind != 2).then_some(value),
                previous_value: has_previous.then_some(previous),
                tree_root_before: before,
                tree_root_after: after,
                proof: None,
            });
            before = after;
        }
        Ok(CoreBench {
            prefill,
            start_root,
            records,
            tree: Tree::new(shape()).map_err(|e| JsValue::from_str(&e.to_string()))?,
            next: 0,
        })
    }

    /// Builds the prefilled tree one settled insert at a time; whether its digest is the native one.
    pub fn prefill(&mut self) -> bool {
        let mut tree = match Tree::new(shape()) {
            Ok(tree) => tree,
            Err(_) => return false,
        };
        for operation in &self.prefill {
            if tree.apply(operation).is_err() {
                return false;
            }
        }
        self.tree = tree;
        self.next = 0;
        self.tree.digest() == self.start_root
    }

    /// The number of entries the prefill inserts.
    pub fn prefill_size(&self) -> usize {
        self.prefill.len()
    }

    /// W1: replays the next `count` records with `replay_record` (roots and previous values
    /// checked); returns how many were replayed.
    pub fn replay(&mut self, count: usize) -> Result<usize, JsValue> {
        let end = self.next.saturating_add(count).min(self.records.len());
        for record in self.records.get(self.next..end).unwrap_or_default() {
            replay_record(&mut self.tree, record.sequence_number, record)
                .map_err(|e| JsValue::from_str(&e.to_string()))?;
        }
        let done = end - self.next;
        self.next = end;
        Ok(done)
    }

    /// W2: the prefill applied to an empty tree in one batch; whether the digest is the native one.
    pub fn build(&self) -> bool {
        let mut tree = match Tree::new(shape()) {
            Ok(tree) => tree,
            Err(_) => return false,
        };
        tree.apply_all(&self.prefill).is_ok() && tree.digest() == self.start_root
    }
}

/// Builds a tree of `size` entries (one settled insert at a time) and keeps it alive, for the
/// memory measurement; returns its size.
#[wasm_bindgen]
pub fn hold_tree(size: u32) -> u32 {
    thread_local! {
        static HELD: std::cell::RefCell<Vec<Tree>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let Ok(mut tree) = Tree::new(shape()) else {
        return 0;
    };
    for i in 1..=size {
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(&i.wrapping_mul(0x9e37_79b1).to_be_bytes());
        key[4..8].copy_from_slice(&i.to_be_bytes());
        key[8..12].copy_from_slice(&(i ^ 0x5bd1_e995).wrapping_mul(0x85eb_ca6b).to_be_bytes());
        if tree.insert(&key, &[0; 8]).is_err() {
            return 0;
        }
    }
    let size = tree.size() as u32;
    HELD.with(|held| held.borrow_mut().push(tree));
    size
}

/// The bytes one tree node takes in this build, before the allocator's own header: the
/// `Rc<RefCell<Node>>` box of ergo_avltree_rust (two counts, the borrow flag and the node). Every
/// entry is one leaf and one internal node.
#[wasm_bindgen]
pub fn node_bytes() -> u32 {
    let counts = 2 * std::mem::size_of::<usize>();
    (counts + std::mem::size_of::<std::cell::RefCell<ergo_avltree_rust::batch_node::Node>>()) as u32
}

/// Hashes `count` internal-node labels (prefix 1, balance, left, right: 66 bytes) exactly as
/// ergo_avltree_rust's `Node::label` does, each feeding the next; returns a byte of the last.
#[wasm_bindgen]
pub fn hash_internal(count: u32, seed: u32) -> u32 {
    let mut label = [seed as u8; 32];
    for _ in 0..count {
        let mut hasher = Blake2b256::new();
        hasher.update([1u8]);
        hasher.update([0u8]);
        hasher.update(label);
        hasher.update(label);
        label.copy_from_slice(&hasher.finalize());
    }
    u32::from(label[0])
}

/// Like [`hash_internal`] for leaf labels of this shape (prefix 0, key, value, next key: 73 bytes).
#[wasm_bindgen]
pub fn hash_leaf(count: u32, seed: u32) -> u32 {
    let mut label = [seed as u8; 32];
    let value = [3u8; 8];
    for _ in 0..count {
        let mut hasher = Blake2b256::new();
        hasher.update([0u8]);
        hasher.update(label);
        hasher.update(value);
        hasher.update(label);
        label.copy_from_slice(&hasher.finalize());
    }
    u32::from(label[0])
}
