package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that runs out of memory or of stack says which of the two, in its own process (a test JVM that
 * ran out of heap would take the other tests with it).
 */
class ResourceExhaustionTest {
    private static final int PATIENCE_SECONDS = 120;

    @TempDir
    Path dir;

    private record Outcome(int exit, String out, String err) {
    }

    private Outcome run(String program, List<String> jvmFlags, String... options) throws Exception {
        Path file = dir.resolve("program.osp");
        Files.writeString(file, program, StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(ReplPipedTest.osprey(jvmFlags.toArray(new String[0])));
        cmd.add("run");
        cmd.addAll(List.of(options));
        cmd.add(file.toString());
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> ReplPipedTest.readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> ReplPipedTest.readAll(p.getErrorStream()));
        if (!p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("osprey did not end: " + program);
        }
        return new Outcome(p.exitValue(), out.get(PATIENCE_SECONDS, TimeUnit.SECONDS), err.get(PATIENCE_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aFullHeapIsOutOfMemoryNotAStackOverflow() throws Exception {
        Outcome o = run("""
                        print("building")
                        let xs = range(start: 0, end: 50000000) |> toList
                        print(length(xs))
                        """, List.of("-Xmx48m"));
        assertEquals("building\n", o.out());
        assertEquals("osprey: error: out of memory (Java heap space); a larger heap can be given with OSPREY_JAVA_OPTS=-Xmx<size>, e.g. -Xmx4g\n",
                        o.err());
        assertEquals(1, o.exit());
    }

    @Test
    void truffleStackOverflowIsNamedSo() {
        // How Truffle reports a guest stack overflow that got past the call depth limit (the program thread's
        // stack is large, so a real one takes minutes to reach in a test).
        assertEquals("stack overflow: the recursion is too deep", Runner.exhausted("Resource exhausted: Stack overflow"));
        assertEquals("out of memory (GC overhead limit exceeded); a larger heap can be given with OSPREY_JAVA_OPTS=-Xmx<size>, e.g. -Xmx4g",
                        Runner.exhausted("GC overhead limit exceeded"));
    }
}
