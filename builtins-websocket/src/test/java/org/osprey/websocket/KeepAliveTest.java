package org.osprey.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * websocketKeepAlive() returns on SIGTERM (or Ctrl-C), after which the program stops its servers with close
 * frames and ends normally. The signal is raised in this JVM; a handler of the test's own absorbs a signal
 * that arrives before the program has installed its handler, and the test tries again.
 */
class KeepAliveTest {
    @AfterEach
    void noLibraryThreadsLeft() throws InterruptedException {
        Threads.awaitNone("WebSocket");
    }

    /** What a test checks once its message was sent, before the signal. */
    private interface AfterSend {
        void check(RunningProgram p, JdkClient c) throws Exception;
    }

    /**
     * Runs the program (which prints "PORT n" once it listens and waits in websocketKeepAlive), sends one
     * message, runs the test's check, then raises SIGTERM until the program has printed {@code lines} lines;
     * the client must see the server stop (1001). Returns what the program printed.
     */
    private static java.util.List<String> untilSigterm(String program, String message, int lines, AfterSend afterSend) throws Exception {
        AtomicBoolean early = new AtomicBoolean();
        SignalHandler previous = Signal.handle(new Signal("TERM"), s -> early.set(true));
        try (RunningProgram p = RunningProgram.start("live.osp", program);
                        JdkClient c = JdkClient.connect("ws://127.0.0.1:" + p.awaitLine("PORT ").substring(5) + "/live")) {
            c.send(message);
            afterSend.check(p, c);
            for (int attempt = 0; attempt < 100 && p.out().lines().size() < lines; attempt++) {
                early.set(false);
                Signal.raise(new Signal("TERM"));
                Thread.sleep(100);
            }
            p.join();
            assertEquals(1001, c.awaitClose());
            return p.out().lines();
        } finally {
            Signal.handle(new Signal("TERM"), previous);
        }
    }

    @Test
    void sigtermEndsTheWaitAndTheServerStopsCleanly() throws Exception {
        String program = """
                        let id = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/live") ?: -1
                        websocketServerListen(serverID: id)
                        print("PORT ${websocketServerPort(serverID: id) ?: -1}")
                        websocketKeepAlive()
                        print("keep-alive ended; stopping again: ${toString(websocketStopServer(serverID: id))}")
                        """;
        java.util.List<String> out = untilSigterm(program, "still here?", 2, (p, c) -> assertEquals("still here?", c.next()));
        assertEquals("keep-alive ended; stopping again: Error(WebSocket server 1 is already stopped)", out.get(1));
    }

    @Test
    void sigtermEndsTheWaitWhileAHandlerSpins() throws Exception {
        // A handler in an endless loop holds the execution lock the program needs to stop its servers: the
        // signal stops the handler, so the wait still ends.
        String program = """
                        fn spin(n: int) -> int = spin(n + 1)
                        let id = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/live") ?: -1
                        websocketServerOnMessage(serverID: id, messageHandler: fn(c: int, m: string) -> Result<Success, string> => {
                            print("spinning on ${m}")
                            let x = spin(0)
                            Success()
                        })
                        websocketServerListen(serverID: id)
                        print("PORT ${websocketServerPort(serverID: id) ?: -1}")
                        websocketKeepAlive()
                        print("keep-alive ended")
                        """;
        java.util.List<String> out = untilSigterm(program, "go", 3, (p, c) -> p.awaitLine("spinning on go"));
        assertEquals("keep-alive ended", out.get(2));
    }

