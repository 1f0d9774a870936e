//! A box as JSON, in the node API's shape or the explorer API's: its members, its registers'
//! bytes, and its id — as given, and recomputed from its contents when the JSON has them all.
//!
//! The id of a box is blake2b256 of its bytes (sigmastate `ErgoBox.id`, sigma-rust
//! `ErgoBox::calc_box_id`): the value (VLQ), the ErgoTree's bytes, the creation height (VLQ), the
//! number of tokens (one byte) and each token's 32-byte id and amount (VLQ), the number of
//! registers from R4 on (one byte) and each register's serialized constant, the 32-byte id of the
//! transaction that created it, and its index in that transaction's outputs (VLQ) — the layout of
//! sigma-rust's `serialize_box_with_indexed_digests` with full token ids, then
//! `ErgoBox::sigma_serialize`.

use super::box_bytes::{
    read_ergo_tree, read_register, BoxFailure, BoxFields, Token, MAX_AMOUNT, REGISTER_NAMES,
};
use super::sigma_reader::SigmaReader;
use super::unverified_box_id::UnverifiedBoxId;
use crate::blake2b::blake2b256;
use crate::error::{Error, ErrorKind, Result};
use crate::hex::{decode_hex, to_hex};
use crate::json_reader::{
    parse_array_prefix, parse_object, parse_object_prefix, JsonMember, JsonValue,
};

pub(crate) fn box_invalid(reason: &str, offset: u64) -> Error {
    Error::new(ErrorKind::BoxInvalid {
        reason: reason.to_string(),
    })
    .at_offset(offset)
}

/// A register's bytes, with the offset in the JSON of the hex digit of its first byte.
pub(crate) struct RegisterBytes {
    pub(crate) bytes: Vec<u8>,
    pub(crate) first_digit: u64,
}

pub(crate) struct BoxJson<'a> {
    json: &'a [u8],
    top: Vec<JsonMember<'a>>,
    registers: Vec<JsonMember<'a>>,
}

impl<'a> BoxJson<'a> {
    /// The box `json` holds: one JSON object with an `additionalRegisters` object.
    pub(crate) fn parse(json: &'a [u8]) -> Result<BoxJson<'a>> {
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
        let registers = nested(
            json,
            registers,
            "\"additionalRegisters\"",
            Composite::Object,
        )?;
        Ok(BoxJson {
            json,
            top,
            registers,
        })
    }

    /// The box's member `name`.
    pub(crate) fn member(&self, name: &str) -> Result<Option<JsonMember<'a>>> {
        unique_member(&self.top, name)
    }

    /// The bytes of register `name` (`"R4"` … `"R9"`), if the box has it.
    pub(crate) fn register(&self, name: &str) -> Result<Option<RegisterBytes>> {
        match unique_member(&self.registers, name)? {
            Some(member) => register_bytes(self.json, member, name).map(Some),
            None => Ok(None),
        }
    }

    /// The box's id and, when it is not verified, why: the recomputed id when the box's bytes
    /// split into the JSON's fields one way, else the id as given. A given `boxId` that differs
    /// from the hash of the contents is refused (`BOX_INVALID`): it is no id of these contents.
    pub(crate) fn id(&self) -> Result<(Option<[u8; 32]>, Option<UnverifiedBoxId>)> {
        match (self.given_id()?, self.computed_id()?) {
            (
                Some(given),
                ComputedId::Verified(computed)
                | ComputedId::Unverified {
                    hashed: Some(computed),
                    ..
                },
            ) if given != computed => {
                let offset = match (self.member("boxId")?, self.member("id")?) {
                    (Some(member), _) | (None, Some(member)) => member.offset,
                    (None, None) => 0,
                };
                Err(box_invalid(
                    &format!(
                        "boxId {} is not this box's id: its contents hash to {}",
                        to_hex(&given),
                        to_hex(&computed)
                    ),
                    offset,
                ))
            }
            (_, ComputedId::Verified(computed)) => Ok((Some(computed), None)),
            (given, ComputedId::Unverified { reason, .. }) => Ok((given, Some(reason))),
        }
    }

