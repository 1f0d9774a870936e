//! The bindings' behaviour as JavaScript sees it, shared by the Node, browser and worker suites:
//! argument conversion, thrown `BasisTreeError`s, and an instance that keeps working after every
//! error.

use basis_trees_wasm::{
    debt_value, decode_log, empty_digest, encode_log, from_hex, note_key, to_hex, verify_proof,
    JsLogDecoder, JsLogVerifier, JsTree, JsTreeStorage,
};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

#[allow(dead_code)]
#[path = "helpers.rs"]
mod helpers;
use helpers::{bytes, expect_code, expect_invalid, get, obj, u8a};

fn shape(key_length: u32, value_length: Option<u32>) -> JsValue {
    obj(&[
        ("keyLength", JsValue::from(key_length)),
        (
            "valueLength",
            value_length.map_or(JsValue::UNDEFINED, JsValue::from),
        ),
    ])
}

fn key(n: u8) -> JsValue {
    u8a(&[n; 32])
}

fn timestamp(ms: u64) -> JsValue {
    obj(&[("timestamp", JsValue::from(ms))])
}

#[wasm_bindgen_test]
fn tree_inserts_updates_removes_and_reports_digest_size_height() {
    let mut tree = JsTree::new(shape(32, Some(8))).unwrap();
    let empty = tree.digest();
    assert_eq!(empty.len(), 33);
    tree.insert(key(1), debt_value(JsValue::from(100u64)).unwrap().into())
        .unwrap();
    tree.insert(key(2), u8a(&[0, 0, 0, 0, 0, 0, 0, 7])).unwrap();
    assert_eq!(tree.size(), 2.0);
    assert_eq!(
        tree.get(key(1)).unwrap(),
        Some(100u64.to_be_bytes().to_vec())
    );
    assert_eq!(tree.get(key(3)).unwrap(), None);
    let old = tree.update(key(1), u8a(&250u64.to_be_bytes())).unwrap();
    assert_eq!(old, 100u64.to_be_bytes());
    assert_eq!(tree.remove(key(2)).unwrap(), 7u64.to_be_bytes());
    assert_eq!(tree.insert_or_update(key(9), u8a(&[1; 8])).unwrap(), None);
    assert_eq!(tree.remove_if_exists(key(4)).unwrap(), None);
    assert_eq!(tree.size(), 2.0);
    assert!(tree.height() >= 1.0);
    assert_eq!(f64::from(tree.digest()[32]), tree.height());
    assert_ne!(tree.digest(), empty);
    assert_eq!(tree.entries().length(), 2);
}

#[wasm_bindgen_test]
fn empty_basis_tracker_digest_is_the_known_one() {
    let tree = JsTree::new(JsValue::UNDEFINED).unwrap();
    assert_eq!(
        basis_trees::to_hex(&tree.digest()),
        basis_trees::EMPTY_BASIS_TRACKER_DIGEST
    );
    let digest = empty_digest(shape(32, None)).unwrap();
    assert_eq!(
        basis_trees::to_hex(&digest),
        basis_trees::EMPTY_BASIS_TRACKER_DIGEST
    );
    assert_eq!(get(&tree.shape(), "valueLength"), JsValue::NULL);
}

#[wasm_bindgen_test]
fn keys_and_values_may_be_hex_strings() {
    let mut tree = JsTree::new(shape(32, None)).unwrap();
    let hex_key = "ab".repeat(32);
    tree.insert(JsValue::from_str(&hex_key), JsValue::from_str("00ff"))
        .unwrap();
    assert_eq!(tree.get(u8a(&[0xab; 32])).unwrap(), Some(vec![0x00, 0xff]));
    assert_eq!(to_hex(u8a(&[1, 0xfe])).unwrap(), "01fe");
    assert_eq!(from_hex(JsValue::from_str("01fe")).unwrap(), vec![1, 0xfe]);
}