    @Test
    void oneSignalEndsAWaitInAHandlerAndTheProgramsOwn() throws Exception {
        // Two waits at once, the handler's begun after the program's (which began before the lock let the
        // handler run): one signal must end both. It reached only the handler's, whose end put back the
        // signal handler it had replaced, and the program waited on for a signal it had already had.
        // The signal is SIGTERM, which the waits hear as they hear Ctrl-C's SIGINT: a process started in the
        // background by a shell without job control (scripts/test > log & in a script) inherits SIGINT ignored, the
        // JVM then installs no handler for it, and a raised SIGINT did nothing (the test failed every time).
        String program = """
                        let id = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/live") ?: -1
                        websocketServerOnMessage(serverID: id, messageHandler: fn(c: int, m: string) -> Result<Success, string> => {
                            print("handler waits on ${m}")
                            websocketKeepAlive()
                            Success()
                        })
                        websocketServerListen(serverID: id)
                        print("PORT ${websocketServerPort(serverID: id) ?: -1}")
                        websocketKeepAlive()
                        print("keep-alive ended")
                        """;
        // The test's own handler: only if the waits had none installed would it get the signal, which would
        // otherwise end the test's JVM.
        SignalHandler previous = Signal.handle(new Signal("TERM"), s -> { });
        try (RunningProgram p = RunningProgram.start("live.osp", program);
                        JdkClient c = JdkClient.connect("ws://127.0.0.1:" + p.awaitLine("PORT ").substring(5) + "/live")) {
            c.send("go");
            p.awaitLine("handler waits on go");
            Signal.raise(new Signal("TERM"));
            p.join();
            assertEquals("keep-alive ended", p.out().lines().get(2));
            assertEquals(1001, c.awaitClose());
        } finally {
            Signal.handle(new Signal("TERM"), previous);
        }
    }

    /**
     * In an application that embeds Osprey (no osprey.Signals, which osprey run sets) the JVM's signals stay the
     * application's. Found by the embedding QA pass: websocketKeepAlive() replaced the JVM's SIGTERM handler
     * while it waited, so a SIGTERM (a container being stopped) only ended the Osprey wait, and the application
     * never shut down. Now the application's handler gets the signal, and the wait ends when the context closes.
     */
    @Test
    void embeddedTheWaitLeavesTheJvmsSignalsToTheApplication() throws Exception {
        java.util.concurrent.CountDownLatch applicationGotIt = new java.util.concurrent.CountDownLatch(1);
        SignalHandler previous = Signal.handle(new Signal("TERM"), s -> applicationGotIt.countDown());
        try (RunningProgram p = new RunningProgram("embedded.osp", """
                        let id = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/live") ?: -1
                        websocketServerListen(serverID: id)
                        print("PORT ${websocketServerPort(serverID: id) ?: -1}")
                        websocketKeepAlive()
                        print("keep-alive ended")
                        """, java.util.Map.of("osprey.Signals", "false"));
                        JdkClient c = JdkClient.connect("ws://127.0.0.1:" + p.awaitLine("PORT ").substring(5) + "/live")) {
            c.send("echo?");
            assertEquals("echo?", c.next());
            awaitTheWait(p); // where the old code had taken the signal over, before the signal comes
            Signal.raise(new Signal("TERM"));
            org.junit.jupiter.api.Assertions.assertTrue(applicationGotIt.await(30, java.util.concurrent.TimeUnit.SECONDS),
                            "the application's SIGTERM handler never ran; the program printed: " + p.out().text());
            assertEquals(java.util.List.of(p.out().lines().get(0)), p.out().lines()); // still waiting
        } finally {
            Signal.handle(new Signal("TERM"), previous);
        }
    }

