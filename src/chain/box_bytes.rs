//! A box's bytes — those its id is the blake2b256 of — split into its fields by the bytes
//! themselves, as Ergo reads them: sigmastate `ErgoBoxCandidate.serializer` then the transaction
//! id and index (`ErgoBox.sigmaSerializer`), sigma-rust `ErgoBox::sigma_parse`.
//!
//! The value (VLQ), the ErgoTree, the creation height (VLQ), the number of tokens (one byte) and
//! each token's 32-byte id and amount (VLQ), the number of registers from R4 on (one byte) and
//! each register's constant, the 32-byte id of the transaction that created the box, and its
//! index in that transaction's outputs (VLQ).
//!
//! A field's end is found from its own bytes: the ErgoTree's from its header (the size bit's
//! length, or a single constant after a header of 0), a register's from its type. A parse that
//! needs more — an ErgoTree whose end only a full ErgoTree parser finds, a type whose values are
//! not delimited here — is [`BoxFailure::Unverified`], never a guess: the id of bytes that could
//! split another way binds none of their fields.

use super::box_json::box_invalid;
use super::sigma_constant::{read_constant, ConstantFailure, Unsupported};
use super::sigma_reader::{put_vlq, SigmaReader};
use super::unverified_box_id::UnverifiedBoxId;
use crate::error::{Error, ErrorKind};

/// The most bytes a box's body (all but its transaction id and index) may have: sigmastate
/// reads a box with `positionLimit = position + ErgoBox.MaxBoxSize`, 4096.
pub(crate) const MAX_BOX_SIZE: usize = 4096;

/// A token amount or box value: at least 1, at most `i64::MAX` (sigma-rust `TokenAmount`,
/// `BoxValue`; sigmastate holds them in a `Long`).
pub(crate) const MAX_AMOUNT: u64 = i64::MAX as u64;

/// ErgoTree header bits: the version, the size bit, constant segregation; the others are not
/// known here.
const TREE_VERSION: u8 = 0x07;
const TREE_HAS_SIZE: u8 = 0x08;
const TREE_SEGREGATED: u8 = 0x10;
const TREE_UNKNOWN: u8 = 0xe0;

/// Why a box's bytes were not split into fields.
#[derive(Debug, Clone)]
pub(crate) enum BoxFailure {
    /// No Ergo box has these bytes: `BOX_INVALID` (or `REGISTER_INVALID`) at the offending
    /// byte.
    Invalid(Error),
    /// They may be a box's, but its fields cannot be delimited here.
    Unverified(UnverifiedBoxId),
}

impl From<Error> for BoxFailure {
    fn from(err: Error) -> BoxFailure {
        BoxFailure::Invalid(as_box_invalid(err, "the box"))
    }
}

/// A reader's `REGISTER_INVALID` said of a field of a box: `BOX_INVALID` at the same offset.
pub(crate) fn as_box_invalid(err: Error, field: &str) -> Error {
    match err.kind() {
        ErrorKind::RegisterInvalid { reason, .. } => {
            box_invalid(&format!("{field}: {reason}"), err.offset().unwrap_or(0))
        }
        _ => err,
    }
}

/// A token a box holds: its 32-byte id and its amount.
pub(crate) type Token = ([u8; 32], u64);

/// A box's fields, each as its bytes hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BoxFields<'a> {
    pub(crate) value: u64,
    pub(crate) ergo_tree: &'a [u8],
    pub(crate) creation_height: u32,
    pub(crate) tokens: Vec<Token>,
    /// R4, R5, … in order, each a whole serialized constant.
    pub(crate) registers: Vec<&'a [u8]>,
    pub(crate) transaction_id: [u8; 32],
    pub(crate) index: u16,
}

