//! A Basis note and the tracker's answers, read from the JSON basis-tracker serves
//! (`crates/basis_server/src/models.rs`, commit fa928f5): `SerializableIouNote`,
//! `TrackerSignatureResponse` (`POST /tracker/signature`), `TrackerProofData`
//! (`GET /tracker/proof`), `ReserveProofData` (`GET /reserve/proof`) and `TrackerStateResponse`
//! (`GET /tracker/state`), each either wrapped
//! in the server's `ApiResponse` envelope (`{ "success", "data", "error" }`) or bare.
//!
//! Numbers are read from their digits, so that amounts and timestamps beyond 2^53 are exact. A
//! member given twice or a name with escape sequences is refused (readers could disagree on
//! which one counts); members of other names are skipped.

use super::schnorr::{decode_point, PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH};
use crate::digest::Digest;
use crate::error::{Error, ErrorKind, Result};
use crate::hex::decode_hex;
use crate::json_reader::{parse_object, parse_object_prefix, JsonMember, JsonValue};

/// A Basis IOU note as the tracker serves it: the issuer's promise to the recipient, signed by
/// the issuer over [`note_message`](crate::note_message)`(issuer, recipient, total_debt,
/// timestamp)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Note {
    /// `issuer_pubkey`: the debtor's (the reserve owner's) key, a point of the curve.
    pub issuer: [u8; PUBLIC_KEY_LENGTH],
    /// `recipient_pubkey`: the creditor's key, a point of the curve.
    pub recipient: [u8; PUBLIC_KEY_LENGTH],
    /// `amount_collected`: the cumulative debt of the issuer to the recipient, which the
    /// signatures sign and the tracker's tree holds.
    pub total_debt: u64,
    /// `amount_redeemed`: what the tracker says was redeemed so far, 0 when absent (the chain's
    /// word is the reserve's tree; nothing signs this field).
    pub amount_redeemed: u64,
    /// `timestamp`: milliseconds since the Unix epoch.
    pub timestamp: u64,
    /// `signature`: the issuer's signature a ‖ z.
    pub signature: [u8; SIGNATURE_LENGTH],
}

impl Note {
    /// Reads a note from its JSON (the note itself, or the tracker's answer holding it in
    /// `data`). Anything that is not a note is `NOTE_INVALID`, with the offset in `json` of what
    /// is wrong: malformed JSON, a missing field, a key that is not a point of secp256k1, a
    /// number that is not a whole number below 2^64, a signature that is not 65 bytes of hex —
    /// and a note without `timestamp`, the older format whose message was key ‖ totalDebt.
    pub fn from_json(json: &[u8]) -> Result<Note> {
        let fields = Fields::document(json, Document::Note)?;
        if fields.member("timestamp")?.is_none() && fields.member("amount_collected")?.is_some() {
            return Err(fields.error(
                "it has no \"timestamp\": it is of the older format whose signatures sign key ‖ \
                 totalDebt (chaincash's basis.es, basis-tracker's of February to April 2026), \
                 which the reserve contract no longer accepts"
                    .to_string(),
                fields.base,
            ));
        }
        Ok(Note {
            issuer: fields.public_key("issuer_pubkey")?,
            recipient: fields.public_key("recipient_pubkey")?,
            total_debt: fields.required_u64("amount_collected")?,
            amount_redeemed: fields.optional_u64("amount_redeemed")?.unwrap_or(0),
            timestamp: fields.required_u64("timestamp")?,
            signature: fields.required_array("signature")?,
        })
    }

    /// The note's key in the tracker's and the reserve's trees: blake2b256(issuer ‖ recipient).
    pub fn key(&self) -> [u8; 32] {
        crate::note_key(&self.issuer, &self.recipient)
    }

    /// The 48 bytes the issuer's and the tracker's signatures sign.
    pub fn message(&self) -> [u8; 48] {
        super::schnorr::note_message(
            &self.issuer,
            &self.recipient,
            self.total_debt,
            self.timestamp,
        )
    }
}

/// The tracker's answer to `POST /tracker/signature`: its signature of a note's message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TrackerSignatureAnswer {
    /// `tracker_signature`: a ‖ z.
    pub signature: [u8; SIGNATURE_LENGTH],
    /// `tracker_pubkey`: the key the tracker says it signed with (the chain's word is R4 of its
    /// box).
    pub tracker_key: Option<[u8; PUBLIC_KEY_LENGTH]>,
    /// `message_signed`: the message the tracker says it signed, if given.
    pub message_signed: Option<Vec<u8>>,
    /// `is_emergency`, if given.
    pub emergency: Option<bool>,
}

