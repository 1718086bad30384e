package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code echo 'print(1)' | osprey}: the REPL reading entries from a pipe, as a real subprocess with no
 * terminal anywhere. Each {@code tests/repl/piped/NAME.in} is piped into {@code osprey}; standard output
 * must equal {@code NAME.out}, standard error {@code NAME.err} (empty when there is none), and the exit code
 * {@code NAME.exitcode} (0 when there is none).
 */
class ReplPipedTest {
    static final Path CASES = ReplTranscriptTest.SESSIONS.resolve("piped");
    static final long PATIENCE_SECONDS = 120;

    @TestFactory
    Stream<DynamicTest> pipedSessions() throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.list(CASES)) {
            all = s.filter(p -> p.toString().endsWith(".in")).sorted().toList();
        }
        if (all.isEmpty()) {
            fail("no piped sessions under " + CASES);
        }
        return all.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), p.toUri(), () -> pipe(p)));
    }

    /**
     * {@code :load ~/file} reads from the home directory the environment names, as a shell would. It read
     * from Java's user.home (the password database's), so {@code HOME=/elsewhere osprey} looked elsewhere.
     */
    @Test
    void tildeIsTheHomeDirectoryHomeNames(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("lib.osp"), "let answer = 42\n", StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(osprey()).directory(home.toFile());
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(":load ~/lib.osp\nprint(answer)\n".getBytes(StandardCharsets.UTF_8));
        }
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        String out = readAll(p.getInputStream());
        assertTrue(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "osprey did not end");
        assertEquals("", err.get(PATIENCE_SECONDS, TimeUnit.SECONDS));
        assertEquals("answer : int = 42\n42\n", out);
        assertEquals(0, p.exitValue());
    }

    static void pipe(Path input) throws Exception {
        String base = input.getFileName().toString().replaceFirst("\\.in$", "");
        Path dir = Files.createTempDirectory("osprey-piped-");
        try {
            ProcessBuilder pb = new ProcessBuilder(osprey()).directory(dir.toFile());
            pb.redirectInput(input.toFile());
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            if (!p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("osprey did not end with " + input.getFileName() + " on its standard input");
            }
            String stderr = err.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
            assertEquals(expected(base, ".out"), out.get(PATIENCE_SECONDS, TimeUnit.SECONDS), "standard output of " + base + "\n(stderr: " + stderr + ")");
            assertEquals(expected(base, ".err"), stderr, "standard error of " + base);
            String code = expected(base, ".exitcode").strip();
            assertEquals(code.isEmpty() ? 0 : Integer.parseInt(code), p.exitValue(), "exit code of " + base);
            try (Stream<Path> left = Files.list(dir)) {
                assertTrue(left.findAny().isEmpty(), "the session wrote no files");
            }
        } finally {
            ProgramsTest.deleteTree(dir);
        }
    }

    /**
     * The command line of {@code osprey} from this build: the launcher module on this JVM's module path, with
     * extra JVM flags (CompilationWaitTest's for the Graal JIT) before it.
     */
    static List<String> osprey(String... jvmFlags) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(jvmFlags));
        cmd.add("--enable-native-access=org.graalvm.truffle,ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && !modulePath.isEmpty()) {
            cmd.add("--module-path");
            cmd.add(modulePath);
            cmd.add("-m");
            cmd.add("org.osprey.launcher/" + Main.class.getName());
        } else {
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Main.class.getName());
        }
        return cmd;
    }

    private static String expected(String base, String ext) throws IOException {
        Path p = CASES.resolve(base + ext);
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }

    static String readAll(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
