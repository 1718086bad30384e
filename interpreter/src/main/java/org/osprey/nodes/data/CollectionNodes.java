package org.osprey.nodes.data;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.profiles.CountingConditionProfile;

import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.call.Arguments;
import org.osprey.runtime.DataShape;
import org.osprey.runtime.DataValue;
import org.osprey.runtime.ListValue;
import org.osprey.runtime.MapValue;
import org.osprey.runtime.Results;
import org.osprey.types.Prelude;

/** List and map literals, indexing, and {@code +} on collections (spec 0004 Collection Types). */
public final class CollectionNodes {
    private CollectionNodes() {
    }

    private static final DataShape OUT_OF_BOUNDS = DataShape.of(Prelude.INDEX_ERROR.variant("OutOfBounds"));
    private static final DataValue NOT_FOUND = DataShape.of(Prelude.INDEX_ERROR.variant("NotFound")).singleton;

    public static final class NewList extends OspreyNode {
        @Children private final OspreyNode[] elements;

        public NewList(OspreyNode[] elements) {
            this.elements = elements;
        }

        @Override
        @ExplodeLoop
        public Object executeGeneric(VirtualFrame frame) {
            Object[] values = new Object[elements.length];
            for (int i = 0; i < elements.length; i++) {
                values[i] = elements[i].executeGeneric(frame);
            }
            return ListValue.adopt(values, values.length);
        }
    }

    public static final class NewMap extends OspreyNode {
        @Children private final OspreyNode[] keys;
        @Children private final OspreyNode[] values;

        public NewMap(OspreyNode[] keys, OspreyNode[] values) {
            this.keys = keys;
            this.values = values;
        }

        @Override
        @ExplodeLoop
        public Object executeGeneric(VirtualFrame frame) {
            MapValue m = MapValue.EMPTY;
            for (int i = 0; i < keys.length; i++) {
                m = m.put(keys[i].executeGeneric(frame), values[i].executeGeneric(frame));
            }
            return m;
        }
    }

    /** {@code xs[i]}: {@code Success(element)} or {@code Error(OutOfBounds { index, length })}. */
    public static final class ListIndex extends OspreyNode {
        @Child private OspreyNode list;
        @Child private OspreyNode index;

        public ListIndex(OspreyNode list, OspreyNode index) {
            this.list = list;
            this.index = index;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            ListValue l = (ListValue) list.executeGeneric(frame);
            long i = index.executeLong(frame);
            return get(l, i);
        }

        public static Object get(ListValue l, long i) {
            Object v = l.at(i);
            if (v == null) {
                return Results.error(DataValue.of(OUT_OF_BOUNDS, new Object[] {i, (long) l.size()}));
            }
            return Results.success(v);
        }
    }

    /** {@code m[key]}: {@code Success(value)} or {@code Error(NotFound)}. */
    public static final class MapIndex extends OspreyNode {
        @Child private OspreyNode map;
        @Child private OspreyNode key;

        public MapIndex(OspreyNode map, OspreyNode key) {
            this.map = map;
            this.key = key;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            MapValue m = (MapValue) map.executeGeneric(frame);
            return lookup(m, key.executeGeneric(frame));
        }

        @TruffleBoundary
        public static Object lookup(MapValue m, Object key) {
            Object v = m.get(key);
            return v == null ? Results.error(NOT_FOUND) : Results.success(v);
        }
    }

    /**
     * {@code xs[i] ?: d} and {@code m[key] ?: d}: the element, else the default, without the Result that the
     * index alone makes and the match of {@code ?:} takes apart again (a Success and its array per lookup in
     * the interpreter, and behind the map's boundary in compiled code too). The target, then the index, then
     * the default only when there is no element, as the match would.
     */
    public static final class IndexOrElse extends OspreyNode {
        @Child private OspreyNode target;
        @Child private OspreyNode index;
        @Child private OspreyNode otherwise;
        private final boolean map;
        private final CountingConditionProfile found = CountingConditionProfile.create();

        public IndexOrElse(OspreyNode target, OspreyNode index, boolean map, OspreyNode otherwise) {
            this.target = target;
            this.index = index;
            this.map = map;
            this.otherwise = otherwise;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            Object t = target.executeGeneric(frame);
            Object v = map ? ((MapValue) t).get(index.executeGeneric(frame)) : ((ListValue) t).at(index.executeLong(frame));
            if (found.profile(v != null)) {
                return v;
            }
            return otherwise.executeGeneric(frame);
        }
    }

    /** {@code length(xs)} and {@code length(m)}: the size, read in place rather than through a builtin call. */
    public static final class Size extends OspreyNode {
        @Child private OspreyNode target;
        private final boolean map;

        public Size(OspreyNode target, boolean map) {
            this.target = target;
            this.map = map;
        }

        @Override
        public long executeLong(VirtualFrame frame) {
            Object t = target.executeGeneric(frame);
            return map ? ((MapValue) t).size() : ((ListValue) t).size();
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return executeLong(frame);
        }
    }

    /** {@code append(list, value)} and {@code prepend(list, value)}, arguments in the order written. */
    public static final class Add extends OspreyNode {
        @Child private Arguments arguments;
        private final boolean atEnd;

        public Add(Arguments arguments, boolean atEnd) {
            this.arguments = arguments;
            this.atEnd = atEnd;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            Object[] a = arguments.evaluate(frame);
            ListValue list = (ListValue) a[0];
            return atEnd ? list.append(a[1]) : list.prepend(a[1]);
        }
    }

    /** {@code set(map, key, value)}: the map's own method, called in place rather than through a builtin call. */
    public static final class Put extends OspreyNode {
        @Child private Arguments arguments;

        public Put(Arguments arguments) {
            this.arguments = arguments;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            Object[] a = arguments.evaluate(frame);
            return ((MapValue) a[0]).put(a[1], a[2]);
        }
    }

    /**
     * The {@code set(acc, key, value)} that ends the body of a fold editing its map in place
     * (NodeBuilder.setOnly): the accumulator is {@link MapValue#editing}, and no one else sees it.
     */
    public static final class PutInPlace extends OspreyNode {
        @Child private Arguments arguments;

        public PutInPlace(Arguments arguments) {
            this.arguments = arguments;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            Object[] a = arguments.evaluate(frame);
            return ((MapValue) a[0]).putInPlace(a[1], a[2]);
        }
    }

    /** The initial value of such a fold: an accumulator of the same entries that its body may edit. */
    public static final class Editing extends OspreyNode {
        @Child private OspreyNode map;

        public Editing(OspreyNode map) {
            this.map = map;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return MapValue.editing((MapValue) map.executeGeneric(frame));
        }
    }

    /** Such a fold: its result is an ordinary map, never edited again. */
    public static final class Frozen extends OspreyNode {
        @Child private OspreyNode fold;

        public Frozen(OspreyNode fold) {
            this.fold = fold;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return ((MapValue) fold.executeGeneric(frame)).frozen();
        }
    }

    /** {@code xs + ys} on lists and {@code m1 + m2} on maps (right-biased). */
    public static final class Concat extends OspreyNode {
        @Child private OspreyNode left;
        @Child private OspreyNode right;

        public Concat(OspreyNode left, OspreyNode right) {
            this.left = left;
            this.right = right;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return concat(left.executeGeneric(frame), right.executeGeneric(frame));
        }

        @TruffleBoundary
        private static Object concat(Object a, Object b) {
            if (a instanceof ListValue la) {
                return la.concat((ListValue) b);
            }
            return ((MapValue) a).merge((MapValue) b);
        }
    }

}