impl TrackerSignatureAnswer {
    /// Reads the answer from its JSON (enveloped or bare); anything else is
    /// `TRACKER_ANSWER_INVALID`.
    pub fn from_json(json: &[u8]) -> Result<TrackerSignatureAnswer> {
        let fields = Fields::document(json, Document::Answer("tracker signature"))?;
        Ok(TrackerSignatureAnswer {
            signature: fields.required_array("tracker_signature")?,
            tracker_key: fields.optional_public_key("tracker_pubkey")?,
            message_signed: fields.optional_hex("message_signed")?,
            emergency: fields.optional_bool("is_emergency")?,
        })
    }
}

/// The tracker's answer to `GET /tracker/proof`: a lookup proof of a note's key in its tree
/// (`basis_store::generate_tracker_lookup_proof`), for the contract's context variable 8.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TrackerProofAnswer {
    /// `key`: the tree key proved.
    pub key: Vec<u8>,
    /// `value`: the value the tracker says the key has.
    pub value: Vec<u8>,
    /// `proof`: the lookup proof's bytes.
    pub proof: Vec<u8>,
    /// `total_debt`: the debt the tracker says `value` is.
    pub total_debt: u64,
    /// `tracker_state_digest`: the digest of the tracker's tree as it says it is now (not
    /// necessarily committed on chain).
    pub tracker_state_digest: Option<Digest>,
}

impl TrackerProofAnswer {
    /// Reads the answer from its JSON (enveloped or bare); anything else is
    /// `TRACKER_ANSWER_INVALID`.
    pub fn from_json(json: &[u8]) -> Result<TrackerProofAnswer> {
        let fields = Fields::document(json, Document::Answer("tracker proof"))?;
        Ok(TrackerProofAnswer {
            key: fields.required_hex("key")?,
            value: fields.required_hex("value")?,
            proof: fields.required_hex("proof")?,
            total_debt: fields.required_u64("total_debt")?,
            tracker_state_digest: fields.optional_array("tracker_state_digest")?,
        })
    }
}

/// The tracker's answer to `GET /reserve/proof` (`ReserveProofData`): proofs of a note's key in
/// the reserve's tree, for the contract's context variables 7 (lookup) and 5 (insert).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReserveProofAnswer {
    /// `key`: the tree key.
    pub key: Vec<u8>,
    /// `value`: what the tracker says the key holds.
    pub value: Vec<u8>,
    /// `proof`: the lookup proof (null for a first redemption).
    pub proof: Option<Vec<u8>>,
    /// `already_redeemed`, as the tracker says.
    pub already_redeemed: Option<u64>,
    /// `is_first_redemption`, as the tracker says.
    pub is_first_redemption: Option<bool>,
    /// `insert_proof`: the proof of the `insertOrUpdate`.
    pub insert_proof: Option<Vec<u8>>,
    /// `new_reserve_state_digest`, as the tracker says.
    pub new_reserve_state_digest: Option<Digest>,
}

impl ReserveProofAnswer {
    /// Reads the answer from its JSON (enveloped or bare); anything else is
    /// `TRACKER_ANSWER_INVALID`.
    pub fn from_json(json: &[u8]) -> Result<ReserveProofAnswer> {
        let fields = Fields::document(json, Document::Answer("reserve proof"))?;
        Ok(ReserveProofAnswer {
            key: fields.required_hex("key")?,
            value: fields.optional_hex("value")?.unwrap_or_default(),
            proof: fields.optional_hex("proof")?,
            already_redeemed: fields.optional_u64("already_redeemed")?,
            is_first_redemption: fields.optional_bool("is_first_redemption")?,
            insert_proof: fields.optional_hex("insert_proof")?,
            new_reserve_state_digest: fields.optional_array("new_reserve_state_digest")?,
        })
    }

    /// The proof of the key's place in the reserve's tree: the lookup proof, else the insert
    /// proof. A one-key `insertOrUpdate` proof visits the nodes its lookup visits (Ergo's prover
    /// writes the same bytes for both), so either serves `check_redemption` as the lookup, and
    /// neither is trusted: it is verified against the reserve box's R5.
    pub fn lookup_proof(&self) -> Option<&[u8]> {
        self.proof.as_deref().or(self.insert_proof.as_deref())
    }
}

