// The verifier's worker: all of the package runs here, so the page never blocks. It streams a log
// from a File or a URL through the package's verifyLogStream, reports progress, and after a
// successful replay keeps the tree to answer lookups, make proofs and snapshots. Messages: see
// README.md.
import init, * as bt from './pkg/index.js';
import { ReplayLedger } from './replay-ledger.js';

/** At most this often a progress message, so the page is not flooded. */
const PROGRESS_EVERY_MS = 80;

const post = (message, transfer) => self.postMessage(message, transfer || []);

/** The job under way: `{ id, controller }`. */
let job = null;
/** The tree of the last successful replay, and its shape. */
let replayed = null;

const ready = init().then(
  () => post({ type: 'ready' }),
  (err) => post({ type: 'fatal', message: `The WebAssembly module did not load: ${err.message}` }),
);

self.onmessage = async (event) => {
  const message = event.data;
  await ready;
  switch (message.type) {
    case 'verify':
      return verify(message);
    case 'cancel':
      if (job && job.id === message.id) job.controller.abort();
      return;
    case 'lookup':
    case 'snapshot':
    case 'verifyProof':
    case 'readChain':
      return answer(message);
    default:
      return post({ type: 'reply', id: message.id, ok: false, error: { message: `unknown request ${message.type}` } });
  }
};

/** `expected` / `actual` of an error, tagged for the page: `{ hex }`, `{ number }` or `{ shape }`. */
function tagged(value) {
  if (value instanceof Uint8Array) return { hex: bt.toHex(value) };
  if (typeof value === 'bigint' || typeof value === 'number') return { number: String(value) };
  if (value && typeof value === 'object') return { shape: { keyLength: value.keyLength, valueLength: value.valueLength } };
  return null;
}

/** A plain, cloneable copy of a package error (or any error). */
function errorFields(err) {
  const fields = {
    name: err && err.name,
    code: err && typeof err.code === 'string' ? err.code : undefined,
    message: err && err.message ? String(err.message) : String(err),
    sequence: err && typeof err.sequence === 'bigint' ? err.sequence.toString() : undefined,
    offset: err && typeof err.offset === 'number' ? err.offset : undefined,
  };
  if (err && err.name === 'BasisTreeError' && 'expected' in err) {
    fields.expected = tagged(err.expected);
    fields.actual = tagged(err.actual);
  }
  if (err && err.code === 'COMMITMENT_MISSING') {
    fields.commitment = {
      index: err.index,
      digest: bt.toHex(err.digest),
      previous: err.previous === undefined ? null : err.previous.toString(),
      seenAt: err.seenAt === undefined ? null : err.seenAt.toString(),
    };
  }
  if (err && typeof err.register === 'string') fields.register = err.register;
  if (err && typeof err.line === 'number') fields.line = err.line;
  return fields;
}

/**
 * The tracker's commitment pasted in the form (a box as JSON, its R5 register or a digest in
 * hex), as parseCommitment reads it; undefined for an empty field.
 */
function trackerBoxOf(text) {
  return (text || '').trim() ? bt.parseCommitment(text) : undefined;
}

/** The pasted commitments, oldest first (undefined for an empty field). */
function commitmentsOf(text) {
  return (text || '').trim() ? bt.parseCommitments(text) : undefined;
}

/**
 * What the page shows of a commitment (a parseCommitment result, or a parseCommitments item: a
 * digest, a register's tree or a box's commitment): hex and plain values.
 */
function commitmentSummary(commitment) {
  const box = commitment.kind === 'box' ? commitment.box : commitment.kind === undefined && commitment.tree ? commitment : {};
  const tree = commitment.kind ? commitment.tree : commitment instanceof Uint8Array ? null : commitment.tree || commitment;
  if (!tree) return { digest: bt.toHex(commitment.kind ? commitment.digest : commitment) };
  return {
    boxId: box.boxId ? bt.toHex(box.boxId) : null,
    boxIdVerified: box.boxIdVerified === true,
    creationHeight: box.creationHeight ?? null,
    trackerKey: box.trackerKey ? bt.toHex(box.trackerKey) : null,
    digest: bt.toHex(tree.digest),
    keyLength: tree.keyLength,
    valueLength: tree.valueLength,
    flags: ['insert', 'update', 'remove'].filter((op) => tree[`${op}Allowed`]),
  };
}

