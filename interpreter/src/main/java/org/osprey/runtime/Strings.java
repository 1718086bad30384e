package org.osprey.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.strings.TruffleString;

/**
 * Osprey strings are {@link TruffleString}s in UTF-8 (spec 0004: "string: UTF-8 encoded"), which gives the
 * O(1) byte access of spec 0012's cursor functions. These helpers are for slow paths and builtins.
 */
public final class Strings {
    public static final TruffleString.Encoding ENCODING = TruffleString.Encoding.UTF_8;
    public static final TruffleString EMPTY = TruffleString.fromJavaStringUncached("", ENCODING);
    /** No string may grow beyond 1 GiB of UTF-8: past that a program fails with a clear error, not an OOM. */
    public static final long MAX_BYTES = 1L << 30;

    private Strings() {
    }

    @TruffleBoundary
    public static TruffleString of(String s) {
        return TruffleString.fromJavaStringUncached(s, ENCODING);
    }

    @TruffleBoundary
    public static String java(Object s) {
        return ((TruffleString) s).toJavaStringUncached();
    }

    @TruffleBoundary
    public static TruffleString concat(TruffleString a, TruffleString b) {
        return a.concatUncached(b, ENCODING, true);
    }

    @TruffleBoundary
    public static TruffleString fromLong(long value) {
        return TruffleString.fromLongUncached(value, ENCODING, false);
    }

    @TruffleBoundary
    public static int codePointLength(TruffleString s) {
        return s.codePointLengthUncached(ENCODING);
    }

    @TruffleBoundary
    public static int byteLength(TruffleString s) {
        return s.byteLength(ENCODING);
    }
}
