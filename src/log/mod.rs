//! The operation log: its records, its two formats and their codecs, replaying a record on a tree,
//! and the verifier of a downloaded log.

pub(crate) mod binary;
pub(crate) mod codec;
pub(crate) mod format;
pub(crate) mod json_reader;
pub(crate) mod ndjson;
pub(crate) mod record;
pub(crate) mod replay;
pub(crate) mod verifier;
