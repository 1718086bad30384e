package org.osprey.spi;

/**
 * Thrown by a builtin for a fault the program cannot handle as a value (its type has no room for an Error),
 * e.g. {@code input()} reaching the end of input. The call site turns it into a run-time error with the
 * call's location. Everything a program can handle should be returned as an Error value instead.
 */
public final class BuiltinException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BuiltinException(String message) {
        super(message, null, false, false);
    }
}
