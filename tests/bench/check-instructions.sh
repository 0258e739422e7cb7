#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-instructions.sh BENCH_JSON BASELINE_FILE
# The JSON benchmark's figure that noise cannot move: the instructions build_store()
# executes in `bench-json profile` (a 100-booking page, read and merged into a store 50
# times), counted by callgrind. Fails when it grows more than 0.5% over the baseline kept
# in BASELINE_FILE (its first line that is not a comment). Prints TAP.
set -eu

bench=$1 baseline_file=$2
out=$(mktemp)
trap 'rm -f "$out" "$out.cg"' EXIT

baseline=$(grep -v '^#' "$baseline_file" | head -n 1 | tr -d ' ')

# meson sets MALLOC_PERTURB_, which makes glibc fill memory: not the code's own work.
env -u MALLOC_PERTURB_ valgrind --tool=callgrind --toggle-collect=build_store --callgrind-out-file="$out.cg" \
  "$bench" profile >"$out" 2>&1 || { cat "$out"; echo "not ok 1 callgrind failed"; exit 1; }
count=$(sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p' "$out")

echo "1..1"
echo "# build_store(): $count instructions; baseline $baseline"
if [ -z "$count" ] || [ "$count" -eq 0 ]; then
  echo "not ok 1 callgrind collected nothing: is build_store() still a function of its own?"
  exit 1
fi

# Integer arithmetic: count * 1000 > baseline * 1005 means more than 0.5% over.
if [ $((count * 1000)) -gt $((baseline * 1005)) ]; then
  echo "not ok 1 $count instructions is more than 0.5% over the baseline $baseline"
  exit 1
fi
if [ $((count * 1000)) -lt $((baseline * 995)) ]; then
  echo "# faster by more than 0.5%: put $count in $baseline_file"
fi
echo "ok 1 $count instructions, within 0.5% of the baseline $baseline"
