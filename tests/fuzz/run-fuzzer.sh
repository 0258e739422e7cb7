#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# run-fuzzer.sh FUZZER WORK_DIR SECONDS SEED_DIR...
# Runs a libFuzzer binary for SECONDS from the seed folders, with a fresh corpus in
# WORK_DIR/corpus and any failing input written to WORK_DIR (crash-*, leak-*, timeout-*).
# Prints libFuzzer's final statistics; fails when the fuzzer found anything.
set -eu

fuzzer=$1 work=$2 seconds=$3
shift 3

rm -rf "$work"
mkdir -p "$work/corpus"

# Fast unwinding on malloc (the asan test setup turns it off for the suppressions): full
# stacks on every allocation would slow fuzzing tenfold. A leak is still reported.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=1"
export ASAN_OPTIONS

# Each input must finish within 10 s and 2 GB; a single input is at most 1 MiB.
status=0
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=1048576 \
  -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "$@" \
  >"$work/log" 2>&1 || status=$?

grep -E '^(#[0-9]+.*DONE|stat::|Done [0-9]+ runs)' "$work/log" || true
if [ "$status" -ne 0 ]; then
  tail -n 60 "$work/log"
  echo "The fuzzer found a fault (exit $status); its input is in $work" >&2
fi
exit "$status"
