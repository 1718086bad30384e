package org.osprey.builtins;

import java.util.List;
import java.util.function.Consumer;

import org.osprey.runtime.FunctionValue;
import org.osprey.runtime.Iteration;
import org.osprey.runtime.IteratorValue;
import org.osprey.runtime.ListValue;
import org.osprey.runtime.RangeValue;
import org.osprey.runtime.TupleValue;
import org.osprey.runtime.Unit;
import org.osprey.spi.BuiltinContext;
import org.osprey.spi.BuiltinFunction;
import org.osprey.spi.BuiltinRegistry;

/**
 * range, forEach, map, filter, fold (spec 0010) on iterators, lists and maps (whose elements are key/value
 * tuples). On a list, map and filter give a list; on a range or an iterator they give a lazy iterator, so
 * {@code range(...) |> map(f) |> filter(p) |> fold(...)} builds nothing in between.
 */
final class IterationBuiltins {
    private IterationBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.function("range(start: int, end: int) -> Iterator<int>", "core", "The ints start, start+1, ..., end-1.",
                        (c, a) -> new RangeValue((long) a[0], (long) a[1]));
        for (String subject : List.of("Iterator<T>", "List<T>", "Map<K, V>")) {
            String elem = subject.startsWith("Map") ? "(K, V)" : "T";
            r.function("forEach(iterator: " + subject + ", function: (" + elem + ") -> U) -> unit", "core",
                            "Calls the function on each element, in order.", (Intrinsics.ForEach) (c, a) -> {
                                Iteration.forEach(a[0], new Each(c, (FunctionValue) a[1]), c);
                                return Unit.INSTANCE;
                            });
            r.function("fold(iterator: " + subject + ", initial: U, function: (U, " + elem + ") -> U) -> U", "core",
                            "Combines the elements from the left, starting with initial.", (Intrinsics.Fold) (c, a) -> {
                                Folding fold = new Folding(c, (FunctionValue) a[2], a[1]);
                                Iteration.forEach(a[0], fold, c);
                                return fold.acc;
                            });
        }
        BuiltinFunction lazyMap = new Lazy(IteratorValue.MAP);
        BuiltinFunction lazyFilter = new Lazy(IteratorValue.FILTER);
        r.function("map(iterator: Iterator<T>, function: (T) -> U) -> Iterator<U>", "core", lazyMap);
        r.function("filter(iterator: Iterator<T>, predicate: (T) -> bool) -> Iterator<T>", "core", lazyFilter);
        r.function("map(iterator: List<T>, function: (T) -> U) -> List<U>", "core", "A new list of the function's results.",
                        new Eager(IteratorValue.MAP, lazyMap));
        r.function("filter(iterator: List<T>, predicate: (T) -> bool) -> List<T>", "core", "The elements for which the predicate holds.",
                        new Eager(IteratorValue.FILTER, lazyFilter));
        r.function("map(iterator: Map<K, V>, function: ((K, V)) -> U) -> List<U>", "core", new Eager(IteratorValue.MAP, lazyMap));
        r.function("filter(iterator: Map<K, V>, predicate: ((K, V)) -> bool) -> List<(K, V)>", "core",
                        new Eager(IteratorValue.FILTER, lazyFilter));
        r.function("toList(iterator: Iterator<T>) -> List<T>", "core", "The iterator's elements as a list.", (Fusion.ConsumingFunction) (c, a) -> {
            Collecting out = new Collecting(c, null, IteratorValue.MAP);
            Iteration.forEach(a[0], out, c);
            return out.out.build();
        });
        // A list is already one: code that does not care whether it holds a list or an iterator can end with toList.
        r.function("toList(list: List<T>) -> List<T>", "core", "The list itself.", (Intrinsics.Identity) (c, a) -> a[0]);
    }

    /** map or filter on an iterator: one more step of it. */
    private record Lazy(byte kind) implements Fusion.ConsumingFunction, Intrinsics.Stage {
        @Override
        public Object call(BuiltinContext c, Object[] a) {
            return lazy(a[0]).then(kind, (FunctionValue) a[1]);
        }

        @Override
        public boolean filters() {
            return kind == IteratorValue.FILTER;
        }
    }

    /** map or filter on a list or a map: builds the list, or, fused into a consumer, an iterator. */
    private record Eager(byte kind, BuiltinFunction lazy) implements Intrinsics.ListBuilding {
        @Override
        public Object call(BuiltinContext c, Object[] a) {
            return collect(a[0], kind, (FunctionValue) a[1], c);
        }

        @Override
        public boolean filters() {
            return kind == IteratorValue.FILTER;
        }
    }

    private static IteratorValue lazy(Object source) {
        return source instanceof IteratorValue it ? it : IteratorValue.over(source);
    }

    private static ListValue collect(Object source, byte kind, FunctionValue f, BuiltinContext c) {
        Collecting out = new Collecting(c, f, kind);
        Iteration.forEach(source, out, c);
        return out.out.build();
    }

    // The consumers are classes, not capturing lambdas: see Iteration.

    /** forEach's call of its function on each element. */
    private static final class Each implements Consumer<Object> {
        private final BuiltinContext c;
        private final FunctionValue f;

        Each(BuiltinContext c, FunctionValue f) {
            this.c = c;
            this.f = f;
        }

        @Override
        public void accept(Object v) {
            c.call(f, v);
        }
    }

    /** fold's accumulator. */
    private static final class Folding implements Consumer<Object> {
        private final BuiltinContext c;
        private final FunctionValue f;
        Object acc;

        Folding(BuiltinContext c, FunctionValue f, Object initial) {
            this.c = c;
            this.f = f;
            this.acc = initial;
        }

        @Override
        public void accept(Object v) {
            acc = c.call(f, acc, v);
        }
    }

    /** The list of map (f's results; every element where f is null) or filter (the elements f holds for). */
    private static final class Collecting implements Consumer<Object> {
        private final BuiltinContext c;
        private final FunctionValue f;
        private final byte kind;
        final ListValue.Builder out = new ListValue.Builder();

        Collecting(BuiltinContext c, FunctionValue f, byte kind) {
            this.c = c;
            this.f = f;
            this.kind = kind;
        }

        @Override
        public void accept(Object v) {
            if (f == null) {
                out.add(v);
                return;
            }
            Object r = c.call(f, v);
            if (kind == IteratorValue.MAP) {
                out.add(r);
            } else if ((Boolean) r) {
                out.add(v);
            }
        }
    }

    static TupleValue pair(Object a, Object b) {
        return new TupleValue(new Object[] {a, b});
    }

}
