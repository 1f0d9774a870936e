// The `basis-trees` command as installed from the tarball (node_modules/.bin): exit codes and
// output for a good log, a tampered log, a missing file, usage errors, and every error path of
// every subcommand, in text and in JSON.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as bt from 'basis-trees';

const cli = path.resolve('node_modules', '.bin', 'basis-trees');
const run = (...args) => spawnSync(cli, args, { encoding: 'utf8' });
const key = (n) => bt.noteKey(new Uint8Array([n]), new Uint8Array([n + 1]));

const storage = new bt.TreeStorage({ keyLength: 32 });
for (let i = 1; i <= 40; i++) storage.insert(key(i), bt.debtValue(BigInt(i)), { timestamp: BigInt(1000 + i) });
for (let i = 1; i <= 10; i++) storage.update(key(i), bt.debtValue(BigInt(100 + i)), { timestamp: BigInt(2000 + i) });
storage.remove(key(40), { timestamp: 3000n });
const finalRoot = bt.toHex(storage.digest);
fs.mkdirSync('logs', { recursive: true });
fs.writeFileSync('logs/good.bin', storage.exportLog({ format: 'binary' }));
fs.writeFileSync('logs/good.ndjson', storage.exportLog({ format: 'ndjson' }));
// Record 20's value replaced: its roots no longer match.
const forged = storage.operations().map((r) => ({ ...r }));
forged[19].value = bt.debtValue(999n);
fs.writeFileSync('logs/tampered.bin', bt.encodeLog(forged, { keyLength: 32 }));

test('verify: a good log exits 0 with a summary and the final root (binary and NDJSON)', () => {
  for (const file of ['logs/good.bin', 'logs/good.ndjson']) {
    const result = run('verify', file, '--expect-root', finalRoot);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^OK /);
    assert.match(result.stdout, /records\s+51 \(sequence 1 to 51\)/);
    assert.ok(result.stdout.includes(`final root   ${finalRoot}`), result.stdout);
    assert.equal(result.stderr, '', 'no progress bar when stderr is not a terminal');
  }
});

test('verify without --expect-root warns that a log cut short between records would verify too', () => {
  // The log without its last 10 records: every record in it is valid.
  const cut = bt.encodeLog(storage.operations(1n, 41n), { keyLength: 32 });
  fs.writeFileSync('logs/cut.bin', cut);
  const result = run('verify', 'logs/cut.bin');
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stderr, /warning: no --expect-root/);
  assert.match(result.stderr, /cut short/);
  const json = run('verify', 'logs/cut.bin', '--json');
  assert.equal(json.status, 0);
  assert.match(JSON.parse(json.stdout).warnings[0], /no --expect-root/);
  assert.equal(run('verify', 'logs/cut.bin', '--expect-root', finalRoot).status, 1, 'with the root, the cut is found');
  assert.match(run('prove', 'logs/good.bin', bt.toHex(key(3))).stderr, /warning: no --expect-root/);
});

test('verify --expect-root: the on-chain digest must match', () => {
  assert.equal(run('verify', 'logs/good.bin', '--expect-root', finalRoot).status, 0);
  const other = bt.toHex(new bt.Tree({ keyLength: 32 }).digest);
  const result = run('verify', 'logs/good.bin', '--expect-root', other);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /EXPECTED_ROOT_MISMATCH/);
});

test('verify: a tampered log exits 1 with the code, sequence and reason', () => {
  const result = run('verify', 'logs/tampered.bin');
  assert.equal(result.status, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /^FAILED {2}ROOT_AFTER_MISMATCH at sequence 20/);
  assert.match(result.stdout, /root after is [0-9a-f]{66}, log says [0-9a-f]{66}/);
  const json = JSON.parse(run('verify', 'logs/tampered.bin', '--json').stdout);
  assert.deepEqual({ ok: json.ok, code: json.code, sequence: json.sequence }, { ok: false, code: 'ROOT_AFTER_MISMATCH', sequence: '20' });
});

test('verify: a truncated log exits 1 with LOG_CORRUPT', () => {
  const bytes = fs.readFileSync('logs/good.bin');
  fs.writeFileSync('logs/truncated.bin', bytes.subarray(0, bytes.length - 7));
  const result = run('verify', 'logs/truncated.bin', '--json');
  assert.equal(result.status, 1);
  assert.equal(JSON.parse(result.stdout).code, 'LOG_CORRUPT');
});

test('verify --json reports the figures', () => {
  const result = run('verify', 'logs/good.bin', '--json', '--expect-root', finalRoot);
  assert.equal(result.status, 0);
  const report = JSON.parse(result.stdout);
  assert.deepEqual(
    { ok: report.ok, operations: report.operations, first: report.firstSequence, last: report.lastSequence, root: report.finalRoot },
    { ok: true, operations: 51, first: '1', last: '51', root: finalRoot },
  );
});

