#!/usr/bin/env bash
# Command 1 of the README: install what is missing, build, start the bundled vCenter simulator over
# HTTPS and open the console connected to it. Ctrl+C or closing the window stops the simulator.
# Extra arguments go to the simulator (e.g. -vm 50 for a bigger inventory).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${DCM_BUILD_DIR:-$root/build}"
"$root/scripts/setup.sh"
DCM_BUILD_DIR="$build" "$root/scripts/build.sh"

state="$build/demo-vcsim"
export DCM_VCSIM_BIN="$build/tests/vcsim/dcm-vcsim"
# Two templates per datacenter, so that "From template" has something to deploy.
"$root/scripts/vcsim-fixture.sh" start "$state" -templates 2 "$@"
trap '"$root/scripts/vcsim-fixture.sh" stop "$state"' EXIT

info="$state/vcsim.json"
export DCM_SERVER="$(jq -r .url "$info")"
export DCM_USER="$(jq -r .username "$info")"
export DCM_THUMBPRINT="$(jq -r .thumbprint "$info")"
# The simulator's throw-away password reaches the console through the environment, never argv.
DCM_PASSWORD="$(jq -r .password "$info")"
export DCM_PASSWORD
export DCM_DB="$state/requests.sqlite"
echo "demo: simulator at $DCM_SERVER (thumbprint $DCM_THUMBPRINT), control API $(jq -r .control "$info")"

"$build/app/cli/dcmctl" about

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    "$build/app/console/dcm-console"
else
    echo "demo: no display found (DISPLAY/WAYLAND_DISPLAY unset); starting the console under Xvfb."
    echo "demo: screenshots of this run: see docs/screenshots/. Press Ctrl+C to stop."
    xvfb-run -a -s "-screen 0 1400x900x24" "$build/app/console/dcm-console"
fi
