package org.osprey.nodes.pattern;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.profiles.ValueProfile;
import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.nodes.Rep;
import org.osprey.runtime.Compare;
import org.osprey.runtime.DataShape;
import org.osprey.runtime.DataValue;
import org.osprey.runtime.ListValue;
import org.osprey.runtime.MapValue;
import org.osprey.runtime.Strings;
import org.osprey.runtime.TupleValue;

/** The pattern forms. Types were checked before the program ran, so casts here cannot fail. */
public final class Patterns {
    private Patterns() {
    }

    public static final class Wildcard extends PatternNode {
        @Override
        public boolean match(VirtualFrame frame, Object value) {
            return true;
        }

        @Override
        public boolean matchLong(VirtualFrame frame, long value) {
            return true;
        }
    }

    /** A variable: always matches and binds. */
    public static final class Bind extends PatternNode {
        private final int slot;
        private final Rep rep;

        public Bind(int slot, Rep rep) {
            this.slot = slot;
            this.rep = rep;
        }

        @Override
        public boolean match(VirtualFrame frame, Object value) {
            rep.set(frame, slot, value);
            return true;
        }

        @Override
        public boolean matchLong(VirtualFrame frame, long value) {
            if (rep != Rep.LONG) {
                return match(frame, value);
            }
            frame.setLong(slot, value);
            return true;
        }
    }

    /** {@code name: Type { ... }}: binds the whole value, then matches the inner pattern. */
    public static final class BindThen extends PatternNode {
        @Child private PatternNode bind;
        @Child private PatternNode inner;

        public BindThen(PatternNode bind, PatternNode inner) {
            this.bind = bind;
            this.inner = inner;
        }

        @Override
        public boolean match(VirtualFrame frame, Object value) {
            return inner.match(frame, value) && bind.match(frame, value);
        }
    }

    public static final class LongLiteral extends PatternNode {
        private final long expected;

        public LongLiteral(long expected) {
            this.expected = expected;
        }

        @Override
        public boolean match(VirtualFrame frame, Object value) {
            return value instanceof Long l && l == expected;
        }

        @Override
        public boolean matchLong(VirtualFrame frame, long value) {
            return value == expected;
        }
    }

    public static final class DoubleLiteral extends PatternNode {
        private final double expected;

        public DoubleLiteral(double expected) {
            this.expected = expected;
        }

        @Override
        public boolean match(VirtualFrame frame, Object value) {
            return value instanceof Double d && d == expected;
        }
    }

    public static final class BooleanLiteral extends PatternNode {
        private final boolean expected;

        public BooleanLiteral(boolean expected) {
            this.expected = expected;
        }

        @Override
        public boolean match(VirtualFrame frame, Object value) {
            return value instanceof Boolean b && b == expected;
        }
    }

    public static final class StringLiteral extends PatternNode {
        private final TruffleString expected;
        @Child private TruffleString.EqualNode equal = TruffleString.EqualNode.create();

        public StringLiteral(TruffleString expected) {
            this.expected = expected;
        }

        @Override
        public boolean match(VirtualFrame frame, Object value) {
            return value instanceof TruffleString s && equal.execute(s, expected, Strings.ENCODING);
        }
    }

    /**
     * A variant, a record or a structural pattern: an optional shape test (variants compare shapes by
     * identity) and sub-patterns on fields by layout index.
     */
    public static final class Data extends PatternNode {
        private final DataShape shape;
        @CompilationFinal(dimensions = 1) private final int[] indices;
        @Children private final PatternNode[] fields;
        /** For a record pattern (no shape to test): the values' one class, read without a virtual call. */
        private final ValueProfile recordClass = ValueProfile.createClassProfile();

        public Data(DataShape shape, int[] indices, PatternNode[] fields) {
            this.shape = shape;
            this.indices = indices;
            this.fields = fields;
        }

        @Override
        @ExplodeLoop
        public boolean match(VirtualFrame frame, Object value) {
            if (!(value instanceof DataValue d)) {
                return false;
            }
            if (shape != null && d.shape != shape) {
                return false;
            }
            DataValue exact = shape != null ? d.exact(shape) : (DataValue) recordClass.profile(d);
            for (int i = 0; i < fields.length; i++) {
                if (!fields[i].match(frame, exact.field(indices[i]))) {
                    return false;
                }
            }
            return true;
        }
    }

    public static final class Tuple extends PatternNode {
        @Children private final PatternNode[] elements;

        public Tuple(PatternNode[] elements) {
            this.elements = elements;
        }

