//! Randomized robustness, on stable Rust: at least 100,000 mutated inputs each for the binary log
//! decoder, the NDJSON log decoder, the snapshot reader, the register readers and the reader of
//! boxes as JSON. No input may panic; every refusal has the reader's code and an offset inside the
//! input; whatever is accepted re-encodes to the same bytes (binary, snapshots), the same records
//! (NDJSON) or the same tree (registers); and the streaming decoder, fed random chunks, agrees with
//! the one-shot decoder.
//!
//! Slow in a debug build, so ignored there: `make test` runs it in release mode
//! (`make test-mutations`, about a second of running time).

mod common;

use basis_trees::{
    decode_log, encode_log_with_header, from_hex, group_element_from_register, verify_log,
    AvlTreeData, Error, ErrorCode, LogDecoder, LogFormat, Snapshot, TrackerCommitment, TreeShape,
    VerifierOptions,
};
use common::SplitMix64;

const MUTATIONS: usize = 100_000;

const INTERESTING: [u8; 12] = [
    0, 1, 2, 0x7f, 0x80, 0xff, b'"', b'{', b'}', b'\n', b',', b'\\',
];

fn mutate(rng: &mut SplitMix64, input: &[u8], donor: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    let rounds = 1 + rng.below(3);
    for _ in 0..rounds {
        let len = out.len().max(1) as u64;
        let at = rng.below(len) as usize;
        match rng.below(8) {
            0 | 1 => {
                if let Some(b) = out.get_mut(at) {
                    *b ^= 1 << rng.below(8);
                }
            }
            2 => {
                if let Some(b) = out.get_mut(at) {
                    *b = INTERESTING[rng.below(INTERESTING.len() as u64) as usize];
                }
            }
            3 => {
                if let Some(b) = out.get_mut(at) {
                    *b = rng.next_u64() as u8;
                }
            }
            4 => {
                let count = 1 + rng.below(8) as usize;
                let bytes: Vec<u8> = (0..count).map(|_| rng.next_u64() as u8).collect();
                let at = at.min(out.len());
                out.splice(at..at, bytes);
            }
            5 => {
                let end = (at + 1 + rng.below(16) as usize).min(out.len());
                if at < end {
                    out.drain(at..end);
                }
            }
            6 => {
                let end = (at + 1 + rng.below(64) as usize).min(out.len());
                if at < end {
                    let copy = out[at..end].to_vec();
                    let to = rng.below(out.len() as u64 + 1) as usize;
                    out.splice(to..to, copy);
                }
            }
            _ => {
                if rng.below(2) == 0 {
                    out.truncate(at);
                } else if !donor.is_empty() {
                    let from = rng.below(donor.len() as u64) as usize;
                    let end = (from + 1 + rng.below(100) as usize).min(donor.len());
                    let at = at.min(out.len());
                    out.splice(at..at, donor[from..end].iter().copied());
                }
            }
        }
    }
    out
}

/// Decodes in random chunks with the streaming decoder.
fn decode_in_chunks(rng: &mut SplitMix64, bytes: &[u8]) -> Result<usize, Error> {
    let mut decoder = LogDecoder::new();
    let mut records = 0;
    let mut at = 0;
    while at < bytes.len() {
        let end = (at + 1 + rng.below(40) as usize).min(bytes.len());
        decoder.push(&bytes[at..end]);
        while decoder.next_record()?.is_some() {
            records += 1;
        }
        at = end;
    }
    decoder.finish();
    while decoder.next_record()?.is_some() {
        records += 1;
    }
    Ok(records)
}

/// A decoder refuses bad bytes (`LOG_CORRUPT`), and a value longer than the shape's limit
/// (`VALUE_LENGTH`, with the record), always at an offset within the input.
fn check_log_refusal(err: &Error, input: &[u8]) {
    match err.code() {
        ErrorCode::LogCorrupt => {}
        ErrorCode::ValueLength => assert!(err.record().is_some(), "{err}"),
        _ => panic!("{err}"),
    }
    let offset = err.offset().expect("a decoding error has an offset");
    assert!(
        offset <= input.len() as u64,
        "{err} beyond {} bytes",
        input.len()
    );
}

fn log_inputs(format: LogFormat) -> Vec<Vec<u8>> {
    let mut inputs = Vec::new();
    for (seed, n) in [(1, 6), (2, 12)] {
        let storage = common::tracker_storage(seed, n);
        inputs.push(storage.export_log(None, format));
    }
    let mut with_proofs = common::tracker_storage(3, 5).log().to_vec();
    with_proofs[1].proof = Some(vec![2, 4, 0, 1]);
    let header = basis_trees::LogHeader {
        format,
        shape: TreeShape::new(32, Some(8)).unwrap(),
        start: None,
    };
    inputs.push(encode_log_with_header(&header, &with_proofs));
    inputs
}

