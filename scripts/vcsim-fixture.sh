#!/usr/bin/env bash
# CTest fixture helper for the bundled vCenter simulator (tests/vcsim).
#
#   scripts/vcsim-fixture.sh start STATE_DIR [extra dcm-vcsim flags...]
#   scripts/vcsim-fixture.sh stop  STATE_DIR
#
# start: launches dcm-vcsim (path from $DCM_VCSIM_BIN, default
#        build/tests/vcsim/dcm-vcsim relative to the repository), waits up to
#        $DCM_VCSIM_START_TIMEOUT seconds (default 60) for its JSON ready line,
#        writes it to STATE_DIR/vcsim.json and the pid to STATE_DIR/vcsim.pid,
#        and returns 0 with the simulator left running in its own session.
#        Its stdout/stderr go to STATE_DIR/vcsim.log. A simulator already
#        recorded in STATE_DIR is stopped first.
# stop:  SIGTERM, wait up to 10 s, then SIGKILL; removes vcsim.pid.
#        Succeeds when nothing is running.
set -euo pipefail

die() { echo "vcsim-fixture: $*" >&2; exit 1; }

usage() {
    echo "usage: $0 start|stop STATE_DIR [extra dcm-vcsim flags...]" >&2
    exit 2
}

[ $# -ge 2 ] || usage
cmd=$1
state=$2
shift 2

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)

pid_file="$state/vcsim.pid"
bin_file="$state/vcsim.bin"
json_file="$state/vcsim.json"
log_file="$state/vcsim.log"

# is_ours PID: the process exists and runs the binary we started (guards
# against pid reuse; argv[0] is compared, so a rebuilt binary still matches)
is_ours() {
    local pid=$1 argv0 want
    kill -0 "$pid" 2>/dev/null || return 1
    # a zombie has exited already
    if [ -r "/proc/$pid/stat" ] && [ "$(sed 's/^.*) \(.\).*/\1/' "/proc/$pid/stat")" = Z ]; then
        return 1
    fi
    if [ -r "/proc/$pid/cmdline" ] && [ -f "$bin_file" ]; then
        argv0=$(tr '\0' '\n' <"/proc/$pid/cmdline" | head -n 1)
        want=$(cat "$bin_file")
        [ -z "$argv0" ] || [ "$argv0" = "$want" ] || return 1
    fi
    return 0
}

do_stop() {
    [ -f "$pid_file" ] || return 0
    local pid
    pid=$(tr -dc '0-9' <"$pid_file")
    if [ -n "$pid" ] && is_ours "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        local i
        for ((i = 0; i < 100; i++)); do
            is_ours "$pid" || break
            sleep 0.1
        done
        if is_ours "$pid"; then
            echo "vcsim-fixture: pid $pid did not exit after SIGTERM, sending SIGKILL" >&2
            kill -KILL "$pid" 2>/dev/null || true
            for ((i = 0; i < 50; i++)); do
                is_ours "$pid" || break
                sleep 0.1
            done
        fi
    fi
    rm -f "$pid_file" "$bin_file"
}

do_start() {
    local bin=${DCM_VCSIM_BIN:-$repo_root/build/tests/vcsim/dcm-vcsim}
    case $bin in
        /*) ;;
        *) bin=$repo_root/$bin ;;
    esac
    [ -x "$bin" ] || die "simulator binary not found or not executable: $bin (set DCM_VCSIM_BIN)"
    local timeout=${DCM_VCSIM_START_TIMEOUT:-60}

    mkdir -p "$state"
    do_stop
    rm -f "$json_file"
    : >"$log_file"

    # own session (setsid) so that CTest's process group handling and the
    # caller's terminal do not reach it; stdout+stderr to the log file.
    if command -v setsid >/dev/null 2>&1; then
        setsid nohup "$bin" "$@" >>"$log_file" 2>&1 </dev/null &
    else
        nohup "$bin" "$@" >>"$log_file" 2>&1 </dev/null &
    fi
    local pid=$!
    echo "$pid" >"$pid_file"
    echo "$bin" >"$bin_file"

    local deadline=$((SECONDS + timeout)) line=""
    while :; do
        line=$(grep -m1 '^{"url":' "$log_file" 2>/dev/null || true)
        [ -n "$line" ] && break
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "vcsim-fixture: dcm-vcsim (pid $pid) exited before it was ready; log tail:" >&2
            tail -n 40 "$log_file" >&2 || true
            rm -f "$pid_file"
            exit 1
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "vcsim-fixture: dcm-vcsim (pid $pid) not ready after ${timeout}s; log tail:" >&2
            tail -n 40 "$log_file" >&2 || true
            do_stop
            exit 1
        fi
        sleep 0.05
    done

    # the simulator reports its own pid; prefer it (setsid may have forked)
    local jpid
    jpid=$(printf '%s' "$line" | sed -n 's/.*"pid":\([0-9][0-9]*\).*/\1/p')
    if [ -n "$jpid" ] && [ "$jpid" != "$pid" ]; then
        pid=$jpid
        echo "$pid" >"$pid_file"
    fi

    printf '%s\n' "$line" >"$json_file.tmp"
    mv -f "$json_file.tmp" "$json_file"
    # The JSON line carries the simulator's throw-away password: it goes to the state file (mode 600),
    # never to the log.
    chmod 600 "$json_file"
    echo "vcsim-fixture: started pid $pid: $(printf '%s' "$line" | sed 's/"password":"[^"]*"/"password":"(in '"${json_file##*/}"')"/')"
}

case $cmd in
    start) do_start "$@" ;;
    stop) do_stop ;;
    *) usage ;;
esac
