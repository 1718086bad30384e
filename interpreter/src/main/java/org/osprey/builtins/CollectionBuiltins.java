package org.osprey.builtins;

import java.util.ArrayList;
import java.util.List;

import org.osprey.runtime.Compare;
import org.osprey.runtime.DataShape;
import org.osprey.runtime.DataValue;
import org.osprey.runtime.FunctionValue;
import org.osprey.runtime.ListValue;
import org.osprey.runtime.MapValue;
import org.osprey.runtime.Strings;
import org.osprey.runtime.TupleValue;
import org.osprey.spi.BuiltinRegistry;
import org.osprey.spi.Values;
import org.osprey.types.Prelude;

/**
 * The collection functions of spec 0012 on {@code List<T>} and {@code Map<K, V>}: all pure, subject first.
 * Partial ones return {@code Result<_, IndexError>}.
 */
final class CollectionBuiltins {
    private CollectionBuiltins() {
    }

    private static final DataShape OUT_OF_BOUNDS = DataShape.of(Prelude.INDEX_ERROR.variant("OutOfBounds"));
    private static final DataShape INVALID = DataShape.of(Prelude.INDEX_ERROR.variant("InvalidArgument"));
    private static final DataValue NOT_FOUND = DataShape.of(Prelude.INDEX_ERROR.variant("NotFound")).singleton;

    static Object outOfBounds(long index, long length) {
        return Values.error(DataValue.of(OUT_OF_BOUNDS, new Object[] {index, length}));
    }

    private static Intrinsics.ListAdd listAdd(boolean atEnd) {
        return new Intrinsics.ListAdd() {
            @Override
            public boolean atEnd() {
                return atEnd;
            }

            @Override
            public Object call(org.osprey.spi.BuiltinContext context, Object[] a) {
                return atEnd ? ((ListValue) a[0]).append(a[1]) : ((ListValue) a[0]).prepend(a[1]);
            }
        };
    }

