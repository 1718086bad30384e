package org.osprey.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Java-WebSocket 1.6.0 lost a reply now and then on a freshly started server: the selector thread could take
 * away the write interest a worker had just asked for (third_party/java-websocket/README.md). This starts
 * fresh servers many times, each replying twice per message from the handler's thread, and requires every
 * reply to arrive.
 */
class EchoStallTest {
    static final String PROGRAM = """
                    fn twice(wsID: int, text: string) -> Result<Success, string> = {
                        websocketServerSend(serverID: 1, wsID: wsID, message: "first ${text}")
                        websocketServerSend(serverID: 1, wsID: wsID, message: "second ${text}")
                    }
                    let id = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/echo") ?: -1
                    websocketServerOnMessage(serverID: id, messageHandler: twice)
                    websocketServerListen(serverID: id)
                    print("PORT ${websocketServerPort(serverID: id) ?: -1}")
                    websocketKeepAlive()
                    """;

    @AfterEach
    void noLibraryThreadsLeft() throws InterruptedException {
        Threads.awaitNone("WebSocket");
    }

    @Test
    void everyReplyArrivesOnFreshServers() throws Exception {
        for (int run = 0; run < 40; run++) {
            try (RunningProgram p = RunningProgram.start("stall" + run + ".osp", PROGRAM);
                            JdkClient c = JdkClient.connect("ws://127.0.0.1:" + p.awaitLine("PORT ").substring(5) + "/echo")) {
                for (int i = 0; i < 3; i++) {
                    c.send("m" + i);
                    assertEquals("first m" + i, c.next(), "run " + run);
                    assertEquals("second m" + i, c.next(), "run " + run);
                }
            }
        }
    }
}