/// The tracker's answer to `GET /tracker/state`: the digests it holds, has had confirmed on
/// chain, and has submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TrackerState {
    /// `local_digest`: its tree's digest now.
    pub local_digest: Digest,
    /// `confirmed_digest`: the digest of its last confirmed commitment, as it says.
    pub confirmed_digest: Option<Digest>,
    /// `confirmed_box_id`.
    pub confirmed_box_id: Option<[u8; 32]>,
    /// `confirmed_height`.
    pub confirmed_height: Option<u64>,
    /// `pending_digest`: the digest of a commitment submitted but not yet confirmed.
    pub pending_digest: Option<Digest>,
    /// `pending_tx_id`.
    pub pending_tx_id: Option<[u8; 32]>,
    /// `pending_submitted_height`.
    pub pending_submitted_height: Option<u64>,
    /// `tracker_box_id`.
    pub tracker_box_id: Option<[u8; 32]>,
}

impl TrackerState {
    /// Reads the answer from its JSON (enveloped or bare); anything else is
    /// `TRACKER_ANSWER_INVALID`.
    pub fn from_json(json: &[u8]) -> Result<TrackerState> {
        let fields = Fields::document(json, Document::Answer("tracker state"))?;
        Ok(TrackerState {
            local_digest: fields.required_array("local_digest")?,
            confirmed_digest: fields.optional_array("confirmed_digest")?,
            confirmed_box_id: fields.optional_array("confirmed_box_id")?,
            confirmed_height: fields.optional_u64("confirmed_height")?,
            pending_digest: fields.optional_array("pending_digest")?,
            pending_tx_id: fields.optional_array("pending_tx_id")?,
            pending_submitted_height: fields.optional_u64("pending_submitted_height")?,
            tracker_box_id: fields.optional_array("tracker_box_id")?,
        })
    }
}

/// What a document is, for its errors.
#[derive(Clone, Copy)]
enum Document {
    Note,
    Answer(&'static str),
}

/// The members of the object that holds a document's fields.
struct Fields<'a> {
    document: Document,
    members: Vec<JsonMember<'a>>,
    /// The offset of the object in the JSON.
    base: u64,
}

impl<'a> Fields<'a> {
    /// The document's fields: the object `json` holds, or its `data` when it is the server's
    /// `ApiResponse` envelope (it has `data`, or `success: false`). An envelope whose `success`
    /// is false is refused with the tracker's `error`.
    fn document(json: &'a [u8], document: Document) -> Result<Fields<'a>> {
        let members = parse_object(json, 0).map_err(|err| not_json(document, err))?;
        let top = Fields {
            document,
            members,
            base: 0,
        };
        let success = top.member("success")?;
        let data = top.member("data")?;
        if let Some(success) = success {
            if success.value == JsonValue::Bool(false) {
                let said = match top.member("error")?.map(|m| m.value) {
                    Some(JsonValue::String(text)) => format!(": \"{text}\""),
                    _ => String::new(),
                };
                return Err(top.error(format!("the tracker answered an error{said}"), 0));
            }
        }
        let Some(data) = data else {
            return Ok(top);
        };
        if let Some(success) = success {
            if success.value != JsonValue::Bool(true) {
                return Err(top.error("\"success\" is not true or false".into(), success.offset));
            }
        }
        let not_object = || top.error("\"data\" is not an object".into(), data.offset);
        if data.value != JsonValue::Composite {
            return Err(not_object());
        }
        let start = usize::try_from(data.offset).map_err(|_| not_object())?;
        let text = json.get(start..).ok_or_else(not_object)?;
        let (members, _) = parse_object_prefix(text, data.offset).map_err(|_| not_object())?;
        Ok(Fields {
            document,
            members,
            base: data.offset,
        })
    }

    fn error(&self, reason: String, offset: u64) -> Error {
        document_error(self.document, reason).at_offset(offset)
    }

    /// The member `name`, refusing one given twice and names with escape sequences (which the
    /// reader cannot compare, so that `"time\u0073tamp"` could hide a member from it).
    fn member(&self, name: &str) -> Result<Option<JsonMember<'a>>> {
        if let Some(escaped) = self.members.iter().find(|m| m.name.is_empty()) {
            return Err(self.error(
                "a member name is empty or has escape sequences".into(),
                escaped.offset,
            ));
        }
        let mut found = self.members.iter().filter(|m| m.name == name);
        let first = found.next().copied();
        if let Some(again) = found.next() {
            return Err(self.error(format!("\"{name}\" is given twice"), again.offset));
        }
        Ok(first)
    }

