package org.osprey.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.strings.TruffleString;

/** Structural equality, hashing and ordering of Osprey values ({@code ==} compares by value, spec 0009). */
public final class Compare {
    private Compare() {
    }

    @TruffleBoundary
    public static boolean equal(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a instanceof Long x && b instanceof Long y) {
            return x.longValue() == y.longValue();
        }
        if (a instanceof Double x && b instanceof Double y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return x.booleanValue() == y.booleanValue();
        }
        if (a instanceof TruffleString x && b instanceof TruffleString y) {
            return x.equalsUncached(y, Strings.ENCODING);
        }
        if (a instanceof DataValue x && b instanceof DataValue y) {
            if (x.shape != y.shape) {
                return x.shape.variant == null && y.shape.variant == null && java.util.Arrays.equals(x.shape.fieldNames, y.shape.fieldNames)
                                && allFieldsEqual(x, y);
            }
            return allFieldsEqual(x, y);
        }
        if (a instanceof TupleValue x && b instanceof TupleValue y) {
            return allEqual(x.elements, y.elements);
        }
        if (a instanceof ListValue x && b instanceof ListValue y) {
            if (x.size() != y.size()) {
                return false;
            }
            ListValue.Cursor xc = x.cursor();
            ListValue.Cursor yc = y.cursor();
            while (xc.hasNext()) {
                if (!equal(xc.next(), yc.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof MapValue x && b instanceof MapValue y) {
            return x.sameEntries(y);
        }
        return false;
    }

    private static boolean allFieldsEqual(DataValue x, DataValue y) {
        if (x.fieldCount() != y.fieldCount()) {
            return false;
        }
        for (int i = 0; i < x.fieldCount(); i++) {
            if (!equal(x.field(i), y.field(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allEqual(Object[] a, Object[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!equal(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    @TruffleBoundary
    public static int hash(Object v) {
        return switch (v) {
            case Long l -> Long.hashCode(l);
            case Boolean b -> Boolean.hashCode(b);
            // Every Osprey string is UTF-8 (Strings.ENCODING), so the string's own hash code is the one in that
            // encoding; it is cached in the string, where hashCodeUncached checks the encoding on every call.
            case TruffleString s -> s.hashCode();
            case Double d -> Double.hashCode(d);
            default -> System.identityHashCode(v);
        };
    }

    /** Order of map keys for display and sorted listings: numbers, then strings by code point, then bools. */
    @TruffleBoundary
    public static int compareKeys(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof TruffleString x && b instanceof TruffleString y) {
            return x.compareBytesUncached(y, Strings.ENCODING);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        return 0;
    }
}
