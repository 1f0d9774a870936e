//! The two boxes a redemption reads (basis-tracker `contract/basis.es`, commit fa928f5): the
//! reserve box it spends (R4 the owner's key, R5 the tree of redeemed amounts, R6 the tracker's
//! NFT id, R7 the refund height; lines 170-180) and the tracker's box, its data input (its first
//! token the NFT, R4 its key, R5 its tree; lines 188-195 and 250-253).

use crate::chain::{box_invalid, AvlTreeData, BoxJson, TrackerCommitment, UnverifiedBoxId};
use crate::error::{Error, Result};
use crate::group_element_from_register;
use crate::hex::decode_hex;
use crate::json_reader::{parse_array_prefix, parse_object_prefix, JsonMember, JsonValue};

/// The Sigma type code of `Coll[Byte]`.
const COLL_BYTE_TYPE_CODE: u8 = 0x0e;
/// The Sigma type code of `Long`.
const LONG_TYPE_CODE: u8 = 0x05;

/// A tracker's box as a redemption reads it: its commitment and its first token (the NFT the
/// reserve names in R6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TrackerBox {
    /// R4, R5, the id and the creation height.
    pub commitment: TrackerCommitment,
    /// The id of the box's first token (`tracker.tokens(0)._1`), if it has tokens.
    pub nft_id: Option<[u8; 32]>,
}

impl TrackerBox {
    /// Reads a tracker's box from its JSON, as
    /// [`TrackerCommitment::from_box_json`] does, with its first token.
    pub fn from_box_json(json: &[u8]) -> Result<TrackerBox> {
        let commitment = TrackerCommitment::from_box_json(json)?;
        let parsed = BoxJson::parse(json)?;
        Ok(TrackerBox {
            commitment,
            nft_id: first_token_id(json, &parsed)?,
        })
    }
}

/// A Basis reserve box.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReserveBox {
    /// R4: the owner's key (the issuer of the notes it backs).
    pub owner_key: [u8; 33],
    /// R5: the tree of redeemed amounts, key blake2b256(owner ‖ receiver), value timestamp (8)
    /// ‖ cumulative redeemed amount (8).
    pub tree: AvlTreeData,
    /// R6: the id of the tracker's NFT.
    pub tracker_nft_id: Vec<u8>,
    /// R7: the height a refund was initiated at (absent: none pending).
    pub refund_height: Option<i64>,
    /// The box's value in nanoERG, when the JSON gives it.
    pub value: Option<u64>,
    /// The box's id: recomputed from its contents when its bytes split into the JSON's fields
    /// one way, else as the JSON gives it (see `TrackerCommitment::box_id`).
    pub box_id: Option<[u8; 32]>,
    /// Why `box_id` is not verified; `None` when it is.
    pub box_id_unverified: Option<UnverifiedBoxId>,
}

impl ReserveBox {
    /// Reads a reserve box from its JSON (the node's or the explorer's shape). A missing R4, R5
    /// or R6, or one that is not the constant expected (`GroupElement`, `AvlTree`,
    /// `Coll[Byte]`), an R7 that is not a `Long`, or malformed JSON is `BOX_INVALID` or
    /// `REGISTER_INVALID`.
    pub fn from_box_json(json: &[u8]) -> Result<ReserveBox> {
        let parsed = BoxJson::parse(json)?;
        let register = |name: &'static str, what: &str| -> Result<(Vec<u8>, u64)> {
            match parsed.register(name)? {
                Some(register) => Ok((register.bytes, register.first_digit)),
                None => Err(box_invalid(
                    &format!("the reserve box has no register {name} ({what})"),
                    0,
                )),
            }
        };
        let (r4, r4_at) = register("R4", "the owner's key")?;
        let owner_key = group_element_from_register(&r4).map_err(|err| at(err, "R4", r4_at))?;
        let (r5, r5_at) = register("R5", "the tree of redeemed amounts")?;
        let tree = AvlTreeData::from_register(&r5).map_err(|err| at(err, "R5", r5_at))?;
        let (r6, r6_at) = register("R6", "the tracker's NFT id")?;
        let tracker_nft_id = coll_byte(&r6)
            .ok_or_else(|| box_invalid("register R6 is not a Coll[Byte] constant", r6_at))?;
        let refund_height = match parsed.register("R7")? {
            Some(register) => Some(long(&register.bytes).ok_or_else(|| {
                box_invalid("register R7 is not a Long constant", register.first_digit)
            })?),
            None => None,
        };
        let value = match parsed.member("value")? {
            Some(member) => Some(
                whole_number(member)
                    .ok_or_else(|| box_invalid("\"value\" is not a whole number", member.offset))?,
            ),
            None => None,
        };
        let (box_id, box_id_unverified) = parsed.id()?;
        Ok(ReserveBox {
            owner_key,
            tree,
            tracker_nft_id,
            refund_height,
            value,
            box_id,
            box_id_unverified,
        })
    }
}

