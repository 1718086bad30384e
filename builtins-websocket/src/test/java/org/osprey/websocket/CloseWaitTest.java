package org.osprey.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osprey.websocket.ClientProtocolAbuseTest.upgradeResponse;
import static org.osprey.websocket.RawSocket.CLOSE;
import static org.osprey.websocket.RawSocket.b0;
import static org.osprey.websocket.RawSocket.frame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * websocketClose waits for the server's close frame, at most 5 s: the program's thread sleeps until it comes,
 * where it woke every 2 ms to look (some 500 times a second, for as long as a slow server took).
 */
class CloseWaitTest {
    @AfterEach
    void noLibraryThreadsLeft() throws InterruptedException {
        Threads.awaitNone("WebSocket");
    }

    @Test
    void theProgramSleepsWhileWebsocketCloseWaitsForTheServer() throws Exception {
        CountDownLatch closeRead = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        try (ClientProtocolAbuseTest.FakeServer server = new ClientProtocolAbuseTest.FakeServer(slowToAnswer(closeRead, answer))) {
            try (RunningProgram p = new RunningProgram("close_wait.osp", """
                            let c = websocketConnect(url: "ws://127.0.0.1:PORT/x", messageHandler: fn(m: string) => Success()) ?: -1
                            print("close: ${toString(websocketClose(wsID: c))}")
                            """.replace("PORT", Integer.toString(server.port())), Map.of())) {
                long during;
                try {
                    assertTrue(closeRead.await(30, TimeUnit.SECONDS), "no close frame came");
                    Path program = p.procEntry();
                    assertNotNull(program, "the program's thread has no /proc entry: its wake-ups are counted there (Linux)");
                    stillWaiting(p, program);
                    long before = wakeUps(program);
                    // What is measured is what the thread does while nothing happens: a second has to pass.
                    Thread.sleep(1000);
                    stillWaiting(p, program);
                    during = wakeUps(program) - before;
                } finally {
                    answer.countDown();
                }
                p.join();
                assertEquals(List.of("close: Success(())"), p.out().lines());
                assertTrue(during < 50, "the program's thread woke " + during + " times in the second it waited for the server");
            }
            assertEquals(1000, server.result.get(10, TimeUnit.SECONDS));
        }
    }

    /**
     * websocketClose while the connection's message handler runs (on the thread that reads the connection): the
     * close stops the handler, and the thread must then read on for the server's answer. The library's read
     * loop stopped reading once the connection was closing, so a close that came while its thread was not in a
     * read (running the handler, or just done with the upgrade answer) dropped the connection at once and
     * websocketClose said Success without the server's answer: in about one run in three of this module's
     * tests, CloseWaitTest's first case saw the program end before the server had answered.
     */
    @Test
    void aCloseWhileTheHandlerRunsWaitsForTheServersAnswer() throws Exception {
        CountDownLatch closeRead = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        byte[] busy = frame(b0(true, 0, RawSocket.TEXT), "busy".getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
        try (ClientProtocolAbuseTest.FakeServer server = new ClientProtocolAbuseTest.FakeServer(slowToAnswer(closeRead, answer, busy))) {
            try (RunningProgram p = new RunningProgram("close_while_handling.osp", """
                            let started = Channel<int> { capacity: 1 }
                            let c = websocketConnect(url: "ws://127.0.0.1:PORT/x", messageHandler: fn(m: string) => {
                                send(started, 1)
                                sleep(20000)
                                Success()
                            }) ?: -1
                            recv(started)
                            print("close: ${toString(websocketClose(wsID: c))}")
                            """.replace("PORT", Integer.toString(server.port())), Map.of())) {
                try {
                    assertTrue(closeRead.await(30, TimeUnit.SECONDS), "no close frame came");
                    // What is checked is that nothing happens: websocketClose waits for the answer. A second has to pass.
                    AssertionError none = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                                    () -> p.out().await(l -> l.startsWith("close:"), java.time.Duration.ofSeconds(1)),
                                    "websocketClose returned before the server answered the close");
                    assertTrue(none.getMessage().startsWith("no matching line"), none.getMessage());
                } finally {
                    answer.countDown();
                }
                p.join();
                assertEquals(List.of("close: Success(())"), p.out().lines());
            }
            assertEquals(1000, server.result.get(10, TimeUnit.SECONDS));
        }
    }

