package org.osprey.websocket;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import javax.net.ssl.SSLException;

import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.framing.CloseFrame;

/** Network failures in words a user understands: no exception class names, no stack traces. */
final class NetErrors {
    private NetErrors() {
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof RuntimeException)) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? "" : t.getMessage();
        String lower = m.toLowerCase();
        if (t instanceof BindException || lower.contains("address already in use")) {
            if (lower.contains("already in use")) {
                return "address already in use";
            }
            if (lower.contains("cannot assign requested address")) {
                return "that address does not belong to this machine";
            }
            if (lower.contains("permission denied")) {
                return "permission denied (ports below 1024 need privileges)";
            }
            return lower.isEmpty() ? "cannot bind" : lower;
        }
        if (t instanceof ConnectException) {
            return lower.contains("refused") ? "connection refused" : lower.isEmpty() ? "connection failed" : lower;
        }
        if (t instanceof UnknownHostException) {
            // The JDK's message is "HOST: Name or service not known" (or the host alone).
            int colon = m.indexOf(": ");
            String host = colon > 0 ? m.substring(0, colon) : m;
            return "unknown host" + (host.isEmpty() ? "" : " '" + host + "'");
        }
        if (t instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (t instanceof SocketTimeoutException) {
            return m.startsWith("no answer") ? m : "timed out";
        }
        if (t instanceof SSLException) {
            if (lower.contains("pkix") || lower.contains("certification path") || lower.contains("certificate")) {
                return "TLS handshake failed: the server's certificate is not trusted";
            }
            if (lower.contains("unrecognized ssl message") || lower.contains("remote host terminated the handshake")) {
                // What the JDK says when the server answers in plain text, or hangs up, instead of TLS.
                return "TLS handshake failed: the server does not speak TLS (a ws:// server?) or closed the connection";
            }
            return "TLS handshake failed" + (m.isEmpty() ? "" : ": " + m);
        }
        if (t instanceof InvalidHandshakeException) {
            return handshake(m);
        }
        return m.isEmpty() ? t.getClass().getSimpleName() : m;
    }

    /** The library reports a refused upgrade as "Invalid status code received: 404 Status line: HTTP/1.1 404 ...". */
    static String handshake(String m) {
        int i = m.indexOf("Status line:");
        if (i >= 0) {
            return "the server refused the WebSocket upgrade (" + m.substring(i + "Status line:".length()).strip() + ")";
        }
        return "the WebSocket handshake failed: " + m;
    }

    /** Why a connection that was being opened closed. */
    static String closeReason(int code, String reason, boolean remote) {
        if (reason != null && reason.contains("Status line:")) {
            return handshake(reason);
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
            return "was lost" + why;
        }
        if (code == CloseFrame.NOCODE) {
            return (remote ? "was closed by the server" : "was closed") + " without a close code (1005)";
        }
        return remote ? "was closed by the server with " + code + why : "was closed with " + code + why;
    }
}
