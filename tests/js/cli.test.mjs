// The `basis-trees` command as installed from the tarball (node_modules/.bin): exit codes and
// output for a good log, a tampered log, a missing file, usage errors, and every error path of
// every subcommand, in text and in JSON; the command line itself (--version, suggestions, a
// flag given twice, values in its own words), --stateless, verify-proof and decoded debts. (The
// files it reads: cli-files.test.mjs.)
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

test('inspect replays the log and prints its format, shape, record counts by kind, sequence range and roots', () => {
  const result = run('inspect', 'logs/good.bin', '--json');
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.deepEqual(
    [summary.format, summary.keyLength, summary.valueLength, summary.records, summary.inserts, summary.updates, summary.removes, summary.firstSequence, summary.lastSequence, summary.finalRoot],
    ['binary', 32, null, 51, 40, 10, 1, '1', '51', finalRoot],
  );
  const ndjson = run('inspect', 'logs/good.ndjson').stdout;
  assert.match(ndjson, /ndjson log, every record verified/);
  assert.match(ndjson, /51 \(40 inserts, 10 updates, 1 removes\)/);
  // The records are the verifier's: a tampered log is refused at its record, as verify refuses it.
  const tampered = JSON.parse(run('inspect', 'logs/tampered.bin', '--json').stdout);
  assert.deepEqual([tampered.code, tampered.sequence], ['ROOT_AFTER_MISMATCH', '20']);
  // A log with no record: its shape, and no sequence range.
  fs.writeFileSync('logs/empty.bin', new bt.TreeStorage({ keyLength: 16, valueLength: 8 }).exportLog());
  const empty = JSON.parse(run('inspect', 'logs/empty.bin', '--json').stdout);
  assert.deepEqual([empty.keyLength, empty.valueLength, empty.records, empty.firstSequence], [16, 8, 0, null]);
});

test('prove replays the log and prints a lookup proof that verifies, with the values', () => {
  const present = bt.toHex(key(3));
  const absent = bt.toHex(key(40));
  const result = run('prove', 'logs/good.bin', present, absent, '--json');
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const out = JSON.parse(result.stdout);
  assert.equal(out.digest, finalRoot);
  assert.deepEqual(out.values, [{ key: present, value: bt.toHex(bt.debtValue(103n)), debt: '103' }, { key: absent, value: null }]);
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
      fails([command, 'logs/tampered.bin'], 1, { code: 'ROOT_AFTER_MISMATCH', message: /root after/ });
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

/** The lines of a usage error's stderr. */
const lines = (text) => text.trimEnd().split('\n');

test('--version prints the package\'s version; --help the whole usage, every subcommand in it', () => {
  const { version } = JSON.parse(fs.readFileSync('node_modules/basis-trees/package.json', 'utf8'));
  const result = run('--version');
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, `basis-trees ${version}\n`);
  assert.deepEqual(JSON.parse(run('--version', '--json').stdout), { ok: true, version });
  const help = run('--help');
  assert.equal(help.status, 0);
  for (const command of ['verify', 'inspect', 'prove', 'verify-proof', 'commitment', 'serve']) {
    assert.match(help.stdout, new RegExp(`basis-trees ${command} `), command);
  }
  assert.match(help.stdout, /--stateless/);
  assert.equal(run('verify', '--help').stdout, help.stdout);
});

test('a mistyped command or flag gets a suggestion; a usage error prints its command\'s usage line, not the whole', () => {
  const cases = [
    [['verfy', 'logs/good.bin'], /unknown command verfy \(did you mean verify\?\)/],
    [['inpsect', 'logs/good.bin'], /unknown command inpsect \(did you mean inspect\?\)/],
    [['verify-prof'], /did you mean verify-proof\?/],
    [['verify', 'logs/good.bin', '--expect-rot', finalRoot], /unknown option --expect-rot \(did you mean --expect-root\?\)/],
    [['verify', 'logs/good.bin', '--trackerbox', 'box.json'], /did you mean --tracker-box\?/],
    [['verify', 'logs/good.bin', '--statless'], /did you mean --stateless\?/],
    [['prove', 'logs/good.bin', bt.toHex(key(3)), '--jsno'], /did you mean --json\?/],
    [['inspect', 'logs/good.bin', '--stateless'], /unknown option --stateless for inspect \(verify takes it\)/],
    [['commitment', 'box.json', '--expect-root', finalRoot], /unknown option --expect-root for commitment \(verify and prove take it\)/],
  ];
  for (const [args, message] of cases) {
    const result = run(...args);
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message, args.join(' '));
    assert.ok(lines(result.stderr).length <= 6, `${args.join(' ')}: the whole usage printed:\n${result.stderr}`);
    assert.match(result.stderr, /^usage: basis-trees /m);
    assert.match(result.stderr, /--help says more/);
    assert.equal(JSON.parse(run(...args, '--json').stdout).code, 'USAGE');
  }
  // A word far from every name gets no guess.
  const far = run('verify', 'logs/good.bin', '--zzzzzzzz');
  assert.doesNotMatch(far.stderr, /did you mean/);
  // The usage line is the command's own.
  assert.match(run('prove', 'logs/good.bin').stderr, /^usage: basis-trees prove LOG KEY/m);
  assert.match(run('bogus').stderr, /^usage: basis-trees verify \| inspect \| prove \| verify-proof \| commitment \| serve/m);
});