#[wasm_bindgen_test]
fn every_tree_error_is_a_basis_tree_error_and_the_tree_keeps_working() {
    let mut tree = JsTree::new(shape(32, Some(8))).unwrap();
    tree.insert(key(1), u8a(&[1; 8])).unwrap();
    let digest = tree.digest();

    expect_code(
        tree.insert(u8a(&[1; 31]), u8a(&[1; 8])).unwrap_err(),
        "KEY_LENGTH",
    );
    expect_code(
        tree.insert(key(2), u8a(&[1; 9])).unwrap_err(),
        "VALUE_LENGTH",
    );
    expect_code(
        tree.insert(key(0), u8a(&[1; 8])).unwrap_err(),
        "KEY_RESERVED",
    );
    expect_code(
        tree.insert(key(0xff), u8a(&[1; 8])).unwrap_err(),
        "KEY_RESERVED",
    );
    expect_code(tree.insert(key(1), u8a(&[2; 8])).unwrap_err(), "KEY_EXISTS");
    expect_code(
        tree.update(key(3), u8a(&[2; 8])).unwrap_err(),
        "KEY_NOT_FOUND",
    );
    expect_code(tree.remove(key(3)).unwrap_err(), "KEY_NOT_FOUND");
    assert_eq!(tree.digest(), digest, "a failed operation changed the tree");

    // Still the same, working instance.
    tree.insert(key(2), u8a(&[2; 8])).unwrap();
    assert_eq!(tree.size(), 2.0);
    assert_eq!(tree.get(key(2)).unwrap(), Some(vec![2; 8]));
}

#[wasm_bindgen_test]
fn malformed_arguments_throw_instead_of_trapping() {
    let mut tree = JsTree::new(shape(32, None)).unwrap();
    for bad in [
        JsValue::from(42),
        JsValue::NULL,
        JsValue::UNDEFINED,
        JsValue::from_str("zz"),
        JsValue::from_str("abc"),
        Object::new().into(),
        Array::new().into(),
        JsValue::from(1u64),
    ] {
        expect_invalid(tree.insert(bad.clone(), u8a(&[1])).unwrap_err(), "key");
        expect_invalid(tree.get(bad.clone()).unwrap_err(), "key");
        expect_invalid(tree.insert(key(5), bad).unwrap_err(), "value");
    }
    let bad_hex = expect_invalid(tree.get(JsValue::from_str("0g")).unwrap_err(), "key");
    assert_eq!(get(&bad_hex, "offset"), JsValue::from(1.0));
    // A key or value the tree's shape does not take is what the data says.
    let long = expect_code(tree.get(u8a(&[1; 40])).unwrap_err(), "KEY_LENGTH");
    assert_eq!(get(&long, "expected"), JsValue::from(32.0));
    assert_eq!(get(&long, "actual"), JsValue::from(40.0));

    for bad_shape in [
        shape(0, None),
        shape(100_000, None),
        obj(&[("keyLength", JsValue::from(1e300))]),
        obj(&[("keyLength", JsValue::from(-1))]),
        obj(&[("keyLength", JsValue::from(2.5))]),
        obj(&[("keyLength", JsValue::from_str("32"))]),
        JsValue::from(32),
    ] {
        expect_code(JsTree::new(bad_shape).err().unwrap(), "INVALID_ARGUMENT");
    }
    expect_invalid(
        JsTree::new(obj(&[("valueLength", JsValue::from(1e12))]))
            .err()
            .unwrap(),
        "valueLength",
    );
    for bad_op in [
        JsValue::from(1),
        obj(&[("type", JsValue::from_str("delete")), ("key", key(1))]),
        obj(&[("type", JsValue::from_str("insert")), ("key", key(1))]),
    ] {
        expect_code(tree.apply(bad_op).unwrap_err(), "INVALID_ARGUMENT");
    }
    expect_invalid(
        tree.apply_all(JsValue::from_str("ops")).unwrap_err(),
        "operations",
    );
    expect_invalid(
        debt_value(JsValue::bigint_from_str("18446744073709551616")).unwrap_err(),
        "totalDebt",
    );
    expect_invalid(debt_value(JsValue::from(-1)).unwrap_err(), "totalDebt");
    expect_invalid(from_hex(JsValue::from(7)).unwrap_err(), "text");

    tree.insert(key(5), u8a(&[5])).unwrap();
    assert_eq!(tree.size(), 1.0);
}

