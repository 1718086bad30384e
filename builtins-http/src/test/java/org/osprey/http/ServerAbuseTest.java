package org.osprey.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An Osprey HTTP server against clients written from raw bytes (RawHttp) on 127.0.0.1, and handlers that
 * return what a server cannot send. Each test reads the exact bytes the server answers, and checks that the
 * server goes on answering a well-behaved request afterwards.
 */
class ServerAbuseTest {
    /**
     * A server whose handler puts the request's body where a careless program would: in a header's value
     * (/name), as the content type (/type), as its headers (/headers); other paths echo the request.
     */
    static final String SERVER = """
                    fn text(status: int, headers: string, contentType: string, body: string) -> HttpResponse =
                        HttpResponse { status: status, headers: headers, contentType: contentType, streamFd: -1, isComplete: true, partialBody: body }

                    fn route(method: string, path: string, headers: string, body: string) -> HttpResponse = match path {
                        "/name" => text(status: 200, headers: "X-Name: ${body}", contentType: "text/plain", body: "named")
                        "/type" => text(status: 200, headers: "", contentType: body, body: "typed")
                        "/headers" => text(status: 200, headers: body, contentType: "text/plain", body: "hello")
                        _ => text(status: 200, headers: "", contentType: "text/plain", body: "${method} ${path} [${body}]\\n${headers}")
                    }

                    let server = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                    httpListen(serverID: server, handler: route)
                    print("PORT ${httpServerPort(serverID: server) ?: -1}")
                    httpKeepAlive()
                    """;

    static final String ANSWERED_500 = "HTTP/1.1 500 Internal Server Error\r\nDate: DATE\r\nContent-type: text/plain; charset=utf-8\r\n"
                    + "Content-length: 21\r\n\r\ninternal server error";

    @AfterEach
    void noServerThreadsLeft() throws InterruptedException {
        Osprey.awaitNoThreads("osprey-http");
        Osprey.awaitNoThreads("HTTP-Dispatcher");
    }

    /** A POST of {@code body} (ISO-8859-1: one char a byte) to {@code path}, on a connection of its own. */
    static String post(int port, String path, String body) throws Exception {
        return RawHttp.datedExchange(port, "POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + body.length()
                        + "\r\n\r\n" + body);
    }

