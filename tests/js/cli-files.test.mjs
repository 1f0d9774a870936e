// The files the `basis-trees` command reads, as installed from the tarball: each kind within its
// documented limit, checked while it is read (/dev/zero under a 512 MiB cap on the process's
// data stays a usage error, in JSON under --json, never an abort); a file of another kind named
// for what it is, never LOG_CORRUPT; a file system error in the command's own words.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as bt from 'basis-trees';

const cli = path.resolve('node_modules', '.bin', 'basis-trees');
const run = (...args) => spawnSync(cli, args, { encoding: 'utf8' });
/** The command with the process's data segment capped at 512 MiB: reading a file whole is fatal. */
const capped = (...args) =>
  spawnSync('bash', ['-c', 'ulimit -d 524288 && exec "$@"', 'capped', cli, ...args], { encoding: 'utf8', timeout: 300_000 });
const key = (n) => bt.noteKey(new Uint8Array([n]), new Uint8Array([n + 1]));

const storage = new bt.TreeStorage({ keyLength: 32 });
for (let i = 1; i <= 20; i++) storage.insert(key(i), bt.debtValue(BigInt(i)), { timestamp: BigInt(i) });
const checkpoint = storage.checkpoint({ timestamp: 21n });
const root = bt.toHex(storage.digest);
const register = `64${root}032000`;
const box = { boxId: '49787748507c2c2a2e416c3c4d5ad41ee9d448e9966a709e313279ac2c58e431', value: 10000000, creationHeight: 1750616, additionalRegisters: { R4: '07024e564477ff457c601c01ad1cc31903f8b27b7d5e515bd03138891d8152d787b2', R5: register } };
fs.mkdirSync('files/dir', { recursive: true });
fs.writeFileSync('files/log.bin', storage.exportLog());
fs.writeFileSync('files/log.ndjson', storage.exportLog({ format: 'ndjson' }));
fs.writeFileSync('files/checkpoint.snap', storage.checkpointSnapshot(checkpoint.id));
fs.writeFileSync('files/box.json', JSON.stringify(box, null, 2));
fs.writeFileSync('files/r5.hex', `${register}\n`);

/** A failing run: its exit code, its JSON under --json, no stack trace, the message matched. */
function refused(args, status, message, runner = run) {
  const text = runner(...args);
  assert.equal(text.status, status, `${args.join(' ')}: ${text.stdout}${text.stderr}`);
  assert.match(text.stdout + text.stderr, message, args.join(' '));
  assert.doesNotMatch(text.stdout + text.stderr, /\n\s+at .*:\d+:\d+|E[A-Z]{3,}:|ERR_/, `${args.join(' ')}: ${text.stderr}`);
  const json = runner(...args, '--json');
  assert.equal(json.status, status, `${args.join(' ')} --json: ${json.stdout}${json.stderr}`);
  const out = JSON.parse(json.stdout);
  assert.equal(out.ok, false);
  assert.match(out.message, message);
  return out;
}

test('every file the command reads from /dev/zero is refused within its limit, in JSON under --json', () => {
  const log = ['verify', 'files/log.bin'];
  assert.equal(refused([...log, '--tracker-box', '/dev/zero'], 2, /--tracker-box \/dev\/zero is more than 1 MiB/, capped).code, 'USAGE');
  assert.equal(refused([...log, '--commitments', '/dev/zero'], 2, /--commitments \/dev\/zero is more than 16 MiB/, capped).code, 'USAGE');
  assert.equal(refused(['prove', 'files/log.bin', bt.toHex(key(1)), '--tracker-box', '/dev/zero'], 2, /more than 1 MiB/, capped).code, 'USAGE');
  assert.equal(refused(['commitment', '/dev/zero'], 2, /\/dev\/zero is more than 1 MiB/, capped).code, 'USAGE');
  assert.equal(refused(['verify-proof', bt.toHex(key(1)), '--proof', '00', '--tracker-box', '/dev/zero'], 2, /more than 1 MiB/, capped).code, 'USAGE');
  // A snapshot is refused at its first bytes: they are no snapshot's.
  const start = refused([...log, '--start', '/dev/zero'], 1, /--start \/dev\/zero: .*snapshot/, capped);
  assert.equal(start.code, 'SNAPSHOT_INVALID');
  assert.equal(start.offset, 0);
});

