//! A Basis wallet's checks: the upstream signature vectors, sign → verify round trips, notes
//! changed after signing, the tracker's proofs against older on-chain digests, a redemption built
//! end to end with each contract condition broken once, and hostile JSON and keys.

mod common;

use basis_trees::{
    check_redemption, from_hex, note_message, public_key, sign_note, to_hex, verify_note,
    verify_signature, verify_tracker_proof, AvlTreeData, CheckStatus, Commitment, ErrorCode, Note,
    Redemption, RedemptionReport, ReserveBox, TrackerBox, TrackerProofAnswer,
    TrackerSignatureAnswer, TrackerState, Tree, TreeShape, EMERGENCY_BLOCKS,
};
use common::SplitMix64;

fn bytes(hex: &str) -> Vec<u8> {
    from_hex(hex).unwrap()
}

fn key33(hex: &str) -> [u8; 33] {
    bytes(hex).try_into().unwrap()
}

/// basis-tracker's own vectors (`crates/basis_store/src/schnorr_test_vectors.rs`), in
/// tests/vectors/basis/schnorr_test_vectors.txt with the contract's verdict added.
#[test]
fn upstream_vectors_verify_as_upstream_says() {
    let text = include_str!("vectors/basis/schnorr_test_vectors.txt");
    let issuer = key33("0284bf7562262bbd6940085748f3be6afa52ae317155181ece31b66351ccffa4b0");
    let mut refused_on_chain = 0;
    let mut count = 0;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [id, signer, recipient, amount, timestamp, message, signature, verifies, on_chain] =
            fields[..]
        else {
            panic!("{line}");
        };
        let check = verify_signature(&bytes(signer), &bytes(message), &bytes(signature)).unwrap();
        assert_eq!(check.valid, verifies == "true", "{id}");
        assert_eq!(check.on_chain, on_chain == "true", "{id}");
        refused_on_chain += usize::from(check.valid && !check.on_chain);
        // The message of the note with the vector's numbers (TV006-TV008 sign another).
        if !matches!(id, "TV006" | "TV007" | "TV008") {
            let ours = note_message(
                &issuer,
                &key33(recipient),
                amount.parse().unwrap(),
                timestamp.parse().unwrap(),
            );
            assert_eq!(to_hex(&ours), message, "{id}");
        }
        count += 1;
    }
    assert_eq!((count, refused_on_chain), (11, 2));
}

/// basis-tracker `crates/basis_core/src/impls.rs`, test `verify_current_redemption_signatures`:
/// the issuer's and the tracker's signatures of a redemption on the test network.
#[test]
fn basis_core_redemption_signatures_verify() {
    let issuer = key33("0377709166937fcdc08bf7e841b31684e2377f489914c97ef7148de14d9c6e1f83");
    let recipient = key33("03af13e39dd0ccc7429f9dfa5a056b71a8f5160eaf179763a03e0b55d8feec2cea");
    let tracker = bytes("024e564477ff457c601c01ad1cc31903f8b27b7d5e515bd03138891d8152d787b2");
    let message = note_message(&issuer, &recipient, 200_000_000, 1785019966273);
    let issuer_signature = bytes("03891ffb055e3acc60dbb3307708eac61024a759b6e0f2b13ada817d587d14db651414b4d138a227fdff961b27ae19e729075a27d8793e01b7c56d266d0d164eec");
    let tracker_signature = bytes("022d33ce9fb101646a4acf50d3ae4b493cc4fde22dd304ad1584094ae7fd7c4ca67873708c0403315a3e488cfe2ec55b0bc2d9e4b03f6431919dfc839967ab8417");
    let check = verify_signature(&issuer, &message, &issuer_signature).unwrap();
    assert!(check.valid && check.on_chain);
    let check = verify_signature(&tracker, &message, &tracker_signature).unwrap();
    assert!(check.valid && check.on_chain);
    // Each signature is the other signer's: neither holds.
    assert!(
        !verify_signature(&tracker, &message, &issuer_signature)
            .unwrap()
            .valid
    );
    assert!(
        !verify_signature(&issuer, &message, &tracker_signature)
            .unwrap()
            .valid
    );
}

/// Signatures valid by the equation but refused on chain: made as an upstream signer that skipped
/// its retry would make them (z = k + e·x for the first nonce), checked in
/// tests/vectors/basis/top_bit_set.txt.
#[test]
fn signatures_with_a_top_bit_set_are_valid_but_not_on_chain() {
    let text = include_str!("vectors/basis/top_bit_set.txt");
    let mut count = 0;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [key, message, signature, which] = fields[..] else {
            panic!("{line}");
        };
        let check = verify_signature(&bytes(key), &bytes(message), &bytes(signature)).unwrap();
        assert!(check.valid, "{line}");
        assert!(!check.on_chain, "{line}");
        let signature = bytes(signature);
        let z_top = signature[33] & 0x80 != 0;
        assert_eq!(which.contains('z'), z_top, "{line}");
        count += 1;
    }
    assert!(count >= 4);
}

fn random_secret(rng: &mut SplitMix64) -> [u8; 32] {
    loop {
        let mut secret = [0u8; 32];
        for chunk in secret.chunks_mut(8) {
            chunk.copy_from_slice(&rng.next_u64().to_be_bytes());
        }
        if public_key(&secret).is_ok() {
            return secret;
        }
    }
}

fn entropy(rng: &mut SplitMix64) -> [u8; 32] {
    let mut out = [0u8; 32];
    for chunk in out.chunks_mut(8) {
        chunk.copy_from_slice(&rng.next_u64().to_be_bytes());
    }
    out
}

