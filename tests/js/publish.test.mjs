// The package as it would be published: `npm pack` holds exactly the files package.json lists
// (and every file an entry point, `exports` or `bin` names), `npm publish --dry-run` publishes it
// with no field corrected away (a `bin` npm drops would leave `npx basis-trees` without a
// command), the metadata a registry page shows is there, and every file the package README links
// to or names exists: in the package, or at the repository's address in this repository.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const repo = process.env.BT_REPO;
const pkgDir = path.join(repo, 'pkg');
const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const repositoryUrl = manifest.repository && /^git\+(https:\/\/github\.com\/[^/]+\/[^/]+?)\.git$/.exec(manifest.repository.url);
/** What `npm pack` would put in the tarball, from its own report. */
const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: pkgDir, encoding: 'utf8' }))[0].files.map((f) => f.path).sort();

/** Every file under `dir`, relative to `root`. */
function filesUnder(root, dir = '') {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const name = path.posix.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(root, name) : [name];
  });
}

test('npm pack holds exactly what package.json lists, and the tarball tested is that', () => {
  // `files` as npm reads it: a directory is everything under it; a pattern with no slash matches
  // a file's name at any depth.
  const all = filesUnder(pkgDir);
  const listed = manifest.files.flatMap((entry) => {
    if (entry.includes('*')) {
      const pattern = new RegExp(`^${entry.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
      return all.filter((file) => pattern.test(entry.includes('/') ? file : path.posix.basename(file)));
    }
    return fs.statSync(path.join(pkgDir, entry)).isDirectory() ? filesUnder(pkgDir, entry) : [entry];
  });
  assert.deepEqual(packed, [...new Set([...listed, 'package.json'])].sort());
  for (const page of ['www/index.html', 'www/app.js', 'www/worker.js', 'www/style.css', 'serve.cjs', 'cli.cjs']) {
    assert.ok(packed.includes(page), `${page} is not in the package`);
  }
  assert.ok(!packed.some((file) => /(^|\/)(README\.md|package\.json)$/.test(file) && file.startsWith('www/')), 'www/ ships the page only');
  const tarball = execFileSync('tar', ['-tzf', process.env.BT_TARBALL], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, '')).sort();
  assert.deepEqual(tarball, packed);
});

test('every file an entry point, exports or bin names is in the package', () => {
  const named = [];
  const collect = (value) => {
    if (typeof value === 'string') named.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect([manifest.main, manifest.module, manifest.browser, manifest.types, manifest.exports, manifest.bin]);
  for (const file of named) assert.ok(packed.includes(file.replace(/^\.\//, '')), `${file} is named but not packed`);
  assert.match(fs.readFileSync(path.join(pkgDir, manifest.bin['basis-trees']), 'utf8'), /^#!\/usr\/bin\/env node\n/);
});

test('npm publish --dry-run publishes the package as it is, nothing corrected away', () => {
  const result = spawnSync('npm', ['publish', '--dry-run', '--json', '--ignore-scripts', '--registry', 'http://127.0.0.1:9/'], { cwd: pkgDir, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.doesNotMatch(result.stderr, /auto-corrected|corrected:|invalid and removed|was cleaned/, result.stderr);
  const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')));
  const published = report[manifest.name] ?? report;
  assert.equal(published.id, `${manifest.name}@${manifest.version}`);
  assert.deepEqual(published.files.map((f) => f.path).sort(), packed);
});

test('the metadata a registry shows: repository, homepage, bugs, keywords, engines, license', () => {
  assert.ok(repositoryUrl, `repository.url ${manifest.repository && manifest.repository.url} is not git+https://github.com/OWNER/NAME.git`);
  assert.equal(manifest.repository.type, 'git');
  assert.equal(manifest.homepage, `${repositoryUrl[1]}#readme`);
  assert.equal(manifest.bugs.url, `${repositoryUrl[1]}/issues`);
  assert.ok(Array.isArray(manifest.keywords) && manifest.keywords.length >= 5);
  for (const word of ['ergo', 'basis', 'wasm']) assert.ok(manifest.keywords.includes(word), word);
  assert.match(manifest.engines.node, /^>=\d+/);
  assert.ok(Number(process.versions.node.split('.')[0]) >= Number(/\d+/.exec(manifest.engines.node)[0]));
  assert.equal(manifest.license, 'MIT OR Apache-2.0');
  assert.equal(manifest.bin['basis-trees'], 'cli.cjs', 'a bin path npm keeps as it is (no ./)');
});

test('every file the package README links to or names is there: in the package, or in the repository at its address', () => {
  const readme = fs.readFileSync(path.join(pkgDir, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g), ...readme.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(links.length > 0);
  for (const link of links) {
    if (link.startsWith('#')) continue;
    if (link.startsWith(`${repositoryUrl[1]}/blob/main/`)) {
      const file = link.slice(`${repositoryUrl[1]}/blob/main/`.length).replace(/#.*$/, '');
      assert.ok(fs.existsSync(path.join(repo, file)), `${link}: ${file} is not in the repository`);
    } else if (/^https:\/\//.test(link)) {
      assert.ok(!link.startsWith(repositoryUrl[1]) || link === repositoryUrl[1], `${link}: a repository link other than blob/main/FILE`);
    } else {
      assert.ok(packed.includes(link.replace(/^\.\//, '').replace(/#.*$/, '')), `${link} is linked but not in the package`);
    }
  }
  // A path named in the text, not linked (`docs/X.md`, `www/README.md`): in the package, or linked.
  const outside = readme.replace(/\[[^\]]*\]\([^)]*\)/g, '').replace(/```[\s\S]*?```/g, '');
  for (const [named] of outside.matchAll(/\b(?:docs|www|src|tests|scripts|examples)\/[\w./-]+\.\w+/g)) {
    assert.ok(packed.includes(named), `the README names ${named}, which is not in the package and not linked`);
  }
});
