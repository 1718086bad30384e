package org.osprey.websocket;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * WebSocket handlers in a context that JavaScript shares. GraalJS lets one thread at a time into a context, so
 * a handler's thread cannot enter while the program's thread is in it (here in a sleep). Found by the embedding
 * QA pass: each such message was dropped without a word; now each says on stderr that its handler did not run,
 * and why, in Truffle's words (docs/embedding.md).
 */
class JavaScriptContextTest {
    @Test
    void aHandlerThatCannotEnterTheContextSaysSo() throws Exception {
        try (RunningProgram p = new RunningProgram("shared.osp", """
                        let server = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/") ?: -1
                        fn onMessage(client: int, text: string) -> Result<Success, string> = {
                            print("got ${text}")
                            Success()
                        }
                        websocketServerOnMessage(serverID: server, messageHandler: onMessage)
                        websocketServerListen(serverID: server)
                        let port = websocketServerPort(serverID: server) ?: -1
                        let conn = websocketConnect(url: "ws://127.0.0.1:${port}/", messageHandler: fn(m: string) => Success()) ?: -1
                        websocketSend(wsID: conn, message: "hi")
                        print("sent")
                        sleep(60000)
                        """, Map.of(), "js")) {
            p.awaitLine("sent");
            String line = p.err().await(l -> l.contains("WebSocket server"), Duration.ofSeconds(30), p);
            assertTrue(line.startsWith("error: WebSocket server 1, connection 3: not run, as this thread may not enter the context: "), line);
            assertTrue(line.endsWith("is not allowed for language(s) js."), line);
            assertTrue(!p.out().text().contains("got hi"), p.out().text());
        }
    }
}
