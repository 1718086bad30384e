package org.osprey.runtime;

import java.util.function.Consumer;

/** Walks any iterable Osprey value: a list, a map (as key/value tuples) or a range. */
public final class Iteration {
    private Iteration() {
    }

    public static void forEach(Object iterable, Consumer<Object> f) {
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
            default -> throw new IllegalArgumentException("not iterable: " + iterable);
        }
    }
}
