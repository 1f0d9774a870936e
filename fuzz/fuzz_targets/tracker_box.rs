//! `TrackerCommitment::from_box_json`, the reader of boxes as JSON, with the JSON reader under it.
//! The first input byte chooses the shaping: bit 0 wraps the rest as the value of R5 in an
//! otherwise valid box (with a valid R4), so the register paths are reached through the JSON;
//! bit 1 hex-encodes the rest as the R6 of a box with every content, and bit 2 as its ErgoTree, so
//! that the box parser behind a verified id reads any bytes. A refusal is `BOX_INVALID` or
//! `REGISTER_INVALID` at an offset inside the input; an accepted box's registers read back from
//! their own bytes, and its id is verified exactly when no reason says otherwise.
#![no_main]

use basis_trees::{ErrorCode, TrackerCommitment};
use libfuzzer_sys::fuzz_target;

const R4: &str = "07024e564477ff457c601c01ad1cc31903f8b27b7d5e515bd03138891d8152d787b2";
const R5: &str = "642c1d1fb21a9df51972a5439ca7ce8d5601f99c871f15cbf2c4ff6ae53d57a96f01012000";
const P2PK: &str = "0008cd024e564477ff457c601c01ad1cc31903f8b27b7d5e515bd03138891d8152d787b2";

/// A box with every content, its tree and R6 as given.
fn whole_box(tree: &str, r6: &str) -> Vec<u8> {
    format!(
        r#"{{"value":1,"ergoTree":"{tree}","creationHeight":1,"assets":[],
        "additionalRegisters":{{"R4":"{R4}","R5":"{R5}","R6":"{r6}"}},
        "transactionId":"{}","index":0}}"#,
        "00".repeat(32)
    )
    .into_bytes()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let hex = basis_trees::to_hex(rest);
    let json = if mode & 4 == 4 {
        whole_box(&hex, "0101")
    } else if mode & 2 == 2 {
        whole_box(P2PK, &hex)
    } else if mode & 1 == 1 {
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
            assert_eq!(
                commitment.box_id_verified,
                commitment.box_id_unverified.is_none()
            );
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
