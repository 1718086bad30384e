package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.graalvm.polyglot.Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

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
    private static final List<String> DIRECTORIES = List.of("iterators", "collections", "patterns", "strings", "bench");
    static final Engine ENGINE = Engine.newBuilder("osprey").allowExperimentalOptions(true)
                    .option("engine.WarnInterpreterOnly", "false")
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

    private static boolean chosen(Path program) {
        Path relative = ProgramsTest.TESTS.resolve("run").relativize(program);
        return DIRECTORIES.contains(relative.getName(0).toString());
    }
}
