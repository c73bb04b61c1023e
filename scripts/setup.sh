#!/usr/bin/env bash
# Installs what the project needs on Debian 12, idempotently and non-interactively.
# Run as root or with sudo available. Safe to run again: it installs only what is missing.
set -euo pipefail

APT_PACKAGES=(
    # toolchain
    build-essential cmake ninja-build ccache pkg-config git clang clang-format
    # Qt 6, keychain, XML, SQLite driver
    qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libqt6sql6-sqlite
    # the team queue: Qt's PostgreSQL driver, libpq (LISTEN/NOTIFY), and the server the tests start privately
    libqt6sql6-psql libpq-dev postgresql-15
    libgl-dev qtkeychain-qt6-dev libxml2-dev
    # the bundled vCenter simulator (govmomi from Debian, built offline)
    golang-go golang-github-vmware-govmomi-dev openssl
    # headless GUI, Secret Service, benchmarks
    xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools libbenchmark-dev
    # tools used by tests and scripts
    curl jq procps sqlite3 desktop-file-utils appstream lintian fakeroot dpkg-dev file
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
    SUDO="sudo"
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "setup: all Debian packages present"
fi

# npm fetches the Pact FFI library. Some machines carry a Node.js build that bundles npm; only
# when no npm is there at all do we take Debian's.
if ! command -v npm >/dev/null; then
    $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

# Pact FFI (contract tests): pinned; see docs/CONTRACTS.md.
"$(dirname "$0")/fetch-pact-ffi.sh"
