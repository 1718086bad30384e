package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.graalvm.polyglot.Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Programs of the corpus run again as compiled code: every function is compiled by the Graal JIT before its
 * first call ({@code engine.CompileImmediately}, waited for), and must print exactly its {@code .expected},
 * as in {@link ProgramsTest}. The other tests run on Truffle's fallback runtime, where
 * {@code CompilerDirectives.inInterpreter()} is always true; the paths the interpreter takes only in compiled
 * code (a list walked by index in a comprehension, in a map or fold written in place) run here.
 *
 * This class runs in a JVM of its own with the compiler on the upgrade module path (repl/pom.xml, the
 * surefire execution {@code compiled}, on JDK 25 and newer: Graal 25.0.1 needs it). A failed compilation
 * fails the program's test. The directories are those whose programs loop over lists, iterators and
 * patterns, the string programs (interpolation and concatenation run TruffleString's nodes in place), and the
 * bench programs.
 */
class CompiledProgramsTest {
    private static final List<String> DIRECTORIES = List.of("iterators", "collections", "patterns", "strings", "bench", "fibers", "effects", "expressions", "modules");
    static final Engine ENGINE = Engine.newBuilder("osprey").allowExperimentalOptions(true)
                    .option("engine.WarnInterpreterOnly", "false").option("engine.WarnVirtualThreadSupport", "false")
                    .option("engine.CompileImmediately", "true")
                    .option("engine.BackgroundCompilation", "false")
                    .option("engine.CompilationFailureAction", "Throw")
                    .build();

    @AfterAll
    static void closeEngine() {
        ENGINE.close();
    }

    /** Without the optimizing runtime every test below would pass without compiling anything. */
    @Test
    void theGraalJitCompiles() {
        assertEquals("GraalVM CE", ENGINE.getImplementationName(), "the optimizing runtime (Graal compiler on the upgrade module path)");
    }

    @TestFactory
    Stream<DynamicTest> programsRunCompiled() throws IOException {
        return ProgramsTest.programs("run")
                        .filter(CompiledProgramsTest::chosen)
                        .map(p -> DynamicTest.dynamicTest(ProgramsTest.name(p), p.toUri(), () -> ProgramsTest.runs(p, ENGINE)));
    }

    /**
     * With the usual thresholds, a hot loop whose string searches ran the Java way in the interpreter is compiled
     * with TruffleString's nodes, switches the interpreter to those nodes once, and settles: a few compilations,
     * no deoptimisation loop (the first form of StringNodes.Search was compiled and deoptimised about 50 times in
     * a second). Compilation is waited for, so the count does not depend on the machine's speed.
     */
    @Test
    void aHotLoopOfStringSearchesSettles(@TempDir Path dir) throws Exception {
        Path program = dir.resolve("searches.osp");
        Files.writeString(program, """
                        let words = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog"]
                        fn score(w: string) -> int =
                            (contains(w, "o") ? 7 : 0) + (startsWith(w, "t") ? 3 : 0) + (w.endsWith("x") ? 1 : 0)
                        print(range(start: 0, end: 400000) |> fold(initial: 0, function: (acc, i) => acc + score(words[i % 8] ?: "")))
                        """, StandardCharsets.UTF_8);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (Engine engine = Engine.newBuilder("osprey").allowExperimentalOptions(true)
                        .option("engine.WarnInterpreterOnly", "false")
                        .option("engine.BackgroundCompilation", "false")
                        .option("engine.CompilationFailureAction", "Throw")
                        .option("engine.TraceCompilation", "true")
                        .logHandler(log)
                        .build()) {
            ProgramsTest.Outcome outcome = ProgramsTest.execute(program, Map.of(), engine);
            assertEquals("1600000\n", outcome.out(), outcome.err());
        }
        String trace = log.toString(StandardCharsets.UTF_8);
        long done = trace.lines().filter(l -> l.contains("opt done")).count();
        long undone = trace.lines().filter(l -> l.contains("opt deopt") || l.contains("opt inval")).count();
        assertTrue(done >= 1, "nothing was compiled:\n" + trace);
        assertTrue(undone <= 4 && done <= 8, done + " compilations, " + undone + " deoptimisations or invalidations:\n" + trace);
    }

    /**
     * A loop that runs long in a function's interpreted frame is compiled on its own (on-stack replacement). A
     * fault raised in that compiled loop was reported without its function ("error: string too large"), and
     * the function's frame had no place: the loop's own call target, which no stack trace shows, held it. A
     * self tail call's loop and a fold written in place are both such loops; each program doubles its string in
     * the last 40 of its 5,000 turns and fails 30 doublings in, long after the loop was compiled (at 1,000).
     */
    @Test
    void aFaultInALoopCompiledOnItsOwnIsReportedInItsFunction(@TempDir Path dir) throws Exception {
        String tail = """
                        fn grow(s: string, n: int) -> string = match n {
                            0 => s
                            _ => grow(s: n <= 40 ? s + s : s, n: n - 1)
                        }
                        print(length(grow(s: "ab", n: 5000)))
                        """;
        String fold = """
                        fn grow(s: string, n: int) -> string {
                            let grown = range(start: 0, end: n) |> fold(initial: s, function: (acc, i) => n - i <= 40 ? acc + acc : acc)
                            grown
                        }
                        print(length(grow(s: "ab", n: 5000)))
                        """;
        String limit = "string too large: the result would be 2147483648 bytes, more than the limit of 1073741824 bytes (1 GiB)";
        try (Engine engine = Engine.newBuilder("osprey").allowExperimentalOptions(true)
                        .option("engine.WarnInterpreterOnly", "false")
                        .option("engine.BackgroundCompilation", "false")
                        .option("engine.OSRCompilationThreshold", "1000")
                        .option("engine.CompilationFailureAction", "Throw")
                        .build()) {
            for (String[] program : new String[][] {{"tail.osp", tail, "3:28"}, {"fold.osp", fold, "2:97"}}) {
                Path file = dir.resolve(program[0]);
                Files.writeString(file, program[1], StandardCharsets.UTF_8);
                ProgramsTest.Outcome outcome = ProgramsTest.execute(file, Map.of(), engine);
                assertEquals("", outcome.out(), program[0]);
                assertEquals(program[0] + ":" + program[2] + ": error in function 'grow': " + limit + "\n", outcome.err(), program[0]);
            }
        }
    }

    private static boolean chosen(Path program) {
        Path relative = ProgramsTest.TESTS.resolve("run").relativize(program);
        return DIRECTORIES.contains(relative.getName(0).toString());
    }
}
