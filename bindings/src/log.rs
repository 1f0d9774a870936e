//! The JS log API: `LogVerifier`, `LogDecoder`, `encodeLog`, `decodeLog`.

use super::convert::{self, digest, records_arg, shape_arg, u64_value, Fields};
use super::error::{invalid, to_js};
use super::output::{records_to_js, set, shape_to_js, uint8_array};
use super::tree::JsTree;
use basis_trees::{LogFormat, LogHeader, Snapshot, VerifierOptions};
use js_sys::{Array, Object, Uint8Array};
use wasm_bindgen::prelude::*;

/// The bytes of a log, or a chunk of one, named `name`: a `Uint8Array`, or a string taken as
/// its UTF-8 text (NDJSON).
pub(crate) fn chunk_arg(value: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        return convert::copy_of(array);
    }
    if let Some(text) = value.as_string() {
        return Ok(text.into_bytes());
    }
    Err(invalid(
        name,
        "must be a Uint8Array (or a string of NDJSON text)",
    ))
}

/// Bytes copied into the instance at a time: a chunk of any size costs at most this much memory
/// beyond what the decoder keeps. The package's `SLICE_BYTES`, the slice it verifies between
/// two turns of the event loop.
const SLICE_BYTES: u32 = 64 * 1024;

/// Calls `each` with the bytes of a log chunk, one slice at a time.
fn for_each_slice(
    chunk: &JsValue,
    name: &str,
    mut each: impl FnMut(&[u8]) -> Result<(), JsValue>,
) -> Result<(), JsValue> {
    if let Some(array) = chunk.dyn_ref::<Uint8Array>() {
        let length = array.length();
        let mut at = 0;
        while at < length {
            let end = at.saturating_add(SLICE_BYTES).min(length);
            each(&convert::copy_of(&array.subarray(at, end))?)?;
            at = end;
        }
        return Ok(());
    }
    each(&chunk_arg(chunk, name)?)
}

/// `'binary'` (the default) or `'ndjson'` from the field `format`.
pub(crate) fn format_of(options: &Fields) -> Result<LogFormat, JsValue> {
    let format = options.optional("format", |value, name| {
        convert::string_value(value, name)
            .ok()
            .and_then(|text| LogFormat::from_name(&text))
            .ok_or_else(|| invalid(name, "must be 'binary' or 'ndjson'"))
    })?;
    Ok(format.unwrap_or(LogFormat::Binary))
}

/// `{ records, bytes }`, both numbers.
fn progress_to_js(records: u64, bytes: u64) -> JsValue {
    let object = Object::new();
    set(&object, "records", JsValue::from(records as f64));
    set(&object, "bytes", JsValue::from(bytes as f64));
    object.into()
}

/// `{ format, shape, start? }` of a log header.
fn header_to_js(header: &LogHeader) -> JsValue {
    let object = Object::new();
    set(&object, "format", JsValue::from_str(header.format.as_str()));
    set(&object, "shape", shape_to_js(header.shape));
    if let Some(start) = &header.start {
        let start_object = Object::new();
        set(&start_object, "sequence", JsValue::from(start.sequence));
        set(&start_object, "root", uint8_array(&start.root));
        set(&object, "start", start_object.into());
    }
    object.into()
}

/// The options of a `LogVerifier`.
const VERIFIER_OPTIONS: [&str; 9] = [
    "keyLength",
    "valueLength",
    "expectRoot",
    "commitments",
    "start",
    "stateless",
    "startAt",
    "maxValueLength",
    "maxRecordLength",
];

/// The limits of `{ maxValueLength, maxRecordLength }` (see `RecordLimits`).
pub(crate) fn limits_of(options: &Fields) -> Result<(Option<usize>, Option<usize>), JsValue> {
    Ok((
        options.optional("maxValueLength", |v, n| {
            convert::length_value(v, n, 1, basis_trees::MAX_VALUE_LENGTH)
        })?,
        options.optional("maxRecordLength", |v, n| {
            convert::length_value(v, n, 1, basis_trees::MAX_RECORD_LENGTH)
        })?,
    ))
}

