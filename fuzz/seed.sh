#!/usr/bin/env bash
# Seeds each fuzz target's corpus with the checked-in test vectors, behind the two shaping bytes
# the targets read first (mode, split point).
set -euo pipefail
cd "$(dirname "$0")"
vectors=../tests/vectors
mkdir -p corpus/binary_log corpus/ndjson_log corpus/snapshot
for f in "$vectors"/*.bin; do
  printf '\x00\x80' | cat - "$f" > "corpus/binary_log/$(basename "$f")"
done
for f in "$vectors"/*.ndjson; do
  printf '\x00\x80' | cat - "$f" > "corpus/ndjson_log/$(basename "$f")"
done
for f in "$vectors"/*.snap; do
  printf '\x00' | cat - "$f" > "corpus/snapshot/$(basename "$f")"
done
