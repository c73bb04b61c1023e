#!/usr/bin/env bash
# `dcmctl inventory vms --json` beside a govmomi client fetching the same properties, process against
# process, as a new user would measure it: one simulator per size, the two programs interleaved (the
# order alternating from round to round), each timed from outside by /usr/bin/time (wall, user+system
# CPU, peak RSS). Before the rounds, one run of each is checked: dcmctl's output must parse as JSON and
# both must list exactly the simulator's VMs (templates included); a check or a run that fails fails
# the benchmark (exit 1).
#   tests/bench/hypervisor/run-cli-vs-govmomi.sh BUILD_DIR [1k] [5k] [20k] [50k]
# Needs: cmake --build BUILD_DIR --target dcm_vcsim dcmctl dcm_bench_peer
# Env: ROUNDS (5), DCMCTL_ARGS (extra dcmctl arguments, e.g. --request-ids), PEER_PROPS (the peer's -props).
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR [1k] [5k] [20k] [50k]}
shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1k 5k 20k 50k)
sim="$build/tests/vcsim/dcm-vcsim"
dcmctl="$build/app/cli/dcmctl"
peer="$build/tests/bench/hypervisor/dcm-bench-peer"
rounds=${ROUNDS:-5}
extra=${DCMCTL_ARGS:-}
props=${PEER_PROPS:-name,parent,runtime.powerState,config.hardware.numCPU,config.hardware.memoryMB,config.guestId,config.instanceUuid}

work=$(mktemp -d)
simpid=""
cleanup() {
    if [ -n "$simpid" ] && kill -0 "$simpid" 2>/dev/null; then
        kill "$simpid"
        wait "$simpid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

flags_for() {
    case $1 in
    1k) echo "-standalone 0 -vm 1000" ;;
    5k) echo "-cluster 5 -standalone 0 -vm 1000" ;;
    20k) echo "-cluster 4 -host 5 -standalone 0 -vm 5000" ;;
    50k) echo "-cluster 10 -host 5 -standalone 0 -vm 5000" ;;
    *) echo "unknown size $1" >&2; exit 2 ;;
    esac
}
field() { python3 -c "import json,sys; print(json.load(open('$work/sim.json'))['$1'])"; }

# One timed run: `timed CLIENT OUTFILE CMD...` prints a JSON line; a failing run fails the benchmark.
timed() {
    local client=$1 outfile=$2
    shift 2
    if ! /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" > "$outfile" 2> "$work/err"; then
        echo "$client failed:" >&2
        cat "$work/err" >&2
        exit 1
    fi
    read -r wall user sys rss < "$work/time"
    python3 -c "import json; print(json.dumps({'client': '$client', 'wallS': $wall, 'cpuS': round($user + $sys, 2), 'peakRssMiB': round($rss / 1024, 1)}))"
}

for size in "${sizes[@]}"; do
    # shellcheck disable=SC2046
    "$sim" $(flags_for "$size") > "$work/sim.json" 2> "$work/sim.log" &
    simpid=$!
    until [ -s "$work/sim.json" ]; do
        kill -0 "$simpid" 2>/dev/null || { cat "$work/sim.log" >&2; exit 1; }
        sleep 0.5 # the 50k model takes minutes to build
    done
    export DCM_SERVER DCM_USER DCM_THUMBPRINT DCM_PASSWORD DCM_DB DCM_PEER_PASSWORD
    DCM_SERVER=$(field url); DCM_USER=$(field username); DCM_THUMBPRINT=$(field thumbprint)
    DCM_PASSWORD=$(field password); DCM_PEER_PASSWORD=$DCM_PASSWORD; DCM_DB="$work/requests.sqlite"
    ca=$(field certFile); control=$(field control)
    expected=$(curl -sf "$control/inventory" | python3 -c "import json,sys; d=json.load(sys.stdin); print(d['vms'] + d['templates'])")
    echo "== $size ($(flags_for "$size")): $expected VMs; load: $(uptime)"
    dcm=("$dcmctl" inventory vms --json)
    if [ -n "$extra" ]; then
        read -r -a more <<< "$extra"
        dcm+=("${more[@]}")
    fi
    gov=("$peer" -url "$DCM_SERVER" -user "$DCM_USER" -cafile "$ca" -mode vms -props "$props")
    # The check run (also the warm-up of both).
    timed dcm "$work/dcm.json" "${dcm[@]}" > /dev/null
    timed govmomi "$work/peer.jsonl" "${gov[@]}" > /dev/null
    python3 - "$work/dcm.json" "$work/peer.jsonl" "$expected" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
names = sorted(v['name'] for v in doc['vms'])
peer = sorted(json.loads(l)['name'] for l in open(sys.argv[2]))
n = int(sys.argv[3])
if len(names) != n or names != peer:
    sys.exit(f"listings differ: dcmctl {len(names)}, govmomi {len(peer)}, simulator {n}")
PY
    {
        for r in $(seq "$rounds"); do
            if [ $((r % 2)) -eq 1 ]; then
                timed dcm /dev/null "${dcm[@]}"
                timed govmomi /dev/null "${gov[@]}"
            else
                timed govmomi /dev/null "${gov[@]}"
                timed dcm /dev/null "${dcm[@]}"
            fi
        done
    } | tee "$work/$size.jsonl"
    python3 - "$work/$size.jsonl" "$size" "$expected" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
def of(client, key):
    return [r[key] for r in rows if r['client'] == client]
d, g = of('dcm', 'wallS'), of('govmomi', 'wallS')
ratios = [a / b for a, b in zip(d, g)]
print(json.dumps({'size': sys.argv[2], 'vms': int(sys.argv[3]), 'rounds': len(d),
                  'dcmWallS': [statistics.median(d), max(d)], 'govmomiWallS': [statistics.median(g), max(g)],
                  'ratio': [round(statistics.median(ratios), 2), round(max(ratios), 2)],
                  'dcmCpuS': [statistics.median(of('dcm', 'cpuS')), max(of('dcm', 'cpuS'))],
                  'govmomiCpuS': [statistics.median(of('govmomi', 'cpuS')), max(of('govmomi', 'cpuS'))],
                  'dcmPeakRssMiB': max(of('dcm', 'peakRssMiB')), 'govmomiPeakRssMiB': max(of('govmomi', 'peakRssMiB'))}))
PY
    echo "load after: $(uptime)"
    kill "$simpid"
    wait "$simpid" 2>/dev/null || true
    simpid=""
    rm -f "$work/sim.json"
done
