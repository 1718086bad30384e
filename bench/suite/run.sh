#!/usr/bin/env bash
# The benchmark suite: every case of osprey/ against the same algorithm in plain Java, node, CPython and
# GraalJS on the JVM, side by side in one run. See bench/README.md ("Suite") for what it prints and why.
#
#   bench/suite/run.sh [CASE ...]          whole-process: wall time and peak RSS of each run, ratio to plain Java
#   bench/suite/run.sh steady [CASE ...]   in-process after warm-up: ms per iteration, Osprey against plain Java
#   bench/suite/run.sh steady FILE.osp ... the same for any Osprey program (no Java column, result not checked)
#
# Environment: RUNS (runs per case and runtime, whole process or steady, the median is shown; default 1),
# RUNTIMES (default "java osprey node python graaljs"; a runtime that is not installed is skipped),
# WARMUP and MEASURE (seconds of warm-up, then measured, per case and runtime in steady mode; default 10 and 5),
# OSPREY_JAVA_OPTS (extra JVM flags for Osprey, as scripts/osprey takes them).
set -euo pipefail
SUITE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT="$(cd "$SUITE/../.." && pwd)"
# shellcheck source=scripts/jdk.sh
. "$ROOT/scripts/jdk.sh"
osprey_find_jdk
osprey_quiet_jvm_flags
JAVA="$OSPREY_JAVA_HOME/bin/java"
BUILD="$SUITE/target"
RUNS="${RUNS:-1}"
WARMUP="${WARMUP:-10}"
MEASURE="${MEASURE:-5}"

MODE=whole
if [ "${1:-}" = steady ]; then
    MODE=steady
    shift
