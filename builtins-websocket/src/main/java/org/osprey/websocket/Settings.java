package org.osprey.websocket;

import java.util.Set;

import org.osprey.spi.BuiltinContext;
import org.osprey.spi.BuiltinException;

/**
 * The plugin's limits, from language options {@code osprey.Plugin.websocket.*} (the launcher's
 * {@code --websocket-...} flags set them). See docs/websocket.md.
 */
record Settings(int maxMessageSize, Set<String> allowedOrigins, int lostTimeoutSeconds, int connectTimeoutSeconds) {
    static final int DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;

    static Settings from(BuiltinContext ctx) {
        int max = number(ctx, "MaxMessageSize", DEFAULT_MAX_MESSAGE_SIZE, 1);
        String origins = ctx.option("websocket.AllowedOrigins");
        Set<String> allowed = origins == null || origins.isBlank() ? Set.of()
                        : Set.of(origins.strip().split("\\s*,\\s*"));
        int lost = number(ctx, "ConnectionLostTimeout", 60, 0);
        int connect = number(ctx, "ConnectTimeout", 10, 1);
        return new Settings(max, allowed, lost, connect);
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
