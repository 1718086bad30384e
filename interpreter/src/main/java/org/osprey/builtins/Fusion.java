package org.osprey.builtins;

import org.osprey.spi.BuiltinFunction;

/**
 * Stream fusion of spec 0010, decided when the program is built. {@code map} and {@code filter} on a list or
 * a map return a list, but where that list would only be walked once by another iterator function
 * ({@code forEach}, {@code fold}, {@code toList}, {@code map}, {@code filter}) or by a comprehension, the node
 * builder calls their {@link Producer#lazy() lazy} form instead, which returns an iterator: the chain then
 * runs as one loop, element by element, and no list in between is built.
 */
public final class Fusion {
    private Fusion() {
    }

    /** A builtin whose first argument is only walked once, front to back, and not kept. */
    public interface Consumer {
    }

    /**
     * A {@link Consumer} written as a lambda. One named interface rather than an intersection cast
     * ({@code (BuiltinFunction & Consumer) (c, a) -> ...}): JDK 25's AOT cache keeps lambdas made by the
     * plain lambda factory but not those of intersection types, which were linked at every start (five of
     * them, about 2 ms of a one-line program).
     */
    public interface ConsumingFunction extends BuiltinFunction, Consumer {
    }

    /** A builtin returning a list built from its first argument, with a form returning an iterator instead. */
    public interface Producer extends BuiltinFunction {
        BuiltinFunction lazy();
    }
}
