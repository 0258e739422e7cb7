#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# appstreamcli validate --pedantic on the built metainfo. The one finding allowed is the
# upper-case letters of the placeholder id com.example.PhoneChat, which a release
# replaces (see "Publishing" in README.md); anything else, even a pedantic note, fails.
#
#   check-metainfo.sh APPSTREAMCLI METAINFO
set -u
appstreamcli="$1"
metainfo="$2"

output=$("$appstreamcli" validate --pedantic --no-net --no-color "$metainfo" 2>&1)
status=$?
printf '%s\n' "$output"
findings=$(printf '%s\n' "$output" | grep -E '^[EWIP]: ' | grep -v -E '^P: [^ ]+:[0-9]+: cid-contains-uppercase-letter ')
if [ -n "$findings" ]; then
  echo "Findings other than the placeholder id's:" >&2
  printf '%s\n' "$findings" >&2
  exit 1
fi
exit "$status"