test('a flag given twice is refused, not the last one silently used; every value is refused in the CLI\'s own words', () => {
  fs.writeFileSync('logs/r5-a.hex', `64${finalRoot}032000`);
  const twice = fails(['verify', 'logs/good.bin', '--tracker-box', 'logs/r5-a.hex', '--tracker-box', 'logs/r5-a.hex'], 2, { code: 'USAGE', message: /--tracker-box is given twice/ });
  assert.doesNotMatch(twice.message, /\n/);
  fails(['verify', 'logs/good.bin', '--expect-root', finalRoot, '--expect-root', finalRoot], 2, { code: 'USAGE', message: /--expect-root is given twice/ });
  fails(['verify', 'logs/good.bin', '--progress', '--progress'], 2, { code: 'USAGE', message: /--progress is given twice/ });
  for (const [args, message] of [
    [['--value-length', '-1'], /--value-length needs a number of bytes or 'any', got '-1'/],
    [['--value-length', 'some'], /--value-length needs a number of bytes or 'any', got 'some'/],
    [['--key-length', '-32'], /--key-length needs a whole number, got '-32'/],
    [['--max-value-length=-5'], /--max-value-length needs a whole number, got '-5'/],
    [['--expect-root'], /--expect-root needs a value: --expect-root HEX/],
    [['--tracker-box', '--json'], /--tracker-box needs a value: --tracker-box BOX.json/],
    [['--progress=yes'], /--progress takes no value/],
  ]) {
    const out = fails(['verify', 'logs/good.bin', ...args], 2, { code: 'USAGE', message });
    assert.doesNotMatch(out.message, /ambiguous|ERR_|parseArgs|Option '/, out.message);
  }
});

test('hex is taken as pasted: 0x and surrounding whitespace, in --expect-root and in KEYs', () => {
  const result = run('verify', 'logs/good.bin', '--expect-root', ` 0x${finalRoot.toUpperCase()}\n`);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  // An R5 register in the digest's slot: its digest, and its tree's shape asserted.
  assert.equal(run('verify', 'logs/good.bin', '--expect-root', `64${finalRoot}032000`).status, 0);
  assert.equal(JSON.parse(run('verify', 'logs/good.bin', '--expect-root', `64${finalRoot}030800`, '--json').stdout).code, 'SHAPE_MISMATCH');
  const proved = JSON.parse(run('prove', 'logs/good.bin', `0x${bt.toHex(key(3))}\n`, '--json').stdout);
  assert.equal(proved.values[0].debt, '103');
});

test('prove prints the debt a key holds in the Basis tracker\'s shape, not eight bytes of hex', () => {
  const text = run('prove', 'logs/good.bin', bt.toHex(key(3)), bt.toHex(key(20)), bt.toHex(key(40))).stdout;
  assert.match(text, new RegExp(`key +${bt.toHex(key(3))} +debt 103 \\(value 0000000000000067\\)`));
  assert.match(text, new RegExp(`key +${bt.toHex(key(20))} +debt 20 \\(value 0000000000000014\\)`));
  assert.match(text, new RegExp(`key +${bt.toHex(key(40))} +absent`));
  // A tree of other values: the bytes, no debt.
  const other = new bt.TreeStorage({ keyLength: 32 });
  other.insert(key(1), new Uint8Array([1, 2, 3]), { timestamp: 1n });
  other.insert(key(2), bt.debtValue(844649n), { timestamp: 2n });
  fs.writeFileSync('logs/other.bin', other.exportLog());
  const mixed = run('prove', 'logs/other.bin', bt.toHex(key(1)), bt.toHex(key(2)));
  assert.match(mixed.stdout, new RegExp(`key +${bt.toHex(key(1))} +value 010203\n`));
  assert.match(mixed.stdout, /debt 844649 \(value 00000000000ce369\)/);
  const reserve = new bt.TreeStorage({ keyLength: 16, valueLength: 8 });
  reserve.insert(new Uint8Array(16).fill(7), bt.debtValue(5n), { timestamp: 1n });
  fs.writeFileSync('logs/reserve16.bin', reserve.exportLog());
  const json = JSON.parse(run('prove', 'logs/reserve16.bin', '07'.repeat(16), '--json').stdout);
  assert.deepEqual(json.values, [{ key: '07'.repeat(16), value: '0000000000000005' }], 'not the Basis shape: no debt');
});

test('verify --stateless checks each record by the proof it carries, holding no tree', () => {
  const withProofs = new bt.TreeStorage({ keyLength: 32, withProofs: true });
  for (let i = 1; i <= 30; i++) withProofs.insert(key(i), bt.debtValue(BigInt(i)), { timestamp: BigInt(i) });
  withProofs.update(key(4), bt.debtValue(44n), { timestamp: 31n });
  fs.writeFileSync('logs/proofs.bin', withProofs.exportLog());
  const root = bt.toHex(withProofs.digest);
  const result = run('verify', 'logs/proofs.bin', '--stateless', '--expect-root', root);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /stateless/);
  const json = JSON.parse(run('verify', 'logs/proofs.bin', '--stateless', '--expect-root', root, '--json').stdout);
  assert.equal(json.stateless, true);
  assert.equal(json.operations, 31);
  // Records without proofs cannot be checked with no tree.
  const bare = fails(['verify', 'logs/good.bin', '--stateless'], 1, { code: 'PROOF_INVALID', message: /no proof/ });
  assert.equal(bare.sequence, '1');
  assert.equal(run('verify', 'logs/proofs.bin', '--stateless', '--expect-root', finalRoot).status, 1);
  fails(['prove', 'logs/proofs.bin', bt.toHex(key(3)), '--stateless'], 2, { code: 'USAGE', message: /unknown option --stateless for prove/ });
});

