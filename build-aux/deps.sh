# SPDX-License-Identifier: GPL-3.0-or-later
#
# Where PhoneChat builds: natively on a host that has its libraries (Debian 13, or any
# system with GLib 2.84, GTK 4.18, libadwaita 1.7, libsoup 3.6, json-glib 1.10 and
# libsecret 0.21), otherwise inside a Debian 13 root made with debootstrap and cached
# outside the source tree. Sourced by run-tests, run-demo and root-shell.
#
#   phonechat_prepare        decide native or root; install or create what is missing
#   phonechat_run CMD…       run CMD in the source tree, natively or in the root
#
# PHONECHAT_NATIVE=1 forces a native build, PHONECHAT_NATIVE=0 the root.
# PHONECHAT_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/phonechat) holds the root.

# What a Debian 13 system needs to build, test and run PhoneChat. Changing this list
# installs the difference into an existing root the next time it is used.
PHONECHAT_PACKAGES=(
  gcc libc6-dev pkg-config meson ninja-build gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsecret-1-dev
  ca-certificates tzdata adwaita-icon-theme librsvg2-common fonts-cantarell
  xvfb xauth dbus-daemon dbus-x11 at-spi2-core gnome-keyring
  desktop-file-utils appstream jq flatpak-builder python3-jsonschema
  python3-pyatspi python3-gi gir1.2-atspi-2.0
  clang libclang-rt-dev llvm valgrind locales
  yelp-tools itstool
)

PHONECHAT_SUITE=trixie
phonechat_top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
phonechat_cache="${PHONECHAT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/phonechat}"
phonechat_root="$phonechat_cache/root-$PHONECHAT_SUITE"
phonechat_mode=

phonechat_log () {
  echo "phonechat: [${SECONDS}s] $*" >&2
}

# True when the libraries of the floor can be found with pkg-config here.
phonechat_host_has_floor () {
  command -v pkg-config >/dev/null 2>&1 || return 1
  pkg-config --atleast-version=2.84 glib-2.0 &&
    pkg-config --atleast-version=4.18 gtk4 &&
    pkg-config --atleast-version=1.7 libadwaita-1 &&
    pkg-config --atleast-version=3.6 libsoup-3.0 &&
    pkg-config --atleast-version=1.10 json-glib-1.0 &&
    pkg-config --atleast-version=0.21 libsecret-1
}

# The Debian release of this host, as a number (12, 13, …), or nothing.
phonechat_debian_version () {
  local id= version=
  if [ -r /etc/os-release ]; then
    id=$(. /etc/os-release && echo "${ID:-}")
    version=$(. /etc/os-release && echo "${VERSION_ID:-}")
  fi
  [ "$id" = debian ] && [ -n "$version" ] && echo "${version%%.*}"
}

# The packages of PHONECHAT_PACKAGES that dpkg does not have installed under ROOT.
phonechat_missing_packages () {
  local admin="$1/var/lib/dpkg" pkg
  for pkg in "${PHONECHAT_PACKAGES[@]}"; do
    if ! dpkg-query --admindir="$admin" -W -f='${Status}' "$pkg" 2>/dev/null |
        grep -q "install ok installed"; then
      echo "$pkg"
    fi
  done
}

phonechat_need_root_user () {
  if [ "$(id -u)" -ne 0 ]; then
    phonechat_log "$1"
    phonechat_log "Run this command as root, or install them first."
    return 1
  fi
}

phonechat_install_native () {
  local missing
  missing=$(phonechat_missing_packages "")
  [ -z "$missing" ] && return 0
  phonechat_need_root_user "PhoneChat needs these Debian packages: $(echo $missing)" || return 1
  phonechat_log "Installing: $(echo $missing)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update && apt-get install -y --no-install-recommends "${PHONECHAT_PACKAGES[@]}"
}

# The Debian mirror this host already uses (so that a root is made from where apt works).
phonechat_mirror () {
  local uri
  uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null |
        awk '{print $2}' | grep -v security | head -n1)
  [ -n "$uri" ] || uri=$(grep -hsE '^deb ' /etc/apt/sources.list 2>/dev/null |
                         awk '{print $2}' | grep -v security | head -n1)
  echo "${uri:-http://deb.debian.org/debian}"
}

