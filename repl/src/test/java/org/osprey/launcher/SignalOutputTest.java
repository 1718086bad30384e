package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
 * A program stopped by SIGTERM (a service manager, `kill`) while its output goes to a pipe: what it printed
 * before the signal reaches the pipe, though it was still in the program's buffer.
 */
class SignalOutputTest {
    private static final int PATIENCE_SECONDS = 60;

    @TempDir
    Path dir;

    @Test
    void whatWasPrintedBeforeSigtermIsWritten() throws Exception {
        Path file = dir.resolve("loop.osp");
        Files.writeString(file, """
                        print("before the loop")
                        print(writeFile("ready", ""))
                        fn spin(n: int) -> int = spin(n + 1)
                        print(spin(0))
                        """, StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(ReplPipedTest.osprey());
        cmd.add("run");
        cmd.add(file.toString());
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> ReplPipedTest.readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> ReplPipedTest.readAll(p.getErrorStream()));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
            while (!Files.exists(dir.resolve("ready"))) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    fail("the program did not reach its loop; stderr: " + (p.isAlive() ? "" : err.get()));
                }
                Thread.sleep(10);
            }
            // SIGTERM through the handle: Process.destroy would also close the streams being read here.
            p.toHandle().destroy();
            assertTrue(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "osprey did not end after SIGTERM");
            assertEquals("before the loop\nSuccess(())\n", out.get(PATIENCE_SECONDS, TimeUnit.SECONDS));
            assertEquals("", err.get(PATIENCE_SECONDS, TimeUnit.SECONDS));
            assertEquals(143, p.exitValue());
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }
}
