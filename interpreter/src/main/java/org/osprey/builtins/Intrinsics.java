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
         * The search outside compiled code. A short string is searched as a Java string (that code is warm from
         * the JVM's start); a long one on its UTF-8 bytes, since making the Java string copies all of it: a
         * {@code startsWith(rest, "x")} on the rest of a long text, then {@code drop(rest, 1)}, took time for the
         * whole rest at every step (quadratic over the text) where the bytes need only the prefix.
         */
        @com.oracle.truffle.api.CompilerDirectives.TruffleBoundary
        static boolean search(Kind kind, com.oracle.truffle.api.strings.TruffleString s, com.oracle.truffle.api.strings.TruffleString part) {
            int length = org.osprey.runtime.Strings.byteLength(s);
            if (length < org.osprey.runtime.Strings.JAVA_SEARCH_MAX_BYTES) {
                return java(kind, org.osprey.runtime.Strings.java(s), org.osprey.runtime.Strings.java(part));
            }
            com.oracle.truffle.api.strings.TruffleString.Encoding utf8 = org.osprey.runtime.Strings.ENCODING;
            int partLength = org.osprey.runtime.Strings.byteLength(part);
            return switch (kind) {
                case CONTAINS -> partLength == 0 || s.byteIndexOfStringUncached(part, 0, length, utf8) >= 0;
                case STARTS_WITH -> partLength <= length && s.regionEqualByteIndexUncached(0, part, 0, partLength, utf8);
                case ENDS_WITH -> partLength <= length && s.regionEqualByteIndexUncached(length - partLength, part, 0, partLength, utf8);
            };
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