#[wasm_bindgen_test]
fn apply_all_is_all_or_nothing() {
    let mut tree = JsTree::new(shape(32, None)).unwrap();
    let op = |ty: &str, k: u8, v: Option<&[u8]>| {
        let mut pairs = vec![("type", JsValue::from_str(ty)), ("key", key(k))];
        if let Some(v) = v {
            pairs.push(("value", u8a(v)));
        }
        obj(&pairs)
    };
    let ops: Array = [op("insert", 1, Some(&[1])), op("insert", 2, Some(&[2]))]
        .into_iter()
        .collect();
    let results = tree.apply_all(ops.into()).unwrap();
    assert_eq!(results.length(), 2);
    assert!(results.get(0).is_undefined());
    let digest = tree.digest();
    let failing: Array = [op("update", 1, Some(&[9])), op("remove", 7, None)]
        .into_iter()
        .collect();
    expect_code(tree.apply_all(failing.into()).unwrap_err(), "KEY_NOT_FOUND");
    assert_eq!(tree.digest(), digest);
    assert_eq!(tree.get(key(1)).unwrap(), Some(vec![1]));
    assert_eq!(tree.apply(op("lookup", 2, None)).unwrap(), Some(vec![2]));
}

#[wasm_bindgen_test]
fn storage_records_have_the_api_fields_and_types() {
    let mut storage = JsTreeStorage::new(shape(32, None)).unwrap();
    let record = storage
        .insert(key(1), u8a(&[1]), timestamp(1_700_000_000_000))
        .unwrap();
    assert_eq!(get(&record, "sequenceNumber"), JsValue::from(1u64));
    assert!(get(&record, "sequenceNumber").is_bigint());
    assert_eq!(get(&record, "type").as_string().as_deref(), Some("insert"));
    assert_eq!(
        get(&record, "timestamp"),
        JsValue::from(1_700_000_000_000u64)
    );
    assert_eq!(bytes(&get(&record, "key")), vec![1; 32]);
    assert_eq!(bytes(&get(&record, "value")), vec![1]);
    assert!(get(&record, "previousValue").is_undefined());
    assert_eq!(
        basis_trees::to_hex(&bytes(&get(&record, "rootBefore"))),
        basis_trees::EMPTY_BASIS_TRACKER_DIGEST
    );
    assert_eq!(bytes(&get(&record, "rootAfter")), storage.digest());

    let record = storage.update(key(1), u8a(&[2]), timestamp(2)).unwrap();
    assert_eq!(bytes(&get(&record, "previousValue")), vec![1]);
    let record = storage.remove(key(1), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&record, "type").as_string().as_deref(), Some("remove"));
    assert!(get(&record, "value").is_undefined());
    assert!(
        get(&record, "timestamp").is_bigint(),
        "default timestamp is now, a bigint"
    );

    assert_eq!(storage.last_sequence(), 3);
    assert_eq!(
        storage
            .operations(JsValue::UNDEFINED, JsValue::UNDEFINED)
            .unwrap()
            .length(),
        3
    );
    let middle = storage
        .operations(JsValue::from(2u64), JsValue::from(2u64))
        .unwrap();
    assert_eq!(middle.length(), 1);
    assert_eq!(get(&middle.get(0), "sequenceNumber"), JsValue::from(2u64));

    let checkpoint = storage.checkpoint(timestamp(5)).unwrap();
    assert_eq!(get(&checkpoint, "id"), JsValue::from(1u64));
    assert_eq!(get(&checkpoint, "sequence"), JsValue::from(3u64));
    assert_eq!(bytes(&get(&checkpoint, "treeRoot")), storage.digest());
    assert_eq!(get(&checkpoint, "nodeCount"), JsValue::from(1.0));
}

