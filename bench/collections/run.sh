#!/usr/bin/env bash
# The collections benchmark (issue 3): time per operation of List append / `xs + [x]` / prepend / index and
# Map insert / lookup at 10^3 .. 10^6 elements, Osprey against the same persistent structures called from
# Java and against java.util, all in one JVM run. Prints every measurement, then a table in Markdown.
#
#   bench/collections/run.sh     # OPS=1000000 WARMUP=3 REPS=9 WARMUP_SECONDS=5 SIZES="1000 10000 100000 1000000"
#   OPS=200000 REPS=3 bench/collections/run.sh   # a quicker run
#   CASES="Map lookup" bench/collections/run.sh  # only the cases whose "operation implementation" contains this
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../../scripts/jdk.sh
. "$ROOT/scripts/jdk.sh"
osprey_find_jdk
osprey_quiet_jvm_flags
OPS=${OPS:-1000000}
WARMUP=${WARMUP:-3}
REPS=${REPS:-9}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
SIZES=${SIZES:-"1000 10000 100000 1000000"}

"$ROOT/scripts/osprey" --version >/dev/null # builds the project when needed
LIB="$ROOT/repl/target/lib"
MODULE_PATH="$(ls "$LIB"/*.jar | tr '\n' ':')"
EXPORTS=(--add-modules org.osprey.interpreter,org.graalvm.polyglot --add-exports org.osprey.interpreter/org.osprey.runtime=ALL-UNNAMED)
OUT="$HERE/target"
mkdir -p "$OUT/classes"
"$OSPREY_JAVA_HOME/bin/javac" -d "$OUT/classes" --module-path "$MODULE_PATH" "${EXPORTS[@]}" "$HERE/Harness.java"

JIT=()
COMPILER="$(ls "$ROOT"/repl/target/jvmci/compiler-*.jar 2>/dev/null | head -n 1 || true)"
if [ "$OSPREY_JAVA_MAJOR" -ge 25 ] && [ -n "$COMPILER" ]; then
    JIT=(-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "--upgrade-module-path=$COMPILER")
else
    echo "warning: JDK $OSPREY_JAVA_MAJOR has no matching Graal compiler; Osprey runs without the JIT" >&2
fi

echo "== collections: OPS=$OPS WARMUP=$WARMUP REPS=$REPS WARMUP_SECONDS=$WARMUP_SECONDS sizes: $SIZES; $(nproc) cores, JDK $OSPREY_JAVA_MAJOR"
# shellcheck disable=SC2086
"$OSPREY_JAVA_HOME/bin/java" "${JIT[@]}" "${OSPREY_QUIET_FLAGS[@]}" -Xms4g -Xmx4g "-Dcases=${CASES:-}" ${BENCH_JAVA_OPTS:-} \
    --module-path "$MODULE_PATH" "${EXPORTS[@]}" -cp "$OUT/classes" \
    Harness "$HERE/collections.osp" "$OPS" "$WARMUP" "$REPS" "$WARMUP_SECONDS" $SIZES | tee "$OUT/results.txt"
