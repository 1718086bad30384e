package org.osprey.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

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
        Socket s = new Socket();
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

    /** One whole response (head and a body of Content-Length bytes), leaving the connection open. */
    String readResponse() throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("the server closed the connection in a response's head: " + head);
            }
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        byte[] body = in.readNBytes(length);
        return head + new String(body, StandardCharsets.ISO_8859_1);
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
