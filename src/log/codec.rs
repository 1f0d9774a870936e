//! Encoding operation logs, and the streaming [`LogDecoder`] that reads either format from chunks
//! split at any byte.

use crate::error::{Error, ErrorKind, Result};
use crate::log::binary as binary_log;
use crate::log::format::{LogFormat, LogHeader, RecordLimits, MAX_HEADER_LINE_LENGTH};
use crate::log::ndjson as ndjson_log;
use crate::log::record::TreeOperation;
use crate::memory::try_extend;
use crate::shape::TreeShape;

/// Writes a log record by record, so a tracker can append to a log file as it goes.
///
/// ```
/// use basis_trees::{LogEncoder, LogFormat, LogHeader, TreeShape, TreeStorage, debt_value};
///
/// let mut tracker = TreeStorage::new(TreeShape::BASIS_TRACKER)?;
/// let header = LogHeader { format: LogFormat::Ndjson, shape: tracker.shape(), start: None };
/// let encoder = LogEncoder::new(header);
/// let mut file = encoder.header_bytes();
/// let record = tracker.insert(&[7; 32], &debt_value(1), 1_700_000_000_000)?;
/// encoder.append_record(record, &mut file);
/// assert_eq!(basis_trees::decode_log(&file)?.1, tracker.log());
/// # Ok::<(), basis_trees::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogEncoder {
    header: LogHeader,
}

impl LogEncoder {
    /// An encoder of logs with this header (its `format` decides the encoding).
    pub fn new(header: LogHeader) -> LogEncoder {
        LogEncoder { header }
    }

    /// The header the log starts with.
    pub fn header_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self.header.format {
            LogFormat::Binary => binary_log::encode_header(&self.header, &mut out),
            LogFormat::Ndjson => ndjson_log::encode_header(&self.header, &mut out),
        }
        out
    }

    /// Appends the encoding of `record` to `out`. Records are written as they are: one that a
    /// decoder would refuse (a key longer than 65535 bytes, say) is refused when read back.
    pub fn append_record(&self, record: &TreeOperation, out: &mut Vec<u8>) {
        match self.header.format {
            LogFormat::Binary => binary_log::encode_record(record, out),
            LogFormat::Ndjson => ndjson_log::encode_record(record, out),
        }
    }
}

/// The log of `records` for a tree of `shape`, in `format`.
///
/// The header's start reference is taken from the first record (its sequence number minus one
/// and its `tree_root_before`); a log of no records, or whose first record is numbered 0, has
/// none.
pub fn encode_log(records: &[TreeOperation], shape: TreeShape, format: LogFormat) -> Vec<u8> {
    // A first record numbered 0 follows no record (numbers start at 1, and none follows
    // 2^64 - 1): the header then names no start, rather than a false one.
    let start = records.first().and_then(|first| {
        Some(crate::log::format::LogStart {
            sequence: first.sequence_number.checked_sub(1)?,
            root: first.tree_root_before,
        })
    });
    encode_log_with_header(
        &LogHeader {
            format,
            shape,
            start,
        },
        records,
    )
}

/// The log of `records` with exactly this header.
pub fn encode_log_with_header(header: &LogHeader, records: &[TreeOperation]) -> Vec<u8> {
    let encoder = LogEncoder::new(*header);
    let mut out = encoder.header_bytes();
    for record in records {
        encoder.append_record(record, &mut out);
    }
    out
}

/// Decodes a whole log in memory: its header and every record. Checks the encoding only (use
/// [`verify_log`](crate::verify_log) to check the records against the tree), within the default
/// [`RecordLimits`] of its shape.
pub fn decode_log(bytes: &[u8]) -> Result<(LogHeader, Vec<TreeOperation>)> {
    decode_log_within(bytes, LogDecoder::new())
}

/// [`decode_log`] with `decoder`'s limits (a [`LogDecoder::with_limits`] given no bytes yet).
pub fn decode_log_within(
    bytes: &[u8],
    mut decoder: LogDecoder,
) -> Result<(LogHeader, Vec<TreeOperation>)> {
    decoder.push(bytes);
    decoder.finish();
    let mut records = Vec::new();
    while let Some(decoded) = decoder.next_record()? {
        records
            .try_reserve(1)
            .map_err(|_| crate::memory::out_of_memory(std::mem::size_of::<TreeOperation>()))?;
        records.push(decoded.record);
    }
    match decoder.header() {
        Some(header) => Ok((*header, records)),
        None => Err(corrupt(0, "log has no header")),
    }
}

