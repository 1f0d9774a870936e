// The wasm-bindgen web glue (basis_trees.js), as the web entry uses it: loading the module. Its
// classes and functions are called through the API only (glue.ts).
import type { InitInput } from './types.js';

/** Loads the WebAssembly module (web entry); a no-op in Node. Also the default export. */
export default function init(options?: { module_or_path?: InitInput | Promise<InitInput> }): Promise<unknown>;
/** Instantiates synchronously from a compiled module or its bytes (web entry); a no-op in Node. */
export function initSync(options?: { module: BufferSource | WebAssembly.Module }): unknown;
