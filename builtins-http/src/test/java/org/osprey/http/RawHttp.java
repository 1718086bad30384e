package org.osprey.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One end of an HTTP/1.1 connection written byte by byte, free to break every rule of RFC 9112: the tests'
 * abusive clients. Bytes are ISO-8859-1 both ways (one char a byte), so a test sees exactly what went over
 * the wire. Reads time out after 10 s, so a test that waits for something that never comes fails instead of
 * hanging.
 */
final class RawHttp implements AutoCloseable {
    final Socket socket;
    private final InputStream in;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
    }

    static RawHttp connect(int port) throws IOException {
        return connect(port, 0);
    }

    /**
     * A connection whose receive buffer is {@code receiveBuffer} bytes (0: the system's, which grows as the
     * test reads): small, it holds little of an answer the test does not read, so the server's writing stalls.
     */
    static RawHttp connect(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer); // before connecting: the window is agreed then
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new RawHttp(s);
    }

    /** Sends {@code request} on a new connection and returns everything the server sends until it closes. */
    static String exchange(int port, String request) throws IOException {
        try (RawHttp r = connect(port)) {
            r.send(request);
            return r.readToEnd();
        }
    }

    void send(String bytes) throws IOException {
        socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /**
     * Everything until the server closes the connection; "[reset]" at the end when it reset it. A read that
     * times out fails the test with what came so far.
     */
    String readToEnd() throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        try {
            for (int n; (n = in.read(b)) >= 0;) {
                got.write(b, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither answered nor closed within 10 s; got: " + got.toString(StandardCharsets.ISO_8859_1));
        } catch (SocketException e) {
            return got.toString(StandardCharsets.ISO_8859_1) + "[reset]";
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    /** A response's head, up to and with the empty line that ends it. */
    String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("the server closed the connection in a response's head: " + head);
            }
            head.append((char) c);
        }
        return head.toString();
    }

    /** One whole response (head and a body of Content-Length bytes), leaving the connection open. */
    String readResponse() throws IOException {
        String head = readHead();
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        byte[] body = in.readNBytes(length);
        return head + new String(body, StandardCharsets.ISO_8859_1);
    }

    /** Waits (at most 10 s) until some of the server's answer has come, without reading it. */
    void awaitBytes() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (in.available() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nothing came from the server within 10 s");
            }
            Thread.sleep(10);
        }
    }

    /**
     * Waits, without reading, until the server has closed the connection, and returns how long that took in
     * ms. A closed connection is told by sending: a byte sent to a socket its server closed is answered with a
     * reset, and the next send fails. (The bytes go unread to a server still answering: it reads the next
     * request only once its answer is sent.) After {@code within} the test fails instead of waiting longer.
     */
    long awaitClosedByServer(Duration within) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                socket.getOutputStream().write('x');
                socket.getOutputStream().flush();
                Thread.sleep(20);
            }
        } catch (SocketException e) {
            return (System.nanoTime() - start) / 1_000_000;
        }
        throw new AssertionError("the server had not closed the connection after " + within.toMillis() + " ms");
    }

    /** The server's whole answer to one request ({@link #exchange}), its Date line as {@link #dated} gives it. */
    static String datedExchange(int port, String request) throws IOException {
        return dated(exchange(port, request));
    }

    /** A response with its Date line (the only one that changes from run to run) as "Date: DATE". */
    static String dated(String response) {
        return response.replaceAll("\r\nDate: [^\r\n]*\r\n", "\r\nDate: DATE\r\n");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
