package org.osprey.websocket;

import java.util.Set;

import org.osprey.spi.BuiltinContext;
import org.osprey.spi.BuiltinException;

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
 */
record Settings(int maxMessageSize, Set<String> allowedOrigins, int lostTimeoutSeconds, int connectTimeoutSeconds, int maxUnsentBytes,
                int maxHandshakeSize, int handshakeTimeoutSeconds) {
    static final int DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;
    static final int DEFAULT_MAX_UNSENT_BYTES = 4 << 20;
    static final int DEFAULT_MAX_HANDSHAKE_SIZE = 8192;
    static final int DEFAULT_HANDSHAKE_TIMEOUT_SECONDS = 5;

    static Settings from(BuiltinContext ctx) {
        int max = number(ctx, "MaxMessageSize", DEFAULT_MAX_MESSAGE_SIZE, 1);
        String origins = ctx.option("websocket.AllowedOrigins");
        Set<String> allowed = origins == null || origins.isBlank() ? Set.of()
                        : Set.of(origins.strip().split("\\s*,\\s*"));
        int lost = number(ctx, "ConnectionLostTimeout", 60, 0);
        int connect = number(ctx, "ConnectTimeout", 10, 1);
        int unsent = number(ctx, "MaxUnsentBytes", DEFAULT_MAX_UNSENT_BYTES, 1);
        // A request line and the headers every browser sends need a few hundred bytes.
        int handshake = number(ctx, "MaxHandshakeSize", DEFAULT_MAX_HANDSHAKE_SIZE, 512);
        int handshakeTimeout = number(ctx, "HandshakeTimeout", DEFAULT_HANDSHAKE_TIMEOUT_SECONDS, 1);
        return new Settings(max, allowed, lost, connect, unsent, handshake, handshakeTimeout);
    }

    private static int number(BuiltinContext ctx, String name, int dflt, int min) {
        String v = ctx.option("websocket." + name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BuiltinException("invalid setting osprey.Plugin.websocket." + name + "=" + v + ": expected a whole number of at least " + min);
        }
    }
}