#[wasm_bindgen_test]
fn storage_errors_carry_sequence_and_leave_the_storage_working() {
    let mut tracker = JsTreeStorage::new(JsValue::UNDEFINED).unwrap();
    tracker.insert(key(1), u8a(&[1]), timestamp(1)).unwrap();
    tracker.update(key(1), u8a(&[2]), timestamp(2)).unwrap();
    let log = tracker
        .operations(JsValue::UNDEFINED, JsValue::UNDEFINED)
        .unwrap();

    // A forged value in record 2.
    let forged: Array = log.iter().collect();
    let second = forged.get(1);
    Reflect::set(&second, &"value".into(), &u8a(&[9])).unwrap();
    let err = JsTreeStorage::recover(JsValue::UNDEFINED, forged.into())
        .err()
        .unwrap();
    let err = expect_code(err, "ROOT_AFTER_MISMATCH");
    assert_eq!(get(&err, "sequence"), JsValue::from(2u64));
    assert!(get(&err, "sequence").is_bigint());

    let mut replica = JsTreeStorage::new(JsValue::UNDEFINED).unwrap();
    expect_code(replica.append(log.get(1)).unwrap_err(), "LOG_SEQUENCE");
    expect_invalid(replica.append(JsValue::from(3)).unwrap_err(), "record");
    let no_key = obj(&[("type", JsValue::from_str("insert"))]);
    expect_invalid(replica.append(no_key).unwrap_err(), "record.sequenceNumber");
    let wrong_prev: JsValue = Reflect::get(&log, &1.into()).unwrap();
    let batch: Array = [log.get(0), wrong_prev.clone()].into_iter().collect();
    Reflect::set(&wrong_prev, &"previousValue".into(), &u8a(&[7])).unwrap();
    expect_code(
        replica.append_batch(batch.into()).unwrap_err(),
        "PREVIOUS_VALUE_MISMATCH",
    );
    assert_eq!(
        replica.last_sequence(),
        0,
        "a refused batch left records behind"
    );

    expect_code(
        tracker.insert(key(1), u8a(&[1]), timestamp(3)).unwrap_err(),
        "KEY_EXISTS",
    );
    expect_code(
        tracker.remove(key(2), timestamp(3)).unwrap_err(),
        "KEY_NOT_FOUND",
    );
    expect_invalid(
        tracker
            .insert(key(2), u8a(&[1]), obj(&[("timestamp", JsValue::from(-5))]))
            .unwrap_err(),
        "timestamp",
    );
    let again = JsTreeStorage::recover(
        JsValue::UNDEFINED,
        tracker
            .operations(JsValue::UNDEFINED, JsValue::UNDEFINED)
            .unwrap()
            .into(),
    )
    .unwrap();
    assert_eq!(again.digest(), tracker.digest());
    assert_eq!(tracker.last_sequence(), 2);
}

#[wasm_bindgen_test]
fn note_key_is_blake2b256_of_issuer_and_recipient() {
    let key = note_key(u8a(b"a"), u8a(b"bc")).unwrap();
    assert_eq!(
        basis_trees::to_hex(&key),
        "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
    );
}

#[wasm_bindgen_test]
fn storage_tree_is_an_independent_copy() {
    let mut storage = JsTreeStorage::new(JsValue::UNDEFINED).unwrap();
    storage.insert(key(1), u8a(&[1]), timestamp(1)).unwrap();
    let mut copy = storage.tree();
    copy.insert(key(2), u8a(&[2])).unwrap();
    assert_eq!(storage.tree().size(), 1.0);
    assert_eq!(copy.size(), 2.0);
}

fn sample_storage(records: u8) -> JsTreeStorage {
    let mut storage = JsTreeStorage::new(JsValue::UNDEFINED).unwrap();
    for n in 1..=records {
        storage
            .insert(key(n), u8a(&[n]), timestamp(u64::from(n)))
            .unwrap();
    }
    storage
        .update(key(1), u8a(&[9, 9]), timestamp(1000))
        .unwrap();
    storage
}

