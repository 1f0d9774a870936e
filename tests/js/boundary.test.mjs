// The package's JavaScript boundary in Node: one test per way a caller could brick the instance or
// be misled (browser/boundary/cases.js, shared with the Chromium run in browser.test.mjs), and the
// hostile campaign: 100,000 error-raising calls of every kind, then a correct verifyLog.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as bt from 'basis-trees';
import { cases, hostileCampaign } from './browser/boundary/cases.js';

// The wasm-bindgen glue the entry loaded (the same module instance): its diagnostic export tells
// where the instance's shadow stack stands.
const require = createRequire(import.meta.url);
const glue = require(path.join(path.dirname(require.resolve('basis-trees')), 'basis_trees.cjs'));
const env = {
  node: true,
  probe: () => (typeof glue.__shadowStackPosition === 'function' ? glue.__shadowStackPosition() : undefined),
  memory: () => (typeof glue.__memoryBytes === 'function' ? glue.__memoryBytes() : undefined),
};

test('the glue reports its shadow-stack position', () => {
  assert.equal(typeof env.probe(), 'number');
  assert.equal(env.probe(), env.probe(), 'the same position between two calls');
});

for (const { name, run } of cases) {
  test(name, () => run(bt, env));
}

test('100,000 error-raising calls of every kind leave the instance working', () => {
  const result = hostileCampaign(bt, env);
  assert.deepEqual(Object.keys(result.counts), ['freed object', 'throwing getter', 'detached buffer', 'lying length', 'bad hex', 'unknown option']);
  assert.ok(Object.values(result.counts).every((n) => n === 100_000));
  assert.equal(result.stackAfter, result.stackBefore, 'the shadow stack is where it was');
});
