//! The wallet's JS bindings (`noteMessage` … `checkRedemption`), run by wasm-bindgen-test in Node
//! (`make test-wasm-node`): the values JavaScript gets, the errors it gets, and an instance that
//! keeps working after storms of hostile arguments.
#![cfg(target_arch = "wasm32")]

use basis_trees::{to_hex, AvlTreeData, Tree, TreeShape};
use basis_trees_wasm::{
    check_redemption, note_message, public_key, read_note, read_tracker_state,
    shadow_stack_position, sign_note, verify_note, verify_signature, verify_tracker_proof,
};
use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

#[allow(dead_code)]
#[path = "wasm/helpers.rs"]
mod helpers;
use helpers::{bytes, expect_invalid, get, obj, u8a};

fn s(text: &str) -> JsValue {
    JsValue::from_str(text)
}

fn code(err: &JsValue) -> String {
    get(err, "code").as_string().unwrap_or_default()
}

// basis-tracker crates/basis_store/src/schnorr_test_vectors.rs, TV001 and TV003.
const ISSUER: &str = "0284bf7562262bbd6940085748f3be6afa52ae317155181ece31b66351ccffa4b0";
const RECIPIENT: &str = "02207bba70bc66309baa582a6ac120fd52d68026c51f6326f8ccedcbd2c1b7eb82";
const TV001_MESSAGE: &str = "07b67390866bedf6c19b3fab1e29993ea6878e0d0dd0577ac6b6368c96a1220b000000003b9aca0000000195e97f7800";
const TV001_SIGNATURE: &str = "0389ec7df5ff00fcdf83f41ad41ef1813cfd64a87b6c7f219bcd1ecfae9b82a1041af95c9171d4ad63e29513701cdeb5cc9f45798276947c8a8b361dae0f94ab93";
const TV003_SIGNER: &str = "037c3f0429768437a942f1818ef1616c609b7a6d8a8dd245e179c8c0838e7d169d";
const TV003_MESSAGE: &str = "07b67390866bedf6c19b3fab1e29993ea6878e0d0dd0577ac6b6368c96a1220b000000001dcd650000000195e97f7be8";
const TV003_SIGNATURE: &str = "024900b6f2a6c83c9158420e7e15bc211e761f5157fe84f2a25499340e731c420624c6b3f14a59b811d50ab0492e53784b541a53688452898924142a313cb64a37";

#[wasm_bindgen_test]
fn note_message_and_signatures_are_upstreams() {
    let note = obj(&[
        ("issuer", s(ISSUER)),
        ("recipient", s(RECIPIENT)),
        ("totalDebt", JsValue::from(1_000_000_000u64)),
        ("timestamp", JsValue::from(1_743_379_200_000.0)),
    ]);
    assert_eq!(to_hex(&note_message(note).unwrap()), TV001_MESSAGE);
    let check = verify_signature(s(ISSUER), s(TV001_MESSAGE), s(TV001_SIGNATURE)).unwrap();
    assert_eq!(get(&check, "valid"), JsValue::TRUE);
    assert_eq!(get(&check, "onChain"), JsValue::TRUE);
    // Valid by the equation, refused on chain (the top bit of e is set).
    let check = verify_signature(s(TV003_SIGNER), s(TV003_MESSAGE), s(TV003_SIGNATURE)).unwrap();
    assert_eq!(get(&check, "valid"), JsValue::TRUE);
    assert_eq!(get(&check, "onChain"), JsValue::FALSE);
    // Malformed arguments.
    expect_invalid(
        verify_signature(u8a(&[0; 33]), s(TV001_MESSAGE), s(TV001_SIGNATURE)).unwrap_err(),
        "publicKey",
    );
    expect_invalid(
        verify_signature(s(ISSUER), s(TV001_MESSAGE), u8a(&[2; 64])).unwrap_err(),
        "signature",
    );
    expect_invalid(
        verify_signature(s(ISSUER), u8a(&[0; 40]), s(TV001_SIGNATURE)).unwrap_err(),
        "message",
    );
    expect_invalid(
        verify_signature(JsValue::from(3), s(TV001_MESSAGE), s(TV001_SIGNATURE)).unwrap_err(),
        "publicKey",
    );
    let wrong = obj(&[
        ("issuer", s(ISSUER)),
        ("recipient", s(RECIPIENT)),
        ("totalDebt", JsValue::from(2f64.powi(53))),
        ("timestamp", JsValue::from(1)),
    ]);
    expect_invalid(note_message(wrong).unwrap_err(), "note.totalDebt");
}

