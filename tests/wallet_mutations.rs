//! Randomized robustness of the wallet's readers and checks: 100,000 mutated notes, tracker
//! answers and reserve boxes each. No input may panic; every refusal has the reader's code and an
//! offset inside the input; and whatever is accepted is checked as a wallet would: a note whose
//! signed fields changed fails its signature, and a tracker proof that still verifies against the
//! on-chain digest proves the same key and debt as the original — never another.
//!
//! Slow in a debug build, so ignored there: `make test-mutations` runs it in release mode.

mod common;

use basis_trees::{
    note_message, public_key, sign_note, to_hex, verify_note, verify_tracker_proof, AvlTreeData,
    Commitment, ErrorCode, Note, ReserveBox, TrackerProofAnswer, TrackerSignatureAnswer,
    TrackerState, Tree, TreeShape,
};
use common::SplitMix64;

const MUTATIONS: usize = 100_000;

const INTERESTING: &[u8] = b"0123456789abcdef\"{}[],:\\ -.eE\x00\xff";

/// One to three random edits: a flipped bit, an interesting byte, a random byte, bytes
/// inserted, removed or repeated, or a cut.
fn mutate(rng: &mut SplitMix64, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(out.len().max(1) as u64) as usize;
        let pick = |rng: &mut SplitMix64| INTERESTING[rng.below(INTERESTING.len() as u64) as usize];
        match rng.below(7) {
            0 => {
                if let Some(b) = out.get_mut(at) {
                    *b ^= 1 << rng.below(8);
                }
            }
            1 | 2 => {
                let byte = pick(rng);
                if let Some(b) = out.get_mut(at) {
                    *b = byte;
                }
            }
            3 => {
                let byte = pick(rng);
                out.insert(at.min(out.len()), byte);
            }
            4 => {
                let end = (at + 1 + rng.below(8) as usize).min(out.len());
                if at < end {
                    out.drain(at..end);
                }
            }
            5 => {
                let end = (at + 1 + rng.below(40) as usize).min(out.len());
                if at < end {
                    let copy = out[at..end].to_vec();
                    let to = rng.below(out.len() as u64 + 1) as usize;
                    out.splice(to..to, copy);
                }
            }
            _ => out.truncate(at),
        }
    }
    out
}

fn in_input(err: &basis_trees::Error, input: &[u8]) {
    let offset = err.offset().expect("a reader's error has an offset");
    assert!(offset <= input.len() as u64, "{err} beyond {}", input.len());
}

struct Fixture {
    note_json: Vec<u8>,
    note: Note,
    tracker_key: [u8; 33],
    tracker_signature: [u8; 65],
    answer_json: Vec<u8>,
    digest: [u8; 33],
    signature_json: Vec<u8>,
    state_json: Vec<u8>,
    reserve_json: Vec<u8>,
}

fn fixture() -> Fixture {
    let (issuer_secret, tracker_secret) = ([1u8; 32], [4u8; 32]);
    let issuer = public_key(&issuer_secret).unwrap();
    let recipient = public_key(&[2; 32]).unwrap();
    let tracker_key = public_key(&tracker_secret).unwrap();
    let debt = (1u64 << 55) + 3;
    let message = note_message(&issuer, &recipient, debt, 1_700_000_000_123);
    let signature = sign_note(&issuer_secret, &message, &[3; 32]).unwrap();
    let tracker_signature = sign_note(&tracker_secret, &message, &[5; 32]).unwrap();
    let note_json = format!(
        r#"{{"success":true,"data":{{"issuer_pubkey":"{}","recipient_pubkey":"{}","amount_collected":{debt},"amount_redeemed":7,"timestamp":1700000000123,"signature":"{}","age_seconds":3}},"error":null}}"#,
        to_hex(&issuer),
        to_hex(&recipient),
        to_hex(&signature)
    );
    let key = basis_trees::note_key(&issuer, &recipient);
    let mut tree = Tree::new(TreeShape::BASIS_TRACKER).unwrap();
    for n in 0..20u8 {
        tree.insert(&[n.wrapping_mul(13) | 1; 32], &[n; 8]).unwrap();
    }
    tree.insert(&key, &debt.to_be_bytes()).unwrap();
    let answer_json = format!(
        r#"{{"success":true,"data":{{"key":"{}","value":"{}","proof":"{}","total_debt":{debt},"tracker_state_digest":"{}"}},"error":null}}"#,
        to_hex(&key),
        to_hex(&debt.to_be_bytes()),
        to_hex(&tree.prove_lookup(&[key]).unwrap()),
        to_hex(&tree.digest())
    );
    let d = to_hex(&tree.digest());
    let register = AvlTreeData {
        digest: tree.digest(),
        key_length: 32,
        value_length: None,
        insert_allowed: true,
        update_allowed: true,
        remove_allowed: false,
    }
    .to_register();
    Fixture {
        note: Note::from_json(note_json.as_bytes()).unwrap(),
        note_json: note_json.into_bytes(),
        tracker_key,
        tracker_signature,
        answer_json: answer_json.into_bytes(),
        digest: tree.digest(),
        signature_json: format!(
            r#"{{"success":true,"data":{{"success":true,"tracker_signature":"{}","tracker_pubkey":"{}","message_signed":"{}","is_emergency":false}},"error":null}}"#,
            to_hex(&tracker_signature),
            to_hex(&tracker_key),
            to_hex(&message)
        )
        .into_bytes(),
        state_json: format!(
            r#"{{"local_digest":"{d}","confirmed_digest":"{d}","confirmed_box_id":null,"confirmed_height":1234,"pending_digest":null,"pending_tx_id":null,"pending_submitted_height":null,"tracker_box_id":"{}"}}"#,
            "ab".repeat(32)
        )
        .into_bytes(),
        reserve_json: format!(
            r#"{{"ergoTree":"00","creationHeight":5,"value":1000,"assets":[],"additionalRegisters":{{"R4":"07{}","R5":"{}","R6":"0e20{}","R7":"0580a305"}}}}"#,
            to_hex(&issuer),
            to_hex(&register),
            "8b".repeat(32)
        )
        .into_bytes(),
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "run in release mode: make test-mutations")]
fn mutated_notes_are_refused_or_fail_their_signatures_when_signed_fields_changed() {
    let f = fixture();
    let mut rng = SplitMix64(0x5eed_0001);
    let (mut accepted, mut changed, mut refused) = (0usize, 0usize, 0usize);
    for _ in 0..MUTATIONS {
        let mutated = mutate(&mut rng, &f.note_json);
        match Note::from_json(&mutated) {
            Ok(note) => {
                accepted += 1;
                let report =
                    verify_note(&note, Some(&f.tracker_key), Some(&f.tracker_signature)).unwrap();
                let signed = |n: &Note| (n.issuer, n.recipient, n.total_debt, n.timestamp);
                if signed(&note) != signed(&f.note) || note.signature != f.note.signature {
                    changed += 1;
                    assert!(!report.passed(), "{}", String::from_utf8_lossy(&mutated));
                } else {
                    assert!(report.passed(), "{}", String::from_utf8_lossy(&mutated));
                }
            }
            Err(err) => {
                refused += 1;
                assert_eq!(err.code(), ErrorCode::NoteInvalid, "{err}");
                in_input(&err, &mutated);
            }
        }
    }
    assert!(
        accepted > 1000 && changed > 100 && refused > MUTATIONS / 4,
        "{accepted} accepted ({changed} with signed fields changed), {refused} refused"
    );
}

