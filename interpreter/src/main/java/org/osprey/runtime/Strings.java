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
     * Code points {@code [from, to)} of {@code s}, which has {@code length} code points. A part of at least half
     * of {@code s}, or of 1,024 code points or more, is a view of its bytes (no copy: {@code drop(s, 1)} in a loop
     * stays linear); a shorter part is copied, so that a short piece kept for long does not keep a large string
     * alive. Each of TruffleString's operations is a call of its uncached code here, 50-130 ns under C1, so the
     * string's bytes and code range are asked for once.
     */
    @TruffleBoundary
    public static TruffleString substring(TruffleString s, int from, int to, int length) {
        if (from == 0 && to == length) {
            return s;
        }
        int byteLength = s.byteLength(ENCODING);
        int start = from;
        int end = to;
        InternalByteArray bytes = null;
        if (byteLength != length) { // not ASCII, where code point indices are byte indices
            if (s.getCodeRangeUncached(ENCODING) == TruffleString.CodeRange.VALID) {
                bytes = s.getInternalByteArrayUncached(ENCODING);
                start = byteIndex(s, bytes, from, length, byteLength);
                end = byteIndex(s, bytes, to, length, byteLength);
            } else {
                start = s.codePointIndexToByteIndexUncached(0, from, ENCODING);
                end = s.codePointIndexToByteIndexUncached(0, to, ENCODING);
            }
        }
        if (to - from >= VIEW_AT_LEAST || 2L * (to - from) >= length) {
            return s.substringByteIndexUncached(start, end - start, ENCODING, true);
        }
        if (bytes == null) {
            bytes = s.getInternalByteArrayUncached(ENCODING);
        }
        if (to - from == 1 && end - start <= 2) {
            TruffleString one = oneCodePoint(bytes.getArray(), bytes.getOffset() + start, end - start);
            if (one != null) {
                return one;
            }
        }
        // Copied with System.arraycopy: TruffleString's own copy is a loop over bytes outside compiled code.
        return TruffleString.fromByteArrayUncached(Arrays.copyOfRange(bytes.getArray(), bytes.getOffset() + start, bytes.getOffset() + end), ENCODING,
                        false);
    }

    /** The strings of one code point below U+0800 (one or two bytes of UTF-8), each made when first asked for. */
    private static final TruffleString[] ONE_CODE_POINT = new TruffleString[0x800];

    /**
     * The string of the code point of one or two bytes at {@code a[at]}: one string per code point, kept, since
     * a scan of a text character by character ({@code substring(s, i, i + 1)}) made a new string of every
     * character, and making a TruffleString (its checks, its code range and length computed) was a quarter of
     * the call. Strings are values (identity is never seen), so all uses may share one; a string a thread makes
     * at the same time as another is as good. Null for bytes that are not such a code point.
     */
    private static TruffleString oneCodePoint(byte[] a, int at, int width) {
        int cp;
        if (width == 1 && a[at] >= 0) {
            cp = a[at];
        } else if (width == 2 && (a[at] & 0xE0) == 0xC0 && (a[at + 1] & 0xC0) == 0x80 && (a[at] & 0xFF) >= 0xC2) {
            cp = (a[at] & 0x1F) << 6 | (a[at + 1] & 0x3F);
        } else {
            return null; // not valid UTF-8 (a foreign string's broken bytes): made as it is
        }
        TruffleString made = ONE_CODE_POINT[cp];
        if (made == null) {
            made = TruffleString.fromByteArrayUncached(Arrays.copyOfRange(a, at, at + width), ENCODING, false);
            ONE_CODE_POINT[cp] = made;
        }
        return made;
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
     * The byte index of code point {@code cp} of {@code s}, a valid UTF-8 string with multi-byte characters
     * whose bytes are {@code b}, of {@code length} code points and {@code bytes} bytes. Counting the code points
     * from the start made {@code substring(s, i, i + 1)} for every i of a long text quadratic (80,000
     * characters: 8.9 s against CPython's 0.02), so that is done only for the first {@link #INDEXED_FROM}. Further
     * in, the index is found from a {@link CodePointIndex} of the string, made once and kept for a few strings:
     * from the last code point looked up in that string when that is nearer than the index's entry before it (a
     * scan by code point, forwards or backwards, takes a step or two per lookup), else from that entry, at most
     * 63 code points away.
     */
    private static int byteIndex(TruffleString s, InternalByteArray b, int cp, int length, int bytes) {
        if (cp == 0 || cp == length) {
            return cp == 0 ? 0 : bytes;
        }
        byte[] a = b.getArray();
        int offset = b.getOffset();
        // Walked from the start below INDEXED_FROM, else from the nearer of the last lookup and the index's entry.
        int from = 0;
        int i = 0;
        CodePointIndex index = null;
        if (cp >= INDEXED_FROM) {
            index = CodePointIndex.of(s, a, offset, length, bytes);
            long last = index.last;
            from = (int) (last >>> 32);
            i = (int) last;
            if (Math.abs(cp - from) >= cp % INDEX_STEP) {
                from = cp - cp % INDEX_STEP;
                i = index.starts[cp / INDEX_STEP];
            }
        }
        for (; from < cp; from++) {
            i++;
            while ((a[offset + i] & 0xC0) == 0x80) {
                i++;
            }
        }
        for (; from > cp; from--) {
            i--;
            while ((a[offset + i] & 0xC0) == 0x80) {
                i--;
            }
        }
        if (index != null) {
            index.last = (long) cp << 32 | i;
        }
        return i;
    }

    /**
     * The byte index of every {@link #INDEX_STEP}th code point of a valid UTF-8 string, and of the code point
     * looked up last, for the last few strings indexed. The strings are held weakly, and the slot of one that is
     * gone is taken first. Threads may share the table without locks: an entry's index never changes, and its
     * last lookup is one volatile long, a code point and its byte index, so whichever thread wrote it last, it
     * is a true pair (a lost update only costs an index made again, or a longer walk).
     * Sixteen entries: with four, a loop taking characters from five long texts in turn made an index at every
     * call, quadratic again (100,000 characters each: 38 s, against 1.3 s for four texts).
     */
    private static final class CodePointIndex {
        private static final int ENTRIES = 16;
        private static final CodePointIndex[] recent = new CodePointIndex[ENTRIES];
        /** The entry found last: a scan of one string finds it without looking through the table. */
        private static CodePointIndex found;

        private final java.lang.ref.WeakReference<TruffleString> string;
        private final int[] starts;
        /** The code point looked up last (high 32 bits) and its byte index (low 32 bits). */
        volatile long last;

        private CodePointIndex(TruffleString string, int[] starts) {
            this.string = new java.lang.ref.WeakReference<>(string);
            this.starts = starts;
        }

        static CodePointIndex of(TruffleString s, byte[] a, int offset, int length, int bytes) {
            CodePointIndex f = found;
            if (f != null && f.string.get() == s) {
                return f;
            }
            int free = -1;
            for (int k = 0; k < ENTRIES; k++) {
                CodePointIndex e = recent[k];
                TruffleString indexed = e == null ? null : e.string.get();
                if (indexed == s) {
                    found = e;
                    return e;
                }
                if (indexed == null && free < 0) {
                    free = k;
                }
            }
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
            CodePointIndex e = new CodePointIndex(s, starts);
            recent[slot] = e;
            found = e;
            return e;
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
