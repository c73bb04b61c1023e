#!/usr/bin/env bash
# Screenshots of the console for docs/screenshots/ (shown in the README), taken under Xvfb against the
# bundled vCenter simulator. Each scene is a real console window in a scripted session of
# dcm-screenshots (tests/tools/screenshots: built with the tests, never installed, and refusing any server
# but the simulator this script starts), which grabs its views with QWidget::grab() once the moment is
# reached:
#
#   outage    the simulator refuses connections: the breaker opens; a request typed in is queued
#             -> new-vm-queued.png, breaker-open.png, requests-queued.png
#   main      the simulator is back: connected, inventory loaded, the queue drained, more submitted
#             -> new-vm.png, requests.png, breaker-dashboard.png
#   dark      the same under a dark palette -> new-vm-dark.png, requests-dark.png, breaker-dashboard-dark.png
#   templates New VM from the simulator's template with Linux customization, then as a batch of five
#             with its preview -> new-vm-template.png, new-vm-batch.png (needs the simulator's templates)
#   lifecycle a provisioned VM powered off through the queue, then Decommission asking for its name
#             typed back -> requests-operations.png, decommission-dialog.png
#   trust     no pinned thumbprint: the trust dialog -> trust-dialog.png
#   mismatch  the simulator's certificate rotated under a pinned thumbprint: the red stop
#             -> thumbprint-mismatch.png
#
# Usage: scripts/screenshots.sh [OUTPUT_DIR]   (default docs/screenshots; build dir: $DCM_BUILD_DIR or build)
# Needs: xvfb-run, jq, curl; the targets dcm-screenshots, dcmctl and dcm_vcsim (built here if missing).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${DCM_BUILD_DIR:-$root/build}"
out="${1:-$root/docs/screenshots}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

for need in xvfb-run jq curl; do
    command -v "$need" >/dev/null || { echo "screenshots: $need is required" >&2; exit 1; }
done
tool="$build/tests/tools/screenshots/dcm-screenshots"
dcmctl="$build/app/cli/dcmctl"
export DCM_VCSIM_BIN="$build/tests/vcsim/dcm-vcsim"
if [ ! -x "$tool" ] || [ ! -x "$dcmctl" ] || [ ! -x "$DCM_VCSIM_BIN" ]; then
    cmake --build "$build" --target dcm-screenshots dcmctl dcm_vcsim -j2
fi

state="$(mktemp -d)"
cleanup() {
    "$root/scripts/vcsim-fixture.sh" stop "$state/vcsim" || true
    rm -rf "$state"
}
trap cleanup EXIT

"$root/scripts/vcsim-fixture.sh" start "$state/vcsim" -templates 2 >/dev/null
info="$state/vcsim/vcsim.json"
control="$(jq -r .control "$info")"
# For dcmctl; dcm-screenshots reads the simulator's state file itself (and refuses if these differ).
export DCM_SERVER="$(jq -r .url "$info")"
export DCM_USER="$(jq -r .username "$info")"
export DCM_THUMBPRINT="$(jq -r .thumbprint "$info")"
DCM_PASSWORD="$(jq -r .password "$info")"
export DCM_PASSWORD
export DCM_DB="$state/requests.sqlite"
export QT_LOGGING_RULES="${QT_LOGGING_RULES:-dcm.*.info=false}"
door() { curl -fsS -X POST "$control/door/$1" >/dev/null; }

# A VM spec for dcmctl: submit NAME [extra options...]
submit() {
    local name=$1
    shift
    "$dcmctl" submit --name "$name" --cpus 2 --memory-mib 2048 --disk-gib 20 --datacenter DC0 --cluster DC0_C0 \
        --datastore LocalDS_0 --network "VM Network" --guest-id ubuntu64Guest "$@" >/dev/null
}

# Some history: three VMs provisioned, one refused (its datastore does not exist).
for n in web-frontend-01 web-frontend-02 db-primary-01; do
    submit "$n" --annotation "Owner: web team" --wait 120
done
submit cache-01 --datastore NoSuchDatastore --wait 120 || true

shoot() { # scene
    echo "screenshots: scene $1"
    xvfb-run -a -s "-screen 0 1600x1000x24" "$tool" --vcsim-state "$info" --db "$DCM_DB" --out "$out" --scene "$1"
}

# An outage: requests accepted while vCenter refuses connections wait in the queue.
door down
for n in app-server-01 app-server-02 app-server-03; do
    submit "$n" || [ $? -eq 3 ] # 3: accepted, not provisioned yet
done
shoot outage
door up

# Back online: the console connects, loads the inventory and drains the queue.
shoot main
shoot dark
shoot templates
shoot lifecycle

# First contact without a pinned thumbprint: the trust dialog (the tool connects unpinned in this scene).
shoot trust

# The certificate changes under the pinned thumbprint: the red stop.
curl -fsS -X POST "$control/cert/rotate" >/dev/null
shoot mismatch

echo "screenshots: written to $out"
ls -1 "$out"
