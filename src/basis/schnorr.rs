//! The Schnorr signatures of Basis notes over secp256k1, exactly as the reserve contract checks
//! them (basis-tracker `contract/basis.es` lines 313-336 and 358-369, commit fa928f5):
//!
//! - message = blake2b256(issuer 33 ‖ recipient 33) ‖ totalDebt (8 bytes BE) ‖ timestamp (ms,
//!   8 bytes BE): 48 bytes (`basis_core::types::signing_message`);
//! - signature = a (33-byte compressed point) ‖ z (32 bytes BE);
//! - e = blake2b256(a ‖ message ‖ public key), and the signature holds when z·G = a + e·P.
//!
//! The contract reads e and z with `byteArrayToBigInt`, which is signed: with its top bit set
//! either is a negative number there, and the equation no longer holds on chain. A signature is
//! therefore accepted on chain only when the top bits of e and z are clear, which is why the
//! upstream signer (`basis_core::impls::schnorr_sign`) retries until they are, and so does
//! [`sign_note`].

use crate::blake2b::blake2b256;
use crate::error::{Error, Result};
use k256::elliptic_curve::bigint::U256;
use k256::elliptic_curve::ops::Reduce;
use k256::elliptic_curve::sec1::{FromEncodedPoint, ToEncodedPoint};
use k256::elliptic_curve::PrimeField;
use k256::{AffinePoint, EncodedPoint, FieldBytes, ProjectivePoint, Scalar};

/// The length of a note's message: key 32 ‖ totalDebt 8 ‖ timestamp 8.
pub const NOTE_MESSAGE_LENGTH: usize = 48;

/// The length of a signature: a 33 ‖ z 32.
pub const SIGNATURE_LENGTH: usize = 65;

/// The length of a public key: a compressed secp256k1 point.
pub const PUBLIC_KEY_LENGTH: usize = 33;

/// The older message (chaincash's basis.es; basis-tracker's from February to April 2026): key ‖
/// totalDebt, 40 bytes, with no timestamp. The contract no longer accepts it.
const KEY_AND_DEBT_MESSAGE_LENGTH: usize = 40;

/// How many nonces [`sign_note`] tries before it gives up; each is refused with probability
/// about 3/4 (the top bits of e and z), so 256 failures in a row do not happen.
const MAX_NONCE_ATTEMPTS: u32 = 256;

/// The domain of the nonce's hash, so that no other hash of the same bytes is ever a nonce.
const NONCE_DOMAIN: &[u8] = b"basis-trees/note-signature-nonce/v1";

/// What a signature check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SignatureCheck {
    /// z·G = a + e·P holds (with z below the group order and `a` a point of the curve).
    pub valid: bool,
    /// `valid`, and the top bits of e and z are clear: the reserve contract accepts it.
    pub on_chain: bool,
}

/// The 48-byte message a note's signatures sign: blake2b256(issuer ‖ recipient) ‖ totalDebt
/// (8 bytes BE) ‖ timestamp in milliseconds (8 bytes BE).
///
/// The keys are taken as given (33 bytes each); they are checked to be points where a signature
/// is verified, not here.
///
/// ```
/// use basis_trees::{note_message, to_hex};
/// let issuer = [2u8; 33];
/// let recipient = [3u8; 33];
/// let message = note_message(&issuer, &recipient, 1_000, 1_743_379_200_000);
/// assert_eq!(message.len(), 48);
/// assert_eq!(to_hex(&message[32..]), "00000000000003e800000195e97f7800");
/// ```
pub fn note_message(
    issuer: &[u8; PUBLIC_KEY_LENGTH],
    recipient: &[u8; PUBLIC_KEY_LENGTH],
    total_debt: u64,
    timestamp: u64,
) -> [u8; NOTE_MESSAGE_LENGTH] {
    let key = crate::note_key(issuer, recipient);
    let mut message = [0u8; NOTE_MESSAGE_LENGTH];
    let (head, tail) = message.split_at_mut(32);
    head.copy_from_slice(&key);
    let (debt, time) = tail.split_at_mut(8);
    debt.copy_from_slice(&total_debt.to_be_bytes());
    time.copy_from_slice(&timestamp.to_be_bytes());
    message
}

