package org.osprey.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osprey.websocket.RawSocket.CLOSE;
import static org.osprey.websocket.RawSocket.TEXT;
import static org.osprey.websocket.RawSocket.b0;
import static org.osprey.websocket.RawSocket.frame;
import static org.osprey.websocket.RawSocket.header;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, client side: websocketConnect against fake servers written from raw bytes that answer with a
 * wrong Sec-WebSocket-Accept, masked frames, invalid UTF-8 or a message over the limit. The program gets an
 * Error saying why, the fake server sees the right close code, and the same program's next connection, to a
 * well-behaved server, works.
 */
class ClientProtocolAbuseTest {

    @AfterEach
    void noLibraryThreadsLeft() throws InterruptedException {
        Threads.awaitNone("WebSocket");
    }

    /** What a fake server does once it has read the client's upgrade request. */
    interface Script {
        /** Returns the close code the client sent, or 0 when the script does not wait for one. */
        int run(RawSocket peer, String key) throws Exception;
    }

    /** A server for one connection, running a script on its own thread. */
    static final class FakeServer implements AutoCloseable {
        final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        final CompletableFuture<Integer> result = new CompletableFuture<>();
        /** The client's upgrade request, request line and headers. */
        volatile String request;
        private final Thread thread;

        FakeServer(Script script) throws Exception {
            thread = new Thread(() -> {
                try (RawSocket peer = new RawSocket(listener.accept())) {
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        int b = peer.in.read();
                        if (b < 0) {
                            throw new java.io.EOFException();
                        }
                        head.append((char) b);
                    }
                    request = head.toString();
                    String key = head.toString().lines().filter(l -> l.toLowerCase().startsWith("sec-websocket-key:"))
                                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElseThrow();
                    result.complete(script.run(peer, key));
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            }, "fake-server");
            thread.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            listener.close();
            thread.join(10_000);
        }
    }

    static String upgradeResponse(String accept) {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n";
    }

    /** Upgrades properly, waits for the client's first message, sends {@code bad}, and returns the client's close code. */
    static Script after(byte[] bad) {
        return (peer, key) -> {
            peer.send(upgradeResponse(StrictDraft.acceptFor(key)));
            RawSocket.Frame hello = peer.readFrame();
            assertTrue(hello.masked(), "a client masks its frames");
            assertEquals("hello", hello.text());
            peer.send(bad);
            int code = peer.awaitCloseCode();
            peer.send(frame(b0(true, 0, CLOSE), RawSocket.closePayload(code, new byte[0]), false));
            return code;
        };
    }

    /**
     * Connects to the fake server, sends "hello", then sends until an Error comes and closes; then connects to a
     * server of its own and prints its echo.
     */
    static String program(int port) {
        return """
                        mut echoed = ""
                        fn show(m: string) -> Result<Success, string> = {
                            echoed = m
                            Success()
                        }
                        fn waitForError(id: int, tries: int) -> string = match websocketSend(wsID: id, message: "again") {
                            Success _ => match tries > 0 {
                                true => {
                                    sleep(10)
                                    waitForError(id: id, tries: tries - 1)
                                }
                                false => "no error"
                            }
                            Error { message } => message
                        }
                        fn waitForEcho(tries: int) -> string = match echoed == "" && tries > 0 {
                            true => {
                                sleep(10)
                                waitForEcho(tries - 1)
                            }
                            false => echoed
                        }
                        fn main() -> int = {
                            match websocketConnect(url: "ws://127.0.0.1:PORT/fake", messageHandler: show) {
                                Success { value } => {
                                    websocketSend(wsID: value, message: "hello")
                                    print("send: ${waitForError(id: value, tries: 1000)}")
                                    print("close: ${toString(websocketClose(wsID: value))}")
                                }
                                Error { message } => print("connect: ${message}")
                            }
                            let s = websocketCreateServer(port: 0, address: "127.0.0.1", path: "/echo") ?: -1
                            websocketServerListen(serverID: s)
                            let good = websocketConnect(url: "ws://127.0.0.1:${websocketServerPort(serverID: s) ?: -1}/echo", messageHandler: show) ?: -1
                            websocketSend(wsID: good, message: "still served")
                            print("echo: ${waitForEcho(1000)}")
                            0
                        }
                        """.replace("PORT", Integer.toString(port));
    }

