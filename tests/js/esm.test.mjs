// The package from ES modules in Node: synchronous, no top-level await, no init call, and the very
// same instance as `require('basis-trees')`.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import init, * as bt from 'basis-trees';

const require = createRequire(import.meta.url);

test('named exports work without init', () => {
  const t = new bt.Tree({ keyLength: 32 });
  t.insert(new Uint8Array(32).fill(7), bt.fromHex('0102'));
  assert.deepEqual(t.get(bt.toHex(new Uint8Array(32).fill(7))), new Uint8Array([1, 2]));
  assert.equal(typeof init, 'function');
});

test('ESM and CommonJS entries share one WebAssembly instance and export the same names', () => {
  const cjs = require('basis-trees');
  assert.equal(bt.Tree, cjs.Tree);
  assert.deepEqual(Object.keys(bt).filter((n) => n !== 'default').sort(), Object.keys(cjs).filter((n) => n !== 'default').sort());
});

test('the Node ESM entry has no top-level await', () => {
  const entry = require.resolve('basis-trees').replace(/index\.cjs$/, 'index.mjs');
  assert.doesNotMatch(readFileSync(entry, 'utf8'), /^\s*await\b|[^.\w]await\s/m);
});

test('errors thrown through ESM are BasisTreeErrors', () => {
  const t = new bt.Tree({ keyLength: 32 });
  assert.throws(() => t.remove(new Uint8Array(32).fill(1)), { name: 'BasisTreeError', code: 'KEY_NOT_FOUND' });
});

test('package.json exports the wasm file and lists types first', () => {
  const manifest = require('basis-trees/package.json');
  assert.equal(Object.keys(manifest.exports['.'])[0], 'types');
  const wasm = readFileSync(require.resolve('basis-trees/basis_trees_bg.wasm'));
  assert.ok(WebAssembly.validate(wasm));
});

test('the web entry runs in Node too, after initSync with the compiled module', async () => {
  const web = await import('basis-trees/web');
  const bytes = readFileSync(require.resolve('basis-trees/basis_trees_bg.wasm'));
  web.initSync({ module: new WebAssembly.Module(bytes) });
  const t = new web.Tree({ keyLength: 32 });
  assert.equal(web.toHex(t.digest), bt.toHex(new bt.Tree({ keyLength: 32 }).digest));
});
