#!/usr/bin/env bash
# Packs pkg/ with `npm pack`, installs the tarball into fresh projects in a temporary directory and
# runs tests/js there with `node --test`: the package exactly as a user gets it, in Node (CommonJS
# and ESM, the CLI, TypeScript) and in Chromium (a Vite build, plain ES modules, Web Workers).
# Arguments name test files of tests/js to run alone (`scripts/test-js.sh stream.test.mjs`).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/basis-trees-js.XXXXXX")
trap 'rm -rf "$work"' EXIT

tarball="$work/$(cd "$repo/pkg" && npm pack --silent --pack-destination "$work" | tail -1)"
echo "test-js: packed $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KB)"

mkdir "$work/app"
cd "$work/app"
echo '{ "name": "basis-trees-js-tests", "private": true, "version": "0.0.0", "type": "module" }' >package.json
npm install --no-audit --no-fund --offline "$tarball" >/dev/null
cp -r "$repo/tests/js/." .

if [ $# -eq 0 ]; then set -- ./*.test.cjs ./*.test.mjs; fi
NO_COLOR=1 BT_REPO="$repo" BT_TARBALL="$tarball" node --test --test-concurrency=1 "$@"
