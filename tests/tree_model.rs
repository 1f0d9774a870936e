//! `Tree` against a `BTreeMap` model under random operations, valid and invalid.

use basis_trees::{ErrorCode, Operation, Tree, TreeShape};
use proptest::prelude::*;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
enum Step {
    Insert(u8, Vec<u8>),
    Update(u8, Vec<u8>),
    InsertOrUpdate(u8, Vec<u8>),
    Remove(u8),
    RemoveIfExists(u8),
    Get(u8),
    WrongKeyLength(usize),
    ReservedKey(bool),
    Batch(Vec<(u8, Vec<u8>, bool)>),
}

/// Small key space so that inserts collide with existing keys and removes find them.
fn key_of(k: u8, len: usize) -> Vec<u8> {
    let mut key = vec![0x11; len];
    key[len - 1] = k % 24;
    key
}

fn value_strategy(fixed: Option<usize>) -> BoxedStrategy<Vec<u8>> {
    match fixed {
        // Mostly right-sized values, sometimes a wrong size to exercise VALUE_LENGTH.
        Some(len) => prop_oneof![
            9 => proptest::collection::vec(any::<u8>(), len),
            1 => proptest::collection::vec(any::<u8>(), 0..(2 * len + 2)),
        ]
        .boxed(),
        None => proptest::collection::vec(any::<u8>(), 0..40).boxed(),
    }
}

fn step_strategy(fixed: Option<usize>) -> impl Strategy<Value = Step> {
    let v = value_strategy(fixed);
    prop_oneof![
        4 => (any::<u8>(), v.clone()).prop_map(|(k, v)| Step::Insert(k, v)),
        2 => (any::<u8>(), v.clone()).prop_map(|(k, v)| Step::Update(k, v)),
        2 => (any::<u8>(), v.clone()).prop_map(|(k, v)| Step::InsertOrUpdate(k, v)),
        2 => any::<u8>().prop_map(Step::Remove),
        1 => any::<u8>().prop_map(Step::RemoveIfExists),
        1 => any::<u8>().prop_map(Step::Get),
        1 => (0usize..70).prop_map(Step::WrongKeyLength),
        1 => any::<bool>().prop_map(Step::ReservedKey),
        1 => proptest::collection::vec((any::<u8>(), v, any::<bool>()), 1..6).prop_map(Step::Batch),
    ]
}

