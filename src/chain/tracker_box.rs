//! [`TrackerCommitment`]: what a tracker's commitment box says, read from the box's JSON as an
//! Ergo node or explorer serves it.

use super::avl_tree_data::AvlTreeData;
use super::group_element::group_element_from_register;
use crate::error::{Error, ErrorKind, Result};
use crate::hex::from_hex;
use crate::json_reader::{parse_object, parse_object_prefix, JsonMember, JsonValue};

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
    /// The box's id (`boxId`, or `id` as some explorer endpoints name it), when present. Taken as
    /// given: it is not recomputed from the box's contents.
    pub box_id: Option<[u8; 32]>,
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
    /// R4 must be a `GroupElement` and R5 an `AvlTree`; other members are skipped. Malformed
    /// JSON, a missing register, a member given twice (which readers could disagree on) or a
    /// `boxId` that is not 32 bytes of hex is `BOX_INVALID`; a register that is not the constant
    /// expected is `REGISTER_INVALID` naming it. Offsets are in `json`. Never panics.
    pub fn from_box_json(json: &[u8]) -> Result<TrackerCommitment> {
        let top = parse_object(json, 0).map_err(not_json)?;
        let member = |name| unique_member(&top, name);
        let Some(registers) = member("additionalRegisters")? else {
            return Err(match (member("items")?, member("outputs")?) {
                (Some(_), _) => box_invalid(
                    "this is a list of boxes (it has \"items\"): give one box of it",
                    0,
                ),
                (None, Some(_)) => box_invalid(
                    "this is a transaction (it has \"outputs\"): give the tracker's output",
                    0,
                ),
                (None, None) => box_invalid("the box has no \"additionalRegisters\"", 0),
            });
        };
        let registers = nested_object(json, registers, "additionalRegisters")?;
        let register = |name| unique_member(&registers, name);
        let Some(r4) = register("R4")? else {
            return Err(box_invalid(
                "the box has no register R4 (the tracker's public key)",
                0,
            ));
        };
        let Some(r5) = register("R5")? else {
            return Err(box_invalid(
                "the box has no register R5 (the tracker's tree)",
                0,
            ));
        };
        let tracker_key = read_register(json, r4, "R4", group_element_from_register)?;
        let tree = read_register(json, r5, "R5", AvlTreeData::from_register)?;
        let box_id = match (member("boxId")?, member("id")?) {
            (Some(_), Some(_)) => {
                return Err(box_invalid("the box has both \"boxId\" and \"id\"", 0))
            }
            (Some(id), None) | (None, Some(id)) => box_id(id)?,
            (None, None) => None,
        };
        let creation_height = match member("creationHeight")? {
            Some(height) => creation_height(height)?,
            None => None,
        };
        Ok(TrackerCommitment {
            box_id,
            creation_height,
            tracker_key,
            tree,
        })
    }
}

fn box_invalid(reason: &str, offset: u64) -> Error {
    Error::new(ErrorKind::BoxInvalid {
        reason: reason.to_string(),
    })
    .at_offset(offset)
}

/// The JSON reader's `LOG_CORRUPT`, said of a box.
fn not_json(err: Error) -> Error {
    let reason = match err.kind() {
        ErrorKind::LogCorrupt { reason } => reason.replacen("line", "the JSON", 1),
        other => other.to_string(),
    };
    let err_offset = err.offset().unwrap_or(0);
    box_invalid(&format!("not a JSON object: {reason}"), err_offset)
}

/// The member `name`, refusing one given twice, and names with escape sequences (which the
/// reader cannot compare, so a `"R\u0035"` could hide an R5 from it).
fn unique_member<'a>(members: &[JsonMember<'a>], name: &str) -> Result<Option<JsonMember<'a>>> {
    if let Some(escaped) = members.iter().find(|m| m.name.is_empty()) {
        return Err(box_invalid(
            "a member name is empty or has escape sequences",
            escaped.offset,
        ));
    }
    let mut found = members.iter().filter(|m| m.name == name);
    let first = found.next().copied();
    if let Some(again) = found.next() {
        return Err(box_invalid(
            &format!("\"{name}\" is given twice"),
            again.offset,
        ));
    }
    Ok(first)
}

