package org.osprey.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** websocketConnect and friends, against Osprey servers in other contexts, and the contract's error list. */
class WebSocketClientTest {

    @AfterEach
    void noLibraryThreadsLeft() throws InterruptedException {
        Threads.awaitNone("WebSocket");
    }

    static String seed() throws IOException {
        return Files.readString(Path.of("src/test/resources/seed_chat_example.osp"), StandardCharsets.UTF_8);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * A server's message handler that closes the program's own client, the one that sent the message: the
     * client's close is answered by the server's thread for that connection, which is the handler's own, so
     * websocketClose waiting for the answer ran its 5 s out every time, with the handler (and every other
     * Osprey thread) stuck. From a handler it now sends the close and returns; the close completes after.
     */
    @Test
    void aServerHandlerClosingTheProgramsOwnClientDoesNotWaitForItself() throws Exception {
        String program = """
                        let server = websocketCreateServer(0, "127.0.0.1", "/own") ?: -1
                        mut clientId = 0
                        fn onServerMessage(connection: int, message: string) -> Result<Success, string> = {
                            print("server got ${message}")
                            print("close from the server's handler: ${toString(websocketClose(clientId))}")
                            Success()
                        }
                        websocketServerOnMessage(server, onServerMessage)
                        websocketServerListen(server)
                        let port = websocketServerPort(server) ?: 0
                        clientId = websocketConnect("ws://127.0.0.1:${port}/own", fn(m: string) => Success()) ?: -1
                        print("send: ${toString(websocketSend(clientId, "hello"))}")
                        websocketKeepAlive()
                        """;
        try (RunningProgram p = RunningProgram.start("own_client.osp", program)) {
            p.out().await(l -> l.equals("server got hello"), java.time.Duration.ofSeconds(30));
            // Well under the 5 s close wait (the close itself takes milliseconds).
            String closed = p.out().await(l -> l.startsWith("close from"), java.time.Duration.ofSeconds(3));
            assertEquals("close from the server's handler: Success(())", closed, p.out().text() + p.err().text());
            assertEquals("", p.err().text());
        }
    }

    /**
     * The seeds' complete example (seed 002, 16.5) as two programs: the server is the example's main; the client
     * is its connectToChat with a main that calls it. The text is the seed's, except port 8080, which is
     * replaced by a free port so the test never depends on what else runs on the machine.
     */
    @Test
    void theSeedsExampleRunsAsServerAndClient() throws Exception {
        int port = freePort();
        String seed = seed().replace("8080", Integer.toString(port));
        String client = seed.replace("fn main() -> Int = {", "fn serverMain() -> Int = {") + "\nfn main() -> Int = connectToChat()\n";
        try (RunningProgram server = RunningProgram.start("seed_server.osp", seed)) {
            server.awaitLine("Server listening on ws://127.0.0.1:" + port + "/chat");
            try (RunningProgram c = RunningProgram.start("seed_client.osp", client)) {
                c.join();
                List<String> out = c.out().lines();
                assertTrue(out.get(0).matches("Connected to chat server with ID: \\d+"), out.toString());
                // The server echoes each message; the client's nested handler sees the replies.
                for (String expected : List.of("First message sent", "Second message sent", "Ping sent", "Chat: Hello from Osprey!",
                                "Received message: Hello from Osprey!", "Chat: How is everyone?", "Chat: ping",
                                "Received ping, responding with pong", "Disconnected from chat")) {
                    assertTrue(out.contains(expected), "missing '" + expected + "' in " + out);
                }
                assertEquals("Disconnected from chat", out.get(out.size() - 1));
                assertTrue(out.indexOf("Chat: Hello from Osprey!") < out.indexOf("Chat: How is everyone?"), "messages in order: " + out);
                assertEquals("", c.err().text());
            }
            server.join();
            assertEquals(List.of("Starting WebSocket chat server...", "WebSocket server created with ID: 1",
                            "Server listening on ws://127.0.0.1:" + port + "/chat", "Welcome message broadcasted", "Server stopped successfully"),
                            server.out().lines());
        }
    }

    @Test
    void handlersMayBeNestedFunctionsOrLambdasCapturingVariables() throws Exception {
        String serverProgram = """
                        let id = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/ws") ?: -1
                        websocketServerListen(serverID: id)
                        print("PORT ${websocketServerPort(serverID: id) ?: -1}")
                        websocketKeepAlive()
                        """;
        try (RunningProgram server = RunningProgram.start("echo.osp", serverProgram)) {
            String port = server.awaitLine("PORT ").substring(5);
            String client = """
                            fn run(url: string) -> unit = {
                                mut seen = 0
                                mut lambdaSeen = 0
                                let prefix = "lambda saw"
                                fn nested(m: string) -> Result<Success, string> = {
                                    seen = seen + 1
                                    print("nested saw ${m}")
                                    Success()
                                }
                                let lambda = fn(m: string) => {
                                    lambdaSeen = lambdaSeen + 1
                                    print("${prefix} ${m}")
                                    Success()
                                }
                                // Handlers run while the program waits; give up after 10 s.
                                fn waitForBoth(tries: int) -> unit = match (seen == 0 || lambdaSeen == 0) && tries > 0 {
                                    true => {
                                        sleep(10)
                                        waitForBoth(tries - 1)
                                    }
                                    false => ()
                                }
                                let a = websocketConnect(url: url, messageHandler: nested) ?: -1
                                let b = websocketConnect(url, lambda) ?: -1
                                websocketSend(wsID: a, message: "one")
                                websocketSend(b, "two")
                                waitForBoth(1000)
                                print("seen ${seen}")
                                websocketClose(wsID: a)
                                websocketClose(b)
                                ()
                            }
                            run("ws://127.0.0.1:PORT/ws")
                            """.replace("PORT", port);
            try (RunningProgram c = RunningProgram.start("handlers.osp", client)) {
                c.join();
                List<String> out = c.out().lines();
                // Two connections: each handler sees its own message; the order between connections is not defined.
                assertEquals(java.util.Set.of("nested saw one", "lambda saw two"), java.util.Set.copyOf(out.subList(0, 2)));
                assertEquals("seen 1", out.get(2));
            }
        }
    }

    @Test
    void everyFailureOfTheContractIsAnErrorWithAClearMessage() throws Exception {
        int closedPort = freePort();
        String program = """
                        fn h(m: string) -> Result<Success, string> = Success()
                        print(toString(websocketConnect(url: "ws://127.0.0.1:CLOSED/x", messageHandler: h)))
                        print(toString(websocketConnect(url: "http://example.com/x", messageHandler: h)))
                        print(toString(websocketConnect(url: "ws://", messageHandler: h)))
                        print(toString(websocketConnect(url: "not a url", messageHandler: h)))
                        print(toString(websocketSend(wsID: 42, message: "x")))
                        print(toString(websocketClose(wsID: 42)))
                        print(toString(websocketServerListen(serverID: 42)))
                        print(toString(websocketServerBroadcast(serverID: 42, message: "x")))
                        print(toString(websocketServerSend(serverID: 42, wsID: 1, message: "x")))
                        print(toString(websocketStopServer(serverID: 42)))
                        print(toString(websocketServerPort(serverID: 42)))
                        print(toString(websocketCreateServer(port: -1, address: "127.0.0.1", path: "/")))
                        print(toString(websocketCreateServer(port: 80, address: "127.0.0.1", path: "chat")))
                        print(toString(websocketCreateServer(port: 80, address: "no.such.host.invalid", path: "/")))
                        print(toString(websocketCreateServer(port: 80, address: "", path: "/")))
                        print(toString(websocketCreateServer(port: 80, address: "239.1.2.3", path: "/")))
                        let s = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/p") ?: -1
                        print(toString(websocketServerBroadcast(serverID: s, message: "early")))
                        websocketServerListen(serverID: s)
                        print(toString(websocketServerListen(serverID: s)))
                        let port = websocketServerPort(serverID: s) ?: -1
                        print(toString(websocketConnect(url: "ws://127.0.0.1:${port}/wrong", messageHandler: h)))
                        let c = websocketConnect(url: "ws://127.0.0.1:${port}/p", messageHandler: h) ?: -1
                        websocketClose(wsID: c)
                        print(toString(websocketSend(wsID: c, message: "after close")))
                        websocketStopServer(serverID: s)
                        print(toString(websocketStopServer(serverID: s)))
                        print(toString(websocketServerListen(serverID: s)))
                        """.replace("CLOSED", Integer.toString(closedPort));
        try (RunningProgram p = RunningProgram.start("errors.osp", program)) {
            p.join();
            assertEquals(List.of(
                            "Error(cannot connect to ws://127.0.0.1:" + closedPort + "/x: connection refused (is a server listening there?))",
                            "Error(invalid WebSocket URL 'http://example.com/x': expected ws:// or wss://)",
                            "Error(invalid WebSocket URL 'ws://': expected a host after '//')",
                            "Error(invalid WebSocket URL 'not a url': expected ws:// or wss://)",
                            "Error(no open WebSocket connection with ID 42)",
                            "Error(no open WebSocket connection with ID 42)",
                            "Error(no WebSocket server with ID 42)",
                            "Error(no WebSocket server with ID 42)",
                            "Error(no WebSocket server with ID 42)",
                            "Error(no WebSocket server with ID 42)",
                            "Error(no WebSocket server with ID 42)",
                            "Error(invalid port -1: expected 0 to 65535 (0 picks a free port))",
                            "Error(invalid path 'chat': expected a path starting with '/', e.g. \"/chat\")",
                            "Error(invalid address 'no.such.host.invalid': unknown host (expected an IP address like 127.0.0.1 or a host name))",
                            "Error(invalid address '': expected an IP address or host name to listen on, like 127.0.0.1 (this machine only) or 0.0.0.0 (every interface))",
                            "Error(invalid address '239.1.2.3': a multicast address, which no TCP connection can reach (listen on 127.0.0.1, 0.0.0.0 or an address of this machine))",
                            // IDs count up from 1 over connections and servers; the failed connect above took 1.
                            "Error(WebSocket server 2 is not listening; call websocketServerListen first)",
                            "Error(WebSocket server 2 is already listening on 127.0.0.1:PORT)",
                            "Error(cannot connect to ws://127.0.0.1:PORT/wrong: the server refused the WebSocket upgrade (HTTP/1.1 404 Not Found))",
                            "Error(WebSocket connection 4 is closed)",
                            "Error(WebSocket server 2 is already stopped)",
                            "Error(WebSocket server 2 was stopped; create a new server to listen again)"),
                            p.out().lines().stream().map(l -> l.replaceAll("127\\.0\\.0\\.1:\\d{4,5}/(p|wrong)", "127.0.0.1:PORT/$1")
                                            .replaceAll("listening on 127\\.0\\.0\\.1:\\d+", "listening on 127.0.0.1:PORT")).toList());
        }
    }

    @Test
    void aUrlsBadPortOrHostIsNamedAndItsSchemeMayBeUpperCase() throws Exception {
        String program = """
                        fn h(m: string) -> Result<Success, string> = Success()
                        print(toString(websocketConnect(url: "ws://127.0.0.1:999999/x", messageHandler: h)))
                        print(toString(websocketConnect(url: "ws://127.0.0.1:99999999999999999999/x", messageHandler: h)))
                        print(toString(websocketConnect(url: "ws://256.256.256.256/x", messageHandler: h)))
                        print(toString(websocketConnect(url: "ws://127.0.0.1:0/x", messageHandler: h)))
                        print(toString(websocketConnect(url: "ws://127.0.0.1:/x", messageHandler: h)))
                        print(toString(websocketConnect(url: "ws://127.0.0.1:1/x#part", messageHandler: h)))
                        let s = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/p") ?: -1
                        websocketServerListen(serverID: s)
                        let port = websocketServerPort(serverID: s) ?: -1
                        let c = websocketConnect(url: "WS://127.0.0.1:${port}/p", messageHandler: h)
                        print(match c {
                            Success { value } => "connected"
                            Error { message } => message
                        })
                        websocketStopServer(serverID: s)
                        """;
        try (RunningProgram p = RunningProgram.start("urls.osp", program)) {
            p.join();
            assertEquals(List.of(
                            "Error(invalid WebSocket URL 'ws://127.0.0.1:999999/x': port 999999 is out of range (1 to 65535))",
                            "Error(invalid WebSocket URL 'ws://127.0.0.1:99999999999999999999/x': '127.0.0.1:99999999999999999999' is not a host and port)",
                            "Error(invalid WebSocket URL 'ws://256.256.256.256/x': '256.256.256.256' is not a host and port)",
                            "Error(invalid WebSocket URL 'ws://127.0.0.1:0/x': port 0 is out of range (1 to 65535))",
                            // java.net.URI reads "127.0.0.1:" as the host with no port: it went to port 80
                            "Error(invalid WebSocket URL 'ws://127.0.0.1:/x': no port after the ':' (give one, as in ws://127.0.0.1:8080, or leave out the ':' for the scheme's own))",
                            // RFC 6455 section 3; it connected to /x, the fragment dropped without a word
                            "Error(invalid WebSocket URL 'ws://127.0.0.1:1/x#part': a WebSocket URL cannot have a fragment ('#part'); a '#' in a path or query is written %23)",
                            "connected"),
                            p.out().lines());
        }
    }

    @Test
    void connectionsTheServerEndedAreLetGoAndStillSayHowTheyEnded() throws Exception {
        // Each connection the server ended stayed in the program's table, with its two threads and their buffers
        // (some 10 KB), until websocketClose: a client that reconnects whenever it is dropped grew without end.
        String program = """
                        let s = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/p") ?: -1
                        websocketServerOnMessage(serverID: s, messageHandler: fn(id: int, m: string) -> Result<Success, string> => websocketClose(wsID: id))
                        websocketServerListen(serverID: s)
                        let port = websocketServerPort(serverID: s) ?: -1
                        mut ended = 0
                        fn quiet(m: string) -> Result<Success, string> = Success()
                        fn connectAndBeDropped(n: int, last: int) -> int = n == 0 ? last : {
                            let c = websocketConnect(url: "ws://127.0.0.1:${port}/p", messageHandler: quiet) ?: -1
                            websocketOnClose(wsID: c, handler: fn(how: string) -> Result<Success, string> => {
                                ended = ended + 1
                                Success()
                            })
                            websocketSend(wsID: c, message: "drop me")
                            connectAndBeDropped(n: n - 1, last: c)
                        }
                        let last = connectAndBeDropped(n: 200, last: 0)
                        fn wait(n: int) -> bool = ended == 200 ? true : n == 0 ? false : {
                            sleep(10)
                            wait(n - 1)
                        }
                        print(wait(3000))
                        print(last)
                        print(toString(websocketSend(wsID: last, message: "x")))
                        print(toString(websocketOnClose(wsID: last, handler: fn(how: string) -> Result<Success, string> => Success())))
                        print(toString(websocketClose(wsID: last)))
                        print(toString(websocketClose(wsID: last)))
                        print(readLine() ?: "")
                        """;
        try (RunningProgram p = RunningProgram.start("dropped.osp", program)) {
            p.awaitLine("true");
            String last = p.awaitLine("Error(WebSocket connection ").split(" ")[2];
            p.awaitLine("Error(WebSocket connection " + last + " is closed)");
            // A histogram of live objects begins with a full collection: what it counts is what is still held.
            String histogram = (String) java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                            new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                            new Object[] {new String[0]}, new String[] {String[].class.getName()});
            long held = histogram.lines().filter(l -> l.contains(" org.osprey.websocket.ClientEndpoint "))
                            .mapToLong(l -> Long.parseLong(l.trim().split("\\s+")[1])).sum();
            assertTrue(held < 20, held + " connections that ended are still held");
            p.type("done");
            p.join();
            String how = "WebSocket connection " + last + " was closed by the server with 1000 (closed by the server)";
            assertEquals(List.of("true", last, "Error(" + how + ")", "Error(" + how + ")", "Error(" + how + ")",
                            "Error(WebSocket connection " + last + " is closed)", "done"), p.out().lines());
        }
    }