/// A record and where it was in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedRecord {
    /// The byte offset of the record's first byte in the log.
    pub offset: u64,
    /// The record's length in bytes, line terminator or checksum included.
    pub length: u64,
    /// The record.
    pub record: TreeOperation,
}

fn corrupt(offset: u64, reason: impl Into<String>) -> Error {
    Error::new(ErrorKind::LogCorrupt {
        reason: reason.into(),
    })
    .at_offset(offset)
}

/// The record length above which the decoder's buffer is given back once the record is decoded.
const RELEASE_AFTER: usize = 1 << 20;

/// Reads a log of either format from chunks split anywhere: [`push`](LogDecoder::push) bytes
/// as they arrive, take records with [`next_record`](LogDecoder::next_record) until it returns
/// `None`, and call [`finish`](LogDecoder::finish) at the end of the input so that a truncated
/// last record is reported.
///
/// The decoder keeps only the bytes it was given that it has not yet returned as records, so its
/// memory is one chunk plus at most one partial record, whatever the length of the log. Records
/// are bounded by the [`RecordLimits`] of the header's shape (or those given to
/// [`with_limits`](LogDecoder::with_limits)): a binary record that declares more is refused as
/// soon as its length field is there, an NDJSON line as soon as it has grown past its limit,
/// before more is buffered; a value beyond the cap is `VALUE_LENGTH`. Memory the buffer cannot get
/// is `OUT_OF_MEMORY`.
///
/// Every other error is `LOG_CORRUPT` with the byte offset of the defect (for a binary record, the
/// offset of the record: its checksum covers it whole) and, inside a record, the sequence number
/// the record should have had. After an error the decoder returns that error again.
#[derive(Debug, Default)]
pub struct LogDecoder {
    buffer: Vec<u8>,
    /// Bytes at the front of `buffer` already decoded.
    consumed: usize,
    /// Offset in the log of `buffer[0]`.
    buffer_offset: u64,
    /// Where to continue looking for a newline in an NDJSON buffer.
    scan_from: usize,
    header: Option<LogHeader>,
    /// The caps asked for with `with_limits`: the longest value, the longest record.
    caps: (Option<usize>, Option<usize>),
    /// The limits of this log, once its header has been read.
    limits: Option<RecordLimits>,
    last_sequence: Option<u64>,
    ended: bool,
    failed: Option<Error>,
}

impl LogDecoder {
    /// A decoder waiting for the first bytes of a log, with the default [`RecordLimits`] of the
    /// shape its header declares.
    pub fn new() -> LogDecoder {
        LogDecoder::default()
    }

    /// A decoder whose limits raise or lower the defaults: values of at most `max_value_length`
    /// bytes (variable-length trees), records of at most `max_record_length` (see
    /// [`RecordLimits::new`]).
    pub fn with_limits(
        max_value_length: Option<usize>,
        max_record_length: Option<usize>,
    ) -> LogDecoder {
        LogDecoder {
            caps: (max_value_length, max_record_length),
            ..LogDecoder::default()
        }
    }

    /// The limits records are held to, once the header has been read.
    pub fn limits(&self) -> Option<RecordLimits> {
        self.limits
    }

    /// Adds the next bytes of the log. (Memory the buffer cannot get fails the decoder with
    /// `OUT_OF_MEMORY`, which the next call returns; so do bytes after
    /// [`finish`](LogDecoder::finish), `LOG_CORRUPT`: the log had ended.)
    pub fn push(&mut self, chunk: &[u8]) {
        if self.ended && !chunk.is_empty() && self.failed.is_none() {
            let end = self.buffer_offset + self.buffer.len() as u64;
            self.failed = Some(
                Error::new(ErrorKind::LogCorrupt {
                    reason: "bytes pushed after finish(): the log had already ended".to_string(),
                })
                .at_offset(end),
            );
            return;
        }
        self.compact();
        if self.failed.is_none() {
            let room = self.grow_for(chunk.len());
            if let Err(err) = room.and_then(|()| try_extend(&mut self.buffer, chunk)) {
                self.failed = Some(err.at_offset(self.buffer_offset + self.buffer.len() as u64));
            }
        }
    }

