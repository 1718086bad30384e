package org.osprey.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.strings.InternalByteArray;
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
    /** The length from which {@link #substring} shares the string's bytes whatever the string's length. */
    private static final int VIEW_AT_LEAST = 1024;

    private Strings() {
    }

    /**
     * From this many chars a Java string is encoded to UTF-8 by the JDK: TruffleString's own conversion stops
     * with an UnsupportedSpecializationException (an internal error that printed the whole string) for one of
     * about 2^29 chars that is not all ASCII, e.g. repeat("é", 536870911), 1 GiB of UTF-8 and within the limit.
     */
    private static final int ENCODED_BY_THE_JDK_FROM = 1 << 28;

    /**
     * The string of a Java string, encoded to UTF-8 by the JDK: TruffleString's own conversion is a loop over
     * the characters in Java code that HotSpot runs (the builtins are not compiled by Graal), and took most of
     * the time of toUpperCase on a line that is not ASCII. A Java string with a surrogate that is not half of
     * a pair (an embedding's string; Osprey makes none) goes TruffleString's way, as before.
     */
    @TruffleBoundary
    public static TruffleString of(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (s.length() < ENCODED_BY_THE_JDK_FROM && (bytes.length != s.length() ? hasLoneSurrogate(s) : madeQuestionMark(s, bytes))) {
            return TruffleString.fromJavaStringUncached(s, ENCODING);
        }
        return TruffleString.fromByteArrayUncached(bytes, ENCODING, false);
    }

    /**
     * Whether the JDK wrote a '?' for a lone surrogate of {@code s}, encoded to as many bytes as it has chars
     * (so each char is ASCII or a lone surrogate, one byte each, at the same index).
     */
    private static boolean madeQuestionMark(String s, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '?' && s.charAt(i) != '?') {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The Java string of a string, decoded from its UTF-8 bytes by the JDK (see {@link #of}). A string of
     * another language in another encoding (JavaScript's are UTF-16), met where any value may be (printing a
     * foreign value), is converted by TruffleString.
     */
    @TruffleBoundary
    public static String java(Object s) {
        TruffleString t = (TruffleString) s;
        if (!t.isCompatibleToUncached(ENCODING)) {
            return t.toJavaStringUncached();
        }
        InternalByteArray bytes = t.getInternalByteArrayUncached(ENCODING);
        return new String(bytes.getArray(), bytes.getOffset(), bytes.getLength(), StandardCharsets.UTF_8);
    }

    /** The string itself when its bytes are UTF-8's, else (a string of another language, in another encoding) converted. */
    @TruffleBoundary
    public static TruffleString utf8(TruffleString t) {
        return t.isCompatibleToUncached(ENCODING) ? t : t.switchEncodingUncached(ENCODING);
    }

    @TruffleBoundary
    public static TruffleString fromLong(long value) {
        return TruffleString.fromLongUncached(value, ENCODING, false);
    }

    /** The number of characters of {@code value} in decimal, with its sign. */
    public static int decimalLength(long value) {
        if (value == Long.MIN_VALUE) {
            return 20;
        }
        long magnitude = Math.abs(value);
        int digits = 1;
        for (long bound = 10; digits < 19 && magnitude >= bound; bound *= 10) {
            digits++;
        }
        return value < 0 ? digits + 1 : digits;
    }

    @TruffleBoundary
    public static int codePointLength(TruffleString s) {
        return s.codePointLengthUncached(ENCODING);
    }

    /**
     * Code points {@code [from, to)} of {@code s}. A part of at least half of {@code s}, or of 1,024 code points
     * or more, is a view of its bytes (no copy: {@code drop(s, 1)} in a loop stays linear); a shorter part is
     * copied, so that a short piece kept for long does not keep a large string alive.
     */
    @TruffleBoundary
    public static TruffleString substring(TruffleString s, int from, int to) {
        int length = s.codePointLengthUncached(ENCODING);
        if (from == 0 && to == length) {
            return s;
        }
        int start = byteIndex(s, from, length);
        int end = byteIndex(s, to, length);
        if (to - from >= VIEW_AT_LEAST || 2L * (to - from) >= length) {
            return s.substringByteIndexUncached(start, end - start, ENCODING, true);
        }
        // Copied with System.arraycopy: TruffleString's own copy is a loop over bytes outside compiled code.
        InternalByteArray bytes = s.getInternalByteArrayUncached(ENCODING);
        return TruffleString.fromByteArrayUncached(Arrays.copyOfRange(bytes.getArray(), bytes.getOffset() + start, bytes.getOffset() + end), ENCODING,
                        false);
    }

    /**
     * Bytes {@code [from, to)} of a UTF-8 array, whole code points, as a string of their own (a copy, so that a
     * short piece kept for long does not keep a large text alive). A piece of a text is made from its bytes,
     * not through a Java string: decoding a 50 MB file to UTF-16 for {@code lines} and encoding every line back
     * took most of the time and twice the memory.
     */
    @TruffleBoundary
    public static TruffleString ofBytes(byte[] a, int from, int to) {
        if (from == to) {
            return EMPTY;
        }
        return TruffleString.fromByteArrayUncached(Arrays.copyOfRange(a, from, to), ENCODING, false);
    }

    /** Code points from which {@link #byteIndex} looks the byte index up in a {@link CodePointIndex}. */
    private static final int INDEXED_FROM = 256;
    /** Every how many code points a {@link CodePointIndex} holds a byte index (a power of two). */
    private static final int INDEX_STEP = 64;

    /**
     * The byte index of code point {@code cp} of {@code s}, which has {@code length} code points. In an ASCII
     * string that is {@code cp}; in one with multi-byte characters TruffleString counts the code points from
     * the start, so {@code substring(s, i, i + 1)} for every i of a long text was quadratic (80,000 characters:
     * 8.9 s against CPython's 0.02). Far into a long string the index comes from a {@link CodePointIndex} of it,
     * made once and kept for a few strings: O(64) per lookup.
     */
    private static int byteIndex(TruffleString s, int cp, int length) {
        int bytes = s.byteLength(ENCODING);
        if (cp == 0 || bytes == length) {
            return cp; // the start, or an ASCII string (in UTF-8, as many code points as bytes)
        }
        if (cp == length) {
            return bytes;
        }
        if (cp < INDEXED_FROM || s.getCodeRangeUncached(ENCODING) != TruffleString.CodeRange.VALID) {
            return s.codePointIndexToByteIndexUncached(0, cp, ENCODING);
        }
        int[] starts = CodePointIndex.of(s, length, bytes);
        InternalByteArray b = s.getInternalByteArrayUncached(ENCODING);
        byte[] a = b.getArray();
        int offset = b.getOffset();
        int i = starts[cp / INDEX_STEP];
        for (int k = cp % INDEX_STEP; k > 0; k--) {
            i++;
            while ((a[offset + i] & 0xC0) == 0x80) {
                i++;
            }
        }
        return i;
    }

    /**
     * The byte index of every {@link #INDEX_STEP}th code point of a valid UTF-8 string, for the last few strings
     * indexed. The strings are held weakly, and the slot of one that is gone is taken first; an entry is
     * immutable, so threads may share the table without locks (a lost update only costs an index made again).
     * Sixteen entries: with four, a loop taking characters from five long texts in turn made an index at every
     * call, quadratic again (100,000 characters each: 38 s, against 1.3 s for four texts).
     */
    private static final class CodePointIndex {
        private static final int ENTRIES = 16;
        private static final CodePointIndex[] recent = new CodePointIndex[ENTRIES];

        private final java.lang.ref.WeakReference<TruffleString> string;
        private final int[] starts;

        private CodePointIndex(TruffleString string, int[] starts) {
            this.string = new java.lang.ref.WeakReference<>(string);
            this.starts = starts;
        }

        static int[] of(TruffleString s, int length, int bytes) {
            int free = -1;
            for (int k = 0; k < ENTRIES; k++) {
                CodePointIndex e = recent[k];
                TruffleString indexed = e == null ? null : e.string.get();
                if (indexed == s) {
                    return e.starts;
                }
                if (indexed == null && free < 0) {
                    free = k;
                }
            }
            InternalByteArray b = s.getInternalByteArrayUncached(ENCODING);
            byte[] a = b.getArray();
            int offset = b.getOffset();
            int[] starts = new int[length / INDEX_STEP + 1];
            int cp = 0;
            for (int i = 0; i < bytes; i++) {
                if ((a[offset + i] & 0xC0) != 0x80) {
                    if (cp % INDEX_STEP == 0) {
                        starts[cp / INDEX_STEP] = i;
                    }
                    cp++;
                }
            }
            if (length % INDEX_STEP == 0) {
                starts[length / INDEX_STEP] = bytes;
            }
            // A random victim, not the oldest: with more strings than entries taken in turn, the oldest is always
            // the next one asked for, and no lookup would find its index.
            int slot = free >= 0 ? free : java.util.concurrent.ThreadLocalRandom.current().nextInt(ENTRIES);
            recent[slot] = new CodePointIndex(s, starts);
            return starts;
        }
    }

    /**
     * Strings shorter than this many bytes are searched as Java strings outside compiled code (warm code, and
     * the copy is short); longer ones on their UTF-8 bytes, so that a search near the start of a long string
     * does not copy all of it.
     */
    public static final int JAVA_SEARCH_MAX_BYTES = 256;

    /**
     * The code point index of the first occurrence of {@code needle} in {@code s}, or -1. On a long string it
     * takes time for the part before the match (and the needle), not for the whole string: a tokenizer that
     * calls {@code indexOf(rest, ",")} and then {@code drop(rest, i + 1)} over a long text was quadratic when every
     * call made a Java string of the whole rest.
     */
    @TruffleBoundary
    public static long indexOf(TruffleString s, TruffleString needle) {
        int length = s.byteLength(ENCODING);
        if (length < JAVA_SEARCH_MAX_BYTES || needle.isEmpty()) {
            String str = java(s);
            int i = str.indexOf(java(needle));
            return i < 0 ? -1 : str.codePointCount(0, i);
        }
        int at = s.byteIndexOfStringUncached(needle, 0, length, ENCODING);
        return at < 0 ? -1 : s.byteIndexToCodePointIndexUncached(0, at, ENCODING);
    }

    @TruffleBoundary
    public static int byteLength(TruffleString s) {
        return s.byteLength(ENCODING);
    }
}
