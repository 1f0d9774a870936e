// The web entry (browsers, Web Workers, bundlers): `import init, * as bt from 'basis-trees'`,
// then `await init()` (or `initSync({ module })` with a compiled WebAssembly.Module). Its
// declarations (index.d.ts) are the types of every entry: Node's (index.cjs, index.mjs) export
// the same names, the module ready on load and `init()` / `initSync()` no-ops there, so that code
// written for the web entry runs unchanged.
import init, * as webGlue from './basis_trees.js';
import { useGlue } from './glue.js';
import type { Glue } from './glue.js';

useGlue(webGlue as unknown as Glue);

export * from './api.js';
export { initSync } from './basis_trees.js';
export { init };
export default init;
