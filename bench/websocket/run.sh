#!/usr/bin/env bash
# The WebSocket benchmark: Osprey servers (handlers written in Osprey, run by scripts/osprey with the JIT)
# against a plain Java server on the same library and settings, and against Node servers on ws
# (bench/websocket/node), measured in turn in one run by one load client on loopback. Prints every
# measurement, then a summary with ratios (medians). The Node servers are left out, with a line saying
# why, when node or npm is not installed; their packages (package-lock.json) are installed on first use.
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

SERVERS="plain osprey"
NODE_DIR="$HERE/node"
if ! command -v node >/dev/null 2>&1; then
    echo "note: node is not installed (not on PATH): the Node servers are left out of this run" >&2
elif ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)'; then
    echo "note: node $(node --version) is older than 18: the Node servers are left out of this run" >&2
elif [ -f "$NODE_DIR/node_modules/ws/package.json" ] &&
    [ "$(node -p "require('$NODE_DIR/node_modules/ws/package.json').version")" = \
        "$(node -p "require('$NODE_DIR/package-lock.json').packages['node_modules/ws'].version")" ]; then
    SERVERS="$SERVERS node"
elif ! command -v npm >/dev/null 2>&1; then
    echo "note: npm is not installed (not on PATH), so the Node servers' package ws cannot be installed: they are left out of this run" >&2
elif npm ci --prefix "$NODE_DIR" --no-audit --no-fund >"$OUT/npm.log" 2>&1; then
    SERVERS="$SERVERS node"
else
    echo "note: npm ci --prefix $NODE_DIR failed (its output: $OUT/npm.log): the Node servers are left out of this run" >&2
fi
echo "servers: $SERVERS (JDK $OSPREY_JAVA_MAJOR$(case " $SERVERS " in *" node "*) echo ", node $(node --version), ws $(node -p "require('$NODE_DIR/node_modules/ws/package.json').version")" ;; esac))"

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

# start_server plain|osprey|node echo|broadcast
start_server() {
    local log="$OUT/server.log"
    : > "$log"
    case "$1" in
        plain) "$JAVA" -cp "$OUT/classes:$CP" PlainServer "$2" > "$log" 2>&1 & ;;
        osprey) "$ROOT/scripts/osprey" run "$HERE/${2}_server.osp" > "$log" 2>&1 & ;;
        node) node "$NODE_DIR/${2}_server.js" > "$log" 2>&1 & ;;
    esac
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
    for server in $SERVERS; do
        start_server $server echo
        load $server echo "ws://127.0.0.1:$PORT/echo" 1 "$WARMUP" "$MEASURE" "$SIZE"
        load $server echo "ws://127.0.0.1:$PORT/echo" 100 "$WARMUP" "$MEASURE" "$SIZE"
        stop_server
    done
done

echo "== broadcast: 200 messages to 200 clients, complete and in order, 25 rounds (the first 5 are warm-up)"
for server in $SERVERS; do
    start_server $server broadcast
    load $server broadcast "ws://127.0.0.1:$PORT/echo" 200 200 25
    stop_server
done

echo "== hold: $HOLD concurrent connections"
for server in $SERVERS; do
    start_server $server echo
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
echo "== summary (medians; ratios: osprey / plain, node / plain, osprey / node)"
awk -v servers="$SERVERS" '
function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    if (n == 0) return 0
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function ratio(a, b) { return b > 0 && a > 0 ? sprintf("%.2f", a / b) : "-" }
# one line: the three servers figures (fmt), then the ratios
function row(label, v, fmt, unit,   line) {
    line = sprintf("%-40s plain " fmt "%s, osprey " fmt "%s", label, v["plain"], unit, v["osprey"], unit)
    if (hasnode) line = line sprintf(", node " fmt "%s", v["node"], unit)
    line = line " | osprey/plain " ratio(v["osprey"], v["plain"])
    if (hasnode) line = line ", node/plain " ratio(v["node"], v["plain"]) ", osprey/node " ratio(v["osprey"], v["node"])
    print line
}
BEGIN { hasnode = index(" " servers " ", " node ") > 0 }
{
    delete f
    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    s = f["server"]
}
/ echo / {
    key = f["connections"]
    tput[s, key] = tput[s, key] " " f["echoes_per_s"]; p99[s, key] = p99[s, key] " " f["p99_us"]; conns[key] = 1
}
/ broadcast / && f["round"] > 4 { bc[s] = bc[s] " " f["ms"] }
/ hold / && f["connections"] != "" { held[s] = f["connections"]; connect[s] = f["connect_s"]; rss[s] = f["server_rss_mib"] }
/ hold / && f["connections"] == "" { for (k in f) if (k ~ /^still_open/) open[s] = f[k] }
END {
    n = split("plain osprey node", all, " ")
    for (c = 1; c <= 100; c++) if (c in conns) {
        for (i = 1; i <= n; i++) v[all[i]] = median(tput[all[i], c])
        row(sprintf("echo, %d connection(s), echoes/s:", c), v, "%.0f", "")
        for (i = 1; i <= n; i++) v[all[i]] = median(p99[all[i], c])
        row(sprintf("echo, %d connection(s), p99:", c), v, "%.1f", " us")
    }
    for (i = 1; i <= n; i++) v[all[i]] = median(bc[all[i]])
    row("broadcast 200x200 (complete, in order):", v, "%.1f", " ms")
    for (i = 1; i <= n; i++) v[all[i]] = rss[all[i]]
    row("hold: server RSS:", v, "%.0f", " MiB")
    for (i = 1; i <= n; i++) if (all[i] in held) printf "hold, %s: %s held, connected in %s s, %s still open after the hold\n", all[i], held[all[i]], connect[all[i]], open[all[i]]
}' "$RESULTS"
