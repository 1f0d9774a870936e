#!/usr/bin/env node
'use strict';
// basis-trees: verify, inspect and query Basis tracker operation logs from the command line.
// Exit codes: 0 the log verifies, 1 it does not (or a proof cannot be made), 2 usage errors,
// including a LOG file that cannot be read.

const fs = require('node:fs');
const bt = require('./index.cjs');

const USAGE = `usage:
  basis-trees verify LOG [--expect-root HEX] [--start SNAPSHOT] [--key-length N] [--value-length N]
                         [--json] [--progress]
  basis-trees inspect LOG [--json] [--progress]
  basis-trees prove LOG KEY... [--json] [--progress]

verify   replays the log (binary or NDJSON), checking every record; exit 0 when it verifies,
         1 when it does not (with the error code, sequence and reason). The tree's shape is the
         one the log declares unless --key-length / --value-length pin it. --start verifies a
         log that continues from a checkpoint snapshot
inspect  decodes the log without replaying it: shape, record count, sequence range, roots
prove    replays the log, then prints a lookup proof of the KEYs (hex) and their values

A progress bar is drawn on stderr when it is a terminal; --progress prints progress lines even
when it is not.

Exit codes: 0 success, 1 the log does not verify, 2 usage error (unknown option, LOG unreadable).`;

class UsageError extends Error {}

function parseArgs(argv) {
  const args = { positional: [], json: false, expectRoot: undefined, keyLength: undefined, valueLength: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`);
      return argv[++i];
    };
    const number = (text) => {
      if (!/^[0-9]+$/.test(text)) throw new UsageError(`${arg} needs a whole number, got '${text}'`);
      return Number(text);
    };
    if (arg === '--json') args.json = true;
    else if (arg === '--progress') args.progress = true;
    else if (arg === '--expect-root') {
      const hex = value();
      if (!/^[0-9a-fA-F]{66}$/.test(hex)) throw new UsageError('--expect-root needs a 33-byte digest in hex (66 digits)');
      args.expectRoot = hex.toLowerCase();
    } else if (arg === '--start') args.start = value();
    else if (arg === '--key-length') args.keyLength = number(value());
    else if (arg === '--value-length') args.valueLength = number(value());
    else if (arg === '-h' || arg === '--help') args.help = true;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else args.positional.push(arg);
  }
  return args;
}

function openLog(path) {
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
  return { size, stream: () => fs.createReadStream(path, { highWaterMark: 1 << 20 }) };
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

function failure(err, json) {
  if (!err || err.name !== 'BasisTreeError') throw err;
  if (json) {
    console.log(JSON.stringify({
      ok: false,
      code: err.code,
      sequence: err.sequence === undefined ? null : String(err.sequence),
      offset: err.offset === undefined ? null : err.offset,
      message: err.message,
    }));
  } else {
    const where = [
      err.sequence !== undefined ? `at sequence ${err.sequence}` : null,
      err.offset !== undefined ? `(byte ${err.offset})` : null,
    ].filter(Boolean).join(' ');
    console.log(`FAILED  ${err.code}${where ? ' ' + where : ''}`);
    console.log(`  ${err.message}`);
  }
  return 1;
}

/** The shape the log's header declares, read from its first bytes; undefined if unreadable. */
function declaredShape(path) {
  const head = Buffer.alloc(64 * 1024);
  const fd = fs.openSync(path, 'r');
  let length;
  try {
    length = fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  const decoder = new bt.LogDecoder();
  try {
    decoder.push(head.subarray(0, length));
    return decoder.header && decoder.header.shape;
  } catch {
    return undefined; // the verifier reports the defect with its offset
  } finally {
    decoder.free();
  }
}

/** Without --key-length / --value-length, the tree's shape is the one the log declares. */
function verifierOptions(args, path) {
  const options = {};
  if (args.expectRoot !== undefined) options.expectRoot = args.expectRoot;
  if (args.start !== undefined) {
    try {
      options.start = fs.readFileSync(args.start);
    } catch (err) {
      throw new UsageError(`cannot read ${args.start}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
    }
  }
  if (args.keyLength === undefined && args.valueLength === undefined) {
    const shape = declaredShape(path);
    if (shape) Object.assign(options, shape);
  } else {
    options.keyLength = args.keyLength === undefined ? 32 : args.keyLength;
    if (args.valueLength !== undefined) options.valueLength = args.valueLength;
  }
  return options;
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
  if (args.positional.length !== 1) throw new UsageError('verify takes exactly one LOG');
  const path = args.positional[0];
  const log = openLog(path);
  const bar = progressBar(log.size, args);
  const started = Date.now();
  let lastProgress;
  let report;
  try {
    report = await bt.verifyLogStream(log.stream(), {
      ...verifierOptions(args, path),
      onProgress: (progress) => {
        lastProgress = progress;
        bar.update(progress);
      },
    });
  } catch (err) {
    bar.done();
    return failure(err, args.json);
  }
  bar.done(lastProgress);
  const seconds = (Date.now() - started) / 1000;
  if (args.json) {
    console.log(JSON.stringify({
      ok: true,
      operations: report.operations,
      firstSequence: String(report.firstSequence),
      lastSequence: String(report.lastSequence),
      startRoot: bt.toHex(report.startRoot),
      finalRoot: bt.toHex(report.finalRoot),
      bytes: log.size,
    }));
  } else {
    console.log(`OK  ${path}: every record verified`);
    console.log(`  records      ${report.operations.toLocaleString('en-US')} (sequence ${report.firstSequence} to ${report.lastSequence})`);
    console.log(`  start root   ${bt.toHex(report.startRoot)}`);
    console.log(`  final root   ${bt.toHex(report.finalRoot)}`);
    if (args.expectRoot !== undefined) console.log('  expected     the final root matches --expect-root');
    console.log(`  read         ${(log.size / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`);
  }
  return 0;
}

