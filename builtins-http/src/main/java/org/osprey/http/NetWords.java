package org.osprey.http;

import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;

import org.osprey.spi.NetworkFailures;

/** Network failures in words a user understands: never an exception's class name or a stack trace. */
final class NetWords {
    private NetWords() {
    }

    /** A failure to bind a server's port, or of a request; {@code timeout} is the client's, in ms (0 for a server). */
    static String describe(Throwable e) {
        return describe(e, 0);
    }

    static String describe(Throwable e, long timeout) {
        Throwable t = NetworkFailures.cause(e, HttpTimeoutException.class);
        if (t instanceof HttpConnectTimeoutException) {
            return "could not connect within " + timeout + " ms";
        }
        if (t instanceof HttpTimeoutException) {
            return "no complete answer within " + timeout + " ms"; // as HttpClients says when its own deadline passes
        }
        String common = NetworkFailures.describe(t, "http");
        if (common != null) {
            return common;
        }
        String body = bodyFailure(e);
        if (body != null) {
            return body;
        }
        String m = t.getMessage() == null ? "" : t.getMessage();
        String lower = m.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("header parser received no bytes") || lower.contains("connection reset") || lower.contains("eof reached")
                        || lower.contains("closed")) {
            return "the server closed the connection without a complete answer";
        }
        if (t instanceof java.net.ProtocolException || lower.startsWith("invalid") || lower.contains("header")) {
            return "the server's answer is not valid HTTP (" + shown(Character.toLowerCase(m.charAt(0)) + m.substring(1)) + ")";
        }
        return m.isEmpty() ? "the request failed" : shown(m);
    }

    /**
     * {@code m} with its control characters and the characters that do not show written as a string literal
     * writes them (Values.visible: a backslash and r, 0, or u{1B} for an escape character), as every other message shows
     * them: the JDK quotes what the server sent ("invalid status line: ..."), and a server's NUL or terminal
     * escape sequence went into the program's Error as it was, and from there to the user's terminal.
     */
    static String shown(String m) {
        return org.osprey.spi.Values.visible(m);
    }

    private static final java.util.regex.Pattern RECEIVED = java.util.regex.Pattern.compile("fixed content-length: (\\d+), bytes received: (\\d+)");

    /**
     * A body cut short or not valid, in words, or null. The JDK's client wraps what happened in the state of
     * its body parser ("fixed content-length: 100, bytes received: 3", "chunked transfer encoding, state:
     * READING_DATA"), which users saw as the whole message.
     */
    private static String bodyFailure(Throwable e) {
        String received = "";
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage() == null ? "" : c.getMessage();
            java.util.regex.Matcher r = RECEIVED.matcher(m);
            if (r.find()) {
                received = " (" + r.group(2) + " of its " + r.group(1) + " bytes of body came)";
            }
            if (c instanceof java.io.EOFException || m.contains("EOF reached")) {
                return "the server closed the connection without a complete answer" + received;
            }
            if (m.contains("chunk size") || m.contains("chunk header")) {
                return "the server's answer is not valid HTTP (its chunked body is malformed)";
            }
        }
        return null;
    }
}
