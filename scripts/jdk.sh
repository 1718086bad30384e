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
    local candidate major best="" best_major=0
    if [ -n "${JAVA_HOME:-}" ]; then
        major=$(osprey_jdk_major "$JAVA_HOME" 2>/dev/null || true)
        if [ -n "$major" ] && [ "$major" -ge 21 ]; then
            OSPREY_JAVA_HOME="$JAVA_HOME"
            OSPREY_JAVA_MAJOR="$major"
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
        if [ -n "${JAVA_HOME:-}" ]; then
            echo "  JAVA_HOME=$JAVA_HOME is JDK ${major:-unknown}."
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
# which Truffle's runtime uses.
osprey_quiet_jvm_flags() {
    OSPREY_QUIET_FLAGS=(--enable-native-access=org.graalvm.truffle,ALL-UNNAMED)
    if [ "$OSPREY_JAVA_MAJOR" -ge 23 ]; then
        OSPREY_QUIET_FLAGS+=(--sun-misc-unsafe-memory-access=allow)
    fi
}

# Builds the project (once; again only when sources changed) so the launcher's jars exist.
osprey_ensure_built() {
    local root="$1" jar="$1/repl/target/osprey-repl-0.1.0-SNAPSHOT.jar" stale=""
    if [ ! -f "$jar" ] || [ ! -d "$root/repl/target/lib" ]; then
        stale="missing"
    elif [ -n "$(find "$root" \( -path "$root/*/src/main/*" -o -name pom.xml \) -newer "$jar" -print -quit 2>/dev/null)" ]; then
        stale="changed"
    fi
    [ -z "$stale" ] && return 0
    osprey_find_maven
    mkdir -p "$root/target"
    (
        # Two launches at once must not build twice.
        if command -v flock >/dev/null 2>&1; then
            exec 9>"$root/target/.build.lock"
            flock 9
        fi
        if [ -f "$jar" ] && [ -z "$(find "$root" \( -path "$root/*/src/main/*" -o -name pom.xml \) -newer "$jar" -print -quit 2>/dev/null)" ]; then
            exit 0
        fi
        if [ "$stale" = missing ]; then
            echo "osprey: building the interpreter (first run; this takes a minute)..." >&2
        else
            echo "osprey: sources changed; rebuilding the interpreter..." >&2
        fi
        local log="$root/target/build.log"
        if ! JAVA_HOME="$OSPREY_JAVA_HOME" MAVEN_OPTS="${MAVEN_OPTS:-} ${OSPREY_MAVEN_OPTS:-}" \
            mvn -B -q -f "$root/pom.xml" install -DskipTests >"$log" 2>&1; then
            echo "osprey: the build failed; its output is in $log:" >&2
            tail -n 30 "$log" >&2
            exit 1
        fi
        # Maven leaves a jar whose content did not change untouched, so after a change elsewhere (the
        # interpreter) this jar would stay older than the sources and every run would rebuild again.
        touch "$jar"
    )
}

osprey_maven_opts() {
    OSPREY_MAVEN_OPTS=""
    if [ "$OSPREY_JAVA_MAJOR" -ge 23 ]; then
        OSPREY_MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow"
    fi
}
