//! [`check_redemption`]: whether the reserve contract would let a note be redeemed now, each of
//! its conditions judged as `basis.es` judges it (basis-tracker `contract/basis.es`, commit
//! fa928f5, the redemption path at lines 233-397), and the reserve tree's update the
//! transaction needs.

use super::answers::Note;
use super::boxes::{ReserveBox, TrackerBox};
use super::note_check::{debt_of, signature_check};
use super::report::{find, Check, CheckStatus};
use super::schnorr::verify_signature;
use crate::digest::Digest;
use crate::error::Result;
use crate::hex::to_hex;
use crate::proof::verifier::verify_proof;
use crate::shape::TreeShape;
use crate::tree::operation::Operation;
use crate::tree::Tree;

/// Blocks after the tracker box's creation from which a redemption needs no tracker signature:
/// `(HEIGHT - trackerUpdateTime) > 3 * 720` (basis.es line 311).
pub const EMERGENCY_BLOCKS: u32 = 3 * 720;

/// What a redemption would spend and present, as [`check_redemption`] takes it.
#[derive(Debug, Clone, Copy)]
pub struct Redemption<'a> {
    /// The tracker's box, the transaction's data input 0.
    pub tracker_box: &'a TrackerBox,
    /// The reserve box the transaction spends.
    pub reserve_box: &'a ReserveBox,
    /// The note redeemed (its issuer's signature is context variable 2).
    pub note: &'a Note,
    /// The tracker's signature of the note (variable 6); `None` for the emergency path.
    pub tracker_signature: Option<&'a [u8]>,
    /// The tracker's lookup proof of the note's key (variable 8), e.g. from its `/tracker/proof`
    /// answer.
    pub tracker_proof: Option<&'a [u8]>,
    /// A lookup proof of the note's key in the reserve's tree (variable 7 when the key is there;
    /// a proof of its absence shows a first redemption).
    pub reserve_proof: Option<&'a [u8]>,
    /// The amount to redeem, in nanoERG: `SELF.value - selfOut.value`.
    pub amount: u64,
    /// The height the transaction would be in (`HEIGHT`).
    pub height: u32,
}

/// The reserve tree's update a redemption transaction carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReserveUpdate {
    /// The value written: the note's timestamp (8 bytes BE) ‖ the new cumulative redeemed amount
    /// (8 bytes BE) (basis.es lines 372-375).
    pub value: [u8; 16],
    /// The proof of the `insertOrUpdate` (context variable 5).
    pub proof: Vec<u8>,
    /// The tree's digest after it: the output's R5 must hold it (line 379).
    pub new_digest: Digest,
    /// Whether the transaction must carry the reserve lookup proof as variable 7 (the key is
    /// already in the tree); a first redemption must not (`.get` of the lookup would fail).
    pub needs_lookup_proof: bool,
}

/// What [`check_redemption`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedemptionReport {
    /// Every condition the contract checks, in the order of `docs/NOTES.md`.
    pub conditions: Vec<Check>,
    /// No condition failed, and none that the data could decide was left unchecked (the
    /// transaction's own conditions are always left to its builder).
    pub redeemable: bool,
    /// The most that could be redeemed now (0 when a condition other than the amount fails):
    /// total debt − redeemed, at most the reserve's value when known.
    pub max_redeemable: u64,
    /// The note's key: blake2b256(owner ‖ receiver).
    pub key: [u8; 32],
    /// The total debt the tracker's tree on chain holds, when proved.
    pub total_debt: Option<u64>,
    /// The amount redeemed so far and the timestamp stored with it, when known.
    pub already_redeemed: Option<u64>,
    /// The timestamp stored in the reserve's tree, when known.
    pub stored_timestamp: Option<u64>,
    /// `HEIGHT - tracker.creationInfo._1`, when the tracker box's creation height is known.
    pub tracker_box_age: Option<i64>,
    /// The reserve tree's update, when it could be made.
    pub reserve_update: Option<ReserveUpdate>,
}