    @Test
    void aClientHearsOnceWhenTheServerEndsItsConnection() throws Exception {
        String program = """
                        let s = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/p") ?: -1
                        websocketServerListen(serverID: s)
                        let port = websocketServerPort(serverID: s) ?: -1
                        mut ended = 0
                        fn quiet(m: string) -> Result<Success, string> = Success()
                        let c = websocketConnect(url: "ws://127.0.0.1:${port}/p", messageHandler: quiet) ?: -1
                        let closer = websocketConnect(url: "ws://127.0.0.1:${port}/p", messageHandler: quiet) ?: -1
                        fn heard(how: string) -> Result<Success, string> = {
                            print("ended: ${how}")
                            ended = ended + 1
                            Success()
                        }
                        print(c)
                        print(toString(websocketOnClose(wsID: c, handler: heard)))
                        print(toString(websocketOnClose(wsID: closer, handler: heard)))
                        websocketClose(closer)
                        websocketStopServer(serverID: s)
                        fn wait(n: int) -> bool = ended > 0 ? true : n == 0 ? false : {
                            sleep(10)
                            wait(n - 1)
                        }
                        print(wait(1000))
                        print(toString(websocketOnClose(wsID: c, handler: heard)))
                        print(toString(websocketOnClose(wsID: 99, handler: heard)))
                        print(ended)
                        """;
        try (RunningProgram p = RunningProgram.start("onclose.osp", program)) {
            p.join();
            List<String> out = p.out().lines();
            String c = out.get(0);
            // The connection the program closed itself is not reported; the one the server ended is, once.
            assertEquals(List.of(c, "Success(())", "Success(())", "ended: WebSocket connection " + c + " was closed by the server with 1001 (server stopped)",
                            "true", "Error(WebSocket connection " + c + " was closed by the server with 1001 (server stopped))",
                            "Error(no open WebSocket connection with ID 99)", "1"), out);
            assertEquals("", p.err().text());
        }
    }