# Creates the root once (debootstrap into a temporary folder, renamed when complete), then
# installs whatever of PHONECHAT_PACKAGES it lacks. A lock keeps two runs from racing.
phonechat_make_root () {
  local mirror tmp missing
  mkdir -p "$phonechat_cache"
  exec {phonechat_lock_fd}>"$phonechat_cache/root.lock"
  flock "$phonechat_lock_fd"

  if [ ! -x "$phonechat_root/usr/bin/apt-get" ]; then
    phonechat_need_root_user "Making the Debian 13 build root needs root (debootstrap, chroot)." || return 1
    if ! command -v debootstrap >/dev/null 2>&1; then
      phonechat_log "Installing debootstrap"
      DEBIAN_FRONTEND=noninteractive apt-get update &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap ||
        return 1
    fi
    mirror=$(phonechat_mirror)
    tmp="$phonechat_root.partial"
    rm -rf "$tmp"
    phonechat_log "Making the Debian 13 build root in $phonechat_root (once; a few minutes)"
    debootstrap --variant=minbase "$PHONECHAT_SUITE" "$tmp" "$mirror" >&2 || return 1
    cat >"$tmp/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $PHONECHAT_SUITE $PHONECHAT_SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    rm -f "$tmp/etc/apt/sources.list"
    mv "$tmp" "$phonechat_root"
  fi

  missing=$(phonechat_missing_packages "$phonechat_root")
  if [ -n "$missing" ]; then
    phonechat_need_root_user "The build root lacks: $(echo $missing)" || return 1
    phonechat_log "Installing into the build root: $(echo $missing)"
    phonechat_chroot /bin/sh -c "apt-get update && apt-get install -y --no-install-recommends $(echo $missing) && apt-get clean" >&2 ||
      return 1
  fi
  flock -u "$phonechat_lock_fd"
}

phonechat_prepare () {
  local debian
  debian=$(phonechat_debian_version)
  case "${PHONECHAT_NATIVE:-}" in
    1) phonechat_mode=native ;;
    0) phonechat_mode=root ;;
    *)
      if [ -n "$debian" ] && [ "$debian" -ge 13 ]; then
        phonechat_mode=native
      elif [ -z "$debian" ] && phonechat_host_has_floor; then
        phonechat_mode=native
      elif [ -n "$debian" ] || command -v debootstrap >/dev/null 2>&1; then
        phonechat_mode=root
      else
        phonechat_log "This system lacks PhoneChat's libraries (GLib 2.84, GTK 4.18, libadwaita 1.7,"
        phonechat_log "libsoup 3.6, json-glib 1.10, libsecret 0.21) and debootstrap to make a Debian 13 root."
        return 1
      fi
      ;;
  esac

  if [ "$phonechat_mode" = native ]; then
    if [ -n "$debian" ]; then
      phonechat_install_native || return 1
    fi
  else
    phonechat_make_root || return 1
  fi
}

# Runs a command inside the root, in a private mount namespace: every mount made for it
# disappears with the namespace when the command ends, however it ends (failure, Ctrl+C,
# SIGKILL), and two runs at once do not see each other's mounts.
phonechat_chroot () {
  local env=(
    HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
    LANG=C.UTF-8 TERM="${TERM:-dumb}"
  )
  local var
  for var in DISPLAY WAYLAND_DISPLAY XAUTHORITY CI PHONECHAT_BUILDDIR PHONECHAT_HTTP_DEBUG \
             PHONECHAT_TOKEN PHONECHAT_API_URL PHONECHAT_PREPARED G_MESSAGES_DEBUG GSK_RENDERER GDK_BACKEND \
             MESON_TESTTHREADS; do
    [ -n "${!var:-}" ] && env+=("$var=${!var}")
  done
  [ -n "${WAYLAND_DISPLAY:-}" ] && [ -n "${XDG_RUNTIME_DIR:-}" ] &&
    env+=("XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR")

  # Inside a chroot, / is no mount point and its propagation cannot be changed; there
  # the mounts are left as they were, which in a chroot's own namespace keeps them from
  # the host's (a private namespace is made either way).
  local propagation=private
  unshare --mount --propagation private true 2>/dev/null || propagation=unchanged

  PHONECHAT_ROOT="$phonechat_root" PHONECHAT_TOP="$phonechat_top" \
  unshare --mount --propagation "$propagation" /bin/bash -c '
    set -e
    root=$PHONECHAT_ROOT
    cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
    mount --rbind /dev "$root/dev"
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"
    mkdir -p "$root$PHONECHAT_TOP"
    mount --bind "$PHONECHAT_TOP" "$root$PHONECHAT_TOP"
    if [ -d /tmp/.X11-unix ]; then
      mkdir -p "$root/tmp/.X11-unix"
      mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"
    fi
    if [ -n "${XAUTHORITY:-}" ] && [ -f "$XAUTHORITY" ]; then
      mkdir -p "$root$(dirname "$XAUTHORITY")"
      touch "$root$XAUTHORITY"
      mount --bind "$XAUTHORITY" "$root$XAUTHORITY"
    fi
    if [ -n "${WAYLAND_DISPLAY:-}" ] && [ -n "${XDG_RUNTIME_DIR:-}" ] &&
       [ -S "$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY" ]; then
      mkdir -p "$root$XDG_RUNTIME_DIR"
      touch "$root$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY"
      mount --bind "$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY" "$root$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY"
    fi
    cd /
    exec chroot "$root" "$@"
  ' phonechat-chroot /usr/bin/env -i "${env[@]}" "$@"
}

# Runs CMD… from the top of the source tree, natively or in the root.
phonechat_run () {
  if [ "$phonechat_mode" = native ]; then
    (cd "$phonechat_top" && "$@")
  else
    phonechat_chroot /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$phonechat_top" "$@"
  fi
}
