#!/usr/bin/env bash
# The adapter benchmark, side by side with the govmomi peer, same simulator, same run.
#   tests/bench/hypervisor/run-vs-govmomi.sh BUILD_DIR [1k] [5k] [20k]
# Needs: cmake --build BUILD_DIR --target dcm_vcsim bench_vsphere_hypervisor dcm_bench_peer
# Prints one JSON line per measurement and a summary per size.
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR [1k] [5k] [20k]}
shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1k 5k 20k)
sim="$build/tests/vcsim/dcm-vcsim"
dcm="$build/tests/bench/hypervisor/bench_vsphere_hypervisor"
peer="$build/tests/bench/hypervisor/dcm-bench-peer"
rounds=${ROUNDS:-5} # inventory: rounds of (dcm, govmomi, floor), each a warm-up and one measured run

creates=${CREATES:-100}
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
    *) echo "unknown size $1" >&2; exit 2 ;;
    esac
}
field() { python3 -c "import json,sys; print(json.load(open('$work/sim.json'))['$1'])"; }

for size in "${sizes[@]}"; do
    # shellcheck disable=SC2046
    "$sim" $(flags_for "$size") > "$work/sim.json" 2> "$work/sim.log" &
    simpid=$!
    until [ -s "$work/sim.json" ]; do
        kill -0 "$simpid" 2>/dev/null || { cat "$work/sim.log" >&2; exit 1; }
        sleep 0.5 # the 20k model takes up to a minute to build
    done
    url=$(field url); pin=$(field thumbprint); user=$(field username); ca=$(field certFile)
    export DCM_PASSWORD; DCM_PASSWORD=$(field password)
    echo "== $size ($(flags_for "$size"))"
    {
        # Interleaved, so that load from elsewhere on the machine hits all three alike.
        for _ in $(seq "$rounds"); do
            "$dcm" --url "$url" --user "$user" --thumbprint "$pin" --mode inventory --runs 1 --specs-out "$work/specs.json"
            DCM_PEER_PASSWORD="$DCM_PASSWORD" "$peer" -url "$url" -user "$user" -cafile "$ca" -specs "$work/specs.json" -mode inventory -runs 1
            DCM_PEER_PASSWORD="$DCM_PASSWORD" "$peer" -url "$url" -user "$user" -cafile "$ca" -specs "$work/specs.json" -mode floor -runs 1
        done
        "$dcm" --url "$url" --user "$user" --thumbprint "$pin" --mode create --count "$creates" --parallel 1
        DCM_PEER_PASSWORD="$DCM_PASSWORD" "$peer" -url "$url" -user "$user" -cafile "$ca" -mode create -count "$creates" -parallel 1
        "$dcm" --url "$url" --user "$user" --thumbprint "$pin" --mode create --count "$creates" --parallel 8
        DCM_PEER_PASSWORD="$DCM_PASSWORD" "$peer" -url "$url" -user "$user" -cafile "$ca" -mode create -count "$creates" -parallel 8
    } | tee "$work/$size.jsonl"
    python3 - "$work/$size.jsonl" "$size" <<'PY'
import json, sys
import statistics
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
get = lambda client, case, par=None: next(r for r in rows if r['client'] == client and r['case'] == case
                                           and (par is None or r.get('parallel') == par))
def inv(client, case):
    runs = [r for r in rows if r['client'] == client and r['case'] == case]
    return (statistics.median(r['medianMs'] for r in runs), max(r['peakRssMiB'] for r in runs), runs[-1],
            statistics.median(r['cpuMs'] for r in runs))
d, drss, dl, dcpu = inv('dcm', 'inventory')
g, grss, _, gcpu = inv('govmomi', 'inventory')
f, _, fl, fcpu = inv('govmomi', 'floor')
print(f"{sys.argv[2]}: inventory of {dl['vms']} VMs (median of {len([r for r in rows if r['case'] == 'floor'])} rounds): "
      f"dcm {d:.0f} ms, govmomi {g:.0f} ms, floor {f:.0f} ms ({fl['replyBytes']/1e6:.1f} MB) -> dcm/govmomi {d/g:.2f}, "
      f"dcm/floor {d/f:.2f}; client CPU dcm {dcpu:.0f} ms, govmomi {gcpu:.0f} ms (floor {fcpu:.0f} ms); "
      f"peak RSS dcm {drss:.0f} MiB, govmomi {grss:.0f} MiB")
for par in (1, 8):
    dc, gc = get('dcm', 'create', par), get('govmomi', 'create', par)
    print(f"{sys.argv[2]}: create {dc['count']} VMs, {par} at a time: dcm {dc['perSecond']:.0f}/s, "
          f"govmomi {gc['perSecond']:.0f}/s -> ratio {dc['perSecond']/gc['perSecond']:.2f}")
PY
    kill "$simpid"
    wait "$simpid" 2>/dev/null || true
    simpid=""
    rm -f "$work/sim.json"
done
