// What the worker learns about a log besides its verdict: the tree's size after each record and
// the mix of operations (for the charts), and the failing record's fields (for the error report).
//
// The LogVerifier says how many bytes it has verified; those bytes are whole records, so the
// ledger decodes them with the package's decodeLog, behind the log's own header. It keeps only
// the bytes not yet verified (at most a slice and a partial record), so memory stays flat.

/** Length of a binary log's header (docs/FORMAT.md): magic, version, flags, shape, start, CRC. */
const BINARY_HEADER_LENGTH = 63;
/** Points kept for the size chart; beyond that every other point is dropped. */
const MAX_POINTS = 1200;
/** Bytes of an undecodable record shown as raw hex. */
const RAW_BYTES_SHOWN = 256;

function concat(parts, length) {
  if (parts.length === 1 && parts[0].length === length) return parts[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part.subarray(0, Math.min(part.length, length - at)), at);
    at += part.length;
    if (at >= length) break;
  }
  return out;
}

/** The length of the header that `bytes` (the start of a log) begins with, or null. */
function headerLength(bytes) {
  if (bytes[0] === 0x89) return bytes.length >= BINARY_HEADER_LENGTH ? BINARY_HEADER_LENGTH : null;
  if (bytes[0] === 0x7b /* { */) {
    const newline = bytes.indexOf(0x0a);
    return newline < 0 ? null : newline + 1;
  }
  return null;
}

/** A decoded record as plain strings, for the page. */
export function describeRecord(bt, record, offset) {
  const hex = (bytes) => (bytes === undefined || bytes === null ? null : bt.toHex(bytes));
  return {
    offset,
    sequence: record.sequenceNumber.toString(),
    type: record.type,
    timestamp: record.timestamp.toString(),
    key: hex(record.key),
    value: hex(record.value),
    previousValue: hex(record.previousValue),
    rootBefore: hex(record.rootBefore),
    rootAfter: hex(record.rootAfter),
    proofLength: record.proof ? record.proof.length : null,
  };
}

export class ReplayLedger {
  constructor(bt) {
    this.bt = bt;
    this.bytesRead = 0;
    this.header = null;
    /** Bytes received from log offset `base` on, not yet verified. */
    this.pending = [];
    this.pendingLength = 0;
    this.base = 0;
    this.decodable = typeof bt.decodeLog === 'function';
    this.records = 0;
    this.size = 0;
    this.mix = { insert: 0, update: 0, remove: 0 };
    this.points = [[0, 0]];
    this.stride = 1;
  }

  /** The replay starts from a tree of `size` entries (a snapshot's) instead of the empty tree. */
  startAt(size) {
    this.size = size;
    this.points = [[0, size]];
  }

  /** The next bytes of the log, before they are pushed to the verifier. */
  received(chunk) {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    this.bytesRead += chunk.length;
  }

  /** The pending bytes, left in place. */
  peek() {
    return concat(this.pending, this.pendingLength);
  }

  /** Takes the first `n` pending bytes out. */
  take(n) {
    const bytes = concat(this.pending, n);
    let left = n;
    while (left > 0 && this.pending.length) {
      const first = this.pending[0];
      if (first.length <= left) {
        left -= first.length;
        this.pending.shift();
      } else {
        this.pending[0] = first.subarray(left);
        left = 0;
      }
    }
    this.pendingLength -= n;
    this.base += n;
    return bytes;
  }

  /** The verifier has verified the log's first `boundary` bytes (header and whole records). */
  verifiedUpTo(boundary) {
    if (!(boundary > this.base) || boundary - this.base > this.pendingLength) return;
    let bytes = this.take(boundary - this.base);
    if (!this.header) {
      const length = headerLength(bytes);
      if (length === null) {
        this.decodable = false;
        return;
      }
      this.header = bytes.slice(0, length);
      bytes = bytes.subarray(length);
    }
    if (bytes.length && this.decodable) {
      try {
        for (const record of this.decode(bytes)) this.tally(record.type);
      } catch {
        this.decodable = false; // the chart stops; the verdict does not depend on it
      }
    }
  }

  /** The whole records in `recordBytes`, decoded behind the log's header. */
  decode(recordBytes, header = this.header) {
    const log = new Uint8Array(header.length + recordBytes.length);
    log.set(header);
    log.set(recordBytes, header.length);
    return this.bt.decodeLog(log).records;
  }

  /** Counts one verified record of `type` into the charts. */
  tally(type) {
    if (type in this.mix) this.mix[type]++;
    if (type === 'insert') this.size++;
    else if (type === 'remove') this.size--;
    this.records++;
    if (this.records % this.stride === 0) {
      this.points.push([this.records, this.size]);
      if (this.points.length > MAX_POINTS) {
        this.points = this.points.filter((_, i) => i % 2 === 0);
        this.stride *= 2;
      }
    }
  }

  /** The chart's data: `{ points: [records, entries][], mix, records }`, or null. */
  chart() {
    if (!this.decodable || this.records === 0) return null;
    const points = this.points.slice();
    const last = points[points.length - 1];
    if (last[0] !== this.records) points.push([this.records, this.size]);
    return { points, mix: { ...this.mix }, records: this.records };
  }

  /**
   * The record that starts at log byte `offset` (where the verifier stopped), decoded if its bytes
   * decode, else its first bytes in hex: `{ record }` or `{ raw, offset }`; null if not held.
   */
  recordAt(offset) {
    if (typeof offset !== 'number' || offset < this.base || offset > this.base + this.pendingLength) return null;
    const all = concat(this.pending, this.pendingLength);
    const held = all.subarray(offset - this.base);
    const raw = { raw: this.bt.toHex(held.subarray(0, RAW_BYTES_SHOWN)), rawLength: held.length, offset };
    // A log that fails in its first slice has had no header taken yet: it is at the front.
    let header = this.header;
    if (!header && this.base === 0) {
      const length = headerLength(all);
      header = length !== null && offset >= length ? all.slice(0, length) : null;
    }
    // An error in the header, or in bytes that are no log at all: show where the log starts.
    if (offset === 0 || (header && offset < header.length)) return { ...raw, inHeader: true };
    if (!header || !this.decodable || held.length === 0) return raw;
    const first = (bytes) => {
      const [record] = this.decode(bytes, header);
      return record ? { record: describeRecord(this.bt, record, offset) } : raw;
    };
    try {
      // An NDJSON record is one line: what follows it may be a line cut off anywhere.
      const newline = header[0] === 0x7b ? held.indexOf(0x0a) : -1;
      return first(newline >= 0 ? held.subarray(0, newline + 1) : held);
    } catch (err) {
      // The bytes after a binary record may end inside the next one: decode up to where it starts.
      const end = typeof err.offset === 'number' ? err.offset - header.length : 0;
      if (end <= 0 || end > held.length) return raw;
      try {
        return first(held.subarray(0, end));
      } catch {
        return raw;
      }
    }
  }
}
