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

    /** {@code osprey run NAME} of this program in the test's directory, its standard input closed. */
    private Process run(String name, String program, boolean errorsIntoOutput) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, program, StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(ReplPipedTest.osprey());
        cmd.add("run");
        cmd.add(file.toString());
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(errorsIntoOutput).start();
        p.getOutputStream().close();
        return p;
    }

    @Test
    void whatWasPrintedBeforeSigtermIsWritten() throws Exception {
        Process p = run("loop.osp", """
                        print("before the loop")
                        print(writeFile("ready", ""))
                        fn spin(n: int) -> int = spin(n + 1)
                        print(spin(0))
                        """, false);
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

    /** {@code osprey run gen.osp | head -1}: once the reader is gone the process ends as SIGPIPE ends one. */
    @Test
    void aProgramPrintingToAPipeNobodyReadsEnds() throws Exception {
        Process p = run("endless.osp", "range(start: 0, end: 2000000000) |> forEach(fn(i) => print(i))\n", false);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> ReplPipedTest.readAll(p.getErrorStream()));
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("0", out.readLine());
            out.close(); // as head does after its line
            assertTrue(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "osprey went on printing into a closed pipe");
            assertEquals(141, p.exitValue());
            assertEquals("", err.get(PATIENCE_SECONDS, TimeUnit.SECONDS));
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /**
     * Ended by a closed pipe, the program's processes end with it, as at any end of a program
     * (docs/language.md): the JVM halted with them still running, a {@code sleep} left behind for good.
     */
    @Test
    void aProgramEndedByAClosedPipeTakesItsProcessesWithIt() throws Exception {
        Process p = run("spawner.osp", """
                        match spawnProcess("echo $$ > sleeper.pid; exec sleep 600", fn(i: int, t: int, d: string) => ()) {
                            Success { value } => ()
                            Error { message } => print(message)
                        }
                        fn started() -> unit = match readFile("sleeper.pid") {
                            Success { value } => print(trim(value))
                            Error { message } => { sleep(10); started() }
                        }
                        started()
                        range(start: 0, end: 2000000000) |> forEach(fn(i) => print(i))
                        """, false);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> ReplPipedTest.readAll(p.getErrorStream()));
        java.util.Optional<ProcessHandle> sleeper = java.util.Optional.empty();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String pid = out.readLine();
            assertTrue(pid != null && pid.matches("[0-9]+"), "the process did not start: " + pid);
            sleeper = ProcessHandle.of(Long.parseLong(pid));
            assertTrue(sleeper.isPresent(), "the process ended by itself");
            out.close(); // as head does after its line
            assertTrue(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "osprey went on printing into a closed pipe");
            assertEquals(141, p.exitValue());
            assertEquals("", err.get(PATIENCE_SECONDS, TimeUnit.SECONDS));
            sleeper.get().onExit().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            fail("the program's process still runs after the program ended");
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
            sleeper.ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aServerStoppedBySigtermClosesItsClientsWithCloseFrames() throws Exception {
        // A server that waits in sleep (not websocketKeepAlive, which takes the signal itself): the signal
        // ends the JVM, and the launcher closes the program's context on the way out, as at the end of a run.
        Process p = run("server.osp", """
                        let s = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/live") ?: -1
                        websocketServerListen(serverID: s)
                        print("PORT ${websocketServerPort(serverID: s) ?: -1}")
                        sleep(600000)
                        """, true);
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertTrue(first != null && first.startsWith("PORT "), "the server did not start: " + first);
            CompletableFuture<Integer> closeCode = new CompletableFuture<>();
            java.net.http.WebSocket ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                            .buildAsync(java.net.URI.create("ws://127.0.0.1:" + first.substring(5) + "/live"), new java.net.http.WebSocket.Listener() {
                                @Override
                                public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int code, String reason) {
                                    closeCode.complete(code);
                                    return null;
                                }

                                @Override
                                public void onError(java.net.http.WebSocket w, Throwable error) {
                                    closeCode.completeExceptionally(error);
                                }
                            }).get(PATIENCE_SECONDS, TimeUnit.SECONDS);
            p.toHandle().destroy(); // SIGTERM
            assertEquals(1001, closeCode.get(PATIENCE_SECONDS, TimeUnit.SECONDS), "the client's close code");
            assertTrue(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "osprey did not end after SIGTERM");
            assertEquals(143, p.exitValue());
            ws.abort();
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }
}
