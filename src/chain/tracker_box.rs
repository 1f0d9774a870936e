//! [`TrackerCommitment`]: what a tracker's commitment box says, read from the box's JSON as an
//! Ergo node or explorer serves it.

use super::avl_tree_data::AvlTreeData;
use super::box_json::{box_invalid, BoxJson, RegisterBytes};
use super::group_element::group_element_from_register;
use super::unverified_box_id::UnverifiedBoxId;
use crate::error::{Error, ErrorKind, Result};

/// One on-chain commitment of a Basis tracker: its box's R4 (the tracker's public key) and R5
/// (the tree, whose digest the tracker's log must reach), with the box's id and creation height
/// when the JSON gives them.
///
/// ```
/// use basis_trees::{to_hex, TrackerCommitment, TreeShape};
///
/// # fn main() -> Result<(), basis_trees::Error> {
/// // An output of the Basis demo's transaction as the node API writes it (basis-tracker,
/// // demo/basis/simple/sign_request.json).
/// let json = br#"{
///   "ergoTree": "0008cd03af13e39dd0ccc7429f9dfa5a056b71a8f5160eaf179763a03e0b55d8feec2cea",
///   "creationHeight": 1750616,
///   "value": 50000000,
///   "assets": [],
///   "additionalRegisters": {
///     "R4": "070377709166937fcdc08bf7e841b31684e2377f489914c97ef7148de14d9c6e1f83",
///     "R5": "642c1d1fb21a9df51972a5439ca7ce8d5601f99c871f15cbf2c4ff6ae53d57a96f01012000",
///     "R6": "0e208b1ab583bb085ecbd8fa9bc2fd59784afcdfce5496eb146bb3dd04664b56822a"
///   }
/// }"#;
/// let commitment = TrackerCommitment::from_box_json(json)?;
/// assert_eq!(
///     to_hex(&commitment.tree.digest),
///     "2c1d1fb21a9df51972a5439ca7ce8d5601f99c871f15cbf2c4ff6ae53d57a96f01"
/// );
/// assert_eq!(commitment.tree.shape()?, TreeShape::BASIS_TRACKER);
/// assert_eq!(commitment.creation_height, Some(1750616));
/// assert_eq!(commitment.box_id, None);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TrackerCommitment {
    /// The box's id: recomputed from its contents when the JSON has them all, else as the JSON
    /// gives it (`boxId`, or `id` as some explorer endpoints name it), if at all.
    pub box_id: Option<[u8; 32]>,
    /// Whether `box_id` was recomputed from the box's contents (and any `boxId` given matched
    /// it), rather than taken on the JSON's word: true only when the JSON has every content
    /// and the box's bytes split into its fields one way, so that no other JSON with other
    /// registers has the same id.
    pub box_id_verified: bool,
    /// Why `box_id_verified` is false; `None` when it is true.
    pub box_id_unverified: Option<UnverifiedBoxId>,
    /// The height the box declares it was created at (`creationHeight`), when present.
    pub creation_height: Option<u32>,
    /// R4: the tracker's public key, a compressed secp256k1 point.
    pub tracker_key: [u8; 33],
    /// R5: the tracker's tree.
    pub tree: AvlTreeData,
}

impl TrackerCommitment {
    /// Reads a box given as JSON text, in either shape users copy:
    ///
    /// - the node API's (`/utxo/byId`, `/blockchain/box/byId`, transaction outputs), where each
    ///   register is a hex string: `"additionalRegisters": { "R5": "64…" }`;
    /// - the explorer API's (`/api/v1/boxes/…`), where each register is an object:
    ///   `"R5": { "serializedValue": "64…", "sigmaType": "SAvlTree", "renderedValue": "…" }`
    ///   (`rawValue` is read as well, as sigma-rust's box reader reads it).
    ///
    /// R4 must be a `GroupElement` and R5 an `AvlTree`; other members are skipped. When the JSON
    /// has all of the box's contents (`value`, `ergoTree`, `creationHeight`, `assets`, the
    /// registers, `transactionId` and `index`, as both APIs serve a box), its bytes are split
    /// into fields as Ergo splits them — the ErgoTree delimited by its header, each register
    /// read as one whole constant of the type its first byte declares — and, when they split
    /// into the JSON's fields and no other, the id is recomputed from them and a `boxId` that
    /// differs is refused: the registers read are then those of the box with that id
    /// (`box_id_verified`). A tree whose end only a full ErgoTree parser finds, or a register of
    /// a type not delimited here, leaves the id as given, with the reason in
    /// `box_id_unverified` ([`UnverifiedBoxId`]); a `boxId` that is not the hash of the
    /// contents is refused all the same.
    ///
    /// Malformed JSON, a missing register, a member given twice (which readers could disagree
    /// on), a `boxId` that is not 32 bytes of hex or not the box's, or contents that cannot be a
    /// box's (a value or token amount of 0, an empty ErgoTree, a tree with bytes after its end)
    /// are `BOX_INVALID`; a register that is not the constant expected, or not one whole
    /// constant, is `REGISTER_INVALID` naming it. Offsets are in `json`. Never panics.
    pub fn from_box_json(json: &[u8]) -> Result<TrackerCommitment> {
        let parsed = BoxJson::parse(json)?;
        let Some(r4) = parsed.register("R4")? else {
            return Err(box_invalid(
                "the box has no register R4 (the tracker's public key)",
                0,
            ));
        };
        let Some(r5) = parsed.register("R5")? else {
            return Err(box_invalid(
                "the box has no register R5 (the tracker's tree)",
                0,
            ));
        };
        let tracker_key = read_register(r4, "R4", group_element_from_register)?;
        let tree = read_register(r5, "R5", AvlTreeData::from_register)?;
        let (box_id, box_id_unverified) = parsed.id()?;
        Ok(TrackerCommitment {
            box_id,
            box_id_verified: box_id_unverified.is_none(),
            box_id_unverified,
            creation_height: parsed.creation_height()?,
            tracker_key,
            tree,
        })
    }
}

/// A register's constant read by `parse`; its errors name the register and point at the hex
/// digit of the offending byte in the JSON.
fn read_register<T>(
    register: RegisterBytes,
    name: &'static str,
    parse: impl Fn(&[u8]) -> Result<T>,
) -> Result<T> {
    parse(&register.bytes).map_err(|err| match err.kind() {
        ErrorKind::RegisterInvalid { reason, .. } => Error::new(ErrorKind::RegisterInvalid {
            register: Some(name),
            reason: reason.clone(),
        })
        .at_offset(register.first_digit + 2 * err.offset().unwrap_or(0)),
        _ => err,
    })
}
