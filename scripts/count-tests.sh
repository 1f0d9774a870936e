#!/usr/bin/env bash
# Runs a test command and fails unless its summary reports at least one passed test and none
# failed. wasm-bindgen-test-runner "passes" a browser-only suite run under Node by skipping it;
# counting the passed tests catches that.
set -euo pipefail
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$@" 2>&1 | tee "$log"
summary=$(grep -E 'test result: ' "$log" | tail -1 || true)
passed=$(sed -nE 's/.* ([0-9]+) passed.*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$summary")
if [[ -z "$passed" || "$passed" -eq 0 || "${failed:-1}" -ne 0 ]]; then
  echo "count-tests: expected at least one passed test and none failed, got: ${summary:-no summary}" >&2
  exit 1
fi
echo "count-tests: $passed passed, 0 failed"
