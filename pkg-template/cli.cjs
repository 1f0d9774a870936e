#!/usr/bin/env node
'use strict';
// basis-trees: verify, inspect and query Basis tracker operation logs from the command line.
// Every subcommand fails the same way (one handler, `fail`): exit 1 when the log does not verify
// (the error code, sequence and reason), 2 for a usage error (a bad option or value, a LOG or
// snapshot that cannot be read), 3 when something else went wrong; with --json, one JSON object
// on stdout in every case.

const fs = require('node:fs');
const { parseArgs } = require('node:util');
const bt = require('./index.cjs');

const USAGE = `usage:
  basis-trees verify LOG [--tracker-box BOX.json | --expect-root HEX] [--commitments FILE]
                         [--start SNAPSHOT] [--key-length N] [--value-length N|any]
                         [--max-value-length N] [--max-record-length N] [--json] [--progress]
  basis-trees inspect LOG [--max-value-length N] [--max-record-length N] [--json] [--progress]
  basis-trees prove LOG KEY... [the options of verify]
  basis-trees commitment BOX.json [--json]

verify   replays the log (binary or NDJSON), checking every record; exit 0 when it verifies,
         1 when it does not (with the error code, sequence and reason). Give --expect-root, the
         digest committed on chain: without it nothing vouches for the log's end, and a log cut
         short between two records verifies too. The tree's shape is the one the log declares;
         --key-length / --value-length assert it. --start verifies a log that continues from a
         checkpoint snapshot. A record is refused before it is read whole when it is longer than
         its shape allows: values of a variable-length log at most 64 KiB unless
         --max-value-length raises the cap, records at most --max-record-length when given.
         --tracker-box takes the tracker's commitment box as JSON, copied from a node
         (/utxo/byId/ID) or an explorer (/api/v1/boxes/ID): the log must end at the digest of its
         R5 register and be of that tree's shape. --commitments FILE lists earlier commitments,
         oldest first, one a line (a digest or an R5 register in hex, or a box as JSON on one
         line; # starts a comment): the log must reach each, in order
inspect  decodes the log without replaying it: shape, record count, sequence range, roots
prove    replays the log as verify does, then prints a lookup proof of the KEYs (hex) and their
         values
commitment  reads a tracker's commitment box (JSON, or its R5 register in hex) and prints what
         it holds: the tracker's key (R4), the tree's digest, shape and flags (R5), the box id
         (recomputed from the box when the JSON has all of it) and height

A progress bar is drawn on stderr when it is a terminal; --progress prints progress lines even
when it is not. --json prints one JSON object on stdout, for failures too.

Exit codes: 0 success, 1 the log does not verify, 2 usage error (unknown option, bad value, LOG
or SNAPSHOT unreadable), 3 any other failure.`;

/** A mistake on the command line: exit 2. */
class UsageError extends Error {}

