package org.osprey.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A handler that calls a function of the embedding application (a Java callback given to the Osprey code),
 * which fails. Found by the embedding QA pass: the failure was reported as "error in function '<foreign
 * function>': ...", naming Osprey's internal frame for the call into Java, and without a place; now it names
 * the handler's function and the place of the call that failed.
 */
class HostCallbackInHandlerTest {
    @AfterEach
    void noLibraryThreadsLeft() throws InterruptedException {
        Threads.awaitNone("WebSocket");
    }

    @Test
    void aFailingJavaCallbackInAHandlerIsReportedAtItsOspreyCall() throws Exception {
        RunningProgram.Lines err = new RunningProgram.Lines();
        Context context = Context.newBuilder("osprey").allowAllAccess(true).err(err).option("engine.WarnInterpreterOnly", "false").build();
        try {
            context.eval(Source.newBuilder("osprey", """
                            mut store: (string) -> int = fn(s: string) => 0
                            fn onMessage(client: int, text: string) -> Result<Success, string> = {
                                let n = store(text)
                                Success()
                            }
                            fn serve(save: (string) -> int) -> int = {
                                store = save
                                let server = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/") ?: -1
                                websocketServerOnMessage(serverID: server, messageHandler: onMessage)
                                websocketServerListen(serverID: server)
                                websocketServerPort(serverID: server) ?: -1
                            }
                            """, "app.osp").buildLiteral());
            ProxyExecutable save = a -> {
                throw new IllegalStateException("database is down");
            };
            int port = context.getBindings("osprey").getMember("serve").execute(save).asInt();
            try (JdkClient c = JdkClient.connect("ws://127.0.0.1:" + port + "/")) {
                c.send("hello");
                String line = err.await(l -> l.contains("database is down"), Duration.ofSeconds(30));
                assertEquals("app.osp:3:13: error in function 'onMessage': WebSocket server 1, connection 2: database is down", line);
            }
        } finally {
            context.close(true); // a context that serves is closed cancelling (docs/embedding.md)
        }
    }
}