fi
if [ $# -gt 0 ]; then
    CASES=("$@")
elif [ "$MODE" = steady ]; then
    # The call-heavy and arithmetic-heavy cases (the issue's steady-state goal).
    CASES=(fib tak ackermann hanoi pascal coins mutual collatz coprime digitsum gcdsum isqrt josephus
        factorial nestedloop powmod primes mandelbrot)
else
    CASES=()
    for f in "$SUITE"/osprey/*.osp; do
        CASES+=("$(basename "$f" .osp)")
    done
fi
for c in "${CASES[@]}"; do
    if [ "$MODE" = steady ] && [[ "$c" == *.osp ]]; then
        [ -f "$c" ] || { echo "run.sh: no file '$c'" >&2; exit 2; }
        continue
    fi
    [ -f "$SUITE/osprey/$c.osp" ] || { echo "run.sh: no case '$c' in $SUITE/osprey" >&2; exit 2; }
done

# ---------------------------------------------------------------- build what the columns need

echo "building: the interpreter (scripts/osprey), the Java cases and harnesses, GraalJS jars" >&2
"$ROOT/scripts/osprey" --version >/dev/null
mkdir -p "$BUILD/classes"
if [ ! -d "$BUILD/graaljs-lib" ]; then
    osprey_find_maven
    # Offline first (the jars are usually in ~/.m2 already), else from Maven Central.
    mvn -o -q -f "$SUITE/polyglot/graaljs-pom.xml" dependency:copy-dependencies -DoutputDirectory="$BUILD/graaljs-lib" >&2 \
        || mvn -q -f "$SUITE/polyglot/graaljs-pom.xml" dependency:copy-dependencies -DoutputDirectory="$BUILD/graaljs-lib" >&2 \
        || { echo "run.sh: could not get GraalJS (org.graalvm.js:js-language); its column stays empty" >&2; rm -rf "$BUILD/graaljs-lib"; }
fi
POLYGLOT_JAR="$(ls "$ROOT"/repl/target/lib/polyglot-*.jar | head -n 1)"
"$OSPREY_JAVA_HOME/bin/javac" -nowarn -d "$BUILD/classes" -cp "$POLYGLOT_JAR" "$SUITE"/java/*.java "$SUITE"/polyglot/*.java

COMPILER="$(ls "$ROOT"/repl/target/jvmci/compiler-*.jar | head -n 1)"
JIT=(-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "--upgrade-module-path=$COMPILER")
module_path() {
    local dir="$1" mp="" jar
    for jar in "$dir"/*.jar; do
        mp="$mp${mp:+:}$jar"
    done
    echo "$mp"
}

expected() {
    awk -v c="$1" '$1 == c { print $2 }' "$SUITE/expected.txt"
}

# ---------------------------------------------------------------- steady state

if [ "$MODE" = steady ]; then
    OSPREY_MP="$(module_path "$ROOT/repl/target/lib")"
    # The collector, first heap and HotSpot inlining of scripts/osprey (the serial collector); plain Java runs
    # with the JVM's defaults.
    OSPREY_JVM_FLAGS=()
    osprey_memory_flags
    osprey_inline_flags
    MEMORY=("${OSPREY_JVM_FLAGS[@]}")
    echo "steady state: ${WARMUP} s warm-up, then ${MEASURE} s measured, per case and runtime; ms per iteration;"
    echo "median of $RUNS run(s), each in a JVM of its own, the two runtimes taking turns (the range in brackets)"
    echo
    echo "| case | plain Java ms | Osprey ms | Osprey / Java |"
    echo "|---|---|---|---|"
    # The median and, with more than one run, the range of a list of numbers.
    summary() {
        printf '%s\n' "$@" | sort -g | awk 'function f(x) { return x >= 100 ? sprintf("%.0f", x) : sprintf("%.3g", x) }
            { v[NR] = $1 } END {
            m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            if (NR > 1) printf "%s [%s-%s]", f(m), f(v[1]), f(v[NR]); else printf "%s", f(m) }'
    }
    ratios=()
    for c in "${CASES[@]}"; do
        if [[ "$c" == *.osp ]]; then
            # Any program: the Osprey side only, its result as it prints it.
            ot=()
            for ((run = 0; run < RUNS; run++)); do
                # shellcheck disable=SC2086
                o=$("$JAVA" "${JIT[@]}" "${MEMORY[@]}" "${OSPREY_QUIET_FLAGS[@]}" ${OSPREY_JAVA_OPTS:-} --module-path "$OSPREY_MP" \
                    --add-modules ALL-MODULE-PATH -cp "$BUILD/classes" OspreySteady "$WARMUP" "$MEASURE" "$c" || true)
                read -r _ ores oms _ <<<"$o"
                ot+=("${oms:-?}")
            done
            echo "| $c (prints ${ores:-nothing}) | - | $(summary "${ot[@]}") | - |"
            continue
        fi
        want="$(expected "$c")"
        jt=() ot=() bad=""
        for ((run = 0; run < RUNS; run++)); do
            # shellcheck disable=SC2086
            j=$("$JAVA" -Xss1g -cp "$BUILD/classes" Cases "$c" "$WARMUP" "$MEASURE" <<<0 || true)
            # shellcheck disable=SC2086
            o=$("$JAVA" "${JIT[@]}" "${MEMORY[@]}" "${OSPREY_QUIET_FLAGS[@]}" ${OSPREY_JAVA_OPTS:-} --module-path "$OSPREY_MP" \
                --add-modules ALL-MODULE-PATH -cp "$BUILD/classes" OspreySteady "$WARMUP" "$MEASURE" "$SUITE/osprey/$c.osp" || true)
            read -r _ jres jms _ <<<"$j"
            read -r _ ores oms _ <<<"$o"
            if [ "${jres:-}" != "$want" ] || [ "${ores:-}" != "$want" ]; then
                bad="wrong result (want $want; Java: ${j:-nothing}; Osprey: ${o:-nothing})"
                break
            fi
            jt+=("$jms")
            ot+=("$oms")
        done
        if [ -n "$bad" ]; then
            echo "| $c | ${jms:-?} | ${oms:-?} | $bad |"
            continue
        fi
        jm=$(summary "${jt[@]}")
        om=$(summary "${ot[@]}")
        r=$(awk -v a="${om%% *}" -v b="${jm%% *}" 'BEGIN { printf "%.2f", a / b }')
        ratios+=("$r")
        echo "| $c | $jm | $om | $r |"
    done
    if [ ${#ratios[@]} -gt 0 ]; then
        printf '%s\n' "${ratios[@]}" | awk '{ s += log($1); n++ } END { printf "\ngeomean Osprey / Java over %d cases: %.2f\n", n, exp(s / n) }'
    fi
    exit 0
fi

# ---------------------------------------------------------------- whole process

RT=()
for r in ${RUNTIMES:-java osprey node python graaljs}; do
    case "$r" in
        node) command -v node >/dev/null || { echo "run.sh: node not found, its column is skipped" >&2; continue; } ;;
        python) command -v python3 >/dev/null || { echo "run.sh: python3 not found, its column is skipped" >&2; continue; } ;;
        graaljs) [ -d "$BUILD/graaljs-lib" ] || continue ;;
    esac
    RT+=("$r")
done
GRAALJS_MP="$( [ -d "$BUILD/graaljs-lib" ] && module_path "$BUILD/graaljs-lib" || true)"
# CPython itself, not what `python3` on the PATH is: a version manager's shim (pyenv's is a shell script
# that runs `pyenv exec`) adds 0.3-0.5 s to every start, which is not CPython's time.
PYTHON="$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null || echo python3)"

command_for() {
    local r="$1" c="$2"
    case "$r" in
        java) echo "$JAVA -cp $BUILD/classes Cases $c" ;;
        osprey) echo "$ROOT/scripts/osprey run $SUITE/osprey/$c.osp" ;;
        node) echo "node $SUITE/js/$c.js" ;;
        python) echo "$PYTHON $SUITE/py/$c.py" ;;
        graaljs) echo "$JAVA -Xss1g ${JIT[*]} ${OSPREY_QUIET_FLAGS[*]} --module-path $GRAALJS_MP --add-modules ALL-MODULE-PATH -cp $BUILD/classes RunJs $SUITE/js/$c.js" ;;
    esac
}

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
RESULTS="$TMP/results"   # case runtime wall_s rss_mb ok
: >"$RESULTS"
for c in "${CASES[@]}"; do
    want="$(expected "$c")"
    for ((i = 0; i < RUNS; i++)); do
        for r in "${RT[@]}"; do
            # shellcheck disable=SC2046
            if /usr/bin/time -f "%e %M" -o "$TMP/time" timeout 600 $(command_for "$r" "$c") <<<0 >"$TMP/out" 2>"$TMP/err"; then
                got="$(tail -n 1 "$TMP/out")"
            else
                got="failed"
            fi
            read -r wall rss < <(tail -n 1 "$TMP/time")
            ok=ok
            if [ "$got" != "$want" ]; then
                ok=wrong
                echo "run.sh: $r $c printed '$got', expected '$want'; $(head -c 300 "$TMP/err")" >&2
            fi
            echo "$c $r $wall $((rss / 1024)) $ok" >>"$RESULTS"
        done
    done
    echo "done: $c" >&2
done

# Median per case and runtime, then the table with ratios against plain Java and the geomeans.
awk -v runtimes="${RT[*]}" '
function median(list,    a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
    if (!($1 in seen)) { seen[$1] = 1; order[++ncases] = $1 }
    wall[$1, $2] = wall[$1, $2] " " $3
    rss[$1, $2] = rss[$1, $2] " " $4
    if ($5 != "ok") bad[$1, $2] = 1
}
END {
    nr = split(runtimes, rt, " ")
    names["java"] = "plain Java"; names["osprey"] = "Osprey"; names["node"] = "node"
    names["python"] = "CPython"; names["graaljs"] = "GraalJS (JVM)"
    header = "| case |"; rule = "|---|"
    for (k = 1; k <= nr; k++) {
        header = header " " names[rt[k]] " s | MB |"; rule = rule "---|---|"
        if (rt[k] != "java") { header = header " / Java |"; rule = rule "---|" }
    }
    print header; print rule
    for (i = 1; i <= ncases; i++) {
        c = order[i]; line = "| " c " |"
        jw = median(wall[c, "java"])
        for (k = 1; k <= nr; k++) {
            r = rt[k]
            if ((c, r) in bad) { line = line " wrong | |"; if (r != "java") line = line " |"; continue }
            w = median(wall[c, r]); m = median(rss[c, r])
            W[c, r] = w
            line = line sprintf(" %.2f | %d |", w, m)
            if (r != "java") line = line (jw > 0 ? sprintf(" %.1f |", w / jw) : " |")
        }
        print line
    }
    print ""
    # geomeans over the cases every runtime of the pair ran correctly
    for (k = 1; k <= nr; k++) {
        r = rt[k]; if (r == "java") continue
        s = 0; n = 0
        for (i = 1; i <= ncases; i++) { c = order[i]; if ((c, r) in W && (c, "java") in W && W[c, "java"] > 0) { s += log(W[c, r] / W[c, "java"]); n++ } }
        if (n) printf "geomean %s / plain Java: %.2f (%d cases)\n", names[r], exp(s / n), n
    }
    for (k = 1; k <= nr; k++) {
        r = rt[k]; if (r == "osprey" || r == "java") continue
        s = 0; n = 0
        for (i = 1; i <= ncases; i++) { c = order[i]; if ((c, r) in W && (c, "osprey") in W && W[c, r] > 0) { s += log(W[c, "osprey"] / W[c, r]); n++ } }
        if (n) printf "geomean Osprey / %s: %.2f (%d cases)\n", names[r], exp(s / n), n
    }
}' "$RESULTS"