fn run(shape: TreeShape, steps: Vec<Step>) -> Result<(), TestCaseError> {
    let kl = shape.key_length;
    let mut tree = Tree::new(shape).unwrap();
    let mut model: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
    let value_ok = |v: &Vec<u8>| shape.value_length.map_or(true, |len| v.len() == len);
    for step in steps {
        let before = tree.digest();
        let result: Result<(), ErrorCode> = match &step {
            Step::Insert(k, v) => {
                let key = key_of(*k, kl);
                let got = tree.insert(&key, v).map_err(|e| e.code());
                let want = if !value_ok(v) {
                    Err(ErrorCode::ValueLength)
                } else {
                    match model.entry(key) {
                        std::collections::btree_map::Entry::Occupied(_) => {
                            Err(ErrorCode::KeyExists)
                        }
                        std::collections::btree_map::Entry::Vacant(slot) => {
                            slot.insert(v.clone());
                            Ok(())
                        }
                    }
                };
                prop_assert_eq!(&got, &want);
                got
            }
            Step::Update(k, v) => {
                let key = key_of(*k, kl);
                let got = tree.update(&key, v).map_err(|e| e.code());
                let want = if !value_ok(v) {
                    Err(ErrorCode::ValueLength)
                } else {
                    match model.get_mut(&key) {
                        Some(old) => Ok(std::mem::replace(old, v.clone())),
                        None => Err(ErrorCode::KeyNotFound),
                    }
                };
                prop_assert_eq!(&got, &want);
                got.map(|_| ())
            }
            Step::InsertOrUpdate(k, v) => {
                let key = key_of(*k, kl);
                let got = tree.insert_or_update(&key, v).map_err(|e| e.code());
                let want = if !value_ok(v) {
                    Err(ErrorCode::ValueLength)
                } else {
                    Ok(model.insert(key, v.clone()))
                };
                prop_assert_eq!(&got, &want);
                got.map(|_| ())
            }
            Step::Remove(k) => {
                let key = key_of(*k, kl);
                let got = tree.remove(&key).map_err(|e| e.code());
                let want = model.remove(&key).ok_or(ErrorCode::KeyNotFound);
                prop_assert_eq!(&got, &want);
                got.map(|_| ())
            }
            Step::RemoveIfExists(k) => {
                let key = key_of(*k, kl);
                let got = tree.remove_if_exists(&key).map_err(|e| e.code());
                prop_assert_eq!(&got, &Ok(model.remove(&key)));
                got.map(|_| ())
            }
            Step::Get(k) => {
                let key = key_of(*k, kl);
                prop_assert_eq!(tree.get(&key).unwrap(), model.get(&key).cloned());
                Ok(())
            }
            Step::WrongKeyLength(len) => {
                let key = vec![0x42; *len];
                let want = if *len == kl {
                    Ok(())
                } else {
                    Err(ErrorCode::KeyLength)
                };
                let got = tree.insert_or_update(&key, &vec![1; shape.value_length.unwrap_or(1)]);
                let got = got.map(|_| ()).map_err(|e| e.code());
                prop_assert_eq!(&got, &want);
                prop_assert_eq!(tree.get(&key).map(|_| ()).map_err(|e| e.code()), want);
                if got.is_ok() {
                    model.insert(key, vec![1; shape.value_length.unwrap_or(1)]);
                }
                got
            }
            Step::ReservedKey(ones) => {
                let key = vec![if *ones { 0xff } else { 0x00 }; kl];
                let got = tree.insert(&key, &vec![1; shape.value_length.unwrap_or(1)]);
                let got = got.map_err(|e| e.code());
                prop_assert_eq!(&got, &Err(ErrorCode::KeyReserved));
                prop_assert_eq!(
                    tree.remove(&key).unwrap_err().code(),
                    ErrorCode::KeyReserved
                );
                got
            }
            Step::Batch(items) => {
                let ops: Vec<Operation> = items
                    .iter()
                    .map(|(k, v, insert)| {
                        let key = key_of(*k, kl);
                        if *insert {
                            Operation::Insert {
                                key,
                                value: v.clone(),
                            }
                        } else {
                            Operation::Remove { key }
                        }
                    })
                    .collect();
                let mut trial = model.clone();
                let mut want = Ok(());
                for op in &ops {
                    let ok = match op {
                        Operation::Insert { key, value } => {
                            value_ok(value) && trial.insert(key.clone(), value.clone()).is_none()
                        }
                        Operation::Remove { key } => trial.remove(key).is_some(),
                        _ => unreachable!(),
                    };
                    if !ok {
                        want = Err(());
                        break;
                    }
                }
                let got = tree.apply_all(&ops);
                prop_assert_eq!(got.is_ok(), want.is_ok());
                if got.is_ok() {
                    model = trial;
                }
                got.map(|_| ()).map_err(|e| e.code())
            }
        };
        if result.is_err() {
            prop_assert_eq!(
                tree.digest(),
                before,
                "failed {:?} changed the digest",
                step
            );
        }
        prop_assert_eq!(tree.size(), model.len());
    }
    let entries: Vec<(Vec<u8>, Vec<u8>)> = model.into_iter().collect();
    prop_assert_eq!(tree.entries(), entries);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn variable_length_tree_matches_model(steps in proptest::collection::vec(step_strategy(None), 1..120)) {
        run(TreeShape::new(32, None).unwrap(), steps)?;
    }

    #[test]
    fn fixed_length_tree_matches_model(steps in proptest::collection::vec(step_strategy(Some(8)), 1..120)) {
        run(TreeShape::new(32, Some(8)).unwrap(), steps)?;
    }

    #[test]
    fn short_key_tree_matches_model(steps in proptest::collection::vec(step_strategy(Some(2)), 1..80)) {
        run(TreeShape::new(3, Some(2)).unwrap(), steps)?;
    }
}
