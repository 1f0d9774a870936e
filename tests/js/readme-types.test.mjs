// The JavaScript examples of the package's README and of the repository's README, as a TypeScript
// user copies them: each compiles under `tsc --strict` against the installed index.d.ts (the
// names an example takes from around it — the log's bytes, a digest — declared with their types).
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const repo = process.env.BT_REPO;
const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const flags = ['--strict', '--noEmit', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', '--typeRoots', path.join(repo, 'node_modules', '@types'), '--skipLibCheck'];

/** What an example may take from around it, with its type. */
const GIVEN = {
  bytes: 'Uint8Array',
  logBytes: 'Uint8Array',
  onChainDigest: 'Uint8Array',
  issuerPublicKey: 'Uint8Array',
  recipientPublicKey: 'Uint8Array',
  digestBefore: 'Uint8Array',
  proof: 'Uint8Array',
  key: 'Uint8Array',
  chunk1: 'Uint8Array',
  chunk2: 'Uint8Array',
  node: 'string',
  boxId: 'string',
  text: 'string',
  boxJson: 'string',
  earlierBoxes: 'string[]',
};

/** The names a block declares itself (`const x`, `const { a, b }`). */
function declared(block) {
  const names = new Set();
  for (const [, single, list] of block.matchAll(/\b(?:const|let|var)\s+(?:(\w+)|\{([^}]*)\})/g)) {
    if (single) names.add(single);
    if (list) for (const name of list.split(',')) names.add(name.trim().split(/\s*:\s*/).pop());
  }
  return names;
}

function examples(file) {
  const text = fs.readFileSync(path.join(repo, file), 'utf8');
  return [...text.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

test('the READMEs\' JavaScript examples compile under tsc --strict', () => {
  fs.mkdirSync('readme', { recursive: true });
  const files = { dom: [], webworker: [] };
  for (const source of ['pkg-template/README.md', 'README.md']) {
    examples(source).forEach((block, i) => {
      const own = declared(block);
      const imports = /^import .* from 'basis-trees';$/m.test(block) || /require\('basis-trees'\)/.test(block);
      const preamble = [
        imports ? '' : "import * as bt from 'basis-trees';",
        ...Object.entries(GIVEN)
          .filter(([name]) => !own.has(name) && new RegExp(`\\b${name}\\b`).test(block))
          .map(([name, type]) => `declare const ${name}: ${type};`),
      ].join('\n');
      // `require` in an example is CommonJS; anything else is an ES module.
      const commonJs = /require\('basis-trees'\)/.test(block);
      const name = `readme/${source.replace(/\W/g, '-')}-${i}.${commonJs ? 'cts' : 'mts'}`;
      fs.writeFileSync(name, `${preamble}\n${block}\nexport {};\n`);
      (/^\/\/ worker\.js/.test(block) ? files.webworker : files.dom).push(name);
    });
  }
  assert.ok(files.dom.length >= 10, 'the examples were found');
  for (const [lib, names] of Object.entries(files)) {
    if (names.length === 0) continue;
    const result = spawnSync(process.execPath, [tsc, ...flags, '--lib', `es2022,${lib},esnext.disposable`, ...names], { encoding: 'utf8' });
    assert.equal(result.status, 0, `${names.join(', ')}:\n${result.stdout}${result.stderr}`);
  }
});
