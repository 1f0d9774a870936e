#!/usr/bin/env node
'use strict';
// basis-trees: verify, inspect and query Basis tracker operation logs from the command line, and
// serve the log-verifier page. Every subcommand fails the same way (one handler, `fail`): exit 1
// when the data does not verify (the error code, sequence and reason), 2 for a usage error (a bad
// option or value, a file that cannot be read or is of another kind), 3 when something else went
// wrong; with --json, one JSON object on stdout in every case.

const fs = require('node:fs');
const bt = require('./index.cjs');
const { version } = require('./package.json');
const cliNote = require('./cli-note.cjs');

const USAGE = `usage:
  basis-trees verify LOG [--tracker-box BOX.json | --expect-root HEX] [--commitments FILE]
                         [--start SNAPSHOT] [--stateless] [--key-length N] [--value-length N|any]
                         [--max-value-length N] [--max-record-length N] [--json] [--progress]
  basis-trees inspect LOG [--max-value-length N] [--max-record-length N] [--json] [--progress]
  basis-trees prove LOG KEY... [the options of verify but --stateless]
  basis-trees verify-proof KEY... --proof HEX (--digest HEX | --tracker-box BOX.json)
                         [--key-length N] [--value-length N|any] [--json]
  basis-trees commitment BOX.json [--json]
  basis-trees ${cliNote.SYNOPSIS}
  basis-trees serve [--port N] [--host HOST]
  basis-trees --version | --help

verify   replays the log (binary or NDJSON), checking every record; exit 0 when it verifies,
         1 when it does not (with the error code, sequence and reason). Give --expect-root, the
         digest committed on chain: without it nothing vouches for the log's end, and a log cut
         short between two records verifies too. The tree's shape is the one the log declares;
         --key-length / --value-length assert it. --start verifies a log that continues from a
         checkpoint snapshot. --stateless checks each record with the proof it carries and holds
         no tree (memory stays flat however long the log). A record is refused before it is read
         whole when it is longer than its shape allows: values of a variable-length log at most
         64 KiB unless --max-value-length raises the cap, records at most --max-record-length
         when given.
         --tracker-box takes the tracker's commitment box as JSON, copied from a node
         (/utxo/byId/ID) or an explorer (/api/v1/boxes/ID): the log must end at the digest of its
         R5 register and be of that tree's shape. --commitments FILE lists earlier commitments,
         oldest first, one a line (a digest or an R5 register in hex, or a box as JSON on one
         line; # starts a comment): the log must reach each, in order
inspect  replays the log with nothing from the chain and says what it holds: format, shape,
         records by kind (inserts, updates, removes), sequence range, roots
prove    replays the log as verify does, then prints a lookup proof of the KEYs (hex) and their
         values (a debt, for the Basis tracker's shape)
verify-proof  checks a lookup proof of the KEYs, as prove prints it, against a digest (or the
         tracker's box) and prints the value each KEY has, or that it is absent
commitment  reads a tracker's commitment box (JSON, or its R5 register in hex) and prints what
         it holds: the tracker's key (R4), the tree's digest, shape and flags (R5), the box id
         (recomputed from the box when the JSON has all of it) and height
${cliNote.HELP}
serve    serves the log-verifier page from this package on http://127.0.0.1:8080/ (--port and
         --host change it; --port 0 picks a free port): verify a log in the browser

Hex may be written with 0x and surrounding whitespace. Files are read up to a limit per kind,
checked as they are read: a box (--tracker-box, commitment) 1 MiB, a --commitments list 16 MiB,
a --start snapshot 1 GiB; a LOG is streamed, a record at a time.

A progress bar is drawn on stderr when it is a terminal; --progress prints progress lines even
when it is not. --json prints one JSON object on stdout, for failures too.

Exit codes: 0 success, 1 the data does not verify, 2 usage error (unknown option, bad value, a
file unreadable, too long or of another kind), 3 any other failure.`;

/** A mistake on the command line: exit 2. */
class UsageError extends Error {}

