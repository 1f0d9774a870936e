// The shipped index.d.ts: a realistic usage file type-checks under `tsc --strict`, and misuses do
// not (so the declarations are precise, not `any`).
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const tsc = path.join(process.env.BT_REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const flags = ['--strict', '--noEmit', '--target', 'es2022', '--lib', 'es2022,dom,esnext.disposable', '--skipLibCheck', 'false'];

function check(file, moduleFlags) {
  return spawnSync(process.execPath, [tsc, ...flags, ...moduleFlags, file], { encoding: 'utf8' });
}

for (const [name, moduleFlags] of [
  ['nodenext', ['--module', 'nodenext', '--moduleResolution', 'nodenext']],
  ['bundler', ['--module', 'esnext', '--moduleResolution', 'bundler']],
]) {
  test(`index.d.ts type-checks a usage file under --strict (${name} resolution)`, () => {
    const result = check('types/usage.mts', moduleFlags);
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
}

test('misuses of the API are type errors', () => {
  const result = check('types/wrong.mts', ['--module', 'nodenext', '--moduleResolution', 'nodenext']);
  assert.notEqual(result.status, 0);
  const lines = result.stdout.split('\n').filter((line) => line.includes('error TS'));
  const errorLines = new Set(lines.map((line) => /\((\d+),/.exec(line)[1]));
  assert.deepEqual([...errorLines].sort(), ['10', '11', '12', '13', '5', '6', '7', '8', '9'], result.stdout);
});