fn round_trips(count: usize, seed: u64) {
    let mut rng = SplitMix64(seed);
    for round in 0..count {
        let secret = random_secret(&mut rng);
        let issuer = public_key(&secret).unwrap();
        let recipient = public_key(&random_secret(&mut rng)).unwrap();
        let debt = match round % 4 {
            0 => u64::MAX,
            1 => rng.next_u64() >> rng.below(64),
            _ => rng.next_u64(),
        };
        let message = note_message(&issuer, &recipient, debt, rng.next_u64());
        let signature = sign_note(&secret, &message, &entropy(&mut rng)).unwrap();
        assert_eq!(signature[33] & 0x80, 0, "z's top bit");
        let e = blake2b256(&[&signature[..33], &message, &issuer]);
        assert_eq!(e[0] & 0x80, 0, "e's top bit");
        let check = verify_signature(&issuer, &message, &signature).unwrap();
        assert!(check.valid && check.on_chain, "round {round}");
        let mut other = message;
        other[40 + round % 8] ^= 1 << (round % 8);
        assert!(!verify_signature(&issuer, &other, &signature).unwrap().valid);
    }
}

/// blake2b256 from the `blake2` crate, independent of ours.
fn blake2b256(parts: &[&[u8]]) -> [u8; 32] {
    use blake2::digest::{consts::U32, Digest};
    let mut hasher = blake2::Blake2b::<U32>::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

#[test]
fn sign_then_verify_round_trips() {
    round_trips(300, 1);
}

/// 100,000 round trips: `cargo test --release --test wallet -- --ignored`.
#[test]
#[ignore]
fn sign_then_verify_round_trips_100k() {
    round_trips(100_000, 2);
}

#[test]
fn the_same_entropy_never_gives_the_same_nonce_for_two_messages() {
    let secret = [9u8; 32];
    let issuer = public_key(&secret).unwrap();
    let weak = [0u8; 32];
    let mut nonces = std::collections::HashSet::new();
    for debt in 0..200u64 {
        let message = note_message(&issuer, &issuer, debt, 0);
        let signature = sign_note(&secret, &message, &weak).unwrap();
        assert!(
            nonces.insert(signature[..33].to_vec()),
            "a reused for debt {debt}"
        );
    }
    // Deterministic for the same inputs: the hedge is a function of them.
    let message = note_message(&issuer, &issuer, 1, 1);
    assert_eq!(
        sign_note(&secret, &message, &weak).unwrap(),
        sign_note(&secret, &message, &weak).unwrap()
    );
    assert_ne!(
        sign_note(&secret, &message, &weak).unwrap(),
        sign_note(&secret, &message, &[1; 32]).unwrap()
    );
}

#[test]
fn keys_and_lengths_are_refused_as_arguments() {
    let message = [0u8; 48];
    let signature = [2u8; 65];
    let good = public_key(&[1; 32]).unwrap();
    // The point at infinity, an x with no point, a wrong prefix, wrong lengths.
    let mut not_on_curve = [0u8; 33];
    not_on_curve[0] = 0x02;
    not_on_curve[32] = 5; // x = 5: x^3 + 7 = 132 is not a square modulo p
    let bad_keys: [&[u8]; 6] = [
        &[0; 33],
        &not_on_curve,
        &[0x04; 33],
        &good[..32],
        &[0x02; 34],
        &[],
    ];
    for key in bad_keys {
        let err = verify_signature(key, &message, &signature).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgument, "{}", to_hex(key));
        assert!(err.to_string().starts_with("publicKey"), "{err}");
    }
    for length in [0, 64, 66, 130] {
        let err = verify_signature(&good, &message, &vec![2; length]).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgument);
        assert!(err.to_string().contains("65 bytes"), "{err}");
    }
    let err = verify_signature(&good, &[0; 40], &signature).unwrap_err();
    assert!(err.to_string().contains("older key ‖ totalDebt"), "{err}");
    assert_eq!(
        verify_signature(&good, &[0; 47], &signature)
            .unwrap_err()
            .code(),
        ErrorCode::InvalidArgument
    );
    // `a` not a point, z not below the order: not valid, no error.
    let mut signature = sign_note(&[1; 32], &message, &[0; 32]).unwrap();
    assert!(
        verify_signature(&good, &message, &signature)
            .unwrap()
            .on_chain
    );
    signature[..33].copy_from_slice(&not_on_curve);
    assert!(!verify_signature(&good, &message, &signature).unwrap().valid);
    signature[..33].copy_from_slice(&good);
    signature[33..].copy_from_slice(&[0xff; 32]);
    assert!(!verify_signature(&good, &message, &signature).unwrap().valid);
    // Secrets out of range.
    let order = bytes("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    for secret in [vec![0; 32], order, vec![0xff; 32], vec![1; 31], vec![1; 33]] {
        assert_eq!(
            public_key(&secret).unwrap_err().code(),
            ErrorCode::InvalidArgument
        );
        assert_eq!(
            sign_note(&secret, &message, &[0; 32]).unwrap_err().code(),
            ErrorCode::InvalidArgument
        );
    }
}

// ---- Notes and the tracker's answers ------------------------------------------------------

struct Party {
    secret: [u8; 32],
    key: [u8; 33],
}

fn party(seed: u8) -> Party {
    let secret = [seed; 32];
    Party {
        secret,
        key: public_key(&secret).unwrap(),
    }
}

