// The web entry (browsers, Web Workers, bundlers): `import init, * as bt from 'basis-trees'`,
// then `await init()` (or `initSync({ module })` with a compiled WebAssembly.Module).
import init from './basis_trees.js';
import * as wasm from './basis_trees.js';
import { createHelpers } from './helpers.js';

export * from './basis_trees.js';
export const { verifyLog, verifyLogStream } = createHelpers(wasm);
export default init;