/** Reads the form's tracker box and commitments: `{ box, commitments }`, each with its error. */
function readChain({ trackerBox, commitments }) {
  const read = (what, parse) => {
    try {
      return { ok: true, value: parse() };
    } catch (err) {
      return { ok: false, error: errorFields(err), what };
    }
  };
  const box = read('box', () => {
    const parsed = trackerBoxOf(trackerBox);
    return parsed === undefined ? null : commitmentSummary(parsed);
  });
  const list = read('commitments', () => {
    const parsed = commitmentsOf(commitments);
    return parsed === undefined ? null : parsed.map(commitmentSummary);
  });
  return { box, commitments: list };
}

/** The log's bytes as a ReadableStream, and its length when known. */
async function open(source, controller) {
  if (source.file) return { stream: source.file.stream(), total: source.file.size };
  let response;
  try {
    response = await fetch(source.url, { signal: controller.signal, cache: 'no-store' });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    const elsewhere = new URL(source.url).origin !== self.location.origin;
    throw new Error(
      `${err.message}${elsewhere ? ' (a server on another origin must allow cross-origin requests (CORS); or download the log and choose the file)' : ''}`,
    );
  }
  if (!response.ok) throw new Error(`the server answered ${response.status} ${response.statusText}`.trim());
  if (!response.body) throw new Error('the response has no body');
  const length = Number(response.headers.get('Content-Length'));
  // A compressed transfer's Content-Length is not the length of the bytes the stream yields.
  const encoded = response.headers.get('Content-Encoding');
  return { stream: response.body, total: Number.isFinite(length) && length > 0 && !encoded ? length : null };
}

