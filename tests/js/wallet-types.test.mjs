// The wallet in the shipped index.d.ts: a wallet's usage type-checks under `tsc --strict`, with
// the reports typed and the wallet's error codes in the ErrorCode union.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const tsc = path.join(process.env.BT_REPO, 'node_modules', 'typescript', 'bin', 'tsc');

test('the wallet\'s declarations type-check a wallet\'s usage under --strict', () => {
  const flags = ['--strict', '--noEmit', '--target', 'es2022', '--lib', 'es2022,dom,esnext.disposable', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
  const result = spawnSync(process.execPath, [tsc, ...flags, 'types/wallet.mts'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stdout + result.stderr);
});