    static List<String> run(FakeServer server, Map<String, String> options) throws Exception {
        try (RunningProgram p = new RunningProgram("client.osp", program(server.port()), options)) {
            p.join();
            assertEquals("", p.err().text());
            return p.out().lines();
        }
    }

    @Test
    void aWrongSecWebSocketAcceptIsRefused() throws Exception {
        try (FakeServer server = new FakeServer((peer, key) -> {
            peer.send(upgradeResponse(StrictDraft.acceptFor(RawSocket.newKey())));
            assertTrue(peer.awaitEnd(), "the client drops the connection");
            return 0;
        })) {
            assertEquals(List.of("connect: cannot connect to ws://127.0.0.1:" + server.port()
                            + "/fake: the server's Sec-WebSocket-Accept does not match the key that was sent", "echo: still served"),
                            run(server, Map.of()));
            assertEquals(0, server.result.get(10, TimeUnit.SECONDS));
        }
    }

    /**
     * An answer to the upgrade request that is not an HTTP/1.1 response (another service on the port, a broken
     * proxy) is named as such. The first read as "the server closed the connection (1002)": the code was this
     * end's own, from an exception of the library's that has no message.
     */
    @Test
    void anAnswerThatIsNotAnHttpResponseIsNamedAsSuch() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("SSH-2.0-OpenSSH_9.6\r\n\r\n", "the server's answer to the WebSocket upgrade is not an HTTP response");
        cases.put("HTTP/1.0 101 Switching Protocols\r\n\r\n", "the server's answer to the WebSocket upgrade is not an HTTP/1.1 response ('HTTP/1.0 101 Switching Protocols')");
        cases.put("HTTP/1.1 101 Switching Protocols\r\nUpgrade websocket\r\n\r\n", "the server's answer to the WebSocket upgrade has a header line without ':'");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            try (FakeServer server = new FakeServer((peer, key) -> {
                peer.send(c.getKey());
                assertTrue(peer.awaitEnd(), "the client drops the connection");
                return 0;
            })) {
                assertEquals(List.of("connect: cannot connect to ws://127.0.0.1:" + server.port() + "/fake: " + c.getValue(), "echo: still served"),
                                run(server, Map.of()));
                assertEquals(0, server.result.get(10, TimeUnit.SECONDS));
            }
        }
    }

    /**
     * RFC 6455 4.1: a response naming an extension or a subprotocol the client did not ask for fails the
     * connection. websocketConnect took both (and then closed with 1002 on the first compressed frame).
     */
    @Test
    void anExtensionOrSubprotocolNotAskedForIsRefused() throws Exception {
        Map<String, String> cases = Map.of(
                        "Sec-WebSocket-Extensions: permessage-deflate", "an extension that was not asked for ('permessage-deflate')",
                        "Sec-WebSocket-Protocol: chat", "a subprotocol that was not asked for ('chat')");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            try (FakeServer server = new FakeServer((peer, key) -> {
                peer.send(upgradeResponse(StrictDraft.acceptFor(key)).replace("\r\n\r\n", "\r\n" + c.getKey() + "\r\n\r\n"));
                assertTrue(peer.awaitEnd(), "the client drops the connection");
                return 0;
            })) {
                assertEquals(List.of("connect: cannot connect to ws://127.0.0.1:" + server.port()
                                + "/fake: the server's handshake response names " + c.getValue(), "echo: still served"),
                                run(server, Map.of()));
                assertEquals(0, server.result.get(10, TimeUnit.SECONDS));
            }
        }
    }

    /**
     * A URL with a user name and password sends them as Basic credentials (as node's ws and curl do), decoded
     * from the URL's escapes and in UTF-8; the library ignored them, so a server that asks for them refused
     * the program with no way to give them. A URL without them sends no Authorization header.
     */
    @Test
    void theUserNameAndPasswordOfTheUrlAreSentAsBasicCredentials() throws Exception {
        byte[] close = frame(b0(true, 0, CLOSE), RawSocket.closePayload(1000, new byte[0]), false);
        Script closes = (peer, key) -> {
            peer.send(upgradeResponse(StrictDraft.acceptFor(key)));
            int code = peer.awaitCloseCode();
            peer.send(close);
            return code;
        };
        for (String[] c : new String[][] {{"ada:s%20cr%C3%A9t@", "ada:s cr\u00e9t"}, {"token@", "token:"}, {"", null}}) {
            try (FakeServer server = new FakeServer(closes);
                            RunningProgram p = new RunningProgram("credentials.osp", """
                                            match websocketConnect(url: "ws://USER127.0.0.1:PORT/private", messageHandler: fn(m: string) => Success()) {
                                                Success { value } => print("close: ${toString(websocketClose(wsID: value))}")
                                                Error { message } => print("connect: ${message}")
                                            }
                                            """.replace("USER", c[0]).replace("PORT", Integer.toString(server.port())), Map.of())) {
                p.join();
                assertEquals(List.of("close: Success(())"), p.out().lines(), p.err().text());
                assertEquals(1000, server.result.get(10, TimeUnit.SECONDS));
                String sent = server.request.lines().filter(l -> l.toLowerCase().startsWith("authorization:")).findFirst().orElse(null);
                assertEquals(c[1] == null ? null : "Authorization: Basic "
                                + java.util.Base64.getEncoder().encodeToString(c[1].getBytes(StandardCharsets.UTF_8)), sent, c[0]);
            }
        }
    }

    /** With --websocket-subprotocols, websocketConnect offers them and takes an answer naming one of them. */
    @Test
    void theSubprotocolsOfTheSettingAreOfferedAndOneOfThemAccepted() throws Exception {
        Map<String, String> options = Map.of("osprey.Plugin.websocket.Subprotocols", "chat, v2.chat");
        byte[] close = frame(b0(true, 0, CLOSE), RawSocket.closePayload(1000, new byte[0]), false);
        try (FakeServer server = new FakeServer((peer, key) -> {
            peer.send(upgradeResponse(StrictDraft.acceptFor(key)).replace("\r\n\r\n", "\r\nSec-WebSocket-Protocol: v2.chat\r\n\r\n"));
            assertEquals("hello", peer.readFrame().text());
            peer.send(close);
            int code = peer.awaitCloseCode();
            peer.send(close);
            return code;
        })) {
            List<String> out = run(server, options);
            assertEquals(1000, server.result.get(10, TimeUnit.SECONDS), "the connection opened and was closed by its server");
            assertTrue(server.request.contains("\r\nSec-WebSocket-Protocol: chat, v2.chat\r\n"), server.request);
            assertEquals("echo: still served", out.get(out.size() - 1));
        }
        try (FakeServer server = new FakeServer((peer, key) -> {
            peer.send(upgradeResponse(StrictDraft.acceptFor(key)).replace("\r\n\r\n", "\r\nSec-WebSocket-Protocol: v3\r\n\r\n"));
            assertTrue(peer.awaitEnd(), "the client drops the connection");
            return 0;
        })) {
            assertEquals(List.of("connect: cannot connect to ws://127.0.0.1:" + server.port()
                            + "/fake: the server's handshake response names a subprotocol that was not asked for ('v3')", "echo: still served"),
                            run(server, options));
        }
    }

    @Test
    void aMaskedFrameFromTheServerClosesTheConnectionWith1002() throws Exception {
        try (FakeServer server = new FakeServer(after(frame(b0(true, 0, TEXT), RawSocket.utf8("masked"), true)))) {
            String why = "WebSocket connection 1 was closed with 1002 (frame from the server is masked)";
            assertEquals(List.of("send: " + why, "close: Error(" + why + ")", "echo: still served"), run(server, Map.of()));
            assertEquals(1002, server.result.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void invalidUtf8FromTheServerClosesTheConnectionWith1007() throws Exception {
        try (FakeServer server = new FakeServer(after(frame(b0(true, 0, TEXT), new byte[] { 'o', 'k', (byte) 0xc3, 0x28 }, false)))) {
            String why = "WebSocket connection 1 was closed with 1007 (message is not valid UTF-8)";
            assertEquals(List.of("send: " + why, "close: Error(" + why + ")", "echo: still served"), run(server, Map.of()));
            assertEquals(1007, server.result.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aMessageOverTheLimitFromTheServerClosesTheConnectionWith1009() throws Exception {
        // Only the header of a 5000-byte message: the client decides from the length field.
        try (FakeServer server = new FakeServer(after(header(b0(true, 0, TEXT), 5000, false, new byte[0])))) {
            String why = "WebSocket connection 1 was closed with 1009 (message larger than 1000 bytes)";
            assertEquals(List.of("send: " + why, "close: Error(" + why + ")", "echo: still served"),
                            run(server, Map.of("osprey.Plugin.websocket.MaxMessageSize", "1000")));
            assertEquals(1009, server.result.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aCloseFrameWithoutACodeIsReportedAs1005() throws Exception {
        try (FakeServer server = new FakeServer(after(frame(b0(true, 0, CLOSE), new byte[0], false)))) {
            String why = "WebSocket connection 1 was closed by the server without a close code (1005)";
            assertEquals(List.of("send: " + why, "close: Error(" + why + ")", "echo: still served"), run(server, Map.of()));
            assertEquals(1000, server.result.get(10, TimeUnit.SECONDS), "the answer (RFC 6455 5.5.1 lets it have a code)");
        }
    }

    /**
     * A server that ends the TCP connection without a close frame (node's ws server calling terminate(), a
     * server process that dies): the program was told only that the connection "was lost".
     */
    @Test
    void aServerThatEndsTheConnectionWithoutACloseFrameLosesItAndSaysSo() throws Exception {
        try (FakeServer server = new FakeServer((peer, key) -> {
            peer.send(upgradeResponse(StrictDraft.acceptFor(key)));
            assertEquals("hello", peer.readFrame().text());
            return 0; // the socket is closed on return
        })) {
            String why = "WebSocket connection 1 was lost (the TCP connection ended without a close frame)";
            assertEquals(List.of("send: " + why, "close: Error(" + why + ")", "echo: still served"), run(server, Map.of()));
        }
    }

    /**
     * A server whose first frame breaks the protocol in the same read as its upgrade response: the connection
     * did open (its handler may have run), so websocketConnect gives its ID and the next send says how it ended.
     * It said "cannot connect ...: message is not valid UTF-8" though the upgrade had succeeded.
     */
    @Test
    void aBadFrameInTheSameReadAsTheUpgradeEndsAnOpenConnection() throws Exception {
        try (FakeServer server = new FakeServer((peer, key) -> {
            byte[] upgrade = upgradeResponse(StrictDraft.acceptFor(key)).getBytes(StandardCharsets.ISO_8859_1);
            byte[] bad = frame(b0(true, 0, TEXT), new byte[] {'o', 'k', (byte) 0xc3, 0x28}, false);
            byte[] both = java.util.Arrays.copyOf(upgrade, upgrade.length + bad.length);
            System.arraycopy(bad, 0, both, upgrade.length, bad.length);
            peer.send(both);
            int code = peer.awaitCloseCode();
            peer.send(frame(b0(true, 0, CLOSE), RawSocket.closePayload(code, new byte[0]), false));
            return code;
        })) {
            String why = "WebSocket connection 1 was closed with 1007 (message is not valid UTF-8)";
            assertEquals(List.of("send: " + why, "close: Error(" + why + ")", "echo: still served"), run(server, Map.of()));
            assertEquals(1007, server.result.get(10, TimeUnit.SECONDS));
        }
    }

    /**
     * RFC 6455 1.4: after a close frame a peer discards any further data. A server that sends a message behind
     * its close frame, in the same TCP segment: the message handler was called with it, after the close.
     */
    @Test
    void aMessageBehindTheServersCloseFrameIsDiscarded() throws Exception {
        try (FakeServer server = new FakeServer((peer, key) -> {
            peer.send(upgradeResponse(StrictDraft.acceptFor(key)));
            assertEquals("hello", peer.readFrame().text());
            byte[] before = frame(b0(true, 0, TEXT), RawSocket.utf8("before"), false);
            byte[] close = frame(b0(true, 0, CLOSE), RawSocket.closePayload(1000, RawSocket.utf8("bye")), false);
            byte[] after = frame(b0(true, 0, TEXT), RawSocket.utf8("after the close"), false);
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            all.write(before);
            all.write(close);
            all.write(after);
            peer.send(all.toByteArray());
            return peer.awaitCloseCode();
        });
                        RunningProgram p = new RunningProgram("after_close.osp", """
                                        mut got: List<string> = []
                                        mut ending = ""
                                        fn h(m: string) -> Result<Success, string> = {
                                            got = got + [m]
                                            Success()
                                        }
                                        fn waitForEnd(tries: int) -> string = match ending == "" && tries > 0 {
                                            true => {
                                                sleep(10)
                                                waitForEnd(tries - 1)
                                            }
                                            false => ending
                                        }
                                        fn main() -> int = match websocketConnect(url: "ws://127.0.0.1:PORT/x", messageHandler: h) {
                                            Success { value } => {
                                                websocketOnClose(wsID: value, handler: fn(how: string) -> Result<Success, string> => {
                                                    ending = how
                                                    Success()
                                                })
                                                websocketSend(wsID: value, message: "hello")
                                                // The close handler runs on the read thread once the whole read is handled.
                                                print(waitForEnd(3000))
                                                print(got)
                                                0
                                            }
                                            Error { message } => {
                                                print(message)
                                                1
                                            }
                                        }
                                        """.replace("PORT", Integer.toString(server.port())), Map.of())) {
            p.join();
            assertEquals(List.of("WebSocket connection 1 was closed by the server with 1000 (bye)", "[\"before\"]"), p.out().lines());
            assertEquals(1000, server.result.get(10, TimeUnit.SECONDS), "the client answers the close");
        }
    }

    @Test
    void aServerThatNeverAnswersTheUpgradeIsATimeout() throws Exception {
        // The fake server reads the upgrade request and says nothing until the client gives up.
        try (FakeServer server = new FakeServer((peer, key) -> {
            int b;
            do {
                b = peer.in.read();
            } while (b >= 0);
            return 0;
        });
                        RunningProgram p = new RunningProgram("silent.osp", """
                                        fn h(m: string) -> Result<Success, string> = Success()
                                        print(toString(websocketConnect(url: "ws://127.0.0.1:PORT/x", messageHandler: h)))
                                        """.replace("PORT", Integer.toString(server.port())),
                                        java.util.Map.of("osprey.Plugin.websocket.ConnectTimeout", "1"))) {
            p.join();
            assertEquals(java.util.List.of("Error(cannot connect to ws://127.0.0.1:" + server.port()
                            + "/x: no answer to the WebSocket handshake within 1 s)"), p.out().lines());
        }
    }

    /**
     * An embedder cancels the program (Context.close(true)) while websocketConnect waits for a server that never
     * answers the upgrade. Found by the embedding QA pass: the cancelled connect left its socket open and the
     * library's read and write threads running for as long as the JVM ran (its wait for the close was cut short
     * by the cancel's interrupt, and nothing dropped the connection). Now the connection is dropped: the server
     * sees the socket end, and no thread is left (the AfterEach check).
     */
    @Test
    void aConnectCancelledWhileTheServerIsSilentLeavesNoSocketOrThread() throws Exception {
        java.util.concurrent.CountDownLatch requested = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch dropped = new java.util.concurrent.CountDownLatch(1);
        try (FakeServer server = new FakeServer((peer, key) -> {
            requested.countDown();
            while (peer.in.read() >= 0) {
                // says nothing; waits for the client to give up
            }
            dropped.countDown();
            return 0;
        })) {
            RunningProgram p = new RunningProgram("cancelled.osp", """
                            fn h(m: string) -> Result<Success, string> = Success()
                            print(toString(websocketConnect(url: "ws://127.0.0.1:PORT/x", messageHandler: h)))
                            """.replace("PORT", Integer.toString(server.port())), Map.of());
            assertTrue(requested.await(30, TimeUnit.SECONDS), "no upgrade request came");
            p.close(); // cancels the program in its websocketConnect
            assertTrue(dropped.await(10, TimeUnit.SECONDS), "the cancelled connection's socket was left open");
            assertEquals(List.of(), p.out().lines());
        }
    }

    @Test
    void connectionsToAServerThatNeverClosesEndTogetherWhenTheProgramEnds() throws Exception {
        // The server upgrades three connections and then reads nothing: no close frame ever comes back. Each
        // closing connection waits 5 s for one; they used to wait in turn (15 s here), now at the same time.
        java.util.List<java.net.Socket> held = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        java.net.Socket s = listener.accept();
                        held.add(s);
                        RawSocket peer = new RawSocket(s);
                        StringBuilder head = new StringBuilder();
                        while (!head.toString().endsWith("\r\n\r\n")) {
                            head.append((char) peer.in.read());
                        }
                        String key = head.toString().lines().filter(l -> l.toLowerCase().startsWith("sec-websocket-key:"))
                                        .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElseThrow();
                        peer.send(upgradeResponse(StrictDraft.acceptFor(key)));
                    }
                } catch (java.io.IOException e) {
                    // the listener was closed: the test is over
                }
            }, "deaf-server");
            acceptor.start();
            long start = System.nanoTime();
            try (RunningProgram p = new RunningProgram("many.osp", """
                            fn h(m: string) -> Result<Success, string> = Success()
                            fn c() -> int = websocketConnect(url: "ws://127.0.0.1:PORT/x", messageHandler: h) ?: -1
                            print("${c()} ${c()} ${c()}")
                            """.replace("PORT", Integer.toString(listener.getLocalPort())), Map.of())) {
                p.join();
                assertEquals(List.of("1 2 3"), p.out().lines());
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(seconds < 12, "the program took " + seconds + " s to end");
        } finally {
            for (java.net.Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aConnectionLostToThePingTimeoutCallsItsCloseHandler() throws Exception {
        // The server upgrades and then never answers a ping. The library closes the connection on its timer
        // thread, which it interrupts first: the close handler then could not run (and the reason was the
        // library's own sentence with a link to its wiki).
        try (FakeServer server = new FakeServer((peer, key) -> {
            peer.send(upgradeResponse(StrictDraft.acceptFor(key)));
            assertTrue(peer.awaitEnd(), "the client drops the connection");
            return 0;
        });
                        RunningProgram p = new RunningProgram("lost.osp", """
                                        mut ending = ""
                                        fn h(m: string) -> Result<Success, string> = Success()
                                        fn onEnd(how: string) -> Result<Success, string> = {
                                            ending = how
                                            Success()
                                        }
                                        fn waitForEnd(tries: int) -> string = match ending == "" && tries > 0 {
                                            true => {
                                                sleep(20)
                                                waitForEnd(tries - 1)
                                            }
                                            false => ending
                                        }
                                        fn main() -> int = match websocketConnect(url: "ws://127.0.0.1:PORT/x", messageHandler: h) {
                                            Success { value } => {
                                                websocketOnClose(wsID: value, handler: onEnd)
                                                print(waitForEnd(1500))
                                                0
                                            }
                                            Error { message } => {
                                                print(message)
                                                1
                                            }
                                        }
                                        """.replace("PORT", Integer.toString(server.port())),
                                        Map.of("osprey.Plugin.websocket.ConnectionLostTimeout", "1"))) {
            p.join();
            assertEquals(List.of("WebSocket connection 1 was lost (no answer to pings in time)"), p.out().lines());
        }
    }

    /**
     * Ctrl-C (a cancel) while websocketClose waits for a server that never answers the close: the program
     * ends there, and the connection is dropped. The wait ended, websocketClose returned Success and the
     * statements after it ran before the cancel took effect, and the socket was left open.
     */
    @Test
    void aCancelDuringTheCloseWaitEndsTheProgramThere() throws Exception {
        java.util.concurrent.CountDownLatch closeSent = new java.util.concurrent.CountDownLatch(1);
        try (FakeServer server = new FakeServer((peer, key) -> {
            peer.send(upgradeResponse(StrictDraft.acceptFor(key)));
            int code = peer.awaitCloseCode();
            closeSent.countDown();
            // Never answers; the cancel must drop the connection (it stayed open until the process ended).
            return peer.awaitEnd() ? code : -1;
        })) {
            RunningProgram p = new RunningProgram("close_wait.osp", """
                            let c = websocketConnect(url: "ws://127.0.0.1:PORT/x", messageHandler: fn(m: string) => Success()) ?: -1
                            print("closing")
                            print("close: ${toString(websocketClose(wsID: c))}")
                            print("after the close")
                            """.replace("PORT", Integer.toString(server.port())), Map.of());
            try (p) {
                assertTrue(closeSent.await(30, TimeUnit.SECONDS), "no close frame came");
            }
            assertEquals(List.of("closing"), p.out().lines());
            assertEquals(1000, server.result.get(10, TimeUnit.SECONDS));
        }
    }
}
