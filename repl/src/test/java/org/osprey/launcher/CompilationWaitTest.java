package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --osprey.FirstCompilationWait} (org.osprey.CompilationWait): with the Graal JIT, in a fresh JVM as
 * {@code osprey run} starts one, the program's thread waits for its first compilation once it has been
 * pending the given time, and the program's output is what it would be without; where Truffle's
 * optimizing runtime is not there (this JVM), nothing waits.
 */
class CompilationWaitTest {
    private static final String PROGRAM = """
                    fn fib(n: int) -> int = n < 2 ? n : fib(n - 1) + fib(n - 2)
                    fn main() -> int = {
                        print("fib(27) = ${fib(27)}")
                        0
                    }
                    """;
    private static final String OUTPUT = "fib(27) = 196418\n";
    private static final String EXPORT = "--add-exports=org.graalvm.truffle.runtime/com.oracle.truffle.runtime=org.osprey.interpreter";

    private Path file;

    @BeforeEach
    void program() throws IOException {
        file = Files.createTempFile("osprey-wait-", ".osp");
        Files.writeString(file, PROGRAM);
    }

    @AfterEach
    void remove() throws IOException {
        Files.deleteIfExists(file);
    }

    /** The Graal compiler jar the build copies before the tests (repl/pom.xml, copy-compiler). */
    private static Path compilerJar() throws IOException {
        Path dir = Path.of("target", "jvmci");
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> jars = Files.list(dir)) {
            return jars.filter(p -> p.getFileName().toString().startsWith("compiler-")).findFirst().orElse(null);
        }
    }

    @Test
    void withTheJitTheProgramWaitsOnceForItsFirstCompilation() throws Exception {
        Path compiler = compilerJar();
        // The compiler jar of this build (Graal 25.0.1) runs on JDK 25; scripts/test finds one.
        assumeTrue(Runtime.version().feature() >= 25 && compiler != null, "needs JDK 25 and the Graal compiler jar");
        String modulePath = System.getProperty("jdk.module.path");
        assumeTrue(modulePath != null && !modulePath.isEmpty(), "the tests run on the module path");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of("--enable-native-access=org.graalvm.truffle,ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                        "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI", "--upgrade-module-path=" + compiler.toAbsolutePath(), EXPORT,
                        "--module-path", modulePath, "-m", "org.osprey.launcher/" + Main.class.getName(),
                        "run", "--osprey.FirstCompilationWait=1", "--log.osprey.compilation.level=FINE", file.toString()));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        String errors = err.get(10, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), errors);
        assertEquals(OUTPUT, out.get(10, TimeUnit.SECONDS), errors);
        // A cold compiler takes hundreds of milliseconds for its first compilation, so a watcher that
        // looks every 10 ms always finds fib's pending longer than 1 ms.
        assertTrue(errors.contains("[osprey::compilation] FINE: waited ") && errors.contains(" ms for the compilation of fib, pending for "), errors);
        assertEquals(1, errors.split("FINE: waited ", -1).length - 1, "waits once: " + errors);
    }

    @Test
    void withoutTheOptimizingRuntimeNothingWaits() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[]{"run", "--log.osprey.compilation.level=FINE", file.toString()}, new ByteArrayInputStream(new byte[0]), false,
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, errors);
        assertEquals(OUTPUT, out.toString(StandardCharsets.UTF_8));
        assertTrue(errors.contains("[osprey::compilation] FINE: no waiting for compilations: "), errors);
        assertFalse(errors.contains("waited"), errors);
    }

    @Test
    void zeroTurnsTheWaitOff() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[]{"run", "--osprey.FirstCompilationWait=0", "--log.osprey.compilation.level=FINE", file.toString()},
                        new ByteArrayInputStream(new byte[0]), false, new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, errors);
        assertEquals(OUTPUT, out.toString(StandardCharsets.UTF_8));
        assertFalse(errors.contains("[osprey::compilation]"), errors);
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
