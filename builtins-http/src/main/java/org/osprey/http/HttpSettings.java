package org.osprey.http;

import org.osprey.spi.BuiltinContext;
import org.osprey.spi.BuiltinRegistry;

/**
 * The module's limits, from the language options {@code osprey.Plugin.http.*} (docs/http.md).
 *
 * @param maxBodySize largest body, in bytes, that a server reads from a request (more is answered 413) and
 *            that a client reads from a response (more is an Error)
 */
record HttpSettings(int maxBodySize) {
    static final int DEFAULT_MAX_BODY_SIZE = 16 << 20;

    static void declare(BuiltinRegistry r) {
        r.setting("http", "MaxBodySize", v -> atLeast(v, 1) ? null : "a whole number from 1 to " + Integer.MAX_VALUE);
    }

    static HttpSettings from(BuiltinContext ctx) {
        String v = ctx.option("http.MaxBodySize");
        // The context checked a given value when it was made (declare), so it parses.
        return new HttpSettings(v == null || v.isBlank() ? DEFAULT_MAX_BODY_SIZE : Integer.parseInt(v.strip()));
    }

    private static boolean atLeast(String v, int min) {
        try {
            return Integer.parseInt(v.strip()) >= min;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
