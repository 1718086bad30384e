package org.osprey.runtime;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.TruffleSafepoint;

import org.osprey.OspreyContext;
import org.osprey.spi.BuiltinContext;

/**
 * Walks any iterable Osprey value: a list, a map (as key/value tuples), a range, or an iterator with its
 * map/filter steps. Steps call Osprey functions through {@code call}; a loop, never recursion, so a million
 * elements need no stack, and nothing in between is materialised: each element goes through all the steps
 * before the next one is read (spec 0010 Stream Fusion).
 *
 * The consumers and steps here are classes, not capturing lambdas: the Java side of the interpreter runs
 * compiled by C1 (scripts/osprey), where a capturing lambda is made through a method handle that allocates
 * with a call into the VM, some hundred nanoseconds for every map or filter of a small list.
 */
public final class Iteration {
    private Iteration() {
    }

    /**
     * {@link #iterator} for a node that runs the loop itself (a comprehension, an inlined fold): behind a
     * boundary, like its {@link #hasNext} and {@link #next}, the steps calling Osprey through the context.
     */
    @TruffleBoundary
    public static Iterator<Object> cursor(Object iterable, OspreyContext context) {
        return iterator(iterable, context);
    }

    @TruffleBoundary
    public static boolean hasNext(Iterator<Object> it) {
        return it.hasNext();
    }

    @TruffleBoundary
    public static Object next(Iterator<Object> it) {
        return it.next();
    }

    /** True for the values {@link #forEach} and {@link #iterator} accept. */
    public static boolean isIterable(Object v) {
        return v instanceof ListValue || v instanceof MapValue || v instanceof RangeValue || v instanceof IteratorValue;
    }

    /** Gives f each element of iterable, in order; the steps of an iterator call Osprey through ctx. */
    public static void forEach(Object iterable, Consumer<Object> f, BuiltinContext ctx) {
        switch (iterable) {
            case ListValue l -> {
                for (ListValue.Cursor c = l.cursor(); c.hasNext();) {
                    TruffleSafepoint.poll(null);
                    f.accept(c.next());
                }
            }
            case MapValue m -> {
                for (PersistentMap.EntryCursor c = m.map.cursor(); c.hasNext();) {
                    TruffleSafepoint.poll(null);
                    f.accept(new TupleValue(c.next()));
                }
            }
            case RangeValue r -> {
                for (long i = r.start; i < r.end; i++) {
                    TruffleSafepoint.poll(null); // Ctrl-C, a cancel or a time limit stops toList(range(0, 3000000000))
                    f.accept(i);
                }
            }
            case IteratorValue it -> forEach(it.source, new Step(it, f, ctx), ctx);
            default -> throw new IllegalArgumentException("not iterable: " + iterable);
        }
    }

    /** An iterator's map and filter steps on one element of its source, then the consumer. */
    private static final class Step implements Consumer<Object> {
        private final IteratorValue it;
        private final Consumer<Object> f;
        private final BuiltinContext ctx;

        Step(IteratorValue it, Consumer<Object> f, BuiltinContext ctx) {
            this.it = it;
            this.f = f;
            this.ctx = ctx;
        }

        @Override
        public void accept(Object v) {
            Object value = applySteps(it, v, ctx);
            if (value != DROPPED) {
                f.accept(value);
            }
        }
    }

    /** What {@link #applySteps} gives for an element a filter step drops. */
    private static final Object DROPPED = new Object();

    /** An iterator's map and filter steps on one element of its source: the element they give, or DROPPED. */
    private static Object applySteps(IteratorValue it, Object element, BuiltinContext ctx) {
        Object value = element;
        for (int i = 0; i < it.kinds.length; i++) {
            Object r = ctx.call(it.functions[i], value);
            if (it.kinds[i] == IteratorValue.MAP) {
                value = r;
            } else if (!(Boolean) r) {
                return DROPPED;
            }
        }
        return value;
    }

    /**
     * A pull cursor over any iterable, for consumers that must keep control of the loop (a comprehension
     * runs its body in its own frame). Map and filter steps run as elements are pulled.
     */
    public static Iterator<Object> iterator(Object iterable, BuiltinContext ctx) {
        return switch (iterable) {
            case ListValue l -> l.cursor();
            case MapValue m -> new Iterator<>() {
                private final PersistentMap.EntryCursor c = m.map.cursor();

                @Override
                public boolean hasNext() {
                    return c.hasNext();
                }

                @Override
                public Object next() {
                    return new TupleValue(c.next());
                }
            };
            case RangeValue r -> new Iterator<>() {
                private long i = r.start;

                @Override
                public boolean hasNext() {
                    return i < r.end;
                }

                @Override
                public Object next() {
                    if (i >= r.end) {
                        throw new NoSuchElementException();
                    }
                    return i++;
                }
            };
            case IteratorValue it -> new Steps(it, iterator(it.source, ctx), ctx);
            default -> throw new IllegalArgumentException("not iterable: " + iterable);
        };
    }

    /** An iterator's map and filter steps over a cursor of its source. */
    private static final class Steps implements Iterator<Object> {
        private final IteratorValue it;
        private final Iterator<Object> source;
        private final BuiltinContext ctx;
        private Object pending;
        private boolean ready;

        Steps(IteratorValue it, Iterator<Object> source, BuiltinContext ctx) {
            this.it = it;
            this.source = source;
            this.ctx = ctx;
        }

        @Override
        public boolean hasNext() {
            while (!ready && source.hasNext()) {
                Object value = applySteps(it, source.next(), ctx);
                if (value != DROPPED) {
                    pending = value;
                    ready = true;
                }
            }
            return ready;
        }

        @Override
        public Object next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ready = false;
            Object v = pending;
            pending = null;
            return v;
        }
    }
}