test('a missing file and bad arguments are usage errors: exit 2', () => {
  fs.writeFileSync('logs/truncated.bin', fs.readFileSync('logs/good.bin').subarray(0, -7));
  const missing = run('verify', 'logs/no-such.log');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read logs\/no-such\.log: no such file/);
  assert.equal(run('verify').status, 2);
  assert.equal(run('verify', 'logs/good.bin', '--frobnicate').status, 2);
  assert.equal(run('verify', 'logs/good.bin', '--expect-root', 'abc').status, 2);
  assert.equal(run('launch').status, 2);
  assert.equal(run().status, 2);
  assert.equal(run('verify', 'logs').status, 2);
  assert.equal(run('--help').status, 0);
});

test('verify --start continues from a checkpoint snapshot', () => {
  const s = new bt.TreeStorage({ keyLength: 32 });
  for (let i = 1; i <= 20; i++) s.insert(key(i), bt.debtValue(BigInt(i)), { timestamp: BigInt(i) });
  const checkpoint = s.checkpoint({ timestamp: 21n });
  for (let i = 1; i <= 5; i++) s.update(key(i), bt.debtValue(BigInt(50 + i)), { timestamp: BigInt(30 + i) });
  fs.writeFileSync('logs/checkpoint.snap', s.checkpointSnapshot(checkpoint.id));
  fs.writeFileSync('logs/tail.log', s.exportLog({ from: 21n }));
  assert.equal(run('verify', 'logs/tail.log').status, 1, 'a tail alone does not start from the empty tree');
  const result = run('verify', 'logs/tail.log', '--start', 'logs/checkpoint.snap', '--expect-root', bt.toHex(s.digest));
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /records\s+5 \(sequence 21 to 25\)/);
  assert.equal(run('verify', 'logs/tail.log', '--start', 'logs/none.snap').status, 2);
});

test('inspect prints shape, record count, sequence range and roots without verifying', () => {
  const result = run('inspect', 'logs/tampered.bin', '--json');
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.deepEqual(
    [summary.keyLength, summary.valueLength, summary.records, summary.inserts, summary.updates, summary.removes, summary.firstSequence, summary.lastSequence, summary.finalRoot],
    [32, null, 51, 40, 10, 1, '1', '51', finalRoot],
  );
  assert.match(run('inspect', 'logs/good.ndjson').stdout, /51 \(40 inserts, 10 updates, 1 removes\)/);
});

test('prove replays the log and prints a lookup proof that verifies, with the values', () => {
  const present = bt.toHex(key(3));
  const absent = bt.toHex(key(40));
  const result = run('prove', 'logs/good.bin', present, absent, '--json');
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const out = JSON.parse(result.stdout);
  assert.equal(out.digest, finalRoot);
  assert.deepEqual(out.values, [{ key: present, value: bt.toHex(bt.debtValue(103n)) }, { key: absent, value: null }]);
  const verified = bt.verifyProof({
    digest: out.digest,
    proof: out.proof,
    operations: [{ type: 'lookup', key: present }, { type: 'lookup', key: absent }],
    keyLength: 32,
  });
  assert.deepEqual(verified.results, [bt.debtValue(103n), undefined]);
  assert.equal(run('prove', 'logs/tampered.bin', present).status, 1);
  assert.equal(run('prove', 'logs/good.bin', 'xyz').status, 2);
});

/** Runs a failing command in text and JSON; checks the exit code and what each says. */
function fails(args, status, { code, message }) {
  const text = run(...args);
  assert.equal(text.status, status, `${args.join(' ')}: ${text.stdout}${text.stderr}`);
  assert.doesNotMatch(text.stdout + text.stderr, /\n\s+at .*:\d+:\d+/, `${args.join(' ')} printed a stack trace`);
  assert.match(text.stdout + text.stderr, message, args.join(' '));
  const json = run(...args, '--json');
  assert.equal(json.status, status, `${args.join(' ')} --json`);
  const out = JSON.parse(json.stdout);
  assert.equal(out.ok, false);
  assert.equal(out.code, code, `${args.join(' ')} --json: ${json.stdout}`);
  assert.match(out.message, message);
  return out;
}