/// A register's error, located at its hex in the JSON and naming it.
fn at(err: Error, name: &'static str, first_digit: u64) -> Error {
    match err.kind() {
        crate::ErrorKind::RegisterInvalid { reason, .. } => {
            Error::new(crate::ErrorKind::RegisterInvalid {
                register: Some(name),
                reason: reason.clone(),
            })
            .at_offset(first_digit + 2 * err.offset().unwrap_or(0))
        }
        _ => err,
    }
}

/// A VLQ-encoded unsigned number at the start of `bytes`, and the bytes after it.
fn vlq(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let mut value = 0u64;
    for (index, &byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f).checked_shl(7 * index as u32)?;
        if byte & 0x80 == 0 {
            return Some((value, bytes.get(index + 1..)?));
        }
    }
    None
}

/// A serialized `Coll[Byte]` constant's bytes: 0x0e, the length (VLQ), the bytes, nothing after.
fn coll_byte(bytes: &[u8]) -> Option<Vec<u8>> {
    let (&code, rest) = bytes.split_first()?;
    if code != COLL_BYTE_TYPE_CODE {
        return None;
    }
    let (length, rest) = vlq(rest)?;
    (rest.len() as u64 == length).then(|| rest.to_vec())
}

/// A serialized `Long` constant: 0x05 and the ZigZag VLQ of the number, nothing after.
fn long(bytes: &[u8]) -> Option<i64> {
    let (&code, rest) = bytes.split_first()?;
    if code != LONG_TYPE_CODE {
        return None;
    }
    let (zigzag, rest) = vlq(rest)?;
    rest.is_empty()
        .then_some(((zigzag >> 1) as i64) ^ -((zigzag & 1) as i64))
}

fn whole_number(member: JsonMember<'_>) -> Option<u64> {
    match member.value {
        JsonValue::Number(text) | JsonValue::String(text)
            if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) =>
        {
            text.parse().ok()
        }
        _ => None,
    }
}

/// The members of the object, or the elements of the array, that `member` of `json` holds.
fn nested<'a>(
    json: &'a [u8],
    member: &JsonMember<'a>,
    array: bool,
    what: &str,
) -> Result<Vec<JsonMember<'a>>> {
    let wrong = || box_invalid(what, member.offset);
    let text = usize::try_from(member.offset)
        .ok()
        .and_then(|start| json.get(start..))
        .filter(|_| member.value == JsonValue::Composite)
        .ok_or_else(wrong)?;
    let parsed = match array {
        true => parse_array_prefix(text, member.offset),
        false => parse_object_prefix(text, member.offset),
    };
    parsed.map(|(members, _)| members).map_err(|_| wrong())
}

/// The id of the box's first token, if it has any.
fn first_token_id(json: &[u8], parsed: &BoxJson<'_>) -> Result<Option<[u8; 32]>> {
    let Some(assets) = parsed.member("assets")? else {
        return Ok(None);
    };
    let tokens = nested(json, &assets, true, "\"assets\" is not an array")?;
    let Some(first) = tokens.first() else {
        return Ok(None);
    };
    let fields = nested(json, first, false, "the first token is not an object")?;
    if let Some(escaped) = fields.iter().find(|m| m.name.is_empty()) {
        return Err(box_invalid(
            "a member name is empty or has escape sequences",
            escaped.offset,
        ));
    }
    let wrong = |reason: &str, offset: u64| box_invalid(reason, offset);
    let mut ids = fields.iter().filter(|m| m.name == "tokenId");
    let (Some(id), None) = (ids.next(), ids.next()) else {
        return Err(wrong(
            "the first token has no \"tokenId\", or two",
            first.offset,
        ));
    };
    let JsonValue::String(hex) = id.value else {
        return Err(wrong("the first token's id is not a hex string", id.offset));
    };
    let bytes = decode_hex(hex).map_err(|_| wrong("the first token's id is not hex", id.offset))?;
    <[u8; 32]>::try_from(bytes.as_slice())
        .map(Some)
        .map_err(|_| wrong("the first token's id is not 32 bytes", id.offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sigma_constants() {
        assert_eq!(coll_byte(&[0x0e, 2, 7, 8]), Some(vec![7, 8]));
        assert_eq!(coll_byte(&[0x0e, 3, 7, 8]), None);
        assert_eq!(coll_byte(&[0x0e, 1, 7, 8]), None);
        assert_eq!(coll_byte(&[0x0d, 0]), None);
        assert_eq!(long(&[0x05, 0x00]), Some(0));
        assert_eq!(long(&[0x05, 0x01]), Some(-1));
        assert_eq!(long(&[0x05, 0x02]), Some(1));
        assert_eq!(long(&[0x05, 0x80, 0xa3, 0x05]), Some(43200));
        assert_eq!(long(&[0x05, 0x80]), None);
        assert_eq!(long(&[0x05, 0x02, 0x00]), None);
    }
}
