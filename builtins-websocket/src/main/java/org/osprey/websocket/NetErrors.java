package org.osprey.websocket;

import java.net.SocketTimeoutException;

import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.framing.CloseFrame;
import org.osprey.spi.NetworkFailures;
import org.osprey.spi.Values;

/** Network failures in words a user understands: no exception class names, no stack traces. */
final class NetErrors {
    private NetErrors() {
    }

    static String describe(Throwable e) {
        Throwable t = NetworkFailures.cause(e, InvalidHandshakeException.class, SocketTimeoutException.class);
        String common = NetworkFailures.describe(t, "ws");
        if (common != null) {
            return common;
        }
        String m = t.getMessage() == null ? "" : t.getMessage();
        if (t instanceof SocketTimeoutException) {
            return m.startsWith("no answer") ? m : "timed out";
        }
        if (t instanceof InvalidHandshakeException) {
            return handshake(m);
        }
        return m.isEmpty() ? unexplained(t) : Values.visible(m);
    }

    /**
     * A failure the library or the JDK gave no message: in words, where the name of its Java class reached the
     * program's Error ("EOFException").
     */
    static String unexplained(Throwable t) {
        if (t instanceof java.io.EOFException || t instanceof java.net.SocketException) {
            return "the connection ended unexpectedly";
        }
        if (t instanceof java.nio.channels.ClosedChannelException) {
            return "the connection is closed";
        }
        if (t instanceof java.io.InterruptedIOException) {
            return "interrupted";
        }
        return "the connection failed (no reason was given)";
    }

    /**
     * The library reports a refused upgrade as "Invalid status code received: 404 Status line: HTTP/1.1 404 ...", a
     * status line of another protocol version as "Invalid status line received: HTTP/1.0 Status line: ...", a header
     * line without a colon as "not an http header", and a first line that is not three words with no message.
     */
    static String handshake(String m) {
        int i = m.indexOf("Status line:");
        if (i >= 0) {
            String line = m.substring(i + "Status line:".length()).strip();
            if (m.startsWith("Invalid status line")) {
                return "the server's answer to the WebSocket upgrade is not an HTTP/1.1 response ('" + Values.visible(line) + "')";
            }
            return "the server refused the WebSocket upgrade (" + line + ")";
        }
        if (m.isEmpty()) {
            return "the server's answer to the WebSocket upgrade is not an HTTP response";
        }
        if (m.equals("not an http header")) {
            return "the server's answer to the WebSocket upgrade has a header line without ':'";
        }
        return "the WebSocket handshake failed: " + m;
    }

    /** Whether this end closed a connection that was being opened because it could not read the server's answer. */
    private static boolean unreadableAnswer(int code, String reason, boolean remote) {
        return !remote && code == CloseFrame.PROTOCOL_ERROR
                        && (reason == null || reason.isEmpty() || reason.equals("not an http header"));
    }

    /** Why a connection that was being opened closed. */
    static String closeReason(int code, String reason, boolean remote) {
        if (reason != null && reason.contains("Status line:") || unreadableAnswer(code, reason, remote)) {
            return handshake(reason == null ? "" : reason);
        }
        if (code == CloseFrame.NEVER_CONNECTED || code == CloseFrame.ABNORMAL_CLOSE) {
            return reason == null || reason.isEmpty() ? "the connection was closed before the handshake finished" : reason;
        }
        if (!remote && reason != null && !reason.isEmpty()) {
            // This end refused the server's handshake or a frame; the reason says what was wrong.
            return reason;
        }
        return "the server closed the connection (" + code + (reason == null || reason.isEmpty() ? "" : ": " + reason) + ")";
    }

    /** How an open connection ended, to follow "WebSocket connection 5 ...". */
    static String ending(int code, String reason, boolean remote) {
        if (reason != null && reason.contains("did not respond with a pong in time")) {
            reason = "no answer to pings in time"; // the library's sentence, which ends with a link to its wiki
        }
        String why = reason == null || reason.isEmpty() ? "" : " (" + reason + ")";
        if (code == CloseFrame.ABNORMAL_CLOSE || code == CloseFrame.NEVER_CONNECTED) {
            // No reason: the library read the end of the stream (or a reset) where a close frame was due, as
            // from a node server that calls terminate() or a server process that died.
            return "was lost" + (why.isEmpty() ? " (the TCP connection ended without a close frame)" : why);
        }
        if (code == CloseFrame.NOCODE) {
            return (remote ? "was closed by the server" : "was closed") + " without a close code (1005)";
        }
        return remote ? "was closed by the server with " + code + why : "was closed with " + code + why;
    }
}
