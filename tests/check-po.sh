#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every translation in po/LINGUAS passes msgfmt --check, and each one named on the
# command line is complete: it has every message xgettext finds in the files of
# po/POTFILES.in today, none of them untranslated or fuzzy. TAP output.
#
#   check-po.sh TOP COMPLETE_LANGUAGE…
set -u
top="$1"
shift
cd "$top" || exit 1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The keywords of meson's i18n "glib" preset (po/meson.build).
xgettext --package-name=phonechat --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  -D "$top" -f po/POTFILES.in -o "$tmp/phonechat.pot" 2>"$tmp/xgettext.log"
xgettext_status=$?

n=0
ok () { n=$((n + 1)); echo "ok $n $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n $1 # $2"; failed=1; }
failed=0

if [ $xgettext_status -eq 0 ]; then ok "/po/xgettext"; else
  not_ok "/po/xgettext" "$(head -c 300 "$tmp/xgettext.log")"; fi

for lang in $(grep -v '^#' po/LINGUAS); do
  if out=$(msgfmt --check -o /dev/null "po/$lang.po" 2>&1); then ok "/po/$lang/msgfmt-check"; else
    not_ok "/po/$lang/msgfmt-check" "$(echo $out | head -c 300)"; fi
done

for lang in "$@"; do
  if out=$(msgcmp "po/$lang.po" "$tmp/phonechat.pot" 2>&1); then ok "/po/$lang/has-every-message"; else
    not_ok "/po/$lang/has-every-message" "$(echo $out | head -c 300)"; fi
  stats=$(msgfmt --statistics -o /dev/null "po/$lang.po" 2>&1)
  case "$stats" in
    *untranslated*|*fuzzy*) not_ok "/po/$lang/all-translated" "$stats" ;;
    *) ok "/po/$lang/all-translated" ;;
  esac
done

echo "1..$n"
exit $failed
