#!/usr/bin/env bash
# Seeds each fuzz target's corpus: the decoders' with the checked-in test vectors, behind the
# shaping bytes the targets read first (mode, split point); verify_proof's with each of its 32
# honest cases, unpatched (mode 2) and as the seed of a mutant (mode 4).
set -euo pipefail
cd "$(dirname "$0")"
vectors=../tests/vectors
mkdir -p corpus/binary_log corpus/ndjson_log corpus/snapshot corpus/verify_proof
for f in "$vectors"/*.bin; do
  printf '\x00\x80' | cat - "$f" > "corpus/binary_log/$(basename "$f")"
done
for f in "$vectors"/*.ndjson; do
  printf '\x00\x80' | cat - "$f" > "corpus/ndjson_log/$(basename "$f")"
done
for f in "$vectors"/*.snap; do
  printf '\x00' | cat - "$f" > "corpus/snapshot/$(basename "$f")"
done
for case in $(seq 0 31); do
  byte=$(printf '\\%03o' "$case")
  printf "$byte"'\x02' > "corpus/verify_proof/honest-$case"
  printf "$byte"'\x04\x01\x02\x03\x04\x05\x06\x07'"$byte" > "corpus/verify_proof/mutant-$case"
done
# The engine: per shape, 60 inserts and a proof, then every third key removed and a proof.
mkdir -p corpus/avl_engine
for shape in 0 1 2 3 4 5; do
  {
    printf "$(printf '\\%03o' "$shape")"
    for k in $(seq 1 60); do
      printf "\\001$(printf '\\%03o' $((k * 4 % 250 + 1)))$(printf '\\%03o' "$k")"
    done
    printf '\006\000'
    for k in $(seq 1 3 60); do
      printf "\\004$(printf '\\%03o' $((k * 4 % 250 + 1)))"
    done
    printf '\006\000'
  } > "corpus/avl_engine/grow-and-cut-$shape"
done
# Boxes as JSON (mode 0: as they are), and every register they hold (mode 0: with its type byte).
mkdir -p corpus/tracker_box corpus/register
for f in "$vectors"/chain/*.json; do
  printf '\x00' | cat - "$f" > "corpus/tracker_box/$(basename "$f")"
  { grep -oE '"(07|64)[0-9a-f]{66,}"' "$f" || true; } | tr -d '"' | while read -r hex; do
    printf '\x00' > "corpus/register/$hex"
    printf "$(sed 's/../\\x&/g' <<<"$hex")" >> "corpus/register/$hex"
  done
done
# A Basis note and the tracker's answers, each behind the byte that picks its reader.
mkdir -p corpus/basis_note
printf '\x00' | cat - "$vectors"/basis/note.json > corpus/basis_note/note.json
printf '\x01' | cat - "$vectors"/basis/tracker_proof.json > corpus/basis_note/tracker_proof.json
printf '\x02' | cat - "$vectors"/basis/tracker_signature.json > corpus/basis_note/tracker_signature.json
printf '\x04' | cat - "$vectors"/basis/tracker_state.json > corpus/basis_note/tracker_state.json
