package org.osprey.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An Osprey HTTP server driven from an embedding application through the polyglot API: Java calls the Osprey
 * functions that start and stop it, asks it with java.net.http, gives a handler a Java function to call, and
 * closes the context with the server running.
 */
class EmbeddingTest {
    private static final String SERVICE = """
                    fn reply(body: string) -> HttpResponse =
                        HttpResponse { status: 200, headers: "", contentType: "text/plain", streamFd: -1, isComplete: true, partialBody: body }
                    fn serve(handler: fn(string, string, string, string) -> HttpResponse) -> int = match httpCreateServer(port: 0, address: "127.0.0.1") {
                        Success { value: server } => {
                            httpListen(serverID: server, handler: handler)
                            server
                        }
                        Error { message } => {
                            print(message)
                            -1
                        }
                    }
                    fn port(server: int) -> int = httpServerPort(serverID: server) ?: -1
                    fn stop(server: int) -> bool = match httpStopServer(serverID: server) {
                        Success { value } => true
                        Error { message } => false
                    }
                    fn hello(method: string, path: string, headers: string, body: string) -> HttpResponse = reply("hello ${path}")
                    fn askJava(ask: (string) -> string) -> int = serve(fn(m: string, path: string, h: string, body: string) => reply(ask(path)))
                    """;

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private static void bindAgain(int port) throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        }
    }

    @AfterEach
    void noServerThreadsLeft() throws InterruptedException {
        Osprey.awaitNoThreads("osprey-http");
        Osprey.awaitNoThreads("HTTP-Dispatcher");
    }

    @Test
    void javaStartsAsksAndStopsAServer() throws Exception {
        try (Context context = Osprey.context(new Osprey.Output(), new Osprey.Output(), Map.of())) {
            context.eval("osprey", SERVICE);
            Value osprey = context.getBindings("osprey");
            int server = osprey.getMember("serve").execute(osprey.getMember("hello")).asInt();
            int port = osprey.getMember("port").execute(server).asInt();
            assertEquals("200 hello /a?b=1", get(port, "/a?b=1"));
            assertTrue(osprey.getMember("stop").execute(server).asBoolean());
            assertThrows(ConnectException.class, () -> get(port, "/a"));
            bindAgain(port);
        }
    }

    /** A handler that calls a Java function (a ProxyExecutable), which calls back into Osprey. */
    @Test
    void aHandlerCallsJavaWhichCallsOsprey() throws Exception {
        Osprey.Output err = new Osprey.Output();
        try (Context context = Osprey.context(new Osprey.Output(), err, Map.of())) {
            context.eval("osprey", SERVICE);
            Value osprey = context.getBindings("osprey");
            int first = osprey.getMember("askJava").execute((ProxyExecutable) a -> "java got " + a[0].asString()).asInt();
            int port = osprey.getMember("port").execute(first).asInt();
            assertEquals("200 java got /x", get(port, "/x"));
            int second = osprey.getMember("askJava").execute((ProxyExecutable) a -> "the first server's port is " + osprey.getMember("port").execute(first)).asInt();
            assertEquals("200 the first server's port is " + port, get(osprey.getMember("port").execute(second).asInt(), "/y"));
            // a Java function given as the handler itself must return an HttpResponse
            int third = osprey.getMember("serve").execute((ProxyExecutable) a -> "just a string").asInt();
            assertEquals("500 internal server error", get(osprey.getMember("port").execute(third).asInt(), "/z"));
            assertEquals("error: HTTP server 3, GET /z: a function of another language returned the string \"just a string\" where HttpResponse was expected\n",
                            err.text());
        }
    }

    /** A handler runs under the effect handlers in force where httpListen was called (spec 0017), also when Java called that code. */
    @Test
    void aHandlerPerformsUnderTheHandleAroundHttpListen() throws Exception {
        Osprey.Output out = new Osprey.Output();
        try (Context context = Osprey.context(out, new Osprey.Output(), Map.of())) {
            context.eval("osprey", SERVICE + """
                            effect Log { log: fn(string) -> unit }
                            fn serveLogged() -> int = handle Log
                                log m => print("log: ${m}")
                            in
                                serve(fn(m: string, path: string, h: string, body: string) => {
                                    perform Log.log(path)
                                    reply("logged")
                                })
                            """);
            Value osprey = context.getBindings("osprey");
            int port = osprey.getMember("port").execute(osprey.getMember("serveLogged").execute()).asInt();
            assertEquals("200 logged", get(port, "/p"));
            assertEquals("log: /p\n", out.text());
        }
    }

    /** Closing the context stops its servers: the ports are free again, and nothing answers there. */
    @Test
    void closingTheContextFreesThePorts() throws Exception {
        Context context = Osprey.context(new Osprey.Output(), new Osprey.Output(), Map.of());
        context.eval("osprey", SERVICE);
        Value osprey = context.getBindings("osprey");
        int a = osprey.getMember("port").execute(osprey.getMember("serve").execute(osprey.getMember("hello"))).asInt();
        int b = osprey.getMember("port").execute(osprey.getMember("serve").execute(osprey.getMember("hello"))).asInt();
        assertEquals("200 hello /", get(b, "/"));
        context.close();
        bindAgain(a);
        bindAgain(b);
        assertThrows(ConnectException.class, () -> get(a, "/"));
    }

    /**
     * With a server running, a handler may send at any time, so a call from Java waiting for a channel waits
     * (it is no deadlock), and close(true) ends it.
     */
    @Test
    void aCallWaitingWhileAServerRunsEndsWithCloseTrue() throws Exception {
        Osprey.Output out = new Osprey.Output();
        Context context = Osprey.context(out, new Osprey.Output(), Map.of());
        context.eval("osprey", SERVICE + """
                        let never = Channel<int> { capacity: 0 }
                        fn waitForNothing() -> Result<int, string> = {
                            print("waiting")
                            recv(never)
                        }
                        """);
        Value osprey = context.getBindings("osprey");
        osprey.getMember("serve").execute(osprey.getMember("hello"));
        CompletableFuture<PolyglotException> call = CompletableFuture.supplyAsync(() -> {
            try {
                osprey.getMember("waitForNothing").execute();
                return null;
            } catch (PolyglotException e) {
                return e;
            }
        });
        out.await("waiting", Duration.ofSeconds(30));
        context.close(true);
        PolyglotException e = call.get(30, TimeUnit.SECONDS);
        assertTrue(e != null && e.isCancelled(), String.valueOf(e));
    }

    /** A program serving in httpKeepAlive on a thread of the application's, until close(true). */
    @Test
    void aProgramKeptAliveEndsWithCloseTrue() throws Exception {
        Osprey.Output out = new Osprey.Output();
        Context context = Osprey.context(out, new Osprey.Output(), Map.of());
        context.eval("osprey", SERVICE);
        CompletableFuture<PolyglotException> run = CompletableFuture.supplyAsync(() -> {
            try {
                context.eval("osprey", "print(\"PORT ${port(serve(hello))}\")\nhttpKeepAlive()");
                return null;
            } catch (PolyglotException e) {
                return e;
            }
        });
        int port = Integer.parseInt(out.await("PORT ", Duration.ofSeconds(30)).strip());
        assertEquals("200 hello /kept", get(port, "/kept"));
        context.close(true);
        PolyglotException e = run.get(30, TimeUnit.SECONDS);
        assertTrue(e != null && e.isCancelled(), String.valueOf(e));
        bindAgain(port);
    }

    @Test
    void contextOptionsTakeTheFunctionsAway() {
        for (String option : new String[] {"osprey.NoHttp", "osprey.Sandbox"}) {
            try (Context context = Osprey.context(new Osprey.Output(), new Osprey.Output(), Map.of(option, "true"))) {
                PolyglotException e = assertThrows(PolyglotException.class, () -> context.eval("osprey", SERVICE));
                assertTrue(e.isSyntaxError(), option);
                assertTrue(e.getMessage().startsWith("Unnamed:3:86: 'httpCreateServer' is not available: http functions are disabled (--no-http or --sandbox)\n"),
                                e.getMessage());
                assertEquals(3, context.eval("osprey", "1 + 2").getMember("value").asInt()); // the context stays usable
            }
        }
        // The polyglot API's defaults: no network access, so the server is an Error, said in words.
        Osprey.Output out = new Osprey.Output();
        try (Context context = Osprey.context(out, new Osprey.Output(), Map.of(), false)) {
            context.eval("osprey", SERVICE);
            Value osprey = context.getBindings("osprey");
            assertEquals(-1, osprey.getMember("serve").execute(osprey.getMember("hello")).asInt());
            assertEquals("httpCreateServer: cannot listen on 127.0.0.1: this context does not allow network access\n", out.text());
        }
    }
}
