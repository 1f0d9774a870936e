//! The test vectors of docs/FORMAT.md, checked in under tests/vectors/: the encoder reproduces
//! every good vector byte for byte, and every vector (good and bad) decodes to the outcome that
//! tests/vectors/MANIFEST states.
//!
//! `BLESS_VECTORS=1 cargo test --test vectors` rewrites the files and the manifest from this code;
//! review the diff before committing: a changed good vector is a format change.

mod common;

use basis_trees::{
    debt_value, encode_log_with_header, note_key, to_hex, verify_log, LogFormat, LogHeader,
    LogStart, Snapshot, Tree, TreeOperation, TreeShape, TreeStorage, VerifierOptions,
};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn fixed_shape() -> TreeShape {
    TreeShape::new(32, Some(8)).unwrap()
}

/// The tracker run behind the vectors: Alice, Bob and Carol issue notes; six changes.
fn basis_run() -> TreeStorage {
    let alice = b"alice public key";
    let bob = b"bob public key";
    let carol = b"carol public key";
    let t0 = 1_767_225_600_000u64; // 2026-01-01T00:00:00Z, in milliseconds
    let mut s = TreeStorage::new(TreeShape::BASIS_TRACKER).unwrap();
    s.insert(&note_key(alice, bob), &debt_value(1_000), t0)
        .unwrap();
    s.insert(&note_key(bob, carol), &debt_value(250), t0 + 1_000)
        .unwrap();
    s.update(&note_key(alice, bob), &debt_value(1_500), t0 + 2_000)
        .unwrap();
    s.checkpoint(t0 + 2_500).unwrap();
    s.insert(&note_key(carol, alice), &debt_value(75), t0 + 3_000)
        .unwrap();
    s.remove(&note_key(bob, carol), t0 + 4_000).unwrap();
    s.update(&note_key(carol, alice), &debt_value(80), t0 + 5_000)
        .unwrap();
    s
}

/// The same records, each with the proof Ergo's prover makes for it against its root before.
fn with_proofs(records: &[TreeOperation]) -> Vec<TreeOperation> {
    use bytes::Bytes;
    use ergo_avltree_rust::authenticated_tree_ops::AuthenticatedTreeOps;
    use ergo_avltree_rust::batch_avl_prover::BatchAVLProver;
    use ergo_avltree_rust::batch_node::{AVLTree, Node, NodeHeader};
    use ergo_avltree_rust::operation::{KeyValue, Operation};
    let resolver = |d: &[u8; 32]| Node::LabelOnly(NodeHeader::new(Some(*d), None));
    let mut prover = BatchAVLProver::new(AVLTree::new(resolver, 32, None), true);
    records
        .iter()
        .map(|r| {
            let key = Bytes::copy_from_slice(&r.key);
            let kv = || KeyValue {
                key: key.clone(),
                value: Bytes::copy_from_slice(r.value.as_ref().unwrap()),
            };
            let operation = match r.operation_type {
                basis_trees::OperationType::Insert => Operation::Insert(kv()),
                basis_trees::OperationType::Update => Operation::Update(kv()),
                basis_trees::OperationType::Remove => Operation::Remove(key.clone()),
            };
            prover.perform_one_operation(&operation).unwrap();
            let proof = prover.generate_proof().to_vec();
            assert_eq!(
                prover.digest().unwrap().to_vec(),
                r.tree_root_after.to_vec()
            );
            TreeOperation {
                proof: Some(proof),
                ..r.clone()
            }
        })
        .collect()
}

fn fixed_run() -> TreeStorage {
    let mut s = TreeStorage::new(fixed_shape()).unwrap();
    s.insert(&[0x11; 32], &debt_value(10), 1).unwrap();
    s.insert(&[0x22; 32], &debt_value(20), 2).unwrap();
    s.remove(&[0x11; 32], 3).unwrap();
    s
}

fn header(format: LogFormat, shape: TreeShape, start: Option<LogStart>) -> LogHeader {
    LogHeader {
        format,
        shape,
        start,
    }
}

