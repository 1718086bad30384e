package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.graalvm.polyglot.Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The test corpus: every program under {@code tests/run} runs and must print exactly its {@code .expected}
 * (and, if present, exit with {@code .exitcode} and write {@code .stderr}; {@code .input} is its standard
 * input). Every program under {@code tests/reject} must be refused before it runs: exit code 1, no output,
 * and exactly {@code .expected} on stderr. A new case is a new file; nothing here lists them.
 *
 * A program may have a {@code .options} file: launcher flags separated by spaces or lines, exactly as
 * {@code osprey run} takes them ({@code --no-fs}, {@code --sandbox}, {@code --osprey.MaxCallDepth=100}),
 * read by the launcher's own {@link Main#addOption}. An unknown flag fails the test.
 *
 * Programs run through the same {@link Runner} as {@code osprey run}, on a thread with the launcher's stack,
 * each in a fresh empty working directory that is deleted afterwards: the files a program writes with a
 * relative path, and the commands it spawns, never touch the repository.
 */
class ProgramsTest {
    static final Path TESTS = Paths.get("..", "tests").toAbsolutePath().normalize();
    static final Engine ENGINE = Engine.newBuilder("osprey").allowExperimentalOptions(true).option("engine.WarnInterpreterOnly", "false")
                    .option("engine.WarnVirtualThreadSupport", "false").build();

    @AfterAll
    static void closeEngine() {
        ENGINE.close();
    }

    @TestFactory
    Stream<DynamicTest> programsThatRun() throws IOException {
        return programs("run").map(p -> DynamicTest.dynamicTest(name(p), p.toUri(), () -> runs(p)));
    }

    @TestFactory
    Stream<DynamicTest> programsThatAreRejected() throws IOException {
        return programs("reject").map(p -> DynamicTest.dynamicTest(name(p), p.toUri(), () -> rejected(p)));
    }

    static Stream<Path> programs(String dir) throws IOException {
        Path root = TESTS.resolve(dir);
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.filter(p -> p.toString().endsWith(".osp")).sorted().toList();
        }
        if (all.isEmpty()) {
            fail("no test programs under " + root);
        }
        return all.stream();
    }

    static String name(Path p) {
        return TESTS.relativize(p).toString();
    }

    record Outcome(int exit, String out, String err) {
    }

    /** The context options of a program's {@code .options} file, or none. */
    static Map<String, String> options(Path program) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        Path file = sibling(program, ".options");
        if (Files.exists(file)) {
            for (String flag : read(file).strip().split("\\s+")) {
                if (!flag.isEmpty() && !Main.addOption(flag, options)) {
                    fail("unknown launcher flag '" + flag + "' in " + file.getFileName());
                }
            }
        }
        return options;
    }

    static Outcome execute(Path program, Map<String, String> options) throws Exception {
        return execute(program, options, ENGINE);
    }

    static Outcome execute(Path program, Map<String, String> options, Engine engine) throws Exception {
        Path workingDirectory = Files.createTempDirectory("osprey-test-");
        try {
            return execute(program, options, engine, workingDirectory);
        } finally {
            deleteTree(workingDirectory);
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Outcome execute(Path program, Map<String, String> options, Engine engine, Path workingDirectory) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path input = sibling(program, ".input");
        InputStream in = Files.exists(input) ? Files.newInputStream(input) : new ByteArrayInputStream(new byte[0]);
        int[] exit = {-1};
        Throwable[] crash = {null};
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Thread t = new Thread(null, () -> {
            try {
                exit[0] = new Runner(options, in, o, e, engine, workingDirectory).runFile(program.toString());
            } catch (Throwable x) {
                crash[0] = x;
            }
        }, "osprey-test", Main.STACK_BYTES);
        t.start();
        t.join(120_000);
        if (t.isAlive()) {
            t.interrupt();
            fail("still running after 120 s");
        }
        if (crash[0] != null) {
            throw new AssertionError("the launcher crashed", crash[0]);
        }
        // Messages name the file as it was given; the expectations use the bare file name.
        String errText = err.toString(StandardCharsets.UTF_8).replace(program.toString(), program.getFileName().toString());
        return new Outcome(exit[0], out.toString(StandardCharsets.UTF_8), errText);
    }

    static Path sibling(Path program, String ext) {
        String n = program.getFileName().toString();
        return program.resolveSibling(n.substring(0, n.length() - 4) + ext);
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    static void runs(Path program) throws Exception {
        runs(program, ENGINE);
    }

    static void runs(Path program, Engine engine) throws Exception {
        Path expected = sibling(program, ".expected");
        if (!Files.exists(expected)) {
            fail("missing " + expected.getFileName());
        }
        Outcome o = execute(program, options(program), engine);
        Path exitFile = sibling(program, ".exitcode");
        int expectedExit = Files.exists(exitFile) ? Integer.parseInt(read(exitFile).strip()) : 0;
        Path stderrFile = sibling(program, ".stderr");
        String expectedErr = Files.exists(stderrFile) ? read(stderrFile) : "";
        assertEquals(read(expected), o.out(), "standard output of " + name(program) + (o.err().isEmpty() ? "" : "\nstderr:\n" + o.err()));
        assertEquals(expectedErr, o.err(), "standard error of " + name(program));
        assertEquals(expectedExit, o.exit(), "exit code of " + name(program));
    }

    static void rejected(Path program) throws Exception {
        Path expected = sibling(program, ".expected");
        if (!Files.exists(expected)) {
            fail("missing " + expected.getFileName());
        }
        Outcome o = execute(program, options(program));
        assertEquals(read(expected).stripTrailing(), o.err().stripTrailing(), "diagnostics of " + name(program));
        assertEquals("", o.out(), "a rejected program must not run, but " + name(program) + " printed");
        assertEquals(1, o.exit(), "exit code of " + name(program));
    }
}
