// The instance's 4 GiB spent on values of 16 MiB: OUT_OF_MEMORY, never a trap, and the same
// instance works once the tree is freed. In a file of its own, so in a process of its own: the
// instance's memory stays grown. (The same in Chromium: browser.test.mjs.)
import test from 'node:test';
import assert from 'node:assert/strict';
import * as bt from 'basis-trees';
import { exhaustMemory } from './browser/boundary/cases.js';

test('values of 16 MiB until the instance\'s memory is spent: OUT_OF_MEMORY, then the instance works', () => {
  const { inserted } = exhaustMemory(bt);
  assert.ok(inserted > 100 && inserted < 256, `${inserted} values of 16 MiB`);
});
