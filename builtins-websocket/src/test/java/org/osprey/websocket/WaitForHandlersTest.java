package org.osprey.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A fiber's wait (a recv) that only a WebSocket handler could end waits while a handler can still be called (a
 * server listens with one, a connection with one is open), and fails as a deadlock once none can, where it
 * waited for ever: the context counted a handler as possible from the first one given, until the program ended.
 */
class WaitForHandlersTest {

    @AfterEach
    void noLibraryThreadsLeft() throws InterruptedException {
        Threads.awaitNone("WebSocket");
    }

    @Test
    void aReceiveThatOnlyClosedConnectionsCouldFeedFailsInsteadOfWaitingForEver() throws Exception {
        String program = """
                        let server = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/chat") ?: -1
                        let inbox = Channel<string> { capacity: 10 }
                        websocketServerOnMessage(serverID: server, messageHandler: fn(client: int, m: string) => {
                            send(inbox, "server got ${m}")
                            Success()
                        })
                        websocketServerListen(serverID: server)
                        let port = websocketServerPort(serverID: server) ?: 0
                        print("PORT ${port}")
                        print(recv(inbox))
                        let id = websocketConnect(url: "ws://127.0.0.1:${port}/chat", messageHandler: fn(m: string) => {
                            send(inbox, "client got ${m}")
                            Success()
                        }) ?: -1
                        print(websocketServerBroadcast(serverID: server, message: "to all"))
                        print(recv(inbox))
                        print(websocketStopServer(serverID: server))
                        print(recv(inbox))
                        print("end")
                        """;
        try (RunningProgram p = RunningProgram.start("wait_for_handlers.osp", program)) {
            int port = Integer.parseInt(p.awaitLine("PORT ").substring(5));
            try (JdkClient c = JdkClient.connect("ws://127.0.0.1:" + port + "/chat")) {
                // The listening server's handler may still send: the recv waits for it rather than failing.
                c.send("hello");
                p.awaitLine("Success(server got hello)");
                assertEquals("to all", c.next());
                assertEquals(1001, c.awaitClose());
            }
            p.awaitLine("end");
            p.join();
            assertEquals(List.of("PORT " + port, "Success(server got hello)", "Success(())", "Success(client got to all)", "Success(())",
                            "Error(recv: no other fiber can run to send a value, so this receive would wait forever)", "end"), p.out().lines());
            assertEquals("", p.err().text());
        }
    }

    @Test
    void aHandlerThatStopsItsServerStillFeedsTheReceiveThatWaitsForIt() throws Exception {
        // The stop, on a thread of its own, ends before the handler that asked for it: the receive fails only
        // once that handler has returned, having sent what it had to send.
        String program = """
                        let server = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/chat") ?: -1
                        let inbox = Channel<string> { capacity: 0 }
                        websocketServerOnMessage(serverID: server, messageHandler: fn(client: int, m: string) => {
                            send(inbox, "stopping: ${websocketStopServer(serverID: server)}")
                            send(inbox, "stopped by ${m}")
                            Success()
                        })
                        websocketServerListen(serverID: server)
                        print("PORT ${websocketServerPort(serverID: server) ?: 0}")
                        print(recv(inbox))
                        sleep(2500)
                        print(recv(inbox))
                        print(recv(inbox))
                        print("end")
                        """;
        try (RunningProgram p = RunningProgram.start("stop_in_handler.osp", program)) {
            int port = Integer.parseInt(p.awaitLine("PORT ").substring(5));
            try (JdkClient c = JdkClient.connect("ws://127.0.0.1:" + port + "/chat")) {
                c.send("/shutdown");
                assertEquals(1001, c.awaitClose());
            }
            p.awaitLine("end");
            p.join();
            assertEquals(List.of("PORT " + port, "Success(stopping: Success(()))", "Success(stopped by /shutdown)",
                            "Error(recv: no other fiber can run to send a value, so this receive would wait forever)", "end"), p.out().lines());
            assertEquals("", p.err().text());
        }
    }
}