#[wasm_bindgen_test]
fn log_verifier_takes_chunks_split_anywhere_in_both_formats() {
    let storage = sample_storage(30);
    for format in ["binary", "ndjson"] {
        let log = storage
            .export_log(obj(&[("format", JsValue::from_str(format))]))
            .unwrap();
        let mut verifier =
            JsLogVerifier::new(obj(&[("expectRoot", u8a(&storage.digest()))])).unwrap();
        for piece in log.chunks(13) {
            verifier.push(u8a(piece)).unwrap();
        }
        let report = verifier.finish().unwrap();
        assert_eq!(get(&report, "operations"), JsValue::from(31.0));
        assert_eq!(get(&report, "lastSequence"), JsValue::from(31u64));
        assert_eq!(bytes(&get(&report, "finalRoot")), storage.digest());
        assert_eq!(verifier.tree().unwrap().digest(), storage.digest());
        let progress = verifier.progress();
        assert_eq!(get(&progress, "bytes"), JsValue::from(log.len() as f64));
        assert_eq!(
            get(&verifier.header(), "format").as_string().as_deref(),
            Some(format)
        );
    }
}

#[wasm_bindgen_test]
fn bad_logs_throw_with_sequence_and_offset_and_the_instance_keeps_working() {
    let storage = sample_storage(10);
    let records = storage
        .operations(JsValue::UNDEFINED, JsValue::UNDEFINED)
        .unwrap();
    Reflect::set(&records.get(4), &"value".into(), &u8a(&[77])).unwrap();
    let tampered = encode_log(records.into(), JsValue::UNDEFINED, JsValue::UNDEFINED).unwrap();
    let mut verifier = JsLogVerifier::new(JsValue::UNDEFINED).unwrap();
    let err = expect_code(
        verifier.push(u8a(&tampered)).unwrap_err(),
        "ROOT_AFTER_MISMATCH",
    );
    assert_eq!(get(&err, "sequence"), JsValue::from(5u64));
    assert!(get(&err, "offset").as_f64().is_some());
    expect_code(verifier.finish().unwrap_err(), "ROOT_AFTER_MISMATCH");

    let good = storage.export_log(JsValue::UNDEFINED).unwrap();
    let mut truncated = JsLogVerifier::new(JsValue::UNDEFINED).unwrap();
    truncated.push(u8a(&good[..good.len() - 1])).unwrap();
    expect_code(truncated.finish().unwrap_err(), "LOG_CORRUPT");
    let mut wrong_shape = JsLogVerifier::new(shape(32, Some(8))).unwrap();
    expect_code(wrong_shape.push(u8a(&good)).unwrap_err(), "SHAPE_MISMATCH");
    let mut wrong_type = JsLogVerifier::new(JsValue::UNDEFINED).unwrap();
    expect_invalid(wrong_type.push(JsValue::from(5)).unwrap_err(), "chunk");
    expect_invalid(
        decode_log(JsValue::NULL, JsValue::UNDEFINED).unwrap_err(),
        "bytes",
    );
    expect_code(
        decode_log(u8a(&[0xff; 40]), JsValue::UNDEFINED).unwrap_err(),
        "LOG_CORRUPT",
    );
    expect_code(
        JsTree::from_snapshot(u8a(&[1, 2, 3])).err().unwrap(),
        "SNAPSHOT_INVALID",
    );

    let mut fresh = JsLogVerifier::new(JsValue::UNDEFINED).unwrap();
    fresh.push(u8a(&good)).unwrap();
    assert_eq!(
        bytes(&get(&fresh.finish().unwrap(), "finalRoot")),
        storage.digest()
    );
}