impl<'a> BoxFields<'a> {
    /// The box's bytes, as sigma-rust's `ErgoBox::sigma_serialize` writes them (VLQ numbers at
    /// their minimal length; the tree and registers as given).
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            48 + self.ergo_tree.len()
                + 42 * self.tokens.len()
                + self.registers.iter().map(|r| r.len()).sum::<usize>(),
        );
        put_vlq(&mut out, self.value);
        out.extend_from_slice(self.ergo_tree);
        put_vlq(&mut out, u64::from(self.creation_height));
        // At most 255, as parsed or as the JSON reader checks.
        out.push(self.tokens.len().min(255) as u8);
        for (id, amount) in &self.tokens {
            out.extend_from_slice(id);
            put_vlq(&mut out, *amount);
        }
        out.push(self.registers.len().min(6) as u8);
        for register in &self.registers {
            out.extend_from_slice(register);
        }
        out.extend_from_slice(&self.transaction_id);
        put_vlq(&mut out, u64::from(self.index));
        out
    }

    /// Splits a box's bytes into its fields, refusing what no Ergo box holds (a value or token
    /// amount of 0, an empty ErgoTree, more than six registers, a body over 4096 bytes, bytes
    /// after the index). Never panics.
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<BoxFields<'a>, BoxFailure> {
        let mut reader = SigmaReader::new(bytes);
        let value = amount(&mut reader, "value")?;
        let tree_start = reader.position();
        read_ergo_tree(&mut reader)?;
        let ergo_tree = bytes.get(tree_start..reader.position()).unwrap_or_default();
        let creation_height = reader.vlq_u32("creation height")?;
        let count = reader.u8("token count")?;
        let mut tokens = Vec::with_capacity(usize::from(count));
        for _ in 0..count {
            let id = reader.array::<32>("token id")?;
            tokens.push((id, amount(&mut reader, "token amount")?));
        }
        let count_at = reader.position();
        let count = reader.u8("register count")?;
        if count > 6 {
            return Err(BoxFailure::Invalid(box_invalid(
                &format!("{count} registers: a box has at most six (R4 to R9)"),
                count_at as u64,
            )));
        }
        let mut registers = Vec::with_capacity(usize::from(count));
        for number in 4..4 + count {
            let start = reader.position();
            read_register(&mut reader, number)?;
            registers.push(bytes.get(start..reader.position()).unwrap_or_default());
        }
        if reader.position() > MAX_BOX_SIZE {
            return Err(BoxFailure::Invalid(box_invalid(
                &format!(
                    "the box is {} bytes before its transaction id, more than the {MAX_BOX_SIZE} \
                     an Ergo box can be",
                    reader.position()
                ),
                MAX_BOX_SIZE as u64,
            )));
        }
        let transaction_id = reader.array::<32>("transaction id")?;
        let index = reader.vlq_at_most("index", u64::from(u16::MAX))? as u16;
        reader.finish()?;
        Ok(BoxFields {
            value,
            ergo_tree,
            creation_height,
            tokens,
            registers,
            transaction_id,
            index,
        })
    }
}

/// A value or token amount: a VLQ number from 1 to `i64::MAX`.
fn amount(reader: &mut SigmaReader<'_>, what: &'static str) -> Result<u64, BoxFailure> {
    let start = reader.position() as u64;
    let value = reader.vlq_u64(what)?;
    match value {
        1..=MAX_AMOUNT => Ok(value),
        _ => Err(BoxFailure::Invalid(box_invalid(
            &format!("the {what} is {value}, not from 1 to {MAX_AMOUNT}"),
            start,
        ))),
    }
}