const FLAGS = {
  'expect-root': { type: 'string' },
  'tracker-box': { type: 'string' },
  commitments: { type: 'string' },
  start: { type: 'string' },
  'key-length': { type: 'string' },
  'value-length': { type: 'string' },
  'max-value-length': { type: 'string' },
  'max-record-length': { type: 'string' },
  json: { type: 'boolean' },
  progress: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const READ_FLAGS = ['max-value-length', 'max-record-length', 'json', 'progress', 'help'];
const REPLAY_FLAGS = ['expect-root', 'tracker-box', 'commitments', 'start', 'key-length', 'value-length', ...READ_FLAGS];
const COMMANDS = {
  verify: { flags: REPLAY_FLAGS, run: verify },
  inspect: { flags: READ_FLAGS, run: inspect },
  prove: { flags: REPLAY_FLAGS, run: prove },
  commitment: { flags: ['json', 'help'], run: commitment },
};

/** The library's option each replay flag sets, to name the flag when the library refuses it. */
const FLAG_OF_OPTION = {
  expectRoot: '--expect-root',
  commitments: '--commitments',
  start: '--start',
  keyLength: '--key-length',
  valueLength: '--value-length',
  maxValueLength: '--max-value-length',
  maxRecordLength: '--max-record-length',
};

/** The command line of `command` parsed with node:util's parseArgs: `{ positionals, ...flags }`. */
function parse(command, argv) {
  const options = Object.fromEntries(COMMANDS[command].flags.map((flag) => [flag, FLAGS[flag]]));
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const flag = /'(-[^' ]*)/.exec(err.message);
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
      const elsewhere = FLAGS[flag[1].replace(/^--/, '')] ? ` (${command} does not take it)` : '';
      throw new UsageError(`unknown option ${flag[1]}${elsewhere}`);
    }
    throw new UsageError(err.message);
  }
  const { values, positionals } = parsed;
  const number = (flag) => {
    const text = values[flag];
    if (text === undefined) return undefined;
    if (!/^[0-9]+$/.test(text)) throw new UsageError(`--${flag} needs a whole number, got '${text}'`);
    return Number(text);
  };
  const expectRoot = values['expect-root'];
  if (expectRoot !== undefined && !/^[0-9a-fA-F]{66}$/.test(expectRoot)) {
    throw new UsageError('--expect-root needs a 33-byte digest in hex (66 digits)');
  }
  if (expectRoot !== undefined && values['tracker-box'] !== undefined) {
    throw new UsageError('give --tracker-box or --expect-root, not both: the box holds the digest');
  }
  return {
    positionals,
    trackerBox: values['tracker-box'],
    commitments: values.commitments,
    json: Boolean(values.json),
    progress: Boolean(values.progress),
    help: Boolean(values.help),
    expectRoot: expectRoot && expectRoot.toLowerCase(),
    start: values.start,
    keyLength: number('key-length'),
    valueLength: values['value-length'] === 'any' ? null : number('value-length'),
    limits: { maxValueLength: number('max-value-length'), maxRecordLength: number('max-record-length') },
  };
}