test('each kind of file has its limit: a box 1 MiB, a commitments list 16 MiB, a snapshot 1 GiB', () => {
  // A box of 1 MiB + 1 byte (padding JSON allows): refused for its length, not read as a box.
  fs.writeFileSync('files/big-box.json', JSON.stringify(box) + ' '.repeat((1 << 20) + 1 - JSON.stringify(box).length));
  refused(['commitment', 'files/big-box.json'], 2, /files\/big-box.json is more than 1 MiB, the most a box's JSON/);
  refused(['verify', 'files/log.bin', '--tracker-box', 'files/big-box.json'], 2, /--tracker-box files\/big-box.json is more than 1 MiB/);
  fs.writeFileSync('files/box-at-limit.json', JSON.stringify(box) + ' '.repeat((1 << 20) - JSON.stringify(box).length));
  assert.equal(run('verify', 'files/log.bin', '--tracker-box', 'files/box-at-limit.json').status, 0, 'a box of exactly 1 MiB is read');
  // A list of 16 MiB + 1 byte of comments.
  const list = `${root}\n# ${'x'.repeat(16 * (1 << 20) - root.length - 4)}\n`;
  fs.writeFileSync('files/long-list.txt', list.slice(0, -1) + 'x\n');
  refused(['verify', 'files/log.bin', '--commitments', 'files/long-list.txt'], 2, /--commitments files\/long-list.txt is more than 16 MiB/);
  fs.writeFileSync('files/long-list.txt', list);
  assert.equal(run('verify', 'files/log.bin', '--commitments', 'files/long-list.txt').status, 0, 'a list of exactly 16 MiB is read');
  // A snapshot of 1 GiB + 1 byte (sparse: its length is what counts): refused before it is read.
  const fd = fs.openSync('files/huge.snap', 'w');
  fs.writeSync(fd, fs.readFileSync('files/checkpoint.snap'));
  fs.ftruncateSync(fd, 1024 * (1 << 20) + 1);
  fs.closeSync(fd);
  try {
    assert.equal(refused(['verify', 'files/log.bin', '--start', 'files/huge.snap'], 2, /--start files\/huge.snap is more than 1 GiB/, capped).code, 'USAGE');
  } finally {
    fs.rmSync('files/huge.snap');
  }
});

test('a file of another kind is named for what it is and where it goes, exit 2: never LOG_CORRUPT', () => {
  for (const command of ['verify', 'inspect']) {
    refused([command, 'files/box.json'], 2, /files\/box.json is a box as JSON, not a log: .*--tracker-box.*basis-trees commitment/);
    refused([command, 'files/checkpoint.snap'], 2, /files\/checkpoint.snap is a snapshot, not a log: .*--start/);
    refused([command, 'files/r5.hex'], 2, /files\/r5.hex is hex, not a log/);
  }
  refused(['prove', 'files/box.json', bt.toHex(key(1))], 2, /is a box as JSON, not a log/);
  refused(['verify', 'files/log.bin', '--tracker-box', 'files/log.bin'], 2, /--tracker-box files\/log.bin is a binary log, not a box as JSON/);
  refused(['verify', 'files/log.bin', '--tracker-box', 'files/log.ndjson'], 2, /--tracker-box files\/log.ndjson is an NDJSON log, not a box as JSON/);
  refused(['verify', 'files/log.bin', '--tracker-box', 'files/checkpoint.snap'], 2, /is a snapshot, not a box as JSON: .*--start/);
  refused(['verify', 'files/log.bin', '--commitments', 'files/log.ndjson'], 2, /--commitments files\/log.ndjson is an NDJSON log, not/);
  refused(['verify', 'files/log.bin', '--start', 'files/log.bin'], 2, /--start files\/log.bin is a binary log, not a snapshot: a log is the LOG/);
  refused(['verify', 'files/log.bin', '--start', 'files/box.json'], 2, /--start files\/box.json is a box as JSON, not a snapshot/);
  refused(['commitment', 'files/log.bin'], 2, /files\/log.bin is a binary log, not a box as JSON/);
  // The right kinds in the right places.
  assert.equal(run('inspect', 'files/log.ndjson').status, 0);
  assert.equal(run('commitment', 'files/box.json').status, 0);
  assert.equal(run('commitment', 'files/r5.hex').status, 0);
  assert.equal(run('verify', 'files/log.bin', '--tracker-box', 'files/box.json').status, 0);
  assert.equal(run('verify', 'files/log.bin', '--commitments', 'files/r5.hex', '--tracker-box', 'files/r5.hex').status, 0);
  // Bytes of no known kind are the log's verdict: LOG_CORRUPT at offset 0, exit 1.
  fs.writeFileSync('files/noise.bin', new Uint8Array([1, 2, 3, 4]));
  assert.equal(JSON.parse(run('inspect', 'files/noise.bin', '--json').stdout).code, 'LOG_CORRUPT');
});

test('a file system error is said in the command\'s own words, naming the flag and the file', () => {
  for (const flag of ['--tracker-box', '--commitments', '--start']) {
    refused(['verify', 'files/log.bin', flag, 'files/dir'], 2, new RegExp(`${flag}: cannot read files/dir: a directory, not a file`));
    refused(['verify', 'files/log.bin', flag, 'files/none'], 2, new RegExp(`${flag}: cannot read files/none: no such file`));
    refused(['verify', 'files/log.bin', flag, 'files/log.bin/x'], 2, new RegExp(`${flag}: cannot read files/log.bin/x: a part of its path is not a directory`));
  }
  refused(['commitment', 'files/dir'], 2, /cannot read files\/dir: a directory, not a file/);
  refused(['verify-proof', bt.toHex(key(1)), '--proof', '00', '--tracker-box', 'files/dir'], 2, /--tracker-box: cannot read files\/dir: a directory/);
  refused(['verify', 'files/dir'], 2, /files\/dir is not a file/);
  refused(['inspect', 'files/log.bin/x'], 2, /cannot read files\/log.bin\/x: a part of its path is not a directory/);
  refused(['verify', `files/${'n'.repeat(300)}`], 2, /the name is too long/);
});