/** The flags, and the value each takes (none: a switch). */
const FLAGS = {
  'expect-root': { value: 'HEX' },
  'tracker-box': { value: 'BOX.json' },
  commitments: { value: 'FILE' },
  start: { value: 'SNAPSHOT' },
  stateless: {},
  'key-length': { value: 'N' },
  'value-length': { value: 'N|any' },
  'max-value-length': { value: 'N' },
  'max-record-length': { value: 'N' },
  proof: { value: 'HEX' },
  'tracker-signature': { value: 'FILE|HEX' },
  digest: { value: 'HEX' },
  port: { value: 'N' },
  host: { value: 'HOST' },
  json: {},
  progress: {},
  help: {},
};

const READ_FLAGS = ['max-value-length', 'max-record-length', 'json', 'progress'];
const REPLAY_FLAGS = ['expect-root', 'tracker-box', 'commitments', 'start', 'key-length', 'value-length', ...READ_FLAGS];

/** Each subcommand: its usage line, the flags it takes (and --help), and what runs it. */
const COMMANDS = {
  verify: {
    synopsis: `verify LOG [--tracker-box BOX.json | --expect-root HEX] [--commitments FILE]
                         [--start SNAPSHOT] [--stateless] [--key-length N] [--value-length N|any]
                         [--max-value-length N] [--max-record-length N] [--json] [--progress]`,
    flags: [...REPLAY_FLAGS, 'stateless'],
    run: verify,
  },
  inspect: { synopsis: 'inspect LOG [--max-value-length N] [--max-record-length N] [--json] [--progress]', flags: READ_FLAGS, run: inspect },
  prove: { synopsis: 'prove LOG KEY... [the options of verify but --stateless]', flags: REPLAY_FLAGS, run: prove },
  'verify-proof': {
    synopsis: `verify-proof KEY... --proof HEX (--digest HEX | --tracker-box BOX.json)
                         [--key-length N] [--value-length N|any] [--json]`,
    flags: ['proof', 'digest', 'tracker-box', 'key-length', 'value-length', 'json'],
    run: verifyProofOfKeys,
  },
  commitment: { synopsis: 'commitment BOX.json [--json]', flags: ['json'], run: commitment },
  serve: { synopsis: 'serve [--port N] [--host HOST]', flags: ['port', 'host'], run: serve },
  note: { synopsis: cliNote.SYNOPSIS, flags: ['tracker-box', 'tracker-signature', 'proof', 'json'], run: (args) => cliNote.noteCommand({ bt, readFile, UsageError, plain })(args) },
};

/** The library's argument each flag sets, to name the flag when the library refuses it. */
const FLAG_OF_OPTION = {
  expectRoot: '--expect-root',
  commitments: '--commitments',
  start: '--start',
  keyLength: '--key-length',
  valueLength: '--value-length',
  maxValueLength: '--max-value-length',
  maxRecordLength: '--max-record-length',
  digest: '--digest',
  proof: '--proof',
};

const MiB = 1 << 20;

/**
 * The most the command line reads of each kind of file, checked as the bytes arrive (so that
 * /dev/zero or a runaway download costs one chunk more than the limit, not the machine's memory).
 * A box's JSON is at most what the library takes; a snapshot is held whole to restore the tree.
 */
const FILE_LIMITS = {
  box: { bytes: MiB, size: '1 MiB', what: "a box's JSON or a register's hex" },
  commitments: { bytes: 16 * MiB, size: '16 MiB', what: 'a list of commitments' },
  snapshot: { bytes: 1024 * MiB, size: '1 GiB', what: 'a snapshot' },
};

/** A file's first bytes are read to tell what it is (an NDJSON log's header line fits). */
const HEAD_BYTES = 64 * 1024;

/** What each kind of file is called, and where on the command line it goes. */
const KINDS = {
  'binary log': { name: 'a binary log', goes: 'a log is the LOG of verify, inspect or prove' },
  'NDJSON log': { name: 'an NDJSON log', goes: 'a log is the LOG of verify, inspect or prove' },
  snapshot: { name: 'a snapshot', goes: 'a snapshot goes to --start, with the log that continues from it' },
  box: { name: 'a box as JSON', goes: 'a box goes to --tracker-box, or to `basis-trees commitment`, which reads it' },
  hex: { name: 'hex', goes: 'a digest or register goes to --expect-root, --tracker-box or --commitments' },
};