function openLog(path) {
  if (path === undefined) throw new UsageError('no LOG given');
  let size;
  try {
    const stat = fs.statSync(path);
    if (!stat.isFile()) throw new UsageError(`${path} is not a file`);
    size = stat.size;
    fs.accessSync(path, fs.constants.R_OK);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
  return { path, size, stream: () => fs.createReadStream(path, { highWaterMark: 1 << 20 }) };
}

/**
 * Progress on stderr: a bar redrawn in place on a terminal, nothing when piped, or with
 * --progress and no terminal one line per tenth of the file.
 */
function progressBar(total, args) {
  const terminal = process.stderr.isTTY && !args.json;
  if (!terminal && !args.progress) return { update() {}, done() {} };
  let last = 0;
  let lastTenth = -1;
  let drawn = false;
  const line = ({ records, bytes }) => {
    const width = 30;
    const fraction = total > 0 ? Math.min(1, bytes / total) : 1;
    const filled = Math.round(fraction * width);
    return (
      `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ` +
      `${records.toLocaleString('en-US')} records  ${(bytes / 1e6).toFixed(1)} MB`
    );
  };
  const draw = (progress) => {
    drawn = true;
    if (terminal) {
      process.stderr.write(`\r${line(progress)} `);
      return;
    }
    const tenth = total > 0 ? Math.floor((10 * progress.bytes) / total) : 10;
    if (tenth > lastTenth) {
      lastTenth = tenth;
      process.stderr.write(`${line(progress)}\n`);
    }
  };
  return {
    update(progress) {
      const now = Date.now();
      if (terminal && now - last < 100) return;
      last = now;
      draw(progress);
    },
    done(progress) {
      if (progress) draw(progress);
      if (terminal && drawn) process.stderr.write('\n');
      drawn = false;
    },
  };
}

/** A field of an error for JSON and text: bytes as hex, bigints as decimal strings. */
function plain(value) {
  if (value instanceof Uint8Array) return bt.toHex(value);
  if (typeof value === 'bigint') return String(value);
  if (value && typeof value === 'object') return value.keyLength !== undefined ? describeShape(value) : JSON.stringify(value);
  return value === undefined ? null : value;
}

function describeShape({ keyLength, valueLength }) {
  return `${keyLength}-byte keys and ${valueLength === null ? 'values of any length' : `${valueLength}-byte values`}`;
}

/**
 * Every failure of every subcommand ends here: the exit code, and what went wrong on stdout
 * (the log's verdict) or stderr (usage), or as one JSON object on stdout with --json.
 */
function fail(err, json) {
  let status;
  let out;
  if (err && err.name === 'BasisTreeError' && err.code === 'INVALID_ARGUMENT') {
    // Only the flags reach the library as arguments: the flag is at fault.
    const flag = FLAG_OF_OPTION[err.argument];
    err = new UsageError(flag ? `${flag}: ${err.message}` : err.message);
  }
  if (err instanceof UsageError) {
    status = 2;
    out = { ok: false, code: 'USAGE', message: err.message };
  } else if (err && err.name === 'BasisTreeError') {
    status = 1;
    // The library's messages name its options; here they are flags.
    const message = err.message.replace(/\b(maxValueLength|maxRecordLength)\b/g, (option) => FLAG_OF_OPTION[option]);
    out = { ok: false, code: err.code, sequence: plain(err.sequence), offset: plain(err.offset), message };
    if ('expected' in err || 'actual' in err) Object.assign(out, { expected: plain(err.expected), actual: plain(err.actual) });
  } else {
    status = 3;
    out = { ok: false, code: 'ERROR', message: String((err && err.message) || err) };
  }
  if (json) {
    console.log(JSON.stringify(out));
  } else if (status === 1) {
    const where = [out.sequence !== null ? `at sequence ${out.sequence}` : null, out.offset !== null ? `(byte ${out.offset})` : null];
    console.log(`FAILED  ${out.code}${where.some(Boolean) ? ` ${where.filter(Boolean).join(' ')}` : ''}`);
    console.log(`  ${out.message}`);
  } else if (status === 2) {
    console.error(`basis-trees: ${out.message}\n\n${USAGE}`);
  } else {
    console.error(`basis-trees: ${out.message}`);
  }
  return status;
}

/** The text of a file named on the command line (a usage error when it cannot be read). */
function readText(path, flag) {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${flag}: cannot read ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
}

/**
 * What a file of the chain holds, read by `read(text)`: a file that holds no box, register or
 * digest is the command line's mistake (exit 2), named with the flag, the file and the line.
 */
function fromChainFile(path, flag, read) {
  const text = readText(path, flag);
  try {
    return read(text);
  } catch (err) {
    if (!err || err.name !== 'BasisTreeError') throw err;
    const where = err.line !== undefined ? `${path} line ${err.line}` : path;
    const message = err.message.replace(/^line \d+:? /, '');
    throw new UsageError(`${flag} ${where}: ${err.code === 'INVALID_ARGUMENT' ? '' : `${err.code}: `}${message}`);
  }
}

/** The tracker's commitment in a text: a box as JSON, or its R5 register in hex. */
function commitmentOf(text) {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]+$/.test(trimmed)) return { tree: bt.avlTreeFromRegister(trimmed) };
  return bt.trackerCommitment(text);
}

/** The tracker's commitment in a file named by `flag`. */
function readCommitment(path, flag) {
  return fromChainFile(path, flag, commitmentOf);
}

/** The chain's commitments the options name: `{ trackerBox?, commitments?, lines? }`. */
function chainOptions(args) {
  const chain = {
    trackerBox: args.trackerBox === undefined ? undefined : readCommitment(args.trackerBox, '--tracker-box'),
  };
  if (args.commitments !== undefined) {
    chain.commitments = fromChainFile(args.commitments, '--commitments', bt.parseCommitments);
    if (chain.commitments.length === 0) {
      // An empty file (a download that failed, say) would check nothing.
      throw new UsageError(`--commitments ${args.commitments} holds no commitment: give at least one, or leave the flag out`);
    }
    // The line of each commitment in the file, to name the one a log does not reach.
    const text = readText(args.commitments, '--commitments');
    if (!text.trim().startsWith('[')) {
      chain.lines = text.split(/\r?\n/).flatMap((line, i) => (line.trim() === '' || line.trim().startsWith('#') ? [] : [i + 1]));
    }
  }
  return chain;
}