async function inspect(args) {
  if (args.positional.length !== 1) throw new UsageError('inspect takes exactly one LOG');
  const log = openLog(args.positional[0]);
  const bar = progressBar(log.size, args);
  const decoder = new bt.LogDecoder();
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
  } catch (err) {
    bar.done();
    return failure(err, args.json);
  } finally {
    bar.done();
  }
  const header = decoder.header;
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
  decoder.free();
  if (args.json) {
    console.log(JSON.stringify(summary));
  } else {
    console.log(`${args.positional[0]} (${summary.format} log, not verified: use \`basis-trees verify\`)`);
    console.log(`  shape        ${summary.keyLength}-byte keys, ${summary.valueLength === null ? 'variable-length' : summary.valueLength + '-byte'} values`);
    console.log(`  records      ${count.toLocaleString('en-US')} (${counts.insert} inserts, ${counts.update} updates, ${counts.remove} removes)`);
    console.log(`  sequence     ${summary.firstSequence ?? '-'} to ${summary.lastSequence ?? '-'}`);
    console.log(`  start root   ${summary.startRoot ?? '-'}`);
    console.log(`  final root   ${summary.finalRoot ?? '-'}`);
  }
  return 0;
}

async function prove(args) {
  if (args.positional.length < 2) throw new UsageError('prove takes a LOG and at least one KEY');
  const [path, ...keys] = args.positional;
  for (const key of keys) {
    if (!/^([0-9a-fA-F]{2})+$/.test(key)) throw new UsageError(`KEY must be hex, got '${key}'`);
  }
  const log = openLog(path);
  const bar = progressBar(log.size, args);
  const verifier = new bt.LogVerifier(verifierOptions(args, path));
  let tree;
  try {
    await feed(log, (chunk) => verifier.push(chunk), bar, () => verifier.progress());
    bar.done(verifier.progress());
    verifier.finish();
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
      }));
    } else {
      console.log(`digest  ${bt.toHex(digest)}`);
      hexKeys.forEach((key, i) => console.log(`key     ${key}  ${values[i] === undefined ? 'absent' : 'value ' + bt.toHex(values[i])}`));
      console.log(`proof   ${bt.toHex(proof)}`);
    }
    return 0;
  } catch (err) {
    bar.done();
    return failure(err, args.json);
  } finally {
    if (tree) tree.free();
    verifier.free();
  }
}

async function main(argv) {
  let args;
  try {
    args = parseArgs(argv.slice(1));
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    switch (argv[0]) {
      case 'verify':
        return await verify(args);
      case 'inspect':
        return await inspect(args);
      case 'prove':
        return await prove(args);
      case undefined:
      case '-h':
      case '--help':
        console.log(USAGE);
        return argv[0] === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${argv[0]}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`basis-trees: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
