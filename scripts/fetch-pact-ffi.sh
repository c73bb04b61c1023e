#!/usr/bin/env bash
# Puts libpact_ffi.so from the npm registry into third_party/pact (not committed), once.
set -euo pipefail
PACT_CORE_VERSION="20.2.0"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.deps/pact-ffi-$PACT_CORE_VERSION"
if [ -f "$dest/libpact_ffi.so" ]; then
    echo "setup: libpact_ffi present ($PACT_CORE_VERSION)"
    exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@pact-foundation/pact-core-linux-x64-glibc@$PACT_CORE_VERSION" >/dev/null)
tar -xzf "$tmp"/*.tgz -C "$tmp"
mkdir -p "$dest"
cp "$tmp/package/prebuilds/linux-x64/libpact_ffi.so" "$dest/"
echo "setup: libpact_ffi $PACT_CORE_VERSION installed in $dest"