/// Reads register R`number`'s constant at the reader's position.
pub(crate) fn read_register(reader: &mut SigmaReader<'_>, number: u8) -> Result<(), BoxFailure> {
    read_constant(reader).map_err(|failure| match failure {
        ConstantFailure::Invalid(err) => BoxFailure::Invalid(
            Error::new(ErrorKind::RegisterInvalid {
                register: REGISTER_NAMES
                    .get(usize::from(number.saturating_sub(4)))
                    .copied(),
                reason: match err.kind() {
                    ErrorKind::RegisterInvalid { reason, .. } => reason.clone(),
                    _ => return BoxFailure::Invalid(err),
                },
            })
            .at_offset(err.offset().unwrap_or(0)),
        ),
        ConstantFailure::Unsupported(unsupported) => BoxFailure::Unverified(match unsupported {
            Unsupported::Type { code } => UnverifiedBoxId::RegisterType {
                register: number,
                type_code: code,
            },
            Unsupported::Expression { op_code } => UnverifiedBoxId::RegisterExpression {
                register: number,
                op_code,
            },
            Unsupported::TooDeep => UnverifiedBoxId::RegisterTooDeep { register: number },
        }),
    })
}

/// The registers' names, R4 first.
pub(crate) const REGISTER_NAMES: [&str; 6] = ["R4", "R5", "R6", "R7", "R8", "R9"];