    /// The id the JSON gives (`boxId`, or `id` as some explorer endpoints name it).
    pub(crate) fn given_id(&self) -> Result<Option<[u8; 32]>> {
        match (self.member("boxId")?, self.member("id")?) {
            (Some(_), Some(id)) => Err(box_invalid(
                "the box has both \"boxId\" and \"id\"",
                id.offset,
            )),
            (Some(id), None) | (None, Some(id)) => match id.value {
                JsonValue::Null => Ok(None),
                _ => hex_array(id, "the box id").map(Some),
            },
            (None, None) => Ok(None),
        }
    }

    /// `creationHeight`, if given.
    pub(crate) fn creation_height(&self) -> Result<Option<u32>> {
        match self.member("creationHeight")? {
            None => Ok(None),
            Some(member) if member.value == JsonValue::Null => Ok(None),
            Some(member) => whole_number(member, "creationHeight", u32::MAX.into())
                .map(|height| u32::try_from(height).ok()),
        }
    }

    /// The id recomputed from the box's contents: verified when the JSON has them all and their
    /// bytes split into its fields one way (see `box_bytes.rs`), else why not, with the hash of
    /// the contents when the JSON has them all. Contents that are present but no box's — a
    /// value or token amount of 0, an empty or malformed ErgoTree, a register that is not one
    /// whole constant — are `BOX_INVALID` (`REGISTER_INVALID` for a register).
    pub(crate) fn computed_id(&self) -> Result<ComputedId> {
        let transaction = match (self.member("transactionId")?, self.member("txId")?) {
            (Some(_), Some(again)) => {
                return Err(box_invalid(
                    "the box has both \"transactionId\" and \"txId\"",
                    again.offset,
                ))
            }
            (Some(id), None) | (None, Some(id)) => Some(id),
            (None, None) => None,
        };
        let contents = (
            self.member("value")?,
            self.member("ergoTree")?,
            self.member("creationHeight")?,
            self.member("assets")?,
            transaction,
            self.member("index")?,
        );
        let (Some(value), Some(tree), Some(height), Some(_), Some(transaction), Some(index)) =
            contents
        else {
            let member = match contents {
                (None, ..) => "value",
                (_, None, ..) => "ergoTree",
                (_, _, None, ..) => "creationHeight",
                (_, _, _, None, ..) => "assets",
                (_, _, _, _, None, _) => "transactionId",
                _ => "index",
            };
            return Ok(ComputedId::Unverified {
                hashed: None,
                reason: UnverifiedBoxId::MissingContent { member },
            });
        };
        let value = amount(value, "value")?;
        let tree_bytes = hex_bytes(tree, "ergoTree")?;
        let creation_height = whole_number(height, "creationHeight", u32::MAX.into())? as u32;
        let tokens = self.tokens()?.unwrap_or_default();
        let registers = self.registers()?;
        let transaction_id = hex_array::<32>(transaction, "the transaction id")?;
        let index = whole_number(index, "index", u16::MAX.into())? as u16;
        // Each field is delimited by its own bytes.
        let mut unverified = check_tree(&tree_bytes, tree)?;
        for (number, register) in (4..).zip(&registers) {
            unverified = unverified.or(check_register(register, number)?);
        }
        let fields = BoxFields {
            value,
            ergo_tree: &tree_bytes,
            creation_height,
            tokens,
            registers: registers.iter().map(|r| r.bytes.as_slice()).collect(),
            transaction_id,
            index,
        };
        let bytes = fields.to_bytes();
        let hashed = blake2b256(&[&bytes]);
        if let Some(reason) = unverified {
            return Ok(ComputedId::Unverified {
                hashed: Some(hashed),
                reason,
            });
        }
        // Each field delimited, the bytes split back into these fields alone; parsed here as
        // Ergo parses them all the same, so that the id is of exactly this split.
        match BoxFields::parse(&bytes) {
            Ok(parsed) if parsed == fields && parsed.to_bytes() == bytes => {
                Ok(ComputedId::Verified(hashed))
            }
            Ok(_) => Err(box_invalid(
                "the box's bytes split into other fields than the JSON gives",
                0,
            )),
            Err(BoxFailure::Invalid(err)) => Err(box_invalid(
                &format!("its contents are no Ergo box: {}", reason_of(&err)),
                0,
            )),
            Err(BoxFailure::Unverified(reason)) => Ok(ComputedId::Unverified {
                hashed: Some(hashed),
                reason,
            }),
        }
    }