/// The members of the object `member` holds.
fn nested_object<'a>(
    json: &'a [u8],
    member: JsonMember<'a>,
    what: &str,
) -> Result<Vec<JsonMember<'a>>> {
    let not_object = || box_invalid(&format!("\"{what}\" is not an object"), member.offset);
    if member.value != JsonValue::Composite {
        return Err(not_object());
    }
    let start = usize::try_from(member.offset).map_err(|_| not_object())?;
    let text = json.get(start..).ok_or_else(not_object)?;
    match parse_object_prefix(text, member.offset) {
        Ok((members, _)) => Ok(members),
        Err(_) => Err(not_object()),
    }
}

/// A register's hex (a string, or the `serializedValue` / `rawValue` of an object), read by
/// `parse`; its errors name the register and point into the JSON text.
fn read_register<'a, T>(
    json: &'a [u8],
    member: JsonMember<'a>,
    name: &'static str,
    parse: impl Fn(&[u8]) -> Result<T>,
) -> Result<T> {
    let hex = match member.value {
        JsonValue::String(_) => member,
        JsonValue::Composite => {
            let fields = nested_object(json, member, name)?;
            let serialized = unique_member(&fields, "serializedValue")?;
            let raw = unique_member(&fields, "rawValue")?;
            match (serialized, raw) {
                (Some(value), None) | (None, Some(value)) => value,
                (Some(_), Some(raw)) => {
                    return Err(box_invalid(
                        &format!("register {name} has both serializedValue and rawValue"),
                        raw.offset,
                    ))
                }
                (None, None) => {
                    return Err(box_invalid(
                        &format!("register {name} has no serializedValue"),
                        member.offset,
                    ))
                }
            }
        }
        _ => {
            return Err(box_invalid(
                &format!("register {name} is neither a hex string nor an object"),
                member.offset,
            ))
        }
    };
    let JsonValue::String(text) = hex.value else {
        return Err(box_invalid(
            &format!("register {name} is not a hex string"),
            hex.offset,
        ));
    };
    // The string's first character is one byte past its opening quote.
    let first = hex.offset + 1;
    let bytes = from_hex(text).map_err(|err| {
        let at = first + err.offset().unwrap_or(0);
        box_invalid(&format!("register {name} is not hex"), at)
    })?;
    parse(&bytes).map_err(|err| match err.kind() {
        ErrorKind::RegisterInvalid { reason, .. } => Error::new(ErrorKind::RegisterInvalid {
            register: Some(name),
            reason: reason.clone(),
        })
        .at_offset(first + 2 * err.offset().unwrap_or(0)),
        _ => err,
    })
}

fn box_id(member: JsonMember<'_>) -> Result<Option<[u8; 32]>> {
    let bad = || box_invalid("the box id is not 32 bytes of hex", member.offset);
    match member.value {
        JsonValue::Null => Ok(None),
        JsonValue::String(text) => {
            let bytes = from_hex(text).map_err(|_| bad())?;
            <[u8; 32]>::try_from(bytes.as_slice())
                .map(Some)
                .map_err(|_| bad())
        }
        _ => Err(bad()),
    }
}

fn creation_height(member: JsonMember<'_>) -> Result<Option<u32>> {
    let digits = match member.value {
        JsonValue::Null => return Ok(None),
        JsonValue::Number(text) | JsonValue::String(text) => text,
        _ => "",
    };
    let height = match digits.bytes().all(|b| b.is_ascii_digit()) && !digits.is_empty() {
        true => digits.parse::<u32>().ok(),
        false => None,
    };
    match height {
        Some(height) => Ok(Some(height)),
        None => Err(box_invalid(
            "creationHeight is not a whole number of at most 32 bits",
            member.offset,
        )),
    }
}