test('verify-proof checks what prove prints, against a digest, a register or the tracker\'s box', () => {
  const present = bt.toHex(key(3));
  const absent = bt.toHex(key(40));
  const proved = JSON.parse(run('prove', 'logs/good.bin', present, absent, '--expect-root', finalRoot, '--json').stdout);
  const ok = run('verify-proof', present, absent, '--proof', proved.proof, '--digest', finalRoot);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, new RegExp(`^OK  the proof verifies against ${finalRoot}`));
  assert.match(ok.stdout, new RegExp(`key +${present} +debt 103 \\(value 0000000000000067\\)`));
  assert.match(ok.stdout, new RegExp(`key +${absent} +absent`));
  const json = JSON.parse(run('verify-proof', present, absent, '--proof', proved.proof, '--digest', finalRoot, '--json').stdout);
  assert.deepEqual(json, {
    ok: true,
    digest: finalRoot,
    keyLength: 32,
    valueLength: null,
    values: [{ key: present, value: '0000000000000067', debt: '103' }, { key: absent, value: null }],
  });
  // The digest as an R5 register (pasted, with 0x and a newline), or in a file as the tracker's box.
  const register = `64${finalRoot}032000`;
  assert.equal(run('verify-proof', present, '--proof', JSON.parse(run('prove', 'logs/good.bin', present, '--json').stdout).proof, '--digest', `0x${register}\n`).status, 0);
  fs.writeFileSync('logs/r5.hex', `${register}\n`);
  const single = JSON.parse(run('prove', 'logs/good.bin', present, '--json').stdout).proof;
  assert.equal(run('verify-proof', present, '--proof', single, '--tracker-box', 'logs/r5.hex').status, 0);
  // Against another digest, or for another key, or with a byte changed: PROOF_INVALID, exit 1.
  const other = bt.toHex(new bt.Tree({ keyLength: 32 }).digest);
  fails(['verify-proof', present, '--proof', single, '--digest', other], 1, { code: 'PROOF_INVALID', message: /proof does not verify/ });
  fails(['verify-proof', absent, '--proof', single, '--digest', finalRoot], 1, { code: 'PROOF_INVALID', message: /proof does not verify/ });
  const flipped = single.slice(0, 20) + (single[20] === '0' ? '1' : '0') + single.slice(21);
  fails(['verify-proof', present, '--proof', flipped, '--digest', finalRoot], 1, { code: 'PROOF_INVALID', message: /proof does not verify/ });
  // The command line's mistakes: exit 2.
  fails(['verify-proof', present, '--digest', finalRoot], 2, { code: 'USAGE', message: /needs --proof HEX/ });
  fails(['verify-proof', present, '--proof', single], 2, { code: 'USAGE', message: /needs --digest HEX or --tracker-box/ });
  fails(['verify-proof', '--proof', single, '--digest', finalRoot], 2, { code: 'USAGE', message: /at least one KEY/ });
  fails(['verify-proof', present, '--proof', 'xyz', '--digest', finalRoot], 2, { code: 'USAGE', message: /--proof needs a proof in hex/ });
  fails(['verify-proof', present, '--proof', single, '--digest', 'abcd'], 2, { code: 'USAGE', message: /--digest/ });
  fails(['verify-proof', present, '0011', '--proof', single, '--digest', finalRoot], 2, { code: 'USAGE', message: /KEY 0011 is 2 bytes/ });
  fails(['verify-proof', present, '--proof', single, '--tracker-box', 'logs/r5.hex', '--key-length', '16'], 2, { code: 'USAGE', message: /KEY [0-9a-f]+ is 32 bytes; --key-length's keys are 16/ });
  fails(['verify-proof', present, '--proof', single, '--tracker-box', 'logs/r5.hex', '--value-length', '8'], 1, { code: 'SHAPE_MISMATCH', message: /not the shape of the tree/ });
  fs.writeFileSync('logs/digest.hex', `${finalRoot}\n`);
  fails(['verify-proof', present, '--proof', single, '--tracker-box', 'logs/digest.hex'], 2, { code: 'USAGE', message: /holds a digest, not a box or an R5 register: a digest goes to --expect-root/ });
  fails(['verify-proof', present, '--proof', single, '--tracker-box', 'logs/r5.hex', '--digest', finalRoot], 2, { code: 'USAGE', message: /not both/ });
});