    /// The box's tokens (`assets`), in order — the first is the NFT of a tracker's box — each
    /// id and amount; `None` when the JSON has no `assets`. A token that is not a 32-byte id
    /// and an amount from 1 to 2^63-1, or more than 255 of them, is `BOX_INVALID`.
    pub(crate) fn tokens(&self) -> Result<Option<Vec<Token>>> {
        let Some(assets) = self.member("assets")? else {
            return Ok(None);
        };
        let tokens = nested(self.json, assets, "\"assets\"", Composite::Array)?;
        if tokens.len() > 255 {
            return Err(box_invalid(
                "the box has more than 255 tokens",
                assets.offset,
            ));
        }
        let mut out = Vec::with_capacity(tokens.len());
        for token in tokens {
            let fields = nested(self.json, token, "a token", Composite::Object)?;
            let field = |name| unique_member(&fields, name);
            let (Some(id), Some(amount_member)) = (field("tokenId")?, field("amount")?) else {
                return Err(box_invalid(
                    "a token lacks its tokenId or amount",
                    token.offset,
                ));
            };
            out.push((
                hex_array::<32>(id, "a token id")?,
                amount(amount_member, "a token amount")?,
            ));
        }
        Ok(Some(out))
    }

    /// The registers' bytes, R4 first, refusing a name that is no register and a gap.
    fn registers(&self) -> Result<Vec<RegisterBytes>> {
        if let Some(other) = self
            .registers
            .iter()
            .find(|m| !REGISTER_NAMES.contains(&m.name))
        {
            return Err(box_invalid(
                &format!("\"{}\" is not a register (R4 to R9)", other.name),
                other.offset,
            ));
        }
        // At most six, by the check above and unique names.
        let count = self.registers.len().min(REGISTER_NAMES.len());
        let mut out = Vec::with_capacity(count);
        for name in REGISTER_NAMES.iter().take(count) {
            match self.register(name)? {
                Some(register) => out.push(register),
                None => {
                    return Err(box_invalid(
                        &format!("the registers skip {name}: a box's registers have no gaps"),
                        0,
                    ))
                }
            }
        }
        Ok(out)
    }
}

/// What [`BoxJson::computed_id`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ComputedId {
    /// The id of the box: its bytes split into the JSON's fields alone.
    Verified([u8; 32]),
    /// Not the box's id for certain: why, and the hash of the contents when the JSON has them
    /// all (a `boxId` that differs from it is no id of these contents).
    Unverified {
        hashed: Option<[u8; 32]>,
        reason: UnverifiedBoxId,
    },
}

/// The reason of a `BOX_INVALID` or `REGISTER_INVALID` error, without its prefix.
fn reason_of(err: &Error) -> String {
    match err.kind() {
        ErrorKind::BoxInvalid { reason } => reason.clone(),
        ErrorKind::RegisterInvalid { register, reason } => match register {
            Some(name) => format!("register {name}: {reason}"),
            None => reason.to_string(),
        },
        other => other.to_string(),
    }
}

/// The offset in the JSON of byte `offset` of a hex string member.
fn json_offset(member: JsonMember<'_>, offset: Option<u64>) -> u64 {
    // The string's first character is one byte past its opening quote.
    member.offset + 1 + 2 * offset.unwrap_or(0)
}

/// Checks that `bytes`, the JSON's `ergoTree`, are one whole ErgoTree; why its end cannot be
/// found when it cannot.
fn check_tree(bytes: &[u8], member: JsonMember<'_>) -> Result<Option<UnverifiedBoxId>> {
    let mut reader = SigmaReader::new(bytes);
    match read_ergo_tree(&mut reader) {
        Ok(()) if reader.at_end() => Ok(None),
        Ok(()) => Err(box_invalid(
            &format!(
                "the ergoTree ends after {} of its {} bytes (as its header says): bytes after \
                 a tree are no part of it",
                reader.position(),
                bytes.len()
            ),
            json_offset(member, Some(reader.position() as u64)),
        )),
        Err(BoxFailure::Unverified(reason)) => Ok(Some(reason)),
        Err(BoxFailure::Invalid(err)) => Err(box_invalid(
            &format!("the ergoTree is no ErgoTree: {}", reason_of(&err)),
            json_offset(member, err.offset()),
        )),
    }
}

