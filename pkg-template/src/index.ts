// Types of the basis-trees package, the same for every entry (Node CommonJS and ESM, browsers,
// Web Workers, bundlers). In Node the module is ready on load; `init()` / `initSync()` are no-ops
// there so that code written for the web entry runs unchanged.
//
// This is the web entry (browsers, Web Workers, bundlers): `import init, * as bt from
// 'basis-trees'`, then `await init()` (or `initSync({ module })` with a compiled
// WebAssembly.Module).
import init, * as webGlue from './basis_trees.js';
import { useGlue, type Glue } from './glue.js';

useGlue(webGlue as unknown as Glue);

export * from './api.js';
export { initSync } from './basis_trees.js';
export { init };
export default init;