    /// The member `name`, present and not null.
    fn present(&self, name: &str) -> Result<Option<JsonMember<'a>>> {
        Ok(self.member(name)?.filter(|m| m.value != JsonValue::Null))
    }

    fn missing(&self, name: &str) -> Error {
        self.error(format!("it has no \"{name}\""), self.base)
    }

    fn required(&self, name: &str) -> Result<JsonMember<'a>> {
        self.present(name)?.ok_or_else(|| self.missing(name))
    }

    fn hex(&self, member: JsonMember<'a>, name: &str) -> Result<Vec<u8>> {
        let JsonValue::String(text) = member.value else {
            return Err(self.error(format!("\"{name}\" is not a hex string"), member.offset));
        };
        decode_hex(text).map_err(|err| {
            // The string's first character is one byte past its opening quote.
            let at = member.offset + 1 + err.offset().unwrap_or(0) as u64;
            self.error(format!("\"{name}\" is not hex: {err}"), at)
        })
    }

    fn required_hex(&self, name: &str) -> Result<Vec<u8>> {
        self.hex(self.required(name)?, name)
    }

    fn optional_hex(&self, name: &str) -> Result<Option<Vec<u8>>> {
        self.present(name)?
            .map(|member| self.hex(member, name))
            .transpose()
    }

    fn array<const N: usize>(&self, member: JsonMember<'a>, name: &str) -> Result<[u8; N]> {
        let bytes = self.hex(member, name)?;
        <[u8; N]>::try_from(bytes.as_slice()).map_err(|_| {
            self.error(
                format!("\"{name}\" is {} bytes, not {N}", bytes.len()),
                member.offset,
            )
        })
    }

    fn required_array<const N: usize>(&self, name: &str) -> Result<[u8; N]> {
        self.array(self.required(name)?, name)
    }

    fn optional_array<const N: usize>(&self, name: &str) -> Result<Option<[u8; N]>> {
        self.present(name)?
            .map(|member| self.array(member, name))
            .transpose()
    }

    fn key(&self, member: JsonMember<'a>, name: &str) -> Result<[u8; PUBLIC_KEY_LENGTH]> {
        let key = self.array::<PUBLIC_KEY_LENGTH>(member, name)?;
        match decode_point(&key) {
            Some(_) => Ok(key),
            None => Err(self.error(
                format!("\"{name}\" is not a compressed point of secp256k1"),
                member.offset,
            )),
        }
    }

    fn public_key(&self, name: &str) -> Result<[u8; PUBLIC_KEY_LENGTH]> {
        self.key(self.required(name)?, name)
    }

    fn optional_public_key(&self, name: &str) -> Result<Option<[u8; PUBLIC_KEY_LENGTH]>> {
        self.present(name)?
            .map(|member| self.key(member, name))
            .transpose()
    }

    /// A whole number from 0 to 2^64 − 1, written as a JSON number or a string of digits, read
    /// from its digits (exactly, beyond 2^53).
    fn number(&self, member: JsonMember<'a>, name: &str) -> Result<u64> {
        let digits = match member.value {
            JsonValue::Number(text) | JsonValue::String(text) => text,
            _ => "",
        };
        let valid = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'));
        valid
            .then(|| digits.parse::<u64>().ok())
            .flatten()
            .ok_or_else(|| {
                self.error(
                    format!("\"{name}\" is not a whole number from 0 to 18446744073709551615"),
                    member.offset,
                )
            })
    }

    fn required_u64(&self, name: &str) -> Result<u64> {
        self.number(self.required(name)?, name)
    }

    fn optional_u64(&self, name: &str) -> Result<Option<u64>> {
        self.present(name)?
            .map(|member| self.number(member, name))
            .transpose()
    }

    fn optional_bool(&self, name: &str) -> Result<Option<bool>> {
        match self.present(name)? {
            None => Ok(None),
            Some(JsonMember {
                value: JsonValue::Bool(value),
                ..
            }) => Ok(Some(value)),
            Some(member) => {
                Err(self.error(format!("\"{name}\" is not true or false"), member.offset))
            }
        }
    }
}

fn document_error(document: Document, reason: String) -> Error {
    match document {
        Document::Note => Error::new(ErrorKind::NoteInvalid { reason }),
        Document::Answer(what) => Error::new(ErrorKind::TrackerAnswerInvalid {
            reason: format!("{what}: {reason}"),
        }),
    }
}

/// The JSON reader's `LOG_CORRUPT`, said of the document.
fn not_json(document: Document, err: Error) -> Error {
    let reason = match err.kind() {
        ErrorKind::LogCorrupt { reason } => reason.replacen("line", "the JSON", 1),
        other => other.to_string(),
    };
    document_error(document, format!("not a JSON object: {reason}"))
        .at_offset(err.offset().unwrap_or(0))
}