/// Reads an ErgoTree at the reader's position, finding its end from its header: with the size
/// bit (0x08), the VLQ size and exactly that many bytes (sigmastate
/// `ErgoTreeSerializer.deserializeHeaderAndSize`); with a header of 0, one constant — the P2PK
/// form `00 08 cd` + a 33-byte key among them. Other trees are
/// [`UnverifiedBoxId::TreeUndelimited`].
pub(crate) fn read_ergo_tree(reader: &mut SigmaReader<'_>) -> Result<(), BoxFailure> {
    let start = reader.position() as u64;
    let Some(header) = reader.peek() else {
        return Err(BoxFailure::Invalid(box_invalid(
            "the ErgoTree is empty: every box has one",
            start,
        )));
    };
    reader.u8("ErgoTree header")?;
    if header & TREE_UNKNOWN != 0 {
        return Err(BoxFailure::Unverified(UnverifiedBoxId::TreeHeader {
            header,
        }));
    }
    if header & TREE_HAS_SIZE != 0 {
        let size = reader
            .vlq_u32("ErgoTree size")
            .map_err(|e| as_box_invalid(e, "the ErgoTree"))?;
        reader
            .skip(size as usize, "ErgoTree (its header's size)")
            .map_err(|e| as_box_invalid(e, "the ErgoTree"))?;
        return Ok(());
    }
    if header & TREE_VERSION != 0 {
        return Err(BoxFailure::Invalid(box_invalid(
            &format!(
                "the ErgoTree's header 0x{header:02x} is of version {} without the size bit \
                 (0x08), which every tree after version 0 has",
                header & TREE_VERSION
            ),
            start,
        )));
    }
    if header & TREE_SEGREGATED != 0 {
        return Err(BoxFailure::Unverified(UnverifiedBoxId::TreeUndelimited {
            header,
        }));
    }
    match read_constant(reader) {
        Ok(()) => Ok(()),
        Err(ConstantFailure::Unsupported(_)) => {
            Err(BoxFailure::Unverified(UnverifiedBoxId::TreeUndelimited {
                header,
            }))
        }
        Err(ConstantFailure::Invalid(err)) => {
            Err(BoxFailure::Invalid(as_box_invalid(err, "the ErgoTree")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blake2b::blake2b256;
    use crate::chain::box_json::{BoxJson, ComputedId};
    use crate::hex::to_hex;
    use proptest::prelude::*;

    /// A small deterministic generator, seeded by proptest.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }

        fn bytes(&mut self, count: usize) -> Vec<u8> {
            (0..count).map(|_| self.next() as u8).collect()
        }

        fn vlq(&mut self, out: &mut Vec<u8>, max: u64) {
            let value = match self.below(3) {
                0 => self.below(128),
                _ => self.next() % max.saturating_add(1).max(1),
            };
            put_vlq(out, value.min(max));
        }
    }

    /// A Sigma type, for generating constants.
    #[derive(Clone, Debug)]
    enum Gen {
        Primitive(u8),
        Unit,
        AvlTree,
        Coll(Box<Gen>),
        Option(Box<Gen>),
        Tuple(Vec<Gen>),
    }

    fn any_type(rng: &mut Rng, depth: u32) -> Gen {
        let pick = if depth >= 3 {
            rng.below(3)
        } else {
            rng.below(7)
        };
        match pick {
            0 => Gen::Primitive(1 + rng.below(8) as u8),
            1 => Gen::Unit,
            2 => Gen::AvlTree,
            3 | 4 => Gen::Coll(Box::new(any_type(rng, depth + 1))),
            5 => Gen::Option(Box::new(any_type(rng, depth + 1))),
            _ => {
                let count = 2 + rng.below(4) as usize;
                Gen::Tuple((0..count).map(|_| any_type(rng, depth + 1)).collect())
            }
        }
    }

    /// The type's bytes, in each encoding sigmastate reads (the short codes, and the generic
    /// constructor followed by the type).
    fn put_type(rng: &mut Rng, out: &mut Vec<u8>, t: &Gen) {
        let short = rng.below(4) != 0;
        match t {
            Gen::Primitive(p) => out.push(*p),
            Gen::Unit => out.push(98),
            Gen::AvlTree => out.push(100),
            Gen::Coll(e) | Gen::Option(e) => {
                let base = if matches!(t, Gen::Coll(_)) { 12 } else { 36 };
                match (&**e, short) {
                    (Gen::Primitive(p), true) => out.push(base + p),
                    (Gen::Coll(inner), true) if matches!(&**inner, Gen::Primitive(_)) => {
                        let Gen::Primitive(p) = &**inner else {
                            unreachable!()
                        };
                        out.push(base + 12 + p);
                    }
                    _ => {
                        out.push(base);
                        put_type(rng, out, e);
                    }
                }
            }
            Gen::Tuple(items) => match (items.as_slice(), short) {
                ([Gen::Primitive(a), Gen::Primitive(b)], true) if a == b => out.push(84 + a),
                ([Gen::Primitive(a), b], true) => {
                    out.push(60 + a);
                    put_type(rng, out, b);
                }
                ([a, Gen::Primitive(b)], true) => {
                    out.push(72 + b);
                    put_type(rng, out, a);
                }
                ([a, b], _) => {
                    out.push(60);
                    put_type(rng, out, a);
                    put_type(rng, out, b);
                }
                ([_, _, _], true) => {
                    out.push(72);
                    items.iter().for_each(|i| put_type(rng, out, i));
                }
                ([_, _, _, _], true) => {
                    out.push(84);
                    items.iter().for_each(|i| put_type(rng, out, i));
                }
                _ => {
                    out.push(96);
                    out.push(items.len() as u8);
                    items.iter().for_each(|i| put_type(rng, out, i));
                }
            },
        }
    }

    fn put_sigma_boolean(rng: &mut Rng, out: &mut Vec<u8>, depth: u32) {
        match if depth >= 2 {
            rng.below(3)
        } else {
            rng.below(6)
        } {
            0 => {
                out.push(0xcd);
                out.extend(rng.bytes(33));
            }
            1 => {
                out.push(0xce);
                out.extend(rng.bytes(132));
            }
            2 => out.push(0xd2 + rng.below(2) as u8),
            code => {
                out.push([0x96, 0x97, 0x98][code as usize - 3]);
                let count = rng.below(3);
                if code == 5 {
                    put_vlq(out, rng.below(count + 1));
                }
                put_vlq(out, count);
                for _ in 0..count {
                    put_sigma_boolean(rng, out, depth + 1);
                }
            }
        }
    }

    fn put_value(rng: &mut Rng, out: &mut Vec<u8>, t: &Gen) {
        match t {
            Gen::Primitive(1 | 2) => out.push(rng.next() as u8),
            Gen::Primitive(3..=5) => rng.vlq(out, u64::MAX),
            Gen::Primitive(6) => {
                let length = 1 + rng.below(32) as usize;
                put_vlq(out, length as u64);
                out.extend(rng.bytes(length));
            }
            Gen::Primitive(7) => {
                out.push(2 + rng.below(2) as u8);
                out.extend(rng.bytes(32));
            }
            Gen::Primitive(_) => put_sigma_boolean(rng, out, 0),
            Gen::Unit => {}
            Gen::AvlTree => {
                out.extend(rng.bytes(34));
                rng.vlq(out, u64::from(u32::MAX));
                match rng.below(2) {
                    0 => out.push(0),
                    _ => {
                        out.push(1);
                        rng.vlq(out, u64::from(u32::MAX));
                    }
                }
            }
            Gen::Coll(e) => {
                let length = rng.below(4);
                put_vlq(out, length);
                match &**e {
                    Gen::Primitive(1) => out.extend(rng.bytes(length.div_ceil(8) as usize)),
                    _ => (0..length).for_each(|_| put_value(rng, out, e)),
                }
            }
            Gen::Option(e) => match rng.below(2) {
                0 => out.push(0),
                _ => {
                    out.push(1);
                    put_value(rng, out, e);
                }
            },
            Gen::Tuple(items) => items.iter().for_each(|i| put_value(rng, out, i)),
        }
    }

    fn any_constant(rng: &mut Rng) -> Vec<u8> {
        let t = any_type(rng, 0);
        let mut out = Vec::new();
        put_type(rng, &mut out, &t);
        put_value(rng, &mut out, &t);
        out
    }

    fn any_tree(rng: &mut Rng) -> Vec<u8> {
        match rng.below(2) {
            0 => [
                &[0x00, 0x08, 0xcd, 2 + rng.below(2) as u8][..],
                &rng.bytes(32),
            ]
            .concat(),
            _ => {
                let header = 0x08 | (rng.below(8) as u8) | (0x10 * rng.below(2) as u8);
                let length = rng.below(48) as usize;
                let body = rng.bytes(length);
                let mut tree = vec![header];
                put_vlq(&mut tree, body.len() as u64);
                tree.extend(body);
                tree
            }
        }
    }

    /// A box's parts: its tree and registers owned, the rest in place.
    struct Generated {
        value: u64,
        tree: Vec<u8>,
        height: u32,
        tokens: Vec<Token>,
        registers: Vec<Vec<u8>>,
        transaction_id: [u8; 32],
        index: u16,
    }

    impl Generated {
        fn new(seed: u64) -> Generated {
            let mut rng = Rng(seed);
            let amount = |rng: &mut Rng| 1 + rng.below(MAX_AMOUNT);
            let token_count = rng.below(5);
            let register_count = rng.below(7);
            Generated {
                value: amount(&mut rng),
                tree: any_tree(&mut rng),
                height: rng.next() as u32,
                tokens: (0..token_count)
                    .map(|_| {
                        let mut id = [0; 32];
                        id.copy_from_slice(&rng.bytes(32));
                        (id, amount(&mut rng))
                    })
                    .collect(),
                registers: (0..register_count)
                    .map(|_| any_constant(&mut rng))
                    .collect(),
                transaction_id: {
                    let mut id = [0; 32];
                    id.copy_from_slice(&rng.bytes(32));
                    id
                },
                index: rng.next() as u16,
            }
        }

        fn fields(&self) -> BoxFields<'_> {
            BoxFields {
                value: self.value,
                ergo_tree: &self.tree,
                creation_height: self.height,
                tokens: self.tokens.clone(),
                registers: self.registers.iter().map(Vec::as_slice).collect(),
                transaction_id: self.transaction_id,
                index: self.index,
            }
        }

        /// The box as the node API writes it.
        fn json(&self) -> String {
            let tokens: Vec<String> = self
                .tokens
                .iter()
                .map(|(id, amount)| {
                    format!(r#"{{"tokenId": "{}", "amount": {amount}}}"#, to_hex(id))
                })
                .collect();
            let registers: Vec<String> = self
                .registers
                .iter()
                .zip(REGISTER_NAMES)
                .map(|(bytes, name)| format!(r#""{name}": "{}""#, to_hex(bytes)))
                .collect();
            format!(
                r#"{{"value": {}, "ergoTree": "{}", "creationHeight": {}, "assets": [{}],
                "additionalRegisters": {{{}}}, "transactionId": "{}", "index": {}}}"#,
                self.value,
                to_hex(&self.tree),
                self.height,
                tokens.join(", "),
                registers.join(", "),
                to_hex(&self.transaction_id),
                self.index
            )
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Every box's bytes split back into its fields and no others: parse ∘ serialise is the
        /// identity, no proper prefix parses as a box, and its JSON's id is verified as the hash
        /// of those bytes.
        #[test]
        fn a_box_parses_one_way(seed in any::<u64>()) {
            let generated = Generated::new(seed);
            let fields = generated.fields();
            let bytes = fields.to_bytes();
            prop_assume!(bytes.len() - 32 - 3 <= MAX_BOX_SIZE);
            let parsed = BoxFields::parse(&bytes).unwrap();
            prop_assert_eq!(&parsed, &fields);
            prop_assert_eq!(parsed.to_bytes(), bytes.clone());
            for length in 0..bytes.len() {
                prop_assert!(BoxFields::parse(&bytes[..length]).is_err(), "prefix {}", length);
            }
            let json = generated.json();
            let id = BoxJson::parse(json.as_bytes()).unwrap().computed_id().unwrap();
            prop_assert_eq!(id, ComputedId::Verified(blake2b256(&[&bytes])));
        }

        /// Whatever the bytes, parsing ends in a box, a refusal pointing inside them, or an
        /// unverified box — never a panic.
        #[test]
        fn no_bytes_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            match BoxFields::parse(&bytes) {
                Ok(parsed) => prop_assert_eq!(parsed.to_bytes().len() <= bytes.len(), true),
                Err(BoxFailure::Invalid(err)) => {
                    prop_assert!(err.offset().unwrap() <= bytes.len() as u64)
                }
                Err(BoxFailure::Unverified(_)) => {}
            }
        }
    }

    #[test]
    fn refuses_what_no_box_holds() {
        let generated = Generated::new(7);
        let mut fields = generated.fields();
        fields.value = 0;
        let Err(BoxFailure::Invalid(err)) = BoxFields::parse(&fields.to_bytes()) else {
            panic!("a value of 0 parsed");
        };
        assert!(err.to_string().contains("value is 0"), "{err}");
        let mut fields = generated.fields();
        fields.ergo_tree = &[];
        assert!(BoxFields::parse(&fields.to_bytes()).is_err());
        let mut fields = generated.fields();
        fields.tokens = vec![([1; 32], 0)];
        let Err(BoxFailure::Invalid(err)) = BoxFields::parse(&fields.to_bytes()) else {
            panic!("a token amount of 0 parsed");
        };
        assert!(err.to_string().contains("token amount is 0"), "{err}");
    }

    #[test]
    fn deep_nesting_is_unverified_not_a_stack_overflow() {
        // Option[Option[…[Byte]…]] 2000 deep, and AND(AND(…)) 1000 deep.
        let mut deep_type = vec![36u8; 2000];
        deep_type.push(2);
        let mut and = vec![0x08];
        for _ in 0..1000 {
            and.extend([0x96, 0x01]);
        }
        and.push(0xd3);
        for register in [deep_type, and] {
            let mut reader = SigmaReader::new(&register);
            assert!(matches!(
                read_register(&mut reader, 4),
                Err(BoxFailure::Unverified(UnverifiedBoxId::RegisterTooDeep {
                    register: 4
                }))
            ));
        }
    }
}
