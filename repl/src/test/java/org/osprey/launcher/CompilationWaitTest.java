package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void program() throws IOException {
        file = Files.writeString(dir.resolve("fib.osp"), PROGRAM);
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

    /**
     * {@code osprey run} in a fresh JVM as scripts/osprey starts it. On JDK 25, with the Graal JIT (the
     * compiler jar on the upgrade module path, Truffle's runtime package exported): the program waits once.
     * The compiler jar of this build (Graal 25.0.1) needs JDK 25; on an older JDK scripts/osprey runs without
     * the JIT, and so does this test: then nothing waits, and the log says why.
     */
    @Test
    void withTheJitTheProgramWaitsOnceForItsFirstCompilation() throws Exception {
        Path compiler = compilerJar();
        assertNotNull(compiler, "the build copies the Graal compiler to target/jvmci before the tests (repl/pom.xml, copy-compiler)");
        String modulePath = System.getProperty("jdk.module.path");
        assertTrue(modulePath != null && !modulePath.isEmpty(), "the tests run on the module path (repl/pom.xml)");
        boolean jit = Runtime.version().feature() >= 25;
        String[] jvmFlags = jit ? new String[]{"-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI", "--upgrade-module-path=" + compiler.toAbsolutePath(), EXPORT}
                        : new String[0];
        List<String> cmd = ReplPipedTest.osprey(jvmFlags);
        cmd.addAll(List.of("run", "--osprey.FirstCompilationWait=1", "--log.osprey.compilation.level=FINE", file.toString()));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> ReplPipedTest.readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> ReplPipedTest.readAll(p.getErrorStream()));
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        String errors = err.get(10, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), errors);
        assertEquals(OUTPUT, out.get(10, TimeUnit.SECONDS), errors);
        if (!jit) {
            assertTrue(errors.contains("[osprey::compilation] FINE: no waiting for compilations: "), errors);
            assertFalse(errors.contains("waited"), errors);
            return;
        }
        // A cold compiler takes hundreds of milliseconds for its first compilation, so a watcher that
        // looks every 10 ms always finds fib's pending longer than 1 ms.
        assertTrue(errors.contains("[osprey::compilation] FINE: waited ") && errors.contains(" ms for the compilation of fib, pending for "), errors);
        assertEquals(1, errors.split("FINE: waited ", -1).length - 1, "waits once: " + errors);
    }

    @Test
    void withoutTheOptimizingRuntimeNothingWaits() {
        OspreyRun r = OspreyRun.of("run", "--log.osprey.compilation.level=FINE", file.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(OUTPUT, r.out());
        assertTrue(r.err().contains("[osprey::compilation] FINE: no waiting for compilations: "), r.err());
        assertFalse(r.err().contains("waited"), r.err());
    }

    @Test
    void zeroTurnsTheWaitOff() {
        OspreyRun r = OspreyRun.of("run", "--osprey.FirstCompilationWait=0", "--log.osprey.compilation.level=FINE", file.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(OUTPUT, r.out());
        assertFalse(r.err().contains("[osprey::compilation]"), r.err());
    }
}
