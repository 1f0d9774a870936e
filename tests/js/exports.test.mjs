// The package's three lists of names agree: what index.d.ts declares is what every entry (CommonJS,
// Node ESM, the web entry) exports at run time, and nothing more; every export of the glue is
// wrapped by the API, and every function the WebAssembly module exports is called by the glue.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as esm from 'basis-trees';

const require = createRequire(import.meta.url);
const installed = path.dirname(require.resolve('basis-trees/package.json'));
const read = (file) => fs.readFileSync(path.join(installed, file), 'utf8');

/** The values index.d.ts exports, as TypeScript resolves them: functions, classes and constants (types aside). */
function declaredValues() {
  const ts = createRequire(path.join(process.env.BT_REPO, 'package.json'))('typescript');
  const entry = path.join(installed, 'index.d.ts');
  const program = ts.createProgram([entry], { strict: true, noEmit: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'], types: [] });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry));
  return checker
    .getExportsOfModule(module)
    .filter((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return (target.flags & ts.SymbolFlags.Value) !== 0;
    })
    .map((symbol) => symbol.name)
    .filter((name) => name !== 'default');
}
const declared = [...new Set(declaredValues())].sort();
const exportedNames = (entry) => Object.keys(entry).filter((name) => name !== 'default' && name !== '__esModule').sort();

test('every value index.d.ts declares is exported by every entry, and nothing else is', async () => {
  assert.ok(declared.includes('verifyLogStream') && declared.includes('Tree') && declared.includes('init'));
  const web = await import(path.join(installed, 'index.js'));
  for (const [name, entry] of [['CommonJS', require('basis-trees')], ['Node ESM', esm], ['web', web]]) {
    assert.deepEqual(exportedNames(entry), declared, `${name} entry`);
    for (const value of declared) assert.equal(typeof entry[value], 'function', `${name} entry: ${value}`);
    assert.equal(typeof entry.default, 'function', `${name} entry: default (init)`);
  }
  // One instance behind Node's two entries.
  assert.equal(esm.Tree, require('basis-trees').Tree);
});

test('every export of the glue is wrapped, and every function of the module is called by the glue', () => {
  const glue = require(path.join(installed, 'basis_trees.cjs'));
  const api = require('basis-trees');
  for (const name of Object.keys(glue)) {
    if (name.startsWith('__')) continue;
    // `verifyProofPacked` takes what `verifyProof` packed (packVerifyInput in boundary.ts).
    const wrapped = name.endsWith('Packed') ? name.slice(0, -'Packed'.length) : name;
    assert.equal(typeof api[wrapped], 'function', `the glue's ${name} is wrapped`);
  }
  const module = new WebAssembly.Module(fs.readFileSync(path.join(installed, 'basis_trees_bg.wasm')));
  const glueSource = read('basis_trees.cjs');
  const unused = WebAssembly.Module.exports(module)
    .filter(({ kind, name }) => kind === 'function' && !glueSource.includes(`wasm.${name}`))
    .map(({ name }) => name);
  assert.deepEqual(unused, [], 'functions of the module nothing calls');
});
