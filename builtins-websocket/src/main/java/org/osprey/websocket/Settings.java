package org.osprey.websocket;

import java.util.Map;
import java.util.Set;

import org.osprey.spi.BuiltinContext;
import org.osprey.spi.BuiltinRegistry;

/**
 * The plugin's limits, from language options {@code osprey.Plugin.websocket.*} (the launcher's
 * {@code --websocket-...} flags set them). docs/websocket.md lists each with its default and its flag.
 *
 * @param maxMessageSize largest message accepted, in bytes (frame or fragmented message); more closes with 1009
 * @param allowedOrigins Origins a server accepts; empty means any
 * @param lostTimeoutSeconds ping interval and lost-connection timeout; also how long a client may stay stuck
 *            with a full send buffer before it is closed with 1008; 0 turns both off
 * @param connectTimeoutSeconds how long websocketConnect waits for the connection and handshake
 * @param maxUnsentBytes a connection with this much data waiting to be sent refuses further sends
 * @param maxHandshakeSize largest upgrade request (request line and headers) a server reads
 * @param handshakeTimeoutSeconds how long a server waits for a connection's upgrade request
 * @param subprotocols subprotocols (RFC 6455 1.9) a server accepts, the first of them a client offers, and a
 *            client offers; empty: none, the server answers without one
 */
record Settings(int maxMessageSize, Set<String> allowedOrigins, int lostTimeoutSeconds, int connectTimeoutSeconds, int maxUnsentBytes,
                int maxHandshakeSize, int handshakeTimeoutSeconds, java.util.List<String> subprotocols) {
    static final int DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;
    static final int DEFAULT_MAX_UNSENT_BYTES = 4 << 20;
    static final int DEFAULT_MAX_HANDSHAKE_SIZE = 8192;
    static final int DEFAULT_HANDSHAKE_TIMEOUT_SECONDS = 5;

    /** Each setting's lowest value; AllowedOrigins takes origins (ORIGIN below). */
    private static final Map<String, Integer> MINIMUMS = Map.of("MaxMessageSize", 1, "ConnectionLostTimeout", 0, "ConnectTimeout", 1,
                    "MaxUnsentBytes", 1,
                    // A request line and the headers every browser sends need a few hundred bytes.
                    "MaxHandshakeSize", 512, "HandshakeTimeout", 1);

    /** Declares the settings, so that a context refuses a misspelt one or a bad value when it is made. */
    static void declare(BuiltinRegistry r) {
        // An empty list would mean any origin: a script passing an unset variable would switch the check off.
        r.setting("websocket", "AllowedOrigins", v -> v.isBlank() || !java.util.Arrays.stream(v.strip().split("\\s*,\\s*")).allMatch(Settings::isOrigin)
                        ? "origins such as https://example.org or http://localhost:3000, separated by commas"
                        : null);
        MINIMUMS.forEach((name, min) -> r.setting("websocket", name, v -> atLeast(v, min) ? null : "a whole number from " + min + " to " + Integer.MAX_VALUE));
        r.setting("websocket", "Subprotocols", v -> v.isBlank() || !subprotocols(v).stream().allMatch(Settings::isToken)
                        ? "subprotocol names (letters, digits and !#$%&'*+-.^_`|~), separated by commas: chat,v2.chat"
                        : null);
    }

    static Settings from(BuiltinContext ctx) {
        int max = number(ctx, "MaxMessageSize", DEFAULT_MAX_MESSAGE_SIZE);
        String origins = ctx.option("websocket.AllowedOrigins");
        Set<String> allowed = origins == null || origins.isBlank() ? Set.of()
                        : java.util.Arrays.stream(origins.strip().split("\\s*,\\s*")).map(o -> o.toLowerCase(java.util.Locale.ROOT))
                                        .collect(java.util.stream.Collectors.toUnmodifiableSet()); // RFC 6454: scheme and host are case-insensitive
        int lost = number(ctx, "ConnectionLostTimeout", 60);
        int connect = number(ctx, "ConnectTimeout", 10);
        int unsent = number(ctx, "MaxUnsentBytes", DEFAULT_MAX_UNSENT_BYTES);
        int handshake = number(ctx, "MaxHandshakeSize", DEFAULT_MAX_HANDSHAKE_SIZE);
        int handshakeTimeout = number(ctx, "HandshakeTimeout", DEFAULT_HANDSHAKE_TIMEOUT_SECONDS);
        String protocols = ctx.option("websocket.Subprotocols");
        return new Settings(max, allowed, lost, connect, unsent, handshake, handshakeTimeout,
                        protocols == null || protocols.isBlank() ? java.util.List.of() : subprotocols(protocols));
    }

    /** A setting's value; the context checked it when it was made (declare), so a set value parses. */
    private static int number(BuiltinContext ctx, String name, int dflt) {
        String v = ctx.option("websocket." + name);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.strip());
    }

    /**
     * An Origin as browsers send it (RFC 6454): scheme://host with an optional :port and nothing after, or "null"
     * (sandboxed pages, file: URLs).
     */
    static boolean isOrigin(String o) {
        return o.equalsIgnoreCase("null") || o.matches("[A-Za-z][A-Za-z0-9+.-]*://([^/?#@\\s:\\[\\]]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");
    }

    private static java.util.List<String> subprotocols(String v) {
        return java.util.List.of(v.strip().split("\\s*,\\s*"));
    }

    /** A token of RFC 7230 3.2.6, which a subprotocol's name is (RFC 6455 4.1). */
    static boolean isToken(String s) {
        return s.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    }

    private static boolean atLeast(String v, int min) {
        try {
            return Integer.parseInt(v.strip()) >= min;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