/// The conditions that the transaction satisfies, not the data: left to its builder.
const TRANSACTION_CONDITIONS: [&str; 3] = ["selfPreserved", "refundPreserved", "receiverSignature"];

/// Judges a redemption as the reserve contract would, condition by condition; never refuses
/// silently: a condition that cannot be judged from what was given is reported as not checked,
/// saying what is missing. Errors only for arguments that cannot be what they claim (a tracker
/// signature that is not 65 bytes).
pub fn check_redemption(redemption: &Redemption<'_>) -> Result<RedemptionReport> {
    let Redemption {
        tracker_box,
        reserve_box,
        note,
        ..
    } = *redemption;
    let mut conditions = Vec::new();

    // Lines 250-257: the data input is the tracker the reserve names.
    conditions.push(match tracker_box.nft_id {
        Some(id) => Check::either(
            "trackerNft",
            id.as_slice() == reserve_box.tracker_nft_id.as_slice(),
            format!(
                "the tracker box's first token {} is the reserve's R6",
                to_hex(&id)
            ),
            format!(
                "the tracker box's first token {} is not the reserve's R6 {} (line 257)",
                to_hex(&id),
                to_hex(&reserve_box.tracker_nft_id)
            ),
        ),
        None => Check::failed(
            "trackerNft",
            "the tracker box has no tokens: tracker.tokens(0) fails (line 251)",
        ),
    });

    // Lines 217, 263-269: the key is blake2b256(ownerKey ‖ receiver); the note is of this reserve
    // only when its issuer is the owner.
    let owner = reserve_box.owner_key;
    let key = crate::note_key(&owner, &note.recipient);
    conditions.push(Check::either(
        "ownerIsIssuer",
        owner == note.issuer,
        "the reserve's owner (R4) is the note's issuer",
        format!(
            "the reserve's owner (R4) {} is not the note's issuer {}: the contract looks up and \
             verifies blake2b256(owner ‖ recipient) instead (lines 263-269)",
            to_hex(&owner),
            to_hex(&note.issuer)
        ),
    ));

    // Lines 358-369: the owner's signature of key ‖ totalDebt ‖ timestamp.
    let message =
        super::schnorr::note_message(&owner, &note.recipient, note.total_debt, note.timestamp);
    let issuer = verify_signature(&owner, &message, &note.signature)?;
    conditions.push(signature_check(
        "issuerSignature",
        "the reserve owner",
        issuer,
    ));

    // Lines 275-280: the tracker's tree on chain holds the note's total debt.
    let tracker_tree = crate::Commitment::from(tracker_box.commitment.tree);
    let mut total_debt = None;
    conditions.push(match redemption.tracker_proof {
        None => Check::not_checked(
            "trackerDebt",
            "no tracker lookup proof (context variable 8, required): ask the tracker's \
             /tracker/proof",
        ),
        // byteArrayToLong reads the first 8 bytes of a value of 8 or more (Guava's
        // Longs.fromByteArray in sigmastate); the tracker writes exactly 8.
        Some(proof) => match super::note_check::lookup_on_chain(&tracker_tree, &key, proof)
            .and_then(|value| debt_of(value.get(..8).unwrap_or(&value)))
        {
            Ok(debt) => {
                total_debt = Some(debt);
                Check::either(
                    "trackerDebt",
                    debt == note.total_debt,
                    format!("the tracker's tree on chain holds total debt {debt}"),
                    format!(
                        "the tracker's tree on chain holds total debt {debt}, the note says {} \
                         (line 280)",
                        note.total_debt
                    ),
                )
            }
            Err(err) => Check::failed(
                "trackerDebt",
                format!("the lookup in the tracker's tree on chain fails (line 278): {err}"),
            ),
        },
    });

    // Lines 285-299: what was redeemed so far, and when.
    let reserve_tree = reserve_box.tree;
    let reserve_shape = reserve_tree.shape().ok();
    let mut stored = None; // (timestamp, redeemed, key present)
    conditions.push(match (redemption.reserve_proof, reserve_shape) {
        (_, None) => Check::failed(
            "alreadyRedeemed",
            "the reserve's R5 is not a tree of 32-byte keys any tree here can hold",
        ),
        (Some(proof), Some(shape)) => {
            let lookup = [Operation::Lookup { key: key.to_vec() }];
            match verify_proof(&reserve_tree.digest, proof, &lookup, shape) {
                Ok(verified) => match verified.results.into_iter().next().flatten() {
                    None => {
                        stored = Some((0, 0, false));
                        Check::passed(
                            "alreadyRedeemed",
                            "first redemption: the key is not in the reserve's tree (the \
                             transaction must not set variable 7)",
                        )
                    }
                    Some(value) => match (
                        value.get(0..8).and_then(|b| <[u8; 8]>::try_from(b).ok()),
                        value.get(8..16).and_then(|b| <[u8; 8]>::try_from(b).ok()),
                    ) {
                        (Some(time), Some(redeemed)) => {
                            let (time, redeemed) =
                                (u64::from_be_bytes(time), u64::from_be_bytes(redeemed));
                            stored = Some((time, redeemed, true));
                            Check::passed(
                                "alreadyRedeemed",
                                format!(
                                    "redeemed so far {redeemed}, last at timestamp {time} \
                                     (lines 289-296)"
                                ),
                            )
                        }
                        _ => Check::failed(
                            "alreadyRedeemed",
                            format!(
                                "the reserve's tree holds {} bytes for the key, fewer than the 16 \
                                 of timestamp ‖ redeemed: byteArrayToLong fails (lines 290, 296)",
                                value.len()
                            ),
                        ),
                    },
                },
                Err(err) => Check::failed(
                    "alreadyRedeemed",
                    format!(
                        "the reserve lookup proof does not verify against R5 (line 289): {err}"
                    ),
                ),
            }
        }
        (None, Some(shape)) => {
            let empty = Tree::new(shape).map(|tree| tree.digest()).ok();
            if empty == Some(reserve_tree.digest) {
                stored = Some((0, 0, false));
                Check::passed(
                    "alreadyRedeemed",
                    "first redemption: the reserve's tree is empty",
                )
            } else {
                Check::not_checked(
                    "alreadyRedeemed",
                    "no reserve lookup proof: the contract then takes redeemed = 0 and timestamp \
                     0 (lines 288-299) whatever the tree holds; give the proof of the key in R5 \
                     to know what was redeemed",
                )
            }
        }
    });

    // Lines 301-303: the note is newer than the last redemption (as signed Longs).
    conditions.push(match stored {
        Some((time, _, _)) => Check::either(
            "timestamp",
            (note.timestamp as i64) > (time as i64),
            format!(
                "the note's timestamp {} is after the stored {time}",
                note.timestamp
            ),
            format!(
                "the note's timestamp {} is not after the stored {time} (line 303)",
                note.timestamp
            ),
        ),
        None => Check::not_checked(
            "timestamp",
            "the stored timestamp is not known (no reserve lookup proof)",
        ),
    });

    // Lines 305-311: the tracker box's age.
    let age = tracker_box
        .commitment
        .creation_height
        .map(|created| i64::from(redemption.height) - i64::from(created));
    let old_enough = age.map(|age| age > i64::from(EMERGENCY_BLOCKS));

    // Lines 316-350: the tracker's signature, or the emergency path without it.
    let tracker_key = tracker_box.commitment.tracker_key;
    match redemption.tracker_signature.filter(|s| !s.is_empty()) {
        Some(signature) => {
            let check =
                verify_signature(&tracker_key, &message, signature).map_err(|err| {
                    match err.kind() {
                        crate::ErrorKind::InvalidArgument { problem, .. } => {
                            crate::Error::invalid_argument("trackerSignature", problem.clone())
                        }
                        _ => err,
                    }
                })?;
            conditions.push(signature_check("trackerSignature", "the tracker", check));
            conditions.push(Check::not_checked(
                "emergencyPath",
                match age {
                    Some(age) => format!("not needed: the tracker's signature is given (the tracker box is {age} blocks old)"),
                    None => "not needed: the tracker's signature is given".to_string(),
                },
            ));
        }
        None => {
            conditions.push(Check::not_checked(
                "trackerSignature",
                "none given: the emergency path decides (line 349)",
            ));
            conditions.push(match (age, old_enough) {
                (Some(age), Some(old)) => Check::either(
                    "emergencyPath",
                    old,
                    format!("the tracker box is {age} blocks old, more than {EMERGENCY_BLOCKS}: no tracker signature is needed"),
                    format!(
                        "the tracker box is {age} blocks old, not more than {EMERGENCY_BLOCKS}: \
                         a tracker signature is needed (lines 311, 349)"
                    ),
                ),
                _ => Check::not_checked(
                    "emergencyPath",
                    "the tracker box's creation height is not known",
                ),
            });
        }
    }

    // Lines 352-356: 0 < redeemed <= totalDebt - redeemedDebt, as Longs; totalDebt is the
    // note's (variable 3, which the signatures sign and line 280 matches to the tracker's tree).
    let redeemed_before = stored.map(|(_, redeemed, _)| redeemed);
    let debt = note.total_debt;
    let delta = redeemed_before.map(|before| i128::from(debt as i64) - i128::from(before as i64));
    let amount = i128::from(redemption.amount as i64);
    conditions.push(Check::either(
        "amountPositive",
        amount > 0,
        format!("redeems {}", redemption.amount),
        format!(
            "redeems {}, and the amount must be above 0 (line 356)",
            redemption.amount
        ),
    ));
    conditions.push(match delta {
        Some(delta) => Check::either(
            "amountWithinDebt",
            amount <= delta,
            format!(
                "{} is at most total debt {debt} − redeemed {} = {delta}",
                redemption.amount,
                redeemed_before.unwrap_or(0)
            ),
            format!(
                "{} is more than total debt {debt} − redeemed {} = {delta} (line 356)",
                redemption.amount,
                redeemed_before.unwrap_or(0)
            ),
        ),
        None => Check::not_checked(
            "amountWithinDebt",
            "what was redeemed so far is not known (no reserve lookup proof)",
        ),
    });
    conditions.push(match reserve_box.value {
        Some(value) => Check::either(
            "reserveValue",
            redemption.amount <= value,
            format!("the reserve holds {value}"),
            format!(
                "the reserve holds {value}, less than {} (its output would be negative, line 353)",
                redemption.amount
            ),
        ),
        None => Check::not_checked("reserveValue", "the reserve box's value is not given"),
    });

    // Lines 371-379: the reserve tree's insertOrUpdate, and the digest the output must hold.
    let mut reserve_update = None;
    let flags_allow = reserve_tree.insert_allowed && reserve_tree.update_allowed;
    conditions.push(match (stored, reserve_shape) {
        // insertOrUpdate is None unless the tree allows both inserts and updates (sigmastate's
        // insertOrUpdate_eval, sigma-rust's INSERT_OR_UPDATE_EVAL_FN), and `.get` then fails.
        (_, Some(_)) if !flags_allow => Check::failed(
            "reserveTreeUpdate",
            "the reserve's R5 does not allow both inserts and updates: insertOrUpdate gives \
             None and `.get` fails (line 377)",
        ),
        (Some((_, before, present)), Some(shape)) => match before.checked_add(redemption.amount) {
            None => Check::failed(
                "reserveTreeUpdate",
                "redeemed so far + amount exceeds 2^64 − 1",
            ),
            Some(after) => {
                let mut value = [0u8; 16];
                value[..8].copy_from_slice(&note.timestamp.to_be_bytes());
                value[8..].copy_from_slice(&after.to_be_bytes());
                match reserve_insert_proof(
                    &reserve_tree.digest,
                    shape,
                    &key,
                    &value,
                    redemption.reserve_proof,
                ) {
                    Some((proof, new_digest)) => {
                        let detail = format!(
                            "insertOrUpdate of timestamp {} ‖ redeemed {after}: the output's \
                                 R5 must have digest {}",
                            note.timestamp,
                            to_hex(&new_digest)
                        );
                        reserve_update = Some(ReserveUpdate {
                            value,
                            proof,
                            new_digest,
                            needs_lookup_proof: present,
                        });
                        Check::passed("reserveTreeUpdate", detail)
                    }
                    None => Check::failed(
                        "reserveTreeUpdate",
                        "the insertOrUpdate cannot be proved from the reserve lookup proof",
                    ),
                }
            }
        },
        _ => Check::not_checked(
            "reserveTreeUpdate",
            "the reserve's tree is not known around the key: give the reserve lookup proof",
        ),
    });

    for name in TRANSACTION_CONDITIONS {
        conditions.push(Check::not_checked(
            name,
            match name {
                "selfPreserved" => "the transaction's reserve output must keep SELF's script, tokens, R4 and R6 (lines 227-231)",
                "refundPreserved" => "the reserve output's R7 must be SELF's (line 383)",
                _ => "the recipient must sign the transaction: proveDlog(receiver) (line 386)",
            },
        ));
    }

    let decided = |check: &Check| {
        check.status == CheckStatus::Passed
            || TRANSACTION_CONDITIONS.contains(&check.name)
            || (check.status == CheckStatus::NotChecked
                && matches!(check.name, "trackerSignature" | "emergencyPath")
                && signature_path_holds(&conditions))
    };
    let redeemable = conditions.iter().all(decided);
    let others_hold = conditions
        .iter()
        .filter(|c| {
            !matches!(
                c.name,
                "amountPositive" | "amountWithinDebt" | "reserveValue" | "reserveTreeUpdate"
            )
        })
        .all(decided);
    let max_redeemable = match (others_hold, delta) {
        (true, Some(delta)) if delta > 0 => {
            let most = u64::try_from(delta.min(i128::from(i64::MAX))).unwrap_or(0);
            reserve_box.value.map_or(most, |value| most.min(value))
        }
        _ => 0,
    };
    Ok(RedemptionReport {
        conditions,
        redeemable,
        max_redeemable,
        key,
        total_debt,
        already_redeemed: redeemed_before,
        stored_timestamp: stored.map(|(time, _, _)| time),
        tracker_box_age: age,
        reserve_update,
    })
}