fn run_log_mutations(format: LogFormat) {
    let inputs = log_inputs(format);
    let donor = log_inputs(match format {
        LogFormat::Binary => LogFormat::Ndjson,
        LogFormat::Ndjson => LogFormat::Binary,
    })
    .concat();
    let mut rng = SplitMix64(0x5eed ^ format as u64);
    let (mut accepted, mut refused) = (0usize, 0usize);
    for i in 0..MUTATIONS {
        let input = &inputs[i % inputs.len()];
        let mut mutated = mutate(&mut rng, input, &donor);
        if format == LogFormat::Binary && i % 2 == 0 {
            // Keep the checksums right so that the fields behind them are exercised too.
            fix_all_record_crcs(&mut mutated);
        }
        let result = decode_log(&mutated);
        match &result {
            Ok((header, records)) => {
                accepted += 1;
                let again = encode_log_with_header(header, records);
                match format {
                    LogFormat::Binary => assert_eq!(again, mutated, "accepted but not canonical"),
                    LogFormat::Ndjson => assert_eq!(&decode_log(&again).unwrap().1, records),
                }
            }
            Err(err) => {
                refused += 1;
                check_log_refusal(err, &mutated);
            }
        }
        if i % 8 == 0 {
            let streamed = decode_in_chunks(&mut rng, &mutated);
            match (&result, &streamed) {
                (Ok((_, records)), Ok(n)) => assert_eq!(records.len(), *n),
                (Err(a), Err(b)) => assert_eq!(a, b, "one-shot and streaming disagree"),
                _ => panic!("one-shot {result:?} and streaming {streamed:?} disagree"),
            }
        }
        if i % 64 == 0 {
            // Verification must fail or pass cleanly too.
            let _ = verify_log(&mutated, VerifierOptions::new(TreeShape::BASIS_TRACKER));
        }
    }
    assert!(refused > MUTATIONS / 2, "{refused} refused of {MUTATIONS}");
    assert!(accepted > 0 || format == LogFormat::Binary);
}

/// Rewrites the CRC of every record whose framing still parses.
fn fix_all_record_crcs(log: &mut [u8]) {
    let mut at = 63;
    while at + 4 <= log.len() {
        let length = u32::from_be_bytes(log[at..at + 4].try_into().unwrap()) as usize;
        let Some(end) = at.checked_add(4 + length + 4) else {
            return;
        };
        if end > log.len() || length > 1 << 20 {
            return;
        }
        common::fix_record_crc(log, at);
        at = end;
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "run in release mode: make test-mutations")]
fn mutated_binary_logs_never_panic() {
    run_log_mutations(LogFormat::Binary);
}

#[test]
#[cfg_attr(debug_assertions, ignore = "run in release mode: make test-mutations")]
fn mutated_ndjson_logs_never_panic() {
    run_log_mutations(LogFormat::Ndjson);
}

#[test]
#[cfg_attr(debug_assertions, ignore = "run in release mode: make test-mutations")]
fn mutated_snapshots_never_panic() {
    let mut inputs = Vec::new();
    for (seed, n) in [(4, 3), (5, 20), (6, 0)] {
        inputs.push(common::tracker_storage(seed, n).snapshot());
    }
    let mut fixed = basis_trees::Tree::new(TreeShape::new(8, Some(2)).unwrap()).unwrap();
    for i in 1..10u64 {
        fixed.insert(&i.to_be_bytes(), &[i as u8, 0]).unwrap();
    }
    inputs.push(fixed.snapshot());
    let donor = inputs.concat();
    let mut rng = SplitMix64(0x5a5a);
    let (mut accepted, mut refused) = (0usize, 0usize);
    for i in 0..MUTATIONS {
        let input = &inputs[i % inputs.len()];
        let mut mutated = mutate(&mut rng, input, &donor);
        if i % 2 == 0 && mutated.len() >= 4 {
            common::fix_snapshot_crc(&mut mutated);
        }
        match Snapshot::decode(&mutated) {
            Ok(snapshot) => {
                accepted += 1;
                let again = Snapshot::encode(
                    &snapshot.tree,
                    snapshot.sequence,
                    snapshot.checkpoint.as_ref(),
                );
                assert_eq!(again, mutated, "accepted but not canonical");
            }
            Err(err) => {
                refused += 1;
                assert_eq!(err.code(), ErrorCode::SnapshotInvalid, "{err}");
                assert!(err.offset().unwrap() <= mutated.len() as u64, "{err}");
            }
        }
    }
    assert!(
        refused > MUTATIONS / 2 && accepted > 0,
        "{accepted} accepted, {refused} refused"
    );
}

fn chain_vectors() -> Vec<Vec<u8>> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/chain");
    let mut boxes: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| std::fs::read(path).unwrap())
        .collect();
    boxes.sort();
    assert!(boxes.len() >= 4);
    boxes
}

