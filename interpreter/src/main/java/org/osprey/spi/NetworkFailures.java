package org.osprey.spi;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;

import javax.net.ssl.SSLException;

/**
 * Socket failures in words a user understands, for builtins modules that open connections or listen (never an
 * exception's class name or a stack trace in an Osprey {@code Error}). A module says first what only its
 * protocol knows (a refused WebSocket upgrade, an HTTP timeout) and falls back to {@link #describe}.
 */
public final class NetworkFailures {
    private NetworkFailures() {
    }

    /**
     * For a client's URL whose ':' has no port after it ("http://127.0.0.1:", "ws://[::1]:/chat"), what is wrong
     * with it, giving an example of the scheme {@code plainScheme} ("http", "ws"); null for any other URL.
     * java.net.URI reads such an authority as the host with no port, and the HTTP and WebSocket clients went to
     * the scheme's own port (80 or 443).
     */
    public static String emptyPort(java.net.URI uri, String plainScheme) {
        if (uri.getPort() != -1 || uri.getRawAuthority() == null || !uri.getRawAuthority().endsWith(":")) {
            return null;
        }
        return "no port after the ':' (give one, as in " + plainScheme + "://127.0.0.1:8080, or leave out the ':' for the scheme's own)";
    }

    /**
     * For a client's URL that starts with a blank (" ws://host/", pasted or read with it), which java.net.URI
     * calls an illegal character in the scheme name, that it does; else null. It is not trimmed: a URL with a
     * character that is not its own is refused, as one with the \r of a line read from a CRLF file is.
     */
    public static String leadingBlank(String url) {
        if (url.isEmpty() || !Character.isWhitespace(url.charAt(0))) {
            return null;
        }
        char blank = url.charAt(0);
        return "it starts with " + (blank == ' ' ? "a space" : blank == '\t' ? "a tab" : "white space") + " (trim(url) takes it away)";
    }

    /**
     * Why a server cannot listen on {@code ip}, which the system binds all the same (Linux binds a TCP socket to
     * a multicast address, or to 255.255.255.255, and the server then waited for connections none could make:
     * a connection to 255.255.255.255 fails with "network is unreachable"), or null.
     */
    public static String unreachableListenAddress(java.net.InetAddress ip) {
        String instead = ", which no TCP connection can reach (listen on 127.0.0.1, 0.0.0.0 or an address of this machine)";
        if (ip.isMulticastAddress()) {
            return "a multicast address" + instead;
        }
        if (ip instanceof java.net.Inet4Address && java.util.Arrays.equals(ip.getAddress(), new byte[] {-1, -1, -1, -1})) {
            return "the broadcast address" + instead;
        }
        return null;
    }

    /**
     * The cause of {@code e} that says what happened best: the first, going inwards, of a kind sockets report
     * (a bind, a connect, an unknown host, no route, TLS) or of {@code alsoKnown}; else the innermost one with a
     * message of its own. Libraries wrap what happened (the JDK's HTTP client puts a ConnectException without
     * a message around the channel's).
     */
    public static Throwable cause(Throwable e, Class<?>... alsoKnown) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConnectException && c.getMessage() == null) {
                // The JDK's HTTP client wraps every failure to connect so, the unknown host's too: the host was
                // reported as "connection refused (is a server listening there?)". What it wraps says which.
                for (Throwable inner = c.getCause(); inner != null && inner != inner.getCause(); inner = inner.getCause()) {
                    if (inner instanceof UnknownHostException || inner instanceof UnresolvedAddressException || inner instanceof NoRouteToHostException) {
                        return inner;
                    }
                }
                return c;
            }
            if (c instanceof BindException || c instanceof ConnectException || c instanceof UnknownHostException || c instanceof UnresolvedAddressException
                            || c instanceof NoRouteToHostException || c instanceof SSLException) {
                return c;
            }
            for (Class<?> k : alsoKnown) {
                if (k.isInstance(c)) {
                    return c;
                }
            }
        }
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof RuntimeException)) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * {@code t} (a {@link #cause}) in words if it is a socket failure of a kind every protocol meets: binding a
     * port, connecting, resolving a host, routing, TLS; null otherwise. {@code plainScheme} names the protocol
     * without TLS ({@code "ws"}, {@code "http"}) for the message of a TLS client that met a plain server.
     */
    public static String describe(Throwable t, String plainScheme) {
        String m = t.getMessage() == null ? "" : t.getMessage();
        String lower = m.toLowerCase(Locale.ROOT);
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
            return lower.contains("refused") || lower.isEmpty() ? "connection refused (is a server listening there?)" : lower;
        }
        if (t instanceof UnknownHostException) {
            // The JDK's message is "HOST: Name or service not known" (or the host alone).
            int colon = m.indexOf(": ");
            String host = colon > 0 ? m.substring(0, colon) : m;
            return "unknown host" + (host.isEmpty() ? "" : " '" + host + "'");
        }
        if (t instanceof UnresolvedAddressException) {
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
                // What the JDK says when the server answers in plain text, or hangs up, instead of TLS.
                return "TLS handshake failed: the server does not speak TLS (a " + plainScheme + ":// server?) or closed the connection";
            }
            return "TLS handshake failed" + (m.isEmpty() ? "" : ": " + m);
        }
        return null;
    }
}