    @Test
    void aHandlerClosesItsOwnConnectionWithoutWaiting() throws Exception {
        // The handler runs on the thread that reads the connection, the only one that can read the server's
        // close frame: websocketClose waiting for it there ran its 5 s out and dropped the connection.
        String program = """
                        let s = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/p") ?: -1
                        websocketServerListen(serverID: s)
                        mut left = ""
                        mut opened = false
                        websocketServerOnOpen(serverID: s, handler: fn(id: int) -> Result<Success, string> => {
                            opened = true
                            Success()
                        })
                        websocketServerOnClose(serverID: s, handler: fn(id: int) -> Result<Success, string> => {
                            left = "the client left"
                            Success()
                        })
                        mut client = -1
                        fn bye(m: string) -> Result<Success, string> = {
                            print("got ${m}; close: ${toString(websocketClose(client))}")
                            Success()
                        }
                        client = websocketConnect(url: "ws://127.0.0.1:${websocketServerPort(serverID: s) ?: -1}/p", messageHandler: bye) ?: -1
                        // Waits for the open handler (written when a broadcast right after the connect could miss the client, before 8e6c5ea).
                        fn untilOpen(n: int) -> unit = match opened || n == 0 {
                            true => ()
                            false => {
                                sleep(5)
                                untilOpen(n - 1)
                            }
                        }
                        untilOpen(1000)
                        websocketServerBroadcast(serverID: s, message: "bye")
                        fn wait(n: int) -> string = left != "" || n == 0 ? left : {
                            sleep(10)
                            wait(n - 1)
                        }
                        print(wait(1000))
                        print(toString(websocketSend(wsID: client, message: "more")))
                        """;
        long start = System.nanoTime();
        try (RunningProgram p = RunningProgram.start("selfclose.osp", program)) {
            p.join();
            assertEquals(List.of("got bye; close: Success(())", "the client left", "Error(WebSocket connection 2 is closed)"), p.out().lines());
            assertEquals("", p.err().text());
        }
        long millis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 4500, "the program took " + millis + " ms: the close waited for its own thread");
    }

    @Test
    void closingStopsAMessageHandlerStillRunningOnTheConnection() throws Exception {
        // The handler runs on the thread that must read the server's close frame: websocketClose waited its 5 s
        // out, dropped the connection, and the handler ran on after websocketClose had returned.
        String program = """
                        let s = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/p") ?: -1
                        websocketServerOnOpen(serverID: s, handler: fn(conn: int) -> Result<Success, string> => websocketServerSend(serverID: s, wsID: conn, message: "sleep"))
                        websocketServerListen(serverID: s)
                        mut sleeping = false
                        fn slow(m: string) -> Result<Success, string> = {
                            sleeping = true
                            print("handler: sleeping")
                            sleep(600000)
                            print("handler: woke up")
                            Success()
                        }
                        fn waitUntilSleeping() -> unit = match sleeping {
                            true => ()
                            false => {
                                sleep(10)
                                waitUntilSleeping()
                            }
                        }
                        let c = websocketConnect(url: "ws://127.0.0.1:${websocketServerPort(serverID: s) ?: -1}/p", messageHandler: slow) ?: -1
                        waitUntilSleeping()
                        print("close: ${toString(websocketClose(wsID: c))}")
                        print("line: ${readLine() ?: "none"}")
                        """;
        try (RunningProgram p = RunningProgram.start("close_while_sleeping.osp", program)) {
            p.awaitLine("handler: sleeping");
            long start = System.nanoTime();
            p.awaitLine("close: ");
            long millis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 4500, "websocketClose took " + millis + " ms: it waited for the handler's thread");
            assertEquals(List.of(), Threads.named("WebSocketConnectReadThread"), "the connection's thread is still running");
            p.type("go on");
            p.join();
            assertEquals(List.of("handler: sleeping", "close: Success(())", "line: go on"), p.out().lines());
            assertEquals("", p.err().text());
        }
    }

    @Test
    void aPathBeyondAsciiIsReachedByTheUrlThatNamesIt() throws Exception {
        // The server compared the request's path, which clients send as %XX escapes, with the text it was given.
        String program = """
                        fn h(m: string) -> Result<Success, string> = Success()
                        let s = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/ü/日本") ?: -1
                        websocketServerListen(serverID: s)
                        let port = websocketServerPort(serverID: s) ?: -1
                        print(toString(websocketConnect(url: "ws://127.0.0.1:${port}/ü/日本", messageHandler: h)))
                        print(toString(websocketConnect(url: "ws://127.0.0.1:${port}/%C3%BC/%E6%97%A5%E6%9C%AC", messageHandler: h)))
                        print(toString(websocketConnect(url: "ws://127.0.0.1:${port}/u", messageHandler: h)))
                        """;
        try (RunningProgram p = RunningProgram.start("unicode_path.osp", program)) {
            p.join();
            List<String> out = p.out().lines();
            assertTrue(out.get(0).startsWith("Success("), out.get(0)); // IDs count servers' connections too
            assertTrue(out.get(1).startsWith("Success("), out.get(1));
            assertTrue(out.get(2).endsWith("/u: the server refused the WebSocket upgrade (HTTP/1.1 404 Not Found))"), out.get(2));
        }
    }

    @Test
    void withoutWebSocketsAProgramUsingThemIsRejectedBeforeItRuns() {
        for (String option : List.of("osprey.NoWebSocket", "osprey.Sandbox")) {
            try (Context c = Context.newBuilder("osprey").option(option, "true").option("engine.WarnInterpreterOnly", "false").build()) {
                c.eval("osprey", "print(\"before\")\nlet r = websocketCreateServer(port: 0, address: \"127.0.0.1\", path: \"/\")\n");
                throw new AssertionError("must be rejected");
            } catch (PolyglotException e) {
                assertTrue(e.isSyntaxError(), e.getMessage());
                assertTrue(e.getMessage().contains("'websocketCreateServer' is not available: websocket functions are disabled"), e.getMessage());
            }
        }
    }

    @Test
    void settingsAreCheckedWhenTheContextIsMadeBeforeAnythingRuns() {
        Map<String, String> bad = Map.of(
                        "osprey.Plugin.websocket.MaxMessageSize", "invalid setting osprey.Plugin.websocket.MaxMessageSize=lots: it takes a whole number from 1 to 2147483647",
                        "osprey.Plugin.websocket.MaxMesageSize", "unknown setting osprey.Plugin.websocket.MaxMesageSize (did you mean MaxMessageSize?); the websocket"
                                        + " module's settings are AllowedOrigins, ConnectTimeout, ConnectionLostTimeout, HandshakeTimeout, MaxHandshakeSize,"
                                        + " MaxMessageSize, MaxUnsentBytes, Subprotocols",
                        "osprey.Plugin.websockets.MaxMessageSize", "unknown setting osprey.Plugin.websockets.MaxMessageSize: the only module with"
                                        + " settings is websocket (osprey.Plugin.<module>.<setting>)");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (Context c = Context.newBuilder("osprey").option(b.getKey(), "lots").option("engine.WarnInterpreterOnly", "false").out(out).build()) {
                PolyglotException e = assertThrows(PolyglotException.class, () -> c.eval("osprey", "print(\"ran\")"));
                assertTrue(e.isGuestException(), e.getMessage());
                assertEquals(b.getValue(), e.getMessage());
            }
            assertEquals("", out.toString(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context c = Context.newBuilder("osprey").option("osprey.Plugin.websocket.MaxMessageSize", "65536")
                        .option("osprey.Plugin.websocket.AllowedOrigins", "https://a.example, https://b.example")
                        .option("engine.WarnInterpreterOnly", "false").out(out).build()) {
            c.eval("osprey", "print(\"ran\")");
        }
        assertEquals("ran\n", out.toString(StandardCharsets.UTF_8));
    }
}