#[test]
#[cfg_attr(debug_assertions, ignore = "run in release mode: make test-mutations")]
fn mutated_tracker_proofs_never_prove_another_debt() {
    let f = fixture();
    let chain = Commitment::from(f.digest);
    let mut rng = SplitMix64(0x5eed_0002);
    let (mut held, mut failed, mut refused) = (0usize, 0usize, 0usize);
    for _ in 0..MUTATIONS {
        let mutated = mutate(&mut rng, &f.answer_json);
        match TrackerProofAnswer::from_json(&mutated) {
            Ok(answer) => match verify_tracker_proof(&answer, &chain, Some(&f.note)) {
                Ok(report) => {
                    held += 1;
                    assert_eq!(report.key, f.note.key());
                    assert_eq!(report.total_debt, f.note.total_debt);
                }
                Err(err) => {
                    failed += 1;
                    assert!(
                        matches!(
                            err.code(),
                            ErrorCode::ProofInvalid
                                | ErrorCode::NoteKeyMismatch
                                | ErrorCode::DebtValueInvalid
                                | ErrorCode::KeyNotFound
                        ),
                        "{err}"
                    );
                }
            },
            Err(err) => {
                refused += 1;
                assert_eq!(err.code(), ErrorCode::TrackerAnswerInvalid, "{err}");
                in_input(&err, &mutated);
            }
        }
    }
    assert!(
        held > 100 && failed > 1000 && refused > MUTATIONS / 4,
        "{held} held, {failed} failed, {refused} refused"
    );
}

#[test]
#[cfg_attr(debug_assertions, ignore = "run in release mode: make test-mutations")]
fn mutated_answers_and_reserve_boxes_are_read_or_refused_with_their_codes() {
    let f = fixture();
    let mut rng = SplitMix64(0x5eed_0003);
    let mut outcomes = [[0usize; 2]; 3];
    for i in 0..MUTATIONS {
        let which = i % 3;
        let input = [&f.signature_json, &f.state_json, &f.reserve_json][which];
        let mutated = mutate(&mut rng, input);
        let result = match which {
            0 => TrackerSignatureAnswer::from_json(&mutated).map(|_| ()),
            1 => TrackerState::from_json(&mutated).map(|_| ()),
            _ => ReserveBox::from_box_json(&mutated).map(|_| ()),
        };
        match result {
            Ok(()) => outcomes[which][0] += 1,
            Err(err) => {
                outcomes[which][1] += 1;
                let expected: &[ErrorCode] = match which {
                    0 | 1 => &[ErrorCode::TrackerAnswerInvalid],
                    _ => &[ErrorCode::BoxInvalid, ErrorCode::RegisterInvalid],
                };
                assert!(expected.contains(&err.code()), "{err}");
                in_input(&err, &mutated);
            }
        }
    }
    for (which, [accepted, refused]) in outcomes.iter().enumerate() {
        assert!(
            *accepted > 300 && *refused > MUTATIONS / 12,
            "input {which}: {accepted} accepted, {refused} refused"
        );
    }
}
