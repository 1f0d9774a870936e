// What the worker learns about a log besides its verdict: the tree's size after each record and
// the mix of operations (for the charts), the log's header, and the bytes of a record that does
// not decode (for the error report).
//
// The records are the ones the verifier hands over as it verifies them (`verifyLogStream`'s
// `onRecord`): nothing is decoded twice. Of the bytes read, the ledger keeps the log's first
// slice (for its header) and the bytes not yet verified (at most a chunk and a partial record),
// so memory stays flat.

/** Points kept for the size chart; beyond that every other point is dropped. */
const MAX_POINTS = 1200;
/** Bytes of an undecodable record shown as raw hex. */
const RAW_BYTES_SHOWN = 256;
/** Bytes kept of the log's start: its header is in them. */
const HEAD_BYTES = 64 * 1024;

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
    /** The log's first bytes, up to HEAD_BYTES. */
    this.head = [];
    this.headLength = 0;
    /** Bytes received from log offset `base` on, not yet verified. */
    this.pending = [];
    this.pendingLength = 0;
    this.base = 0;
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

  /** The next bytes of the log, as read, before they are verified. */
  received(chunk) {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    this.bytesRead += chunk.length;
    if (this.headLength < HEAD_BYTES) {
      const part = chunk.slice(0, HEAD_BYTES - this.headLength);
      this.head.push(part);
      this.headLength += part.length;
    }
  }

  /** The verifier has verified the log's first `boundary` bytes: they are no longer held. */
  verifiedUpTo(boundary) {
    let n = boundary - this.base;
    if (!(n > 0) || n > this.pendingLength) return;
    this.pendingLength -= n;
    this.base = boundary;
    while (n > 0) {
      const first = this.pending[0];
      if (first.length <= n) {
        n -= first.length;
        this.pending.shift();
      } else {
        this.pending[0] = first.subarray(n);
        n = 0;
      }
    }
  }

  /** One record the verifier has verified (`onRecord`), counted into the charts. */
  verified(record) {
    const { type } = record;
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
    if (this.records === 0) return null;
    const points = this.points.slice();
    const last = points[points.length - 1];
    if (last[0] !== this.records) points.push([this.records, this.size]);
    return { points, mix: { ...this.mix }, records: this.records };
  }

  /**
   * The log's header as the package reads it from the log's first `upTo` bytes (all held by
   * default): `{ format, shape, start? }`, or undefined when they do not hold a whole header.
   */
  header(upTo = this.headLength) {
    const decoder = new this.bt.LogDecoder();
    try {
      decoder.push(concat(this.head, Math.min(upTo, this.headLength)));
      return decoder.header;
    } catch {
      return undefined;
    } finally {
      decoder.free();
    }
  }

  /**
   * The record at log byte `offset`, where the verifier stopped: `carried`, the record its error
   * carries (decoded by the verifier), as `{ record }`; else the bytes held from there, in hex,
   * as `{ raw, rawLength, offset, inHeader? }` (`inHeader` when the log's header does not end
   * before them); null when they are not held.
   */
  recordAt(offset, carried) {
    if (carried) return { record: describeRecord(this.bt, carried, offset) };
    if (typeof offset !== 'number' || offset < this.base || offset > this.base + this.pendingLength) return null;
    const held = concat(this.pending, this.pendingLength).subarray(offset - this.base);
    const raw = { raw: this.bt.toHex(held.subarray(0, RAW_BYTES_SHOWN)), rawLength: held.length, offset };
    // An error in the header, or in bytes that are no log at all: show where the log starts.
    if (offset === 0 || (this.records === 0 && this.header(offset) === undefined)) return { ...raw, inHeader: true };
    return raw;
  }
}