/// Every good vector, by file name.
fn good_vectors() -> BTreeMap<&'static str, Vec<u8>> {
    let run = basis_run();
    let proofs = with_proofs(run.log());
    let fixed = fixed_run();
    let mut v = BTreeMap::new();
    for (ext, format) in [("bin", LogFormat::Binary), ("ndjson", LogFormat::Ndjson)] {
        let name =
            |stem: &str| -> &'static str { Box::leak(format!("{stem}.{ext}").into_boxed_str()) };
        v.insert(name("log-basis"), run.export_log(None, format));
        v.insert(name("log-tail"), run.export_log(Some(4), format));
        v.insert(
            name("log-proofs"),
            encode_log_with_header(
                &header(
                    format,
                    TreeShape::BASIS_TRACKER,
                    Some(LogStart {
                        sequence: 0,
                        root: run.log()[0].tree_root_before,
                    }),
                ),
                &proofs,
            ),
        );
        v.insert(
            name("log-fixed"),
            encode_log_with_header(&header(format, fixed_shape(), None), fixed.log()),
        );
    }
    v.insert(
        "snapshot-empty.snap",
        Tree::new(TreeShape::BASIS_TRACKER).unwrap().snapshot(),
    );
    v.insert("snapshot-at-3.snap", run.checkpoint_snapshot(1).unwrap());
    v.insert("snapshot-basis.snap", run.snapshot());
    v.insert("snapshot-fixed.snap", fixed.snapshot());
    v
}

/// The bad vectors, derived from the good ones.
fn bad_vectors(good: &BTreeMap<&'static str, Vec<u8>>) -> BTreeMap<&'static str, Vec<u8>> {
    let bin = &good["log-basis.bin"];
    let ndjson = String::from_utf8(good["log-basis.ndjson"].clone()).unwrap();
    let (_, offsets) = common::record_offsets(bin);
    let record = |k: usize| offsets[k - 1].0 as usize;
    let lines: Vec<&str> = ndjson.lines().collect();
    let with_line = |k: usize, line: String| -> Vec<u8> {
        let mut l: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        l[k] = line;
        format!("{}\n", l.join("\n")).into_bytes()
    };
    let mut v = BTreeMap::new();

    let mut b = bin.clone();
    b[record(3) + 40] ^= 0x10;
    v.insert("bad-checksum.bin", b);
    v.insert("bad-truncated.bin", bin[..bin.len() - 10].to_vec());
    let mut b = bin[..63].to_vec();
    b.extend_from_slice(&[0xff; 4]);
    v.insert("bad-huge-length.bin", b);
    let mut b = bin.clone();
    // Record 4's tree_root_after: the body ends with the two roots (no proof).
    let end_of_4 = record(5) - 4;
    b[end_of_4 - 1] ^= 0x01;
    common::fix_record_crc(&mut b, record(4));
    v.insert("bad-root-after.bin", b);
    v.insert("bad-empty.bin", Vec::new());

    let mut l: Vec<&str> = lines.clone();
    l.insert(4, lines[3]);
    v.insert(
        "bad-duplicate.ndjson",
        format!("{}\n", l.join("\n")).into_bytes(),
    );
    let previous = to_hex(&debt_value(1_000));
    v.insert(
        "bad-previous-value.ndjson",
        with_line(
            3,
            lines[3].replacen(&previous, &to_hex(&debt_value(999)), 1),
        ),
    );
    v.insert(
        "bad-u64.ndjson",
        with_line(
            2,
            lines[2].replacen(
                "\"timestamp\":\"1767225601000\"",
                "\"timestamp\":\"18446744073709551616\"",
                1,
            ),
        ),
    );
    v.insert(
        "bad-hex.ndjson",
        with_line(1, lines[1].replacen("\"key\":\"", "\"key\":\"g", 1)),
    );
    let root_before = lines[5].find("\"tree_root_before\"").unwrap();
    let mut missing = lines[5].to_string();
    missing.replace_range(
        root_before..root_before + "\"tree_root_before\":\"\",".len() + 66,
        "",
    );
    v.insert("bad-missing-field.ndjson", with_line(5, missing));
    v.insert(
        "bad-shape.ndjson",
        with_line(
            0,
            lines[0].replacen("\"key_length\":32", "\"key_length\":16", 1),
        ),
    );

    let snap = &good["snapshot-basis.snap"];
    let mut s = snap.clone();
    s[42] ^= 0x01;
    common::fix_snapshot_crc(&mut s);
    v.insert("bad-snapshot-digest.snap", s);
    let mut s = snap.clone();
    let last = s.len() - 5; // the root's balance byte, just before the checksum
    s[last] = if s[last] == 0 { 1 } else { 0 };
    common::fix_snapshot_crc(&mut s);
    v.insert("bad-snapshot-balance.snap", s);
    let mut s = snap.clone();
    s[100] ^= 0x04;
    v.insert("bad-snapshot-checksum.snap", s);
    v
}

/// What a vector decodes to, in the manifest's words.
fn outcome(name: &str, bytes: &[u8], files: &BTreeMap<String, Vec<u8>>, action: &str) -> String {
    let located = |err: basis_trees::Error| {
        let mut out = err.code().as_str().to_string();
        if let Some(sequence) = err.sequence() {
            out.push_str(&format!(" sequence={sequence}"));
        }
        if let Some(offset) = err.offset() {
            out.push_str(&format!(" offset={offset}"));
        }
        out
    };
    if name.ends_with(".snap") {
        return match Snapshot::decode(bytes) {
            Ok(s) => format!(
                "ok sequence={} entries={} checkpoint={} digest={}",
                s.sequence,
                s.tree.size(),
                s.checkpoint
                    .map_or("none".to_string(), |c| format!("{}@{}", c.id, c.timestamp)),
                to_hex(&s.tree.digest())
            ),
            Err(err) => located(err),
        };
    }
    let mut parts = action.split(':');
    let shape = match parts.next() {
        Some("verify-fixed") => fixed_shape(),
        _ => TreeShape::BASIS_TRACKER,
    };
    let mut options = VerifierOptions::new(shape);
    if let Some(snapshot) = parts.next() {
        options = options.start_from(Snapshot::decode(&files[snapshot]).unwrap());
    }
    match verify_log(bytes, options) {
        Ok(r) => format!(
            "ok operations={} first={} last={} start={} final={}",
            r.operations,
            r.first_sequence,
            r.last_sequence,
            to_hex(&r.start_root),
            to_hex(&r.final_root)
        ),
        Err(err) => located(err),
    }
}

fn action_for(name: &str) -> &'static str {
    if name.ends_with(".snap") {
        "snapshot"
    } else if name.starts_with("log-tail") {
        "verify:snapshot-at-3.snap"
    } else if name.starts_with("log-fixed") {
        "verify-fixed"
    } else {
        "verify"
    }
}

