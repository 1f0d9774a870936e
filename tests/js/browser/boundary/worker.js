// The boundary cases in a module worker.
import init, * as bt from '/node_modules/basis-trees/index.js';
import * as glue from '/node_modules/basis-trees/basis_trees.js';
import { runCases } from '/boundary/cases.js';

init().then(async () => {
  try {
    self.postMessage({ cases: await runCases(bt, { node: false, probe: () => glue.__shadowStackPosition(), memory: () => glue.__memoryBytes() }) });
  } catch (err) {
    self.postMessage({ failed: String((err && err.stack) || err) });
  }
});
