//! The register readers: `AvlTreeData::from_register` and `group_element_from_register`. The first
//! input byte chooses the shaping: bit 0 puts the `AvlTree` type byte (0x64) in front of the rest,
//! bit 1 the `GroupElement` one (0x07), so the fields behind the type are reached. A refusal is
//! `REGISTER_INVALID` at an offset inside the input; an accepted tree re-encodes to a register that
//! reads back the same and is no longer than the input.
#![no_main]

use basis_trees::{group_element_from_register, AvlTreeData, ErrorCode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut bytes = Vec::with_capacity(rest.len() + 2);
    if mode & 1 == 1 {
        bytes.push(0x64);
    }
    if mode & 2 == 2 {
        bytes.push(0x07);
    }
    bytes.extend_from_slice(rest);
    let refused = |e: basis_trees::Error| {
        assert_eq!(e.code(), ErrorCode::RegisterInvalid);
        assert!(e.offset().unwrap() <= bytes.len() as u64, "{e}");
    };
    match AvlTreeData::from_register(&bytes) {
        Ok(tree) => {
            let again = tree.to_register();
            assert_eq!(AvlTreeData::from_register(&again).unwrap(), tree);
            assert!(again.len() <= bytes.len());
            let _ = tree.shape();
        }
        Err(e) => refused(e),
    }
    match group_element_from_register(&bytes) {
        Ok(key) => assert_eq!(&bytes[1..], &key[..]),
        Err(e) => refused(e),
    }
});