/// Checks that a register's bytes are one whole constant; why its end cannot be found when it
/// cannot. `REGISTER_INVALID` names the register and points at its offending hex digit.
fn check_register(register: &RegisterBytes, number: u8) -> Result<Option<UnverifiedBoxId>> {
    let mut reader = SigmaReader::new(&register.bytes);
    let at = |offset: Option<u64>| register.first_digit + 2 * offset.unwrap_or(0);
    match read_register(&mut reader, number) {
        Ok(()) => match reader.finish() {
            Ok(()) => Ok(None),
            Err(err) => Err(Error::new(ErrorKind::RegisterInvalid {
                register: REGISTER_NAMES.get(usize::from(number - 4)).copied(),
                reason: match err.kind() {
                    ErrorKind::RegisterInvalid { reason, .. } => reason.clone(),
                    _ => return Err(err),
                },
            })
            .at_offset(at(err.offset()))),
        },
        Err(BoxFailure::Unverified(reason)) => Ok(Some(reason)),
        Err(BoxFailure::Invalid(err)) => {
            let offset = at(err.offset());
            Err(err.at_offset(offset))
        }
    }
}

/// The JSON reader's `LOG_CORRUPT`, said of a box.
fn not_json(err: Error) -> Error {
    let reason = match err.kind() {
        ErrorKind::LogCorrupt { reason } => reason.replacen("line", "the JSON", 1),
        other => other.to_string(),
    };
    box_invalid(
        &format!("not a JSON object: {reason}"),
        err.offset().unwrap_or(0),
    )
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

/// What a member must hold.
#[derive(Clone, Copy)]
enum Composite {
    Object,
    Array,
}

/// The members of the object, or the elements of the array, that `member` holds.
fn nested<'a>(
    json: &'a [u8],
    member: JsonMember<'a>,
    what: &str,
    composite: Composite,
) -> Result<Vec<JsonMember<'a>>> {
    let kind = match composite {
        Composite::Object => "an object",
        Composite::Array => "an array",
    };
    let wrong = || box_invalid(&format!("{what} is not {kind}"), member.offset);
    if member.value != JsonValue::Composite {
        return Err(wrong());
    }
    let start = usize::try_from(member.offset).map_err(|_| wrong())?;
    let text = json.get(start..).ok_or_else(wrong)?;
    let parsed = match composite {
        Composite::Object => parse_object_prefix(text, member.offset),
        Composite::Array => parse_array_prefix(text, member.offset),
    };
    match parsed {
        Ok((members, _)) => Ok(members),
        Err(_) => Err(wrong()),
    }
}

