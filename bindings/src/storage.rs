//! The JS class `TreeStorage`.

use super::convert::{self, is_absent, record_arg, records_arg, shape_of, u64_value, Fields};
use super::error::to_js;
use super::output::{checkpoint_to_js, record_to_js, records_to_js, shape_to_js};
use super::tree::JsTree;
use wasm_bindgen::prelude::*;

/// A tree and its operation log, as the Basis tracker keeps them.
#[wasm_bindgen(js_name = TreeStorage)]
pub struct JsTreeStorage {
    inner: basis_trees::TreeStorage,
}

/// The `timestamp` of `{ timestamp }`; the current time in milliseconds when absent.
fn timestamp_option(options: &JsValue) -> Result<u64, JsValue> {
    let options = Fields::options(options, "options", &["timestamp"])?;
    match options.optional("timestamp", u64_value)? {
        Some(timestamp) => Ok(timestamp),
        None => Ok(js_sys::Date::now() as u64),
    }
}

/// The fields of `new TreeStorage(options)` and `TreeStorage.recover(options, …)`.
const STORAGE_OPTIONS: [&str; 3] = ["keyLength", "valueLength", "withProofs"];

impl JsTreeStorage {
    fn key(&self, value: &JsValue) -> Result<Vec<u8>, JsValue> {
        convert::key(value, "key", self.inner.shape())
    }

    fn value(&self, value: &JsValue) -> Result<Vec<u8>, JsValue> {
        convert::value(value, "value", self.inner.shape())
    }
}

