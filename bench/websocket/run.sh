#!/usr/bin/env bash
# The WebSocket benchmark: Osprey servers (handlers written in Osprey, run by scripts/osprey with the JIT)
# against a plain Java server on the same library and settings, measured side by side in one run by one
# load client on loopback. Prints every measurement, then a summary with Osprey/plain ratios (medians).
#
#   bench/websocket/run.sh              # ROUNDS=3 WARMUP=5 MEASURE=10 HOLD=10000 by default
#   ROUNDS=5 bench/websocket/run.sh
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../../scripts/jdk.sh
. "$ROOT/scripts/jdk.sh"
osprey_find_jdk
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-5}
MEASURE=${MEASURE:-10}
HOLD=${HOLD:-10000}
SIZE=${SIZE:-32}
JAVA="$OSPREY_JAVA_HOME/bin/java"

"$ROOT/scripts/osprey" --version >/dev/null # builds the project when needed
LIB="$ROOT/repl/target/lib"
CP="$(ls "$LIB"/osprey-java-websocket-*.jar):$(ls "$LIB"/slf4j-api-*.jar):$(ls "$LIB"/slf4j-nop-*.jar)"
OUT="$HERE/target"
mkdir -p "$OUT/classes"
"$OSPREY_JAVA_HOME/bin/javac" -d "$OUT/classes" -cp "$CP" "$HERE/PlainServer.java" "$HERE/Load.java"
RESULTS="$OUT/results.txt"
: > "$RESULTS"

SERVER_PID=""
PORT=""
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
trap stop_server EXIT

# start_server plain echo|broadcast  or  start_server osprey FILE.osp
start_server() {
    local log="$OUT/server.log"
    : > "$log"
    if [ "$1" = plain ]; then
        "$JAVA" -cp "$OUT/classes:$CP" PlainServer "$2" > "$log" 2>&1 &
    else
        "$ROOT/scripts/osprey" run "$HERE/$2" > "$log" 2>&1 &
    fi
    SERVER_PID=$!
    for _ in $(seq 1 300); do
        PORT=$(sed -n 's/^PORT \([0-9]*\)$/\1/p' "$log")
        [ -n "$PORT" ] && return 0
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "the $1 server did not start:" >&2
            cat "$log" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "the $1 server printed no port within 30 s" >&2
    exit 1
}

load() {
    local server="$1"
    shift
    "$JAVA" -Xss1m -cp "$OUT/classes" Load "$@" | sed -n "s/^RESULT /RESULT server=$server /p" | tee -a "$RESULTS"
}

rss_mib() {
    awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

echo "== echo: closed loop, $SIZE-character messages, ${WARMUP}s warm-up, ${MEASURE}s measured, $ROUNDS rounds"
for round in $(seq 1 "$ROUNDS"); do
    for server in plain osprey; do
        if [ $server = plain ]; then start_server plain echo; else start_server osprey echo_server.osp; fi
        load $server echo "ws://127.0.0.1:$PORT/echo" 1 "$WARMUP" "$MEASURE" "$SIZE"
        load $server echo "ws://127.0.0.1:$PORT/echo" 100 "$WARMUP" "$MEASURE" "$SIZE"
        stop_server
    done
done

echo "== broadcast: 200 messages to 200 clients, complete and in order, 25 rounds (the first 5 are warm-up)"
for server in plain osprey; do
    if [ $server = plain ]; then start_server plain broadcast; else start_server osprey broadcast_server.osp; fi
    load $server broadcast "ws://127.0.0.1:$PORT/echo" 200 200 25
    stop_server
done

echo "== hold: $HOLD concurrent connections"
for server in plain osprey; do
    if [ $server = plain ]; then start_server plain echo; else start_server osprey echo_server.osp; fi
    : > "$OUT/hold.log"
    "$JAVA" -cp "$OUT/classes" Load hold "ws://127.0.0.1:$PORT/echo" "$HOLD" 5 > "$OUT/hold.log" 2>&1 &
    LOAD_PID=$!
    while kill -0 $LOAD_PID 2>/dev/null && ! grep -q HOLDING "$OUT/hold.log"; do sleep 0.2; done
    RSS=$(rss_mib "$SERVER_PID")
    wait $LOAD_PID || { cat "$OUT/hold.log"; exit 1; }
    sed -n "s/^RESULT /RESULT server=$server /p" "$OUT/hold.log" | sed "1s/\$/ server_rss_mib=$RSS/" | tee -a "$RESULTS"
    stop_server
done

echo
echo "== summary (medians; ratio = osprey / plain)"
awk '
function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
    delete f
    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    s = f["server"]
    if ($2 ~ /echo/ || $3 == "echo") {}
}
/ echo / {
    key = f["connections"]
    tput[s, key] = tput[s, key] " " f["echoes_per_s"]; p99[s, key] = p99[s, key] " " f["p99_us"]; conns[key] = 1
}
/ broadcast / && f["round"] > 4 { bc[s] = bc[s] " " f["ms"] }
/ hold / && f["connections"] != "" { hold[s] = f["connections"] " held, connect " f["connect_s"] " s, server RSS " f["server_rss_mib"] " MiB" }
END {
    for (c in conns) {
        tp = median(tput["plain", c]); to = median(tput["osprey", c])
        lp = median(p99["plain", c]); lo = median(p99["osprey", c])
        printf "echo, %3d connection(s): throughput plain %8.0f/s, osprey %8.0f/s, ratio %.2f | p99 plain %8.1f us, osprey %8.1f us, ratio %.2f\n", c, tp, to, to / tp, lp, lo, lo / lp
    }
    bp = median(bc["plain"]); bo = median(bc["osprey"])
    printf "broadcast 200x200: plain %.1f ms, osprey %.1f ms, ratio %.2f (all complete and in order)\n", bp, bo, bo / bp
    printf "hold: plain %s\n      osprey %s\n", hold["plain"], hold["osprey"]
}' "$RESULTS"
