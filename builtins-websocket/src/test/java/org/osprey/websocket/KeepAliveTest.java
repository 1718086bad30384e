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

    @Test
    void sigtermEndsTheWaitAndTheServerStopsCleanly() throws Exception {
        String program = """
                        let id = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/live") ?: -1
                        websocketServerListen(serverID: id)
                        print("PORT ${websocketServerPort(serverID: id) ?: -1}")
                        websocketKeepAlive()
                        print("keep-alive ended; stopping again: ${toString(websocketStopServer(serverID: id))}")
                        """;
        AtomicBoolean early = new AtomicBoolean();
        SignalHandler previous = Signal.handle(new Signal("TERM"), s -> early.set(true));
        try (RunningProgram p = RunningProgram.start("live.osp", program);
                        JdkClient c = JdkClient.connect("ws://127.0.0.1:" + p.awaitLine("PORT ").substring(5) + "/live")) {
            c.send("still here?");
            assertEquals("still here?", c.next());
            for (int attempt = 0; attempt < 100 && p.out().lines().size() < 2; attempt++) {
                early.set(false);
                Signal.raise(new Signal("TERM"));
                Thread.sleep(100);
            }
            p.join();
            assertEquals(1001, c.awaitClose());
            assertEquals("keep-alive ended; stopping again: Error(WebSocket server 1 is already stopped)", p.out().lines().get(1));
        } finally {
            Signal.handle(new Signal("TERM"), previous);
        }
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
        AtomicBoolean early = new AtomicBoolean();
        SignalHandler previous = Signal.handle(new Signal("TERM"), s -> early.set(true));
        try (RunningProgram p = RunningProgram.start("spin.osp", program);
                        JdkClient c = JdkClient.connect("ws://127.0.0.1:" + p.awaitLine("PORT ").substring(5) + "/live")) {
            c.send("go");
            p.awaitLine("spinning on go");
            for (int attempt = 0; attempt < 100 && p.out().lines().size() < 3; attempt++) {
                early.set(false);
                Signal.raise(new Signal("TERM"));
                Thread.sleep(100);
            }
            p.join();
            assertEquals(1001, c.awaitClose());
            assertEquals("keep-alive ended", p.out().lines().get(2));
        } finally {
            Signal.handle(new Signal("TERM"), previous);
        }
    }
}