test('every subcommand fails the same way: exit 2 for usage, 1 for a log that does not verify, in text and JSON', () => {
  fs.writeFileSync('logs/not-a-snapshot.snap', new Uint8Array([1, 2, 3]));
  const present = bt.toHex(key(3));
  for (const command of ['verify', 'inspect', 'prove']) {
    const keys = command === 'prove' ? [present] : [];
    fails([command, 'logs/no-such.log', ...keys], 2, { code: 'USAGE', message: /cannot read logs\/no-such\.log: no such file/ });
    fails([command, 'logs', ...keys], 2, { code: 'USAGE', message: /logs is not a file/ });
    fails([command, 'logs/good.bin', ...keys, '--frobnicate'], 2, { code: 'USAGE', message: /unknown option --frobnicate/ });
    fails([command], 2, { code: 'USAGE', message: /no LOG given/ });
    if (command !== 'inspect') {
      fails([command, 'logs/good.bin', ...keys, '--start', 'logs/none.snap'], 2, { code: 'USAGE', message: /cannot read logs\/none\.snap/ });
      fails([command, 'logs/good.bin', ...keys, '--start', 'logs/not-a-snapshot.snap'], 1, { code: 'SNAPSHOT_INVALID', message: /snapshot/ });
      fails([command, 'logs/good.bin', ...keys, '--key-length', '0'], 2, { code: 'USAGE', message: /--key-length/ });
      fails([command, 'logs/good.bin', ...keys, '--key-length', 'x'], 2, { code: 'USAGE', message: /--key-length needs a whole number/ });
      fails([command, 'logs/good.bin', ...keys, '--value-length', '8'], 1, { code: 'SHAPE_MISMATCH', message: /8-byte values/ });
      fails([command, 'logs/good.bin', ...keys, '--expect-root', 'abc'], 2, { code: 'USAGE', message: /--expect-root needs a 33-byte digest/ });
      const tampered = fails([command, 'logs/tampered.bin', ...keys], 1, { code: 'ROOT_AFTER_MISMATCH', message: /root after/ });
      assert.equal(tampered.sequence, '20');
      assert.match(tampered.expected, /^[0-9a-f]{66}$/);
      fails([command, 'logs/truncated.bin', ...keys], 1, { code: 'LOG_CORRUPT', message: /log is corrupt/ });
    } else {
      fails([command, 'logs/good.bin', '--expect-root', finalRoot], 2, { code: 'USAGE', message: /unknown option --expect-root/ });
      fails([command, 'logs/truncated.bin'], 1, { code: 'LOG_CORRUPT', message: /log is corrupt/ });
    }
  }
  fails(['prove', 'logs/good.bin', 'xyz'], 2, { code: 'USAGE', message: /KEY must be hex/ });
  fails(['prove', 'logs/good.bin', '0011'], 2, { code: 'USAGE', message: /KEY 0011 is 2 bytes; the log's keys are 32/ });
  fails(['launch'], 2, { code: 'USAGE', message: /unknown command launch/ });
});

test('a failure says what to do on the command line: flags, not the library\'s options; which file; where a tail starts', () => {
  // A value over the cap on a log's values: --max-value-length raises it.
  const big = new bt.TreeStorage({ keyLength: 32 });
  big.insert(key(1), new Uint8Array(100_000), { timestamp: 1n });
  fs.writeFileSync('logs/big-value.log', big.exportLog());
  const capped = fails(['verify', 'logs/big-value.log'], 1, { code: 'VALUE_LENGTH', message: /--max-value-length/ });
  assert.doesNotMatch(capped.message, /maxValueLength|a tree accepts/, capped.message);
  assert.equal(run('verify', 'logs/big-value.log', '--max-value-length', '100000').status, 0);
  // A record over the limit: --max-record-length.
  const limited = fails(['verify', 'logs/good.bin', '--max-record-length', '100'], 1, { code: 'LOG_CORRUPT', message: /--max-record-length/ });
  assert.doesNotMatch(limited.message, /maxRecordLength/, limited.message);
  // A snapshot that does not read is named.
  fs.writeFileSync('logs/not-a-snapshot.snap', new Uint8Array([1, 2, 3]));
  fails(['verify', 'logs/good.bin', '--start', 'logs/not-a-snapshot.snap'], 1, { code: 'SNAPSHOT_INVALID', message: /--start logs\/not-a-snapshot\.snap/ });
  // A log that continues from a checkpoint, verified without its snapshot or with another one.
  const s = new bt.TreeStorage({ keyLength: 32 });
  for (let i = 1; i <= 20; i++) s.insert(key(i), bt.debtValue(BigInt(i)), { timestamp: BigInt(i) });
  const early = s.checkpointSnapshot(s.checkpoint({ timestamp: 21n }).id);
  for (let i = 21; i <= 30; i++) s.insert(key(i), bt.debtValue(BigInt(i)), { timestamp: BigInt(i) });
  s.checkpoint({ timestamp: 31n });
  for (let i = 1; i <= 5; i++) s.update(key(i), bt.debtValue(BigInt(50 + i)), { timestamp: BigInt(30 + i) });
  fs.writeFileSync('logs/early.snap', early);
  fs.writeFileSync('logs/tail-31.log', s.exportLog({ from: 31n }));
  fails(['verify', 'logs/tail-31.log'], 1, { code: 'LOG_SEQUENCE', message: /continues after record 30.*--start/ });
  fails(['verify', 'logs/tail-31.log', '--start', 'logs/early.snap'], 1, { code: 'LOG_SEQUENCE', message: /continues after record 30.*logs\/early\.snap.*record 20/ });
});
