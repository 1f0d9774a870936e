//! The JS class `Tree`.

use super::convert::{self, Fields};
use super::error::to_js;
use super::output::{self, shape_to_js};
use wasm_bindgen::prelude::*;

/// The in-memory authenticated AVL+ tree (prover side).
#[wasm_bindgen(js_name = Tree)]
pub struct JsTree {
    pub(crate) inner: basis_trees::Tree,
}

impl JsTree {
    /// Wraps a core tree.
    pub(crate) fn wrap(inner: basis_trees::Tree) -> JsTree {
        JsTree { inner }
    }
}

impl JsTree {
    /// Applies `operations` all or none; each one's old value.
    fn apply_operations(
        &mut self,
        operations: &[basis_trees::Operation],
    ) -> Result<js_sys::Array, JsValue> {
        let results = self.inner.apply_all(operations).map_err(to_js)?;
        Ok(results
            .iter()
            .map(|old| output::optional_uint8_array(old.as_deref()))
            .collect())
    }

    fn key(&self, value: &JsValue) -> Result<Vec<u8>, JsValue> {
        convert::key(value, "key", self.inner.shape())
    }

    fn value(&self, value: &JsValue) -> Result<Vec<u8>, JsValue> {
        convert::value(value, "value", self.inner.shape())
    }
}

#[wasm_bindgen(js_class = Tree)]
impl JsTree {
    /// `new Tree({ keyLength, valueLength? })`: an empty tree.
    #[wasm_bindgen(constructor)]
    pub fn new(shape: JsValue) -> Result<JsTree, JsValue> {
        let shape = convert::shape_arg(&shape, "shape")?;
        basis_trees::Tree::new(shape)
            .map(JsTree::wrap)
            .map_err(to_js)
    }

    /// The 33-byte digest.
    #[wasm_bindgen(getter)]
    pub fn digest(&self) -> Vec<u8> {
        self.inner.digest().to_vec()
    }

    /// The number of entries.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> f64 {
        self.inner.size() as f64
    }

    /// The tree's height (the digest's last byte).
    #[wasm_bindgen(getter)]
    pub fn height(&self) -> f64 {
        self.inner.height() as f64
    }

    /// `{ keyLength, valueLength }`; `valueLength` is `null` for values of any length.
    #[wasm_bindgen(getter)]
    pub fn shape(&self) -> JsValue {
        shape_to_js(self.inner.shape())
    }

    /// The value of `key`, or `undefined`.
    pub fn get(&self, key_arg: JsValue) -> Result<Option<Vec<u8>>, JsValue> {
        self.inner.get(&self.key(&key_arg)?).map_err(to_js)
    }

    /// Whether `key` is in the tree.
    pub fn has(&self, key_arg: JsValue) -> Result<bool, JsValue> {
        self.inner.contains_key(&self.key(&key_arg)?).map_err(to_js)
    }

    /// Inserts a new entry; throws `KEY_EXISTS` when the key is there.
    pub fn insert(&mut self, key_arg: JsValue, value_arg: JsValue) -> Result<(), JsValue> {
        let (k, v) = (self.key(&key_arg)?, self.value(&value_arg)?);
        self.inner.insert(&k, &v).map_err(to_js)
    }

    /// Replaces a value and returns the old one; throws `KEY_NOT_FOUND` when the key is absent.
    pub fn update(&mut self, key_arg: JsValue, value_arg: JsValue) -> Result<Vec<u8>, JsValue> {
        let (k, v) = (self.key(&key_arg)?, self.value(&value_arg)?);
        self.inner.update(&k, &v).map_err(to_js)
    }

    /// Inserts or replaces; returns the old value or `undefined`.
    #[wasm_bindgen(js_name = insertOrUpdate)]
    pub fn insert_or_update(
        &mut self,
        key_arg: JsValue,
        value_arg: JsValue,
    ) -> Result<Option<Vec<u8>>, JsValue> {
        let (k, v) = (self.key(&key_arg)?, self.value(&value_arg)?);
        self.inner.insert_or_update(&k, &v).map_err(to_js)
    }

    /// Removes an entry and returns its value; throws `KEY_NOT_FOUND` when the key is absent.
    pub fn remove(&mut self, key_arg: JsValue) -> Result<Vec<u8>, JsValue> {
        self.inner.remove(&self.key(&key_arg)?).map_err(to_js)
    }

    /// Removes an entry if present; returns its value or `undefined`.
    #[wasm_bindgen(js_name = removeIfExists)]
    pub fn remove_if_exists(&mut self, key_arg: JsValue) -> Result<Option<Vec<u8>>, JsValue> {
        self.inner
            .remove_if_exists(&self.key(&key_arg)?)
            .map_err(to_js)
    }

    /// Applies one operation `{ type, key, value? }` and returns the value the key had before
    /// (for a lookup, the value it has), or `undefined`.
    pub fn apply(&mut self, operation: JsValue) -> Result<Option<Vec<u8>>, JsValue> {
        let operation = convert::operation_arg(&operation, "operation", self.inner.shape())?;
        self.inner.apply(&operation).map_err(to_js)
    }

    /// Applies every operation or none (on an error the tree is as before); returns each
    /// operation's old value.
    #[wasm_bindgen(js_name = applyAll)]
    pub fn apply_all(&mut self, operations: JsValue) -> Result<js_sys::Array, JsValue> {
        let operations = convert::operations_arg(&operations, "operations", self.inner.shape())?;
        self.apply_operations(&operations)
    }

    /// `applyAll` of operations the package packed (`packOperations` in boundary.js): one copy
    /// into the instance instead of a read of every field of every operation object.
    #[wasm_bindgen(js_name = applyAllPacked)]
    pub fn apply_all_packed(&mut self, packed: &[u8]) -> Result<js_sys::Array, JsValue> {
        let operations = convert::packed_operations(packed, self.inner.shape())?;
        self.apply_operations(&operations)
    }

    /// Every entry in key order, as `[key, value]` pairs.
    pub fn entries(&self) -> js_sys::Array {
        let out = js_sys::Array::new();
        self.inner.for_each_entry(|k, v| {
            let pair = js_sys::Array::of2(&output::uint8_array(k), &output::uint8_array(v));
            out.push(&pair);
        });
        out
    }

    /// Bytes that restore this exact tree, shape included (see `Tree.fromSnapshot`).
    /// `snapshot({ sequence })` records the log sequence number the tree stands at (0 when
    /// omitted), so that the snapshot can start the verification of the log after it.
    pub fn snapshot(&self, options: JsValue) -> Result<Vec<u8>, JsValue> {
        let options = Fields::options(&options, "options", &["sequence"])?;
        let sequence = options.optional("sequence", convert::u64_value)?;
        Ok(basis_trees::Snapshot::encode(
            &self.inner,
            sequence.unwrap_or(0),
            None,
        ))
    }

    /// `Tree.fromSnapshot(bytes)`: the tree a snapshot holds; throws `SNAPSHOT_INVALID`.
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(bytes: JsValue) -> Result<JsTree, JsValue> {
        let bytes = convert::bytes(&bytes, "snapshot")?;
        basis_trees::Tree::from_snapshot(&bytes)
            .map(JsTree::wrap)
            .map_err(to_js)
    }

    /// An independent copy (pages of nodes are shared until either side changes one).
    #[wasm_bindgen(js_name = clone)]
    pub fn clone_tree(&self) -> JsTree {
        JsTree::wrap(self.inner.clone())
    }
}