/**
 * A replay's error said of the command line: a COMMITMENT_MISSING of the --commitments file's
 * line, a snapshot that does not read of its file, a log whose header does not start where the
 * replay does of the checkpoint it continues from.
 */
function explained(err, chain, args) {
  if (!err || err.name !== 'BasisTreeError') return err;
  if (err.code === 'COMMITMENT_MISSING' && chain.lines && chain.lines[err.index] !== undefined) {
    err.message += ` (line ${chain.lines[err.index]} of ${args.commitments})`;
  } else if (err.code === 'SNAPSHOT_INVALID' && args.start !== undefined) {
    err.message = `--start ${args.start}: ${err.message}`;
  } else if (err.offset === 0 && err.sequence === undefined && err.code === 'LOG_SEQUENCE') {
    // The header's start reference: the record the log continues after.
    err.message +=
      args.start === undefined
        ? ` (the log continues after record ${err.actual}: verify it from the snapshot of the checkpoint at record ${err.actual}, with --start SNAPSHOT)`
        : ` (the log continues after record ${err.actual}, but the snapshot --start ${args.start} is at record ${err.expected})`;
  } else if (err.offset === 0 && err.sequence === undefined && err.code === 'ROOT_BEFORE_MISMATCH') {
    err.message +=
      args.start === undefined
        ? " (the log's header starts from another tree than the empty one)"
        : ` (the log's header starts from another tree than the snapshot --start ${args.start})`;
  }
  return err;
}