    static void register(BuiltinRegistry r) {
        // ---- common
        r.function("length(list: List<T>) -> int", "core", "Number of elements; constant time.", (Intrinsics.ListLength) (c, a) -> (long) ((ListValue) a[0]).size());
        r.function("length(map: Map<K, V>) -> int", "core", (Intrinsics.MapLength) (c, a) -> (long) ((MapValue) a[0]).size());
        r.function("isEmpty(list: List<T>) -> bool", "core", (c, a) -> ((ListValue) a[0]).size() == 0);
        r.function("isEmpty(map: Map<K, V>) -> bool", "core", (c, a) -> ((MapValue) a[0]).size() == 0);

        // ---- lists
        r.function("get(list: List<T>, index: int) -> Result<T, IndexError>", "core", (c, a) -> {
            ListValue l = (ListValue) a[0];
            long i = (long) a[1];
            Object v = l.at(i);
            return v == null ? outOfBounds(i, l.size()) : Values.success(v);
        });
        // Not an overload of set: a function of unannotated parameters that calls set(m, k, v) would no longer be
        // inferred to take a map (its type would wait for the call, as get's does), nor refuse a wrong key there.
        r.function("setAt(list: List<T>, index: int, value: T) -> Result<List<T>, IndexError>", "core",
                        "The list with the element at index replaced (an extension; the list itself is unchanged), O(log32 n); an index outside the list is an Error, as get's is.",
                        (c, a) -> {
                            ListValue l = (ListValue) a[0];
                            long i = (long) a[1];
                            return i < 0 || i >= l.size() ? outOfBounds(i, l.size()) : Values.success(l.set((int) i, a[2]));
                        });
        r.function("head(list: List<T>) -> Result<T, IndexError>", "core", (c, a) -> {
            ListValue l = (ListValue) a[0];
            return l.size() == 0 ? outOfBounds(0, 0) : Values.success(l.get(0));
        });
        r.function("tail(list: List<T>) -> List<T>", "core", "All but the first element; tail([]) is [].", (c, a) -> {
            ListValue l = (ListValue) a[0];
            return l.drop(1);
        });
        r.function("take(list: List<T>, n: int) -> List<T>", "core",
                        "The first n elements (all of them if the list is shorter, none for n of 0 or less; an extension, as is drop's list form), O(1).",
                        (c, a) -> ((ListValue) a[0]).take((int) Math.max(0, Math.min(Integer.MAX_VALUE, (long) a[1]))));
        r.function("drop(list: List<T>, n: int) -> List<T>", "core", "All but the first n elements (none if the list is shorter), O(1).",
                        (c, a) -> ((ListValue) a[0]).drop((int) Math.max(0, Math.min(Integer.MAX_VALUE, (long) a[1]))));
        r.function("prepend(list: List<T>, value: T) -> List<T>", "core", listAdd(false));
        r.function("append(list: List<T>, value: T) -> List<T>", "core", listAdd(true));
        r.function("concat(left: List<T>, right: List<T>) -> List<T>", "core", (c, a) -> ((ListValue) a[0]).concat((ListValue) a[1]));
        r.function("reverse(list: List<T>) -> List<T>", "core", "The list in reverse order; O(1), it shares the list's storage.",
                        (c, a) -> ((ListValue) a[0]).reverse());
        r.function("contains(list: List<T>, value: T) -> bool", "core", (c, a) -> indexOf((ListValue) a[0], a[1]) >= 0);
        r.function("indexOf(list: List<T>, value: T) -> Result<int, IndexError>", "core", (c, a) -> {
            int i = indexOf((ListValue) a[0], a[1]);
            return i < 0 ? Values.error(NOT_FOUND) : Values.success((long) i);
        });
        r.function("sort(list: List<T>) -> List<T>", "core", "Ints and floats by value, strings by code point, bools false first.",
                        (c, a) -> {
                            ListValue l = (ListValue) a[0];
                            Object[] items = l.toArray();
                            sortPolling(items, (x, y) -> order("sort", x, y));
                            return ListValue.of(items);
                        });
        r.function("sortBy(list: List<T>, key: (T) -> K) -> List<T>", "core",
                        "The list ordered by each element's key, a number, string or bool ordered as sort orders them; elements with equal keys"
                                        + " keep their order (an extension).",
                        (c, a) -> {
                            Object[] items = ((ListValue) a[0]).toArray();
                            FunctionValue key = (FunctionValue) a[1];
                            // Each key once, in the list's order (the key function may print or fail); then a stable sort.
                            Object[][] keyed = new Object[items.length][];
                            for (int i = 0; i < items.length; i++) {
                                keyed[i] = new Object[] {c.call(key, items[i]), items[i]};
                            }
                            sortPolling(keyed, (x, y) -> order("sortBy", x[0], y[0]));
                            for (int i = 0; i < items.length; i++) {
                                items[i] = keyed[i][1];
                            }
                            return ListValue.of(items);
                        });

        // ---- maps
        r.function("get(map: Map<K, V>, key: K) -> Result<V, IndexError>", "core", (c, a) -> {
            Object v = ((MapValue) a[0]).get(a[1]);
            return v == null ? Values.error(NOT_FOUND) : Values.success(v);
        });
        r.function("contains(map: Map<K, V>, key: K) -> bool", "core", (c, a) -> ((MapValue) a[0]).get(a[1]) != null);
        r.function("set(map: Map<K, V>, key: K, value: V) -> Map<K, V>", "core", (Intrinsics.MapSet) (c, a) -> ((MapValue) a[0]).put(a[1], a[2]));
        r.function("remove(map: Map<K, V>, key: K) -> Map<K, V>", "core", (c, a) -> ((MapValue) a[0]).remove(a[1]));
        r.function("update(map: Map<K, V>, key: K, fn: (Result<V, IndexError>) -> Result<V, IndexError>) -> Map<K, V>", "core", (c, a) -> {
            MapValue m = (MapValue) a[0];
            Object current = m.get(a[1]);
            Object r2 = c.call(a[2], current == null ? Values.error(NOT_FOUND) : Values.success(current));
            return Values.isSuccess(r2) ? m.put(a[1], Values.payload(r2)) : m.remove(a[1]);
        });
        r.function("merge(left: Map<K, V>, right: Map<K, V>) -> Map<K, V>", "core", "Right-biased union.",
                        (c, a) -> ((MapValue) a[0]).merge((MapValue) a[1]));
        r.function("keys(map: Map<K, V>) -> List<K>", "core", (c, a) -> column((MapValue) a[0], 0));
        r.function("values(map: Map<K, V>) -> List<V>", "core", (c, a) -> column((MapValue) a[0], 1));
        r.function("entries(map: Map<K, V>) -> List<(K, V)>", "core", (c, a) -> {
            List<Object> out = new ArrayList<>();
            for (Object[] e : ((MapValue) a[0]).entries()) {
                com.oracle.truffle.api.TruffleSafepoint.poll(null);
                out.add(new TupleValue(e));
            }
            return ListValue.of(out);
        });
        r.function("mapValues(map: Map<K, V>, fn: (V) -> W) -> Map<K, W>", "core", (c, a) -> {
            MapValue out = MapValue.EMPTY;
            for (Object[] e : ((MapValue) a[0]).entries()) {
                out = out.put(e[0], c.call(a[1], e[1]));
            }
            return out;
        });
        r.function("mapKeys(map: Map<K, V>, fn: (K) -> K2) -> Map<K2, V>", "core", (c, a) -> {
            MapValue out = MapValue.EMPTY;
            for (Object[] e : ((MapValue) a[0]).entries()) {
                out = out.put(c.call(a[1], e[0]), e[1]);
            }
            return out;
        });
        r.function("filterEntries(map: Map<K, V>, fn: (K, V) -> bool) -> Map<K, V>", "core", (c, a) -> {
            MapValue out = MapValue.EMPTY;
            for (Object[] e : ((MapValue) a[0]).entries()) {
                if ((Boolean) c.call(a[1], e[0], e[1])) {
                    out = out.put(e[0], e[1]);
                }
            }
            return out;
        });
        r.function("foldEntries(map: Map<K, V>, initial: U, function: (U, K, V) -> U) -> U", "core", (c, a) -> {
            Object acc = a[1];
            for (Object[] e : ((MapValue) a[0]).entries()) {
                acc = c.call(a[2], acc, e[0], e[1]);
            }
            return acc;
        });
        r.function("zipToMap(keys: List<K>, values: List<V>) -> Result<Map<K, V>, IndexError>", "core", (c, a) -> {
            ListValue ks = (ListValue) a[0];
            ListValue vs = (ListValue) a[1];
            if (ks.size() != vs.size()) {
                return Values.error(DataValue.of(INVALID, new Object[] {Strings.of("zipToMap: " + count(ks.size(), "key") + " but " + count(vs.size(), "value"))}));
            }
            MapValue out = MapValue.EMPTY;
            ListValue.Cursor kc = ks.cursor();
            ListValue.Cursor vc = vs.cursor();
            while (kc.hasNext()) {
                com.oracle.truffle.api.TruffleSafepoint.poll(null); // a cancel stops a long zip between entries
                out = out.put(kc.next(), vc.next());
            }
            return Values.success(out);
        });
        r.function("groupBy(items: List<T>, function: (T) -> K) -> Map<K, List<T>>", "core", (c, a) -> {
            ListValue items = (ListValue) a[0];
            MapValue out = MapValue.EMPTY;
            for (ListValue.Cursor ic = items.cursor(); ic.hasNext();) {
                Object item = ic.next();
                Object k = c.call(a[1], item);
                Object bucket = out.get(k);
                out = out.put(k, bucket == null ? ListValue.of(item) : ((ListValue) bucket).append(item));
            }
            return out;
        });
    }

