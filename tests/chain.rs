//! Reading what the chain holds: `AvlTree` and `GroupElement` registers and a tracker's box as
//! JSON, against vectors from sigmastate, sigma-rust and basis-tracker (each cited where it is
//! used), and against everything malformed those readers refuse.

use basis_trees::{
    from_hex, group_element_from_register, to_hex, AvlTreeData, Error, ErrorCode, ErrorKind,
    RegisterError, TrackerCommitment, TreeShape, UnverifiedBoxId, EMPTY_BASIS_TRACKER_DIGEST,
};
use std::path::PathBuf;

/// sigmastate-interpreter (commit 493cbfb) `sdk/js/src/test/scala/org/ergoplatform/sdk/js/
/// ValueSpec.scala`, "AvlTree toHex()/fromHex()": `AvlTreeConstant(TestData.t3)`, whose fields
/// are in `interpreter/shared/src/test/scala/special/sigma/SigmaTestingData.scala`.
const SIGMASTATE_T3: &str =
    "643100d2e101ff01fc047c7f6f00ff80129df69a5090012f01ffca99f5bfff0c803601800100";
const SIGMASTATE_T3_DIGEST: &str =
    "3100d2e101ff01fc047c7f6f00ff80129df69a5090012f01ffca99f5bfff0c8036";

/// basis-tracker (commit fa928f5) `crates/basis_offchain/src/ergo_tx.rs`,
/// `build_savl_tree_from_digest_matches_onchain_r5_format`: "Real empty-tree reserve R5 created
/// on-chain (tx 2a5e653a...)".
const BASIS_EMPTY_ON_CHAIN: &str =
    "644ec61f485b98eb87153f7c57db4f5ecd75556fddbc403b41acf8441fde8e160900032000";

/// basis-tracker `specs/server/tracker_box_update_spec.md`, "Real on-chain example observed
/// during live testing" of a tracker's R5.
const BASIS_TRACKER_LIVE: &str =
    "64d5d44e152c7e42673dea178b918d9195c2ba689da94046384dc40c55a64c836a01032000";

/// basis-tracker `demo/basis/simple/tracker_box_setup.json`: the demo tracker box's R4 and R5.
const BASIS_DEMO_R4: &str = "07024e564477ff457c601c01ad1cc31903f8b27b7d5e515bd03138891d8152d787b2";
const BASIS_DEMO_R5: &str =
    "642c1d1fb21a9df51972a5439ca7ce8d5601f99c871f15cbf2c4ff6ae53d57a96f01012000";

/// sigmastate `ValueSpec.scala`, "GroupElement toHex()/fromHex()": 2·G.
const SIGMASTATE_TWO_G: &str =
    "0702c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5";

/// Constants of other types, from sigmastate `ValueSpec.scala` and sigma-rust (commit 999ab8d)
/// `ergotree-ir/src/chain/json/ergo_box.rs` tests: (hex, type code).
const OTHER_TYPES: [(&str, u8); 8] = [
    ("0101", 0x01),                   // BooleanConstant(true)
    ("027f", 0x02),                   // ByteConstant(127)
    ("04feffffffffffffffff01", 0x04), // IntConstant(Int.MaxValue)
    ("05feffffffffffffffff01", 0x05), // LongConstant(Long.MaxValue)
    ("060900fffffffffffffffe", 0x06), // BigIntConstant(2 * Long.MaxValue)
    (
        "08cd0297c44a12f4eb99a85d298fa3ba829b5b42b9f63798c980ece801cc663cc5fc9e",
        0x08,
    ), // SigmaPropConstant(ProveDlog(…))
    (
        "0e20a71e8120ec9cd600e7f7e76b9c1b0a9f7f7fa36dd04633911b556b8c6166572d",
        0x0e,
    ), // sigma-rust parse_registers_explorer_api_v2: a Coll[Byte]
    ("62", 0x62),                     // UnitConstant
];

fn hex(text: &str) -> Vec<u8> {
    from_hex(text).unwrap()
}

fn digest(text: &str) -> [u8; 33] {
    hex(text).try_into().unwrap()
}

fn register_reason(err: &Error) -> &RegisterError {
    match err.kind() {
        ErrorKind::RegisterInvalid { reason, .. } => reason,
        other => panic!("not REGISTER_INVALID: {other:?}"),
    }
}

fn vector(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/chain");
    std::fs::read(path.join(name)).unwrap()
}

// ---- AvlTree registers -------------------------------------------------------------------

#[test]
fn reads_sigmastate_avl_tree_constant() {
    let tree = AvlTreeData::from_register(&hex(SIGMASTATE_T3)).unwrap();
    // TestData.t3: AvlTreeFlags(true, false, false), keyLength 128, valueLengthOpt None.
    assert_eq!(tree.digest, digest(SIGMASTATE_T3_DIGEST));
    assert!(tree.insert_allowed && !tree.update_allowed && !tree.remove_allowed);
    assert_eq!(tree.key_length, 128); // a two-byte VLQ: 80 01
    assert_eq!(tree.value_length, None);
    assert_eq!(to_hex(&tree.to_register()), SIGMASTATE_T3);
    assert_eq!(tree.shape().unwrap(), TreeShape::new(128, None).unwrap());
}

