#!/usr/bin/env bash
# Start-up of `osprey run` on a one-line program, against the launcher's slower set-ups and against CPython
# and node, measured in one run with the commands taking turns (so a busy machine slows all of them alike).
# Prints the median wall time, CPU time (user + sys) and peak memory of each over RUNS runs (default 11),
# then the osprey REPL's time to its first prompt (bench/startup/repl_start.py), then the resident memory of
# an idle WebSocket echo server (issue 7's goal: under 150 MB) in both JIT set-ups.
#   bench/startup/run.sh [RUNS]
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
RUNS="${1:-11}"
PROGRAM="$(mktemp --suffix=.osp)"
TIMES="$(mktemp -d)"
trap 'rm -rf "$PROGRAM" "$TIMES"' EXIT
echo 'print("hello")' >"$PROGRAM"
[ -x /usr/bin/time ] || { echo "bench/startup: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

"$ROOT/scripts/osprey" run "$PROGRAM" >/dev/null # builds and prepares the fast-start runtime if needed

NAMES=("osprey run (JIT, fast start)" "osprey run (JIT, --upgrade-module-path)" "osprey run (no JIT)")
COMMANDS=("$ROOT/scripts/osprey run $PROGRAM"
          "env OSPREY_FAST_START=off $ROOT/scripts/osprey run $PROGRAM"
          "env OSPREY_JIT=off $ROOT/scripts/osprey run $PROGRAM")
# CPython itself, not a version manager's shim on the PATH (pyenv's adds 0.3-0.5 s to every start).
if command -v python3 >/dev/null; then
    PYTHON="$(python3 -c 'import sys; print(sys.executable)')"
    NAMES+=("python3 -c print"); COMMANDS+=("$PYTHON -c print('hello')")
fi
if command -v node >/dev/null; then NAMES+=("node -e console.log"); COMMANDS+=("node -e console.log('hello')"); fi

for ((r = 0; r < RUNS; r++)); do
    for i in "${!COMMANDS[@]}"; do
        # shellcheck disable=SC2086
        /usr/bin/time -a -o "$TIMES/$i" -f "%e %U %S %M" ${COMMANDS[$i]} >/dev/null
    done
done

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
printf "%-42s %10s %10s %10s\n" "command ($RUNS runs each, medians)" "wall s" "cpu s" "peak MiB"
for i in "${!COMMANDS[@]}"; do
    wall=$(awk '{ print $1 }' "$TIMES/$i" | median)
    cpu=$(awk '{ print $2 + $3 }' "$TIMES/$i" | median)
    mem=$(awk '{ printf "%.0f\n", $4 / 1024 }' "$TIMES/$i" | median)
    printf "%-42s %10s %10s %10s\n" "${NAMES[$i]}" "$wall" "$cpu" "$mem"
done

# An idle WebSocket server: its resident memory 5 s after it started listening.
cp "$ROOT/bench/startup/idle_server.osp" "$TIMES/idle_server.osp"
idle_rss() {
    local out="$TIMES/idle.out" pid rss=""
    : >"$out"
    env "$@" "$ROOT/scripts/osprey" run "$TIMES/idle_server.osp" >"$out" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do
        grep -q "listening" "$out" && break
        sleep 0.1
    done
    sleep 5
    # The JVM is the launcher's child after exec: the same pid.
    rss=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || true)
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "${rss:-?}"
}
# The REPL on a terminal: time to its first prompt and to its answer of `1 + 1` (needs python3 for the pty).
if [ -n "${PYTHON:-}" ]; then
    "$PYTHON" "$ROOT/bench/startup/repl_start.py" "$RUNS"
fi

printf "%-42s %10s MiB\n" "idle WebSocket server (fast start)" "$(idle_rss OSPREY_FAST_START=on)"
printf "%-42s %10s MiB\n" "idle WebSocket server (upgrade path)" "$(idle_rss OSPREY_FAST_START=off)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