    /**
     * websocketClose in a handler does not wait for the server's answer; a server that never answered kept the
     * connection closing for as long as the program ran, and a receive that only its handler could have ended
     * waited for ever. Now the connection is dropped after 5 s, as websocketClose's own wait drops it, and the
     * receive fails as a deadlock.
     */
    @Test
    void aCloseFromAHandlerThatTheServerNeverAnswersEndsTheConnection() throws Exception {
        try (ClientProtocolAbuseTest.FakeServer server = new ClientProtocolAbuseTest.FakeServer((peer, key) -> {
            peer.send(upgradeResponse(StrictDraft.acceptFor(key)));
            int code = peer.awaitCloseCode();
            return peer.awaitEnd() ? code : -1; // never answers
        })) {
            try (RunningProgram p = new RunningProgram("close_in_handler.osp", """
                            let inbox = Channel<string> { capacity: 10 }
                            let far = websocketConnect(url: "ws://127.0.0.1:PORT/x", messageHandler: fn(m: string) => {
                                send(inbox, m)
                                Success()
                            }) ?: -1
                            let server = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/s") ?: -1
                            websocketServerOnMessage(serverID: server, messageHandler: fn(c: int, m: string) => {
                                send(inbox, "${m}: ${websocketClose(wsID: far)} ${websocketStopServer(serverID: server)}")
                                Success()
                            })
                            websocketServerListen(serverID: server)
                            let near = websocketConnect(url: "ws://127.0.0.1:${websocketServerPort(serverID: server) ?: 0}/s",
                                messageHandler: fn(m: string) => Success()) ?: -1
                            websocketSend(wsID: near, message: "close it")
                            print(recv(inbox))
                            print(recv(inbox))
                            """.replace("PORT", Integer.toString(server.port())), Map.of())) {
                p.awaitLine("Error(");
                p.join();
                assertEquals(List.of("Success(close it: Success(()) Success(()))",
                                "Error(recv: no other fiber can run to send a value, so this receive would wait forever)"), p.out().lines());
                assertEquals(1000, server.result.get(10, TimeUnit.SECONDS));
            }
        }
    }

    /**
     * A slow server: it upgrades, sends the frames given, reads the client's close frame (counting closeRead down),
     * and answers it only when the test has counted {@code answer} down; gives the client's close code.
     */
    private static ClientProtocolAbuseTest.Script slowToAnswer(CountDownLatch closeRead, CountDownLatch answer, byte[]... first) {
        return (peer, key) -> {
            peer.send(upgradeResponse(StrictDraft.acceptFor(key)));
            for (byte[] f : first) {
                peer.send(f);
            }
            int code = peer.awaitCloseCode();
            closeRead.countDown();
            answer.await(30, TimeUnit.SECONDS);
            peer.send(frame(b0(true, 0, CLOSE), RawSocket.closePayload(code, new byte[0]), false));
            return code;
        };
    }

    /** A thread that has ended has no /proc entry: the program did not wait for the server's answer then. */
    private static void stillWaiting(RunningProgram p, Path program) {
        assertTrue(Files.exists(program), "the program's thread ended before the server answered the close; it printed " + p.out().lines()
                        + " and on its standard error " + p.err().lines());
    }

    /** How many times the thread gave up the processor to wait (voluntary context switches). */
    static long wakeUps(Path thread) throws IOException {
        return Files.readAllLines(thread.resolve("status")).stream().filter(l -> l.startsWith("voluntary_ctxt_switches:"))
                        .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).strip())).findFirst().orElseThrow();
    }
}