    /**
     * A keep-alive with nothing to keep alive says so on standard error and still waits (a fiber may start a
     * server later): the program dropped the Error of a listen on a port in use or of the server's creation, or
     * never called listen. A listening server, or none made at all, gets no note.
     */
    @Test
    void aWaitWithNoServerListeningSaysWhy() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            String failed = """
                            let id = websocketCreateServer(port: %d, address: "127.0.0.1", path: "/live") ?: -1
                            websocketServerListen(serverID: id)
                            print("waiting")
                            websocketKeepAlive()
                            """.formatted(port);
            assertEquals("note: websocketKeepAlive: no WebSocket server is listening and no connection is open (websocketServerListen(serverID: 1)"
                            + " failed: cannot listen on 127.0.0.1:" + port + ": address already in use); waiting all the same", noteOf(failed));
        }
        // Found by the chat QA pass: a websocketCreateServer that failed, its Error dropped (?: -1), left no
        // server at all, and the wait said nothing for ever.
        assertEquals("note: websocketKeepAlive: no WebSocket server is listening and no connection is open (websocketCreateServer failed:"
                        + " invalid port 80000: expected 0 to 65535 (0 picks a free port)); waiting all the same", noteOf("""
                                        let id = websocketCreateServer(port: 80000, address: "127.0.0.1", path: "/live") ?: -1
                                        websocketServerListen(serverID: id)
                                        print("waiting")
                                        websocketKeepAlive()
                                        """));
        String neverListened = """
                        let a = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/a") ?: -1
                        let b = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/b") ?: -1
                        websocketStopServer(serverID: a)
                        print("waiting")
                        websocketKeepAlive()
                        """;
        assertEquals("note: websocketKeepAlive: no WebSocket server is listening and no connection is open (server 2 was created but"
                        + " websocketServerListen was not called); waiting all the same", noteOf(neverListened));
        assertEquals("", noteOf("print(\"waiting\")\nwebsocketKeepAlive()"));
        assertEquals("", noteOf("""
                        let id = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/live") ?: -1
                        websocketServerListen(serverID: id)
                        print("waiting")
                        websocketKeepAlive()
                        """));
    }

    /**
     * An idle server's program sleeps in websocketKeepAlive until the signal: it woke every 20 ms to look for
     * it, 50 times a second for as long as the server ran. What is measured is what the thread does while
     * nothing happens: a second has to pass.
     */
    @Test
    void theWaitSleepsUntilItsSignal() throws Exception {
        try (RunningProgram p = RunningProgram.start("idle.osp", """
                        let id = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/live") ?: -1
                        websocketServerListen(serverID: id)
                        print("waiting")
                        websocketKeepAlive()
                        """)) {
            p.awaitLine("waiting");
            awaitTheWait(p);
            java.nio.file.Path thread = p.procEntry();
            org.junit.jupiter.api.Assertions.assertNotNull(thread, "the program's thread has no /proc entry: its wake-ups are counted there (Linux)");
            long before = CloseWaitTest.wakeUps(thread);
            Thread.sleep(1000);
            long during = CloseWaitTest.wakeUps(thread) - before;
            assertEquals(null, p.ended());
            org.junit.jupiter.api.Assertions.assertTrue(during < 10, "the waiting thread woke " + during + " times in a second");
        }
    }

    /** What the program printed on standard error once it waits in websocketKeepAlive (it is then closed). */
    private static String noteOf(String program) throws Exception {
        try (RunningProgram p = RunningProgram.start("idle.osp", program)) {
            p.awaitLine("waiting");
            awaitTheWait(p);
            assertEquals(null, p.ended());
            return p.err().text().strip();
        }
    }

    /** Returns once the program is waiting in websocketKeepAlive. */
    private static void awaitTheWait(RunningProgram p) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (Thread.getAllStackTraces().values().stream().noneMatch(KeepAliveTest::waitsInKeepAlive)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the program never waited in websocketKeepAlive: " + p.out().text() + p.err().text());
            }
            Thread.sleep(5); // polled: no event says that a thread has begun to wait
        }
    }

    private static boolean waitsInKeepAlive(StackTraceElement[] stack) {
        boolean waiting = false;
        for (StackTraceElement frame : stack) {
            waiting |= frame.getMethodName().equals("waitUntil");
            if (waiting && frame.getClassName().equals(WebSocketState.class.getName()) && frame.getMethodName().equals("keepAlive")) {
                return true;
            }
        }
        return false;
    }
}
