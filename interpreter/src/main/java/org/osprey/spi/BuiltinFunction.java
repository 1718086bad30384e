package org.osprey.spi;

/**
 * The implementation of a builtin. Arguments arrive in parameter order as Osprey values: {@code Long},
 * {@code Double}, {@code Boolean}, Truffle strings, and runtime objects; build results with {@link Values}.
 * A failure the program should handle is returned as an Error value, never thrown.
 */
@FunctionalInterface
public interface BuiltinFunction {
    Object call(BuiltinContext context, Object[] arguments);
}