/// The verifier options of `{ keyLength, valueLength, expectRoot, start, stateless, startAt,
/// maxValueLength, maxRecordLength }`. The shape is the one the log's header declares (or the
/// `start` snapshot's): `keyLength` and `valueLength`, when given, are asserted of it
/// (`valueLength: null` asserts values of any length).
fn verifier_options(options: &JsValue) -> Result<VerifierOptions, JsValue> {
    let options = Fields::options(options, "options", &VERIFIER_OPTIONS)?;
    let mut verifier = VerifierOptions::from_header();
    if let Some(key_length) = options.optional("keyLength", |v, n| {
        convert::length_value(v, n, 1, basis_trees::MAX_KEY_LENGTH)
    })? {
        verifier = verifier.assert_key_length(key_length);
    }
    let value_length = options.get("valueLength")?;
    if value_length.is_null() {
        verifier = verifier.assert_value_length(None);
    } else if let Some(length) = options.optional("valueLength", |v, n| {
        convert::length_value(v, n, 0, basis_trees::MAX_VALUE_LENGTH)
    })? {
        verifier = verifier.assert_value_length(Some(length));
    }
    let (max_value_length, max_record_length) = limits_of(&options)?;
    verifier.max_value_length = max_value_length;
    verifier.max_record_length = max_record_length;
    if options.flag("stateless")? {
        verifier = verifier.stateless();
    }
    let start_at = options.optional("startAt", |value, name| {
        let start_at = Fields::object(value, name, &["sequence", "root"])?;
        Ok((
            start_at.required("sequence", u64_value)?,
            start_at.required("root", digest)?,
        ))
    })?;
    if let Some((sequence, root)) = start_at {
        verifier = verifier.start_at(sequence, root);
    }
    if let Some(commitment) = options.optional("expectRoot", super::chain::commitment)? {
        verifier = verifier.expect_commitment(commitment);
    }
    if let Some(commitments) = options.optional("commitments", super::chain::commitments)? {
        verifier = verifier.commitments(commitments);
    }
    if let Some(bytes) = options.optional("start", convert::bytes)? {
        verifier = verifier.start_from(Snapshot::decode(&bytes).map_err(to_js)?);
    }
    Ok(verifier)
}

/// Verifies a log pushed in chunks split anywhere; stops at the first bad record.
#[wasm_bindgen(js_name = LogVerifier)]
pub struct JsLogVerifier {
    inner: basis_trees::LogVerifier,
}

#[wasm_bindgen(js_class = LogVerifier)]
impl JsLogVerifier {
    /// `new LogVerifier({ keyLength, valueLength?, expectRoot?, start?, stateless?, startAt? })`:
    /// `start` is a snapshot to continue from; `stateless: true` checks each record by its own
    /// proof and holds no tree, starting from the empty tree or `startAt: { sequence, root }`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<JsLogVerifier, JsValue> {
        let inner = basis_trees::LogVerifier::new(verifier_options(&options)?).map_err(to_js)?;
        Ok(JsLogVerifier { inner })
    }

    /// Verifies every complete record in the bytes so far; throws at the first bad one (and
    /// again on every later call).
    pub fn push(&mut self, chunk: JsValue) -> Result<(), JsValue> {
        let inner = &mut self.inner;
        for_each_slice(&chunk, "chunk", |bytes| inner.push(bytes).map_err(to_js))
    }

    /// Ends the input and returns `{ operations, firstSequence, lastSequence, startRoot,
    /// finalRoot, commitments, anchor }` (`anchor`: what the final root was checked against,
    /// `'none'`, `'digest'`, `'tree'` or `'box'`); throws if the log stops inside a record or
    /// misses `expectRoot`.
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let report = self.inner.finish().map_err(to_js)?;
        let object = Object::new();
        set(
            &object,
            "operations",
            JsValue::from(report.operations as f64),
        );
        set(
            &object,
            "firstSequence",
            JsValue::from(report.first_sequence),
        );
        set(&object, "lastSequence", JsValue::from(report.last_sequence));
        set(&object, "startRoot", uint8_array(&report.start_root));
        set(&object, "finalRoot", uint8_array(&report.final_root));
        set(
            &object,
            "commitments",
            super::chain::commitment_matches_to_js(&report.commitments),
        );
        set(&object, "anchor", JsValue::from_str(report.anchor.as_str()));
        Ok(object.into())
    }

    /// `{ records, bytes }` verified so far.
    pub fn progress(&self) -> JsValue {
        let progress = self.inner.progress();
        progress_to_js(progress.records, progress.bytes)
    }

    /// The replayed tree (a copy sharing its memory until either side changes): after `finish()` the tree the log ends at; after an
    /// error, the tree after the last record that verified. `undefined` in stateless mode.
    pub fn tree(&self) -> Option<JsTree> {
        self.inner.tree().map(|tree| JsTree::wrap(tree.clone()))
    }

    /// `{ format, shape, start? }` once the log's header has been read, else `undefined`.
    #[wasm_bindgen(getter)]
    pub fn header(&self) -> JsValue {
        self.inner.header().map_or(JsValue::UNDEFINED, header_to_js)
    }
}