/** The verifier's options: the shape is the one the log declares, --key-length / --value-length assert it. */
function verifierOptions(args, chain) {
  const options = { ...args.limits, keyLength: args.keyLength, valueLength: args.valueLength };
  if (args.expectRoot !== undefined) options.expectRoot = args.expectRoot;
  if (chain.trackerBox !== undefined) options.expectRoot = chain.trackerBox.tree;
  if (chain.commitments !== undefined) options.commitments = chain.commitments;
  if (args.start !== undefined) {
    try {
      options.start = fs.readFileSync(args.start);
    } catch (err) {
      throw new UsageError(`cannot read ${args.start}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
    }
  }
  return options;
}

/** Without --expect-root or --tracker-box nothing vouches for the log's end. */
function warnings(args) {
  if (args.expectRoot !== undefined || args.trackerBox !== undefined) return [];
  const warning =
    'no --expect-root or --tracker-box given: nothing vouches for the end of the log, and a log cut short between ' +
    'two records verifies too; pass the digest committed on chain, or the tracker\'s box';
  console.error(`warning: ${warning}`);
  return [warning];
}

/** Streams the file into `sink(chunk)`, reporting progress. */
async function feed(log, sink, bar, progress) {
  for await (const chunk of log.stream()) {
    for (let at = 0; at < chunk.length; at += 1 << 16) {
      sink(chunk.subarray(at, at + (1 << 16)));
      bar.update(progress());
    }
  }
}

async function verify(args) {
  if (args.positionals.length > 1) throw new UsageError('verify takes exactly one LOG');
  const log = openLog(args.positionals[0]);
  const chain = chainOptions(args);
  const options = verifierOptions(args, chain);
  const bar = progressBar(log.size, args);
  const started = Date.now();
  let lastProgress;
  let report;
  try {
    report = await bt.verifyLogStream(log.stream(), {
      ...options,
      onProgress: (progress) => {
        lastProgress = progress;
        bar.update(progress);
      },
    });
  } catch (err) {
    throw explained(err, chain, args);
  } finally {
    bar.done(report && lastProgress);
  }
  const seconds = (Date.now() - started) / 1000;
  const warned = warnings(args);
  if (args.json) {
    console.log(JSON.stringify({
      ok: true,
      operations: report.operations,
      firstSequence: String(report.firstSequence),
      lastSequence: String(report.lastSequence),
      startRoot: bt.toHex(report.startRoot),
      finalRoot: bt.toHex(report.finalRoot),
      trackerBox: chain.trackerBox === undefined ? undefined : commitmentJson(chain.trackerBox),
      commitments: report.commitments.map(({ digest, sequence }) => ({ digest: bt.toHex(digest), sequence: String(sequence) })),
      bytes: log.size,
      warnings: warned,
    }));
  } else {
    console.log(`OK  ${log.path}: every record verified`);
    console.log(`  records      ${report.operations.toLocaleString('en-US')} (sequence ${report.firstSequence} to ${report.lastSequence})`);
    console.log(`  start root   ${bt.toHex(report.startRoot)}`);
    console.log(`  final root   ${bt.toHex(report.finalRoot)}`);
    const expected =
      chain.trackerBox !== undefined
        ? `the final root is the tracker box's R5 digest, and the log its tree's shape (${describeShape(chain.trackerBox.tree)})`
        : args.expectRoot !== undefined
          ? 'the final root matches --expect-root'
          : 'none given (see the warning)';
    console.log(`  expected     ${expected}`);
    if (chain.trackerBox !== undefined) printCommitment(chain.trackerBox, '  ');
    if (chain.commitments !== undefined) {
      console.log(`  commitments  ${report.commitments.length} reached, in order:`);
      report.commitments.forEach(({ digest, sequence }, i) => {
        console.log(`    ${String(i + 1).padStart(3)}  ${bt.toHex(digest)}  after record ${sequence}`);
      });
    }
    console.log(`  read         ${(log.size / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`);
  }
  return 0;
}

async function inspect(args) {
  if (args.positionals.length > 1) throw new UsageError('inspect takes exactly one LOG');
  const log = openLog(args.positionals[0]);
  const bar = progressBar(log.size, args);
  const decoder = new bt.LogDecoder(args.limits);
  let first;
  let last;
  let count = 0;
  const counts = { insert: 0, update: 0, remove: 0 };
  try {
    const take = (records) => {
      for (const record of records) {
        if (first === undefined) first = record;
        last = record;
        count += 1;
        counts[record.type] += 1;
      }
    };
    await feed(log, (chunk) => take(decoder.push(chunk)), bar, () => decoder.progress());
    take(decoder.finish());
  } finally {
    bar.done();
  }
  const header = decoder.header;
  decoder.free();
  const shape = header && header.shape;
  const summary = {
    ok: true,
    format: header ? header.format : null,
    keyLength: shape ? shape.keyLength : null,
    valueLength: shape ? shape.valueLength : null,
    records: count,
    inserts: counts.insert,
    updates: counts.update,
    removes: counts.remove,
    firstSequence: first ? String(first.sequenceNumber) : null,
    lastSequence: last ? String(last.sequenceNumber) : null,
    startRoot: first ? bt.toHex(first.rootBefore) : null,
    finalRoot: last ? bt.toHex(last.rootAfter) : null,
    bytes: log.size,
  };
  if (args.json) {
    console.log(JSON.stringify(summary));
  } else {
    console.log(`${log.path} (${summary.format} log, not verified: use \`basis-trees verify\`)`);
    console.log(`  shape        ${shape ? describeShape(shape) : '-'}`);
    console.log(`  records      ${count.toLocaleString('en-US')} (${counts.insert} inserts, ${counts.update} updates, ${counts.remove} removes)`);
    console.log(`  sequence     ${summary.firstSequence ?? '-'} to ${summary.lastSequence ?? '-'}`);
    console.log(`  start root   ${summary.startRoot ?? '-'}`);
    console.log(`  final root   ${summary.finalRoot ?? '-'}`);
  }
  return 0;
}

async function prove(args) {
  const [path, ...keys] = args.positionals;
  const log = openLog(path);
  if (keys.length === 0) throw new UsageError('prove takes a LOG and at least one KEY');
  for (const key of keys) {
    if (!/^([0-9a-fA-F]{2})+$/.test(key)) throw new UsageError(`KEY must be hex, got '${key}'`);
  }
  const chain = chainOptions(args);
  let verifier;
  try {
    verifier = new bt.LogVerifier(verifierOptions(args, chain));
  } catch (err) {
    throw explained(err, chain, args);
  }
  const bar = progressBar(log.size, args);
  let tree;
  try {
    try {
      await feed(log, (chunk) => verifier.push(chunk), bar, () => verifier.progress());
      verifier.finish();
    } catch (err) {
      throw explained(err, chain, args);
    } finally {
      bar.done();
    }
    const keyLength = verifier.header ? verifier.header.shape.keyLength : args.keyLength;
    for (const key of keys) {
      if (key.length !== 2 * keyLength) throw new UsageError(`KEY ${key} is ${key.length / 2} bytes; the log's keys are ${keyLength}`);
    }
    const warned = warnings(args);
    tree = verifier.tree();
    const hexKeys = keys.map((k) => k.toLowerCase());
    const proof = tree.proveLookup(hexKeys);
    const values = hexKeys.map((k) => tree.get(k));
    const digest = tree.digest;
    if (args.json) {
      console.log(JSON.stringify({
        ok: true,
        digest: bt.toHex(digest),
        proof: bt.toHex(proof),
        values: hexKeys.map((key, i) => ({ key, value: values[i] === undefined ? null : bt.toHex(values[i]) })),
        warnings: warned,
      }));
    } else {
      console.log(`digest  ${bt.toHex(digest)}`);
      hexKeys.forEach((key, i) => console.log(`key     ${key}  ${values[i] === undefined ? 'absent' : 'value ' + bt.toHex(values[i])}`));
      console.log(`proof   ${bt.toHex(proof)}`);
    }
    return 0;
  } finally {
    if (tree) tree.free();
    verifier.free();
  }
}

/** A commitment for --json: bytes as hex. */
function commitmentJson(commitment) {
  const { tree } = commitment;
  return {
    boxId: commitment.boxId === undefined ? null : bt.toHex(commitment.boxId),
    boxIdVerified: commitment.boxIdVerified === true,
    creationHeight: commitment.creationHeight ?? null,
    trackerKey: commitment.trackerKey === undefined ? null : bt.toHex(commitment.trackerKey),
    digest: bt.toHex(tree.digest),
    keyLength: tree.keyLength,
    valueLength: tree.valueLength,
    insertAllowed: tree.insertAllowed,
    updateAllowed: tree.updateAllowed,
    removeAllowed: tree.removeAllowed,
  };
}

/** What a commitment holds, one field a line. */
function printCommitment(commitment, indent = '') {
  const { tree } = commitment;
  const flags = ['insert', 'update', 'remove'].filter((op) => tree[`${op}Allowed`]);
  if (commitment.boxId !== undefined) {
    const verified = commitment.boxIdVerified ? 'recomputed from the box' : 'as the JSON gives it, not recomputed';
    console.log(`${indent}box id       ${bt.toHex(commitment.boxId)} (${verified})`);
  }
  if (commitment.creationHeight !== undefined) console.log(`${indent}created at   height ${commitment.creationHeight}`);
  if (commitment.trackerKey !== undefined) console.log(`${indent}tracker key  ${bt.toHex(commitment.trackerKey)} (R4)`);
  console.log(`${indent}digest       ${bt.toHex(tree.digest)} (R5)`);
  console.log(`${indent}shape        ${describeShape(tree)}`);
  console.log(`${indent}on-chain ops ${flags.length ? flags.join(', ') : 'none'} allowed`);
}

async function commitment(args) {
  if (args.positionals.length !== 1) throw new UsageError('commitment takes exactly one BOX.json (or a file of its R5 register in hex)');
  // The box is what is checked here: one that does not read fails with its code (exit 1).
  const read = commitmentOf(readText(args.positionals[0], 'commitment'));
  if (args.json) {
    console.log(JSON.stringify({ ok: true, ...commitmentJson(read) }));
  } else {
    console.log(`${args.positionals[0]}: ${read.trackerKey !== undefined ? "a tracker's commitment box" : 'an AvlTree register'}`);
    printCommitment(read, '  ');
  }
  return 0;
}

async function main(argv) {
  const json = argv.includes('--json');
  try {
    const [command, ...rest] = argv;
    if (command === '-h' || command === '--help' || command === 'help') {
      console.log(USAGE);
      return 0;
    }
    if (command === undefined || command.startsWith('-')) throw new UsageError('no command given: verify, inspect, prove or commitment');
    if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command ${command}`);
    const args = parse(command, rest);
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    return await COMMANDS[command].run(args);
  } catch (err) {
    return fail(err, json);
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