/// A compressed point's bytes as a point of the curve, or `None` when they are not one (a prefix
/// other than 0x02 / 0x03, which includes the point at infinity sigmastate writes as 33 zero
/// bytes, or an x with no point on the curve).
pub(crate) fn decode_point(bytes: &[u8; PUBLIC_KEY_LENGTH]) -> Option<AffinePoint> {
    if !matches!(bytes[0], 0x02 | 0x03) {
        return None;
    }
    let encoded = EncodedPoint::from_bytes(bytes).ok()?;
    Option::from(AffinePoint::from_encoded_point(&encoded))
}

/// A public key argument: 33 bytes that are a point of the curve, else `INVALID_ARGUMENT`.
pub(crate) fn public_key_point(argument: &str, bytes: &[u8]) -> Result<AffinePoint> {
    let Ok(array) = <[u8; PUBLIC_KEY_LENGTH]>::try_from(bytes) else {
        return Err(Error::invalid_argument(
            argument,
            format!(
                "must be a 33-byte compressed secp256k1 public key, not {} bytes",
                bytes.len()
            ),
        ));
    };
    decode_point(&array).ok_or_else(|| {
        let problem = match array[0] {
            0x00 if array.iter().all(|&b| b == 0) => {
                "is the point at infinity (33 zero bytes), which is nobody's key".to_string()
            }
            0x02 | 0x03 => "is not a point of secp256k1: no point has that x".to_string(),
            prefix => format!(
                "must be a compressed point (first byte 0x02 or 0x03), not one starting 0x{prefix:02x}"
            ),
        };
        Error::invalid_argument(argument, problem)
    })
}

/// A public key argument as its 33 bytes, checked to be a point as [`public_key_point`] does.
pub fn public_key_argument(argument: &str, bytes: &[u8]) -> Result<[u8; PUBLIC_KEY_LENGTH]> {
    public_key_point(argument, bytes)?;
    <[u8; PUBLIC_KEY_LENGTH]>::try_from(bytes)
        .map_err(|_| Error::invalid_argument(argument, "must be 33 bytes"))
}

/// The message argument: the 48 bytes of [`note_message`]. The older 40-byte message (key ‖
/// totalDebt, before the timestamp) is named and refused.
fn message_bytes(message: &[u8]) -> Result<&[u8; NOTE_MESSAGE_LENGTH]> {
    <&[u8; NOTE_MESSAGE_LENGTH]>::try_from(message).map_err(|_| {
        let problem = match message.len() {
            KEY_AND_DEBT_MESSAGE_LENGTH => "is 40 bytes: the older key ‖ totalDebt message, \
                 without the timestamp, which the reserve contract no longer accepts; sign and \
                 verify key ‖ totalDebt ‖ timestamp (48 bytes)"
                .to_string(),
            length => format!(
                "must be the 48-byte note message (key ‖ totalDebt ‖ timestamp), not {length} bytes"
            ),
        };
        Error::invalid_argument("message", problem)
    })
}

/// e = blake2b256(a ‖ message ‖ public key), as its 32 bytes.
fn challenge(a: &[u8], message: &[u8], public_key: &[u8]) -> [u8; 32] {
    blake2b256(&[a, message, public_key])
}

/// Bytes as a scalar, reduced modulo the group order.
fn reduced(bytes: &[u8; 32]) -> Scalar {
    <Scalar as Reduce<U256>>::reduce_bytes(FieldBytes::from_slice(bytes))
}

fn top_bit_clear(bytes: &[u8; 32]) -> bool {
    bytes[0] & 0x80 == 0
}

