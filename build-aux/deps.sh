#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what PhoneChat needs to build, test and run on Debian 12 (bookworm), as root.
# Sourced by run-tests and run-demo; does nothing when everything is already there.

PHONECHAT_PACKAGES=(
  gcc libc6-dev pkg-config meson ninja-build gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsecret-1-dev
  tzdata adwaita-icon-theme fonts-cantarell
  xvfb xauth dbus-daemon dbus-x11 at-spi2-core gnome-keyring
  desktop-file-utils appstream jq flatpak-builder python3-jsonschema
)

phonechat_install_deps () {
  local missing=()
  local pkg

  for pkg in "${PHONECHAT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done

  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi

  if [ "$(id -u)" -ne 0 ]; then
    echo "PhoneChat needs these Debian packages: ${missing[*]}" >&2
    echo "Run this command as root, or install them with apt-get first." >&2
    return 1
  fi

  echo "Installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${PHONECHAT_PACKAGES[@]}"
}