/// Decodes a log of either format from chunks split anywhere, without replaying it.
#[wasm_bindgen(js_name = LogDecoder)]
pub struct JsLogDecoder {
    inner: basis_trees::LogDecoder,
    records: u64,
}

impl JsLogDecoder {
    /// Moves every complete record into `out`.
    fn drain_into(&mut self, out: &Array) -> Result<(), JsValue> {
        while let Some(decoded) = self.inner.next_record().map_err(to_js)? {
            out.push(&super::output::record_to_js(&decoded.record));
            self.records += 1;
        }
        Ok(())
    }
}

#[wasm_bindgen(js_class = LogDecoder)]
impl JsLogDecoder {
    /// `new LogDecoder({ maxValueLength?, maxRecordLength? })`: a decoder waiting for the first
    /// bytes of a log, holding its records to the limits of the header's shape (or those given).
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<JsLogDecoder, JsValue> {
        Ok(JsLogDecoder {
            inner: decoder_of(&options)?,
            records: 0,
        })
    }

    /// Adds bytes and returns the records they complete.
    pub fn push(&mut self, chunk: JsValue) -> Result<Array, JsValue> {
        let out = Array::new();
        for_each_slice(&chunk, "chunk", |bytes| {
            self.inner.push(bytes);
            self.drain_into(&out)
        })?;
        Ok(out)
    }

    /// Ends the input and returns the last records; throws `LOG_CORRUPT` if the log stops
    /// inside a record.
    pub fn finish(&mut self) -> Result<Array, JsValue> {
        self.inner.finish();
        let out = Array::new();
        self.drain_into(&out)?;
        if self.inner.header().is_none() {
            return Err(to_js(
                basis_trees::Error::new(basis_trees::ErrorKind::LogCorrupt {
                    reason: "the log ends before its header".to_string(),
                })
                .at_offset(0),
            ));
        }
        Ok(out)
    }

    /// `{ records, bytes }` decoded so far.
    pub fn progress(&self) -> JsValue {
        progress_to_js(self.records, self.inner.bytes_decoded())
    }

    /// `{ format, shape, start? }` once read, else `undefined`.
    #[wasm_bindgen(getter)]
    pub fn header(&self) -> JsValue {
        self.inner.header().map_or(JsValue::UNDEFINED, header_to_js)
    }
}

/// A decoder with the limits of `{ maxValueLength?, maxRecordLength? }`.
pub(crate) fn decoder_of(options: &JsValue) -> Result<basis_trees::LogDecoder, JsValue> {
    let options = Fields::options(options, "options", &["maxValueLength", "maxRecordLength"])?;
    let (max_value_length, max_record_length) = limits_of(&options)?;
    Ok(basis_trees::LogDecoder::with_limits(
        max_value_length,
        max_record_length,
    ))
}

/// `encodeLog(records, shape, { format? })`: the log of `records` for a tree of `shape`.
#[wasm_bindgen(js_name = encodeLog)]
pub fn encode_log(records: JsValue, shape: JsValue, options: JsValue) -> Result<Vec<u8>, JsValue> {
    let records = records_arg(&records, "records")?;
    let shape = shape_arg(&shape, "shape")?;
    let format = format_of(&Fields::options(&options, "options", &["format"])?)?;
    Ok(basis_trees::encode_log(&records, shape, format))
}

/// `decodeLog(bytes, { maxValueLength?, maxRecordLength? })`: `{ shape, format, start?, records
/// }`, checking the encoding only.
#[wasm_bindgen(js_name = decodeLog)]
pub fn decode_log(bytes: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let bytes = chunk_arg(&bytes, "bytes")?;
    let decoder = decoder_of(&options)?;
    let (header, records) = basis_trees::decode_log_within(&bytes, decoder).map_err(to_js)?;
    let object: Object = header_to_js(&header).unchecked_into();
    set(&object, "records", records_to_js(&records).into());
    Ok(object.into())
}
