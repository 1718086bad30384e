package org.osprey.websocket;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A client's opening handshake (RFC 6455 4.2.1), checked before Java-WebSocket answers it: the library
 * upgrades a connection whose Sec-WebSocket-Key is any non-empty string, and answers every refusal with
 * 404. Each refusal here has the status RFC 6455 and HTTP give it, and a one-line reason as the body.
 */
final class UpgradeRequest {
    private UpgradeRequest() {
    }

    /** Why a request is refused, and the HTTP response that says so. */
    record Refusal(int status, String reason, String extraHeaders) {
        byte[] response() {
            byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " " + statusText(status) + "\r\n" //
                            + "Connection: close\r\n" //
                            + "Content-Type: text/plain; charset=utf-8\r\n" //
                            + "Content-Length: " + body.length + "\r\n" //
                            + extraHeaders + "\r\n";
            byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = new byte[h.length + body.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(body, 0, all, h.length, body.length);
            return all;
        }

        private static String statusText(int status) {
            return switch (status) {
                case 400 -> "Bad Request";
                case 403 -> "Forbidden";
                case 404 -> "Not Found";
                case 426 -> "Upgrade Required";
                case 431 -> "Request Header Fields Too Large";
                default -> "Error";
            };
        }
    }

    static Refusal tooLarge(int limit) {
        return new Refusal(431, "the request line and headers exceed " + limit + " bytes", "");
    }

    /**
     * A refusal for bytes that cannot begin an HTTP request, decided from the first bytes: the method must be
     * a token (RFC 9110 5.6.2) followed by a space. The usual such client is one speaking TLS to this ws://
     * server (wss:// in its URL): its first byte is 22, a TLS handshake record, and its hello has no blank line
     * to wait for, so it waited the whole handshake timeout. Null while the bytes may still be a request.
     */
    static Refusal notHttp(byte[] a, int length) {
        if (length >= 1 && a[0] == 22) {
            return new Refusal(400, "this is a TLS handshake, but this server takes ws://, not wss://", "");
        }
        for (int i = 0; i < length; i++) {
            byte b = a[i];
            if (b == ' ' && i > 0) {
                return null;
            }
            if (!isTokenChar(b)) {
                return new Refusal(400, "malformed request line; expected 'GET /path HTTP/1.1'", "");
            }
        }
        return null;
    }

    private static boolean isTokenChar(byte b) {
        return b > ' ' && b < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(b) < 0;
    }

    /** The index just after the blank line that ends the headers in {@code a[0, length)}, or -1. */
    static int endOfHeaders(byte[] a, int from, int length) {
        for (int i = Math.max(from, 3); i < length; i++) {
            if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * Checks the request in {@code a[0, end)} (ending with the blank line) for a server at {@code path}; null
     * when it may be upgraded. The rules accept nothing that Java-WebSocket's own parser would refuse.
     */
    /**
     * A request path as text: %XX escapes and the bytes themselves read as UTF-8 (the request line was read as
     * ISO-8859-1), so that a server at "/ü" answers "/%C3%BC", which is how clients send it; the path as it
     * was where that is not UTF-8.
     */
    static String decoded(String requested) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < requested.length(); i++) {
            char c = requested.charAt(i);
            if (c == '%' && i + 2 < requested.length() && Character.digit(requested.charAt(i + 1), 16) >= 0
                            && Character.digit(requested.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(requested.charAt(i + 1), 16) * 16 + Character.digit(requested.charAt(i + 2), 16));
                i += 2;
            } else {
                bytes.write(c & 0xff);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return requested;
        }
    }

    static Refusal check(byte[] a, int end, String path, Set<String> allowedOrigins) {
        String[] lines = new String(a, 0, end - 4, StandardCharsets.ISO_8859_1).split("\r\n", -1);
        String[] requestLine = lines[0].split(" ", 3);
        if (requestLine.length != 3 || !requestLine[2].equalsIgnoreCase("HTTP/1.1")) {
            return new Refusal(400, "malformed request line; expected 'GET /path HTTP/1.1'", "");
        }
        if (!requestLine[0].equals("GET")) {
            return new Refusal(400, "a WebSocket opens with GET, not " + requestLine[0], "");
        }
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                return new Refusal(400, "malformed header line", "");
            }
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip();
            headers.merge(name, value, (x, y) -> x + ", " + y);
        }
        String target = requestLine[1];
        int query = target.indexOf('?');
        String requested = query >= 0 ? target.substring(0, query) : target;
        if (!requested.equals(path) && !decoded(requested).equals(path)) {
            return new Refusal(404, "no WebSocket endpoint at " + requested, "");
        }
        if (!headers.containsKey("host")) {
            return new Refusal(400, "missing Host header", "");
        }
        if (!hasToken(headers.get("upgrade"), "websocket")) {
            return new Refusal(400, "missing 'Upgrade: websocket'", "");
        }
        if (!hasToken(headers.get("connection"), "upgrade")) {
            return new Refusal(400, "missing 'Connection: Upgrade'", "");
        }
        if (!"13".equals(headers.get("sec-websocket-version"))) {
            return new Refusal(426, "only WebSocket version 13 is supported", "Sec-WebSocket-Version: 13\r\n");
        }
        String key = headers.get("sec-websocket-key");
        if (key == null) {
            return new Refusal(400, "missing Sec-WebSocket-Key", "");
        }
        if (!isValidKey(key)) {
            return new Refusal(400, "Sec-WebSocket-Key must be 24 base64 characters encoding 16 bytes", "");
        }
        if (!allowedOrigins.isEmpty()) {
            String origin = headers.get("origin");
            if (origin == null || !allowedOrigins.contains(origin.toLowerCase(Locale.ROOT))) {
                return new Refusal(403, "origin not allowed", "");
            }
        }
        return null;
    }

    static boolean isValidKey(String key) {
        if (key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether a comma-separated header value lists {@code token} (case-insensitively). */
    private static boolean hasToken(String value, String token) {
        if (value == null) {
            return false;
        }
        for (String t : value.split(",")) {
            if (t.strip().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }
}