/// The registers the box vectors hold, as bytes.
fn chain_registers(boxes: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut registers = Vec::new();
    for json in boxes {
        let text = String::from_utf8_lossy(json);
        for piece in text.split('"') {
            if piece.len() >= 68 && (piece.starts_with("64") || piece.starts_with("07")) {
                if let Ok(bytes) = from_hex(piece) {
                    registers.push(bytes);
                }
            }
        }
    }
    // sigmastate ValueSpec's AvlTreeConstant(TestData.t3), basis-tracker's on-chain empty
    // reserve tree and live tracker tree (cited in tests/chain.rs).
    for hex in [
        "643100d2e101ff01fc047c7f6f00ff80129df69a5090012f01ffca99f5bfff0c803601800100",
        "644ec61f485b98eb87153f7c57db4f5ecd75556fddbc403b41acf8441fde8e160900032000",
        "64d5d44e152c7e42673dea178b918d9195c2ba689da94046384dc40c55a64c836a01032000",
    ] {
        registers.push(from_hex(hex).unwrap());
    }
    registers.sort();
    registers.dedup();
    assert!(registers.len() >= 6, "{registers:?}");
    registers
}

#[test]
#[cfg_attr(debug_assertions, ignore = "run in release mode: make test-mutations")]
fn mutated_registers_never_panic() {
    let inputs = chain_registers(&chain_vectors());
    let donor = inputs.concat();
    let mut rng = SplitMix64(0xc4a1);
    let (mut trees, mut keys, mut refused) = (0usize, 0usize, 0usize);
    for i in 0..MUTATIONS {
        let mutated = mutate(&mut rng, &inputs[i % inputs.len()], &donor);
        let check_refusal = |err: &Error| {
            assert_eq!(err.code(), ErrorCode::RegisterInvalid, "{err}");
            assert!(err.offset().unwrap() <= mutated.len() as u64, "{err}");
        };
        match AvlTreeData::from_register(&mutated) {
            Ok(tree) => {
                trees += 1;
                let again = tree.to_register();
                assert_eq!(AvlTreeData::from_register(&again).unwrap(), tree);
                assert!(again.len() <= mutated.len());
                let _ = tree.shape();
            }
            Err(err) => {
                refused += 1;
                check_refusal(&err);
            }
        }
        match group_element_from_register(&mutated) {
            Ok(key) => {
                keys += 1;
                assert_eq!(&mutated[1..], &key[..]);
            }
            Err(err) => check_refusal(&err),
        }
    }
    assert!(
        trees > 1000 && keys > 1000 && refused > MUTATIONS / 4,
        "{trees} trees, {keys} keys, {refused} refused"
    );
}

#[test]
#[cfg_attr(debug_assertions, ignore = "run in release mode: make test-mutations")]
fn mutated_boxes_never_panic() {
    let mut inputs = chain_vectors();
    // A box with all its contents and no id given, so that mutations reach the recomputation of
    // its id too.
    let node_tracker = inputs
        .iter()
        .map(|json| String::from_utf8(json.clone()).unwrap())
        .find(|json| json.contains("boxId") && !json.contains("creationHeight"))
        .unwrap()
        .replace("\"boxId\"", "\"unknown\"");
    let whole = node_tracker.replacen(
        '{',
        &format!(
            r#"{{"creationHeight": 1, "transactionId": "{}", "index": 0,"#,
            "00".repeat(32)
        ),
        1,
    );
    inputs.push(whole.into_bytes());
    let donor = inputs.concat();
    let mut rng = SplitMix64(0xb0c5);
    let (mut accepted, mut verified, mut refused) = (0usize, 0usize, 0usize);
    for i in 0..MUTATIONS {
        let mutated = mutate(&mut rng, &inputs[i % inputs.len()], &donor);
        match TrackerCommitment::from_box_json(&mutated) {
            Ok(commitment) => {
                accepted += 1;
                verified += usize::from(commitment.box_id_verified);
                assert_eq!(
                    commitment.box_id_verified,
                    commitment.box_id_unverified.is_none()
                );
                let tree = AvlTreeData::from_register(&commitment.tree.to_register());
                assert_eq!(tree.unwrap(), commitment.tree);
            }
            Err(err) => {
                refused += 1;
                assert!(
                    matches!(
                        err.code(),
                        ErrorCode::BoxInvalid | ErrorCode::RegisterInvalid
                    ),
                    "{err}"
                );
                assert!(err.offset().unwrap() <= mutated.len() as u64, "{err}");
            }
        }
    }
    assert!(
        accepted > 1000 && verified > 100 && refused > MUTATIONS / 4,
        "{accepted} accepted ({verified} with their id recomputed), {refused} refused"
    );
}