#[wasm_bindgen_test]
fn sign_note_round_trips_and_refuses_another_issuer() {
    for round in 1u8..=50 {
        let secret = [round; 32];
        let issuer = public_key(u8a(&secret)).unwrap();
        let note = obj(&[
            ("recipient", s(RECIPIENT)),
            ("totalDebt", JsValue::from(u64::MAX - u64::from(round))),
            ("timestamp", JsValue::from(u64::from(round))),
        ]);
        let signature = sign_note(u8a(&secret), note.clone(), u8a(&[round; 32])).unwrap();
        assert_eq!(signature.len(), 65);
        Reflect::set(&note, &s("issuer"), &u8a(&issuer)).unwrap();
        let message = note_message(note.clone()).unwrap();
        let check = verify_signature(u8a(&issuer), u8a(&message), u8a(&signature)).unwrap();
        assert_eq!(get(&check, "onChain"), JsValue::TRUE, "round {round}");
    }
    let note = obj(&[
        ("issuer", s(ISSUER)),
        ("recipient", s(RECIPIENT)),
        ("totalDebt", JsValue::from(1)),
        ("timestamp", JsValue::from(1)),
    ]);
    expect_invalid(
        sign_note(u8a(&[1; 32]), note.clone(), u8a(&[0; 32])).unwrap_err(),
        "note.issuer",
    );
    expect_invalid(
        sign_note(u8a(&[0; 32]), note.clone(), u8a(&[0; 32])).unwrap_err(),
        "secretKey",
    );
    expect_invalid(
        sign_note(u8a(&[1; 32]), note, u8a(&[0; 31])).unwrap_err(),
        "entropy",
    );
}

struct Wallet {
    note_json: String,
    tracker_signature: Vec<u8>,
    tracker_box: String,
    reserve_box: String,
    tracker_answer: String,
    reserve_proof: Vec<u8>,
    reserve_tree: Tree,
    key: [u8; 32],
}

fn tree_register(digest: [u8; 33]) -> String {
    let tree = AvlTreeData {
        digest,
        key_length: 32,
        value_length: None,
        insert_allowed: true,
        update_allowed: true,
        remove_allowed: false,
    };
    to_hex(&tree.to_register())
}

const NFT: &str = "8b1ab583bb085ecbd8fa9bc2fd59784afcdfce5496eb146bb3dd04664b56822a";