    /// Drops the bytes already decoded from the front of the buffer.
    fn compact(&mut self) {
        if self.consumed > 0 {
            self.buffer.drain(..self.consumed);
            self.buffer_offset += self.consumed as u64;
            self.scan_from = self.scan_from.saturating_sub(self.consumed);
            self.consumed = 0;
        }
    }

    /// After a record of more than [`RELEASE_AFTER`] bytes, gives its room back: the record
    /// decoded from it is held now, and the two together are what a record costs at most.
    fn release_room(&mut self) {
        if self.buffer.capacity() > RELEASE_AFTER {
            self.compact();
            self.buffer.shrink_to_fit();
        }
    }

    /// Makes room for `incoming` more bytes: a quarter more than needed, and never past the end
    /// of a binary record whose length field is there — not the doubling of `Vec`, whose spare
    /// half and the copy when it grows made a record of the largest length cost four times its
    /// size. A declared length is not allocated before its bytes come.
    fn grow_for(&mut self, incoming: usize) -> Result<()> {
        let length = self.buffer.len();
        let needed = length.saturating_add(incoming);
        if needed <= self.buffer.capacity() {
            return Ok(());
        }
        let ample = needed.saturating_add(needed / 4);
        let target = match self.binary_record_end() {
            Some(end) if end >= needed => ample.min(end),
            _ => ample,
        };
        self.buffer
            .try_reserve_exact(target - length)
            .map_err(|_| crate::memory::out_of_memory(target - length))
    }

    /// Where in the buffer the binary record being read ends, once its length field is there
    /// and the length is one the limits accept.
    fn binary_record_end(&self) -> Option<usize> {
        let (Some(header), Some(limits)) = (self.header, self.limits) else {
            return None;
        };
        if header.format != LogFormat::Binary {
            return None;
        }
        let field: [u8; 4] = self.pending().get(..4)?.try_into().ok()?;
        let body = u32::from_be_bytes(field) as usize;
        if body > limits.max_record_length.min(crate::MAX_RECORD_LENGTH) {
            return None;
        }
        Some(self.consumed + 4 + body + 4)
    }

    /// Marks the end of the input: from now on a partial record is an error.
    pub fn finish(&mut self) {
        self.ended = true;
    }

    /// The header, once its bytes have been decoded.
    pub fn header(&self) -> Option<&LogHeader> {
        self.header.as_ref()
    }