fn note_json(issuer: &Party, recipient: &[u8; 33], debt: u64, timestamp: u64) -> String {
    let message = note_message(&issuer.key, recipient, debt, timestamp);
    let signature = sign_note(&issuer.secret, &message, &[7; 32]).unwrap();
    format!(
        r#"{{"issuer_pubkey":"{}","recipient_pubkey":"{}","amount_collected":{debt},"amount_redeemed":0,"timestamp":{timestamp},"signature":"{}"}}"#,
        to_hex(&issuer.key),
        to_hex(recipient),
        to_hex(&signature)
    )
}

fn tracker_signature(tracker: &Party, note: &Note) -> [u8; 65] {
    sign_note(&tracker.secret, &note.message(), &[8; 32]).unwrap()
}

fn status(report: &[basis_trees::Check], name: &str) -> CheckStatus {
    report
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no check {name}"))
        .status
}

#[test]
fn a_note_reads_in_the_envelope_or_bare_with_exact_numbers() {
    let (alice, bob) = (party(1), party(2));
    let big = (1u64 << 53) + 1;
    let json = note_json(&alice, &bob.key, big, u64::MAX);
    let note = Note::from_json(json.as_bytes()).unwrap();
    assert_eq!((note.total_debt, note.timestamp), (big, u64::MAX));
    let wrapped = format!(r#"{{"success":true,"data":{json},"error":null}}"#);
    assert_eq!(Note::from_json(wrapped.as_bytes()).unwrap(), note);
    let report = verify_note(&note, None, None).unwrap();
    assert_eq!(
        status(&report.checks, "issuerSignature"),
        CheckStatus::Passed
    );
    assert_eq!(
        status(&report.checks, "trackerSignature"),
        CheckStatus::NotChecked
    );
    // The tracker's error is told.
    let err =
        Note::from_json(br#"{"success":false,"data":null,"error":"Note not found"}"#).unwrap_err();
    assert!(err.to_string().contains("Note not found"), "{err}");
}

#[test]
fn every_field_changed_after_signing_fails() {
    let (alice, bob, carol, tracker) = (party(1), party(2), party(3), party(4));
    let json = note_json(&alice, &bob.key, 5_000, 1_700_000_000_000);
    let note = Note::from_json(json.as_bytes()).unwrap();
    let signature = tracker_signature(&tracker, &note);
    let report = verify_note(&note, Some(&tracker.key), Some(&signature)).unwrap();
    assert!(report.passed());
    assert_eq!(
        status(&report.checks, "trackerSignature"),
        CheckStatus::Passed
    );
    let changes = [
        (to_hex(&alice.key), to_hex(&carol.key)),
        (to_hex(&bob.key), to_hex(&carol.key)),
        ("5000".to_string(), "5001".to_string()),
        ("1700000000000".to_string(), "1700000000001".to_string()),
    ];
    for (from, to) in changes {
        let changed = json.replacen(&from, &to, 1);
        let note = Note::from_json(changed.as_bytes()).unwrap();
        let report = verify_note(&note, Some(&tracker.key), Some(&signature)).unwrap();
        assert_eq!(
            status(&report.checks, "issuerSignature"),
            CheckStatus::Failed,
            "{to}"
        );
        assert_eq!(
            status(&report.checks, "trackerSignature"),
            CheckStatus::Failed,
            "{to}"
        );
        assert!(!report.passed());
    }
    // Each byte of the signature.
    for at in 0..65 {
        let mut changed = note;
        changed.signature[at] ^= 0x01;
        let report = verify_note(&changed, None, None).unwrap();
        assert_eq!(
            status(&report.checks, "issuerSignature"),
            CheckStatus::Failed,
            "{at}"
        );
    }
    // amount_redeemed is not signed: the report does not pretend it is.
    let changed = json.replace("\"amount_redeemed\":0", "\"amount_redeemed\":9");
    let note = Note::from_json(changed.as_bytes()).unwrap();
    assert!(verify_note(&note, None, None).unwrap().passed());
}

#[test]
fn hostile_notes_are_refused_with_their_code_and_offset() {
    let (alice, bob) = (party(1), party(2));
    let json = note_json(&alice, &bob.key, 5, 6);
    let infinity = "00".repeat(33);
    let mut off_curve = "02".to_string();
    off_curve.push_str(&"00".repeat(31));
    off_curve.push_str("05");
    let cases: Vec<String> = vec![
        json.replace(&to_hex(&alice.key), &infinity),
        json.replace(&to_hex(&alice.key), &off_curve),
        json.replace(&to_hex(&alice.key), &to_hex(&alice.key)[2..]),
        json.replace("\"amount_collected\":5", "\"amount_collected\":-5"),
        json.replace("\"amount_collected\":5", "\"amount_collected\":5.0"),
        json.replace(
            "\"amount_collected\":5",
            "\"amount_collected\":18446744073709551616",
        ),
        json.replace("\"amount_collected\":5", "\"amount_collected\":05"),
        json.replace("\"amount_collected\":5", "\"amount_collected\":5e0"),
        json.replace("\"timestamp\":6", "\"timestamp\":6,\"timestamp\":7"),
        json.replace("\"timestamp\":6", "\"time\\u0073tamp\":6"),
        json.replace(",\"timestamp\":6", ""),
        json.replace("\"signature\":\"", "\"signature\":\"00"),
        json.replace("\"signature\":\"", "\"signature\":\"zz"),
        json.replace("{", "["),
        json[..json.len() - 1].to_string(),
        format!("{json} x"),
        r#"{"success":true,"data":[1]}"#.to_string(),
        "{}".to_string(),
    ];
    for case in cases {
        let err = Note::from_json(case.as_bytes()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::NoteInvalid, "{case}: {err}");
        assert!(err.offset().unwrap() <= case.len() as u64, "{case}");
    }
    let older = json.replace(",\"timestamp\":6", "");
    let err = Note::from_json(older.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("older format"), "{err}");
}

#[test]
fn tracker_answers_read_as_basis_tracker_serves_them() {
    let signature = to_hex(&[0x02; 65]);
    let tracker = to_hex(&party(4).key);
    let answer = format!(
        r#"{{"success":true,"data":{{"success":true,"tracker_signature":"{signature}","tracker_pubkey":"{tracker}","message_signed":"00ff","is_emergency":false}},"error":null}}"#
    );
    let read = TrackerSignatureAnswer::from_json(answer.as_bytes()).unwrap();
    assert_eq!(read.signature, [0x02; 65]);
    assert_eq!(read.message_signed, Some(vec![0, 0xff]));
    assert_eq!(read.emergency, Some(false));
    let state = format!(
        r#"{{"success":true,"data":{{"local_digest":"{d}","confirmed_digest":null,"confirmed_box_id":null,"confirmed_height":18446744073709551615,"pending_digest":"{d}","pending_tx_id":null,"pending_submitted_height":null,"tracker_box_id":null}},"error":null}}"#,
        d = basis_trees::EMPTY_BASIS_TRACKER_DIGEST
    );
    let state = TrackerState::from_json(state.as_bytes()).unwrap();
    assert_eq!(state.confirmed_height, Some(u64::MAX));
    assert_eq!(state.confirmed_digest, None);
    assert_eq!(
        to_hex(&state.local_digest),
        basis_trees::EMPTY_BASIS_TRACKER_DIGEST
    );
    let err = TrackerState::from_json(br#"{"local_digest":"00"}"#).unwrap_err();
    assert_eq!(err.code(), ErrorCode::TrackerAnswerInvalid);
}

// ---- The tracker's proofs against the chain -------------------------------------------------

fn proof_answer(tree: &Tree, key: &[u8; 32], value: &[u8], debt: u64) -> String {
    let proof = tree.prove_lookup(&[*key]).unwrap();
    format!(
        r#"{{"success":true,"data":{{"key":"{}","value":"{}","proof":"{}","total_debt":{debt},"tracker_state_digest":"{}"}},"error":null}}"#,
        to_hex(key),
        to_hex(value),
        to_hex(&proof),
        to_hex(&tree.digest())
    )
}

#[test]
fn a_tracker_proof_holds_against_the_digest_on_chain_only() {
    let (alice, bob, carol) = (party(1), party(2), party(3));
    let note = Note::from_json(note_json(&alice, &bob.key, 700, 1).as_bytes()).unwrap();
    let key = note.key();
    let mut tree = Tree::new(TreeShape::BASIS_TRACKER).unwrap();
    tree.insert(&key, &500u64.to_be_bytes()).unwrap();
    tree.insert(
        &basis_trees::note_key(&alice.key, &carol.key),
        &9u64.to_be_bytes(),
    )
    .unwrap();
    let older = tree.digest();
    tree.update(&key, &700u64.to_be_bytes()).unwrap();
    let committed = tree.digest();

    let answer = proof_answer(&tree, &key, &700u64.to_be_bytes(), 700);
    let answer = TrackerProofAnswer::from_json(answer.as_bytes()).unwrap();
    let report = verify_tracker_proof(&answer, &Commitment::from(committed), Some(&note)).unwrap();
    assert_eq!((report.key, report.total_debt), (key, 700));
    assert_eq!(report.digest_agrees, Some(true));

    // Against the older on-chain digest: the proof does not verify.
    let err = verify_tracker_proof(&answer, &Commitment::from(older), Some(&note)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ProofInvalid);

    // A tracker ahead of its commitment: the answer's digest disagrees, the proof holds.
    let mut ahead = answer.clone();
    ahead.tracker_state_digest = Some([1; 33]);
    let report = verify_tracker_proof(&ahead, &Commitment::from(committed), None).unwrap();
    assert_eq!(report.digest_agrees, Some(false));

    // Another note's key; a value of 7 bytes; a total_debt that is not the value; a value that
    // is not what the tree holds.
    let other = Note::from_json(note_json(&alice, &carol.key, 9, 1).as_bytes()).unwrap();
    let err = verify_tracker_proof(&answer, &Commitment::from(committed), Some(&other));
    assert_eq!(err.unwrap_err().code(), ErrorCode::NoteKeyMismatch);
    let mut short = answer.clone();
    short.value.pop();
    let err = verify_tracker_proof(&short, &Commitment::from(committed), None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::DebtValueInvalid);
    let mut lying = answer.clone();
    lying.total_debt = 701;
    let err = verify_tracker_proof(&lying, &Commitment::from(committed), None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::DebtValueInvalid);
    let mut lying = answer.clone();
    lying.value = 701u64.to_be_bytes().to_vec();
    lying.total_debt = 701;
    let err = verify_tracker_proof(&lying, &Commitment::from(committed), None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::DebtValueInvalid);
    // A proof of absence.
    let absent = TrackerProofAnswer {
        key: basis_trees::note_key(&bob.key, &carol.key).to_vec(),
        value: 1u64.to_be_bytes().to_vec(),
        proof: tree
            .prove_lookup(&[basis_trees::note_key(&bob.key, &carol.key)])
            .unwrap(),
        total_debt: 1,
        tracker_state_digest: None,
    };
    let err = verify_tracker_proof(&absent, &Commitment::from(committed), None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeyNotFound);
}

// ---- A redemption, end to end ---------------------------------------------------------------

const NFT: &str = "8b1ab583bb085ecbd8fa9bc2fd59784afcdfce5496eb146bb3dd04664b56822a";

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

fn tracker_box_json(key: &[u8; 33], digest: [u8; 33], nft: &str, height: u32) -> String {
    format!(
        r#"{{"ergoTree":"0008cd03af13e39dd0ccc7429f9dfa5a056b71a8f5160eaf179763a03e0b55d8feec2cea","creationHeight":{height},"value":1000000,"assets":[{{"tokenId":"{nft}","amount":1}}],"additionalRegisters":{{"R4":"07{}","R5":"{}"}}}}"#,
        to_hex(key),
        tree_register(digest)
    )
}

fn reserve_box_json(owner: &[u8; 33], digest: [u8; 33], nft: &str, value: u64) -> String {
    format!(
        r#"{{"ergoTree":"00","creationHeight":5,"value":{value},"assets":[],"additionalRegisters":{{"R4":"07{}","R5":"{}","R6":"0e20{nft}"}}}}"#,
        to_hex(owner),
        tree_register(digest)
    )
}

struct Scenario {
    tracker: TrackerBox,
    reserve: ReserveBox,
    note: Note,
    tracker_signature: Vec<u8>,
    tracker_proof: Vec<u8>,
    reserve_proof: Vec<u8>,
    amount: u64,
    height: u32,
    reserve_tree: Tree,
}

impl Scenario {
    /// Alice's reserve, her note to Bob of total debt 1,000 (300 of it redeemed before, at
    /// timestamp 100), the tracker's tree and signature: Bob redeems 700 at height 10,000.
    fn new() -> Scenario {
        let (alice, bob, carol, tracker) = (party(1), party(2), party(3), party(4));
        let note = Note::from_json(note_json(&alice, &bob.key, 1_000, 200).as_bytes()).unwrap();
        let key = note.key();
        let mut tracker_tree = Tree::new(TreeShape::BASIS_TRACKER).unwrap();
        tracker_tree.insert(&key, &1_000u64.to_be_bytes()).unwrap();
        tracker_tree
            .insert(
                &basis_trees::note_key(&alice.key, &carol.key),
                &5u64.to_be_bytes(),
            )
            .unwrap();
        let mut reserve_tree = Tree::new(TreeShape::BASIS_TRACKER).unwrap();
        let mut stored = 100u64.to_be_bytes().to_vec();
        stored.extend_from_slice(&300u64.to_be_bytes());
        reserve_tree.insert(&key, &stored).unwrap();
        reserve_tree
            .insert(&basis_trees::note_key(&alice.key, &carol.key), &[0; 16])
            .unwrap();
        let tracker_box = tracker_box_json(&tracker.key, tracker_tree.digest(), NFT, 9_000);
        let reserve_box = reserve_box_json(&alice.key, reserve_tree.digest(), NFT, 5_000);
        Scenario {
            tracker: TrackerBox::from_box_json(tracker_box.as_bytes()).unwrap(),
            reserve: ReserveBox::from_box_json(reserve_box.as_bytes()).unwrap(),
            tracker_signature: tracker_signature(&tracker, &note).to_vec(),
            tracker_proof: tracker_tree.prove_lookup(&[key]).unwrap(),
            reserve_proof: reserve_tree.prove_lookup(&[key]).unwrap(),
            note,
            amount: 700,
            height: 10_000,
            reserve_tree,
        }
    }

    fn check(&self) -> RedemptionReport {
        check_redemption(&Redemption {
            tracker_box: &self.tracker,
            reserve_box: &self.reserve,
            note: &self.note,
            tracker_signature: Some(&self.tracker_signature),
            tracker_proof: Some(&self.tracker_proof),
            reserve_proof: Some(&self.reserve_proof),
            amount: self.amount,
            height: self.height,
        })
        .unwrap()
    }
}

fn failed(report: &RedemptionReport) -> Vec<&'static str> {
    report
        .conditions
        .iter()
        .filter(|c| c.status == CheckStatus::Failed)
        .map(|c| c.name)
        .collect()
}

#[test]
fn a_redemption_passes_and_its_reserve_update_is_the_trees() {
    let mut scenario = Scenario::new();
    let report = scenario.check();
    assert!(report.redeemable, "{:#?}", report.conditions);
    assert_eq!(report.max_redeemable, 700);
    assert_eq!(report.total_debt, Some(1_000));
    assert_eq!(report.already_redeemed, Some(300));
    assert_eq!(report.stored_timestamp, Some(100));
    let update = report.reserve_update.unwrap();
    assert!(update.needs_lookup_proof);
    assert_eq!(&update.value[..8], &200u64.to_be_bytes());
    assert_eq!(&update.value[8..], &1_000u64.to_be_bytes());
    // The digest the output's R5 must hold is the reserve tree's after the same insertOrUpdate.
    scenario
        .reserve_tree
        .insert_or_update(&scenario.note.key(), &update.value)
        .unwrap();
    assert_eq!(update.new_digest, scenario.reserve_tree.digest());
    for name in ["selfPreserved", "refundPreserved", "receiverSignature"] {
        assert_eq!(status(&report.conditions, name), CheckStatus::NotChecked);
    }
}

#[test]
fn each_contract_condition_broken_once_fails_alone() {
    type Break = fn(&mut Scenario);
    let breaks: [(&str, Break); 10] = [
        ("trackerNft", |s| {
            let json = tracker_box_json(
                &s.tracker.commitment.tracker_key,
                s.tracker.commitment.tree.digest,
                &"11".repeat(32),
                9_000,
            );
            s.tracker = TrackerBox::from_box_json(json.as_bytes()).unwrap();
        }),
        ("ownerIsIssuer", |s| {
            // A reserve of Carol's: the note is not hers (her signature is also missing).
            s.reserve.owner_key = party(3).key;
        }),
        ("issuerSignature", |s| s.note.signature[40] ^= 1),
        ("trackerDebt", |s| {
            let mut tree = Tree::new(TreeShape::BASIS_TRACKER).unwrap();
            tree.insert(&s.note.key(), &999u64.to_be_bytes()).unwrap();
            s.tracker.commitment.tree.digest = tree.digest();
            s.tracker_proof = tree.prove_lookup(&[s.note.key()]).unwrap();
        }),
        ("alreadyRedeemed", |s| s.reserve_proof.truncate(20)),
        ("timestamp", |s| {
            // A note older than the last redemption (re-signed so that only the time is wrong).
            let (alice, tracker) = (party(1), party(4));
            let json = note_json(&alice, &s.note.recipient, 1_000, 100);
            s.note = Note::from_json(json.as_bytes()).unwrap();
            s.tracker_signature = tracker_signature(&tracker, &s.note).to_vec();
        }),
        ("trackerSignature", |s| s.tracker_signature[50] ^= 1),
        ("emergencyPath", |s| s.tracker_signature.clear()),
        ("amountPositive", |s| s.amount = 0),
        ("amountWithinDebt", |s| s.amount = 701),
    ];
    for (name, break_it) in breaks {
        let mut scenario = Scenario::new();
        break_it(&mut scenario);
        let report = scenario.check();
        assert!(!report.redeemable, "{name}");
        let failed = failed(&report);
        match name {
            // A reserve of another owner: the key changes, and with it the lookups.
            "ownerIsIssuer" => assert!(failed.contains(&"ownerIsIssuer"), "{failed:?}"),
            // The reserve's lookup unknown: what depends on it is not checked.
            "alreadyRedeemed" => assert_eq!(failed, ["alreadyRedeemed"], "{name}"),
            _ => assert_eq!(failed, [name], "{name}: {:#?}", report.conditions),
        }
    }
    // A reserve tree that does not allow updates.
    let mut scenario = Scenario::new();
    scenario.reserve.tree.update_allowed = false;
    let report = scenario.check();
    assert_eq!(failed(&report), ["reserveTreeUpdate"]);
    assert!(report.reserve_update.is_none());
    // The reserve's value, which no contract line names but the output's must be positive.
    let mut scenario = Scenario::new();
    scenario.reserve.value = Some(600);
    let report = scenario.check();
    assert_eq!(failed(&report), ["reserveValue"]);
    assert_eq!(report.max_redeemable, 600);
}

#[test]
fn the_emergency_path_opens_after_the_trackers_box_is_old() {
    let mut scenario = Scenario::new();
    scenario.tracker_signature.clear();
    scenario.height = 9_000 + EMERGENCY_BLOCKS;
    assert_eq!(failed(&scenario.check()), ["emergencyPath"]);
    scenario.height = 9_000 + EMERGENCY_BLOCKS + 1;
    let report = scenario.check();
    assert!(report.redeemable, "{:#?}", report.conditions);
    assert_eq!(report.tracker_box_age, Some(2161));
}

#[test]
fn a_first_redemption_proves_absence_and_inserts() {
    let mut scenario = Scenario::new();
    let mut tree = Tree::new(TreeShape::BASIS_TRACKER).unwrap();
    tree.insert(&[5; 32], &[0; 16]).unwrap();
    scenario.reserve.tree.digest = tree.digest();
    scenario.reserve_proof = tree.prove_lookup(&[scenario.note.key()]).unwrap();
    let report = scenario.check();
    assert!(report.redeemable, "{:#?}", report.conditions);
    assert_eq!(report.max_redeemable, 1_000);
    let update = report.reserve_update.unwrap();
    assert!(!update.needs_lookup_proof);
    tree.insert(&scenario.note.key(), &update.value).unwrap();
    assert_eq!(update.new_digest, tree.digest());

    // An empty reserve tree needs no proof at all.
    let empty = Tree::new(TreeShape::BASIS_TRACKER).unwrap();
    scenario.reserve.tree.digest = empty.digest();
    let report = check_redemption(&Redemption {
        reserve_proof: None,
        tracker_box: &scenario.tracker,
        reserve_box: &scenario.reserve,
        note: &scenario.note,
        tracker_signature: Some(&scenario.tracker_signature),
        tracker_proof: Some(&scenario.tracker_proof),
        amount: 1,
        height: scenario.height,
    })
    .unwrap();
    assert!(report.redeemable, "{:#?}", report.conditions);

    // A tree that is not empty, without a proof: not checked, never silently passed.
    scenario.reserve.tree.digest = tree.digest();
    let report = check_redemption(&Redemption {
        reserve_proof: None,
        tracker_box: &scenario.tracker,
        reserve_box: &scenario.reserve,
        note: &scenario.note,
        tracker_signature: Some(&scenario.tracker_signature),
        tracker_proof: None,
        amount: 1,
        height: scenario.height,
    })
    .unwrap();
    assert!(!report.redeemable);
    assert!(failed(&report).is_empty());
    for name in [
        "alreadyRedeemed",
        "timestamp",
        "trackerDebt",
        "amountWithinDebt",
        "reserveTreeUpdate",
    ] {
        assert_eq!(
            status(&report.conditions, name),
            CheckStatus::NotChecked,
            "{name}"
        );
    }
    assert_eq!(report.max_redeemable, 0);
}

#[test]
fn a_tracker_box_names_its_first_token() {
    let key = party(4).key;
    let digest = Tree::new(TreeShape::BASIS_TRACKER).unwrap().digest();
    let json = tracker_box_json(&key, digest, NFT, 7);
    let read = TrackerBox::from_box_json(json.as_bytes()).unwrap();
    assert_eq!(read.nft_id.map(|id| to_hex(&id)), Some(NFT.to_string()));
    assert_eq!(read.commitment.creation_height, Some(7));
    let none = json.replacen(&format!(r#"{{"tokenId":"{NFT}","amount":1}}"#), "", 1);
    assert_eq!(
        TrackerBox::from_box_json(none.as_bytes()).unwrap().nft_id,
        None
    );
    for (from, to) in [
        ("\"tokenId\"", "\"tokenID\""),
        (NFT, &NFT[2..]),
        ("\"tokenId\"", "\"token\\u0049d\""),
        ("[{", "[1,{"),
    ] {
        let changed = json.replacen(from, to, 1);
        let err = TrackerBox::from_box_json(changed.as_bytes()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BoxInvalid, "{to}: {err}");
    }
}

#[test]
fn reserve_boxes_refuse_what_is_not_a_reserve() {
    let owner = party(1).key;
    let digest = Tree::new(TreeShape::BASIS_TRACKER).unwrap().digest();
    let json = reserve_box_json(&owner, digest, NFT, 5);
    let read = ReserveBox::from_box_json(json.as_bytes()).unwrap();
    assert_eq!(to_hex(&read.tracker_nft_id), NFT);
    assert_eq!(read.refund_height, None);
    let with_refund = json.replace("\"R6\"", "\"R7\":\"0580a305\",\"R6\"");
    let read = ReserveBox::from_box_json(with_refund.as_bytes()).unwrap();
    assert_eq!(read.refund_height, Some(43200));
    for (from, to) in [
        ("\"R6\":\"0e20", "\"R6\":\"0e21"),
        ("\"R6\":\"0e20", "\"R6\":\"0520"),
        ("\"R4\":\"07", "\"R4\":\"0e"),
        ("\"R4\":\"07", "\"R3\":\"07"),
        ("\"R6\"", "\"R7\":\"0e00\",\"R6\""),
        ("\"value\":5", "\"value\":-5"),
    ] {
        let changed = json.replace(from, to);
        assert_ne!(changed, json);
        let err = ReserveBox::from_box_json(changed.as_bytes()).unwrap_err();
        assert!(
            matches!(
                err.code(),
                ErrorCode::BoxInvalid | ErrorCode::RegisterInvalid
            ),
            "{to}: {err}"
        );
    }
}

/// tests/vectors/basis/: a note, the tracker's answers and the two boxes, as a wallet gets them.
#[test]
fn the_checked_in_wallet_vectors_hold_end_to_end() {
    let read = |name: &str| std::fs::read(format!("tests/vectors/basis/{name}")).unwrap();
    let note = Note::from_json(&read("note.json")).unwrap();
    assert_eq!(note.total_debt, (1 << 53) + 1);
    let tracker = TrackerBox::from_box_json(&read("tracker_box.json")).unwrap();
    let signature = TrackerSignatureAnswer::from_json(&read("tracker_signature.json")).unwrap();
    assert_eq!(signature.tracker_key, Some(tracker.commitment.tracker_key));
    assert_eq!(signature.message_signed, Some(note.message().to_vec()));
    let report = verify_note(
        &note,
        Some(&tracker.commitment.tracker_key),
        Some(&signature.signature),
    )
    .unwrap();
    assert!(report.passed());
    assert!(report
        .checks
        .iter()
        .all(|c| c.status == CheckStatus::Passed));
    let answer = TrackerProofAnswer::from_json(&read("tracker_proof.json")).unwrap();
    let commitment = Commitment::from(tracker.commitment);
    let proved = verify_tracker_proof(&answer, &commitment, Some(&note)).unwrap();
    assert_eq!(proved.total_debt, note.total_debt);
    let state = TrackerState::from_json(&read("tracker_state.json")).unwrap();
    assert_eq!(state.confirmed_digest, Some(tracker.commitment.tree.digest));
    let reserve = ReserveBox::from_box_json(&read("reserve_box.json")).unwrap();
    let reserve_proof =
        from_hex(String::from_utf8(read("reserve_proof.hex")).unwrap().trim()).unwrap();
    let report = check_redemption(&Redemption {
        tracker_box: &tracker,
        reserve_box: &reserve,
        note: &note,
        tracker_signature: Some(&signature.signature),
        tracker_proof: Some(&answer.proof),
        reserve_proof: Some(&reserve_proof),
        amount: 2_000_000_000,
        height: 1_750_700,
    })
    .unwrap();
    assert!(report.redeemable, "{:#?}", report.conditions);
    assert_eq!(report.already_redeemed, Some(1_000_000_000));
    assert_eq!(report.max_redeemable, note.total_debt - 1_000_000_000);
    assert_eq!(
        to_hex(&report.reserve_update.unwrap().new_digest),
        "20bb3f105e11a5c636ecff54a22ddf7027a6be9861ac779cd1733aabce5423f302"
    );
}

/// basis-tracker's `/reserve/proof` answer: its lookup proof, or for a first redemption (no
/// lookup proof) its insert proof, serves as the reserve's lookup; neither is trusted.
#[test]
fn the_trackers_reserve_proof_answer_serves_as_the_reserve_lookup() {
    let mut scenario = Scenario::new();
    let key = scenario.note.key();
    let mut tree = Tree::new(TreeShape::BASIS_TRACKER).unwrap();
    tree.insert(&[5; 32], &[0; 16]).unwrap();
    scenario.reserve.tree.digest = tree.digest();
    let mut value = 200u64.to_be_bytes().to_vec();
    value.extend_from_slice(&700u64.to_be_bytes());
    let insert = tree
        .clone()
        .prove(&[basis_trees::Operation::InsertOrUpdate {
            key: key.to_vec(),
            value: value.clone(),
        }])
        .unwrap();
    let json = format!(
        r#"{{"success":true,"data":{{"key":"{}","value":"","proof":null,"already_redeemed":0,"is_first_redemption":true,"insert_proof":"{}","new_reserve_state_digest":"{}"}},"error":null}}"#,
        to_hex(&key),
        to_hex(&insert.proof),
        to_hex(&insert.digest_after)
    );
    let answer = basis_trees::ReserveProofAnswer::from_json(json.as_bytes()).unwrap();
    assert_eq!(answer.is_first_redemption, Some(true));
    scenario.reserve_proof = answer.lookup_proof().unwrap().to_vec();
    let report = scenario.check();
    assert!(report.redeemable, "{:#?}", report.conditions);
    let update = report.reserve_update.unwrap();
    assert!(!update.needs_lookup_proof);
    assert_eq!(update.new_digest, insert.digest_after);
    // A tracker that says "first redemption" of a key the tree holds is caught by the chain.
    tree.insert(&key, &value).unwrap();
    scenario.reserve.tree.digest = tree.digest();
    let report = scenario.check();
    assert_eq!(failed(&report), ["alreadyRedeemed"]);
}

#[test]
fn verify_note_names_the_tracker_argument_at_fault() {
    let (alice, bob, tracker) = (party(1), party(2), party(4));
    let note = Note::from_json(note_json(&alice, &bob.key, 5, 6).as_bytes()).unwrap();
    let short = [2u8; 64];
    for key in [None, Some(&tracker.key[..])] {
        let err = verify_note(&note, key, Some(&short)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgument);
        assert!(err.to_string().starts_with("trackerSignature"), "{err}");
    }
    let signature = tracker_signature(&tracker, &note);
    for key in [&[0u8; 33][..], &tracker.key[..32], &[0x04; 33][..]] {
        let err = verify_note(&note, Some(key), Some(&signature)).unwrap_err();
        assert!(err.to_string().starts_with("trackerKey"), "{err}");
    }
    // The issuer's key where the tracker's belongs: the tracker's signature fails.
    let report = verify_note(&note, Some(&alice.key), Some(&signature)).unwrap();
    assert_eq!(
        status(&report.checks, "trackerSignature"),
        CheckStatus::Failed
    );
    assert_eq!(
        status(&report.checks, "issuerSignature"),
        CheckStatus::Passed
    );
}

/// A reserve box's id is what its contents hash to, as a tracker box's is: verified only when the
/// JSON has every content and its bytes split one way, refused when a given `boxId` is not that
/// hash, and otherwise reported as given with the reason it is not verified.
#[test]
fn a_reserve_box_id_is_verified_as_a_tracker_box_id_is() {
    let owner = party(1).key;
    let digest = Tree::new(TreeShape::BASIS_TRACKER).unwrap().digest();
    let json = reserve_box_json(&owner, digest, NFT, 5);
    let p2pk = format!("0008cd{}", to_hex(&owner));
    let whole = json
        .replacen(
            "\"ergoTree\":\"00\"",
            &format!("\"ergoTree\":\"{p2pk}\""),
            1,
        )
        .replacen(
            "\"assets\"",
            &format!(
                "\"transactionId\":\"{}\",\"index\":0,\"assets\"",
                "11".repeat(32)
            ),
            1,
        );
    let read = ReserveBox::from_box_json(whole.as_bytes()).unwrap();
    let id = read.box_id.expect("the contents are all there");
    assert_eq!(read.box_id_unverified, None);

    let named = whole.replacen('{', &format!("{{\"boxId\":\"{}\",", to_hex(&id)), 1);
    let read = ReserveBox::from_box_json(named.as_bytes()).unwrap();
    assert_eq!((read.box_id, read.box_id_unverified), (Some(id), None));

    let mut forged_id = id;
    forged_id[0] ^= 1;
    let forged = whole.replacen('{', &format!("{{\"boxId\":\"{}\",", to_hex(&forged_id)), 1);
    let err = ReserveBox::from_box_json(forged.as_bytes()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::BoxInvalid, "{err}");

    let given_only = json.replacen('{', &format!("{{\"boxId\":\"{}\",", to_hex(&forged_id)), 1);
    let read = ReserveBox::from_box_json(given_only.as_bytes()).unwrap();
    assert_eq!(read.box_id, Some(forged_id));
    assert!(read.box_id_unverified.is_some());
}
