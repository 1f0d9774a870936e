//! The shape of a tree: key length and, for fixed-length trees, value length.

use crate::error::{Error, ErrorKind, Result};
use std::fmt;

/// The longest key a tree accepts. Keys are hashed into every label on a path, so this bounds
/// the work one operation can ask for; Basis keys are 32 bytes.
pub const MAX_KEY_LENGTH: usize = 1024;

/// The longest value a tree accepts (the proof format stores value lengths as u32; this keeps a
/// single hostile value from exhausting a wasm instance's memory).
pub const MAX_VALUE_LENGTH: usize = 16 * 1024 * 1024;

/// Key length and optional fixed value length. The Basis tracker's tree is
/// [`TreeShape::BASIS_TRACKER`]: 32-byte keys, values of any length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TreeShape {
    /// Length of every key, in bytes (1 to [`MAX_KEY_LENGTH`]).
    pub key_length: usize,
    /// Length of every value when fixed; `None` for values of any length.
    pub value_length: Option<usize>,
}

impl TreeShape {
    /// The Basis tracker's tree: blake2b256 keys, variable-length values.
    pub const BASIS_TRACKER: TreeShape = TreeShape {
        key_length: 32,
        value_length: None,
    };

    /// A shape, checked: the key length must be 1 to [`MAX_KEY_LENGTH`] and a fixed value length
    /// at most [`MAX_VALUE_LENGTH`].
    pub fn new(key_length: usize, value_length: Option<usize>) -> Result<TreeShape> {
        if key_length == 0 || key_length > MAX_KEY_LENGTH {
            return Err(Error::new(ErrorKind::KeyLengthOutOfRange {
                min: 1,
                max: MAX_KEY_LENGTH,
                actual: key_length,
            }));
        }
        if let Some(len) = value_length {
            if len > MAX_VALUE_LENGTH {
                return Err(Error::new(ErrorKind::ValueTooLong {
                    max: MAX_VALUE_LENGTH,
                    actual: len,
                }));
            }
        }
        Ok(TreeShape {
            key_length,
            value_length,
        })
    }

    /// Checks that `key` has the key length and is not one of the two sentinel keys.
    pub fn check_key(&self, key: &[u8]) -> Result<()> {
        if key.len() != self.key_length {
            return Err(Error::new(ErrorKind::KeyLength {
                expected: self.key_length,
                actual: key.len(),
            }));
        }
        if key.iter().all(|&b| b == 0x00) || key.iter().all(|&b| b == 0xff) {
            return Err(Error::new(ErrorKind::KeyReserved { key: key.to_vec() }));
        }
        Ok(())
    }

    /// Checks that `value` has the fixed value length, if any, and is within [`MAX_VALUE_LENGTH`].
    pub fn check_value(&self, value: &[u8]) -> Result<()> {
        let actual = value.len();
        match self.value_length {
            Some(expected) if actual != expected => {
                Err(Error::new(ErrorKind::ValueLength { expected, actual }))
            }
            None if actual > MAX_VALUE_LENGTH => Err(Error::new(ErrorKind::ValueTooLong {
                max: MAX_VALUE_LENGTH,
                actual,
            })),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for TreeShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.value_length {
            Some(len) => write!(f, "{}-byte keys and {len}-byte values", self.key_length),
            None => write!(
                f,
                "{}-byte keys and variable-length values",
                self.key_length
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_lengths_are_told_apart_from_wrong_ones() {
        let kind = |result: Result<TreeShape>| result.unwrap_err().kind().clone();
        for key_length in [0, MAX_KEY_LENGTH + 1] {
            assert_eq!(
                kind(TreeShape::new(key_length, None)),
                ErrorKind::KeyLengthOutOfRange {
                    min: 1,
                    max: MAX_KEY_LENGTH,
                    actual: key_length
                }
            );
        }
        assert_eq!(
            kind(TreeShape::new(32, Some(MAX_VALUE_LENGTH + 1))),
            ErrorKind::ValueTooLong {
                max: MAX_VALUE_LENGTH,
                actual: MAX_VALUE_LENGTH + 1
            }
        );
        let fixed = TreeShape::new(32, Some(8)).unwrap();
        assert_eq!(
            fixed.check_value(&[0; 9]).unwrap_err().kind(),
            &ErrorKind::ValueLength {
                expected: 8,
                actual: 9
            }
        );
        let too_long = vec![0; MAX_VALUE_LENGTH + 1];
        assert_eq!(
            TreeShape::BASIS_TRACKER
                .check_value(&too_long)
                .unwrap_err()
                .kind(),
            &ErrorKind::ValueTooLong {
                max: MAX_VALUE_LENGTH,
                actual: MAX_VALUE_LENGTH + 1
            }
        );
        assert!(TreeShape::BASIS_TRACKER.check_value(&too_long[1..]).is_ok());
    }
}