fn read_manifest() -> Vec<(String, String, String)> {
    std::fs::read_to_string(dir().join("MANIFEST"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.splitn(3, ' ');
            let name = parts.next().unwrap().to_string();
            let action = parts.next().unwrap().to_string();
            (name, action, parts.next().unwrap_or("").to_string())
        })
        .collect()
}

fn files_in_dir() -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        // Subdirectories (scala/) hold vectors of other tests.
        .filter(|p| p.is_file() && p.file_name().unwrap() != "MANIFEST")
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn bless_vectors_when_asked() {
    if std::env::var_os("BLESS_VECTORS").is_none() {
        return;
    }
    let good = good_vectors();
    let bad = bad_vectors(&good);
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (name, bytes) in good.iter().chain(bad.iter()) {
        std::fs::write(dir().join(name), bytes).unwrap();
        files.insert(name.to_string(), bytes.clone());
    }
    let mut manifest = String::from(
        "# basis-trees test vectors: file, how it is read, and the outcome (see docs/FORMAT.md).\n\
         # verify: verify_log with shape 32/variable; verify-fixed: shape 32/8;\n\
         # verify:<snapshot>: starting from that snapshot; snapshot: Snapshot::decode.\n",
    );
    for (name, bytes) in &files {
        let action = action_for(name);
        manifest.push_str(&format!(
            "{name} {action} {}\n",
            outcome(name, bytes, &files, action)
        ));
    }
    std::fs::write(dir().join("MANIFEST"), manifest).unwrap();
}

#[test]
fn the_encoder_reproduces_every_good_vector_byte_for_byte() {
    if std::env::var_os("BLESS_VECTORS").is_some() {
        return;
    }
    let files = files_in_dir();
    for (name, bytes) in good_vectors() {
        assert!(
            files.get(name) == Some(&bytes),
            "{name} differs from what the encoder writes"
        );
    }
}

#[test]
fn every_vector_has_the_outcome_its_manifest_states() {
    if std::env::var_os("BLESS_VECTORS").is_some() {
        return;
    }
    let files = files_in_dir();
    let manifest = read_manifest();
    let listed: Vec<&String> = manifest.iter().map(|(n, _, _)| n).collect();
    let present: Vec<&String> = files.keys().collect();
    assert_eq!(listed, present, "MANIFEST and tests/vectors/ disagree");
    for (name, action, expected) in &manifest {
        assert_eq!(
            &outcome(name, &files[name], &files, action),
            expected,
            "{name}"
        );
        let good = name.starts_with("log-") || name.starts_with("snapshot-");
        assert_eq!(expected.starts_with("ok"), good, "{name}");
    }
    // The binary and NDJSON encodings of the same run verify to the same report.
    for stem in ["log-basis", "log-tail", "log-proofs", "log-fixed"] {
        let find = |ext: &str| {
            manifest
                .iter()
                .find(|m| m.0 == format!("{stem}.{ext}"))
                .unwrap()
                .2
                .clone()
        };
        assert_eq!(find("bin"), find("ndjson"), "{stem}");
    }
}