/// A note of total debt 2^60 + 1 from the key of secret [1; 32] to RECIPIENT, signed by it and
/// by the tracker (secret [4; 32]); the tracker's tree holds it, the reserve's is empty.
fn wallet() -> Wallet {
    let (issuer_secret, tracker_secret) = ([1u8; 32], [4u8; 32]);
    let issuer = basis_trees::public_key(&issuer_secret).unwrap();
    let tracker = basis_trees::public_key(&tracker_secret).unwrap();
    let recipient: [u8; 33] = basis_trees::from_hex(RECIPIENT)
        .unwrap()
        .try_into()
        .unwrap();
    let debt = (1u64 << 60) + 1;
    let message = basis_trees::note_message(&issuer, &recipient, debt, 1_700_000_000_000);
    let signature = basis_trees::sign_note(&issuer_secret, &message, &[3; 32]).unwrap();
    let tracker_signature = basis_trees::sign_note(&tracker_secret, &message, &[5; 32]).unwrap();
    let key = basis_trees::note_key(&issuer, &recipient);
    let mut tracker_tree = Tree::new(TreeShape::BASIS_TRACKER).unwrap();
    tracker_tree.insert(&key, &debt.to_be_bytes()).unwrap();
    tracker_tree.insert(&[9; 32], &1u64.to_be_bytes()).unwrap();
    let proof = tracker_tree.prove_lookup(&[key]).unwrap();
    let reserve_tree = Tree::new(TreeShape::BASIS_TRACKER).unwrap();
    Wallet {
        note_json: format!(
            r#"{{"success":true,"data":{{"issuer_pubkey":"{}","recipient_pubkey":"{RECIPIENT}","amount_collected":{debt},"amount_redeemed":0,"timestamp":1700000000000,"signature":"{}"}},"error":null}}"#,
            to_hex(&issuer),
            to_hex(&signature)
        ),
        tracker_signature: tracker_signature.to_vec(),
        tracker_box: format!(
            r#"{{"ergoTree":"00","creationHeight":100,"value":1000000,"assets":[{{"tokenId":"{NFT}","amount":1}}],"additionalRegisters":{{"R4":"07{}","R5":"{}"}}}}"#,
            to_hex(&tracker),
            tree_register(tracker_tree.digest())
        ),
        reserve_box: format!(
            r#"{{"ergoTree":"00","creationHeight":100,"value":{},"assets":[],"additionalRegisters":{{"R4":"07{}","R5":"{}","R6":"0e20{NFT}"}}}}"#,
            u64::MAX,
            to_hex(&issuer),
            tree_register(reserve_tree.digest())
        ),
        tracker_answer: format!(
            r#"{{"success":true,"data":{{"key":"{}","value":"{}","proof":"{}","total_debt":{debt},"tracker_state_digest":"{}"}},"error":null}}"#,
            to_hex(&key),
            to_hex(&debt.to_be_bytes()),
            to_hex(&proof),
            to_hex(&tracker_tree.digest())
        ),
        reserve_proof: reserve_tree.prove_lookup(&[key]).unwrap(),
        reserve_tree,
        key,
    }
}

fn check_named(checks: &JsValue, name: &str) -> String {
    let checks: Array = checks.clone().dyn_into().unwrap();
    checks
        .iter()
        .find(|check| get(check, "name").as_string().as_deref() == Some(name))
        .map(|check| get(&check, "status").as_string().unwrap())
        .unwrap_or_else(|| panic!("no check {name}"))
}

#[wasm_bindgen_test]
fn verify_note_reads_the_trackers_json_exactly() {
    let w = wallet();
    let note = read_note(s(&w.note_json)).unwrap();
    let debt = get(&note, "totalDebt");
    assert!(debt.is_bigint());
    assert_eq!(u64::try_from(debt).unwrap(), (1u64 << 60) + 1);
    let options = obj(&[
        ("tracker", s(&w.tracker_box)),
        ("trackerSignature", u8a(&w.tracker_signature)),
    ]);
    let report = verify_note(s(&w.note_json), options).unwrap();
    assert_eq!(get(&report, "passed"), JsValue::TRUE);
    assert_eq!(
        check_named(&get(&report, "checks"), "trackerSignature"),
        "passed"
    );
    // The tracker's signature of another note fails; the issuer's still holds.
    let mut forged = w.tracker_signature.clone();
    forged[40] ^= 1;
    let options = obj(&[
        ("tracker", s(&w.tracker_box)),
        ("trackerSignature", u8a(&forged)),
    ]);
    let report = verify_note(s(&w.note_json), options).unwrap();
    assert_eq!(get(&report, "passed"), JsValue::FALSE);
    assert_eq!(
        check_named(&get(&report, "checks"), "issuerSignature"),
        "passed"
    );
    assert_eq!(
        check_named(&get(&report, "checks"), "trackerSignature"),
        "failed"
    );
    // Unknown options and notes that are not JSON text.
    expect_invalid(
        verify_note(s(&w.note_json), obj(&[("trackr", JsValue::TRUE)])).unwrap_err(),
        "trackr",
    );
    expect_invalid(
        verify_note(obj(&[]), JsValue::UNDEFINED).unwrap_err(),
        "note",
    );
    let err = verify_note(s("{\"amount_collected\":1}"), JsValue::UNDEFINED).unwrap_err();
    assert_eq!(code(&err), "NOTE_INVALID");
}

