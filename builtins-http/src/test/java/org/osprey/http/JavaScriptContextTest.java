package org.osprey.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.junit.jupiter.api.Test;

/**
 * HTTP handlers in a context that JavaScript shares (docs/embedding.md, "With JavaScript"). GraalJS lets one
 * thread at a time into a context, so a handler's thread cannot enter while the program's thread is in it
 * (here in a sleep): the request is answered 500 and standard error says why, as for a WebSocket handler.
 */
class JavaScriptContextTest {
    @Test
    void aHandlerThatCannotEnterTheContextIsAnswered500AndSaysWhy() throws Exception {
        Osprey.Output out = new Osprey.Output();
        Osprey.Output err = new Osprey.Output();
        Context context = Context.newBuilder("osprey", "js").allowAllAccess(true).out(out).err(err)
                        .option("engine.WarnInterpreterOnly", "false").option("osprey.LineBuffered", "true").build();
        Thread program = null;
        try {
            context.eval("js", "[1, 2].length"); // JavaScript runs in the context, and so holds it to one thread
            program = new Thread(() -> {
                try {
                    context.eval(Source.create("osprey", """
                                    fn route(method: string, path: string, headers: string, body: string) -> HttpResponse = {
                                        print("handled ${path}")
                                        HttpResponse { status: 200, headers: "", contentType: "text/plain", streamFd: -1, isComplete: true, partialBody: "ok" }
                                    }
                                    let server = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                                    httpListen(serverID: server, handler: route)
                                    print("PORT ${httpServerPort(server) ?: -1}")
                                    sleep(60000)
                                    """));
                } catch (PolyglotException e) {
                    // cancelled by the close below
                }
            }, "osprey-js-program");
            program.start();
            int port = Integer.parseInt(out.await("PORT ", Duration.ofSeconds(30)).strip());
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hi"))
                            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(500, answer.statusCode(), answer.body());
            String line = err.await("error: HTTP server 1, GET /hi: ", Duration.ofSeconds(10));
            assertTrue(line.startsWith("not run, as this thread may not enter the context: "), line);
            assertTrue(line.endsWith("is not allowed for language(s) js."), line);
            assertFalse(out.text().contains("handled"), out.text());
        } finally {
            context.close(true); // stops the sleep; the program's eval ends cancelled
            if (program != null) {
                program.join(10_000);
            }
        }
    }
}
