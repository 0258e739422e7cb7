#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every source file with translatable strings is listed in po/POTFILES.in, and every
# listed file exists. TAP output.
set -u
top="$1"
cd "$top" || exit 1

found=$(grep -rlE '(^|[^A-Za-z0-9_])(_|C_|N_|NC_|ngettext|g_dngettext)[[:space:]]*\(|translatable="yes"' \
          src data --include='*.c' --include='*.ui' --include='*.in' --include='*.xml' \
        | grep -v '/screenshots/' | LC_ALL=C sort)
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d' | LC_ALL=C sort)

missing=$(printf '%s\n' "$found" | while read -r f; do
  [ -n "$f" ] && ! printf '%s\n' "$listed" | grep -qxF "$f" && echo "$f"; done)
stale=$(printf '%s\n' "$listed" | while read -r f; do
  [ -n "$f" ] && [ ! -f "$f" ] && echo "$f"; done)
sorted=$(grep -v '^#' po/POTFILES.in | sed '/^$/d')

echo "1..3"
if [ -z "$missing" ]; then echo "ok 1 /po/potfiles/complete"; else
  echo "not ok 1 /po/potfiles/complete # not listed: $(echo $missing)"; fi
if [ -z "$stale" ]; then echo "ok 2 /po/potfiles/exist"; else
  echo "not ok 2 /po/potfiles/exist # missing files: $(echo $stale)"; fi
if [ "$sorted" = "$listed" ]; then echo "ok 3 /po/potfiles/sorted"; else
  echo "not ok 3 /po/potfiles/sorted"; fi