#[wasm_bindgen_test]
fn verify_tracker_proof_holds_on_chain_and_names_what_does_not() {
    let w = wallet();
    let options = obj(&[("tracker", s(&w.tracker_box)), ("note", s(&w.note_json))]);
    let report = verify_tracker_proof(s(&w.tracker_answer), options).unwrap();
    assert_eq!(bytes(&get(&report, "key")), w.key);
    assert_eq!(
        u64::try_from(get(&report, "totalDebt")).unwrap(),
        (1u64 << 60) + 1
    );
    assert_eq!(get(&report, "digestAgrees"), JsValue::TRUE);
    // Against the empty tree's digest (an older commitment): PROOF_INVALID.
    let empty = Tree::new(TreeShape::BASIS_TRACKER).unwrap().digest();
    let err =
        verify_tracker_proof(s(&w.tracker_answer), obj(&[("tracker", u8a(&empty))])).unwrap_err();
    assert_eq!(code(&err), "PROOF_INVALID");
    let short = w
        .tracker_answer
        .replacen("\"value\":\"", "\"value\":\"00", 1);
    let err = verify_tracker_proof(s(&short), obj(&[("tracker", s(&w.tracker_box))])).unwrap_err();
    assert_eq!(code(&err), "DEBT_VALUE_INVALID");
    let other = w
        .tracker_answer
        .replacen(&to_hex(&w.key), &"11".repeat(32), 1);
    let options = obj(&[("tracker", s(&w.tracker_box)), ("note", s(&w.note_json))]);
    let err = verify_tracker_proof(s(&other), options).unwrap_err();
    assert_eq!(code(&err), "NOTE_KEY_MISMATCH");
    assert_eq!(bytes(&get(&err, "expected")), w.key);
    expect_invalid(
        verify_tracker_proof(s(&w.tracker_answer), JsValue::UNDEFINED).unwrap_err(),
        "tracker",
    );
    // The tracker's /tracker/state: its digests as it tells them.
    let digest = to_hex(&bytes(&get(&report, "digest")));
    let state = format!(
        r#"{{"success":true,"data":{{"local_digest":"{digest}","confirmed_digest":null,"confirmed_box_id":null,"confirmed_height":18446744073709551615,"pending_digest":"{digest}","pending_tx_id":null,"pending_submitted_height":null,"tracker_box_id":null}},"error":null}}"#
    );
    let state = read_tracker_state(s(&state)).unwrap();
    assert_eq!(to_hex(&bytes(&get(&state, "localDigest"))), digest);
    assert_eq!(
        u64::try_from(get(&state, "confirmedHeight")).unwrap(),
        u64::MAX
    );
    assert!(get(&state, "confirmedDigest").is_undefined());
    let err = read_tracker_state(s(r#"{"success":false,"error":"down"}"#)).unwrap_err();
    assert_eq!(code(&err), "TRACKER_ANSWER_INVALID");
}

#[wasm_bindgen_test]
fn check_redemption_reports_each_condition_and_the_reserve_update() {
    let mut w = wallet();
    let redemption = |amount: u64, signature: Option<&[u8]>| {
        obj(&[
            ("trackerBox", s(&w.tracker_box)),
            ("reserveBox", s(&w.reserve_box)),
            ("note", s(&w.note_json)),
            (
                "trackerSignature",
                signature.map_or(JsValue::UNDEFINED, u8a),
            ),
            ("trackerProof", s(&w.tracker_answer)),
            ("reserveProof", u8a(&w.reserve_proof)),
            ("amount", JsValue::from(amount)),
            ("height", JsValue::from(200)),
        ])
    };
    let debt = (1u64 << 60) + 1;
    let report = check_redemption(redemption(debt, Some(&w.tracker_signature))).unwrap();
    assert_eq!(get(&report, "redeemable"), JsValue::TRUE, "{report:?}");
    assert_eq!(u64::try_from(get(&report, "maxRedeemable")).unwrap(), debt);
    let reserve = get(&report, "reserveBox");
    assert_eq!(to_hex(&bytes(&get(&reserve, "trackerNftId"))), NFT);
    assert_eq!(u64::try_from(get(&reserve, "value")).unwrap(), u64::MAX);
    assert!(get(&reserve, "refundHeight").is_undefined());
    let tracker = get(&report, "trackerBox");
    assert_eq!(to_hex(&bytes(&get(&tracker, "nftId"))), NFT);
    let update = get(&report, "reserveUpdate");
    assert_eq!(get(&update, "needsLookupProof"), JsValue::FALSE);
    let value = bytes(&get(&update, "value"));
    w.reserve_tree.insert(&w.key, &value).unwrap();
    assert_eq!(bytes(&get(&update, "newDigest")), w.reserve_tree.digest());

    let report = check_redemption(redemption(debt + 1, Some(&w.tracker_signature))).unwrap();
    assert_eq!(get(&report, "redeemable"), JsValue::FALSE);
    assert_eq!(
        check_named(&get(&report, "conditions"), "amountWithinDebt"),
        "failed"
    );
    // Without the tracker's signature, at height 200 the tracker box is 100 blocks old.
    let report = check_redemption(redemption(1, None)).unwrap();
    assert_eq!(get(&report, "redeemable"), JsValue::FALSE);
    assert_eq!(
        check_named(&get(&report, "conditions"), "emergencyPath"),
        "failed"
    );
    assert_eq!(get(&report, "trackerBoxAge"), JsValue::from(100.0));
    // The tracker's /reserve/proof answer for a first redemption: no lookup proof, an insert one.
    let answer = format!(
        r#"{{"success":true,"data":{{"key":"{}","value":"","proof":null,"already_redeemed":0,"is_first_redemption":true,"insert_proof":"{}","new_reserve_state_digest":null}},"error":null}}"#,
        to_hex(&w.key),
        to_hex(&w.reserve_proof)
    );
    let with_answer = redemption(1, Some(&w.tracker_signature));
    Reflect::set(&with_answer, &s("reserveProof"), &s(&answer)).unwrap();
    let report = check_redemption(with_answer).unwrap();
    assert_eq!(get(&report, "redeemable"), JsValue::TRUE, "{report:?}");
    expect_invalid(
        check_redemption(obj(&[])).unwrap_err(),
        "redemption.trackerBox",
    );
}

#[wasm_bindgen_test]
fn storms_of_hostile_arguments_leave_the_instance_working() {
    let w = wallet();
    let before = shadow_stack_position();
    let hostile = [
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from(1.5),
        s("zz"),
        s("{"),
        s("{\"success\":false,\"error\":\"x\"}"),
        u8a(&[0xff; 70]),
        obj(&[("tree", JsValue::from(1))]),
        Array::new().into(),
    ];
    for round in 0..2_000 {
        let value = &hostile[round % hostile.len()];
        assert!(verify_signature(value.clone(), s(TV001_MESSAGE), s(TV001_SIGNATURE)).is_err());
        assert!(note_message(value.clone()).is_err());
        assert!(sign_note(value.clone(), value.clone(), value.clone()).is_err());
        assert!(verify_note(value.clone(), JsValue::UNDEFINED).is_err());
        assert!(
            verify_tracker_proof(s(&w.tracker_answer), obj(&[("tracker", value.clone())])).is_err()
        );
        assert!(check_redemption(value.clone()).is_err());
    }
    assert_eq!(shadow_stack_position(), before);
    // Lengths far beyond any argument's are refused before they are copied.
    let huge = " ".repeat(4 << 20) + "{}";
    expect_invalid(
        verify_tracker_proof(s(&w.tracker_answer), obj(&[("tracker", s(&huge))])).unwrap_err(),
        "tracker",
    );
    expect_invalid(
        verify_note(s(&huge), JsValue::UNDEFINED).unwrap_err(),
        "note",
    );
    let big = u8a(&vec![2; 8 << 20]);
    expect_invalid(
        verify_signature(s(ISSUER), s(TV001_MESSAGE), big).unwrap_err(),
        "signature",
    );
    let check = verify_signature(s(ISSUER), s(TV001_MESSAGE), s(TV001_SIGNATURE)).unwrap();
    assert_eq!(get(&check, "onChain"), JsValue::TRUE);
}