#[wasm_bindgen_test]
fn decoder_and_codec_round_trip_records() {
    let storage = sample_storage(5);
    let records = storage
        .operations(JsValue::UNDEFINED, JsValue::UNDEFINED)
        .unwrap();
    let ndjson = encode_log(
        records.clone().into(),
        JsValue::UNDEFINED,
        obj(&[("format", JsValue::from_str("ndjson"))]),
    )
    .unwrap();
    let decoded = decode_log(u8a(&ndjson), JsValue::UNDEFINED).unwrap();
    let back: Array = get(&decoded, "records").unchecked_into();
    assert_eq!(back.length(), 6);
    assert_eq!(get(&back.get(5), "sequenceNumber"), JsValue::from(6u64));
    assert_eq!(bytes(&get(&back.get(5), "previousValue")), vec![1]);

    let mut decoder = JsLogDecoder::new(JsValue::UNDEFINED).unwrap();
    let mut count = 0;
    for piece in ndjson.chunks(50) {
        count += decoder.push(u8a(piece)).unwrap().length();
    }
    count += decoder.finish().unwrap().length();
    assert_eq!(count, 6);
    let snapshot = storage.tree().snapshot(JsValue::UNDEFINED).unwrap();
    assert_eq!(
        JsTree::from_snapshot(u8a(&snapshot)).unwrap().digest(),
        storage.digest()
    );
}

#[wasm_bindgen_test]
fn proofs_made_here_verify_and_bad_ones_are_proof_invalid() {
    let mut tree = JsTree::new(shape(32, Some(8))).unwrap();
    for n in 1..=12 {
        tree.insert(key(n), u8a(&[n; 8])).unwrap();
    }
    let ops: Array = [
        obj(&[("type", JsValue::from_str("lookup")), ("key", key(3))]),
        obj(&[
            ("type", JsValue::from_str("update")),
            ("key", key(4)),
            ("value", u8a(&[40; 8])),
        ]),
    ]
    .into_iter()
    .collect();
    let batch = tree.prove(ops.clone().into()).unwrap();
    let input = |proof: JsValue| {
        obj(&[
            ("digest", get(&batch, "digestBefore")),
            ("proof", proof),
            ("operations", ops.clone().into()),
            ("keyLength", JsValue::from(32)),
            ("valueLength", JsValue::from(8)),
        ])
    };
    let verified = verify_proof(input(get(&batch, "proof"))).unwrap();
    assert_eq!(bytes(&get(&verified, "digest")), tree.digest());
    let results: Array = get(&verified, "results").unchecked_into();
    assert_eq!(bytes(&results.get(0)), vec![3; 8]);

    let proof = bytes(&get(&batch, "proof"));
    for cut in [0, 1, proof.len() / 2, proof.len() - 1] {
        expect_code(
            verify_proof(input(u8a(&proof[..cut]))).unwrap_err(),
            "PROOF_INVALID",
        );
    }
    expect_invalid(verify_proof(JsValue::from(1)).unwrap_err(), "input");
    expect_invalid(verify_proof(input(JsValue::NULL)).unwrap_err(), "proof");

    let lookup = tree.prove_lookup(Array::of1(&key(5)).into()).unwrap();
    let lookups: Array = [obj(&[
        ("type", JsValue::from_str("lookup")),
        ("key", key(5)),
    ])]
    .into_iter()
    .collect();
    let checked = verify_proof(obj(&[
        ("digest", u8a(&tree.digest())),
        ("proof", u8a(&lookup)),
        ("operations", lookups.into()),
        ("keyLength", JsValue::from(32)),
        ("valueLength", JsValue::from(8)),
    ]))
    .unwrap();
    let results: Array = get(&checked, "results").unchecked_into();
    assert_eq!(bytes(&results.get(0)), vec![5; 8]);
}