#[wasm_bindgen(js_class = TreeStorage)]
impl JsTreeStorage {
    /// `new TreeStorage({ keyLength, valueLength?, withProofs? })`: an empty tree and log.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<JsTreeStorage, JsValue> {
        let options = Fields::options(&options, "options", &STORAGE_OPTIONS)?;
        let shape = shape_of(&options)?;
        let inner = if options.flag("withProofs")? {
            basis_trees::TreeStorage::with_proofs(shape)
        } else {
            basis_trees::TreeStorage::new(shape)
        }
        .map_err(to_js)?;
        Ok(JsTreeStorage { inner })
    }

    /// `TreeStorage.recover(shape, records)`: rebuilds a storage from its log, checking every
    /// record; throws at the first bad one with its code and sequence.
    pub fn recover(options: JsValue, records: JsValue) -> Result<JsTreeStorage, JsValue> {
        let options = Fields::options(&options, "options", &STORAGE_OPTIONS)?;
        let shape = shape_of(&options)?;
        let records = records_arg(&records, "records")?;
        let inner = basis_trees::TreeStorage::recover(shape, records).map_err(to_js)?;
        Ok(JsTreeStorage { inner })
    }

    /// Inserts, logs and returns the record; throws `KEY_EXISTS` when the key is there.
    pub fn insert(
        &mut self,
        key: JsValue,
        value: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (key, value) = (self.key(&key)?, self.value(&value)?);
        let timestamp = timestamp_option(&options)?;
        let record = self.inner.insert(&key, &value, timestamp).map_err(to_js)?;
        Ok(record_to_js(record))
    }

    /// Updates, logs and returns the record; throws `KEY_NOT_FOUND` when the key is absent.
    pub fn update(
        &mut self,
        key: JsValue,
        value: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (key, value) = (self.key(&key)?, self.value(&value)?);
        let timestamp = timestamp_option(&options)?;
        let record = self.inner.update(&key, &value, timestamp).map_err(to_js)?;
        Ok(record_to_js(record))
    }

    /// Removes, logs and returns the record; throws `KEY_NOT_FOUND` when the key is absent.
    pub fn remove(&mut self, key: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        let key = self.key(&key)?;
        let timestamp = timestamp_option(&options)?;
        let record = self.inner.remove(&key, timestamp).map_err(to_js)?;
        Ok(record_to_js(record))
    }

    /// Appends a record made elsewhere after checking it; throws with the record's code and
    /// sequence when it does not check out (and then nothing changes).
    pub fn append(&mut self, record: JsValue) -> Result<(), JsValue> {
        let record = record_arg(&record, "record")?;
        self.inner.append(record).map_err(to_js)
    }

    /// Appends all of `records` or none: on the first bad record nothing changes and it throws
    /// with that record's code and sequence.
    #[wasm_bindgen(js_name = appendBatch)]
    pub fn append_batch(&mut self, records: JsValue) -> Result<(), JsValue> {
        let records = records_arg(&records, "records")?;
        self.inner.append_batch(records).map_err(to_js)
    }

    /// The current digest.
    #[wasm_bindgen(getter)]
    pub fn digest(&self) -> Vec<u8> {
        self.inner.digest().to_vec()
    }

    /// A copy of the current tree (sharing its memory until either side changes); changing it
    /// does not change the storage.
    #[wasm_bindgen(getter)]
    pub fn tree(&self) -> JsTree {
        JsTree::wrap(self.inner.tree().clone())
    }

    /// `{ keyLength, valueLength }`.
    #[wasm_bindgen(getter)]
    pub fn shape(&self) -> JsValue {
        shape_to_js(self.inner.shape())
    }

    /// The sequence number of the last record (0 before any).
    #[wasm_bindgen(getter, js_name = lastSequence)]
    pub fn last_sequence(&self) -> u64 {
        self.inner.last_sequence()
    }

    /// The records from `fromSeq` to `toSeq`, both included (default: all).
    pub fn operations(&self, from: JsValue, to: JsValue) -> Result<js_sys::Array, JsValue> {
        let bound = |value: &JsValue, what: &str| -> Result<Option<u64>, JsValue> {
            if is_absent(value) {
                Ok(None)
            } else {
                u64_value(value, what).map(Some)
            }
        };
        let (from, to) = (bound(&from, "fromSeq")?, bound(&to, "toSeq")?);
        Ok(records_to_js(self.inner.operations(from, to)))
    }

    /// Records a checkpoint of the current state: `{ id, sequence, timestamp, treeRoot,
    /// nodeCount }`. `options.timestamp` defaults to now.
    pub fn checkpoint(&mut self, options: JsValue) -> Result<JsValue, JsValue> {
        let timestamp = timestamp_option(&options)?;
        let checkpoint = self.inner.checkpoint(timestamp).map_err(to_js)?;
        Ok(checkpoint_to_js(&checkpoint))
    }

    /// The log from record `from` (default: the first) in `format`, `'binary'` (default) or
    /// `'ndjson'`: `exportLog({ from?, format? })`.
    #[wasm_bindgen(js_name = exportLog)]
    pub fn export_log(&self, options: JsValue) -> Result<Vec<u8>, JsValue> {
        let options = Fields::options(&options, "options", &["from", "format"])?;
        let from = options.optional("from", u64_value)?;
        let format = super::log::format_of(&options)?;
        Ok(self.inner.export_log(from, format))
    }

    /// A snapshot of the current tree and sequence number, to resume from
    /// (`TreeStorage.recoverFromSnapshot`, or `LogVerifier`'s `start` option).
    pub fn snapshot(&self) -> Vec<u8> {
        self.inner.snapshot()
    }

    /// The snapshot of checkpoint `id`, or `undefined` if there is none.
    #[wasm_bindgen(js_name = checkpointSnapshot)]
    pub fn checkpoint_snapshot(&self, id: JsValue) -> Result<Option<Vec<u8>>, JsValue> {
        let id = u64_value(&id, "id")?;
        Ok(self.inner.checkpoint_snapshot(id))
    }

    /// `TreeStorage.recoverFromSnapshot(snapshot, logTail, { maxValueLength?, maxRecordLength? })`:
    /// a storage restored from a snapshot, then the log that follows it replayed and checked (its
    /// header as a `LogVerifier` checks it).
    #[wasm_bindgen(js_name = recoverFromSnapshot)]
    pub fn recover_from_snapshot(
        snapshot: JsValue,
        log_tail: JsValue,
        options: JsValue,
    ) -> Result<JsTreeStorage, JsValue> {
        let snapshot = convert::bytes(&snapshot, "snapshot")?;
        let tail = super::log::chunk_arg(&log_tail, "logTail")?;
        let decoder = super::log::decoder_of(&options)?;
        let inner =
            basis_trees::TreeStorage::recover_from_snapshot_within(&snapshot, &tail, decoder)
                .map_err(to_js)?;
        Ok(JsTreeStorage { inner })
    }

    /// Every checkpoint, oldest first.
    pub fn checkpoints(&self) -> js_sys::Array {
        self.inner
            .checkpoints()
            .iter()
            .map(checkpoint_to_js)
            .collect()
    }
}
