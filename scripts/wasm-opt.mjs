// wasm-opt as the package's build runs it (scripts/build-pkg.mjs), shared with
// bench/wasm-size.mjs so that the bytes it attributes are the bytes the package ships.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** -Oz until nothing shrinks, with the features rustc enables by default for
 *  wasm32-unknown-unknown; the producers and target-features sections (toolchain names and
 *  versions) are dropped. */
export const WASM_OPT_FLAGS = [
  '-Oz',
  '--converge',
  '--enable-bulk-memory',
  '--enable-multivalue',
  '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int',
  '--enable-reference-types',
  '--enable-sign-ext',
  '--strip-producers',
  '--strip-target-features',
];

/** Optimises `input` into `output`; `extra` flags follow the package's (`-g` keeps the names). */
export function wasmOpt(input, output, extra = []) {
  const binary = path.join(root, 'node_modules', '.bin', 'wasm-opt');
  execFileSync(binary, [input, ...WASM_OPT_FLAGS, ...extra, '-o', output], { stdio: 'inherit' });
}