    /** The server still answers a well-behaved request. */
    static void assertServing(int port) throws Exception {
        assertEquals("HTTP/1.1 200 OK\r\nDate: DATE\r\nContent-type: text/plain\r\nContent-length: 38\r\n\r\nGET /fine []\nConnection: close\nHost: x",
                        RawHttp.datedExchange(port, "GET /fine HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    }

    @Test
    void aHandlerCannotSplitTheResponseOrSendAHeaderThatCannotBeSent() throws Exception {
        try (Osprey.Background p = new Osprey.Background(SERVER, Map.of())) {
            int port = p.port();
            // The content type is sent as it is: a line break in it started a header line of the client's
            // choosing (the JDK threw, and the connection closed with no answer), and a line break with a
            // space after it went out as an obsolete folded line.
            assertEquals(ANSWERED_500, post(port, "/type", "text/plain\r\nSet-Cookie: session=stolen"));
            assertEquals(ANSWERED_500, post(port, "/type", "text/plain\r\n Set-Cookie: session=stolen"));
            assertEquals(ANSWERED_500, post(port, "/type", "text/plain\nSet-Cookie: session=stolen"));
            assertEquals(ANSWERED_500, post(port, "/name", "a\rSet-Cookie: session=stolen"));
            // A NUL and a DEL went out as they were; a character above U+00FF (here ✓, sent as UTF-8) made the
            // JDK throw, and the connection closed unanswered; é went out as one byte that is not UTF-8.
            assertEquals(ANSWERED_500, post(port, "/name", "a\0b"));
            assertEquals(ANSWERED_500, post(port, "/name", "del\u007f"));
            assertEquals(ANSWERED_500, post(port, "/name", "caf\u00e2\u009c\u0093"));
            assertEquals(ANSWERED_500, post(port, "/name", "caf\u00c3\u00a9"));
            // Tabs and spaces are kept inside the value.
            assertEquals("HTTP/1.1 200 OK\r\nDate: DATE\r\nContent-type: text/plain\r\nX-name: cafe au\tlait\r\nContent-length: 5\r\n\r\nnamed",
                            post(port, "/name", "cafe au\tlait"));
            assertServing(port);
            assertEquals("""
                            error: HTTP server 1, POST /type: the handler's contentType has a line break; answered 500
                            error: HTTP server 1, POST /type: the handler's contentType has a line break; answered 500
                            error: HTTP server 1, POST /type: the handler's contentType has a line break; answered 500
                            error: HTTP server 1, POST /name: the value of the header 'X-Name' has a line break; answered 500
                            error: HTTP server 1, POST /name: the value of the header 'X-Name' has the control character U+0000; answered 500
                            error: HTTP server 1, POST /name: the value of the header 'X-Name' has the control character U+007F; answered 500
                            error: HTTP server 1, POST /name: the value of the header 'X-Name' has the character '✓' (U+2713), which a header cannot carry (header values are ASCII text); answered 500
                            error: HTTP server 1, POST /name: the value of the header 'X-Name' has the character 'é' (U+00E9), which a header cannot carry (header values are ASCII text); answered 500
                            """, p.err.text());
        }
    }

    static final String CHUNKED = "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";

    static final String BAD_CHUNKS = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nDate: DATE\r\nContent-type: text/plain; charset=utf-8\r\n"
                    + "Content-length: 30\r\n\r\nmalformed chunked request body";

    @Test
    void aChunkedBodyCannotSmuggleARequestAndAMalformedOneIsAnswered400() throws Exception {
        try (Osprey.Background p = new Osprey.Background(SERVER, Map.of())) {
            int port = p.port();
            // The JDK's server reads a chunk size into an int: 100000000 (hex) was 0, the body ended there, and
            // the "chunk" was answered as a second request. Now the connection closes after a chunked body.
            String smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
            assertEquals("HTTP/1.1 200 OK\r\nConnection: close\r\nDate: DATE\r\nContent-type: text/plain\r\nContent-length: 45\r\n\r\n"
                            + "POST /c []\nHost: x\nTransfer-encoding: chunked",
                            RawHttp.datedExchange(port, CHUNKED + "100000000\r\n\r\n" + smuggled));
            // A well-formed chunked body is read whole; what is sent after it on the connection is not served.
            assertEquals("HTTP/1.1 200 OK\r\nConnection: close\r\nDate: DATE\r\nContent-type: text/plain\r\nContent-length: 53\r\n\r\n"
                            + "POST /c [helloabc]\nHost: x\nTransfer-encoding: chunked",
                            RawHttp.datedExchange(port, CHUNKED + "5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\n\r\n" + smuggled));
            // A size that is not hex, and one the JDK reads as negative, closed the connection with no answer.
            assertEquals(BAD_CHUNKS, RawHttp.datedExchange(port, CHUNKED + "zz\r\nhello\r\n0\r\n\r\n"));
            assertEquals(BAD_CHUNKS, RawHttp.datedExchange(port, CHUNKED + "ffffffff\r\nhello\r\n0\r\n\r\n"));
            assertEquals(BAD_CHUNKS, RawHttp.datedExchange(port, CHUNKED + ("1".repeat(3000)) + "\r\n"));
            assertServing(port);
            assertEquals("", p.err.text());
        }
    }

    /** The body of the answer to {@code request} (a connection of its own), read as UTF-8: the handler's echo. */
    static String echo(int port, String request) throws Exception {
        String answer = RawHttp.exchange(port, request);
        return new String(answer.substring(answer.indexOf("\r\n\r\n") + 4).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                        java.nio.charset.StandardCharsets.UTF_8);
    }

    static String get(int port, String target) throws Exception {
        return echo(port, "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }

    @Test
    void theHandlerSeesTheTargetAsSentAndRawBytesAsUtf8() throws Exception {
        try (Osprey.Background p = new Osprey.Background(SERVER, Map.of())) {
            int port = p.port();
            String headers = "\nConnection: close\nHost: x";
            // Raw UTF-8 in the target reached the handler read a byte a character (/cafÃ©); bytes that are not
            // UTF-8 become U+FFFD, as in a body. Percent-encoding is left as sent.
            assertEquals("GET /caf\u00e9?q=\u00e9 []" + headers, get(port, "/caf\u00c3\u00a9?q=\u00c3\u00a9"));
            assertEquals("GET /\ufffd\ufffd []" + headers, get(port, "/\u00ff\u00fe"));
            assertEquals("GET /caf%C3%A9 []" + headers, get(port, "/caf%C3%A9"));
            // "//admin/page" has no host: its path was read as /page, a route the client did not ask for.
            assertEquals("GET //admin/page []" + headers, get(port, "//admin/page"));
            assertEquals("GET /a/../../etc/passwd []" + headers, get(port, "/a/../../etc/passwd"));
            // An absolute-form target gives its path and query; the host in it is not the Host header.
            assertEquals("GET /abs?q=1 []" + headers, get(port, "http://example.org/abs?q=1"));
            assertEquals("GET /a []" + headers, get(port, "/a#fragment"));
            // Header bytes are Latin-1 (one byte a character), as the server sends them; a body is UTF-8.
            assertEquals("POST /b [\u00e9\ufffd]\nConnection: close\nContent-length: 3\nHost: x\nX-latin: caf\u00e9",
                            echo(port, "POST /b HTTP/1.1\r\nHost: x\r\nX-Latin: caf\u00e9\r\nConnection: close\r\nContent-Length: 3\r\n\r\n\u00c3\u00a9\u00ff"));
            assertServing(port);
            assertEquals("", p.err.text());
        }
    }

    @Test
    void aClientThatStopsSendingInTheMiddleOfARequestIsCutOffAfterTheReadTimeout() throws Exception {
        // The JDK's server waited for the rest of a request for ever: each such client kept a connection and a
        // thread until the process ran out of file descriptors and the server could accept no one.
        try (Osprey.Background p = new Osprey.Background(SERVER, Map.of("osprey.Plugin.http.ReadTimeout", "300"));
                        RawHttp halfHead = RawHttp.connect(p.port());
                        RawHttp halfBody = RawHttp.connect(p.port());
                        RawHttp slowBody = RawHttp.connect(p.port())) {
            int port = p.port();
            halfHead.send("POST /half-head HTTP/1.1\r\nHost: x\r\nContent-");
            halfBody.send("POST /half-body HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
            long start = System.nanoTime();
            assertEquals("", halfHead.readToEnd());
            assertEquals("", halfBody.readToEnd());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 250 && millis < 5000, "closed after " + millis + " ms");
            assertServing(port);
            // Both are dropped by the JDK's server as well (it kept the half body's, buffers and all, in its
            // tables until it stopped); only slowBody's, which has sent nothing yet, is left.
            Osprey.awaitJdkServerConnections(1);
            // A body that keeps coming, however slowly, is read to its end: the timeout is for silence.
            slowBody.send("POST /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 6\r\n\r\n");
            for (char c : "abcdef".toCharArray()) {
                Thread.sleep(100);
                slowBody.send(String.valueOf(c));
            }
            assertEquals("HTTP/1.1 200 OK\r\nDate: DATE\r\nContent-type: text/plain\r\nContent-length: 63\r\n\r\n"
                            + "POST /slow [abcdef]\nConnection: close\nContent-length: 6\nHost: x", RawHttp.dated(slowBody.readToEnd()));
            assertEquals("", p.err.text());
        }
    }

    @Test
    void aSlowBodyOverTheLimitIsReadToItsEndAndAnswered413() throws Exception {
        // A body declared larger than the limit is read and thrown away before the 413, so that the client,
        // which reads the answer only once it has sent its body, gets it. That reading did not count as the
        // client sending: a body coming slower than the ReadTimeout as a whole was cut off, unanswered.
        try (Osprey.Background p = new Osprey.Background(SERVER, Map.of("osprey.Plugin.http.ReadTimeout", "300", "osprey.Plugin.http.MaxBodySize", "4"));
                        RawHttp slow = RawHttp.connect(p.port())) {
            slow.send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\n\r\n");
            for (char c : "abcdefgh".toCharArray()) {
                Thread.sleep(100);
                slow.send(String.valueOf(c));
            }
            assertEquals("HTTP/1.1 413 Request Entity Too Large\r\nConnection: close\r\nDate: DATE\r\nContent-type: text/plain; charset=utf-8\r\nContent-length: 32\r\n\r\n"
                            + "request body larger than 4 bytes", RawHttp.dated(slow.readResponse()));
            assertEquals("", p.err.text());
        }
    }

    @Test
    void pipelinedHeadOldAndExpectingRequestsAreAnsweredAsHttpSays() throws Exception {
        try (Osprey.Background p = new Osprey.Background(SERVER, Map.of())) {
            int port = p.port();
            // Two requests sent at once on one connection are answered in order.
            assertEquals("HTTP/1.1 200 OK\r\nDate: DATE\r\nContent-type: text/plain\r\nContent-length: 21\r\n\r\nGET /first []\nHost: x"
                            + "HTTP/1.1 200 OK\r\nDate: DATE\r\nContent-type: text/plain\r\nContent-length: 40\r\n\r\nGET /second []\nConnection: close\nHost: x",
                            RawHttp.datedExchange(port, "GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            // HEAD: the head a GET would have, its Content-Length included, and no body.
            assertEquals("HTTP/1.1 200 OK\r\nDate: DATE\r\nContent-type: text/plain\r\nContent-length: 36\r\n\r\n",
                            RawHttp.datedExchange(port, "HEAD /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            // HTTP/1.0 without Host: answered, and the connection closed.
            assertEquals("HTTP/1.1 200 OK\r\nConnection: close\r\nDate: DATE\r\nContent-type: text/plain\r\nContent-length: 12\r\n\r\nGET /old []\n",
                            RawHttp.datedExchange(port, "GET /old HTTP/1.0\r\n\r\n"));
            // Expect: 100-continue: the JDK's server says 100 (with a Content-Length it should not send) before the body.
            try (RawHttp r = RawHttp.connect(port)) {
                r.send("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\n");
                assertEquals("HTTP/1.1 100 Continue\r\nContent-Length: 0\r\n\r\n", r.readResponse());
                r.send("ok");
                assertEquals("HTTP/1.1 200 OK\r\nDate: DATE\r\nContent-type: text/plain\r\nContent-length: 77\r\n\r\n"
                                + "POST /e [ok]\nConnection: close\nContent-length: 2\nExpect: 100-continue\nHost: x", RawHttp.dated(r.readToEnd()));
            }
            // The handler's own Content-Length and Transfer-Encoding are not sent: the server says how long the body is.
            assertEquals("HTTP/1.1 200 OK\r\nX-kept: yes\r\nDate: DATE\r\nContent-type: text/plain\r\nContent-length: 5\r\n\r\nhello",
                            post(port, "/headers", "Content-Length: 2\nTransfer-Encoding: chunked\nX-Kept: yes"));
            assertEquals("", p.err.text());
        }
    }

    @Test
    void answersOfAStatusThatHasNoContentAreSentWithoutTheHandlersBodyAndHeadIsToldTheLengthAGetIs() throws Exception {
        String program = """
                        fn answer(method: string, path: string, headers: string, body: string) -> HttpResponse = HttpResponse {
                            status: parseInt(take(drop(path, 1), 3)) ?: 500, headers: "", contentType: "text/plain", streamFd: -1, isComplete: true,
                            partialBody: match endsWith(path, "/empty") {
                                true => ""
                                false => "some text"
                            }
                        }
                        let server = httpCreateServer(port: 0, address: "127.0.0.1") ?: -1
                        httpListen(serverID: server, handler: answer)
                        print("PORT ${httpServerPort(serverID: server) ?: -1}")
                        httpKeepAlive()
                        """;
        try (Osprey.Background p = new Osprey.Background(program, Map.of())) {
            int port = p.port();
            // RFC 9110 sections 15.3.5, 15.3.6 and 15.4.5: no content in a 204, a 205 or a 304. The 205 went out
            // with the handler's body.
            assertEquals("HTTP/1.1 204 No Content\r\nDate: DATE\r\nContent-type: text/plain\r\n\r\n",
                            RawHttp.datedExchange(port, "GET /204 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            assertEquals("HTTP/1.1 205 Reset Content\r\nDate: DATE\r\nContent-type: text/plain\r\nContent-length: 0\r\n\r\n",
                            RawHttp.datedExchange(port, "POST /205 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx"));
            assertEquals("HTTP/1.1 304 Not Modified\r\nDate: DATE\r\nContent-type: text/plain\r\n\r\n",
                            RawHttp.datedExchange(port, "GET /304 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            assertEquals("HTTP/1.1 200 OK\r\nDate: DATE\r\nContent-type: text/plain\r\nContent-length: 9\r\n\r\nsome text",
                            RawHttp.datedExchange(port, "GET /200 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            // HEAD: the Content-Length a GET is told, for an empty body too (it went without one) and for a 205.
            assertEquals("HTTP/1.1 200 OK\r\nDate: DATE\r\nContent-type: text/plain\r\nContent-length: 9\r\n\r\n",
                            RawHttp.datedExchange(port, "HEAD /200 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            assertEquals("HTTP/1.1 200 OK\r\nDate: DATE\r\nContent-type: text/plain\r\nContent-length: 0\r\n\r\n",
                            RawHttp.datedExchange(port, "GET /200/empty HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            assertEquals("HTTP/1.1 200 OK\r\nDate: DATE\r\nContent-type: text/plain\r\nContent-length: 0\r\n\r\n",
                            RawHttp.datedExchange(port, "HEAD /200/empty HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            assertEquals("HTTP/1.1 205 Reset Content\r\nDate: DATE\r\nContent-type: text/plain\r\nContent-length: 0\r\n\r\n",
                            RawHttp.datedExchange(port, "HEAD /205 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            assertEquals("HTTP/1.1 204 No Content\r\nDate: DATE\r\nContent-type: text/plain\r\n\r\n",
                            RawHttp.datedExchange(port, "HEAD /204 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            assertEquals("", p.err.text());
        }
    }

    /** A server whose handler says it was called (with its method's length) and fails. */
    static final String FAILING = "fn fail(method: string, path: string, headers: string, body: string) -> HttpResponse = {\n"
                    + "    print(\"called with ${length(method)} characters\")\n"
                    + "    HttpResponse { status: 42, headers: \"\", contentType: \"\", streamFd: -1, isComplete: true, partialBody: \"\" }\n}\n"
                    + SERVER.substring(SERVER.indexOf("let server")).replace("handler: route", "handler: fail");

    /** The server's answer to a request it refuses, with its connection closed. */
    static String refused(int status, String reason, String why) {
        return "HTTP/1.1 " + status + " " + reason + "\r\nConnection: close\r\nDate: DATE\r\nContent-type: text/plain; charset=utf-8\r\n"
                        + "Content-length: " + why.length() + "\r\n\r\n" + why;
    }

    @Test
    void aMethodThatIsNotATokenIsAnswered400WithoutCallingTheHandler() throws Exception {
        // The JDK's server took whatever came before the first space as the method: a terminal's escape
        // sequence went to the handler, and on to stderr when the handler failed.
        try (Osprey.Background p = new Osprey.Background(FAILING, Map.of())) {
            int port = p.port();
            String refused = refused(400, "Bad Request", "invalid request method");
            assertEquals(refused, RawHttp.datedExchange(port, "GET\u001B[2J\u001B]0;pwned\u0007 / HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertEquals(refused, RawHttp.datedExchange(port, "G\u0000T / HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertEquals(refused, RawHttp.datedExchange(port, "G\u00c9T / HTTP/1.1\r\nHost: x\r\n\r\n"));
            // A method of letters the server does not know is the handler's to answer.
            assertEquals(ANSWERED_500, RawHttp.datedExchange(port, "BREW /pot HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            assertEquals("PORT " + port + "\ncalled with 4 characters\n", p.out.text());
            assertEquals("error: HTTP server 1, BREW /pot: the handler returned status 42 (expected 200 to 599); answered 500\n", p.err.text());
        }
    }

    @Test
    void aRequestLineVersionHostOrLengthThatHttpRefusesIsAnsweredWithoutCallingTheHandler() throws Exception {
        try (Osprey.Background p = new Osprey.Background(FAILING, Map.of())) {
            int port = p.port();
            String badLine = refused(400, "Bad Request", "invalid request line: expected 'METHOD /target HTTP/1.1'");
            // The JDK's server takes what follows the target's space as the version, unchecked: each of these
            // was served as HTTP/1.1, the first as GET /a.
            assertEquals(badLine, RawHttp.datedExchange(port, "GET /a b\r\nHost: x\r\n\r\n"));
            assertEquals(badLine, RawHttp.datedExchange(port, "GET /a FOO\r\nHost: x\r\n\r\n"));
            assertEquals(badLine, RawHttp.datedExchange(port, "GET /a http/1.1\r\nHost: x\r\n\r\n"));
            assertEquals(badLine, RawHttp.datedExchange(port, "GET /a HTTP/1.10\r\nHost: x\r\n\r\n"));
            assertEquals(refused(505, "HTTP Version Not Supported", "HTTP version 2.0 not supported: this server speaks HTTP/1.1"),
                            RawHttp.datedExchange(port, "GET /a HTTP/2.0\r\nHost: x\r\n\r\n"));
            // RFC 9112: an HTTP/1.1 request has one Host header, with a host in it. Two were both handed on.
            assertEquals(refused(400, "Bad Request", "missing Host header"), RawHttp.datedExchange(port, "GET /a HTTP/1.1\r\n\r\n"));
            assertEquals(refused(400, "Bad Request", "more than one Host header"),
                            RawHttp.datedExchange(port, "GET /a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"));
            assertEquals(refused(400, "Bad Request", "invalid Host header"),
                            RawHttp.datedExchange(port, "GET /a HTTP/1.1\r\nHost: a/b@c\r\n\r\n"));
            // Content-Length is digits: "+3" was read as 3.
            assertEquals(refused(400, "Bad Request", "invalid Content-Length"),
                            RawHttp.datedExchange(port, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc"));
            // What HTTP allows is the handler's: HTTP/1.0 without Host, a later HTTP/1.x as 1.1, an empty Host,
            // a host with a port, an IP literal.
            assertEquals(ANSWERED_500.replace("\r\nDate", "\r\nConnection: close\r\nDate"), RawHttp.datedExchange(port, "GET /a HTTP/1.0\r\n\r\n"));
            for (String request : new String[] {"GET /a HTTP/1.2\r\nHost: x\r\n\r\n", "GET /a HTTP/1.1\r\nHost:\r\n\r\n",
                            "GET /a HTTP/1.1\r\nHost: example.org:8080\r\n\r\n", "GET /a HTTP/1.1\r\nHost: [::1]:80\r\n\r\n"}) {
                try (RawHttp r = RawHttp.connect(port)) {
                    r.send(request);
                    assertEquals(ANSWERED_500, RawHttp.dated(r.readResponse()), request);
                }
            }
            assertEquals("PORT " + port + "\n" + "called with 3 characters\n".repeat(5), p.out.text());
        }
    }

    @Test
    void aHeaderValueWithAControlCharacterIsAnswered400WithoutCallingTheHandler() throws Exception {
        // RFC 9110 section 5.5: a NUL in a field value must be refused. The JDK's server handed it, or a terminal's
        // escape sequence, to the handler as part of its headers.
        try (Osprey.Background p = new Osprey.Background(FAILING, Map.of())) {
            int port = p.port();
            String refused = refused(400, "Bad Request", "invalid value of the header X-a (a control character)");
            assertEquals(refused, RawHttp.datedExchange(port, "GET /a HTTP/1.1\r\nHost: x\r\nX-A: b\u0000c\r\n\r\n"));
            assertEquals(refused, RawHttp.datedExchange(port, "GET /a HTTP/1.1\r\nHost: x\r\nX-A: \u001B[2J\u001B]0;pwned\u0007\r\n\r\n"));
            assertEquals(refused, RawHttp.datedExchange(port, "GET /a HTTP/1.1\r\nHost: x\r\nX-A: del\u007f\r\n\r\n"));
            // A tab is allowed, and so are bytes beyond ASCII (read as Latin-1: see theHandlerSeesTheTargetAsSent...).
            assertEquals(ANSWERED_500, RawHttp.datedExchange(port, "GET /a HTTP/1.1\r\nHost: x\r\nX-A: a\tb \u00e9\r\nConnection: close\r\n\r\n"));
            assertEquals("PORT " + port + "\ncalled with 3 characters\n", p.out.text());
        }
    }

    /**
     * What the JDK's server decides before any of Osprey's code runs, as docs/http.md says ("What the JDK's
     * server decides"). These are not what HTTP asks for; when a JDK changes one, this fails and the docs
     * are to be changed with it.
     */
    @Test
    void whatTheJdksServerDecidesIsAsTheDocsSay() throws Exception {
        try (Osprey.Background p = new Osprey.Background(SERVER, Map.of())) {
            int port = p.port();
            assertEquals("HTTP/1.1 400 Bad Request\r\nContent-Length: 49\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"
                            + "<h1>400 Bad Request</h1>URISyntaxException thrown", RawHttp.exchange(port, "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertEquals("HTTP/1.1 400 Bad Request\r\nContent-Length: 49\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"
                            + "<h1>400 Bad Request</h1>URISyntaxException thrown", RawHttp.exchange(port, "GET /a|b HTTP/1.1\r\nHost: x\r\n\r\n"));
            // A target of a scheme and no '/' (CONNECT's host:port among them): closed, unanswered.
            assertEquals("", RawHttp.exchange(port, "CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n"));
            assertEquals("", RawHttp.exchange(port, "GET http:a HTTP/1.1\r\nHost: x\r\n\r\n"));
            String headers = "\nConnection: close\nHost: x";
            assertEquals("GET /a []" + headers, get(port, "/a b"));
            // 100000005 (hex) is read as 5: the handler gets the 5 bytes as the whole body.
            assertEquals("POST /c [hello]\nHost: x\nTransfer-encoding: chunked", echo(port, CHUNKED + "100000005\r\nhello\r\n0\r\n\r\n"));
            // A head over 380 KiB: the connection is closed, unanswered.
            try (RawHttp r = RawHttp.connect(port)) {
                try {
                    r.send("GET /big-head HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(400_000) + "\r\n\r\n");
                } catch (java.net.SocketException e) {
                    // closed while the head was still being sent
                }
                String got = r.readToEnd();
                assertTrue(got.equals("") || got.equals("[reset]"), got);
            }
            assertServing(port);
            assertEquals("", p.err.text());
        }
    }
}
