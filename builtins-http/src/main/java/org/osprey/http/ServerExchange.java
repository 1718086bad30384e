package org.osprey.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import org.osprey.spi.Values;

/**
 * One request to a server: reads it (the body up to the size limit), calls the program's handler with spec
 * 0014's four strings, and sends the HttpResponse it returns. A handler that fails (an Osprey runtime error,
 * a stack overflow), or returns a response the server cannot send, is answered 500 with one line on stderr
 * saying why, and the server goes on.
 */
final class ServerExchange {
    private ServerExchange() {
    }

    /**
     * Serves one request. An IOException (the client went away while we read or answered, or was silent or
     * took nothing of the answer for longer than the ReadTimeout or WriteTimeout) is nothing to tell anyone,
     * but it goes on to the JDK's server: it then drops the connection from its tables. Caught here, the
     * connection was closed but kept there, with its buffers, until the server stopped.
     */
    static void serve(HttpServers state, HttpServers.Server server, HttpExchange exchange) throws IOException {
        server.asked = true;
        HttpServers.Call call = new HttpServers.Call();
        try {
            handle(state, server, exchange, call);
        } finally {
            if (call.stops && !server.stopped) {
                state.stopAfterAnswer(server);
            }
        }
    }

    private static void handle(HttpServers state, HttpServers.Server server, HttpExchange exchange, HttpServers.Call call) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            RequestChecks.Refusal refused = RequestChecks.refusal(exchange);
            if (refused != null) {
                exchange.getResponseHeaders().set("Connection", "close");
                send(server, exchange, method, refused.status(), null, refused.why());
                return;
            }
            String target = target(exchange.getRequestURI());
            int max = state.settings.maxBodySize();
            boolean chunked = exchange.getRequestHeaders().containsKey("Transfer-Encoding");
            if (chunked) {
                // The JDK's server reads a chunk's size into an int without a check: 100000000 (hex) was read
                // as 0, the body ended there, and what followed in the chunk was served as the connection's
                // next request (request smuggling). After a chunked body nothing more is read on its connection.
                exchange.getResponseHeaders().set("Connection", "close");
            }
            byte[] body;
            try {
                body = readBody(server, exchange, max);
            } catch (IOException | RuntimeException e) {
                // A chunked body the JDK cannot parse (a size that is not hex, or negative in its int), or a
                // body the client stopped sending: the connection closed with no answer.
                exchange.getResponseHeaders().set("Connection", "close");
                send(server, exchange, method, 400, null, chunked ? "malformed chunked request body" : "request body shorter than its Content-Length");
                return;
            }
            if (server.reading.remove(Thread.currentThread()) == null) {
                // The client stopped sending for longer than the ReadTimeout: the watch closes the connection.
                throw new IOException("the client was silent for longer than the ReadTimeout");
            }
            if (body == null) {
                exchange.getResponseHeaders().set("Connection", "close");
                send(server, exchange, method, 413, null, "request body larger than " + max + " bytes", true);
                return;
            }
            // A stop waits (a little) for this answer before it closes the connections.
            server.answerBegins();
            try {
                respond(state, server, exchange, call, method, target, body);
            } finally {
                server.answerEnds();
            }
        }
    }

    /** Calls the handler and sends its answer; 503 if the server is stopping, 500 if the handler failed. */
    private static void respond(HttpServers state, HttpServers.Server server, HttpExchange exchange, HttpServers.Call call, String method, String target,
                    byte[] body) throws IOException {
        Object response = state.callHandler(server, call, method, target, HeaderLines.format(exchange.getRequestHeaders()),
                        new String(body, StandardCharsets.UTF_8));
        if (response == HttpServers.STOPPING) {
            exchange.getResponseHeaders().set("Connection", "close");
            send(server, exchange, method, 503, null, "the server is stopping");
            return;
        }
        if (response == null) {
            // The failure is on stderr already (callFromForeignThread).
            send(server, exchange, method, 500, null, "internal server error");
            return;
        }
        String problem = answer(server, exchange, method, response);
        if (problem != null) {
            state.ctx.err().println("error: HTTP server " + server.id + ", " + method + " " + NetWords.shown(target) + ": " + problem + "; answered 500");
            send(server, exchange, method, 500, null, "internal server error");
        }
    }

    /**
     * The request target as sent, query included (the handler has no other way to see the query), as UTF-8
     * text. The JDK's server reads the request line as ISO-8859-1 (a byte a character): a path sent as raw
     * UTF-8 bytes, /café, reached the handler as /cafÃ©. The target is taken whole, not from the URI's parts:
     * //admin/page has no host, but its path was read as /page. An absolute-form target
     * (http://host/page) gives its path and query; a fragment, which no client should send, is left out.
     */
    static String target(URI uri) {
        String sent = uri.isAbsolute() ? uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "") : uri.toString();
        int fragment = sent.indexOf('#');
        if (fragment >= 0) {
            sent = sent.substring(0, fragment);
        }
        return new String(sent.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /**
     * How much more of a body over the limit is read and thrown away once its 413 is sent. Clients (the JDK's,
     * Python's http.client, curl after its 100 Continue) read the answer only once they have sent their whole
     * body: closing the connection with the rest of it unread resets the connection, and such a client saw
     * "connection reset" instead of the 413. A 50 MB upload to a server with the default limit did: at most
     * 16 MiB were read, and none of a body whose Content-Length said more.
     */
    private static final long DISCARD = 1L << 30;

    /** The request's body, or null when it is longer than {@code max} bytes (the rest of it left unread). */
    private static byte[] readBody(HttpServers.Server server, HttpExchange exchange, int max) throws IOException {
        InputStream in = exchange.getRequestBody();
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > max) {
                    return null;
                }
            } catch (NumberFormatException e) {
                // the JDK's server has refused a request with a bad length before it gets here
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[16384];
        Thread self = Thread.currentThread();
        for (int n; (n = in.read(chunk)) > 0;) {
            server.reading.replace(self, System.nanoTime()); // the client is sending: its ReadTimeout starts again
            if (out.size() + (long) n > max) {
                return null;
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * Reads up to {@code limit} more bytes of a body and throws them away. Each part that comes starts the
     * client's ReadTimeout again, as when a body is kept: a body over the limit coming slower than the
     * ReadTimeout as a whole (InputStream.skip, in one go) was cut off, and its client never got the 413.
     */
    private static void discard(HttpServers.Server server, InputStream in, long limit) throws IOException {
        byte[] chunk = new byte[16384];
        Thread self = Thread.currentThread();
        server.reading.put(self, System.nanoTime());
        for (long thrown = 0, n; thrown < limit && (n = in.read(chunk)) > 0; thrown += n) {
            server.reading.replace(self, System.nanoTime());
        }
    }

    /**
     * Sends the handler's HttpResponse; returns what is wrong with it instead (nothing sent yet), or null.
     * spec 0014: the body is partialBody; streaming (streamFd) is not supported here, so it must be -1.
     */
    private static String answer(HttpServers.Server server, HttpExchange exchange, String method, Object response) throws IOException {
        long status = (long) Values.field(response, "status");
        if (status < 200 || status > 599) {
            return "the handler returned status " + status + " (expected 200 to 599)";
        }
        long streamFd = (long) Values.field(response, "streamFd");
        if (streamFd != -1) {
            return "the handler returned streamFd " + streamFd + ": streaming a body from a file descriptor is not supported (use -1 and partialBody)";
        }
        java.util.List<HeaderLines.Header> headers;
        try {
            headers = HeaderLines.parse(Values.javaString(Values.field(response, "headers")));
        } catch (IllegalArgumentException e) {
            return "the handler's headers are not valid: " + e.getMessage();
        }
        for (HeaderLines.Header h : headers) {
            String bad = HeaderLines.unsendable(h.value());
            if (bad != null) {
                return "the value of the header '" + h.name() + "' " + bad;
            }
        }
        String contentType = Values.javaString(Values.field(response, "contentType"));
        String bad = HeaderLines.unsendable(contentType);
        if (bad != null) {
            return "the handler's contentType " + bad;
        }
        Headers out = exchange.getResponseHeaders();
        for (HeaderLines.Header h : headers) {
            // The server says how long the body is (or that it is chunked) itself.
            if (!h.name().equalsIgnoreCase("Content-Length") && !h.name().equalsIgnoreCase("Transfer-Encoding")) {
                out.add(h.name(), h.value());
            }
        }
        if (!contentType.isEmpty() && !out.containsKey("Content-Type")) {
            out.set("Content-Type", contentType);
        }
        send(server, exchange, method, (int) status, out, Values.javaString(Values.field(response, "partialBody")));
        return null;
    }

    /**
     * How much of an answer's body is handed to the connection at a time. Each part going out is what the
     * WriteTimeout waits for; a part this size also keeps the JDK's server from copying a large body into a
     * buffer twice its size, which it keeps with the connection (it did, for every answer written whole).
     */
    private static final int PART = 16384;

    /**
     * Sends an answer, watched from its first byte to its last: a client that takes no part of it for longer
     * than the WriteTimeout has its connection closed (HttpServers.closeStalled), and this throws.
     */
    private static void send(HttpServers.Server server, HttpExchange exchange, String method, int status, Headers set, String body) throws IOException {
        send(server, exchange, method, status, set, body, false);
    }

    /**
     * {@link #send}; with {@code thenDiscard} (a body over the limit, left unread), once the answer has gone out
     * the rest of the request's body is read and thrown away ({@link #DISCARD}), under the ReadTimeout, before
     * the connection closes.
     */
    private static void send(HttpServers.Server server, HttpExchange exchange, String method, int status, Headers set, String body, boolean thenDiscard)
                    throws IOException {
        if (set == null && !body.isEmpty()) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        // A HEAD answer, a 204, a 205 and a 304 have no body (RFC 9110): the JDK's server wants -1 for them. It
        // knows 204 and 304 itself, but sent a 205's body, which RFC 9110 section 15.3.6 says a server must not.
        boolean none = bytes.length == 0 || method.equals("HEAD") || status == 204 || status == 205 || status == 304;
        if (method.equals("HEAD") && status != 204 && status != 304) {
            // A HEAD answer has the head a GET would have, the body's length included (RFC 9110 section 9.3.2); the
            // JDK's server leaves that header to us for HEAD, and it went without: a client asking how large a
            // download is learnt nothing. An empty body's is 0, as a GET is told; a 205's is 0 whatever the handler gave.
            exchange.getResponseHeaders().set("Content-Length", status == 205 ? "0" : Integer.toString(bytes.length));
        }
        Thread self = Thread.currentThread();
        server.writing.put(self, System.nanoTime());
        try {
            exchange.sendResponseHeaders(status, none ? -1 : bytes.length);
            if (!none) {
                try (OutputStream o = exchange.getResponseBody()) {
                    for (int at = 0; at < bytes.length; at += PART) {
                        o.write(bytes, at, Math.min(PART, bytes.length - at));
                        server.writing.replace(self, System.nanoTime()); // this part went out: the WriteTimeout starts again
                    }
                    if (thenDiscard) {
                        o.flush();
                        server.writing.remove(self);
                        discard(server, exchange.getRequestBody(), DISCARD);
                    }
                }
            }
        } finally {
            server.writing.remove(self);
        }
    }
}