/** The chunks of `stream`, each shown to the ledger as it is read. */
async function* readInto(ledger, stream) {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      ledger.received(value);
      yield value;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

async function verify({ id, source, shape, expectRoot, trackerBox, commitments, start, stateless }) {
  if (job) job.controller.abort();
  if (replayed) {
    replayed.tree.free();
    replayed = null;
  }
  const current = { id, controller: new AbortController() };
  job = current;
  const started = performance.now();
  const ledger = new ReplayLedger(bt);
  let lastPost = -Infinity;
  let total = null;
  const progress = ({ records, bytes }) => {
    ledger.verifiedUpTo(bytes);
    const now = performance.now();
    if (now - lastPost < PROGRESS_EVERY_MS) return;
    lastPost = now;
    post({ type: 'progress', id, records, bytes, read: ledger.bytesRead, total, elapsedMs: now - started });
  };
  try {
    // The shape is the one the log's header declares; a field the user set is an assertion, which
    // the verifier checks (SHAPE_MISMATCH, with both shapes).
    const options = { keyLength: shape.keyLength, valueLength: shape.valueLength };
    if (expectRoot) options.expectRoot = expectRoot;
    // The box the tracker posted: the log must end at its R5 digest and be of its tree's shape.
    const box = trackerBoxOf(trackerBox);
    if (box) options.expectRoot = box;
    const list = commitmentsOf(commitments);
    if (list) options.commitments = list;
    if (stateless) options.stateless = true;
    if (start) {
      // A snapshot taken earlier: the log continues from its tree.
      options.start = new Uint8Array(await start.arrayBuffer());
      const startTree = bt.Tree.fromSnapshot(options.start);
      ledger.startAt(startTree.size);
      startTree.free();
    }
    const opened = await open(source, current.controller);
    total = opened.total;
    post({ type: 'started', id, total });
    const report = await bt.verifyLogStream(readInto(ledger, opened.stream), {
      ...options,
      // A stateless check holds no tree.
      keepTree: !stateless,
      signal: current.controller.signal,
      onProgress: progress,
      onRecord: (record) => ledger.verified(record),
    });
    const { tree } = report;
    if (tree) {
      // The sequence goes into the snapshot, so that it can start the log's continuation.
      replayed = { tree, shape: tree.shape, sequence: report.lastSequence };
    }
    post({ type: 'progress', id, records: ledger.records, bytes: ledger.bytesRead, read: ledger.bytesRead, total, elapsedMs: performance.now() - started });
    post({
      type: 'verified',
      id,
      elapsedMs: performance.now() - started,
      bytes: ledger.bytesRead,
      report: {
        operations: Number(report.operations),
        firstSequence: report.firstSequence.toString(),
        lastSequence: report.lastSequence.toString(),
        startRoot: bt.toHex(report.startRoot),
        finalRoot: bt.toHex(report.finalRoot),
        commitments: report.commitments.map(({ digest, sequence }) => ({ digest: bt.toHex(digest), sequence: sequence.toString() })),
      },
      tree: tree ? { size: tree.size, height: tree.height } : null,
      header: headerOf(ledger),
      chart: ledger.chart(),
    });
  } catch (err) {
    const aborted = current.controller.signal.aborted || (err && (err.code === 'ABORTED' || err.name === 'AbortError'));
    const fields = errorFields(err);
    // Errors that are not the package's (a failed download, an unreadable file) have no code.
    const isLogError = bt.isBasisTreeError(err) && !aborted;
    post({
      type: aborted ? 'cancelled' : 'failed',
      id,
      elapsedMs: performance.now() - started,
      bytes: ledger.bytesRead,
      error: fields,
      loadError: !isLogError && !aborted,
      // The records before the failing one verified: they count in the charts.
      records: ledger.records,
      // The record the error carries, decoded by the verifier (a record refused whole, as one
      // over the cap on values, decodes nowhere else); else the bytes held from its offset.
      record: isLogError ? withDebts(ledger.recordAt(fields.offset, err.record), headerOf(ledger)) : null,
      header: isLogError ? headerOf(ledger) : null,
      chart: ledger.chart(),
    });
  } finally {
    if (job === current) job = null;
  }
}

/** The log's header `{ format, keyLength, valueLength, startSequence, startRoot }`, or null. */
function headerOf(ledger) {
  const header = ledger.header();
  if (!header) return null;
  return {
    format: header.format,
    keyLength: header.shape.keyLength,
    valueLength: header.shape.valueLength ?? null,
    startSequence: header.start ? header.start.sequence.toString() : null,
    startRoot: header.start ? bt.toHex(header.start.root) : null,
  };
}

/**
 * The debt a value (bytes or hex) is, as a decimal string, in a tree of a Basis shape (32-byte
 * keys, values of any length or of 8 bytes) when it is 8 bytes; null otherwise.
 */
function debtOf(value, shape) {
  const basis = shape && shape.keyLength === 32 && (shape.valueLength == null || shape.valueLength === 8);
  if (!basis || value === null || value === undefined) return null;
  return (typeof value === 'string' ? value.length / 2 : value.length) === 8 ? bt.decodeDebt(value).toString() : null;
}

/** The failing record as the ledger found it, with the debts its values are in the log's tree. */
function withDebts(found, header) {
  if (!found || !found.record) return found;
  const { value, previousValue } = found.record;
  return { ...found, record: { ...found.record, debt: debtOf(value, header), previousDebt: debtOf(previousValue, header) } };
}

/** Hex or bytes in; the key of the lookup: a hex key, or noteKey(issuer, recipient). */
function lookupKey({ key, issuer, recipient }) {
  if (key) return bt.fromHex(key);
  return bt.noteKey(bt.fromHex(issuer), bt.fromHex(recipient));
}

function answer(message) {
  const { id } = message;
  try {
    let result;
    let transfer = [];
    if (message.type === 'readChain') {
      result = readChain(message);
    } else if (message.type === 'verifyProof') {
      // The digest field holds a digest, or a box or register whose shape is the proof's unless
      // the page's shape was given (not `assumed`).
      const commitment = bt.parseCommitment(message.digest);
      const shape = message.assumed && commitment.shape ? commitment.shape : { keyLength: message.keyLength, valueLength: message.valueLength };
      const checked = bt.verifyProof({
        digest: commitment,
        proof: message.proof,
        operations: [{ type: 'lookup', key: message.key }],
        keyLength: shape.keyLength,
        valueLength: shape.valueLength,
      });
      const value = checked.results[0];
      result = { digest: bt.toHex(checked.digest), value: value === undefined ? null : bt.toHex(value), debt: debtOf(value, shape) };
    } else if (!replayed) {
      throw new Error('no verified log: verify a log first');
    } else if (message.type === 'lookup') {
      const { tree, shape } = replayed;
      const key = lookupKey(message);
      const value = tree.get(key);
      result = {
        key: bt.toHex(key),
        value: value === undefined ? null : bt.toHex(value),
        debt: debtOf(value, shape),
        digest: bt.toHex(tree.digest),
        proof: bt.toHex(tree.proveLookup([key])),
        keyLength: shape.keyLength,
        valueLength: shape.valueLength,
      };
    } else {
      const bytes = replayed.tree.snapshot({ sequence: replayed.sequence });
      result = { bytes, digest: bt.toHex(replayed.tree.digest) };
      transfer = [bytes.buffer];
    }
    post({ type: 'reply', id, ok: true, result }, transfer);
  } catch (err) {
    post({ type: 'reply', id, ok: false, error: errorFields(err) });
  }
}
