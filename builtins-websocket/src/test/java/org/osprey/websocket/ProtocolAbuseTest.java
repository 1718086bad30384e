package org.osprey.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.osprey.websocket.RawSocket.BINARY;
import static org.osprey.websocket.RawSocket.CLOSE;
import static org.osprey.websocket.RawSocket.PING;
import static org.osprey.websocket.RawSocket.PONG;
import static org.osprey.websocket.RawSocket.TEXT;
import static org.osprey.websocket.RawSocket.b0;
import static org.osprey.websocket.RawSocket.closePayload;
import static org.osprey.websocket.RawSocket.frame;
import static org.osprey.websocket.RawSocket.header;
import static org.osprey.websocket.RawSocket.utf8;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, server side: an Osprey WebSocket server against clients written from raw bytes that break the
 * rules of RFC 6455 on purpose. One test per promise of the issue; in each, a well-behaved client (the
 * JDK's) connected to the same server keeps getting its echoes within {@link #ECHO_BOUND_MILLIS}.
 */
class ProtocolAbuseTest {
    /** "Within milliseconds", with room for a loaded two-core build machine. */
    static final long ECHO_BOUND_MILLIS = 1000;

    @AfterEach
    void noLibraryThreadsLeft() throws InterruptedException {
        Threads.awaitNone("WebSocket");
    }

    static RunningProgram echoServer(Map<String, String> options) {
        return new RunningProgram("echo.osp", WebSocketServerTest.server("fn configure(id: int) -> unit = ()"), options);
    }

    static JdkClient wellBehaved(int port) throws Exception {
        JdkClient c = JdkClient.connect("ws://127.0.0.1:" + port + "/chat");
        assertServed(c);
        return c;
    }

    /** The well-behaved client's message comes back, within the bound; other messages it gets are skipped. */
    static void assertServed(JdkClient c) throws Exception {
        String probe = "probe " + System.nanoTime();
        long t0 = System.nanoTime();
        if (c.closeCode.isDone()) {
            fail("the well-behaved client's connection was closed: " + c.closeCode.get());
        }
        c.send(probe);
        while (true) {
            long left = ECHO_BOUND_MILLIS - (System.nanoTime() - t0) / 1_000_000;
            String m = c.messages.poll(Math.max(left, 0), TimeUnit.MILLISECONDS);
            if (m == null) {
                fail("the well-behaved client got no echo within " + ECHO_BOUND_MILLIS + " ms");
            }
            if (m.equals(probe)) {
                return;
            }
        }
    }

    static RawSocket.Response refusal(int port, String request) throws IOException {
        try (RawSocket r = RawSocket.connect(port)) {
            r.send(request);
            RawSocket.Response response = r.readResponse();
            assertTrue(r.awaitEnd(), "the server closes a refused connection");
            return response;
        }
    }

    // ---------------------------------------------------------------- handshake

    @Test
    void upgradeRequestsWithABadKeyOrWithoutTheUpgradeHeadersGet400() throws Exception {
        Map<String, Map<String, String>> cases = new LinkedHashMap<>();
        cases.put("Sec-WebSocket-Key must be 24 base64 characters encoding 16 bytes",
                        Map.of("Sec-WebSocket-Key", java.util.Base64.getEncoder().encodeToString(new byte[10])));
        cases.put("Sec-WebSocket-Key must be 24 base64 characters encoding 16 bytes ", Map.of("Sec-WebSocket-Key", "!!!!not*base64!!!!!!!!=="));
        cases.put("missing Sec-WebSocket-Key", mapOfNull("Sec-WebSocket-Key"));
        cases.put("missing 'Upgrade: websocket'", mapOfNull("Upgrade"));
        cases.put("missing 'Upgrade: websocket' ", Map.of("Upgrade", "h2c"));
        cases.put("missing 'Connection: Upgrade'", mapOfNull("Connection"));
        cases.put("missing 'Connection: Upgrade' ", Map.of("Connection", "keep-alive"));
        try (RunningProgram p = echoServer(Map.of())) {
            int port = WebSocketServerTest.port(p);
            try (JdkClient good = wellBehaved(port)) {
                for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) {
                    RawSocket.Response r = refusal(port, RawSocket.request("/chat", RawSocket.newKey(), c.getValue()));
                    assertEquals(400, r.status(), c.getKey());
                    assertEquals(c.getKey().strip() + "\n", r.body());
                    assertServed(good);
                }
                // A key with surrounding spaces and a Connection list as Firefox sends it are fine.
                try (RawSocket ok = RawSocket.connect(port)) {
                    String key = RawSocket.newKey();
                    ok.send(RawSocket.request("/chat", " " + key, Map.of("Connection", "keep-alive, Upgrade")));
                    assertEquals(101, ok.readResponse().status());
                }
            }
        }
    }

    private static Map<String, String> mapOfNull(String header) {
        Map<String, String> m = new HashMap<>();
        m.put(header, null);
        return m;
    }

    @Test
    void aVersionOtherThan13Gets426NamingVersion13() throws Exception {
        try (RunningProgram p = echoServer(Map.of())) {
            int port = WebSocketServerTest.port(p);
            try (JdkClient good = wellBehaved(port)) {
                for (Map<String, String> change : List.of(Map.of("Sec-WebSocket-Version", "8"), mapOfNull("Sec-WebSocket-Version"))) {
                    RawSocket.Response r = refusal(port, RawSocket.request("/chat", RawSocket.newKey(), change));
                    assertEquals(426, r.status());
                    assertEquals("13", r.header("Sec-WebSocket-Version"));
                    assertServed(good);
                }
            }
        }
    }

    @Test
    void bytesThatCannotBeginAnHttpRequestGet400AtOnce() throws Exception {
        // A client speaking TLS to this ws:// server (wss:// in its URL) sends a hello with no blank line in it:
        // the server waited the whole handshake timeout (here 30 s) before it dropped the connection unanswered.
        byte[] tlsHello = {22, 3, 1, 0, 5, 1, 0, 0, 1, 3};
        try (RunningProgram p = echoServer(Map.of("osprey.Plugin.websocket.HandshakeTimeout", "30"))) {
            int port = WebSocketServerTest.port(p);
            try (JdkClient good = wellBehaved(port)) {
                Map<String, byte[]> cases = new LinkedHashMap<>();
                cases.put("this is a TLS handshake, but this server takes ws://, not wss://", tlsHello);
                cases.put("malformed request line; expected 'GET /path HTTP/1.1'", "GE\u0000T /chat HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                for (Map.Entry<String, byte[]> c : cases.entrySet()) {
                    try (RawSocket r = RawSocket.connect(port)) {
                        r.socket.setSoTimeout(5000);
                        r.send(c.getValue());
                        RawSocket.Response response = r.readResponse();
                        assertEquals(400, response.status());
                        assertEquals(c.getKey() + "\n", response.body());
                        assertTrue(r.awaitEnd(), "the server closes a refused connection");
                    }
                    assertServed(good);
                }
                // A method other than GET is still a request, refused once its head is complete, naming the method.
                RawSocket.Response post = refusal(port, RawSocket.request("/chat", RawSocket.newKey(), Map.of()).replaceFirst("GET", "POST"));
                assertEquals("a WebSocket opens with GET, not POST\n", post.body());
            }
        }
    }

    /**
     * Chromium's upgrade request as it sends it (headers and order from Chromium 156), offering
     * permessage-deflate, here also with subprotocols as `new WebSocket(url, ["chat", "v2"])` offers them: the
     * server takes it and answers with neither an extension nor a subprotocol (docs/websocket.md says what a
     * browser then does), and the messages that follow are uncompressed.
     */
    @Test
    void aBrowsersUpgradeRequestIsAnsweredWithoutExtensionOrSubprotocol() throws Exception {
        try (RunningProgram p = echoServer(Map.of())) {
            int port = WebSocketServerTest.port(p);
            String key = RawSocket.newKey();
            Map<String, String> chromium = new LinkedHashMap<>();
            chromium.put("Host", "127.0.0.1:" + port);
            chromium.put("Connection", "Upgrade");
            chromium.put("Pragma", "no-cache");
            chromium.put("Cache-Control", "no-cache");
            chromium.put("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36");
            chromium.put("Upgrade", "websocket");
            chromium.put("Origin", "http://127.0.0.1:8000");
            chromium.put("Sec-WebSocket-Version", "13");
            chromium.put("Accept-Encoding", "gzip, deflate, br, zstd");
            chromium.put("Accept-Language", "en-US,en;q=0.9");
            chromium.put("Sec-WebSocket-Key", key);
            chromium.put("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits");
            chromium.put("Sec-WebSocket-Protocol", "chat, v2");
            try (RawSocket r = RawSocket.connect(port)) {
                r.send(RawSocket.request("/chat", key, chromium));
                RawSocket.Response response = r.readResponse();
                assertEquals(101, response.status());
                assertEquals(StrictDraft.acceptFor(key), response.header("Sec-WebSocket-Accept"));
                assertEquals(null, response.header("Sec-WebSocket-Extensions"));
                assertEquals(null, response.header("Sec-WebSocket-Protocol"));
                r.sendText("héllo ☃");
                RawSocket.Frame echo = r.readFrame();
                assertEquals(b0(true, 0, TEXT), echo.b0(), "a final text frame, no reserved bit (no compression)");
                assertEquals("héllo ☃", echo.text());
            }
        }
    }

    /**
     * With --websocket-subprotocols a server answers with the first of its list that the client offered (a
     * browser's new WebSocket(url, ["chat"]) fails the connection without one), and without one to a client
     * that offered none or none of them.
     */
    @Test
    void theFirstSubprotocolOfTheSettingThatTheClientOffersIsTheAnswer() throws Exception {
        try (RunningProgram p = echoServer(Map.of("osprey.Plugin.websocket.Subprotocols", "chat,v2.chat"))) {
            int port = WebSocketServerTest.port(p);
            Map<String, String> offers = new LinkedHashMap<>();
            offers.put("v2.chat, chat", "chat");
            offers.put("v2.chat", "v2.chat");
            offers.put("graphql-ws", null);
            offers.put("", null);
            for (Map.Entry<String, String> offer : offers.entrySet()) {
                String key = RawSocket.newKey();
                Map<String, String> headers = offer.getKey().isEmpty() ? Map.of() : Map.of("Sec-WebSocket-Protocol", offer.getKey());
                try (RawSocket r = RawSocket.connect(port)) {
                    r.send(RawSocket.request("/chat", key, headers));
                    RawSocket.Response response = r.readResponse();
                    assertEquals(101, response.status());
                    assertEquals(offer.getValue(), response.header("Sec-WebSocket-Protocol"), "offered: " + offer.getKey());
                    r.sendText("hi");
                    assertEquals("hi", r.readFrame().text());
                }
            }
        }
    }

    @Test
    void anotherPathGets404AndAnOriginOutsideTheAllowListGets403() throws Exception {
        try (RunningProgram p = echoServer(Map.of("osprey.Plugin.websocket.AllowedOrigins", "https://good.example"))) {
            int port = WebSocketServerTest.port(p);
            try (JdkClient good = JdkClient.connect("ws://127.0.0.1:" + port + "/chat", "https://good.example");
                            JdkClient shouting = JdkClient.connect("ws://127.0.0.1:" + port + "/chat", "HTTPS://GOOD.EXAMPLE")) {
                assertServed(good);
                assertServed(shouting); // an origin's scheme and host are not case-sensitive (RFC 6454)
                RawSocket.Response r = refusal(port, RawSocket.request("/other?x=1", RawSocket.newKey(), Map.of("Origin", "https://good.example")));
                assertEquals(404, r.status());
                assertEquals("no WebSocket endpoint at /other\n", r.body());
                assertServed(good);
                for (Map<String, String> origin : List.of(Map.of("Origin", "https://evil.example"), Map.<String, String> of())) {
                    r = refusal(port, RawSocket.request("/chat", RawSocket.newKey(), origin));
                    assertEquals(403, r.status());
                    assertEquals("origin not allowed\n", r.body());
                    assertServed(good);
                }
            }
        }
    }

    @Test
    void requestLinesAndHeadersAreCappedAndSlowHandshakesAreClosed() throws Exception {
        Map<String, String> options = Map.of("osprey.Plugin.websocket.HandshakeTimeout", "1", "osprey.Plugin.websocket.MaxHandshakeSize", "4096");
        try (RunningProgram p = echoServer(options)) {
            int port = WebSocketServerTest.port(p);
            try (JdkClient good = wellBehaved(port)) {
                RawSocket.Response r = refusal(port, RawSocket.request("/chat", RawSocket.newKey(), Map.of("X-Filler", "a".repeat(5000))));
                assertEquals(431, r.status());
                assertServed(good);
                r = refusal(port, RawSocket.request("/chat?" + "q".repeat(5000), RawSocket.newKey(), Map.of()));
                assertEquals(431, r.status());
                // Headers that never end: refused as soon as the limit is passed, not when they stop coming.
                try (RawSocket endless = RawSocket.connect(port)) {
                    endless.send("GET /chat HTTP/1.1\r\n");
                    for (int i = 0; i < 100; i++) {
                        endless.send("X-" + i + ": " + "b".repeat(50) + "\r\n");
                    }
                    assertEquals(431, endless.readResponse().status());
                }
                assertServed(good);

                // Slowloris: 20 connections that send nothing, 20 that send the request a byte at a time.
                List<RawSocket> silent = new ArrayList<>();
                List<RawSocket> dripping = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    silent.add(RawSocket.connect(port));
                    RawSocket d = RawSocket.connect(port);
                    d.send("GET /chat HTTP/1.1\r\n");
                    dripping.add(d);
                }
                long t0 = System.nanoTime();
                Thread drip = new Thread(() -> {
                    for (int k = 0; k < 100; k++) {
                        for (RawSocket d : dripping) {
                            try {
                                d.send("X");
                            } catch (IOException e) {
                                // closed by the server: what the test waits for
                            }
                        }
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                drip.start();
                try {
                    assertServed(good);
                    for (RawSocket s : Stream.concat(silent.stream(), dripping.stream()).toList()) {
                        assertTrue(s.awaitEnd(), "a connection without a complete handshake is closed");
                        assertServed(good);
                    }
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    assertTrue(ms < 1000 + 3000, "closed " + ms + " ms after the handshake timeout of 1 s began");
                } finally {
                    drip.interrupt();
                    drip.join();
                    for (RawSocket s : Stream.concat(silent.stream(), dripping.stream()).toList()) {
                        s.close();
                    }
                }
                assertServed(good);
            }
        }
    }

    /**
     * A client connects while the server reads nothing: every worker runs a handler that takes long, and other
     * clients' messages wait for the workers in every read buffer the library has (twice the workers, and one),
     * so the selector thread waits for a buffer and leaves every socket unread. The client's upgrade request,
     * sent in full at once, stayed in its socket, and the handshake timeout (1 s here) dropped the connection
     * as if the client had been too slow. It is answered once the handlers return.
     */
    @Test
    void anUpgradeRequestLeftUnreadWhileEveryWorkerIsBusyIsAnsweredLater() throws Exception {
        String setup = """
                        fn configure(id: int) -> unit = {
                            websocketServerOnMessage(serverID: id, messageHandler: fn(wsID: int, text: string) -> Result<Success, string> => match text {
                                "wait" => {
                                    print("a handler waits")
                                    sleep(2000)
                                    Success()
                                }
                                _ => Success()
                            })
                            ()
                        }
                        """;
        Map<String, String> options = Map.of("osprey.Plugin.websocket.HandshakeTimeout", "1");
        try (RunningProgram p = new RunningProgram("busy.osp", WebSocketServerTest.server(setup), options)) {
            int port = WebSocketServerTest.port(p);
            List<RawSocket> waiting = new ArrayList<>();
            List<RawSocket> others = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) { // as many as there are workers at most
                    waiting.add(RawSocket.upgraded(port, "/chat"));
                }
                for (int i = 0; i < 10; i++) { // more than the read buffers of four workers
                    others.add(RawSocket.upgraded(port, "/chat"));
                }
                try (RawSocket late = RawSocket.connect(port)) {
                    for (RawSocket w : waiting) {
                        w.send(frame(b0(true, 0, TEXT), utf8("wait"), true));
                    }
                    p.awaitLine("a handler waits");
                    for (RawSocket o : others) {
                        o.send(frame(b0(true, 0, TEXT), utf8("later"), true));
                    }
                    long t0 = System.nanoTime();
                    late.send(RawSocket.request("/chat", RawSocket.newKey(), Map.of()));
                    RawSocket.Response r;
                    try {
                        r = late.readResponse();
                    } catch (IOException e) {
                        throw new AssertionError("the connection was dropped " + (System.nanoTime() - t0) / 1_000_000 + " ms after its request was sent", e);
                    }
                    assertEquals(101, r.status());
                }
            } finally {
                for (RawSocket s : Stream.concat(waiting.stream(), others.stream()).toList()) {
                    s.close();
                }
            }
        }
    }

    // ---------------------------------------------------------------- frames

    /** Sends {@code bytes} on a new upgraded connection and returns the close code of the server's reply. */
    static int closeCodeFor(int port, byte[]... frames) throws IOException {
        try (RawSocket r = RawSocket.upgraded(port, "/chat")) {
            for (byte[] f : frames) {
                r.send(f);
            }
            RawSocket.Frame reply = r.readFrame();
            assertEquals(CLOSE, reply.opcode(), "the server's first frame closes the connection; it sent " + reply.text());
            assertTrue(r.awaitEnd(), "and the TCP connection ends");
            return reply.closeCode();
        }
    }

    @Test
    void anUnmaskedClientFrameClosesTheConnectionWith1002() throws Exception {
        try (RunningProgram p = echoServer(Map.of())) {
            int port = WebSocketServerTest.port(p);
            try (JdkClient good = wellBehaved(port)) {
                assertEquals(1002, closeCodeFor(port, frame(b0(true, 0, TEXT), utf8("unmasked"), false)));
                assertServed(good);
                // Frames before the offending one are still delivered.
                try (RawSocket r = RawSocket.upgraded(port, "/chat")) {
                    byte[] ok = frame(b0(true, 0, TEXT), utf8("masked"), true);
                    byte[] bad = frame(b0(true, 0, TEXT), utf8("unmasked"), false);
                    byte[] both = java.util.Arrays.copyOf(ok, ok.length + bad.length);
                    System.arraycopy(bad, 0, both, ok.length, bad.length);
                    r.send(both);
                    assertEquals("masked", r.readFrame().text());
                    RawSocket.Frame close = r.readFrame();
                    assertEquals(1002, close.closeCode());
                    assertEquals("frame from the client is not masked", close.closeReason());
                }
                assertServed(good);
            }
        }
    }

    @Test
    void invalidUtf8InATextMessageClosesTheConnectionWith1007() throws Exception {
        try (RunningProgram p = echoServer(Map.of())) {
            int port = WebSocketServerTest.port(p);
            try (JdkClient good = wellBehaved(port)) {
                byte[][] invalid = { { (byte) 0xc3, 0x28 }, { (byte) 0xc0, (byte) 0xaf }, { (byte) 0xed, (byte) 0xa0, (byte) 0x80 }, { 'a', (byte) 0xe2, (byte) 0x82 } };
                for (byte[] text : invalid) {
                    assertEquals(1007, closeCodeFor(port, frame(b0(true, 0, TEXT), text, true)));
                    assertServed(good);
                }
                // Fragmented: the fragments are fine one by one only if split inside a character; the whole is not.
                assertEquals(1007, closeCodeFor(port, frame(b0(false, 0, TEXT), utf8("fine so far"), true), frame(b0(true, 0, 0), new byte[] { (byte) 0xff }, true)));
                assertServed(good);
                // Frames before the offending one in the same read are still delivered (the library's parse of the
                // whole read threw on the bad frame and kept none of them).
                try (RawSocket r = RawSocket.upgraded(port, "/chat")) {
                    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                    all.writeBytes(frame(b0(true, 0, TEXT), utf8("first"), true));
                    all.writeBytes(frame(b0(true, 0, TEXT), utf8("second"), true));
                    all.writeBytes(frame(b0(true, 0, TEXT), new byte[] { (byte) 0xff, (byte) 0xfe }, true));
                    r.send(all.toByteArray());
                    assertEquals("first", r.readFrame().text());
                    assertEquals("second", r.readFrame().text());
                    RawSocket.Frame close = r.readFrame();
                    assertEquals(1007, close.closeCode());
                    assertEquals("message is not valid UTF-8", close.closeReason());
                }
                assertServed(good);
            }
        }
    }

    @Test
    void aFrameOrMessageOverTheLimitClosesWith1009BeforeItsPayloadArrives() throws Exception {
        try (RunningProgram p = echoServer(Map.of("osprey.Plugin.websocket.MaxMessageSize", "1000"))) {
            int port = WebSocketServerTest.port(p);
            try (JdkClient good = wellBehaved(port)) {
                // A header announcing 100 MiB, and not one byte of payload: the answer comes from the length field.
                assertEquals(1009, closeCodeFor(port, header(b0(true, 0, TEXT), 100L << 20, true, new byte[0])));
                assertServed(good);
                assertEquals(1009, closeCodeFor(port, header(b0(true, 0, TEXT), 1001, true, new byte[0])));
                // Many small fragments: the sixth takes the message past 1000 bytes; the last one never comes.
                try (RawSocket r = RawSocket.upgraded(port, "/chat")) {
                    r.send(frame(b0(false, 0, TEXT), utf8("f".repeat(200)), true));
                    for (int i = 0; i < 5; i++) {
                        r.send(frame(b0(false, 0, 0), utf8("f".repeat(200)), true));
                    }
                    assertEquals(1009, r.readFrame().closeCode());
                }
                assertServed(good);
                // Exactly at the limit is fine, whole or in fragments.
                try (RawSocket r = RawSocket.upgraded(port, "/chat")) {
                    r.sendText("e".repeat(1000));
                    assertEquals("e".repeat(1000), r.readFrame().text());
                    r.send(frame(b0(false, 0, TEXT), utf8("g".repeat(500)), true));
                    r.send(frame(b0(true, 0, 0), utf8("g".repeat(500)), true));
                    assertEquals("g".repeat(1000), r.readFrame().text());
                }
                assertServed(good);
            }
        }
    }

    /**
     * Chromium sending a 16 MiB message to a server whose limit is 1 MiB saw the connection end with 1006 and
     * no reason, where node's ws client saw 1009: the server closed its socket as soon as its close frame was
     * written, with the rest of the message still coming in, and the system answered that data with a reset,
     * which reached the browser's writes before it had read the close frame. Now the server shuts only its
     * sending side, reads (and discards) what the client still sends until the client closes, and drops the
     * connection after a bounded wait when the client never does.
     */
    @Test
    void aClientStillSendingWhenTheServerClosesCanFinishSendingAndAnswerTheClose() throws Exception {
        try (RunningProgram p = new RunningProgram("count.osp", COUNTING_SERVER, Map.of("osprey.Plugin.websocket.MaxMessageSize", "1000"))) {
            int port = WebSocketServerTest.port(p);
            try (JdkClient probe = JdkClient.connect("ws://127.0.0.1:" + port + "/chat"); RawSocket r = RawSocket.upgraded(port, "/chat")) {
                long length = 16L << 20;
                CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                    try {
                        r.send(header(b0(true, 0, TEXT), length, true, new byte[0]));
                        byte[] chunk = new byte[64 << 10];
                        for (long sent = 0; sent < length; sent += chunk.length) {
                            r.out.write(chunk);
                        }
                        r.out.flush();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                assertEquals(1009, r.readFrame().closeCode());
                sending.get(30, TimeUnit.SECONDS); // failed with "Broken pipe" or "Connection reset"
                r.send(frame(b0(true, 0, CLOSE), closePayload(1009, new byte[0]), true));
                assertEquals(-1, r.in.read(), "the server ends its side with a FIN, not a reset");
                r.socket.shutdownOutput();
                await("the server let the connection go once the client closed", () -> countIs(probe, "open 1"), 10);
            }
            // A client that gets the close frame and neither answers nor closes is dropped after the wait.
            try (JdkClient probe = JdkClient.connect("ws://127.0.0.1:" + port + "/chat"); RawSocket r = RawSocket.upgraded(port, "/chat")) {
                r.send(header(b0(true, 0, TEXT), 2000, true, new byte[0]));
                assertEquals(1009, r.readFrame().closeCode());
                await("the server dropped the silent client", () -> countIs(probe, "open 1"), 10);
            }
        }
    }

    private static boolean countIs(JdkClient probe, String expected) {
        try {
            return count(probe).equals(expected);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void reservedBitsUnknownOpcodesInvalidCloseCodesAndLongCloseReasonsCloseWith1002() throws Exception {
        Map<String, byte[][]> cases = new LinkedHashMap<>();
        cases.put("RSV1", new byte[][] { frame(b0(true, 4, TEXT), utf8("x"), true) });
        cases.put("RSV2 and RSV3", new byte[][] { frame(b0(true, 3, TEXT), utf8("x"), true) });
        cases.put("opcode 3", new byte[][] { frame(b0(true, 0, 3), utf8("x"), true) });
        cases.put("opcode 11", new byte[][] { frame(b0(true, 0, 11), new byte[0], true) });
        for (int code : new int[] { 0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535 }) {
            cases.put("close code " + code, new byte[][] { frame(b0(true, 0, CLOSE), closePayload(code, new byte[0]), true) });
        }
        cases.put("close reason of 124 bytes", new byte[][] { frame(b0(true, 0, CLOSE), closePayload(1000, utf8("r".repeat(124))), true) });
        cases.put("close payload of 1 byte", new byte[][] { frame(b0(true, 0, CLOSE), new byte[] { 3 }, true) });
        cases.put("fragmented ping", new byte[][] { frame(b0(false, 0, PING), utf8("p"), true) });
        cases.put("continuation without a start", new byte[][] { frame(b0(true, 0, 0), utf8("x"), true) });
        cases.put("new message inside a fragmented one",
                        new byte[][] { frame(b0(false, 0, TEXT), utf8("a"), true), frame(b0(true, 0, TEXT), utf8("b"), true) });
        cases.put("64-bit length with the top bit set", new byte[][] { header(b0(true, 0, TEXT), -1L, true, new byte[0]) });
        try (RunningProgram p = echoServer(Map.of())) {
            int port = WebSocketServerTest.port(p);
            try (JdkClient good = wellBehaved(port)) {
                for (Map.Entry<String, byte[][]> c : cases.entrySet()) {
                    assertEquals(1002, closeCodeFor(port, c.getValue()), c.getKey());
                    assertServed(good);
                }
                // The valid close codes are answered with the same code; a close reason that is not UTF-8 with 1007.
                for (int code : new int[] { 1000, 1001, 1003, 1007, 1011, 1014, 3000, 4999 }) {
                    assertEquals(code, closeCodeFor(port, frame(b0(true, 0, CLOSE), closePayload(code, utf8("r".repeat(123))), true)), "code " + code);
                }
                assertEquals(1007, closeCodeFor(port, frame(b0(true, 0, CLOSE), closePayload(1000, new byte[] { (byte) 0xc3, 0x28 }), true)));
                assertEquals(1003, closeCodeFor(port, frame(b0(true, 0, BINARY), new byte[] { 1, 2, 3 }, true)));
                assertServed(good);
            }
        }
    }

    @Test
    void fragmentedMessagesWithControlFramesBetweenTheFragmentsWork() throws Exception {
        try (RunningProgram p = echoServer(Map.of())) {
            int port = WebSocketServerTest.port(p);
            try (JdkClient good = wellBehaved(port); RawSocket r = RawSocket.upgraded(port, "/chat")) {
                byte[] text = utf8("Hello, wörld ✓");
                int split = 9; // inside the two bytes of 'ö'
                assertEquals((byte) 0xc3, text[split - 1]);
                r.send(frame(b0(false, 0, TEXT), java.util.Arrays.copyOfRange(text, 0, split), true));
                r.send(frame(b0(true, 0, PING), utf8("are you there"), true));
                r.send(frame(b0(false, 0, 0), java.util.Arrays.copyOfRange(text, split, split + 6), true));
                r.send(frame(b0(true, 0, PONG), utf8("unasked"), true));
                // The last fragment and the next message in one write, the header of the second split across two.
                byte[] last = frame(b0(true, 0, 0), java.util.Arrays.copyOfRange(text, split + 6, text.length), true);
                byte[] next = frame(b0(true, 0, TEXT), utf8("second"), true);
                byte[] out = java.util.Arrays.copyOf(last, last.length + 1);
                out[last.length] = next[0];
                r.send(out);
                r.send(java.util.Arrays.copyOfRange(next, 1, next.length));
                RawSocket.Frame pong = r.readFrame();
                assertEquals(PONG, pong.opcode());
                assertEquals("are you there", pong.text());
                assertEquals("Hello, wörld ✓", r.readFrame().text());
                assertEquals("second", r.readFrame().text());
                assertServed(good);
            }
        }
    }

    // ---------------------------------------------------------------- slow readers

    /**
     * A server whose handler answers "flood" by sending until the bound is reached, in rounds 100 ms apart (the
     * kernel goes on taking data into the socket's send buffer, up to some MB, for a while), then tries every
     * send function once more.
     *
     * Between the rounds the unsent data drifts down while the kernel still takes some, and sending resumes
     * below half the bound. Checked right at that edge, one send can be refused and the next one, a
     * microsecond later, accepted. So after the rounds the handler waits, for up to {@code refillTries} times
     * 20 ms, until a send is taken again, and fills the connection to the bound once more: the sends it then
     * tries find the unsent data at the bound, half a megabyte from the edge. Even so the kernel's send buffer
     * can grow by half a megabyte between two sends (it did, once in many runs, on a busy machine), so when
     * the broadcast is taken the handler fills the connection and tries the three again, up to five times;
     * a broadcast that never refuses still fails the test. The well-behaved client then gets "to all" more
     * than once, which the test allows.
     */
    static String floodingServer(int rounds, int refillTries) {
        return WebSocketServerTest.server("""
                    fn grow(s: string, n: int) -> string = match n == 0 {
                        true => s
                        false => grow(s: "${s}${s}", n: n - 1)
                    }
                    let big = grow(s: "0123456789abcdef", n: 12)
                    fn flood(wsID: int, n: int) -> string = match websocketServerSend(serverID: 1, wsID: wsID, message: big) {
                        Success _ => match n > 0 {
                            true => flood(wsID: wsID, n: n - 1)
                            false => "no error after all those sends"
                        }
                        Error { message } => message
                    }
                    // Floods in rounds: the kernel keeps taking some data for a while after the first refusal.
                    fn pressure(wsID: int, rounds: int) -> string = {
                        let result = flood(wsID: wsID, n: 2000)
                        match rounds > 1 {
                            true => {
                                sleep(100)
                                pressure(wsID: wsID, rounds: rounds - 1)
                            }
                            false => result
                        }
                    }
                    // Once sending resumes, fills the connection to the bound; or the refusal if it never resumes.
                    fn refill(wsID: int, tries: int) -> string = match websocketServerSend(serverID: 1, wsID: wsID, message: big) {
                        Success _ => flood(wsID: wsID, n: 2000)
                        Error { message } => match tries > 0 {
                            true => {
                                sleep(20)
                                refill(wsID: wsID, tries: tries - 1)
                            }
                            false => message
                        }
                    }
                    // All three sends one right after the other, printed after; again (up to `attempts` times) if
                    // the kernel took half the bound between them, which the broadcast's success shows.
                    fn sendAll(wsID: int, attempts: int) -> unit = {
                        let flooded = refill(wsID: wsID, tries: REFILL)
                        let more = websocketSend(wsID: wsID, message: "more")
                        let all = websocketServerBroadcast(serverID: 1, message: "to all")
                        let again = match all {
                            Success _ => attempts > 1
                            Error _ => false
                        }
                        match again {
                            true => sendAll(wsID: wsID, attempts: attempts - 1)
                            false => {
                                print("websocketServerSend: ${flooded}")
                                print("websocketSend: ${toString(more)}")
                                print("websocketServerBroadcast: ${toString(all)}")
                            }
                        }
                    }
                    fn reply(wsID: int, text: string) -> Result<Success, string> = match text {
                        "flood" => {
                            print("stuck client ${wsID}")
                            let pressed = pressure(wsID: wsID, rounds: ROUNDS)
                            sendAll(wsID: wsID, attempts: 5)
                            Success()
                        }
                        _ => websocketServerSend(serverID: 1, wsID: wsID, message: text)
                    }
                    fn left(wsID: int) -> Result<Success, string> = {
                        print("closed ${wsID}")
                        Success()
                    }
                    fn configure(id: int) -> unit = {
                        websocketServerOnMessage(serverID: id, messageHandler: reply)
                        websocketServerOnClose(serverID: id, handler: left)
                        ()
                    }
                    """.replace("ROUNDS", Integer.toString(rounds)).replace("REFILL", Integer.toString(refillTries)));
    }

    /** A client that asks for the flood and never reads; its receive buffer is small so the server's queue fills soon. */
    static RawSocket stuckClient(int port) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        RawSocket r = new RawSocket(s);
        String key = RawSocket.newKey();
        r.send(RawSocket.request("/chat", key, Map.of()));
        assertEquals(101, r.readResponse().status());
        r.sendText("flood");
        return r;
    }

    @Test
    void sendsToAClientThatStoppedReadingAreErrorsNamingTheConnection() throws Exception {
        Map<String, String> options = Map.of("osprey.Plugin.websocket.MaxUnsentBytes", "1048576");
        try (RunningProgram p = new RunningProgram("flood.osp", floodingServer(20, 50), options)) {
            int port = WebSocketServerTest.port(p);
            try (JdkClient good = wellBehaved(port); RawSocket stuck = stuckClient(port)) {
                String id = p.awaitLine("stuck client ").substring("stuck client ".length());
                String limit = "and the other side is not reading \\(limit 1048576 bytes; sending resumes below 524288\\)";
                String serverSend = p.awaitLine("websocketServerSend: ");
                assertTrue(serverSend.matches("websocketServerSend: cannot send on WebSocket connection " + id + ": \\d+ bytes are waiting to be sent " + limit),
                                serverSend);
                long waiting = Long.parseLong(serverSend.replaceAll(".*: (\\d+) bytes.*", "$1"));
                // Refused from the bound until the client has read down to half of it; never more than the bound and one message.
                assertTrue(waiting >= 1048576 / 2 && waiting < 1048576 + 70_000, "the unsent data stays within the bound and one message: " + waiting);
                String send = p.awaitLine("websocketSend: ");
                assertTrue(send.matches("websocketSend: Error\\(cannot send on WebSocket connection " + id + ": \\d+ bytes are waiting to be sent " + limit + "\\)"),
                                send);
                String broadcast = p.awaitLine("websocketServerBroadcast: ");
                assertTrue(broadcast.matches("websocketServerBroadcast: Error\\(WebSocket server 1 did not send the message to connection " + id
                                + " \\(\\d+ bytes waiting\\): the client is not reading \\(limit 1048576 bytes; sending resumes below 524288\\)\\)"), broadcast);
                // The broadcast reached the client that reads.
                assertEquals("to all", good.next());
                assertServed(good);
                assertEquals("", p.err().text());
            }
        }
    }

    @Test
    void aClientStuckPastTheLostConnectionTimeoutIsClosedWith1008() throws Exception {
        Map<String, String> options = Map.of("osprey.Plugin.websocket.MaxUnsentBytes", "262144", "osprey.Plugin.websocket.ConnectionLostTimeout", "1");
        try (RunningProgram p = new RunningProgram("stuck.osp", floodingServer(1, 0), options)) {
            int port = WebSocketServerTest.port(p);
            try (JdkClient good = wellBehaved(port); RawSocket stuck = stuckClient(port)) {
                // The stuck client keeps the connection alive with unasked pongs, so only the 1008 rule can end it,
                // and asks for more every 100 ms, so that the kernel's buffers fill up too (it goes on taking data
                // into the socket's send buffer, up to some MB, for a while). Each handler call is short: a long
                // one would keep other clients' pongs from being read, and the 1 s timeout would drop them too.
                Thread pongs = new Thread(() -> {
                    try {
                        while (!Thread.currentThread().isInterrupted()) {
                            stuck.send(frame(b0(true, 0, PONG), new byte[0], true));
                            stuck.sendText("flood");
                            Thread.sleep(100);
                        }
                    } catch (IOException | InterruptedException e) {
                        // closed by the server, or the test is over
                    }
                });
                pongs.start();
                try {
                    String id = p.awaitLine("stuck client ").substring("stuck client ".length());
                    // Once the kernel's buffers are full too, the client is stuck at the bound, and 1 s later it is closed.
                    String closed = p.err().await(l -> l.contains("1008"), Duration.ofSeconds(20));
                    assertTrue(closed.matches("error: WebSocket server 1, connection " + id
                                    + ": closed with 1008 \\(not reading: \\d+ bytes unsent for 1 s\\)"), closed);
                    p.awaitLine("closed " + id);
                    assertServed(good);
                } finally {
                    pongs.interrupt();
                    pongs.join();
                }
                assertTrue(stuck.awaitEnd(), "the stuck client's TCP connection ends");
                assertServed(good);
            }
        }
    }

    @Test
    void anEchoServerClosesAClientThatDoesNotReadItsEchoesWith1008() throws Exception {
        try (RunningProgram p = echoServer(Map.of("osprey.Plugin.websocket.MaxUnsentBytes", "65536"))) {
            int port = WebSocketServerTest.port(p);
            try (JdkClient good = wellBehaved(port); RawSocket r = stuckClient(port)) {
                byte[] message = frame(b0(true, 0, TEXT), utf8("m".repeat(4096)), true);
                try {
                    for (int i = 0; i < 4000; i++) {
                        r.send(message);
                    }
                } catch (IOException e) {
                    // the server closed the connection while we were still sending
                }
                String closed = p.err().await(l -> l.contains("1008"), Duration.ofSeconds(10));
                assertTrue(closed.matches("error: WebSocket server 1, connection \\d+: closed with 1008 \\(not reading its echoes: \\d+ bytes unsent\\)"), closed);
                assertTrue(r.awaitEnd(), "the TCP connection ends");
                assertServed(good);
            }
            p.close();
            // The messages read with the one that found the client stuck were echoed no more, and each of them
            // printed the 1008 line again (some hundred times).
            assertEquals(1, p.err().lines().stream().filter(l -> l.contains("1008")).count(), p.err().text());
        }
    }

    /**
     * RFC 6455 1.4: after a close frame a peer discards any further data. A client that sends a message behind
     * its close frame, in the same TCP segment: the server's handler was called with it, after the close
     * (after the close handler, even).
     */
    @Test
    void aMessageBehindTheClientsCloseFrameIsDiscarded() throws Exception {
        String setup = """
                        fn echo(wsID: int, text: string) -> Result<Success, string> = {
                            print("got ${text}")
                            websocketServerSend(serverID: 1, wsID: wsID, message: text)
                        }
                        fn configure(id: int) -> unit = {
                            websocketServerOnMessage(serverID: id, messageHandler: echo)
                            ()
                        }
                        """;
        try (RunningProgram p = RunningProgram.start("close_then_data.osp", WebSocketServerTest.server(setup))) {
            int port = WebSocketServerTest.port(p);
            try (RawSocket r = RawSocket.upgraded(port, "/chat")) {
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                all.write(frame(b0(true, 0, TEXT), utf8("before"), true));
                all.write(frame(b0(true, 0, CLOSE), RawSocket.closePayload(1000, new byte[0]), true));
                all.write(frame(b0(true, 0, TEXT), utf8("after the close"), true));
                r.send(all.toByteArray());
                assertEquals(1000, r.awaitCloseCode());
                assertTrue(r.awaitEnd(), "the TCP connection ends");
            }
            // The server's worker threads take new connections in turn: one of these is served by the thread that
            // read the frames above, so its echo comes after that thread has handled all of them.
            int workers = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
            for (int i = 0; i < workers; i++) {
                try (JdkClient probe = JdkClient.connect("ws://127.0.0.1:" + port + "/chat")) {
                    probe.send("probe " + i);
                    assertEquals("probe " + i, probe.next());
                }
            }
            assertEquals("got before", p.out().lines().get(1));
            assertTrue(p.out().lines().stream().noneMatch(l -> l.contains("after the close")), p.out().text());
        }
    }

    /**
     * Clients that send two messages and close their socket at once (without a close frame): every message
     * is handled, and before the client's close handler. Java-WebSocket's selector thread closed such a
     * connection as soon as it read the end of the stream: the worker thread then found it closed and dropped
     * the messages it had not decoded yet (some 440 of 600 here), and the close handler ran before, or while a
     * message handler waited for the program. A message handler then ran after the close handler, some ten
     * times in 300 connections (the entry the close handler removed from a map of connections was put back
     * for good), and a few connections opened and closed without the program hearing of either.
     */
    @Test
    void messagesOfAClientThatDropsItsConnectionAreHandledBeforeItsCloseHandler() throws Exception {
        String setup = """
                        mut clients: Map<int, int> = {}
                        mut opened = 0
                        mut gone = 0
                        mut late = 0
                        mut messages = 0
                        fn opening(wsID: int) -> Result<Success, string> = {
                            clients = set(clients, wsID, 0)
                            opened = opened + 1
                            Success()
                        }
                        fn closing(wsID: int) -> Result<Success, string> = {
                            clients = remove(clients, wsID)
                            gone = gone + 1
                            Success()
                        }
                        fn said(wsID: int, text: string) -> Result<Success, string> = match text {
                            "count" => websocketServerSend(serverID: 1, wsID: wsID, message: "opened ${opened} gone ${gone} late ${late} messages ${messages}")
                            _ => {
                                messages = messages + 1
                                match clients[wsID] {
                                    Success { value } => {
                                        clients = set(clients, wsID, value + 1)
                                        Success()
                                    }
                                    Error _ => {
                                        late = late + 1
                                        Success()
                                    }
                                }
                            }
                        }
                        fn configure(id: int) -> unit = {
                            websocketServerOnOpen(serverID: id, handler: opening)
                            websocketServerOnClose(serverID: id, handler: closing)
                            websocketServerOnMessage(serverID: id, messageHandler: said)
                            ()
                        }
                        """;
        try (RunningProgram p = RunningProgram.start("dropped.osp", WebSocketServerTest.server(setup))) {
            int port = WebSocketServerTest.port(p);
            byte[] two = concat(frame(b0(true, 0, TEXT), utf8("one"), true), frame(b0(true, 0, TEXT), utf8("two"), true));
            for (int i = 0; i < 300; i++) {
                try (RawSocket r = RawSocket.upgraded(port, "/chat")) {
                    r.send(two);
                }
            }
            try (JdkClient probe = JdkClient.connect("ws://127.0.0.1:" + port + "/chat")) {
                assertEquals("opened 301 gone 300 late 0 messages 600", countOnceAllAreGone(probe));
            }
        }
    }

    /**
     * A client that sends a message and its close frame and shuts its side of the socket (or closes it) gets
     * the echo and the answer to its close frame. Java-WebSocket closed the connection as soon as it read the
     * end of the stream: the message and the close frame were mostly not even read (45 of 50 clients got
     * nothing), and an answer already queued was dropped.
     */
    @Test
    void aClientThatShutsItsSideAfterItsCloseFrameGetsItsEchoAndTheAnswer() throws Exception {
        try (RunningProgram p = echoServer(Map.of())) {
            int port = WebSocketServerTest.port(p);
            for (int i = 0; i < 50; i++) {
                try (RawSocket r = RawSocket.upgraded(port, "/chat")) {
                    r.send(concat(frame(b0(true, 0, TEXT), utf8("last words " + i), true),
                                    frame(b0(true, 0, CLOSE), closePayload(1000, new byte[0]), true)));
                    r.socket.shutdownOutput();
                    RawSocket.Frame echo = r.readFrame();
                    assertEquals(TEXT, echo.opcode(), "round " + i);
                    assertEquals("last words " + i, echo.text());
                    assertEquals(1000, r.awaitCloseCode(), "round " + i);
                    assertTrue(r.awaitEnd(), "the server ends the TCP connection");
                }
            }
        }
    }

    /**
     * Asks the server's count ("opened N gone M ...") through the probe until every one of 300 raw clients has
     * opened and is gone (the probe itself is the 301st open), and returns that last answer.
     */
    private static String countOnceAllAreGone(JdkClient probe) throws InterruptedException {
        String[] last = { "" };
        try {
            await("every connection but the probe has opened and is gone", () -> {
                try {
                    probe.send("count");
                    last[0] = probe.next();
                    return last[0].startsWith("opened 301 gone 300 ");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, 30);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; it says '" + last[0] + "'", e);
        }
        return last[0];
    }

    /**
     * Clients that send three messages and close their socket without reading while the server broadcasts
     * each message: what the server writes meets a closed socket, and its next read or write of it fails (a
     * reset). The server then closed the connection at once, dropping the messages it had read but not yet
     * decoded (504 of 900 handled), and now and then a connection opened and closed without the program
     * hearing of either ('opened 300 gone 299'). Now the worker closes it once they are handled. What the
     * system itself drops on a reset, before the server read it, is lost: hence the margin.
     */
    @Test
    void messagesOfAClientResetWhileTheServerWritesToItAreHandled() throws Exception {
        String setup = """
                        mut messages = 0
                        mut opened = 0
                        mut gone = 0
                        fn said(wsID: int, text: string) -> Result<Success, string> = match text {
                            "count" => websocketServerSend(serverID: 1, wsID: wsID, message: "opened ${opened} gone ${gone} messages ${messages}")
                            _ => {
                                messages = messages + 1
                                websocketServerBroadcast(serverID: 1, message: text)
                                Success()
                            }
                        }
                        fn configure(id: int) -> unit = {
                            websocketServerOnMessage(serverID: id, messageHandler: said)
                            websocketServerOnOpen(serverID: id, handler: fn(c: int) -> Result<Success, string> => {
                                opened = opened + 1
                                Success()
                            })
                            websocketServerOnClose(serverID: id, handler: fn(c: int) -> Result<Success, string> => {
                                gone = gone + 1
                                Success()
                            })
                            ()
                        }
                        """;
        try (RunningProgram p = RunningProgram.start("reset.osp", WebSocketServerTest.server(setup))) {
            int port = WebSocketServerTest.port(p);
            byte[] m = frame(b0(true, 0, TEXT), utf8("x".repeat(100)), true);
            byte[] three = concat(concat(m, m), m);
            for (int i = 0; i < 300; i++) {
                try (RawSocket r = RawSocket.upgraded(port, "/chat")) {
                    r.send(three);
                }
            }
            try (JdkClient probe = JdkClient.connect("ws://127.0.0.1:" + port + "/chat")) {
                String last = countOnceAllAreGone(probe); // a close is told once the client's messages are handled
                int handled = Integer.parseInt(last.substring(last.lastIndexOf(' ') + 1));
                // 807-876 seen with this change, 504 before it: 700 keeps the test able to fail without making
                // it depend on how much a loaded machine's resets drop.
                assertTrue(handled >= 700, "handled " + handled + " of 900 messages");
            }
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    // ---------------------------------------------------------------- resources

    static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Threads of this JVM, without the JDK's pools that come and go on their own. */
    static long threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                        .filter(t -> !t.getName().startsWith("ForkJoinPool") && !t.getName().startsWith("HttpClient")).count();
    }

    static long heapAfterGc() {
        System.gc();
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    static void await(String what, BooleanSupplier condition, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what);
            }
            Thread.sleep(50);
        }
    }

    static final String COUNTING_SERVER = WebSocketServerTest.server("""
                    mut open = 0
                    fn opened(wsID: int) -> Result<Success, string> = {
                        open = open + 1
                        Success()
                    }
                    fn closed(wsID: int) -> Result<Success, string> = {
                        open = open - 1
                        Success()
                    }
                    fn reply(wsID: int, text: string) -> Result<Success, string> = match text {
                        "count" => websocketServerSend(serverID: 1, wsID: wsID, message: "open ${open}")
                        _ => websocketServerSend(serverID: 1, wsID: wsID, message: text)
                    }
                    fn configure(id: int) -> unit = {
                        websocketServerOnOpen(serverID: id, handler: opened)
                        websocketServerOnClose(serverID: id, handler: closed)
                        websocketServerOnMessage(serverID: id, messageHandler: reply)
                        ()
                    }
                    """);

    static String count(JdkClient c) throws Exception {
        c.send("count");
        String m;
        do {
            m = c.next();
        } while (!m.startsWith("open "));
        return m;
    }

    @Test
    void aThousandConnectionsDroppedWithoutACloseFrameLeaveNothingBehind() throws Exception {
        try (RunningProgram p = new RunningProgram("count.osp", COUNTING_SERVER, Map.of())) {
            int port = WebSocketServerTest.port(p);
            try (JdkClient good = wellBehaved(port)) {
                assertEquals("open 1", count(good));
                long fds = openFileDescriptors();
                long threads = threads();
                long heap = heapAfterGc();
                for (int round = 0; round < 10; round++) {
                    List<RawSocket> sockets = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        if (i % 10 == 9) {
                            RawSocket half = RawSocket.connect(port); // dropped in the middle of its handshake
                            half.send("GET /chat HTTP/1.1\r\nHost: x\r\n");
                            sockets.add(half);
                            continue;
                        }
                        RawSocket r = RawSocket.upgraded(port, "/chat");
                        if (i % 2 == 0) {
                            // Half a frame of 900 KB: the server holds a buffer for it until the connection goes.
                            r.send(header(b0(true, 0, TEXT), 900_000, true, new byte[1000]));
                        } else {
                            r.sendText("unread echo");
                        }
                        sockets.add(r);
                    }
                    assertServed(good);
                    for (int i = 0; i < sockets.size(); i++) {
                        if (i % 3 == 0) {
                            sockets.get(i).socket.setSoLinger(true, 0); // a reset instead of an orderly end
                        }
                        sockets.get(i).close();
                    }
                    assertServed(good);
                }
                String[] last = { "" };
                try {
                    await("the program's count of open connections returns to 1", () -> {
                        try {
                            last[0] = count(good);
                            return last[0].equals("open 1");
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }, 30);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; it says '" + last[0] + "'", e);
                }
                await("file descriptors return to " + fds, () -> {
                    try {
                        return openFileDescriptors() <= fds + 3;
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }, 20);
                await("threads return to " + threads + ": " + threads(), () -> threads() <= threads, 20);
                // 450 connections held 900 KB each while open: leaked, that would be 400 MB.
                await("the heap returns to within 64 MB of " + (heap >> 20) + " MB", () -> heapAfterGc() < heap + (64L << 20), 20);
                assertServed(good);
                assertFalse(p.err().text().contains("Exception"), p.err().text());
            }
        }
    }
}
