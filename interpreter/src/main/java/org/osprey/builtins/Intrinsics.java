package org.osprey.builtins;

import org.osprey.spi.BuiltinFunction;

/**
 * Builtins the node builder compiles into the program's own nodes where it can, because a call of a builtin
 * runs its Java code behind a boundary: nothing around it can be optimised, and every value crossing it is
 * boxed. Each keeps its Java implementation for the uses the nodes do not cover (a builtin passed as a
 * function value, a subject other than a range).
 */
public final class Intrinsics {
    private Intrinsics() {
    }

    /**
     * {@code fold(iterator, initial, function)}: with a lambda written in place, a loop of the calling function
     * with the lambda's body inside ({@code org.osprey.nodes.call.InlinedLoop}); with another function over a
     * range, a loop that can inline it ({@code org.osprey.nodes.call.RangeLoopCall}).
     */
    public interface Fold extends Fusion.ConsumingFunction {
    }

    /** {@code forEach(iterator, function)}: as {@link Fold}. */
    public interface ForEach extends Fusion.ConsumingFunction {
    }

    /**
     * {@code map} and {@code filter}, all forms. With a lambda written in place, where their result is the
     * subject of a loop built in place ({@code org.osprey.nodes.call.InlinedLoop}), the lambda's body is a
     * step of that loop: {@code xs |> map(x => ...) |> filter(y => ...) |> fold(...)} is one loop with no call.
     */
    public interface Stage extends BuiltinFunction {
        /** filter, else map. */
        boolean filters();
    }

    /**
     * {@code map} and {@code filter} of a list or a map, which build a list: with a lambda written in place,
     * and where the list is not fused into a consumer (then the lazy form runs), a loop of the calling
     * function with the lambda's body inside ({@code org.osprey.nodes.call.InlinedLoop}).
     */
    public interface ListBuilding extends Stage, Fusion.Producer, Fusion.Consumer {
    }

    /** {@code toInt(value: float)}: truncation toward zero, NaN 0, saturating at the int range (Java's cast). */
    public interface FloatToInt extends BuiltinFunction {
    }

    /** {@code toFloat(value: int)}. */
    public interface IntToFloat extends BuiltinFunction {
    }

    /** {@code toInt(value: int)} and {@code toFloat(value: float)}: the value itself. */
    public interface Identity extends BuiltinFunction {
    }

    /** The math builtins that give a plain value ({@code abs}, {@code min}, {@code sqrt}, ...): {@code org.osprey.nodes.expression.MathNodes}. */
    public interface MathFunction extends BuiltinFunction {
        org.osprey.runtime.MathOps op();
    }

    /** {@code length(list)}: a read of the list's size. */
    public interface ListLength extends BuiltinFunction {
    }

    /** {@code length(map)}: a read of the map's size. */
    public interface MapLength extends BuiltinFunction {
    }

    /** {@code append(list, value)} and {@code prepend(list, value)}: the list's own method, called in place. */
    public interface ListAdd extends BuiltinFunction {
        boolean atEnd();
    }

    /** {@code set(map, key, value)}: the map's own method, called in place. */
    public interface MapSet extends BuiltinFunction {
    }

    /** {@code length(s: string)}: code points, through TruffleString's cached node. */
    public interface StringLength extends BuiltinFunction {
    }

    /**
     * {@code contains}, {@code startsWith} and {@code endsWith} of two strings: a search of the UTF-8 bytes in
     * place ({@code org.osprey.nodes.expression.StringNodes.Search}).
     */
    public interface StringSearch extends BuiltinFunction {
        /** Which of the three. */
        enum Kind {
            CONTAINS, STARTS_WITH, ENDS_WITH
        }

        Kind kind();

        /**
         * The search outside compiled code. A short string is searched in its UTF-8 bytes by plain Java code
         * ({@link #bytes}; UTF-8 is self-synchronising, so a valid string occurs in another as bytes exactly
         * where it occurs as code points); a long one by TruffleString's own search, whose code starts cold but
         * looks only as far as it must: a {@code startsWith(rest, "x")} on the rest of a long text, then
         * {@code drop(rest, 1)}, took time for the whole rest at every step (quadratic over the text) when the
         * whole rest was copied into a Java string. A short string was a Java string too, two of them per
         * search: in a run of bench/suite's textstats (400,000 searches of a word) the program's thread spent
         * 40% of its time in the search, most of it checking each string's encoding twice and decoding it.
         * A string of another language in another encoding (a JavaScript string in an embedding) is searched as
         * a Java string.
         */
        @com.oracle.truffle.api.CompilerDirectives.TruffleBoundary
        static boolean search(Kind kind, com.oracle.truffle.api.strings.TruffleString s, com.oracle.truffle.api.strings.TruffleString part) {
            int length = org.osprey.runtime.Strings.byteLength(s);
            if (length < org.osprey.runtime.Strings.JAVA_SEARCH_MAX_BYTES) {
                com.oracle.truffle.api.strings.InternalByteArray a;
                com.oracle.truffle.api.strings.InternalByteArray b;
                try {
                    a = s.getInternalByteArrayUncached(org.osprey.runtime.Strings.ENCODING);
                    b = part.getInternalByteArrayUncached(org.osprey.runtime.Strings.ENCODING);
                } catch (IllegalArgumentException notUtf8) {
                    return java(kind, org.osprey.runtime.Strings.java(s), org.osprey.runtime.Strings.java(part));
                }
                return bytes(kind, a.getArray(), a.getOffset(), a.getLength(), b.getArray(), b.getOffset(), b.getLength());
            }
            com.oracle.truffle.api.strings.TruffleString.Encoding utf8 = org.osprey.runtime.Strings.ENCODING;
            int partLength = org.osprey.runtime.Strings.byteLength(part);
            return switch (kind) {
                case CONTAINS -> partLength == 0 || s.byteIndexOfStringUncached(part, 0, length, utf8) >= 0;
                case STARTS_WITH -> partLength <= length && s.regionEqualByteIndexUncached(0, part, 0, partLength, utf8);
                case ENDS_WITH -> partLength <= length && s.regionEqualByteIndexUncached(length - partLength, part, 0, partLength, utf8);
            };
        }

        /** The search for the bytes {@code p[po, po + pl)} in the bytes {@code s[so, so + sl)}. */
        static boolean bytes(Kind kind, byte[] s, int so, int sl, byte[] p, int po, int pl) {
            if (pl > sl) {
                return false;
            }
            return switch (kind) {
                case STARTS_WITH -> java.util.Arrays.equals(s, so, so + pl, p, po, po + pl);
                case ENDS_WITH -> java.util.Arrays.equals(s, so + sl - pl, so + sl, p, po, po + pl);
                case CONTAINS -> contains(s, so, sl, p, po, pl);
            };
        }

        private static boolean contains(byte[] s, int so, int sl, byte[] p, int po, int pl) {
            if (pl == 0) {
                return true;
            }
            byte first = p[po];
            for (int i = so, last = so + sl - pl; i <= last; i++) {
                if (s[i] == first && (pl == 1 || java.util.Arrays.equals(s, i + 1, i + pl, p, po + 1, po + pl))) {
                    return true;
                }
            }
            return false;
        }

        /** The search on Java strings. */
        static boolean java(Kind kind, String s, String part) {
            return switch (kind) {
                case CONTAINS -> s.contains(part);
                case STARTS_WITH -> s.startsWith(part);
                case ENDS_WITH -> s.endsWith(part);
            };
        }
    }
}