    /// Decodes the header if its bytes are all there; `Ok(None)` when more are needed.
    pub fn poll_header(&mut self) -> Result<Option<&LogHeader>> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        if self.header.is_none() {
            if let Err(err) = self.decode_header() {
                self.failed = Some(err.clone());
                return Err(err);
            }
        }
        Ok(self.header.as_ref())
    }

    /// The number of bytes of the log decoded so far (header and returned records).
    pub fn bytes_decoded(&self) -> u64 {
        self.buffer_offset + self.consumed as u64
    }

    /// The next complete record, or `None` when more bytes are needed (or, after
    /// [`finish`](LogDecoder::finish), when the log has ended cleanly).
    pub fn next_record(&mut self) -> Result<Option<DecodedRecord>> {
        if self.poll_header()?.is_none() {
            return Ok(None);
        }
        match self.decode_record() {
            Ok(decoded) => {
                if let Some(decoded) = &decoded {
                    self.last_sequence = Some(decoded.record.sequence_number);
                }
                Ok(decoded)
            }
            Err(err) => {
                self.failed = Some(err.clone());
                Err(err)
            }
        }
    }

    fn pending(&self) -> &[u8] {
        self.buffer.get(self.consumed..).unwrap_or_default()
    }

    fn offset(&self) -> u64 {
        self.buffer_offset + self.consumed as u64
    }

    /// The sequence number the next record should have, to locate errors.
    fn expected_sequence(&self) -> u64 {
        match (self.last_sequence, self.header) {
            (Some(last), _) => last.saturating_add(1),
            (None, Some(header)) => header.first_sequence(),
            (None, None) => 1,
        }
    }

    /// The limits of a log of this header.
    fn limits_for(&self, header: &LogHeader) -> RecordLimits {
        RecordLimits::new(header.shape, self.caps.0, self.caps.1)
    }

    fn decode_header(&mut self) -> Result<()> {
        let pending = self.pending();
        let Some(&first) = pending.first() else {
            return if self.ended {
                Err(corrupt(0, "the log is empty"))
            } else {
                Ok(())
            };
        };
        match first {
            0x89 => match binary_log::decode_header(pending)? {
                Some((header, length)) => {
                    self.limits = Some(self.limits_for(&header));
                    self.header = Some(header);
                    self.consumed += length;
                    Ok(())
                }
                None if self.ended => Err(corrupt(
                    0,
                    format!(
                        "the log ends inside its {}-byte header",
                        binary_log::HEADER_LENGTH
                    ),
                )),
                None => Ok(()),
            },
            b'{' => match self.next_line(MAX_HEADER_LINE_LENGTH)? {
                Some((line, length)) => {
                    let header = ndjson_log::decode_header(line)?;
                    self.limits = Some(self.limits_for(&header));
                    self.header = Some(header);
                    self.consumed += length;
                    Ok(())
                }
                None => Ok(()),
            },
            _ => Err(corrupt(
                0,
                "not a basis-trees log: a binary log starts with byte 0x89, an NDJSON log with '{'",
            )),
        }
    }

    /// The next NDJSON line without its terminator, and its length with it; `None` when more
    /// bytes are needed. At the end of the input a last line without a newline counts. A line
    /// longer than `max` is refused as soon as that many bytes are there without a newline.
    fn next_line(&mut self, max: usize) -> Result<Option<(&[u8], usize)>> {
        let offset = self.offset();
        let pending_len = self.buffer.len() - self.consumed;
        let from = self.scan_from.max(self.consumed);
        let found = self
            .buffer
            .get(from..)
            .unwrap_or_default()
            .iter()
            .position(|&b| b == b'\n');
        let (line_length, total) = match found {
            Some(i) => {
                let line_length = from - self.consumed + i;
                (line_length, line_length + 1)
            }
            None => {
                self.scan_from = self.buffer.len();
                if pending_len > max {
                    return Err(self.line_too_long(offset, max));
                }
                if !self.ended || pending_len == 0 {
                    return Ok(None);
                }
                (pending_len, pending_len)
            }
        };
        if line_length > max {
            return Err(self.line_too_long(offset, max));
        }
        self.scan_from = self.consumed + total;
        let line = self
            .buffer
            .get(self.consumed..self.consumed + line_length)
            .unwrap_or_default();
        Ok(Some((line, total)))
    }

    fn line_too_long(&self, offset: u64, max: usize) -> Error {
        let limit = if self.header.is_some() {
            "the limit of a record of this log's shape (raise it with maxRecordLength)"
        } else {
            "the limit of a header line"
        };
        let err = corrupt(offset, format!("line longer than {max} bytes, {limit}"));
        match self.header {
            // A record line: it belongs to the record that should come next.
            Some(_) => err.at_sequence(self.expected_sequence()),
            None => err,
        }
    }

    fn decode_record(&mut self) -> Result<Option<DecodedRecord>> {
        let offset = self.offset();
        let sequence = self.expected_sequence();
        let (Some(header), Some(limits)) = (self.header, self.limits) else {
            return Ok(None);
        };
        let decoded = match header.format {
            LogFormat::Binary => {
                match binary_log::decode_record(
                    self.pending(),
                    offset,
                    sequence,
                    limits.max_record_length,
                )? {
                    Some((record, length)) => Some((record, length)),
                    None if self.ended && !self.pending().is_empty() => {
                        return Err(corrupt(offset, "the log ends inside a record (truncated)")
                            .at_sequence(sequence))
                    }
                    None => None,
                }
            }
            LogFormat::Ndjson => match self.next_line(limits.max_line_length())? {
                Some((line, length)) => {
                    Some((ndjson_log::decode_record(line, offset, sequence)?, length))
                }
                None => None,
            },
        };
        if let Some((record, _)) = &decoded {
            for value in [&record.value, &record.previous_value]
                .into_iter()
                .flatten()
            {
                if value.len() > limits.max_value_length {
                    return Err(Error::new(ErrorKind::ValueOverCap {
                        max: limits.max_value_length,
                        actual: value.len(),
                    })
                    .at_offset(offset)
                    .with_record(record));
                }
            }
        }
        Ok(decoded.map(|(record, length)| {
            self.consumed += length;
            if length > RELEASE_AFTER {
                self.release_room();
            }
            DecodedRecord {
                offset,
                length: length as u64,
                record,
            }
        }))
    }
}
