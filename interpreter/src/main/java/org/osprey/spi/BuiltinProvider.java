package org.osprey.spi;

/**
 * A module of builtin functions, found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/org.osprey.spi.BuiltinProvider} or {@code provides} it in module-info).
 * The interpreter calls {@link #register} once per language instance; the checker then sees the functions
 * exactly as it sees core builtins. Keep {@code register} cheap: do real work when a function is called.
 */
public interface BuiltinProvider {
    void register(BuiltinRegistry registry);
}
