# Shared by scripts/osprey and scripts/test: finds a JDK 21 or newer and the Maven to build with.
# Sets OSPREY_JAVA_HOME and OSPREY_JAVA_MAJOR, or prints what is missing and exits.

osprey_jdk_major() {
    # The JDK's own release file says its version without starting a JVM.
    local home="$1" v
    [ -x "$home/bin/java" ] || return 1
    if [ -f "$home/release" ]; then
        v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
    fi
    if [ -z "${v:-}" ]; then
        v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
    fi
    v=${v#1.}
    echo "${v%%[.+-]*}"
}

osprey_find_jdk() {
    # home_major is JAVA_HOME's own, kept apart for the message below: the loop reuses major.
    local candidate major home_major="" best="" best_major=0
    if [ -n "${JAVA_HOME:-}" ]; then
        home_major=$(osprey_jdk_major "$JAVA_HOME" 2>/dev/null || true)
        if [ -n "$home_major" ] && [ "$home_major" -ge 21 ]; then
            OSPREY_JAVA_HOME="$JAVA_HOME"
            OSPREY_JAVA_MAJOR="$home_major"
            return 0
        fi
    fi
    for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
        [ -d "$candidate" ] || continue
        major=$(osprey_jdk_major "$candidate" 2>/dev/null || true)
        if [ -n "$major" ] && [ "$major" -gt "$best_major" ]; then
            best="$candidate"
            best_major="$major"
        fi
    done
    if [ -n "$best" ] && [ "$best_major" -ge 21 ]; then
        OSPREY_JAVA_HOME="$best"
        OSPREY_JAVA_MAJOR="$best_major"
        return 0
    fi
    {
        echo "osprey: no JDK 21 or newer found."
        if [ -n "$home_major" ]; then
            echo "  JAVA_HOME=$JAVA_HOME is JDK $home_major."
        elif [ -n "${JAVA_HOME:-}" ]; then
            echo "  JAVA_HOME=$JAVA_HOME is not a JDK whose version can be read (no bin/java, or no version in it)."
        fi
        if [ -n "$best" ]; then
            echo "  The newest JDK under /usr/lib/jvm is $best (JDK $best_major)."
        else
            echo "  There is no JDK under /usr/lib/jvm."
        fi
        echo "  Install JDK 21 or newer (JDK 25, e.g. Temurin 25, also enables the Graal JIT) and/or set JAVA_HOME to it."
    } >&2
    exit 1
}

osprey_find_maven() {
    if ! command -v mvn >/dev/null 2>&1; then
        echo "osprey: Apache Maven (mvn) is needed to build the project; install it (e.g. apt-get install maven)." >&2
        exit 1
    fi
}

# JVM flags that keep a normal run free of JDK warnings about native access and sun.misc.Unsafe (JDK 24+),
# which Truffle's runtime uses, JLine's JNI terminal in the REPL, and the native function interface (extern functions).
osprey_quiet_jvm_flags() {
    OSPREY_QUIET_FLAGS=(--enable-native-access=org.graalvm.truffle,org.jline,com.oracle.truffle.truffle_nfi_libffi,ALL-UNNAMED)
    if [ "$OSPREY_JAVA_MAJOR" -ge 23 ]; then
        OSPREY_QUIET_FLAGS+=(--sun-misc-unsafe-memory-access=allow)
    fi
}

# Runs one long step of the set-up (the build, linking the image, the training run) so that Ctrl-C (or a
# SIGTERM or SIGHUP) stops the launch: the step and every process it started are killed, what it left half
# done is removed (the command in OSPREY_STEP_CLEANUP), and the launcher exits 130 (143, 129) without running
# the program and without marking fast start as failed, so the next run does the step again. Without this
# the JVM of the training run took the Ctrl-C as its own, the launcher recorded "could not train" (every
# later run of that build started slowly) and then ran the program the user had just interrupted. The step
# runs in a process group of its own (set -m), so the terminal's signal reaches only this shell, which
# kills the group with SIGKILL: a JVM asked to stop while it writes its ahead-of-time cache has crashed.
# Its output goes to the log named first; standard input is /dev/null (a background group reading the
# terminal would be stopped).
osprey_step() {
    local log="$1" status=0
    shift
    # The traps before the step starts, so no moment is left where Ctrl-C ends this shell and not the step.
    trap 'osprey_step_stopped 130' INT
    trap 'osprey_step_stopped 143' TERM
    trap 'osprey_step_stopped 129' HUP
    set -m
    "$@" </dev/null >"$log" 2>&1 &
    set +m
    wait "$!" || status=$?
    trap - INT TERM HUP
    OSPREY_STEP_CLEANUP=()
    return "$status"
}

osprey_step_stopped() {
    local pid="${!:-}"
    if [ -n "$pid" ]; then
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    if [ "${#OSPREY_STEP_CLEANUP[@]}" -gt 0 ]; then
        "${OSPREY_STEP_CLEANUP[@]}" || true
    fi
    echo "osprey: interrupted; the set-up starts again at the next run" >&2
    exit "$1"
}
OSPREY_STEP_CLEANUP=()

# Whether a source file or a pom is newer than the given jar.
osprey_sources_newer() {
    [ -n "$(find "$1" \( -path "$1/*/src/main/*" -o -name pom.xml \) -newer "$2" -print -quit 2>/dev/null)" ]
}

# Builds the project (once; again only when sources changed) so the launcher's jars exist.
osprey_ensure_built() {
    local root="$1" jar="$1/repl/target/osprey-repl-0.1.0-SNAPSHOT.jar" stale=""
    if [ ! -f "$jar" ] || [ ! -d "$root/repl/target/lib" ]; then
        stale="missing"
    elif osprey_sources_newer "$root" "$jar"; then
        stale="changed"
    fi
    if [ -z "$stale" ] && ! osprey_fast_start_needed "$root"; then
        return 0
    fi
    mkdir -p "$root/target"
    (
        # Two launches at once must not build twice.
        if command -v flock >/dev/null 2>&1; then
            exec 9>"$root/target/.build.lock"
            flock 9
        fi
        if [ ! -f "$jar" ] || osprey_sources_newer "$root" "$jar"; then
            osprey_find_maven
            if [ "$stale" = missing ]; then
                echo "osprey: building the interpreter (first run; this takes a minute)..." >&2
            else
                echo "osprey: sources changed; rebuilding the interpreter..." >&2
            fi
            local log="$root/target/build.log"
            # An interrupted build may leave a jar half written and newer than the sources: gone, so the
            # next run builds again.
            OSPREY_STEP_CLEANUP=(rm -f "$jar")
            if ! osprey_step "$log" env JAVA_HOME="$OSPREY_JAVA_HOME" MAVEN_OPTS="${MAVEN_OPTS:-} ${OSPREY_MAVEN_OPTS:-}" \
                mvn -B -q -f "$root/pom.xml" install -DskipTests; then
                echo "osprey: the build failed; its output is in $log:" >&2
                tail -n 30 "$log" >&2
                exit 1
            fi
            # Maven leaves a jar whose content did not change untouched, so after a change elsewhere (the
            # interpreter) this jar would stay older than the sources and every run would rebuild again.
            # (Before the fast start below: its cache must be newer than the jar.)
            touch "$jar"
        fi
        if osprey_fast_start_needed "$root"; then
            osprey_ensure_fast_start "$root"
        fi
    )
}

# Fast start (JDK 25 or newer with the Graal compiler jar; docs/performance.md has the measurements).
# The JIT needs the Truffle-enabled Graal compiler as module jdk.graal.compiler, and the JDK ships a
# jdk.graal.compiler of its own without Truffle support, so the plain way is --upgrade-module-path; but that
# option switches off class-data sharing altogether, even for the JDK's own classes, and a run then loads
# every one of its ~4,600 classes from scratch. Instead we link a runtime image (jlink) of the JDK modules
# and the pinned GraalVM jars, without the JDK's compiler module, so the compiler jar can sit on the
# ordinary module path; and on that image a training run writes an ahead-of-time cache (JDK 25, JEP 483/514/
# 515) holding the classes a run needs already loaded and linked. Both live in repl/target and are remade
# when the JDK or the jars change. Anything that fails here only costs speed: the launcher then falls back
# to --upgrade-module-path.
osprey_graal_jars() {
    local lib="$1/repl/target/lib" name jar
    OSPREY_GRAAL_JARS=()
    for name in collections jniutils nativeimage polyglot truffle-api truffle-compiler truffle-runtime word; do
        for jar in "$lib/$name"-[0-9]*.jar; do
            [ -f "$jar" ] && OSPREY_GRAAL_JARS+=("$jar")
        done
    done
}

# The interpreter looks at Truffle's compile queue so that a program can wait for its first compilation
# (org.osprey.CompilationWait); the package is not exported to it otherwise. The training run of the AOT
# cache has the flag too, since the JVM uses a cache only with the module options it was written with.
OSPREY_RUNTIME_EXPORT="--add-exports=org.graalvm.truffle.runtime/com.oracle.truffle.runtime=org.osprey.interpreter"

# Sets OSPREY_JAVA (the java binary), OSPREY_JVM_FLAGS and OSPREY_MODULE_PATH for a run with the JIT, using
# the linked image when it exists. OSPREY_FAST is "yes" when the image is used.
osprey_jit_launch() {
    local root="$1" jar lib="$1/repl/target/lib" compiler
    compiler="$(ls "$root"/repl/target/jvmci/compiler-*.jar 2>/dev/null | head -n 1 || true)"
    OSPREY_FAST=no
    OSPREY_JAVA="$OSPREY_JAVA_HOME/bin/java"
    OSPREY_JVM_FLAGS=()
    OSPREY_MODULE_PATH="$root/repl/target/osprey-repl-0.1.0-SNAPSHOT.jar"
    if [ "$OSPREY_JAVA_MAJOR" -ge 25 ] && [ -n "$compiler" ] && [ "${OSPREY_JIT:-on}" != off ]; then
        if [ "${OSPREY_FAST_START:-on}" != off ] && osprey_image_fresh "$root"; then
            OSPREY_FAST=yes
            OSPREY_JAVA="$root/repl/target/runtime/bin/java"
            OSPREY_JVM_FLAGS=(-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "$OSPREY_RUNTIME_EXPORT")
            osprey_graal_jars "$root"
            for jar in "$lib"/*.jar "$compiler"; do
                case " ${OSPREY_GRAAL_JARS[*]} " in
                    *" $jar "*) ;;
                    *) OSPREY_MODULE_PATH="$OSPREY_MODULE_PATH:$jar" ;;
                esac
            done
        else
            OSPREY_JVM_FLAGS=(-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "--upgrade-module-path=$compiler" "$OSPREY_RUNTIME_EXPORT")
        fi
    elif [ "${OSPREY_JIT:-on}" != off ]; then
        echo "osprey: JDK $OSPREY_JAVA_MAJOR has no matching Graal compiler (it needs JDK 25); running without the JIT, which is slower." >&2
    fi
    if [ "$OSPREY_FAST" = no ]; then
        for jar in "$lib"/*.jar; do
            OSPREY_MODULE_PATH="$OSPREY_MODULE_PATH:$jar"
        done
    fi
    osprey_memory_flags
    osprey_inline_flags
    OSPREY_JVM_FLAGS+=("${OSPREY_QUIET_FLAGS[@]}")
    # JLine's native library, unpacked by the build, for the REPL's terminal (Repl.terminalProviders; the
    # quiet flags give JLine native access).
    OSPREY_JVM_FLAGS+=("-Dosprey.jline.native=$root/repl/target/jline-native")
}

# The collector and the first heap that osprey runs with, appended to OSPREY_JVM_FLAGS; a choice of either
# in OSPREY_JAVA_OPTS wins. bench/suite/run.sh's steady mode uses them too, to measure what osprey runs.
osprey_memory_flags() {
    # The serial collector: Osprey programs allocate many small short-lived values (records, lists, closures),
    # and with the default G1 a heap-heavy program grows to twice the resident memory for no speed
    # (bench/suite binarytrees: about 515 MB with G1, 255 MB and a little faster with serial; bench/README.md).
    # A collector chosen in OSPREY_JAVA_OPTS wins (the JVM refuses two).
    case "${OSPREY_JAVA_OPTS:-}" in
        *-XX:+Use*GC*) ;;
        *) OSPREY_JVM_FLAGS+=(-XX:+UseSerialGC) ;;
    esac
    # A full collection shrinks the heap to what is live (and the free share the JVM keeps) at once: by
    # default the first one after the heap grew shrinks it by nothing and the next ones by 10%, 40%, then
    # all, so the one full collection HeapWatch asks for when a run is idle gave nothing back (786 MB held
    # after a burst of work; 195 MB with this flag; docs/performance.md).
    case "${OSPREY_JAVA_OPTS:-}" in
        *ShrinkHeapInSteps*) ;;
        *) OSPREY_JVM_FLAGS+=(-XX:-ShrinkHeapInSteps) ;;
    esac
    # A small first heap. The JVM's default is 1/64 of the machine's memory (376 MB on 24 GB), a third of it
    # young generation, and a short program touches all of that young generation once before its first
    # collection: page faults and RSS for nothing. With 96 MB an idle server holds 129 MiB instead of 149,
    # string-heavy programs run about 20% faster and binarytrees about 5% slower (bench/README.md); the heap
    # still grows as a program needs.
    # A maximum below it chosen in OSPREY_JAVA_OPTS (-Xmx48m) wins too: the JVM refuses a first heap larger
    # than the maximum, and did not start.
    case "${OSPREY_JAVA_OPTS:-}" in
        *-Xms*|*InitialHeapSize*) ;;
        *) osprey_max_heap_below 96 || OSPREY_JVM_FLAGS+=(-XX:InitialHeapSize=96m) ;;
    esac
}

# Whether OSPREY_JAVA_OPTS sets a maximum heap (-Xmx, -XX:MaxHeapSize=; the last one counts, as for the JVM)
# below $1 MiB.
osprey_max_heap_below() {
    local o v="" bytes
    for o in ${OSPREY_JAVA_OPTS:-}; do
        case "$o" in
            -Xmx*) v="${o#-Xmx}" ;;
            -XX:MaxHeapSize=*) v="${o#*=}" ;;
        esac
    done
    case "$v" in
        *[0-9][gG]) bytes=$(( ${v%?} * 1073741824 )) ;;
        *[0-9][mM]) bytes=$(( ${v%?} * 1048576 )) ;;
        *[0-9][kK]) bytes=$(( ${v%?} * 1024 )) ;;
        *[0-9]) bytes=$v ;;
        *) return 1 ;;
    esac
    [ "$bytes" -lt $(( $1 * 1048576 )) ]
}

# Small methods that every step of Truffle's interpreter goes through (a frame slot's tag check, the safepoint
# poll, the steps of a call and of a loop's count), just over the size up to which HotSpot's C1 inlines a
# method on its own (35 bytes of bytecode): without these, each frame read or write in the interpreter is a
# real call. Only the Java code HotSpot compiles changes; Graal's compiled Osprey code is the same. Measured
# without the Graal compilations (--engine.Compilation=false), 5 runs each: a fold of 50M iterations (josephus)
# 0.80x the time, 3M map updates (wordfreq) 0.80x; the whole suite 0.98x (docs/performance.md). A method that
# a later Truffle no longer has is simply not matched; "quiet" keeps the JVM from listing them on stdout.
osprey_inline_flags() {
    local m
    OSPREY_JVM_FLAGS+=(-XX:CompileCommand=quiet)
    for m in \
        'com.oracle.truffle.api.impl.FrameWithoutBoxing::verifyIndexed*' \
        com.oracle.truffle.api.impl.FrameWithoutBoxing::getIndexedTagChecked \
        com.oracle.truffle.api.impl.FrameWithoutBoxing::clear \
        com.oracle.truffle.runtime.hotspot.HotSpotThreadLocalHandshake::poll \
        com.oracle.truffle.runtime.OptimizedDirectCallNode::call \
        com.oracle.truffle.runtime.OptimizedCallTarget::callDirect \
        com.oracle.truffle.runtime.OptimizedCallTarget::areArgumentTypesValid \
        com.oracle.truffle.runtime.OptimizedCallTarget::profileReturnValue \
        'com.oracle.truffle.polyglot.PolyglotFastThreadLocals$ContextReferenceImpl::get' \
        com.oracle.truffle.api.nodes.LoopNode::reportLoopCount \
        com.oracle.truffle.runtime.AbstractOptimizedLoopNode::profileCounted \
        com.oracle.truffle.api.profiles.InlinedConditionProfile::profile \
        org.osprey.nodes.Rep::set \
        org.osprey.runtime.ListValue::element \
        org.osprey.runtime.PersistentVector::element \
        org.osprey.runtime.PersistentVector::arrayFor; do
        OSPREY_JVM_FLAGS+=("-XX:CompileCommand=inline,$m")
    done
    # Truffle's loop driver runs once for a whole loop (a long fold at the top level, a tail loop), so HotSpot
    # compiles it only by on-stack replacement, after 60,000 iterations at the usual threshold, and again
    # for its second half once the loop is queued for Graal (compilingLoop). Until then every iteration goes
    # through it in HotSpot's bytecode interpreter: 19-22 ms of a 0.4 s run of wordfreq (async-profiler), under
    # 1 ms with the threshold at 600.
    OSPREY_JVM_FLAGS+=("-XX:CompileCommand=CompileThresholdScaling,com.oracle.truffle.runtime.OptimizedOSRLoopNode::*,0.01")
}

# The JDK modules linked into the image: jdk.internal.vm.ci for JVMCI; the rest are what Truffle, the launcher
# and the plugins use (jdk.httpserver and java.net.http: the HTTP module), plus the locale data and charsets a
# program may meet. Not jdk.graal.compiler: that comes from the jar.
OSPREY_IMAGE_MODULES=jdk.internal.vm.ci,java.logging,java.management,jdk.management,jdk.unsupported,jdk.charsets,jdk.localedata,jdk.httpserver,java.net.http

# What the image is made from: the JDK, the GraalVM jars and the JDK modules (an image linked without a module
# a plugin requires cannot start the launcher, so a change of the list links it again).
osprey_image_stamp() {
    osprey_graal_jars "$1"
    echo "$OSPREY_JAVA_HOME $(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$OSPREY_JAVA_HOME/release" 2>/dev/null) ${OSPREY_GRAAL_JARS[*]##*/} $OSPREY_IMAGE_MODULES"
}

# Whether the linked image exists and was made from this JDK and these jars.
osprey_image_fresh() {
    local image="$1/repl/target/runtime"
    [ -x "$image/bin/java" ] && [ -f "$image/osprey-stamp" ] && [ "$(cat "$image/osprey-stamp")" = "$(osprey_image_stamp "$1")" ]
}

# Whether the image or the cache is missing or out of date (and fast start is possible and was not already
# tried and failed for this build).
osprey_fast_start_needed() {
    local root="$1" jar="$1/repl/target/osprey-repl-0.1.0-SNAPSHOT.jar" failed="$1/repl/target/fast-start.failed"
    [ "$OSPREY_JAVA_MAJOR" -ge 25 ] && [ "${OSPREY_JIT:-on}" != off ] && [ "${OSPREY_FAST_START:-on}" != off ] || return 1
    [ -x "$OSPREY_JAVA_HOME/bin/jlink" ] && [ -f "$jar" ] || return 1
    ls "$root"/repl/target/jvmci/compiler-*.jar >/dev/null 2>&1 || return 1
    if [ -f "$failed" ] && [ "$failed" -nt "$jar" ]; then
        return 1
    fi
    ! { osprey_image_fresh "$root" && osprey_aot_fresh "$root"; }
}

# Whether the ahead-of-time cache is newer than every jar it was trained on: a build (mvn package or verify)
# rewrites the plugin jars too, and the JVM refuses a cache whose jars changed, with errors on every run.
osprey_aot_fresh() {
    local root="$1" aot="$1/repl/target/osprey.aot"
    # The training program counts too, and this script, which says how it runs: together they say what the
    # cache holds.
    [ -f "$aot" ] && [ -z "$(find "$root/repl/target/osprey-repl-0.1.0-SNAPSHOT.jar" "$root/repl/target/lib" "$root/repl/target/jvmci" \
        "$root"/scripts/aot-training*.osp "$root/scripts/jdk.sh" \( -name '*.jar' -o -name 'aot-training*.osp' -o -name jdk.sh \) \
        -newer "$aot" -print -quit 2>/dev/null)" ]
}

# Links the runtime image and trains the ahead-of-time cache when they are missing or out of date. Called
# with the build lock held; prints only when something goes wrong, and then only that fast start is off.
osprey_ensure_fast_start() {
    local root="$1" image="$1/repl/target/runtime" aot="$1/repl/target/osprey.aot"
    local log="$1/target/fast-start.log" failed="$1/repl/target/fast-start.failed" modules
    echo "osprey: preparing the fast-start runtime (once per build; about half a minute)..." >&2
    rm -f "$failed"
    if ! osprey_image_fresh "$root"; then
        rm -rf "$image" "$aot"
        osprey_graal_jars "$root"
        modules="$(IFS=:; echo "${OSPREY_GRAAL_JARS[*]}")"
        OSPREY_STEP_CLEANUP=(rm -rf "$image")
        if ! osprey_step "$log" "$OSPREY_JAVA_HOME/bin/jlink" --module-path "$modules" \
                --add-modules org.graalvm.polyglot,org.graalvm.truffle,org.graalvm.truffle.runtime,org.graalvm.truffle.compiler,$OSPREY_IMAGE_MODULES \
                --strip-debug --no-header-files --no-man-pages --generate-cds-archive --output "$image"; then
            rm -rf "$image"
            touch "$failed"
            echo "osprey: could not link the fast-start runtime (see $log); starting more slowly." >&2
            return 0
        fi
        osprey_image_stamp "$root" >"$image/osprey-stamp"
    fi
    if ! osprey_aot_fresh "$root"; then
        rm -f "$aot"
        # The training run compiles every function it calls, at once and on its own thread, so the Graal
        # compiler's classes are in the cache too: a program's first compilation then comes 5-9% sooner in
        # the suite, for about 40 ms more start-up and 11 MB more memory. The cache keeps classes only, no
        # training data (-AOTRecordTraining): with it, the JVM compiles early whatever the training run
        # compiled, and C1 spends the first 0.3 s on the Graal compiler instead of the program
        # (suite 0.92x the time without; docs/performance.md). The training run (AotTraining) then runs a
        # WebSocket server and client on 127.0.0.1 and types a few entries into a REPL on a terminal of its
        # own, so WebSocket programs and the REPL start from the cache too.
        osprey_jit_launch "$root"
        if [ "$OSPREY_FAST" != yes ]; then
            touch "$failed"
            return 0
        fi
        # A JVM that crashes writes its report into the working directory: target/, not the project's top.
        OSPREY_STEP_CLEANUP=(rm -f "$aot" "$aot.config")
        cd "$root"
        if ! osprey_step "$log" "$OSPREY_JAVA" "${OSPREY_JVM_FLAGS[@]}" -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining \
                "-XX:AOTCacheOutput=$aot" "-XX:ErrorFile=$root/target/hs_err_pid%p.log" --module-path "$OSPREY_MODULE_PATH" \
                -m org.osprey.launcher/org.osprey.launcher.AotTraining run --engine.CompileImmediately=true --engine.BackgroundCompilation=false \
                scripts/aot-training.osp -- run scripts/aot-training-websocket.osp; then
            rm -f "$aot"
            touch "$failed"
            echo "osprey: could not train the start-up cache (see $log); starting more slowly." >&2
        fi
    fi
}

osprey_maven_opts() {
    OSPREY_MAVEN_OPTS=""
    if [ "$OSPREY_JAVA_MAJOR" -ge 23 ]; then
        OSPREY_MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow"
    fi
}

# The launch cache. Finding the JDK and checking the build, the image and the cache take about a tenth of a
# second of forks (sed, find, ls), as long as a third of a short program's run. So once everything is in
# place the launcher writes what it decided to repl/target/launch-*.env, and a later launch only checks, with
# one find, that nothing it depends on changed since: the sources and poms, the built jars, these scripts
# (their choices are what the cache holds), the JDK (its release file, or a JDK installed under
# /usr/lib/jvm when JAVA_HOME does not choose one), and the environment variables that steer the choice
# (OSPREY_JAVA_OPTS too: a collector chosen there replaces ours).
# Sets OSPREY_LAUNCH_WANT (the variables' values) and OSPREY_LAUNCH_FILE: one cache file per setting of
# those variables, named after them, so runs that alternate settings do not keep overwriting one file (the
# key inside the file is checked too). Variables, not output, because $(...) would fork.
osprey_launch_key() {
    local name
    OSPREY_LAUNCH_WANT="${JAVA_HOME:-}|${OSPREY_JIT:-on}|${OSPREY_FAST_START:-on}|${OSPREY_JAVA_OPTS:-}"
    name="${OSPREY_LAUNCH_WANT//[^A-Za-z0-9._=-]/_}"
    OSPREY_LAUNCH_FILE="$1/repl/target/launch-${name:0:150}.env"
}

# Loads the launch cache when it is still right; returns 1 (and loads nothing) when it is missing or stale.
osprey_load_launch() {
    local root="$1" launch OSPREY_LAUNCH_KEY=""
    osprey_launch_key "$root"
    launch="$OSPREY_LAUNCH_FILE"
    [ -f "$launch" ] && [ -r "$launch" ] || return 1
    # shellcheck disable=SC1090
    . "$launch" 2>/dev/null || return 1
    [ "$OSPREY_LAUNCH_KEY" = "$OSPREY_LAUNCH_WANT" ] || return 1
    [ -x "$OSPREY_JAVA" ] && [ -f "$OSPREY_JAVA_HOME/release" ] || return 1
    [ "$OSPREY_FAST" != yes ] || [ -f "$root/repl/target/osprey.aot" ] || return 1
    local watch=("$root"/pom.xml "$root"/*/pom.xml "$root"/*/src/main "$root/repl/target/lib" "$root/repl/target/jvmci"
        "$root/repl/target/osprey-repl-0.1.0-SNAPSHOT.jar" "$OSPREY_JAVA_HOME/release" "$root/scripts/jdk.sh" "$root/scripts/osprey"
        "$root"/scripts/aot-training*.osp)
    if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm ]; then
        watch+=(/usr/lib/jvm)
    fi
    [ -z "$(find "${watch[@]}" -newer "$launch" -print -quit 2>/dev/null)" ]
}

# Writes the launch cache for what osprey_jit_launch decided (after osprey_ensure_built).
osprey_save_launch() {
    local root="$1" launch tmp
    osprey_launch_key "$root"
    launch="$OSPREY_LAUNCH_FILE"
    tmp="$(mktemp "$launch.XXXXXX" 2>/dev/null)" || return 0
    {
        echo "# Written by scripts/osprey; see osprey_load_launch in scripts/jdk.sh. Safe to delete."
        echo "OSPREY_LAUNCH_KEY=$(printf '%q' "$OSPREY_LAUNCH_WANT")"
        declare -p OSPREY_JAVA_HOME OSPREY_JAVA_MAJOR OSPREY_JAVA OSPREY_FAST OSPREY_MODULE_PATH OSPREY_JVM_FLAGS OSPREY_QUIET_FLAGS \
            | sed -e 's/^declare -- /declare -g /' -e 's/^declare -a /declare -ga /'
    } >"$tmp" && chmod a+r "$tmp" && mv -f "$tmp" "$launch" || rm -f "$tmp"
}
