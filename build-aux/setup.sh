# SPDX-License-Identifier: GPL-3.0-or-later
#
# Configures (once) and builds the build folder, $PHONECHAT_BUILDDIR or _build. Sourced
# by run-tests and run-demo where the libraries are: natively or inside the build root.

builddir="${PHONECHAT_BUILDDIR:-_build}"

phonechat_setup_build () {
  local made_by=

  # A folder configured by another meson (the host's, before the build root) cannot be
  # reused: configure it anew.
  if [ -f "$builddir/meson-info/meson-info.json" ]; then
    made_by=$(jq -r '.meson_version.full // empty' "$builddir/meson-info/meson-info.json" 2>/dev/null || true)
    if [ "$made_by" != "$(meson --version)" ]; then
      echo "phonechat: $builddir was configured by meson $made_by; configuring it again" >&2
      meson setup --wipe "$builddir" "$@"
    fi
  fi
  if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" "$@"
  fi
  meson compile -C "$builddir"
}
