#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a throw-away, unlocked gnome-keyring
# (a real Secret Service), in a temporary HOME. Used by the keychain tests.
#   with-keyring.sh COMMAND [ARGS...]
set -euo pipefail
t="$(mktemp -d)"
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/home" "$t/run" "$t/data" "$t/config"
chmod 700 "$t/run"
export HOME="$t/home" XDG_RUNTIME_DIR="$t/run" XDG_DATA_HOME="$t/data" XDG_CONFIG_HOME="$t/config"
export DCM_KEYRING_HOME="$t"
# The keyring's own unlock password is throw-away too; it never leaves this process tree.
exec dbus-run-session -- sh -c 'printf "%s" "throwaway-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' sh "$@"