/** What the file whose first bytes are `head` is, when that can be told; otherwise undefined. */
function kindOf(head) {
  const magic = head.toString('latin1', 0, 8);
  if (magic === '\x89BTLOG\r\n') return 'binary log';
  if (magic === '\x89BTSNP\r\n') return 'snapshot';
  const text = head.toString('utf8');
  const newline = text.indexOf('\n');
  if (text.startsWith('{') && /"format"\s*:\s*"basis-trees-log"/.test(newline < 0 ? text : text.slice(0, newline))) return 'NDJSON log';
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{') && /"(boxId|ergoTree|additionalRegisters)"\s*:/.test(trimmed)) return 'box';
  if (/^(0x)?[0-9a-fA-F]+\s*$/.test(trimmed)) return 'hex';
  return undefined;
}

/** How a file is named in a message: with its flag, or alone when it is an argument (`slot` null). */
function named(slot, path) {
  return slot ? `${slot} ${path}` : path;
}

/** Refuses a file named by `slot` that holds another kind than `expected` (its first kind named). */
function checkKind(head, path, slot, expected) {
  const kind = kindOf(head);
  if (kind === undefined || expected.includes(kind)) return;
  const wanted = expected.includes('binary log') ? 'a log' : KINDS[expected[0]].name;
  throw new UsageError(`${named(slot, path)} is ${KINDS[kind].name}, not ${wanted}: ${KINDS[kind].goes}`);
}

/** A file system error in words. */
const FS_WORDS = {
  ENOENT: 'no such file',
  EISDIR: 'a directory, not a file',
  ENOTDIR: 'a part of its path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'a loop of symbolic links',
  EMFILE: 'too many files open',
  ENFILE: 'too many files open',
  EIO: 'an input/output error',
  ENXIO: 'no such device',
  ENODEV: 'no such device',
  EAGAIN: 'nothing to read yet (a non-blocking source)',
  EBUSY: 'the file is busy',
  EINVAL: 'it cannot be read as a file',
};

function fsWords(err) {
  return FS_WORDS[err && err.code] || `the system says ${(err && err.code) || 'no'}`;
}

/** A file named by `slot` that cannot be read: a usage error, in words. */
function cannotRead(slot, path, err) {
  return new UsageError(`${slot ? `${slot}: ` : ''}cannot read ${path}: ${fsWords(err)}`);
}

/**
 * The bytes of the file `path` named by `slot`, a chunk at a time: refused as soon as more than
 * the limit of its kind (`FILE_LIMITS[limit]`) has arrived, or when its first bytes say it is
 * of another kind than `expected` (`kindOf`). A regular file is read into one buffer of its size.
 * `stopAfterHead(head)` may end the read after the first chunk (a snapshot's wrong magic: the
 * library says where it is wrong, and the rest need not be read).
 */
function readFile(path, slot, limit, expected, stopAfterHead = () => false) {
  const { bytes: most, size, what } = FILE_LIMITS[limit];
  const tooLong = () => new UsageError(`${named(slot, path)} is more than ${size}, the most ${what} can be here`);
  let fd;
  try {
    fd = fs.openSync(path, 'r');
  } catch (err) {
    throw cannotRead(slot, path, err);
  }
  try {
    let stat;
    try {
      stat = fs.fstatSync(fd);
    } catch (err) {
      throw cannotRead(slot, path, err);
    }
    if (stat.isDirectory()) throw cannotRead(slot, path, { code: 'EISDIR' });
    if (stat.isFile() && stat.size > most) throw tooLong();
    let buffer = Buffer.allocUnsafe(Math.min(most + 1, stat.isFile() ? stat.size + 1 : HEAD_BYTES));
    let length = 0;
    let headChecked = false;
    for (;;) {
      if (length === buffer.length) {
        const grown = Buffer.allocUnsafe(Math.min(most + 1, 2 * buffer.length));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      let read;
      try {
        read = fs.readSync(fd, buffer, length, Math.min(buffer.length - length, 4 * MiB), null);
      } catch (err) {
        throw cannotRead(slot, path, err);
      }
      length += read;
      if (length > most) throw tooLong();
      if (!headChecked && (read === 0 || length >= HEAD_BYTES)) {
        headChecked = true;
        const head = buffer.subarray(0, Math.min(length, HEAD_BYTES));
        checkKind(head, path, slot, expected);
        if (stopAfterHead(head)) return buffer.subarray(0, length);
      }
      if (read === 0) return buffer.subarray(0, length);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Optimal string alignment distance: the edits (with swaps of neighbours) from `a` to `b`. */
function editDistance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The one of `names` that `word` was most likely meant to be, if any is close. */
function nearest(word, names) {
  let best;
  let bestDistance = Infinity;
  for (const name of names) {
    const distance = word.length >= 3 && name.startsWith(word) ? 0.5 : editDistance(word, name);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

/** The message for an option `command` does not take. */
function unknownOption(command, written) {
  const name = written.replace(/^--?/, '');
  if (written.startsWith('--') && Object.hasOwn(FLAGS, name)) {
    const takers = Object.keys(COMMANDS).filter((other) => COMMANDS[other].flags.includes(name));
    return `unknown option ${written} for ${command} (${takers.join(' and ')} ${takers.length === 1 ? 'takes' : 'take'} it)`;
  }
  const near = nearest(name, [...COMMANDS[command].flags, 'help']);
  return `unknown option ${written}${near ? ` (did you mean --${near}?)` : ''}`;
}

/**
 * The command line of `command`: `--flag value`, `--flag=value`, switches, `-h`, and positionals
 * (everything after `--` too). A flag given twice is refused: which one was meant?
 */
function parseFlags(command, argv) {
  const allowed = [...COMMANDS[command].flags, 'help'];
  const values = {};
  const positionals = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const written = equals < 0 ? arg : arg.slice(0, equals);
    const name = written === '-h' ? 'help' : written.startsWith('--') ? written.slice(2) : undefined;
    if (name === undefined || !allowed.includes(name)) throw new UsageError(unknownOption(command, written));
    if (Object.hasOwn(values, name)) throw new UsageError(`--${name} is given twice: give it once`);
    const { value } = FLAGS[name];
    if (value === undefined) {
      if (equals >= 0) throw new UsageError(`--${name} takes no value`);
      values[name] = true;
    } else if (equals >= 0) {
      values[name] = arg.slice(equals + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value: --${name} ${value}`);
      values[name] = next;
      i += 1;
    }
  }
  return { values, positionals };
}

/** Hex as pasted: surrounding whitespace and a `0x` taken off. */
function pastedHex(text) {
  return text.trim().replace(/^0x/i, '');
}

/** The command line of `command`, parsed and checked: `{ positionals, ...flags }`. */
function parse(command, argv) {
  const { values, positionals } = parseFlags(command, argv);
  const number = (flag) => {
    const text = values[flag];
    if (text === undefined) return undefined;
    if (!/^[0-9]+$/.test(text)) throw new UsageError(`--${flag} needs a whole number, got '${text}'`);
    return Number(text);
  };
  const valueLength = values['value-length'];
  if (valueLength !== undefined && valueLength !== 'any' && !/^[0-9]+$/.test(valueLength)) {
    throw new UsageError(`--value-length needs a number of bytes or 'any', got '${valueLength}'`);
  }
  let expectRoot;
  if (values['expect-root'] !== undefined) {
    expectRoot = flagCommitment(values['expect-root'], '--expect-root');
    if (values['tracker-box'] !== undefined) throw new UsageError('give --tracker-box or --expect-root, not both: the box holds the digest');
  }
  if (values.digest !== undefined && values['tracker-box'] !== undefined) {
    throw new UsageError('give --tracker-box or --digest, not both: the box holds the digest');
  }
  const port = number('port');
  if (port !== undefined && port > 65535) throw new UsageError(`--port needs a port number, 0 to 65535, got '${values.port}'`);
  return {
    positionals,
    trackerBox: values['tracker-box'],
    commitments: values.commitments,
    json: Boolean(values.json),
    progress: Boolean(values.progress),
    help: Boolean(values.help),
    stateless: Boolean(values.stateless),
    expectRoot,
    start: values.start,
    keyLength: number('key-length'),
    valueLength: valueLength === undefined ? undefined : valueLength === 'any' ? null : Number(valueLength),
    limits: { maxValueLength: number('max-value-length'), maxRecordLength: number('max-record-length') },
    digest: values.digest === undefined ? undefined : flagCommitment(values.digest, '--digest'),
    trackerSignature: values['tracker-signature'],
    proof: values.proof === undefined || command === 'note' ? values.proof : hexArgument(values.proof, '--proof', 'a proof in hex, as `basis-trees prove` prints it'),
    port,
    host: values.host,
  };
}

/** Hex given to `flag`, as pasted; a usage error saying `what` it needs otherwise. */
function hexArgument(text, flag, what) {
  const hex = pastedHex(text);
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new UsageError(`${flag} needs ${what}`);
  return hex.toLowerCase();
}

/**
 * A commitment given to `flag` on the command line, as the library reads a pasted one
 * (`parseCommitment`: a digest or an R5 register in hex, or a box as JSON).
 */
function flagCommitment(text, flag) {
  try {
    return bt.parseCommitment(text);
  } catch (err) {
    if (!bt.isBasisTreeError(err)) throw err;
    if (err.code === 'INVALID_ARGUMENT') throw new UsageError(`${flag} needs a 33-byte digest in hex (66 digits), or an R5 register (an AvlTree) in hex`);
    throw new UsageError(`${flag}: ${err.code}: ${err.message}`);
  }
}

function openLog(path) {
  if (path === undefined) throw new UsageError('no LOG given');
  let size;
  let head;
  try {
    const stat = fs.statSync(path);
    if (!stat.isFile()) throw new UsageError(`${path} is not a file`);
    size = stat.size;
    const fd = fs.openSync(path, 'r');
    try {
      head = Buffer.alloc(Math.min(size, HEAD_BYTES));
      head = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw cannotRead(null, path, err);
  }
  checkKind(head, path, null, ['binary log', 'NDJSON log']);
  return { path, size, format: kindOf(head) === 'NDJSON log' ? 'ndjson' : 'binary', stream: () => fs.createReadStream(path, { highWaterMark: MiB }) };
}

/** An error of the file system while a LOG is read (after it opened): exit 3, in words. */
function readingFailed(err, log) {
  if (err && typeof err.syscall === 'string') return new Error(`cannot read ${log.path} to its end: ${fsWords(err)}`);
  return err;
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

/** The usage of `command` (or of them all), in a few lines, for a usage error. */
function shortUsage(command) {
  const lines = Object.hasOwn(COMMANDS, command)
    ? [`usage: basis-trees ${COMMANDS[command].synopsis}`]
    : [`usage: basis-trees ${Object.keys(COMMANDS).join(' | ')} ...`];
  lines.push(`(basis-trees ${Object.hasOwn(COMMANDS, command) ? `${command} ` : ''}--help says more)`);
  return lines.join('\n');
}

/**
 * Every failure of every subcommand ends here: the exit code, and what went wrong on stdout
 * (the data's verdict) or stderr (usage), or as one JSON object on stdout with --json.
 */
function fail(err, json, command) {
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
    console.error(`basis-trees: ${out.message}\n${shortUsage(command)}`);
  } else {
    console.error(`basis-trees: ${out.message}`);
  }
  return status;
}

/**
 * What the chain's data in the file `path` named by `slot` holds, read by `read()`: data that
 * holds no box, register or digest is the command line's mistake (exit 2), named with the flag,
 * the file and the line.
 */
function fromChain(slot, path, read) {
  try {
    return read();
  } catch (err) {
    if (!bt.isBasisTreeError(err)) throw err;
    const where = [slot, path, err.line !== undefined ? `line ${err.line}` : undefined].filter(Boolean).join(' ');
    throw new UsageError(`${where}: ${err.code === 'INVALID_ARGUMENT' ? '' : `${err.code}: `}${err.message}`);
  }
}

/** The text of a box (or register) file named by `slot`, read within the box limit. */
function readBox(path, slot) {
  return readFile(path, slot, 'box', ['box', 'hex']).toString('utf8');
}

/**
 * The tracker's commitment in a text (`parseCommitment`): a box as JSON or its R5 register, whose
 * tree gives the shape; a bare digest is refused (`where` names it), it belongs to --expect-root.
 */
function trackerCommitmentOf(text, where) {
  const parsed = bt.parseCommitment(text);
  if (parsed.kind === 'digest') throw new UsageError(`${where} holds a digest, not a box or an R5 register: a digest goes to --expect-root`);
  return parsed;
}

/** What a parsed commitment anchors a replay or proof to: the box, the register's tree, or the digest. */
function anchorOf(parsed) {
  return parsed.box ?? parsed.tree ?? parsed.digest;
}

/** A parsed box or register as printed: the box's commitment, or the register's tree alone. */
function shown(parsed) {
  return parsed.box ?? { tree: parsed.tree };
}

/** The tracker's commitment in the file `path` named by `slot`. */
function readCommitment(path, slot) {
  const text = readBox(path, slot);
  return fromChain(slot, path, () => trackerCommitmentOf(text, `${slot} ${path}`));
}

/** The chain's commitments the options name: `{ trackerBox?, commitments?, lines? }`. */
function chainOptions(args) {
  const chain = {
    trackerBox: args.trackerBox === undefined ? undefined : readCommitment(args.trackerBox, '--tracker-box'),
  };
  if (args.commitments !== undefined) {
    const text = readFile(args.commitments, '--commitments', 'commitments', ['hex', 'box']).toString('utf8');
    chain.commitments = fromChain('--commitments', args.commitments, () => bt.parseCommitments(text));
    if (chain.commitments.length === 0) {
      // An empty file (a download that failed, say) would check nothing.
      throw new UsageError(`--commitments ${args.commitments} holds no commitment: give at least one, or leave the flag out`);
    }
    // The line of each commitment in the file, to name the one a log does not reach.
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

/** A snapshot's first bytes that are no snapshot's: the library says where, the rest is not read. */
const notSnapshot = (head) => head.toString('latin1', 0, 8) !== '\x89BTSNP\r\n';

/** The options given: a flag left out is an option left out. */
function definedOnly(options) {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

/** The verifier's options: the shape is the one the log declares, --key-length / --value-length assert it. */
function verifierOptions(args, chain) {
  const options = definedOnly({ ...args.limits, keyLength: args.keyLength, valueLength: args.valueLength });
  if (args.expectRoot !== undefined) options.expectRoot = anchorOf(args.expectRoot);
  if (chain.trackerBox !== undefined) options.expectRoot = anchorOf(chain.trackerBox);
  if (chain.commitments !== undefined) options.commitments = chain.commitments;
  if (args.stateless) options.stateless = true;
  if (args.start !== undefined) options.start = readFile(args.start, '--start', 'snapshot', ['snapshot'], notSnapshot);
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

/**
 * Replays the LOG with the library's streaming verifier (`verifyLogStream`), drawing progress;
 * `extra` adds its `keepTree` / `onRecord`. A failure is said of the command line (`explained`).
 */
async function replay(log, args, options, chain, extra = {}) {
  const bar = progressBar(log.size, args);
  let lastProgress;
  let report;
  try {
    report = await bt.verifyLogStream(log.stream(), {
      ...options,
      ...extra,
      onProgress: (progress) => {
        lastProgress = progress;
        bar.update(progress);
      },
    });
    return report;
  } catch (err) {
    throw readingFailed(explained(err, chain, args), log);
  } finally {
    bar.done(report && lastProgress);
  }
}

async function verify(args) {
  if (args.positionals.length > 1) throw new UsageError('verify takes exactly one LOG');
  const log = openLog(args.positionals[0]);
  const chain = chainOptions(args);
  const started = Date.now();
  const report = await replay(log, args, verifierOptions(args, chain), chain);
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
      anchor: report.anchor,
      stateless: args.stateless,
      trackerBox: chain.trackerBox === undefined ? undefined : commitmentJson(shown(chain.trackerBox)),
      commitments: report.commitments.map(({ digest, sequence }) => ({ digest: bt.toHex(digest), sequence: String(sequence) })),
      bytes: log.size,
      warnings: warned,
    }));
  } else {
    console.log(`OK  ${log.path}: every record verified${args.stateless ? ' by the proof it carries (stateless: no tree held)' : ''}`);
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
    if (chain.trackerBox !== undefined) printCommitment(shown(chain.trackerBox), '  ');
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

/** `inspect`: the log replayed with nothing from the chain, and what its records are. */
async function inspect(args) {
  if (args.positionals.length > 1) throw new UsageError('inspect takes exactly one LOG');
  const log = openLog(args.positionals[0]);
  const counts = { insert: 0, update: 0, remove: 0 };
  const report = await replay(log, args, definedOnly(args.limits), {}, { keepTree: true, onRecord: (record) => (counts[record.type] += 1) });
  const { shape } = report.tree;
  report.tree.free();
  const empty = report.operations === 0;
  const summary = {
    ok: true,
    format: log.format,
    keyLength: shape.keyLength,
    valueLength: shape.valueLength,
    records: report.operations,
    inserts: counts.insert,
    updates: counts.update,
    removes: counts.remove,
    firstSequence: empty ? null : String(report.firstSequence),
    lastSequence: empty ? null : String(report.lastSequence),
    startRoot: bt.toHex(report.startRoot),
    finalRoot: bt.toHex(report.finalRoot),
    bytes: log.size,
  };
  if (args.json) {
    console.log(JSON.stringify(summary));
  } else {
    console.log(`${log.path} (${summary.format} log, every record verified; nothing from the chain checked: use \`basis-trees verify\`)`);
    console.log(`  shape        ${describeShape(shape)}`);
    console.log(`  records      ${report.operations.toLocaleString('en-US')} (${counts.insert} inserts, ${counts.update} updates, ${counts.remove} removes)`);
    console.log(`  sequence     ${summary.firstSequence ?? '-'} to ${summary.lastSequence ?? '-'}`);
    console.log(`  start root   ${summary.startRoot}`);
    console.log(`  final root   ${summary.finalRoot}`);
  }
  return 0;
}

/** The KEYs of the command line: hex as pasted, of `keyLength` bytes when it is known. */
function keysOf(keys, keyLength, whose) {
  return keys.map((key) => {
    const hex = pastedHex(key);
    if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new UsageError(`KEY must be hex, got '${key}'`);
    if (keyLength !== undefined && hex.length !== 2 * keyLength) {
      throw new UsageError(`KEY ${hex} is ${hex.length / 2} bytes; ${whose} keys are ${keyLength}`);
    }
    return hex.toLowerCase();
  });
}

/** The total debt an 8-byte value holds in a tree of the Basis tracker's shape, as a decimal string. */
function debtOf(value, shape) {
  const basis = shape.keyLength === 32 && (shape.valueLength === null || shape.valueLength === 8);
  return basis && value.length === 8 ? String(bt.decodeDebt(value)) : undefined;
}

/** Each key's value for --json: hex, and the debt for the Basis shape. */
function valuesJson(keys, values, shape) {
  return keys.map((key, i) => {
    const value = values[i];
    const debt = value === undefined ? undefined : debtOf(value, shape);
    return { key, value: value === undefined ? null : bt.toHex(value), ...(debt === undefined ? {} : { debt }) };
  });
}

/** Each key's value, one a line: absent, a debt (Basis shape) or the value's bytes. */
function printValues(keys, values, shape) {
  keys.forEach((key, i) => {
    const value = values[i];
    const debt = value === undefined ? undefined : debtOf(value, shape);
    const said = value === undefined ? 'absent' : debt !== undefined ? `debt ${debt} (value ${bt.toHex(value)})` : `value ${bt.toHex(value)}`;
    console.log(`key     ${key}  ${said}`);
  });
}

async function prove(args) {
  const [path, ...keys] = args.positionals;
  const log = openLog(path);
  if (keys.length === 0) throw new UsageError('prove takes a LOG and at least one KEY');
  keysOf(keys);
  const chain = chainOptions(args);
  const { tree } = await replay(log, args, verifierOptions(args, chain), chain, { keepTree: true });
  try {
    const { shape } = tree;
    const hexKeys = keysOf(keys, shape.keyLength, "the log's");
    const warned = warnings(args);
    const proof = tree.proveLookup(hexKeys);
    const values = hexKeys.map((k) => tree.get(k));
    const digest = bt.toHex(tree.digest);
    if (args.json) {
      console.log(JSON.stringify({ ok: true, digest, proof: bt.toHex(proof), values: valuesJson(hexKeys, values, shape), warnings: warned }));
    } else {
      console.log(`digest  ${digest}`);
      printValues(hexKeys, values, shape);
      console.log(`proof   ${bt.toHex(proof)}`);
    }
    return 0;
  } finally {
    tree.free();
  }
}

/** `verify-proof`: a lookup proof of the KEYs checked against a digest or the tracker's box. */
async function verifyProofOfKeys(args) {
  if (args.positionals.length === 0) throw new UsageError('verify-proof takes at least one KEY (hex): the keys the proof looks up');
  if (args.proof === undefined) throw new UsageError('verify-proof needs --proof HEX: the proof, as `basis-trees prove` prints it');
  if (args.digest === undefined && args.trackerBox === undefined) {
    throw new UsageError('verify-proof needs --digest HEX or --tracker-box BOX.json: what the proof is checked against');
  }
  const against = args.trackerBox !== undefined ? readCommitment(args.trackerBox, '--tracker-box') : args.digest;
  // The shape: the flags'; else the on-chain tree's; else the keys' length and values of any length.
  const onChain = against.shape;
  const shape = {
    keyLength: args.keyLength ?? (onChain ? onChain.keyLength : pastedHex(args.positionals[0]).length / 2),
    valueLength: args.valueLength !== undefined ? args.valueLength : onChain ? onChain.valueLength : null,
  };
  const whose = args.keyLength !== undefined ? "--key-length's" : onChain ? "the tree's" : "the first KEY's";
  const keys = keysOf(args.positionals, shape.keyLength, whose);
  const { results } = bt.verifyProof({
    digest: anchorOf(against),
    proof: args.proof,
    operations: keys.map((key) => ({ type: 'lookup', key })),
    ...shape,
  });
  const digest = bt.toHex(against.digest);
  if (args.json) {
    console.log(JSON.stringify({ ok: true, digest, keyLength: shape.keyLength, valueLength: shape.valueLength, values: valuesJson(keys, results, shape) }));
  } else {
    console.log(`OK  the proof verifies against ${digest} (${describeShape(shape)})`);
    printValues(keys, results, shape);
  }
  return 0;
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
  const [path] = args.positionals;
  // The box is what is checked here: one that does not read fails with its code (exit 1).
  const read = shown(trackerCommitmentOf(readBox(path, null), path));
  if (args.json) {
    console.log(JSON.stringify({ ok: true, ...commitmentJson(read) }));
  } else {
    console.log(`${path}: ${read.trackerKey !== undefined ? "a tracker's commitment box" : 'an AvlTree register'}`);
    printCommitment(read, '  ');
  }
  return 0;
}

/** What `listen` refused, in words. */
const LISTEN_WORDS = {
  EADDRINUSE: (port, host) => `port ${port} on ${host} is in use: give another with --port N (--port 0 picks a free one)`,
  EACCES: (port) => `port ${port} needs privileges this user does not have: give one from 1024 up with --port N`,
  EADDRNOTAVAIL: (port, host) => `--host ${host} is not an address of this machine`,
  ENOTFOUND: (port, host) => `--host ${host}: no such host`,
  EAI_AGAIN: (port, host) => `--host ${host}: the name cannot be looked up now`,
};

/** `serve`: the verifier page from this package, until the process is stopped. */
async function serve(args) {
  if (args.positionals.length > 0) throw new UsageError(`serve takes no argument, got '${args.positionals[0]}'`);
  const port = args.port ?? 8080;
  const host = args.host ?? '127.0.0.1';
  const { startServer } = require('./serve.cjs');
  let server;
  try {
    server = await startServer({ port, host });
  } catch (err) {
    const words = LISTEN_WORDS[err && err.code];
    if (words) throw new UsageError(words(port, host));
    throw err;
  }
  console.log(`The log verifier (basis-trees ${version}): ${server.url}  Ctrl-C stops.`);
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    console.error(`warning: --host ${host} serves the page to every machine that can reach this one`);
  }
  return 0;
}

async function main(argv) {
  const json = argv.includes('--json');
  const [command, ...rest] = argv;
  try {
    if (command === '--version' || command === '-V') {
      console.log(json ? JSON.stringify({ ok: true, version }) : `basis-trees ${version}`);
      return 0;
    }
    if (command === '-h' || command === '--help' || command === 'help') {
      console.log(USAGE);
      return 0;
    }
    if (command === undefined || command.startsWith('-')) {
      throw new UsageError(`no command given: ${Object.keys(COMMANDS).join(', ')}`);
    }
    if (!Object.hasOwn(COMMANDS, command)) {
      const near = nearest(command, Object.keys(COMMANDS));
      throw new UsageError(`unknown command ${command}${near ? ` (did you mean ${near}?)` : ''}`);
    }
    const args = parse(command, rest);
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    return await COMMANDS[command].run(args);
  } catch (err) {
    return fail(err, json, command);
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