#[test]
fn reads_basis_trees_of_32_byte_keys_and_variable_values() {
    let empty = AvlTreeData::from_register(&hex(BASIS_EMPTY_ON_CHAIN)).unwrap();
    assert_eq!(empty.digest, digest(EMPTY_BASIS_TRACKER_DIGEST));
    assert_eq!((empty.key_length, empty.value_length), (32, None));
    assert_eq!(empty.flags(), 0x03);
    assert_eq!(empty.shape().unwrap(), TreeShape::BASIS_TRACKER);

    let live = AvlTreeData::from_register(&hex(BASIS_TRACKER_LIVE)).unwrap();
    assert_eq!(
        live.digest,
        digest("d5d44e152c7e42673dea178b918d9195c2ba689da94046384dc40c55a64c836a01")
    );
    assert_eq!(live.shape().unwrap(), TreeShape::BASIS_TRACKER);

    let demo = AvlTreeData::from_register(&hex(BASIS_DEMO_R5)).unwrap();
    assert_eq!(demo.flags(), 0x01);
    assert!(demo.insert_allowed && !demo.update_allowed && !demo.remove_allowed);
    for vector in [BASIS_EMPTY_ON_CHAIN, BASIS_TRACKER_LIVE, BASIS_DEMO_R5] {
        let tree = AvlTreeData::from_register(&hex(vector)).unwrap();
        assert_eq!(to_hex(&tree.to_register()), vector);
    }
}

/// Every flag combination: the eight of sigmastate `interpreter/shared/src/test/scala/sigma/
/// serialization/AvlTreeSpecification.scala` ("roundtrip for all the possible AVL tree flags"),
/// in the flags byte of the on-chain register, as `AvlTreeFlags.serializeFlags` writes it (insert
/// 0x01, update 0x02, remove 0x04). Higher bits are ignored, as `AvlTreeFlags.apply` ignores them.
#[test]
fn reads_every_flag_combination() {
    let flags = [
        (false, false, false),
        (false, false, true),
        (false, true, false),
        (false, true, true),
        (true, false, false),
        (true, false, true),
        (true, true, false),
        (true, true, true),
    ];
    let base = hex(BASIS_EMPTY_ON_CHAIN);
    for (insert, update, remove) in flags {
        let byte = u8::from(insert) | u8::from(update) << 1 | u8::from(remove) << 2;
        for high in [0x00, 0x08, 0x80, 0xf8] {
            let mut register = base.clone();
            register[34] = byte | high;
            let tree = AvlTreeData::from_register(&register).unwrap();
            assert_eq!(
                (
                    tree.insert_allowed,
                    tree.update_allowed,
                    tree.remove_allowed
                ),
                (insert, update, remove),
                "flags byte {:02x}",
                byte | high
            );
            assert_eq!(tree.flags(), byte);
            assert_eq!(tree.digest, digest(EMPTY_BASIS_TRACKER_DIGEST));
        }
    }
}

/// Fixed value lengths: sigmastate `SigmaTestingData.scala` t1 (flags (false, true, true), key
/// length 1, value length Some(1)) and t2 (no flags, 32, Some(64)), laid out as
/// `AvlTreeData.serializer` writes them: digest, flags byte, VLQ key length, tag 1, VLQ value
/// length.
#[test]
fn reads_fixed_value_lengths() {
    let t1 = "000183807f66b301530120ff7fc6bd6601ff01ff7f7d2bedbbffff00187fe89094";
    let t2 = "ff000d937f80ffd731ed802d24358001ff8080ff71007f00ad37e0a7ae43fff95b";
    let tree = AvlTreeData::from_register(&hex(&format!("64{t1}06010101"))).unwrap();
    assert_eq!(tree.digest, digest(t1));
    assert!(!tree.insert_allowed && tree.update_allowed && tree.remove_allowed);
    assert_eq!((tree.key_length, tree.value_length), (1, Some(1)));
    assert_eq!(tree.shape().unwrap(), TreeShape::new(1, Some(1)).unwrap());

    let tree = AvlTreeData::from_register(&hex(&format!("64{t2}00200140"))).unwrap();
    assert_eq!(tree.digest, digest(t2));
    assert_eq!(tree.flags(), 0);
    assert_eq!((tree.key_length, tree.value_length), (32, Some(64)));
    assert_eq!(tree.shape().unwrap(), TreeShape::new(32, Some(64)).unwrap());

    // A value length needing a long VLQ (sigma-rust `u32_corner_cases`), and any non-zero tag
    // read as present (sigma-rust `Option<Box<T>>::sigma_parse`, sigmastate `getOption`).
    let long = AvlTreeData::from_register(&hex(&format!("64{t2}002001ffffffff0f"))).unwrap();
    assert_eq!(long.value_length, Some(u32::MAX));
    assert!(long.shape().is_err(), "no tree here holds 4 GiB values");
    let tagged = AvlTreeData::from_register(&hex(&format!("64{t2}002007808001"))).unwrap();
    assert_eq!(tagged.value_length, Some(16384));
    assert_eq!(to_hex(&tagged.to_register()), format!("64{t2}002001808001"));
}

