package org.osprey.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One end of a WebSocket written byte by byte, free to break every rule of RFC 6455: the tests' abusive
 * clients, and the fake servers the client tests talk to. Reads time out after 10 s, so a test that waits
 * for something that never comes fails instead of hanging.
 */
final class RawSocket implements AutoCloseable {
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CLOSE = 8;
    static final int PING = 9;
    static final int PONG = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    final Socket socket;
    final InputStream in;
    final OutputStream out;

    RawSocket(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawSocket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new RawSocket(s);
    }

    /** A connection upgraded with a valid request to {@code path}; the 101 response is checked. */
    static RawSocket upgraded(int port, String path) throws IOException {
        RawSocket r = connect(port);
        String key = newKey();
        r.send(request(path, key, Map.of()));
        Response response = r.readResponse();
        assertEquals(101, response.status(), response.toString());
        assertEquals(StrictDraft.acceptFor(key), response.header("Sec-WebSocket-Accept"));
        return r;
    }

    static String newKey() {
        byte[] k = new byte[16];
        RANDOM.nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    /** A valid upgrade request; {@code changes} replaces headers, and a null value leaves a header out. */
    static String request(String path, String key, Map<String, String> changes) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", "127.0.0.1");
        h.put("Upgrade", "websocket");
        h.put("Connection", "Upgrade");
        h.put("Sec-WebSocket-Key", key);
        h.put("Sec-WebSocket-Version", "13");
        h.putAll(changes);
        StringBuilder b = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
        h.forEach((k, v) -> {
            if (v != null) {
                b.append(k).append(": ").append(v).append("\r\n");
            }
        });
        return b.append("\r\n").toString();
    }

    void send(String ascii) throws IOException {
        send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** An HTTP response head, and its body when it has a Content-Length. */
    Response readResponse() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the response head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        String body = "";
        if (headers.containsKey("content-length")) {
            body = new String(in.readNBytes(Integer.parseInt(headers.get("content-length"))), StandardCharsets.UTF_8);
        }
        return new Response(status, headers, body);
    }

    /** A frame's first byte: FIN, RSV bits and the opcode. */
    static int b0(boolean fin, int rsv, int opcode) {
        return (fin ? 0x80 : 0) | rsv << 4 | opcode;
    }

    /** The bytes of one frame; a client masks it with a random key. */
    static byte[] frame(int b0, byte[] payload, boolean mask) {
        return header(b0, payload.length, mask, payload);
    }

    /** A frame header announcing {@code length} bytes, followed by {@code payload} (which may be shorter). */
    static byte[] header(int b0, long length, boolean mask, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        b.put((byte) b0);
        int m = mask ? 0x80 : 0;
        if (length >= 0 && length <= 125) {
            b.put((byte) (m | length));
        } else if (length >= 0 && length <= 0xffff) {
            b.put((byte) (m | 126)).putShort((short) length);
        } else {
            b.put((byte) (m | 127)).putLong(length);
        }
        byte[] key = new byte[4];
        if (mask) {
            RANDOM.nextBytes(key);
            b.put(key);
        }
        for (int i = 0; i < payload.length; i++) {
            b.put((byte) (payload[i] ^ key[i & 3]));
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] closePayload(int code, byte[] reason) {
        return ByteBuffer.allocate(2 + reason.length).putShort((short) code).put(reason).array();
    }

    /** A masked text frame, as a client sends it. */
    void sendText(String text) throws IOException {
        send(frame(b0(true, 0, TEXT), utf8(text), true));
    }

    record Frame(int b0, boolean masked, byte[] payload) {
        int opcode() {
            return b0 & 0x0f;
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xff) << 8 | payload[1] & 0xff : 1005;
        }

        String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    Frame readFrame() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = (readByte() << 8) | readByte();
        } else if (length == 127) {
            length = ByteBuffer.wrap(in.readNBytes(8)).getLong();
        }
        byte[] key = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("connection closed inside a frame");
        }
        if (key != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= key[i & 3];
            }
        }
        return new Frame(b0, key != null, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    /** Reads frames until a close frame and returns its code; the frames before it are skipped. */
    int awaitCloseCode() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.opcode() == CLOSE) {
                return f.closeCode();
            }
        }
    }

    /** Reads until the other side ends the TCP connection; true if it did within the socket's timeout. */
    boolean awaitEnd() throws IOException {
        byte[] sink = new byte[8192];
        try {
            while (in.read(sink) >= 0) {
                // discard
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
