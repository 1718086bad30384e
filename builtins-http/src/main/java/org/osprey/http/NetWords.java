package org.osprey.http;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

import javax.net.ssl.SSLException;

/** Network failures in words a user understands: never an exception's class name or a stack trace. */
final class NetWords {
    private NetWords() {
    }

    /** A failure to bind a server's port, or of a request; {@code timeout} is the client's, in ms (0 for a server). */
    static String describe(Throwable e) {
        return describe(e, 0);
    }

    static String describe(Throwable e, long timeout) {
        // The JDK's client wraps what happened (a ConnectException without a message around the channel's
        // exception, say): the first cause of a kind this knows says it best.
        Throwable t = null;
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof BindException || c instanceof ConnectException || c instanceof HttpTimeoutException || c instanceof UnknownHostException
                            || c instanceof UnresolvedAddressException || c instanceof NoRouteToHostException || c instanceof SSLException) {
                t = c;
                break;
            }
        }
        if (t == null) {
            t = e;
            while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof RuntimeException)) {
                t = t.getCause();
            }
        }
        String m = t.getMessage() == null ? "" : t.getMessage();
        String lower = m.toLowerCase(java.util.Locale.ROOT);
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
        if (t instanceof HttpConnectTimeoutException) {
            return "could not connect within " + timeout + " ms";
        }
        if (t instanceof HttpTimeoutException) {
            return "no complete answer within " + timeout + " ms"; // as HttpClients says when its own deadline passes
        }
        if (t instanceof ConnectException) {
            return lower.contains("refused") || lower.isEmpty() ? "connection refused (is a server listening there?)" : lower;
        }
        if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        if (t instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (t instanceof SSLException) {
            if (lower.contains("pkix") || lower.contains("certification path") || lower.contains("certificate")) {
                return "TLS handshake failed: the server's certificate is not trusted";
            }
            if (lower.contains("unrecognized ssl message") || lower.contains("remote host terminated the handshake")) {
                return "TLS handshake failed: the server does not speak TLS (an http:// server?) or closed the connection";
            }
            return "TLS handshake failed" + (m.isEmpty() ? "" : ": " + m);
        }
        if (lower.contains("header parser received no bytes") || lower.contains("connection reset") || lower.contains("eof reached")
                        || lower.contains("closed")) {
            return "the server closed the connection without a complete answer";
        }
        if (t instanceof java.net.ProtocolException || lower.startsWith("invalid") || lower.contains("header")) {
            return "the server's answer is not valid HTTP (" + Character.toLowerCase(m.charAt(0)) + m.substring(1) + ")";
        }
        return m.isEmpty() ? "the request failed" : m;
    }
}