#[test]
fn refuses_every_truncation_at_its_end() {
    for vector in [SIGMASTATE_T3, BASIS_EMPTY_ON_CHAIN, BASIS_DEMO_R5] {
        let bytes = hex(vector);
        for length in 0..bytes.len() {
            let err = AvlTreeData::from_register(&bytes[..length]).unwrap_err();
            assert_eq!(err.code(), ErrorCode::RegisterInvalid, "{err}");
            assert_eq!(err.offset(), Some(length as u64), "{err}");
            let RegisterError::Truncated { what } = register_reason(&err) else {
                panic!("{err}");
            };
            let expected = match length {
                0 => "type",
                1..=33 => "digest",
                34 => "flags",
                _ if length < bytes.len() - 1 => "key length",
                _ => "value length",
            };
            assert_eq!(*what, expected, "{vector} cut at {length}");
        }
    }
    let err = AvlTreeData::from_register(&[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "byte 0: register is invalid: the bytes end inside the type"
    );
}

#[test]
fn refuses_other_types_by_their_type_byte() {
    for (vector, code) in OTHER_TYPES {
        let err = AvlTreeData::from_register(&hex(vector)).unwrap_err();
        assert_eq!(
            register_reason(&err),
            &RegisterError::WrongType {
                expected: 0x64,
                actual: code
            }
        );
        assert_eq!(err.offset(), Some(0));
    }
    let err = AvlTreeData::from_register(&hex(SIGMASTATE_TWO_G)).unwrap_err();
    assert!(
        err.to_string()
            .contains("holds GroupElement (type 0x07) where AvlTree (type 0x64) was expected"),
        "{err}"
    );
    // Every other type byte in front of a valid tree.
    let mut bytes = hex(BASIS_EMPTY_ON_CHAIN);
    for code in (0..=255u8).filter(|&c| c != 0x64) {
        bytes[0] = code;
        let err = AvlTreeData::from_register(&bytes).unwrap_err();
        assert!(matches!(
            register_reason(&err),
            RegisterError::WrongType { actual, .. } if *actual == code
        ));
    }
}

/// Overlong and out-of-range VLQ numbers: sigma-rust `vlq_encode.rs` `malformed_input` (eleven
/// bytes) and `expected_values()`' 7256456126, which `get_u32` refuses.
#[test]
fn refuses_overlong_and_out_of_range_lengths() {
    let digest = &BASIS_EMPTY_ON_CHAIN[2..68];
    let eleven = "8080808080808080808000";
    let key = AvlTreeData::from_register(&hex(&format!("64{digest}03{eleven}00"))).unwrap_err();
    assert_eq!(
        register_reason(&key),
        &RegisterError::VlqTooLong { what: "key length" }
    );
    assert_eq!(key.offset(), Some(35));
    let value = AvlTreeData::from_register(&hex(&format!("64{digest}032001{eleven}"))).unwrap_err();
    assert_eq!(
        register_reason(&value),
        &RegisterError::VlqTooLong {
            what: "value length"
        }
    );
    assert_eq!(value.offset(), Some(37));

    let err = AvlTreeData::from_register(&hex(&format!("64{digest}03bef792841b00"))).unwrap_err();
    assert_eq!(
        register_reason(&err),
        &RegisterError::OutOfRange {
            what: "key length",
            value: 7256456126
        }
    );
    assert_eq!(err.offset(), Some(35));
    // Ten bytes are still read (the reference readers refuse from the eleventh).
    let ten = AvlTreeData::from_register(&hex(&format!("64{digest}038080808080808080800000")));
    assert_eq!(ten.unwrap().key_length, 0);
}

#[test]
fn refuses_trailing_bytes() {
    for extra in ["00", "64", "0000000000"] {
        let err = AvlTreeData::from_register(&hex(&format!("{BASIS_EMPTY_ON_CHAIN}{extra}")))
            .unwrap_err();
        assert_eq!(
            register_reason(&err),
            &RegisterError::TrailingBytes {
                count: extra.len() / 2
            }
        );
        assert_eq!(err.offset(), Some(37));
    }
    // Two registers pasted together.
    let err =
        AvlTreeData::from_register(&hex(&format!("{BASIS_DEMO_R5}{BASIS_DEMO_R5}"))).unwrap_err();
    assert_eq!(err.offset(), Some(37));
}

#[test]
fn refuses_key_lengths_no_tree_has() {
    let digest = &BASIS_EMPTY_ON_CHAIN[2..68];
    let zero = AvlTreeData::from_register(&hex(&format!("64{digest}030000"))).unwrap();
    assert_eq!(zero.shape().unwrap_err().code(), ErrorCode::KeyLength);
    let huge = AvlTreeData::from_register(&hex(&format!("64{digest}03ffffffff0f00"))).unwrap();
    assert_eq!(huge.key_length, u32::MAX);
    assert_eq!(huge.shape().unwrap_err().code(), ErrorCode::KeyLength);
}

// ---- GroupElement registers ---------------------------------------------------------------

#[test]
fn reads_tracker_keys() {
    let two_g = group_element_from_register(&hex(SIGMASTATE_TWO_G)).unwrap();
    assert_eq!(to_hex(&two_g), &SIGMASTATE_TWO_G[2..]);
    let demo = group_element_from_register(&hex(BASIS_DEMO_R4)).unwrap();
    assert_eq!(to_hex(&demo), &BASIS_DEMO_R4[2..]);
}

#[test]
fn refuses_what_is_no_public_key() {
    let bytes = hex(SIGMASTATE_TWO_G);
    for length in 0..bytes.len() {
        let err = group_element_from_register(&bytes[..length]).unwrap_err();
        assert_eq!(err.code(), ErrorCode::RegisterInvalid);
        assert_eq!(err.offset(), Some(length as u64));
    }
    // The point at infinity, as sigmastate's GroupElementSerializer writes it: 33 zero bytes.
    let infinity = [&[0x07][..], &[0u8; 33]].concat();
    let err = group_element_from_register(&infinity).unwrap_err();
    assert_eq!(
        register_reason(&err),
        &RegisterError::NotAPublicKey { prefix: 0 }
    );
    assert_eq!(err.offset(), Some(1));
    for prefix in [0x01, 0x04, 0x06, 0xff] {
        let mut bad = bytes.clone();
        bad[1] = prefix;
        let err = group_element_from_register(&bad).unwrap_err();
        assert_eq!(
            register_reason(&err),
            &RegisterError::NotAPublicKey { prefix }
        );
    }
    let err = group_element_from_register(&hex(&format!("{SIGMASTATE_TWO_G}00"))).unwrap_err();
    assert_eq!(
        register_reason(&err),
        &RegisterError::TrailingBytes { count: 1 }
    );
    for (vector, code) in OTHER_TYPES {
        let err = group_element_from_register(&hex(vector)).unwrap_err();
        assert_eq!(
            register_reason(&err),
            &RegisterError::WrongType {
                expected: 0x07,
                actual: code
            }
        );
    }
    let err = group_element_from_register(&hex(BASIS_DEMO_R5)).unwrap_err();
    assert!(matches!(
        register_reason(&err),
        RegisterError::WrongType { actual: 0x64, .. }
    ));
}

// ---- Boxes as JSON -------------------------------------------------------------------------

#[test]
fn reads_a_tracker_box_in_both_api_shapes() {
    let node = TrackerCommitment::from_box_json(&vector("basis-demo-tracker.node.json")).unwrap();
    let explorer =
        TrackerCommitment::from_box_json(&vector("basis-demo-tracker.explorer.json")).unwrap();
    assert_eq!(node, explorer);
    assert_eq!(
        node.box_id.map(|id| to_hex(&id)).as_deref(),
        Some("49787748507c2c2a2e416c3c4d5ad41ee9d448e9966a709e313279ac2c58e431")
    );
    assert_eq!(to_hex(&node.tracker_key), &BASIS_DEMO_R4[2..]);
    assert_eq!(
        node.tree,
        AvlTreeData::from_register(&hex(BASIS_DEMO_R5)).unwrap()
    );
    assert_eq!(node.creation_height, None);
    // Assembled without its transaction id and index: the id cannot be recomputed.
    assert!(!node.box_id_verified);
}

/// A box with all its contents has its id recomputed (the hashing is checked against
/// sigma-rust's boxes in `src/chain/box_json.rs`): a `boxId` that is not the hash of the box is
/// refused, so a register cannot be swapped under a real box's id.
#[test]
fn recomputes_the_box_id_from_the_contents() {
    let node = String::from_utf8(vector("basis-demo-tracker.node.json")).unwrap();
    let whole = node.replace(
        "\"additionalRegisters\"",
        &format!(
            "\"creationHeight\": 1750616, \"transactionId\": \"{}\", \"index\": 0, \"additionalRegisters\"",
            "00".repeat(32)
        ),
    );
    assert_ne!(whole, node);
    let err = TrackerCommitment::from_box_json(whole.as_bytes()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::BoxInvalid);
    assert!(
        err.to_string()
            .contains("is not this box's id: its contents hash to"),
        "{err}"
    );
    assert_eq!(err.offset(), Some(whole.find("\"4978").unwrap() as u64));

    let given_id =
        "\"boxId\": \"49787748507c2c2a2e416c3c4d5ad41ee9d448e9966a709e313279ac2c58e431\",";
    let without_id = whole.replace(given_id, "");
    assert_ne!(without_id, whole);
    let commitment = TrackerCommitment::from_box_json(without_id.as_bytes()).unwrap();
    assert!(commitment.box_id_verified);
    let computed = commitment.box_id.unwrap();
    // The computed id, given back as boxId, is accepted; one bit off is not.
    let with_id =
        |id: &[u8; 32]| without_id.replacen('{', &format!("{{\"boxId\": \"{}\",", to_hex(id)), 1);
    assert_eq!(
        TrackerCommitment::from_box_json(with_id(&computed).as_bytes()).unwrap(),
        commitment
    );
    let mut flipped = computed;
    flipped[31] ^= 1;
    let err = TrackerCommitment::from_box_json(with_id(&flipped).as_bytes()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::BoxInvalid);
    // Any change to R5 changes the id.
    let other_r5 = without_id.replace(BASIS_DEMO_R5, BASIS_TRACKER_LIVE);
    let other = TrackerCommitment::from_box_json(other_r5.as_bytes()).unwrap();
    assert_ne!(other.box_id, commitment.box_id);
    assert!(other.box_id_verified);
}

#[test]
fn reads_a_transaction_output_in_both_api_shapes() {
    let node = TrackerCommitment::from_box_json(&vector("basis-demo-reserve.node.json")).unwrap();
    let explorer =
        TrackerCommitment::from_box_json(&vector("basis-demo-reserve.explorer.json")).unwrap();
    assert_eq!(node, explorer);
    assert_eq!(node.box_id, None);
    assert_eq!(node.creation_height, Some(1750616));
    assert_eq!(
        to_hex(&node.tracker_key),
        "0377709166937fcdc08bf7e841b31684e2377f489914c97ef7148de14d9c6e1f83"
    );
    assert_eq!(node.tree.shape().unwrap(), TreeShape::BASIS_TRACKER);
}

/// The explorer's `rawValue` form, and `id` for `boxId` (sigma-rust `ergo_box.rs` tests
/// `parse_registers_explorer_api_v2` and `parse_ergo_box_alternative_box_id_field_name`).
#[test]
fn reads_raw_value_registers_and_id() {
    let json = format!(
        r#"{{"id":"3e762407d99b006d53b6583adcca08ef690b42fb0b2ed7abf63179eb6b9033b2",
            "creationHeight":"352126",
            "additionalRegisters":{{"R4":{{"rawValue":"{BASIS_DEMO_R4}","valueType":"GroupElement"}},
                                   "R5":{{"rawValue":"{BASIS_DEMO_R5}"}}}}}}"#
    );
    let commitment = TrackerCommitment::from_box_json(json.as_bytes()).unwrap();
    assert_eq!(
        to_hex(&commitment.box_id.unwrap()),
        "3e762407d99b006d53b6583adcca08ef690b42fb0b2ed7abf63179eb6b9033b2"
    );
    assert_eq!(commitment.creation_height, Some(352126));
}

