//! The readers of a Basis note and of the tracker's answers (`Note::from_json`,
//! `TrackerProofAnswer::from_json`, `TrackerSignatureAnswer::from_json`, `TrackerState::from_json`,
//! `ReserveProofAnswer::from_json`),
//! with the JSON reader under them, and the checks a wallet runs on what they accept. The first
//! input byte chooses the reader. A refusal is `NOTE_INVALID` or `TRACKER_ANSWER_INVALID` at an
//! offset inside the input; an accepted note's signatures are checked without panicking, and an
//! accepted proof answer is checked against the empty tree's digest (where no key is).
#![no_main]

use basis_trees::{
    verify_note, verify_tracker_proof, Commitment, ErrorCode, Note, ReserveProofAnswer,
    TrackerProofAnswer, TrackerSignatureAnswer, TrackerState, Tree, TreeShape,
};
use libfuzzer_sys::fuzz_target;

fn refused(err: basis_trees::Error, code: ErrorCode, input: &[u8]) {
    assert_eq!(err.code(), code, "{err}");
    assert!(err.offset().unwrap() <= input.len() as u64, "{err}");
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, json)) = data.split_first() else {
        return;
    };
    match mode % 5 {
        0 => match Note::from_json(json) {
            Ok(note) => {
                let report = verify_note(&note, Some(&note.recipient), Some(&note.signature));
                assert!(report.is_ok());
            }
            Err(err) => refused(err, ErrorCode::NoteInvalid, json),
        },
        1 => match TrackerProofAnswer::from_json(json) {
            Ok(answer) => {
                let empty = Tree::new(TreeShape::BASIS_TRACKER).unwrap().digest();
                let checked = verify_tracker_proof(&answer, &Commitment::from(empty), None);
                assert!(checked.is_err());
            }
            Err(err) => refused(err, ErrorCode::TrackerAnswerInvalid, json),
        },
        2 => {
            if let Err(err) = TrackerSignatureAnswer::from_json(json) {
                refused(err, ErrorCode::TrackerAnswerInvalid, json);
            }
        }
        3 => {
            if let Err(err) = ReserveProofAnswer::from_json(json) {
                refused(err, ErrorCode::TrackerAnswerInvalid, json);
            }
        }
        _ => {
            if let Err(err) = TrackerState::from_json(json) {
                refused(err, ErrorCode::TrackerAnswerInvalid, json);
            }
        }
    }
});