#[wasm_bindgen_test]
fn options_are_strict_and_errors_name_the_argument() {
    let storage = sample_storage(3);
    let digest = u8a(&storage.digest());
    let misspelt = expect_invalid(
        JsLogVerifier::new(obj(&[("expectedRoot", digest.clone())]))
            .err()
            .unwrap(),
        "expectedRoot",
    );
    let message = get(&misspelt, "message").as_string().unwrap();
    assert!(message.contains("did you mean expectRoot?"), "{message}");
    expect_invalid(
        JsTree::new(obj(&[("keylength", JsValue::from(32))]))
            .err()
            .unwrap(),
        "keylength",
    );
    expect_invalid(
        storage
            .export_log(obj(&[("form", JsValue::from_str("ndjson"))]))
            .unwrap_err(),
        "form",
    );
    expect_invalid(
        JsLogVerifier::new(obj(&[("expectRoot", u8a(&[1; 32]))]))
            .err()
            .unwrap(),
        "expectRoot",
    );
    expect_invalid(
        JsLogVerifier::new(obj(&[("expectRoot", JsValue::from_str("zz"))]))
            .err()
            .unwrap(),
        "expectRoot",
    );
    let start_at = obj(&[("sequence", JsValue::from(1u64)), ("root", u8a(&[0; 32]))]);
    expect_invalid(
        JsLogVerifier::new(obj(&[("stateless", JsValue::TRUE), ("startAt", start_at)]))
            .err()
            .unwrap(),
        "startAt.root",
    );
    expect_invalid(
        JsLogVerifier::new(obj(&[("stateless", JsValue::from(1))]))
            .err()
            .unwrap(),
        "stateless",
    );
    let records = storage
        .operations(JsValue::UNDEFINED, JsValue::UNDEFINED)
        .unwrap();
    Reflect::set(&records.get(1), &"sequence".into(), &JsValue::from(2)).unwrap();
    expect_invalid(
        JsTreeStorage::recover(JsValue::UNDEFINED, records.into())
            .err()
            .unwrap(),
        "records[1].sequence",
    );
    expect_invalid(
        note_key(JsValue::from_str("abc"), u8a(&[1])).unwrap_err(),
        "issuer",
    );
    // Spelt right, the options work.
    let mut verifier = JsLogVerifier::new(obj(&[("expectRoot", digest)])).unwrap();
    verifier
        .push(u8a(&storage.export_log(JsValue::UNDEFINED).unwrap()))
        .unwrap();
    assert_eq!(
        get(&verifier.finish().unwrap(), "operations"),
        JsValue::from(4.0)
    );
}

#[wasm_bindgen_test]
fn errors_about_the_data_carry_expected_and_actual() {
    let storage = sample_storage(6);
    let records = storage
        .operations(JsValue::UNDEFINED, JsValue::UNDEFINED)
        .unwrap();
    let logged_after = get(&records.get(0), "rootAfter");
    let computed_after = get(&records.get(2), "rootAfter");
    Reflect::set(&records.get(2), &"rootAfter".into(), &logged_after).unwrap();
    let forged = encode_log(records.into(), JsValue::UNDEFINED, JsValue::UNDEFINED).unwrap();
    let mut verifier = JsLogVerifier::new(JsValue::UNDEFINED).unwrap();
    let err = expect_code(
        verifier.push(u8a(&forged)).unwrap_err(),
        "ROOT_AFTER_MISMATCH",
    );
    assert_eq!(bytes(&get(&err, "expected")), bytes(&computed_after));
    assert_eq!(bytes(&get(&err, "actual")), bytes(&logged_after));

    let log = storage.export_log(JsValue::UNDEFINED).unwrap();
    let wrong = [7; 33];
    let mut expecting = JsLogVerifier::new(obj(&[("expectRoot", u8a(&wrong))])).unwrap();
    expecting.push(u8a(&log)).unwrap();
    let err = expect_code(expecting.finish().unwrap_err(), "EXPECTED_ROOT_MISMATCH");
    assert_eq!(bytes(&get(&err, "expected")), wrong);
    assert_eq!(bytes(&get(&err, "actual")), storage.digest());

    let mut shaped = JsLogVerifier::new(shape(32, Some(8))).unwrap();
    let err = expect_code(shaped.push(u8a(&log)).unwrap_err(), "SHAPE_MISMATCH");
    assert_eq!(
        get(&get(&err, "expected"), "valueLength"),
        JsValue::from(8.0)
    );
    assert_eq!(get(&get(&err, "actual"), "valueLength"), JsValue::NULL);

    let mut replica = JsTreeStorage::new(JsValue::UNDEFINED).unwrap();
    let later = storage
        .operations(JsValue::from(3u64), JsValue::from(3u64))
        .unwrap();
    let err = expect_code(replica.append(later.get(0)).unwrap_err(), "LOG_SEQUENCE");
    assert_eq!(get(&err, "expected"), JsValue::from(1u64));
    assert_eq!(get(&err, "actual"), JsValue::from(3u64));

    let mut tree = JsTree::new(JsValue::UNDEFINED).unwrap();
    tree.insert(key(1), u8a(&[1])).unwrap();
    let err = expect_code(tree.insert(key(1), u8a(&[1])).unwrap_err(), "KEY_EXISTS");
    assert_eq!(bytes(&get(&err, "key")), vec![1; 32]);
}