fn box_error(json: &str) -> Error {
    TrackerCommitment::from_box_json(json.as_bytes()).unwrap_err()
}

#[test]
fn refuses_a_box_without_r4_or_r5() {
    let node = String::from_utf8(vector("basis-demo-tracker.node.json")).unwrap();
    let without_r5 = node.replace(&format!(",\n    \"R5\": \"{BASIS_DEMO_R5}\""), "");
    assert_ne!(without_r5, node);
    let err = box_error(&without_r5);
    assert_eq!(err.code(), ErrorCode::BoxInvalid);
    assert!(err.to_string().contains("no register R5"), "{err}");

    let without_r4 = node.replace(&format!("\"R4\": \"{BASIS_DEMO_R4}\",\n    "), "");
    assert_ne!(without_r4, node);
    assert!(box_error(&without_r4)
        .to_string()
        .contains("no register R4"));

    let err = box_error(r#"{"boxId":null,"additionalRegisters":{}}"#);
    assert!(err.to_string().contains("no register R4"), "{err}");
    let err = box_error(r#"{"value":1}"#);
    assert!(
        err.to_string().contains("no \"additionalRegisters\""),
        "{err}"
    );
}

/// R5 of another type: sigma-rust's `parse_ergo_box_from_explorer` box has R4 "0504" and R5
/// "05d4d59604" (two `Long`s).
#[test]
fn refuses_an_r5_of_another_type_naming_it_in_the_json() {
    let json =
        format!(r#"{{"additionalRegisters": {{"R4": "{BASIS_DEMO_R4}", "R5": "05d4d59604"}}}}"#);
    let err = box_error(&json);
    assert_eq!(err.code(), ErrorCode::RegisterInvalid);
    assert_eq!(
        err.kind(),
        &ErrorKind::RegisterInvalid {
            register: Some("R5"),
            reason: RegisterError::WrongType {
                expected: 0x64,
                actual: 0x05
            }
        }
    );
    // The offset is the type byte's first hex digit in the JSON text.
    let at = json.find("05d4d59604").unwrap() as u64;
    assert_eq!(err.offset(), Some(at));
    assert!(
        err.to_string()
            .contains("register R5 is invalid: it holds Long (type 0x05)"),
        "{err}"
    );

    // Explorer shape: the same, with the offset inside serializedValue.
    let explorer = String::from_utf8(vector("basis-demo-tracker.explorer.json")).unwrap();
    let cut = &BASIS_DEMO_R5[..BASIS_DEMO_R5.len() - 2];
    let truncated = explorer.replace(BASIS_DEMO_R5, cut);
    let err = box_error(&truncated);
    assert_eq!(
        err.kind(),
        &ErrorKind::RegisterInvalid {
            register: Some("R5"),
            reason: RegisterError::Truncated {
                what: "value length"
            }
        }
    );
    let start = truncated.find(cut).unwrap();
    assert_eq!(err.offset(), Some((start + cut.len()) as u64));

    // R4 holding the tree and R5 the key.
    let swapped = format!(
        r#"{{"additionalRegisters": {{"R4": "{BASIS_DEMO_R5}", "R5": "{BASIS_DEMO_R4}"}}}}"#
    );
    let err = box_error(&swapped);
    assert!(matches!(
        err.kind(),
        ErrorKind::RegisterInvalid {
            register: Some("R4"),
            ..
        }
    ));
}

#[test]
fn refuses_malformed_and_ambiguous_boxes() {
    let r = format!(r#""R4": "{BASIS_DEMO_R4}", "R5": "{BASIS_DEMO_R5}""#);
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "not a JSON object"),
        ("[]".into(), "not a JSON object"),
        (
            format!(r#"{{"additionalRegisters": {{{r}}}"#),
            "the JSON ends",
        ),
        (
            format!(r#"{{"additionalRegisters": {{{r}}}}} x"#),
            "unexpected bytes",
        ),
        (
            format!(r#"{{"additionalRegisters": {{{r}, "R5": "{BASIS_DEMO_R5}"}}}}"#),
            "\"R5\" is given twice",
        ),
        (
            format!(r#"{{"additionalRegisters": {{{r}}}, "additionalRegisters": {{}}}}"#),
            "\"additionalRegisters\" is given twice",
        ),
        (
            format!(r#"{{"additionalRegisters": {{{r}, "R\u0035": "00"}}}}"#),
            "escape sequences",
        ),
        (
            format!(r#"{{"additionalRegisters": {{"R4": "{BASIS_DEMO_R4}", "R5": 5}}}}"#),
            "neither a hex string nor an object",
        ),
        (
            format!(r#"{{"additionalRegisters": {{"R4": "{BASIS_DEMO_R4}", "R5": {{}}}}}}"#),
            "R5 has no serializedValue",
        ),
        (
            format!(
                r#"{{"additionalRegisters": {{"R4": "{BASIS_DEMO_R4}", "R5": {{"serializedValue": "{BASIS_DEMO_R5}", "rawValue": "{BASIS_DEMO_R5}"}}}}}}"#
            ),
            "both serializedValue and rawValue",
        ),
        (
            format!(r#"{{"additionalRegisters": {{"R4": "{BASIS_DEMO_R4}", "R5": "64zz"}}}}"#),
            "R5 is not hex",
        ),
        (
            format!(r#"{{"additionalRegisters": {{"R4": "{BASIS_DEMO_R4}", "R5": "640"}}}}"#),
            "R5 is not hex",
        ),
        (
            format!(r#"{{"additionalRegisters": [{r}]}}"#),
            "not a JSON object",
        ),
        (
            format!(r#"{{"additionalRegisters": ["{BASIS_DEMO_R4}"]}}"#),
            "\"additionalRegisters\" is not an object",
        ),
        (
            format!(r#"{{"boxId": "00", "additionalRegisters": {{{r}}}}}"#),
            "the box id is 1 bytes, not 32",
        ),
        (
            format!(
                r#"{{"boxId": "{}", "id": "{}", "additionalRegisters": {{{r}}}}}"#,
                "00".repeat(32),
                "00".repeat(32)
            ),
            "both \"boxId\" and \"id\"",
        ),
        (
            format!(r#"{{"creationHeight": -1, "additionalRegisters": {{{r}}}}}"#),
            "creationHeight",
        ),
        (
            format!(r#"{{"creationHeight": 4294967296, "additionalRegisters": {{{r}}}}}"#),
            "creationHeight",
        ),
        (
            format!(r#"{{"creationHeight": 1.5, "additionalRegisters": {{{r}}}}}"#),
            "creationHeight",
        ),
        (r#"{"items": [], "total": 0}"#.into(), "a list of boxes"),
        (r#"{"inputs": [], "outputs": []}"#.into(), "a transaction"),
    ];
    for (json, words) in cases {
        let err = box_error(&json);
        assert!(matches!(err.code(), ErrorCode::BoxInvalid), "{json}: {err}");
        assert!(err.to_string().contains(words), "{json}: {err}");
        assert!(err.offset().unwrap() <= json.len() as u64, "{json}: {err}");
    }
    // A parsing error points at the offending byte.
    let json = format!(r#"{{"additionalRegisters": {{"R4": "{BASIS_DEMO_R4}", "R5": "64zz"}}}}"#);
    let err = box_error(&json);
    assert_eq!(err.offset(), Some(json.find("zz").unwrap() as u64));
}

#[test]
fn reads_boxes_whatever_else_they_carry() {
    // Unknown members of any kind, nested, with escapes, in any order.
    let json = format!(
        r#"  {{ "mainChain": true, "assets": [{{"tokenId": "ab", "name": "Basis \"NFT\"\u00e9", "amount": 99999999999999999999}}],
            "additionalRegisters": {{ "R9": {{"x": [1, 2, {{"y": null}}]}}, "R5": {{ "sigmaType": "SAvlTree", "serializedValue": "{BASIS_DEMO_R5}", "renderedValue": {{"digest": "…"}} }},
            "R4": "{BASIS_DEMO_R4}" }}, "creationHeight": 0 }}
"#
    );
    let commitment = TrackerCommitment::from_box_json(json.as_bytes()).unwrap();
    assert_eq!(commitment.creation_height, Some(0));
    assert_eq!(commitment.box_id, None);
    // Upper-case hex is hex too.
    let upper = json.replace(BASIS_DEMO_R5, &BASIS_DEMO_R5.to_uppercase());
    assert_eq!(
        TrackerCommitment::from_box_json(upper.as_bytes()).unwrap(),
        commitment
    );
}

// ---- The id binds every field --------------------------------------------------------------

/// `n` as a VLQ number, in hex.
fn vlq(mut n: u64) -> String {
    let mut out = String::new();
    while n >= 0x80 {
        out.push_str(&format!("{:02x}", (n & 0x7f) | 0x80));
        n >>= 7;
    }
    out + &format!("{n:02x}")
}

/// A box as the node API writes it, every content given.
fn node_box(
    tree: &str,
    height: u64,
    tokens: &[(&str, u64)],
    registers: &[&str],
    box_id: Option<&str>,
) -> String {
    let tokens: Vec<String> = tokens
        .iter()
        .map(|(id, amount)| format!(r#"{{"tokenId": "{id}", "amount": {amount}}}"#))
        .collect();
    let registers: Vec<String> = registers
        .iter()
        .enumerate()
        .map(|(i, hex)| format!(r#""R{}": "{hex}""#, i + 4))
        .collect();
    let id = box_id.map_or(String::new(), |id| format!(r#""boxId": "{id}", "#));
    format!(
        r#"{{{id}"value": 10000000, "ergoTree": "{tree}", "creationHeight": {height},
        "assets": [{}], "additionalRegisters": {{{}}},
        "transactionId": "{}", "index": 0}}"#,
        tokens.join(", "),
        registers.join(", "),
        "5a".repeat(32)
    )
}

/// The attack a box id must defeat: a tracker posts a real box whose R6 holds, as its bytes, a
/// second creation height, tokens, register count, R4 and R5. A second JSON folds the real box's
/// first fields (its tree's end onwards) into its `ergoTree` and takes its height, tokens and
/// registers from R6: the bytes hashed are the same, so the id is the real, on-chain one — but
/// its R5 is the tracker's choice. It must never be reported as that box, verified.
#[test]
fn a_second_json_of_the_same_bytes_is_refused() {
    let nft = "8b1ab583bb085ecbd8fa9bc2fd59784afcdfce5496eb146bb3dd04664b56822a";
    let p2pk = "0008cd024e564477ff457c601c01ad1cc31903f8b27b7d5e515bd03138891d8152d787b2";
    // A tree of header 0x19 (size bit): a mainnet box's (tests/vectors/chain/boxes).
    let sized = "195e03040004000400d802d601b2a5730000d602e4c6a70404ea02e4c6a70508d19593c27201c2a7d802d603b2db63087201730100d604b2db6308a7730200eded92e4c6720104047202938c7203018c720401928c7203028c7204028f7202a3";
    for tree in [p2pk, sized] {
        let (height, forged_height) = (1_750_616, 1_750_999);
        // What R6 carries: the forged height, no tokens, two registers, R4 and another R5.
        let payload = format!(
            "{}0002{BASIS_DEMO_R4}{BASIS_TRACKER_LIVE}",
            vlq(forged_height)
        );
        let r6 = format!("0e{}{payload}", vlq(payload.len() as u64 / 2));
        let real = node_box(
            tree,
            height,
            &[(nft, 1)],
            &[BASIS_DEMO_R4, BASIS_DEMO_R5, &r6],
            None,
        );
        let on_chain = TrackerCommitment::from_box_json(real.as_bytes()).unwrap();
        assert!(on_chain.box_id_verified);
        assert_eq!(
            on_chain.tree,
            AvlTreeData::from_register(&hex(BASIS_DEMO_R5)).unwrap()
        );
        let id = to_hex(&on_chain.box_id.unwrap());

        // The same bytes, split otherwise: the tree swallows height, tokens, R4, R5 and R6's
        // type and length.
        let swallowed = format!(
            "{tree}{}01{nft}0103{BASIS_DEMO_R4}{BASIS_DEMO_R5}0e{}",
            vlq(height),
            vlq(payload.len() as u64 / 2)
        );
        for box_id in [Some(id.as_str()), None] {
            let forged = node_box(
                &swallowed,
                forged_height,
                &[],
                &[BASIS_DEMO_R4, BASIS_TRACKER_LIVE],
                box_id,
            );
            match TrackerCommitment::from_box_json(forged.as_bytes()) {
                Ok(forgery) => panic!(
                    "a second JSON of box {id} read as {:?} (verified: {}) with R5 {}",
                    forgery.box_id.map(|id| to_hex(&id)),
                    forgery.box_id_verified,
                    to_hex(&forgery.tree.digest)
                ),
                Err(err) => {
                    assert_eq!(err.code(), ErrorCode::BoxInvalid, "{err}");
                    assert!(err.to_string().contains("ergoTree ends after"), "{err}");
                    let at = forged.find(&swallowed).unwrap() + tree.len();
                    assert_eq!(err.offset(), Some(at as u64), "{err}");
                }
            }
        }
    }
}

/// A box whose fields cannot all be delimited here keeps the id as given, unverified, and says
/// why; one whose contents no Ergo box holds is refused.
#[test]
fn an_id_not_verified_says_why() {
    let p2pk = "0008cd024e564477ff457c601c01ad1cc31903f8b27b7d5e515bd03138891d8152d787b2";
    // sigma-rust's mainnet tree of header 0x10: constants segregated, no size bit.
    let segregated = "100204a00b08cd021dde34603426402615658f1d970cfa7c7bd92ac81a8b16eeebff264d59ce4604ea02d192a39a8cc7a70173007301";
    let cases: [(&str, &[&str], UnverifiedBoxId); 4] = [
        (
            segregated,
            &[],
            UnverifiedBoxId::TreeUndelimited { header: 0x10 },
        ),
        (
            "2008cd024e564477ff457c601c01ad1cc31903f8b27b7d5e515bd03138891d8152d787b2",
            &[],
            UnverifiedBoxId::TreeHeader { header: 0x20 },
        ),
        // R6 a Box (type 0x63), whose values are boxes: not delimited here.
        (
            p2pk,
            &["6300"],
            UnverifiedBoxId::RegisterType {
                register: 6,
                type_code: 0x63,
            },
        ),
        // R6 an expression (0x73: a constant placeholder), not a constant.
        (
            p2pk,
            &["7300"],
            UnverifiedBoxId::RegisterExpression {
                register: 6,
                op_code: 0x73,
            },
        ),
    ];
    for (tree, more, reason) in cases {
        let registers: Vec<&str> = [BASIS_DEMO_R4, BASIS_DEMO_R5]
            .into_iter()
            .chain(more.iter().copied())
            .collect();
        let json = node_box(tree, 1, &[], &registers, None);
        let commitment = TrackerCommitment::from_box_json(json.as_bytes()).unwrap();
        assert!(!commitment.box_id_verified, "{json}");
        assert_eq!(commitment.box_id_unverified, Some(reason));
        assert_eq!(commitment.box_id, None, "no id given, none reported");
        assert!(!reason.to_string().is_empty());
        // The hash of the contents as given is still no licence for another id.
        let given = node_box(tree, 1, &[], &registers, Some(&"00".repeat(32)));
        let err = TrackerCommitment::from_box_json(given.as_bytes()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BoxInvalid, "{err}");
    }
    // Without its transaction id, a box says which content is missing.
    let node = TrackerCommitment::from_box_json(&vector("basis-demo-tracker.node.json")).unwrap();
    assert_eq!(
        node.box_id_unverified,
        Some(UnverifiedBoxId::MissingContent {
            member: "creationHeight"
        })
    );

    // What no box holds: a value or token amount of 0, an empty tree, a tree with bytes after
    // its end, a tree of version 1 without its size, an R6 cut short or with bytes after it.
    let nft = "8b1ab583bb085ecbd8fa9bc2fd59784afcdfce5496eb146bb3dd04664b56822a";
    let refused: [(String, ErrorCode, &str); 7] = [
        (
            node_box(p2pk, 1, &[], &[BASIS_DEMO_R4, BASIS_DEMO_R5], None)
                .replace("\"value\": 10000000", "\"value\": 0"),
            ErrorCode::BoxInvalid,
            "value is 0",
        ),
        (
            node_box(p2pk, 1, &[(nft, 0)], &[BASIS_DEMO_R4, BASIS_DEMO_R5], None),
            ErrorCode::BoxInvalid,
            "token amount is 0",
        ),
        (
            node_box("", 1, &[], &[BASIS_DEMO_R4, BASIS_DEMO_R5], None),
            ErrorCode::BoxInvalid,
            "empty",
        ),
        (
            node_box(
                &format!("{p2pk}00"),
                1,
                &[],
                &[BASIS_DEMO_R4, BASIS_DEMO_R5],
                None,
            ),
            ErrorCode::BoxInvalid,
            "ergoTree ends after 36 of its 37 bytes",
        ),
        (
            node_box("01", 1, &[], &[BASIS_DEMO_R4, BASIS_DEMO_R5], None),
            ErrorCode::BoxInvalid,
            "without the size bit",
        ),
        (
            node_box(
                p2pk,
                1,
                &[],
                &[BASIS_DEMO_R4, BASIS_DEMO_R5, "0e0501"],
                None,
            ),
            ErrorCode::RegisterInvalid,
            "register R6",
        ),
        (
            node_box(
                p2pk,
                1,
                &[],
                &[BASIS_DEMO_R4, BASIS_DEMO_R5, "0e0101ff"],
                None,
            ),
            ErrorCode::RegisterInvalid,
            "1 bytes follow",
        ),
    ];
    for (json, code, words) in refused {
        let err = TrackerCommitment::from_box_json(json.as_bytes()).unwrap_err();
        assert_eq!(err.code(), code, "{json}: {err}");
        assert!(err.to_string().contains(words), "{json}: {err}");
        assert!(err.offset().unwrap() < json.len() as u64, "{err}");
    }
}

// ---- Properties ----------------------------------------------------------------------------

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn any_tree() -> impl Strategy<Value = AvlTreeData> {
        (
            proptest::array::uniform::<_, 33>(any::<u8>()),
            any::<u32>(),
            proptest::option::of(any::<u32>()),
            any::<(bool, bool, bool)>(),
        )
            .prop_map(
                |(digest, key_length, value_length, (i, u, r))| AvlTreeData {
                    digest,
                    key_length,
                    value_length,
                    insert_allowed: i,
                    update_allowed: u,
                    remove_allowed: r,
                },
            )
    }

    proptest! {
        /// sigma-rust's `avl_tree_data.rs` `ser_roundtrip`, for this reader and writer.
        #[test]
        fn every_tree_reads_back(tree in any_tree()) {
            let bytes = tree.to_register();
            prop_assert_eq!(AvlTreeData::from_register(&bytes).unwrap(), tree);
            for length in 0..bytes.len() {
                let err = AvlTreeData::from_register(&bytes[..length]).unwrap_err();
                prop_assert_eq!(err.offset(), Some(length as u64));
            }
        }

        #[test]
        fn no_bytes_panic_or_point_outside(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            for input in [bytes.clone(), [&[0x64][..], &bytes].concat(), [&[0x07][..], &bytes].concat()] {
                if let Err(err) = AvlTreeData::from_register(&input) {
                    prop_assert!(err.offset().unwrap() <= input.len() as u64);
                }
                if let Err(err) = group_element_from_register(&input) {
                    prop_assert!(err.offset().unwrap() <= input.len() as u64);
                }
            }
        }
    }
}