    private static int indexOf(ListValue l, Object v) {
        ListValue.Cursor c = l.cursor();
        for (int i = 0; c.hasNext(); i++) {
            if (Compare.equal(c.next(), v)) {
                return i;
            }
        }
        return -1;
    }

    /** "1 key", "3 keys": a count with its noun, for messages. */
    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static ListValue column(MapValue m, int which) {
        List<Object> out = new ArrayList<>();
        for (Object[] e : m.entries()) {
            out.add(e[which]);
        }
        return ListValue.of(out);
    }

    private static boolean orderable(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof com.oracle.truffle.api.strings.TruffleString;
    }

    /** A stable sort that a cancel or a time limit stops between two comparisons (it waited for the end). */
    private static <T> void sortPolling(T[] items, java.util.Comparator<T> order) {
        java.util.Arrays.sort(items, (x, y) -> {
            com.oracle.truffle.api.TruffleSafepoint.poll(null);
            return order.compare(x, y);
        });
    }

    /** The order of sort's elements and of sortBy's keys ({@code who}, for the messages). */
    static int order(String who, Object x, Object y) {
        if (!orderable(x) || !orderable(y)) {
            // The checker rejects sort on other element types where it knows them; a generic function can
            // still pass them, and returning the list unsorted would be a silent lie.
            throw new org.osprey.spi.BuiltinException(who + ": " + org.osprey.runtime.Display.show(orderable(x) ? y : x)
                            + " has no order: " + (who.equals("sort") ? "sort takes" : "sortBy's keys must be") + " numbers, strings or bools");
        }
        boolean numbers = x instanceof Number && y instanceof Number;
        if (!numbers && x.getClass() != y.getClass()) {
            // A List<any> of a number and a string, say: no order between them, and ordering them as equal
            // returned the list unsorted.
            throw new org.osprey.spi.BuiltinException(who + ": " + org.osprey.runtime.Display.repr(x) + " and " + org.osprey.runtime.Display.repr(y)
                            + " have no order between them: " + (who.equals("sort") ? "sort takes a list of numbers, of strings or of bools"
                                            : "sortBy's keys must be all numbers, all strings or all bools"));
        }
        if (x instanceof Double || y instanceof Double) {
            double a = ((Number) x).doubleValue();
            double b = ((Number) y).doubleValue();
            // -0.0 == 0.0, as the language's == has it; Double.compare put every -0.0 before every 0.0, so sortBy
            // moved an element keyed 0.0 * -1.0 ahead of an earlier one keyed 0.0, equal keys out of their order.
            return a == b ? 0 : a < b ? -1 : 1;
        }
        int c = Compare.compareKeys(x, y);
        if (c == 0 && !(x instanceof Long || x instanceof Boolean || x instanceof com.oracle.truffle.api.strings.TruffleString)) {
            return 0;
        }
        return c;
    }

}
