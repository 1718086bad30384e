package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The session's side of Ctrl-C, where the timing a terminal test cannot hold still is held by the test. */
class SessionTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * A Ctrl-C pressed right after Enter reaches the session while the REPL is still on its way from the line
     * editor to the entry's run (none is registered yet): it stops that entry when its run begins. It was
     * taken as a Ctrl-C at the prompt, and an entry waiting for input then waited for good.
     */
    @Test
    void aCtrlCBetweenEnterAndTheRunStopsTheEntry() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Session s = new Session(Map.of(), InputStream.nullInputStream(), out, out, true)) {
            assertEquals(Session.Outcome.OK, s.eval("fn spin(n: int) -> int = spin(n + 1)", Session.ENTRY_NAME));
            s.handling(true);
            s.interrupt();
            Session.Outcome o = assertTimeoutPreemptively(WAIT, () -> s.eval("spin(0)", Session.ENTRY_NAME), "the entry was not stopped");
            assertEquals(Session.Outcome.INTERRUPTED, o);
            s.handling(false);
            assertEquals(Session.Outcome.OK, s.eval("\"still here\"", Session.ENTRY_NAME));
            assertEquals("spin : (int) -> int\n\"still here\" : string\n", bytes.toString(StandardCharsets.UTF_8));
        }
    }

    /** One that came for an entry that never ran (a command, a type error) is dropped with the next prompt. */
    @Test
    void aCtrlCLeftUnusedDoesNotStopTheNextEntry() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Session s = new Session(Map.of(), InputStream.nullInputStream(), out, out, true)) {
            s.handling(true);
            s.interrupt();
            s.handling(false);
            s.handling(true);
            assertEquals(Session.Outcome.OK, s.eval("41", Session.ENTRY_NAME));
            s.handling(false);
            assertEquals("41 : int\n", bytes.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Ctrl-C while an entry waits for a WebSocket handler that spins in an endless loop (it holds the session):
     * the handler is stopped and so is the entry, before any of it runs, however short it is. A short entry ran
     * once the handler was stopped (the session looked again for its run only every 10 ms), and only a longer
     * one was interrupted.
     */
    @Test
    void aCtrlCWhileAnEntryWaitsForAStuckHandlerStopsBoth() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Session s = new Session(Map.of(), InputStream.nullInputStream(), out, out, true)) {
            assertEquals(Session.Outcome.OK, s.eval("fn spin(n: int) -> int = spin(n + 1)", Session.ENTRY_NAME));
            assertEquals(Session.Outcome.OK, s.eval("let server = websocketCreateServer(port: 0, address: \"127.0.0.1\", path: \"/spin\") ?: -1",
                            Session.ENTRY_NAME));
            assertEquals(Session.Outcome.OK, s.eval("websocketServerOnMessage(serverID: server, messageHandler: fn(id: int, m: string) => {"
                            + " print(\"spinning\"); let x = spin(0); Success() })", Session.ENTRY_NAME));
            assertEquals(Session.Outcome.OK, s.eval("websocketServerListen(serverID: server)", Session.ENTRY_NAME));
            bytes.reset();
            assertEquals(Session.Outcome.OK, s.eval("websocketServerPort(serverID: server) ?: -1", Session.ENTRY_NAME));
            String port = bytes.toString(StandardCharsets.UTF_8).replaceAll("\\D", "");
            java.net.http.WebSocket client = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                            .buildAsync(java.net.URI.create("ws://127.0.0.1:" + port + "/spin"), new java.net.http.WebSocket.Listener() {
                            }).get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            try {
                client.sendText("go", true).get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                assertTimeoutPreemptively(WAIT, () -> {
                    while (!bytes.toString(StandardCharsets.UTF_8).contains("spinning")) {
                        Thread.sleep(10);
                    }
                }, "the handler did not start");
                java.util.concurrent.CompletableFuture<Session.Outcome> entry = java.util.concurrent.CompletableFuture
                                .supplyAsync(() -> s.eval("print(\"after\" + \"wards\")", Session.ENTRY_NAME));
                assertTimeoutPreemptively(WAIT, () -> {
                    while (!s.isRunning()) {
                        Thread.sleep(1);
                    }
                }, "the entry was not taken");
                s.interrupt();
                assertEquals(Session.Outcome.INTERRUPTED, entry.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
                bytes.reset();
                assertEquals(Session.Outcome.OK, s.eval("\"still here\"", Session.ENTRY_NAME));
                assertEquals("\"still here\" : string\n", bytes.toString(StandardCharsets.UTF_8), "the next entry runs, and the stopped one printed nothing");
            } finally {
                client.abort();
            }
        }
    }

    /**
     * An entry that declares nothing leaves nothing behind: every entry's source (its text, name and URI) was
     * kept for as long as the session ran, and a session fed for days grew by some 600 bytes an entry. A fault
     * in a function of an earlier entry still names that entry.
     */
    @Test
    void anEntryThatDeclaresNothingIsNotKept() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Session s = new Session(Map.of(), InputStream.nullInputStream(), out, out, true)) {
            assertEquals(Session.Outcome.OK, s.eval("fn share(n: int) -> int = 100 % n", Session.ENTRY_NAME));
            for (int i = 0; i < 2000; i++) {
                assertEquals(Session.Outcome.OK, s.eval(i + " + 1", Session.ENTRY_NAME));
            }
            long held = heldObjects("org.graalvm.polyglot.Source");
            assertTrue(held < 500, held + " sources are held after 2000 entries");
            bytes.reset();
            assertEquals(Session.Outcome.FAILED, s.eval("share(0)", Session.ENTRY_NAME));
            String shown = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(shown.startsWith("<repl entry 1>:1:27: error in function 'share': "), shown);
        }
    }

    /**
     * A function declared again leaves the old one to the collector once nothing calls it: every top-level
     * function a session declared was also kept in a table that nothing read, so a session redefining a
     * function again and again grew by the old function's whole node tree each time (some 2 KB).
     */
    @Test
    void aFunctionDeclaredAgainIsNotKeptWhenNothingCallsIt() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Session s = new Session(Map.of(), InputStream.nullInputStream(), out, out, true)) {
            assertEquals(Session.Outcome.OK, s.eval("fn f(x: int) -> int = x", Session.ENTRY_NAME));
            assertEquals(Session.Outcome.OK, s.eval("fn g(x: int) -> int = f(x) * 2", Session.ENTRY_NAME));
            for (int i = 0; i < 2000; i++) {
                assertEquals(Session.Outcome.OK, s.eval("fn f(x: int) -> int = x + " + i, Session.ENTRY_NAME));
            }
            long held = heldObjects("org.osprey.runtime.FunctionValue");
            assertTrue(held < 500, held + " function values are held after 2000 declarations of one name");
            bytes.reset();
            // g still calls the f it was declared with (later ones shadow it only for later entries).
            assertEquals(Session.Outcome.OK, s.eval("g(5) + f(5)", Session.ENTRY_NAME));
            assertEquals("Success(2014) : Result<int, MathError>\n", bytes.toString(StandardCharsets.UTF_8));
        }
    }

    /** How many objects of the class this JVM holds, after the full collection a class histogram makes. */
    private static long heldObjects(String className) throws Exception {
        String histogram = (String) java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                        new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                        new Object[] {new String[0]}, new String[] {String[].class.getName()});
        return histogram.lines().filter(l -> l.contains(" " + className + " ")).mapToLong(l -> Long.parseLong(l.trim().split("\\s+")[1])).sum();
    }
}