/// Checks `signature` (a ‖ z, 65 bytes) by `public_key` (33 bytes) over `message` (the 48 bytes
/// of [`note_message`]).
///
/// A public key that is not a point of the curve (including the point at infinity), a signature
/// that is not 65 bytes or a message that is not 48 bytes is `INVALID_ARGUMENT`: the caller's
/// mistake, not a signature that fails. A signature whose `a` is not a point, or whose z is not
/// below the group order, is `valid: false`.
///
/// ```
/// use basis_trees::{from_hex, verify_signature};
/// # fn main() -> Result<(), basis_trees::Error> {
/// // basis-tracker crates/basis_store/src/schnorr_test_vectors.rs, TV001.
/// let key = from_hex("0284bf7562262bbd6940085748f3be6afa52ae317155181ece31b66351ccffa4b0")?;
/// let message = from_hex("07b67390866bedf6c19b3fab1e29993ea6878e0d0dd0577ac6b6368c96a1220b000000003b9aca0000000195e97f7800")?;
/// let signature = from_hex("0389ec7df5ff00fcdf83f41ad41ef1813cfd64a87b6c7f219bcd1ecfae9b82a1041af95c9171d4ad63e29513701cdeb5cc9f45798276947c8a8b361dae0f94ab93")?;
/// let check = verify_signature(&key, &message, &signature)?;
/// assert!(check.valid && check.on_chain);
/// # Ok(())
/// # }
/// ```
pub fn verify_signature(
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<SignatureCheck> {
    let point = public_key_point("publicKey", public_key)?;
    let message = message_bytes(message)?;
    let Ok(signature) = <&[u8; SIGNATURE_LENGTH]>::try_from(signature) else {
        return Err(Error::invalid_argument(
            "signature",
            format!(
                "must be 65 bytes (a 33 ‖ z 32), not {} bytes",
                signature.len()
            ),
        ));
    };
    let (a_bytes, z_bytes) = signature.split_at(PUBLIC_KEY_LENGTH);
    let refused = SignatureCheck {
        valid: false,
        on_chain: false,
    };
    let (Ok(a_bytes), Ok(z_bytes)) = (
        <&[u8; PUBLIC_KEY_LENGTH]>::try_from(a_bytes),
        <&[u8; 32]>::try_from(z_bytes),
    ) else {
        return Ok(refused);
    };
    let Some(a) = decode_point(a_bytes) else {
        return Ok(refused);
    };
    let Some(z) = Option::<Scalar>::from(Scalar::from_repr(*FieldBytes::from_slice(z_bytes)))
    else {
        return Ok(refused);
    };
    let e_bytes = challenge(a_bytes, message, public_key);
    let e = reduced(&e_bytes);
    let valid = ProjectivePoint::GENERATOR * z == ProjectivePoint::from(a) + point * e;
    Ok(SignatureCheck {
        valid,
        on_chain: valid && top_bit_clear(&e_bytes) && top_bit_clear(z_bytes),
    })
}

/// The secret key argument as a scalar: 32 bytes, big-endian, from 1 to the group order − 1.
fn secret_scalar(secret_key: &[u8]) -> Result<Scalar> {
    let Ok(bytes) = <&[u8; 32]>::try_from(secret_key) else {
        return Err(Error::invalid_argument(
            "secretKey",
            format!("must be 32 bytes, not {} bytes", secret_key.len()),
        ));
    };
    let scalar = Option::<Scalar>::from(Scalar::from_repr(*FieldBytes::from_slice(bytes)))
        .filter(|scalar| !bool::from(scalar.is_zero()));
    scalar.ok_or_else(|| {
        Error::invalid_argument(
            "secretKey",
            "must be a number from 1 to the secp256k1 group order − 1",
        )
    })
}

fn compressed(point: &ProjectivePoint) -> Option<[u8; PUBLIC_KEY_LENGTH]> {
    <[u8; PUBLIC_KEY_LENGTH]>::try_from(point.to_affine().to_encoded_point(true).as_bytes()).ok()
}

/// The compressed public key (33 bytes) of a 32-byte secret key; a secret of zero or not below
/// the group order is `INVALID_ARGUMENT`.
pub fn public_key(secret_key: &[u8]) -> Result<[u8; PUBLIC_KEY_LENGTH]> {
    let secret = secret_scalar(secret_key)?;
    // A non-zero scalar times the generator is never the point at infinity.
    compressed(&(ProjectivePoint::GENERATOR * secret))
        .ok_or_else(|| Error::invalid_argument("secretKey", "has no public key"))
}

/// Signs a note's 48-byte `message` with `secret_key`, as the contract accepts it: the returned
/// signature a ‖ z has the top bits of e and z clear (its [`verify_signature`] is `valid` and
/// `on_chain`).
///
/// `entropy` is 32 bytes of fresh randomness from the platform (in the npm package, the
/// browser's or Node's `crypto.getRandomValues`). The nonce is derived from it *hedged*:
/// k = blake2b256(domain ‖ secret ‖ entropy ‖ counter ‖ message length ‖ message) mod n, the
/// counter counting the attempts refused by the top-bit rule. Good entropy makes k random; weak
/// or repeated entropy still gives a different k for every secret and message, so a nonce is
/// never reused for two messages (which would reveal the secret). Nothing is kept of the secret.
///
/// ```
/// use basis_trees::{note_message, public_key, sign_note, verify_signature};
/// # fn main() -> Result<(), basis_trees::Error> {
/// let secret = [7u8; 32];
/// let issuer = public_key(&secret)?;
/// let message = note_message(&issuer, &[2; 33], 5_000, 1_743_379_200_000);
/// let signature = sign_note(&secret, &message, &[42; 32])?;
/// let check = verify_signature(&issuer, &message, &signature)?;
/// assert!(check.valid && check.on_chain);
/// # Ok(())
/// # }
/// ```
pub fn sign_note(
    secret_key: &[u8],
    message: &[u8],
    entropy: &[u8; 32],
) -> Result<[u8; SIGNATURE_LENGTH]> {
    let secret = secret_scalar(secret_key)?;
    let message = message_bytes(message)?;
    let public = compressed(&(ProjectivePoint::GENERATOR * secret))
        .ok_or_else(|| Error::invalid_argument("secretKey", "has no public key"))?;
    let secret_bytes: [u8; 32] = secret.to_repr().into();
    let length = (message.len() as u64).to_be_bytes();
    for attempt in 0..MAX_NONCE_ATTEMPTS {
        let counter = attempt.to_be_bytes();
        let nonce = reduced(&blake2b256(&[
            NONCE_DOMAIN,
            &secret_bytes,
            entropy,
            &counter,
            &length,
            message,
        ]));
        if bool::from(nonce.is_zero()) {
            continue;
        }
        let Some(a) = compressed(&(ProjectivePoint::GENERATOR * nonce)) else {
            continue;
        };
        let e_bytes = challenge(&a, message, &public);
        if !top_bit_clear(&e_bytes) {
            continue;
        }
        let z: [u8; 32] = (nonce + reduced(&e_bytes) * secret).to_repr().into();
        if !top_bit_clear(&z) {
            continue;
        }
        let mut signature = [0u8; SIGNATURE_LENGTH];
        let (a_part, z_part) = signature.split_at_mut(PUBLIC_KEY_LENGTH);
        a_part.copy_from_slice(&a);
        z_part.copy_from_slice(&z);
        return Ok(signature);
    }
    Err(Error::invalid_argument(
        "entropy",
        "gave no nonce the contract accepts in 256 attempts",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_bit_rule_is_what_refuses_a_signature_on_chain() {
        // A signature made without the rule: z = k + e·x for the first k, whatever the bits.
        let secret = Scalar::from(12345u64);
        let public = compressed(&(ProjectivePoint::GENERATOR * secret)).unwrap();
        let mut seen_refused = false;
        for k in 1u64..200 {
            let nonce = Scalar::from(k);
            let a = compressed(&(ProjectivePoint::GENERATOR * nonce)).unwrap();
            let message = note_message(&public, &public, k, k);
            let e = challenge(&a, &message, &public);
            let z: [u8; 32] = (nonce + reduced(&e) * secret).to_repr().into();
            let mut signature = a.to_vec();
            signature.extend_from_slice(&z);
            let check = verify_signature(&public, &message, &signature).unwrap();
            assert!(check.valid);
            assert_eq!(check.on_chain, top_bit_clear(&e) && top_bit_clear(&z));
            seen_refused |= !check.on_chain;
        }
        assert!(seen_refused);
    }
}
