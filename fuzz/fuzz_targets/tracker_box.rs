//! `TrackerCommitment::from_box_json`, the reader of boxes as JSON, with the JSON reader under it.
//! The first input byte chooses the shaping: bit 0 wraps the rest as the value of R5 in an
//! otherwise valid box (with a valid R4), so the register paths are reached through the JSON. A
//! refusal is `BOX_INVALID` or `REGISTER_INVALID` at an offset inside the input; an accepted box's
//! registers read back from their own bytes.
#![no_main]

use basis_trees::{ErrorCode, TrackerCommitment};
use libfuzzer_sys::fuzz_target;

const R4: &str = "07024e564477ff457c601c01ad1cc31903f8b27b7d5e515bd03138891d8152d787b2";

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let json = if mode & 1 == 1 {
        let mut b = format!(r#"{{"additionalRegisters":{{"R4":"{R4}","R5":"#).into_bytes();
        b.extend_from_slice(rest);
        b.extend_from_slice(b"}}");
        b
    } else {
        rest.to_vec()
    };
    match TrackerCommitment::from_box_json(&json) {
        Ok(commitment) => {
            let tree = basis_trees::AvlTreeData::from_register(&commitment.tree.to_register());
            assert_eq!(tree.unwrap(), commitment.tree);
        }
        Err(e) => {
            assert!(
                matches!(e.code(), ErrorCode::BoxInvalid | ErrorCode::RegisterInvalid),
                "{e}"
            );
            assert!(e.offset().unwrap() <= json.len() as u64, "{e}");
        }
    }
});
