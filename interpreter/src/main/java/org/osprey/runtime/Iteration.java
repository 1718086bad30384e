package org.osprey.runtime;

import java.util.function.Consumer;

/**
 * Walks any iterable Osprey value: a list, a map (as key/value tuples), a range, or an iterator with its
 * map/filter steps. Steps call Osprey functions through {@code call}; a loop, never recursion, so a million
 * elements need no stack.
 */
public final class Iteration {
    private Iteration() {
    }

    /** Calls an Osprey function value with arguments. */
    public interface Caller {
        Object call(FunctionValue f, Object... args);
    }

    public static void forEach(Object iterable, Consumer<Object> f) {
        forEach(iterable, f, null);
    }

    public static void forEach(Object iterable, Consumer<Object> f, Caller caller) {
        switch (iterable) {
            case ListValue l -> {
                for (int i = 0; i < l.size(); i++) {
                    f.accept(l.get(i));
                }
            }
            case MapValue m -> {
                for (Object[] e : m.entries()) {
                    f.accept(new TupleValue(e));
                }
            }
            case RangeValue r -> {
                for (long i = r.start; i < r.end; i++) {
                    f.accept(i);
                }
            }
            case IteratorValue it -> forEach(it.source, v -> step(it, 0, v, f, caller), caller);
            default -> throw new IllegalArgumentException("not iterable: " + iterable);
        }
    }

    private static void step(IteratorValue it, int from, Object v, Consumer<Object> f, Caller caller) {
        Object value = v;
        for (int i = from; i < it.kinds.length; i++) {
            Object r = caller.call(it.functions[i], value);
            if (it.kinds[i] == IteratorValue.MAP) {
                value = r;
            } else if (!(Boolean) r) {
                return;
            }
        }
        f.accept(value);
    }
}