/// The tracker's signature holds, or the emergency path does without it.
fn signature_path_holds(conditions: &[Check]) -> bool {
    let passed = |name| find(conditions, name).map(|c| c.status) == Some(CheckStatus::Passed);
    passed("trackerSignature") || passed("emergencyPath")
}

/// The proof of `insertOrUpdate(key, value)` on the reserve's tree, and the digest after it.
///
/// A lookup proof of one key visits exactly the nodes an update or insert of that key visits
/// (the path to its leaf, or to the leaf before where it would go), so the lookup proof verifies
/// as the `insertOrUpdate`'s proof too; it is checked to, here. Without one, only the empty tree
/// is known well enough to prove an insert into.
fn reserve_insert_proof(
    digest: &Digest,
    shape: TreeShape,
    key: &[u8; 32],
    value: &[u8; 16],
    lookup_proof: Option<&[u8]>,
) -> Option<(Vec<u8>, Digest)> {
    let operation = [Operation::InsertOrUpdate {
        key: key.to_vec(),
        value: value.to_vec(),
    }];
    match lookup_proof {
        Some(proof) => verify_proof(digest, proof, &operation, shape)
            .ok()
            .map(|verified| (proof.to_vec(), verified.digest)),
        None => {
            let mut tree = Tree::new(shape).ok()?;
            if &tree.digest() != digest {
                return None;
            }
            let batch = tree.prove(&operation).ok()?;
            Some((batch.proof, batch.digest_after))
        }
    }
}