#[wasm_bindgen_test]
fn the_log_says_its_shape_and_given_lengths_are_assertions() {
    let mut reserve = JsTreeStorage::new(shape(32, Some(8))).unwrap();
    for n in 1..=6 {
        reserve
            .insert(key(n), u8a(&[n; 8]), timestamp(u64::from(n)))
            .unwrap();
    }
    let log = reserve.export_log(JsValue::UNDEFINED).unwrap();
    let mut verifier = JsLogVerifier::new(JsValue::UNDEFINED).unwrap();
    verifier.push(u8a(&log)).unwrap();
    assert_eq!(
        get(&verifier.finish().unwrap(), "operations"),
        JsValue::from(6.0)
    );
    assert_eq!(
        get(&verifier.tree().unwrap().shape(), "valueLength"),
        JsValue::from(8.0)
    );
    let key_only = obj(&[("keyLength", JsValue::from(32))]);
    let mut asserted = JsLogVerifier::new(key_only).unwrap();
    asserted.push(u8a(&log)).unwrap();
    let any_value = obj(&[("valueLength", JsValue::NULL)]);
    let mut wrong = JsLogVerifier::new(any_value).unwrap();
    let err = expect_code(wrong.push(u8a(&log)).unwrap_err(), "SHAPE_MISMATCH");
    assert_eq!(get(&get(&err, "expected"), "valueLength"), JsValue::NULL);
    assert_eq!(get(&get(&err, "actual"), "valueLength"), JsValue::from(8.0));
}

#[wasm_bindgen_test]
fn a_failing_record_is_on_its_error_and_values_are_capped() {
    let storage = sample_storage(6);
    let records = storage
        .operations(JsValue::UNDEFINED, JsValue::UNDEFINED)
        .unwrap();
    Reflect::set(&records.get(3), &"value".into(), &u8a(&[42])).unwrap();
    let forged = encode_log(records.into(), JsValue::UNDEFINED, JsValue::UNDEFINED).unwrap();
    let mut verifier = JsLogVerifier::new(JsValue::UNDEFINED).unwrap();
    let err = expect_code(
        verifier.push(u8a(&forged)).unwrap_err(),
        "ROOT_AFTER_MISMATCH",
    );
    let record = get(&err, "record");
    assert_eq!(get(&record, "sequenceNumber"), JsValue::from(4u64));
    assert_eq!(bytes(&get(&record, "value")), vec![42]);

    let mut big = JsTreeStorage::new(JsValue::UNDEFINED).unwrap();
    big.insert(key(1), u8a(&[5; 70_000]), timestamp(1)).unwrap();
    let log = big.export_log(JsValue::UNDEFINED).unwrap();
    let mut capped = JsLogVerifier::new(JsValue::UNDEFINED).unwrap();
    let err = expect_code(capped.push(u8a(&log)).unwrap_err(), "VALUE_LENGTH");
    assert_eq!(get(&err, "expected"), JsValue::from(65_536.0));
    let raised = obj(&[("maxValueLength", JsValue::from(70_000))]);
    let mut verifier = JsLogVerifier::new(raised).unwrap();
    verifier.push(u8a(&log)).unwrap();
    expect_invalid(
        JsLogVerifier::new(obj(&[("maxRecordLength", JsValue::from(0))]))
            .err()
            .unwrap(),
        "maxRecordLength",
    );
}