        @Override
        @ExplodeLoop
        public boolean match(VirtualFrame frame, Object value) {
            // A test, not a cast: on an 'any' the value may be anything (checked, a tuple of this length).
            if (!(value instanceof TupleValue t) || t.elements.length != elements.length) {
                return false;
            }
            for (int i = 0; i < elements.length; i++) {
                if (!elements[i].match(frame, t.elements[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code [a, b]} matches exactly two elements; {@code [h, ...t]} one or more, t bound to the rest. */
    public static final class List extends PatternNode {
        @Children private final PatternNode[] elements;
        @Child private PatternNode rest;

        public List(PatternNode[] elements, PatternNode rest) {
            this.elements = elements;
            this.rest = rest;
        }

        @Override
        @ExplodeLoop
        public boolean match(VirtualFrame frame, Object value) {
            if (!(value instanceof ListValue l)) {
                return false; // on an 'any'
            }
            int n = elements.length;
            if (rest == null ? l.size() != n : l.size() < n) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                // at, not get: the size is checked, and get's bounds check stands behind a boundary.
                if (!elements[i].match(frame, l.at(i))) {
                    return false;
                }
            }
            // [w, ..._] makes no list of the rest.
            return rest == null || rest instanceof Wildcard || rest.match(frame, l.drop(n));
        }
    }

    /** {@code { "k": p }}: the map holds every listed key and each value matches (spec 0004). */
    public static final class Map extends PatternNode {
        @CompilationFinal(dimensions = 1) private final Object[] keys;
        @Children private final PatternNode[] values;

        public Map(Object[] keys, PatternNode[] values) {
            this.keys = keys;
            this.values = values;
        }

        @Override
        @ExplodeLoop
        public boolean match(VirtualFrame frame, Object value) {
            if (!(value instanceof MapValue m)) {
                return false; // on an 'any'
            }
            for (int i = 0; i < keys.length; i++) {
                Object v = get(m, keys[i]);
                if (v == null || !values[i].match(frame, v)) {
                    return false;
                }
            }
            return true;
        }

        @TruffleBoundary
        private static Object get(MapValue m, Object key) {
            return m.get(key);
        }
    }

    /** {@code n: int} on an {@code any} value: a run-time type test (spec 0007). */
    public static final class TypeTest extends PatternNode {
        private final org.osprey.types.Type type;
        @Child private PatternNode inner;

        public TypeTest(org.osprey.types.Type type, PatternNode inner) {
            this.type = type;
            this.inner = inner;
        }

        @Override
        public boolean match(VirtualFrame frame, Object value) {
            return test(value) && inner.match(frame, value);
        }

        @TruffleBoundary
        private boolean test(Object value) {
            return org.osprey.runtime.RuntimeTypes.matches(value, type);
        }
    }

    /** {@code { name, age }} on an {@code any} value: any record or variant with these fields, found by name. */
    public static final class FieldsByName extends PatternNode {
        @CompilationFinal(dimensions = 1) private final String[] names;
        @Children private final PatternNode[] fields;
        /**
         * On {@code any}: the shapes of the records and variants the checker took the fields' types from, and
         * those types (null where a field is {@code any}); null when no field has a type to keep.
         */
        @CompilationFinal(dimensions = 1) private final DataShape[] known;
        private final org.osprey.types.Type[] types;

        public FieldsByName(String[] names, PatternNode[] fields) {
            this(names, fields, null, null);
        }

        public FieldsByName(String[] names, PatternNode[] fields, DataShape[] known, org.osprey.types.Type[] types) {
            this.names = names;
            this.fields = fields;
            this.known = known;
            this.types = types;
        }

        @Override
        @ExplodeLoop
        public boolean match(VirtualFrame frame, Object value) {
            if (!(value instanceof DataValue d)) {
                return false;
            }
            // All the names first: only a value that has every field is one of the records the checker took
            // the fields' types from, so only then may the field patterns bind (into typed frame slots).
            for (int i = 0; i < names.length; i++) {
                if (d.shape.fieldIndex(names[i]) < 0) {
                    return false;
                }
            }
            if (known != null && !isKnown(d.shape) && !fieldsFit(d)) {
                // A record of a type the checker did not see (declared again in a later REPL entry, which
                // gave the fields other types): it matches only where its fields have the types bound.
                return false;
            }
            for (int i = 0; i < names.length; i++) {
                if (!fields[i].match(frame, d.field(d.shape.fieldIndex(names[i])))) {
                    return false;
                }
            }
            return true;
        }

        @ExplodeLoop
        private boolean isKnown(DataShape shape) {
            for (DataShape k : known) {
                if (k == shape) {
                    return true;
                }
            }
            return false;
        }

        @TruffleBoundary
        private boolean fieldsFit(DataValue d) {
            for (int i = 0; i < names.length; i++) {
                if (types[i] != null && !org.osprey.runtime.RuntimeTypes.matches(d.field(d.shape.fieldIndex(names[i])), types[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Compares by structural equality; used for literal keys of unusual types. */
    public static final class Equal extends PatternNode {
        private final Object expected;

        public Equal(Object expected) {
            this.expected = expected;
        }

        @Override
        public boolean match(VirtualFrame frame, Object value) {
            return Compare.equal(value, expected);
        }
    }
}