/// A register's hex (a string, or the `serializedValue` / `rawValue` of an object) as bytes.
fn register_bytes<'a>(json: &'a [u8], member: JsonMember<'a>, name: &str) -> Result<RegisterBytes> {
    let hex = match member.value {
        JsonValue::String(_) => member,
        JsonValue::Composite => {
            let fields = nested(json, member, &format!("register {name}"), Composite::Object)?;
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
    Ok(RegisterBytes {
        bytes: hex_bytes(hex, &format!("register {name}"))?,
        // The string's first character is one byte past its opening quote.
        first_digit: hex.offset + 1,
    })
}

fn hex_bytes(member: JsonMember<'_>, what: &str) -> Result<Vec<u8>> {
    let JsonValue::String(text) = member.value else {
        return Err(box_invalid(
            &format!("{what} is not a hex string"),
            member.offset,
        ));
    };
    decode_hex(text).map_err(|err| {
        // The string's first character is one byte past its opening quote.
        let at = member.offset + 1 + err.offset().unwrap_or(0) as u64;
        box_invalid(&format!("{what} is not hex: {err}"), at)
    })
}

fn hex_array<const N: usize>(member: JsonMember<'_>, what: &str) -> Result<[u8; N]> {
    let bytes = hex_bytes(member, what)?;
    <[u8; N]>::try_from(bytes.as_slice()).map_err(|_| {
        box_invalid(
            &format!("{what} is {} bytes, not {N}", bytes.len()),
            member.offset,
        )
    })
}

/// A box's value or a token's amount: a whole number from 1 to 2^63-1 (no box holds 0 of
/// anything, and Ergo keeps amounts in a signed 64-bit number).
fn amount(member: JsonMember<'_>, what: &str) -> Result<u64> {
    match whole_number(member, what, u64::MAX) {
        Ok(value @ 1..=MAX_AMOUNT) => Ok(value),
        Ok(value) => Err(box_invalid(
            &format!("{what} is {value}: an Ergo box holds from 1 to {MAX_AMOUNT}"),
            member.offset,
        )),
        Err(err) => Err(err),
    }
}

/// A whole number from 0 to `max`, written as a JSON number or as a string of digits (the node
/// and sigma-rust write amounts either way).
fn whole_number(member: JsonMember<'_>, what: &str, max: u64) -> Result<u64> {
    let digits = match member.value {
        JsonValue::Number(text) | JsonValue::String(text) => text,
        _ => "",
    };
    let number = match !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        true => digits.parse::<u64>().ok().filter(|&n| n <= max),
        false => None,
    };
    number.ok_or_else(|| {
        box_invalid(
            &format!("{what} is not a whole number from 0 to {max}"),
            member.offset,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// sigma-rust (commit 999ab8d) `ergotree-ir/src/chain/json/ergo_box.rs`, test `parse_ergo_box`:
    /// a mainnet box whose id sigma-rust recomputes and checks when it reads the JSON.
    const SIGMA_RUST_BOX: &str = r#"{
          "boxId": "e56847ed19b3dc6b72828fcfb992fdf7310828cf291221269b7ffc72fd66706e",
          "value": 67500000000,
          "ergoTree": "100204a00b08cd021dde34603426402615658f1d970cfa7c7bd92ac81a8b16eeebff264d59ce4604ea02d192a39a8cc7a70173007301",
          "assets": [],
          "creationHeight": 284761,
          "additionalRegisters": {},
          "transactionId": "9148408c04c2e38a6402a7950d6157730fa7d49e9ab3b9cadec481d7769918e9",
          "index": 1
        }"#;

    /// The same file, test `parse_ergo_box_from_explorer`: the explorer's names (`id`, `txId`),
    /// three tokens and two registers; the id is checked there too.
    const SIGMA_RUST_EXPLORER_BOX: &str = r#"{
            "id": "3e762407d99b006d53b6583adcca08ef690b42fb0b2ed7abf63179eb6b9033b2",
            "txId": "93d344aa527e18e5a221db060ea1a868f46b61e4537e6e5f69ecc40334c15e38",
            "value": 2875858910,
            "index": 0,
            "creationHeight": 352126,
            "ergoTree": "101f0400040004020402040004000402050005000580dac4090580dac409050005c00c05c80104000e20b662db51cf2dc39f110a021c2a31c74f0a1a18ffffbf73e8a051a7b8c0f09ebc0580dac40904040404050005feffffffffffffffff01050005e807050005e807050005a0060101050005c00c05a006d81ed601b2db6501fe730000d602b2a5730100d603c17202d604db6308a7d605b27204730200d6068c720502d607db63087202d608b27207730300d6098c720802d60a9472067209d60bb27204730400d60c8c720b02d60db27207730500d60e8c720d02d60f94720c720ed610e4c6a70505d611e4c672020505d612e4c6a70405d613e4c672020405d614b2a5730600d615e4c672140405d61695720a73077215d61795720a72157308d61899c1a77309d619e4c672140505d61a997203730ad61be4c672010405d61ca172189c7212721bd61d9c7213721bd61e9593721d730b730c9d9c721a730d721dd1ededed938cb2db63087201730e0001730fedededed9272037310edec720a720fefed720a720fed939a720672109a72097211939a720c72129a720e7213eded939a721272167213939a721072177211939a72187219721aeded938c720d018c720b01938c7208018c720501938cb27207731100018cb272047312000193721995720f9ca1721b95937212731373149d721c72127216d801d61f997218721c9c9593721f7315731695937210731773189d721f7210721795720f95917216731992721e731a731b95917217731c90721e731d92721e731e",
            "address": "9aFbqNsmDwSxCdcLDKmSxVTL58ms2A39Rpn2zodVzkBN5MzB8zvW5PFX551W1A5vUdFJ3yxwvwgYTTS4JrPQcb5qxBbRDJkGNikuqHRXhnbniK4ajumEj7ot2o7DbcNFaM674fWufQzSGS1KtgMw95ZojyqhswUNbKpYDV1PhKw62bEMdJL9vAvzea4KwKXGUTdYYkcPdQKFWXfrdo2nTS3ucFNxqyTRB3VtZk7AWE3eeNHFcXZ1kLkfrX1ZBjpQ7qrBemHk4KZgS8fzmm6hPSZThiVVtBfQ2CZhJQdAZjRwGrw5TDcZ4BBDAZxg9h13vZ7tQSPsdAtjMFQT1DxbqAruKxX38ZwaQ3UfWmbBpbJEThAQaS4gsCBBSjswrv8BvupxaHZ4oQmA2LZiz4nYaPr8MJtR4fbM9LErwV4yDVMb873bRE5TBF59NipUyHAir7ysajPjbGc8aRLqsMVjntFSCFYx7822RBrj7RRX11CpiGK6vdfKHe3k14EH6YaNXvGSq8DrfNHEK4SgreknTqCgjL6i3EMZKPCW8Lao3Q5tbJFnFjEyntpUDf5zfGgFURxzobeEY4USqFaxyppHkgLjQuFQtDWbYVu3ztQL6hdWHjZXMK4VVvEDeLd1woebD1CyqS5kJHpGa78wQZ4iKygw4ijYrodZpqqEwTXdqwEB6xaLfkxZCBPrYPST3xz67GGTBUFy6zkXP5vwVVM5gWQJFdWCZniAAzBpzHeVq1yzaBp5GTJgr9bfrrAmuX8ra1m125yfeT9sTWroVu",
            "assets": [
                {
                    "tokenId": "2d554219a80c011cc51509e34fa4950965bb8e01de4d012536e766c9ca08bc2c",
                    "index": 0,
                    "amount": 99999999998
                },
                {
                    "tokenId": "bcd5db3a2872f279ef89edaa51a9344a6095ea1f03396874b695b5ba95ff602e",
                    "index": 1,
                    "amount": 99995619990
                },
                {
                    "tokenId": "9f90c012e03bf99397e363fb1571b7999941e0862a217307e3467ee80cf53af7",
                    "index": 2,
                    "amount": 1
                }
            ],
            "additionalRegisters": {
                "R4": "0504",
                "R5": "05d4d59604"
            },
            "spentTransactionId": null,
            "mainChain": true
        }"#;

    fn ids(json: &str) -> (Option<[u8; 32]>, Option<[u8; 32]>) {
        let parsed = BoxJson::parse(json.as_bytes()).unwrap();
        let hashed = match parsed.computed_id().unwrap() {
            ComputedId::Verified(id) => Some(id),
            ComputedId::Unverified { hashed, .. } => hashed,
        };
        (parsed.given_id().unwrap(), hashed)
    }

    /// Both boxes have trees of header 0x10 (constants segregated, no size bit): their contents
    /// hash to their ids, but where the tree ends takes a full ErgoTree parser to tell.
    #[test]
    fn a_tree_without_its_size_is_not_verified() {
        for json in [SIGMA_RUST_BOX, SIGMA_RUST_EXPLORER_BOX] {
            let parsed = BoxJson::parse(json.as_bytes()).unwrap();
            let ComputedId::Unverified { hashed, reason } = parsed.computed_id().unwrap() else {
                panic!("verified: {json}");
            };
            assert_eq!(hashed, parsed.given_id().unwrap());
            assert_eq!(reason, UnverifiedBoxId::TreeUndelimited { header: 0x10 });
        }
    }

    #[test]
    fn recomputes_the_ids_of_real_boxes() {
        for json in [SIGMA_RUST_BOX, SIGMA_RUST_EXPLORER_BOX] {
            let (given, computed) = ids(json);
            assert!(given.is_some());
            assert_eq!(given, computed, "{json}");
        }
        // Registers given in explorer objects hash the same.
        let explorer = SIGMA_RUST_EXPLORER_BOX.replace(
            r#""0504""#,
            r#"{"serializedValue": "0504", "sigmaType": "SLong"}"#,
        );
        let (given, computed) = ids(&explorer);
        assert_eq!(given, computed);
        // Amounts as strings, as sigma-rust also reads them.
        let strings = SIGMA_RUST_EXPLORER_BOX.replace("99999999998", r#""99999999998""#);
        assert_eq!(ids(&strings).0, ids(&strings).1);
    }

    /// Boxes whose ErgoTree is delimited by its header (P2PK, or the size bit), each id the
    /// hash of its bytes, recomputed and verified. Sources in `tests/vectors/chain/SOURCES.md`.
    const VERIFIED_BOXES: [&str; 5] = [
        // sigma-rust `ergotree-ir/src/chain/json/ergo_tree.rs`, `parse_ergo_tree_with_constants`.
        include_str!("../../tests/vectors/chain/boxes/sigma-rust-p2pk-dd4e69ae.json"),
        // sigma-rust `ergo-lib/src/wallet/signing.rs`, `test_proof_from_mainnet`, output 2.
        include_str!("../../tests/vectors/chain/boxes/sigma-rust-mainnet-3dee27d0.json"),
        // sigmastate `ErgoLikeTransactionSpec.scala`, the 5-output transaction, output 2.
        include_str!("../../tests/vectors/chain/boxes/sigmastate-p2pk-token-87276307.json"),
        // Mainnet boxes with trees of header 0x19 (size bit), tokens and registers.
        include_str!("../../tests/vectors/chain/boxes/mainnet-sized-tree-553699ea.json"),
        include_str!("../../tests/vectors/chain/boxes/mainnet-sized-tree-79c4cb46.json"),
    ];

    #[test]
    fn verifies_the_ids_of_boxes_with_delimited_trees() {
        for json in VERIFIED_BOXES {
            let parsed = BoxJson::parse(json.as_bytes()).unwrap();
            let given = parsed.given_id().unwrap().unwrap();
            assert_eq!(
                parsed.computed_id().unwrap(),
                ComputedId::Verified(given),
                "{json}"
            );
        }
    }

    /// Registers of many types from sigmastate `ErgoLikeTransactionSpec.scala` (output 0 of the
    /// same transaction): `Coll[AvlTree]`, `Coll[Long]`, `Coll[Coll[Long]]`,
    /// `Coll[(AvlTree, AvlTree)]`; each is one whole constant, and none is one cut short.
    #[test]
    fn reads_registers_of_many_types_whole() {
        let registers = [
            "0c64022c659cd7a638ab858b03135353be754e13098e23833a36f417e236b5e7b204c7060720004ec61f485b98eb87153f7c57db4f5ecd75556fddbc403b41acf8441fde8e160900072000",
            "11078094c7e7fe62d8e3abe8d9014400001608",
            "1d0502c0f4b8dace019cfa86e3d7010200120200c29a989d73021414021414",
            "0c3c6464024ec61f485b98eb87153f7c57db4f5ecd75556fddbc403b41acf8441fde8e1609000720004ec61f485b98eb87153f7c57db4f5ecd75556fddbc403b41acf8441fde8e16090007200008e92e280c717db90215047a2f08a82a03246a52824a5c74379f666806485cd40607200056736400f2fccbe31edd2bd0f1873e3445207fed1bfbcd1cb52a929b81e1fe1f03072000",
            "1102d2e9a4850218",
            "100490031eeeca70c801",
            "08cd03b196b978d77488fba3138876a40a40b9a046c2fbb5ecfa13d4ecf8f1eec52aec",
        ];
        for hex in registers {
            let bytes = crate::hex::decode_hex(hex).unwrap();
            let register = RegisterBytes {
                bytes: bytes.clone(),
                first_digit: 0,
            };
            assert_eq!(check_register(&register, 6).unwrap(), None, "{hex}");
            for cut in 0..bytes.len() {
                let short = RegisterBytes {
                    bytes: bytes[..cut].to_vec(),
                    first_digit: 0,
                };
                let err = check_register(&short, 6).unwrap_err();
                assert_eq!(err.code(), crate::ErrorCode::RegisterInvalid, "{hex} {cut}");
            }
        }
    }

    #[test]
    fn any_changed_content_changes_the_id() {
        let changes = [
            ("67500000000", "67500000001"),
            ("284761", "284762"),
            ("\"index\": 1", "\"index\": 2"),
            ("9148408c04", "9148408c05"),
            ("\"additionalRegisters\": {}", "\"additionalRegisters\": {\"R4\": \"0101\"}"),
            ("\"assets\": []", "\"assets\": [{\"tokenId\": \"2d554219a80c011cc51509e34fa4950965bb8e01de4d012536e766c9ca08bc2c\", \"amount\": 1}]"),
        ];
        let (given, _) = ids(SIGMA_RUST_BOX);
        for (from, to) in changes {
            let changed = SIGMA_RUST_BOX.replace(from, to);
            assert_ne!(changed, SIGMA_RUST_BOX);
            let (_, computed) = ids(&changed);
            assert!(computed.is_some());
            assert_ne!(computed, given, "{to}");
        }
    }

    #[test]
    fn cannot_recompute_without_every_content() {
        for field in [
            "\"value\"",
            "\"ergoTree\"",
            "\"creationHeight\"",
            "\"assets\"",
            "\"transactionId\"",
            "\"index\"",
        ] {
            let renamed = SIGMA_RUST_BOX.replace(field, "\"unknown\"");
            let parsed = BoxJson::parse(renamed.as_bytes()).unwrap();
            let ComputedId::Unverified {
                hashed: None,
                reason: UnverifiedBoxId::MissingContent { member },
            } = parsed.computed_id().unwrap()
            else {
                panic!("{field}");
            };
            assert_eq!(format!("\"{member}\""), field);
        }
    }

    #[test]
    fn refuses_contents_that_cannot_be_a_box() {
        let cases = [
            ("67500000000", "-1"),
            ("67500000000", "1.5"),
            ("284761", "4294967296"),
            ("\"index\": 1", "\"index\": 65536"),
            ("9148408c04", "9148408c0"),
            (
                "\"additionalRegisters\": {}",
                "\"additionalRegisters\": {\"R5\": \"0101\"}",
            ),
            (
                "\"additionalRegisters\": {}",
                "\"additionalRegisters\": {\"R3\": \"0101\"}",
            ),
            ("\"assets\": []", "\"assets\": [{\"amount\": 1}]"),
            ("\"assets\": []", "\"assets\": {}"),
            ("\"assets\": []", "\"assets\": [1]"),
            ("\"ergoTree\": \"1002", "\"ergoTree\": \"x002"),
            ("67500000000", "0"),
            ("67500000000", "9223372036854775808"),
            ("\"ergoTree\": \"1002", "\"ergoTree\": \"\", \"x\": \"1002"),
            ("\"ergoTree\": \"1002", "\"ergoTree\": \"0102"),
            (
                "\"assets\": []",
                "\"assets\": [{\"tokenId\": \"2d554219a80c011cc51509e34fa4950965bb8e01de4d012536e766c9ca08bc2c\", \"amount\": 0}]",
            ),
        ];
        for (from, to) in cases {
            let changed = SIGMA_RUST_BOX.replace(from, to);
            assert_ne!(changed, SIGMA_RUST_BOX);
            let parsed = BoxJson::parse(changed.as_bytes()).unwrap();
            let err = parsed.computed_id().unwrap_err();
            assert_eq!(err.code(), crate::ErrorCode::BoxInvalid, "{to}: {err}");
            assert!(err.offset().unwrap() <= changed.len() as u64);
        }
        let both = SIGMA_RUST_BOX.replace("\"index\"", "\"txId\": \"00\", \"index\"");
        let parsed = BoxJson::parse(both.as_bytes()).unwrap();
        assert!(parsed.computed_id().is_err());
    }
}
