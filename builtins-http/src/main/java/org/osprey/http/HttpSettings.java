package org.osprey.http;

import org.osprey.spi.BuiltinContext;
import org.osprey.spi.BuiltinRegistry;

/**
 * The module's limits, from the language options {@code osprey.Plugin.http.*} (docs/http.md).
 *
 * @param maxBodySize largest body, in bytes, that a server reads from a request (more is answered 413) and
 *            that a client reads from a response (more is an Error)
 * @param readTimeout milliseconds a server waits for a request's head to arrive, and then for each next
 *            part of its body, before it closes the connection
 * @param writeTimeout milliseconds a server waits for a client to take the next part of an answer before it
 *            closes the connection
 */
record HttpSettings(int maxBodySize, int readTimeout, int writeTimeout) {
    static final int DEFAULT_MAX_BODY_SIZE = 16 << 20;
    static final int DEFAULT_READ_TIMEOUT = 30_000;
    static final int DEFAULT_WRITE_TIMEOUT = 30_000;

    static void declare(BuiltinRegistry r) {
        r.setting("http", "MaxBodySize", v -> atLeast(v, 1) ? null : "a whole number from 1 to " + Integer.MAX_VALUE);
        r.setting("http", "ReadTimeout", v -> atLeast(v, 1) ? null : "a whole number of milliseconds from 1 to " + Integer.MAX_VALUE);
        r.setting("http", "WriteTimeout", v -> atLeast(v, 1) ? null : "a whole number of milliseconds from 1 to " + Integer.MAX_VALUE);
    }

    static HttpSettings from(BuiltinContext ctx) {
        // The context checked a given value when it was made (declare), so it parses.
        return new HttpSettings(option(ctx, "http.MaxBodySize", DEFAULT_MAX_BODY_SIZE), option(ctx, "http.ReadTimeout", DEFAULT_READ_TIMEOUT),
                        option(ctx, "http.WriteTimeout", DEFAULT_WRITE_TIMEOUT));
    }

    private static int option(BuiltinContext ctx, String name, int otherwise) {
        String v = ctx.option(name);
        return v == null || v.isBlank() ? otherwise : Integer.parseInt(v.strip());
    }

    private static boolean atLeast(String v, int min) {
        try {
            return Integer.parseInt(v.strip()) >= min;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
