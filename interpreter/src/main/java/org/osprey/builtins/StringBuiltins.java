package org.osprey.builtins;

import java.util.Arrays;
import java.util.Locale;

import com.oracle.truffle.api.TruffleSafepoint;
import com.oracle.truffle.api.strings.InternalByteArray;
import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.runtime.DataShape;
import org.osprey.runtime.DataValue;
import org.osprey.runtime.Display;
import org.osprey.runtime.ListValue;
import org.osprey.runtime.Strings;
import org.osprey.spi.BuiltinException;
import org.osprey.spi.BuiltinRegistry;
import org.osprey.spi.Values;
import org.osprey.types.Prelude;

/**
 * The string functions of spec 0012, with the Unicode-correct target behaviour: lengths and indices count
 * code points, case mapping is Unicode's, whitespace is Unicode's White_Space. The cursor functions work on
 * UTF-8 bytes in O(1). Partial functions return {@code Result<_, StringError>}.
 */
final class StringBuiltins {
    private StringBuiltins() {
    }

    static final long MAX_STRING_BYTES = Strings.MAX_BYTES;

    private static final DataShape INDEX_OUT_OF_RANGE = DataShape.of(Prelude.STRING_ERROR.variant("IndexOutOfRange"));
    private static final DataShape INVALID_ARGUMENT = DataShape.of(Prelude.STRING_ERROR.variant("InvalidArgument"));
    private static final DataShape PARSE_FAILED = DataShape.of(Prelude.STRING_ERROR.variant("ParseFailed"));
    private static final DataValue NOT_FOUND = DataShape.of(Prelude.STRING_ERROR.variant("NotFound")).singleton;

    private static String s(Object v) {
        return Strings.java(v);
    }

    private static TruffleString ts(String v) {
        return Strings.of(v);
    }

    private static Object outOfRange(long index, long length) {
        return Values.error(DataValue.of(INDEX_OUT_OF_RANGE, new Object[] {index, length}));
    }

    private static Object invalid(String message) {
        return Values.error(DataValue.of(INVALID_ARGUMENT, new Object[] {ts(message)}));
    }

    private static Intrinsics.StringSearch search(Intrinsics.StringSearch.Kind kind) {
        return new Intrinsics.StringSearch() {
            @Override
            public Kind kind() {
                return kind;
            }

            @Override
            public Object call(org.osprey.spi.BuiltinContext context, Object[] a) {
                return Intrinsics.StringSearch.search(kind, (TruffleString) a[0], (TruffleString) a[1]);
            }
        };
    }

    static void register(BuiltinRegistry r) {
        r.function("length(s: string) -> int", "core", "Number of Unicode code points.",
                        (Intrinsics.StringLength) (c, a) -> (long) Strings.codePointLength((TruffleString) a[0]));
        r.function("isEmpty(s: string) -> bool", "core", (c, a) -> ((TruffleString) a[0]).isEmpty());
        r.function("contains(s: string, needle: string) -> bool", "core", search(Intrinsics.StringSearch.Kind.CONTAINS));
        r.function("startsWith(s: string, prefix: string) -> bool", "core", search(Intrinsics.StringSearch.Kind.STARTS_WITH));
        r.function("endsWith(s: string, suffix: string) -> bool", "core", search(Intrinsics.StringSearch.Kind.ENDS_WITH));
        r.function("indexOf(s: string, needle: string) -> Result<int, StringError>", "core", "Code point index of the first occurrence.",
                        (c, a) -> {
                            long i = Strings.indexOf((TruffleString) a[0], (TruffleString) a[1]);
                            return i < 0 ? Values.error(NOT_FOUND) : Values.success(i);
                        });
        r.function("byteLength(s: string) -> int", "core", (c, a) -> (long) Strings.byteLength((TruffleString) a[0]));
        r.function("byteAt(s: string, i: int) -> Result<int, StringError>", "core", (c, a) -> {
            TruffleString str = (TruffleString) a[0];
            long i = (long) a[1];
            int n = Strings.byteLength(str);
            if (i < 0 || i >= n) {
                return outOfRange(i, n);
            }
            return Values.success((long) str.readByteUncached((int) i, Strings.ENCODING));
        });
        r.function("codePointAt(s: string, byteIndex: int) -> Result<int, StringError>", "core", (c, a) -> codePointAt((TruffleString) a[0], (long) a[1]));
        r.function("codePointWidth(codepoint: int) -> Result<int, StringError>", "core", (c, a) -> {
            long cp = (long) a[0];
            if (!isScalar(cp)) {
                return invalid("not a Unicode scalar value: " + cp);
            }
            return Values.success(cp < 0x80 ? 1L : cp < 0x800 ? 2L : cp < 0x10000 ? 3L : 4L);
        });
        r.function("fromCodePoint(codepoint: int) -> Result<string, StringError>", "core", (c, a) -> {
            long cp = (long) a[0];
            if (!isScalar(cp)) {
                return invalid("not a Unicode scalar value: " + cp);
            }
            return Values.success(ts(new String(Character.toChars((int) cp))));
        });
        // Code point indices on the UTF-8 string itself: an ASCII string's code points are its bytes, so these
        // take time for the part they copy, not for the index (a tokenizer calling substring(s, i, i + 1) on
        // every position of a long text was quadratic when they went through Java's String).
        r.function("substring(s: string, start: int, end: int) -> Result<string, StringError>", "core", "Code points [start, end).",
                        (c, a) -> {
                            TruffleString str = (TruffleString) a[0];
                            long start = (long) a[1];
                            long end = (long) a[2];
                            int len = Strings.codePointLength(str);
                            if (start < 0 || start > len) {
                                return outOfRange(start, len);
                            }
                            if (end > len) {
                                return outOfRange(end, len);
                            }
                            if (end < start) {
                                return outOfRange(end, len); // spec 0012: start > end is IndexOutOfRange too; end is the index outside [start, length]
                            }
                            return Values.success(Strings.substring(str, (int) start, (int) end, len));
                        });
        r.function("take(s: string, n: int) -> string", "core", (c, a) -> {
            TruffleString str = (TruffleString) a[0];
            int len = Strings.codePointLength(str);
            return Strings.substring(str, 0, (int) Math.max(0, Math.min(len, (long) a[1])), len);
        });
        r.function("drop(s: string, n: int) -> string", "core", (c, a) -> {
            TruffleString str = (TruffleString) a[0];
            int len = Strings.codePointLength(str);
            return Strings.substring(str, (int) Math.max(0, Math.min(len, (long) a[1])), len, len);
        });
        r.function("split(s: string, separator: string) -> Result<List<string>, StringError>", "core", (c, a) -> {
            TruffleString sep = (TruffleString) a[1];
            if (sep.isEmpty()) {
                return invalid("separator is empty");
            }
            TruffleString str = (TruffleString) a[0];
            return Values.success(split(str, Strings.byteLength(str), sep));
        });
        r.function("join(parts: List<string>, separator: string) -> string", "core", (c, a) -> {
            ListValue parts = (ListValue) a[0];
            // join cannot fail (spec 0012), so a result beyond the size of a string stops the program as '+'
            // does; measured first, since many copies of a long separator can need gigabytes to build.
            long bytes = parts.size() > 1 ? (parts.size() - 1L) * Strings.byteLength((TruffleString) a[1]) : 0;
            for (int i = 0; i < parts.size() && bytes <= MAX_STRING_BYTES; i++) {
                bytes += Strings.byteLength((TruffleString) parts.get(i));
            }
            if (bytes > MAX_STRING_BYTES) {
                throw new BuiltinException("join: string too large: the result would be " + bytes + " bytes, more than the limit of "
                                + MAX_STRING_BYTES + " bytes (1 GiB)");
            }
            StringBuilder sb = new StringBuilder();
            String sep = s(a[1]);
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    sb.append(sep);
                }
                sb.append(s(parts.get(i)));
            }
            return ts(sb.toString());
        });
        r.function("lines(s: string) -> List<string>", "core", (c, a) -> {
            TruffleString str = (TruffleString) a[0];
            int bytes = Strings.byteLength(str);
            if (bytes == 0) {
                return ListValue.EMPTY;
            }
            boolean endsWithBreak = str.readByteUncached(bytes - 1, Strings.ENCODING) == '\n';
            return split(str, endsWithBreak ? bytes - 1 : bytes, NEWLINE);
        });
        r.function("words(s: string) -> List<string>", "core", (c, a) -> {
            // A string of another language in another encoding (an embedding's JavaScript string) is made UTF-8 first.
            InternalByteArray bytes = Strings.utf8((TruffleString) a[0]).getInternalByteArrayUncached(Strings.ENCODING);
            return words(bytes.getArray(), bytes.getOffset(), bytes.getOffset() + bytes.getLength());
        });
        r.function("toUpperCase(s: string) -> string", "core", (c, a) -> changeCase((TruffleString) a[0], true));
        r.function("toLowerCase(s: string) -> string", "core", (c, a) -> changeCase((TruffleString) a[0], false));
        r.function("trim(s: string) -> string", "core", (c, a) -> ts(trimEnd(trimStart(s(a[0])))));
        r.function("trimStart(s: string) -> string", "core", (c, a) -> ts(trimStart(s(a[0]))));
        r.function("trimEnd(s: string) -> string", "core", (c, a) -> ts(trimEnd(s(a[0]))));
        r.function("replace(s: string, needle: string, replacement: string) -> Result<string, StringError>", "core", (c, a) -> {
            String needle = s(a[1]);
            if (needle.isEmpty()) {
                return invalid("needle is empty");
            }
            String str = s(a[0]);
            String rep = s(a[2]);
            long count = (str.length() - str.replace(needle, "").length()) / needle.length();
            long size = (long) Strings.byteLength((TruffleString) a[0]) + count * ((long) Strings.byteLength((TruffleString) a[2]) - Strings.byteLength((TruffleString) a[1]));
            if (size > MAX_STRING_BYTES) {
                return tooLarge(size);
            }
            return Values.success(ts(str.replace(needle, rep)));
        });
        r.function("repeat(s: string, n: int) -> Result<string, StringError>", "core", (c, a) -> {
            long n = (long) a[1];
            if (n < 0) {
                return invalid("count is negative: " + n);
            }
            long bytes = Strings.byteLength((TruffleString) a[0]);
            if (bytes == 0 || n == 0) {
                // Any count of the empty string, even one beyond Java's int range, is the empty string.
                return Values.success(Strings.EMPTY);
            }
            if (bytes > MAX_STRING_BYTES / n) {
                return tooLarge(saturatingMultiply(bytes, n));
            }
            return Values.success(ts(s(a[0]).repeat((int) n)));
        });
        r.function("reverse(s: string) -> string", "core", (c, a) -> {
            String str = s(a[0]);
            StringBuilder sb = new StringBuilder(str.length());
            for (int i = str.length(); i > 0;) {
                int cp = str.codePointBefore(i);
                sb.appendCodePoint(cp);
                i -= Character.charCount(cp);
            }
            return ts(sb.toString());
        });
        r.function("padStart(s: string, targetLength: int, fill: string) -> Result<string, StringError>", "core", (c, a) -> pad(a, true));
        r.function("padEnd(s: string, targetLength: int, fill: string) -> Result<string, StringError>", "core", (c, a) -> pad(a, false));
        r.function("parseInt(s: string) -> Result<int, StringError>", "core", "Base-10 integer; no surrounding spaces.", (c, a) -> {
            Object parsed = parseShortInteger((TruffleString) a[0]);
            if (parsed != null) {
                return parsed;
            }
            String str = s(a[0]);
            if (isInteger(str)) {
                try {
                    return Values.success(Long.parseLong(str.startsWith("+") ? str.substring(1) : str));
                } catch (NumberFormatException e) {
                    // out of range: falls through to ParseFailed
                }
            }
            return Values.error(DataValue.of(PARSE_FAILED, new Object[] {a[0]}));
        });
        r.function("parseFloat(s: string) -> Result<float, StringError>", "core", (c, a) -> {
            String str = s(a[0]);
            if (Display.DECIMAL_FLOAT.matcher(str).matches()) {
                double d = Double.parseDouble(str);
                if (!Double.isInfinite(d)) {
                    return Values.success(d);
                }
            }
            return Values.error(DataValue.of(PARSE_FAILED, new Object[] {a[0]}));
        });
    }

    /**
     * parseInt of a string of at most 18 digits after its sign (no overflow possible), on its UTF-8 bytes; null for
     * a longer one, which the Java way parses. A loop of parseInt spent most of its time making each string a
     * Java string.
     */
    private static Object parseShortInteger(TruffleString s) {
        InternalByteArray bytes = s.getInternalByteArrayUncached(Strings.ENCODING);
        byte[] a = bytes.getArray();
        int i = bytes.getOffset();
        int to = i + bytes.getLength();
        boolean negative = false;
        if (i < to && (a[i] == '+' || a[i] == '-')) {
            negative = a[i] == '-';
            i++;
        }
        if (to - i > 18) {
            return null;
        }
        if (i == to) {
            return Values.error(DataValue.of(PARSE_FAILED, new Object[] {s}));
        }
        long value = 0;
        for (; i < to; i++) {
            int digit = a[i] - '0';
            if (digit < 0 || digit > 9) {
                return Values.error(DataValue.of(PARSE_FAILED, new Object[] {s}));
            }
            value = value * 10 + digit;
        }
        return Values.success(negative ? -value : value);
    }

    /**
     * Whether {@code s} is an optional sign and one or more ASCII digits: what {@code parseInt} accepts (the
     * regular expression {@code [+-]?[0-9]+}, checked by hand: {@code String.matches} compiled the pattern at
     * every call, most of the time of a loop of parseInt).
     */
    static boolean isInteger(String s) {
        int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        if (start == s.length()) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** No code point's case mapping takes more than 3 times its UTF-8 bytes (ΐ, 2, upper-cases to 6). */
    static final int MAX_CASE_GROWTH = 3;

    /**
     * toUpperCase and toLowerCase cannot fail (spec 0012), but a case mapping can make a string longer
     * ({@link #MAX_CASE_GROWTH}), so a string near the limit could come out beyond it (or exhaust the memory
     * while it was built). A result beyond the size of a string stops the program as join does, measured
     * before it is built; only a string beyond a third of the limit can grow that much and is measured.
     */
    private static TruffleString changeCase(TruffleString s, boolean upper) {
        if (s.getCodeRangeUncached(Strings.ENCODING) == TruffleString.CodeRange.ASCII) {
            return asciiCase(s, upper);
        }
        String str = s(s);
        if (Strings.byteLength(s) > MAX_STRING_BYTES / MAX_CASE_GROWTH) {
            long bytes = caseMappedBytes(str, upper);
            if (bytes > MAX_STRING_BYTES) {
                throw new BuiltinException((upper ? "toUpperCase" : "toLowerCase") + ": string too large: the result would be " + bytes
                                + " bytes, more than the limit of " + MAX_STRING_BYTES + " bytes (1 GiB)");
            }
        }
        return ts(upper ? upperCase(str) : lowerCase(str));
    }

    /**
     * The case mapping of an ASCII string, on its bytes: only the 26 letters change, and by one bit. Through a
     * Java string an upper-case filter spent most of its time decoding and encoding each line. A string with
     * nothing to change is its own mapping.
     */
    private static TruffleString asciiCase(TruffleString s, boolean upper) {
        InternalByteArray bytes = s.getInternalByteArrayUncached(Strings.ENCODING);
        byte[] a = bytes.getArray();
        int from = bytes.getOffset();
        int to = from + bytes.getLength();
        byte first = (byte) (upper ? 'a' : 'A');
        byte last = (byte) (upper ? 'z' : 'Z');
        int i = from;
        while (i < to && (a[i] < first || a[i] > last)) {
            i++;
        }
        if (i == to) {
            return s;
        }
        byte[] mapped = Arrays.copyOfRange(a, from, to);
        for (i -= from; i < mapped.length; i++) {
            byte c = mapped[i];
            if (c >= first && c <= last) {
                mapped[i] = (byte) (c ^ 0x20);
            }
        }
        return TruffleString.fromByteArrayUncached(mapped, Strings.ENCODING, false);
    }

    /** Strings up to this many chars are case-mapped whole; longer ones that may grow, a piece of this many at a time. */
    static final int CASE_PIECE = 256;

    /**
     * {@code str.toUpperCase(Locale.ROOT)} in time linear in its length. The JDK copies the whole of its result so
     * far for each char that grows (ß to SS, ΐ to three chars): 200,000 ß took 5.8 s, 2 MB of German text tens of
     * seconds. Upper-casing under the root locale looks at one code point at a time, so the string mapped a piece
     * at a time (never between the two halves of a pair) is the string mapped whole. Below ß, the first char
     * that grows, nothing does: such a string is mapped whole.
     */
    static String upperCase(String str) {
        int n = str.length();
        if (n <= CASE_PIECE || !mayGrowUpperCased(str)) {
            return str.toUpperCase(Locale.ROOT);
        }
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n;) {
            int end = Math.min(n, i + CASE_PIECE);
            if (end < n && Character.isHighSurrogate(str.charAt(end - 1))) {
                end--;
            }
            sb.append(str.substring(i, end).toUpperCase(Locale.ROOT));
            if ((i & 0xFFFFF) < CASE_PIECE) {
                TruffleSafepoint.poll(null); // a cancel or a time limit stops the mapping of a long text
            }
            i = end;
        }
        return sb.toString();
    }

    private static boolean mayGrowUpperCased(String str) {
        for (int i = 0; i < str.length(); i++) {
            if (str.charAt(i) >= '\u00DF') {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code str.toLowerCase(Locale.ROOT)} in time linear in its length. Lower-cased under the root locale only İ
     * (U+0130) grows, to i and a combining dot above, and the JDK copies its result so far for each one (200,000
     * took 4.7 s). Only a capital sigma looks beyond its code point (σ, or ς at the end of a word), so the string
     * cannot be cut into pieces; instead each İ is mapped as I, a cased letter of a word as İ is, which leaves
     * every sigma the same neighbours and gives one char per char, and the i of each İ is then widened.
     */
    static String lowerCase(String str) {
        int first = str.indexOf('\u0130');
        if (first < 0 || str.length() <= CASE_PIECE) {
            return str.toLowerCase(Locale.ROOT);
        }
        String mapped = str.replace('\u0130', 'I').toLowerCase(Locale.ROOT);
        if (mapped.length() != str.length()) {
            return str.toLowerCase(Locale.ROOT); // another char grew: StringCaseTest says none does
        }
        StringBuilder sb = new StringBuilder(str.length() + 16);
        int from = 0;
        for (int i = first; i >= 0; i = str.indexOf('\u0130', i + 1)) {
            sb.append(mapped, from, i).append("i\u0307");
            from = i + 1;
        }
        return sb.append(mapped, from, mapped.length()).toString();
    }

    /**
     * The UTF-8 bytes of {@code str} upper- or lower-cased, counted without building it: a table gives the
     * bytes each char of the basic plane maps to, and a surrogate pair is mapped as the code point it is.
     * (Mapping the text a piece at a time took 130 ns a char: the JDK maps ΐ and the like on a slow path.) The
     * one mapping that looks beyond its code point, a final sigma, gives σ or ς, two bytes either way.
     */
    static long caseMappedBytes(String str, boolean upper) {
        byte[] table = upper ? CaseTables.UPPER : CaseTables.LOWER;
        long bytes = 0;
        int n = str.length();
        for (int i = 0; i < n; i++) {
            char ch = str.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(str.charAt(i + 1))) {
                bytes += utf8Length(CaseTables.map(Character.toString(str.codePointAt(i)), upper));
                i++;
            } else {
                bytes += table[ch];
            }
            if ((i & 0xFFFFF) == 0) {
                TruffleSafepoint.poll(null); // a cancel or a time limit stops the measuring of a long text
            }
        }
        return bytes;
    }

    /** The UTF-8 bytes of each char of the basic plane upper- and lower-cased, made once when first used. */
    private static final class CaseTables {
        static final byte[] UPPER = table(true);
        static final byte[] LOWER = table(false);

        static String map(String s, boolean upper) {
            return upper ? s.toUpperCase(Locale.ROOT) : s.toLowerCase(Locale.ROOT);
        }

        private static byte[] table(boolean upper) {
            byte[] t = new byte[Character.MAX_VALUE + 1];
            for (int c = 0; c <= Character.MAX_VALUE; c++) {
                t[c] = (byte) utf8Length(map(String.valueOf((char) c), upper));
            }
            return t;
        }
    }

    static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            // A surrogate is half of a pair of four bytes (an unpaired one cannot come from a TruffleString).
            bytes += ch < 0x80 ? 1 : ch < 0x800 || Character.isSurrogate(ch) ? 2 : 3;
        }
        return bytes;
    }

    private static Object tooLarge(long bytes) {
        return invalid("the result would be " + (bytes == Long.MAX_VALUE ? "2^63 or more" : String.valueOf(bytes))
                        + " bytes, more than the limit of " + MAX_STRING_BYTES + " bytes");
    }

    private static Object pad(Object[] a, boolean start) {
        String str = s(a[0]);
        long target = (long) a[1];
        String fill = s(a[2]);
        int len = str.codePointCount(0, str.length());
        if (target <= len) {
            return Values.success(a[0]); // long enough: no fill is used, so an empty one is no error
        }
        if (fill.isEmpty()) {
            return invalid("fill is empty");
        }
        int fillLen = fill.codePointCount(0, fill.length());
        long need = target - len;
        // The limit is on UTF-8 bytes, and a code point of the fill may take up to four of them.
        long bytes = saturatingAdd(Strings.byteLength((TruffleString) a[0]),
                        saturatingAdd(saturatingMultiply(need / fillLen, Strings.byteLength((TruffleString) a[2])),
                                        utf8Length(slice(fill, 0, (int) (need % fillLen)))));
        if (bytes > MAX_STRING_BYTES) {
            return tooLarge(bytes);
        }
        StringBuilder padding = new StringBuilder();
        while (need >= fillLen) {
            padding.append(fill);
            need -= fillLen;
        }
        padding.append(slice(fill, 0, (int) need));
        return Values.success(ts(start ? padding + str : str + padding));
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static long saturatingMultiply(long a, long b) {
        return Math.multiplyHigh(a, b) != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
    }

    private static Object codePointAt(TruffleString str, long i) {
        int n = Strings.byteLength(str);
        if (i < 0 || i >= n) {
            return outOfRange(i, n);
        }
        int b0 = str.readByteUncached((int) i, Strings.ENCODING);
        int width = b0 < 0x80 ? 1 : (b0 & 0xE0) == 0xC0 ? 2 : (b0 & 0xF0) == 0xE0 ? 3 : (b0 & 0xF8) == 0xF0 ? 4 : 0;
        if (width == 0 || i + width > n) {
            return invalid("byte " + i + " is not the start of a UTF-8 code point");
        }
        int cp = width == 1 ? b0 : b0 & (0xFF >> (width + 1));
        for (int k = 1; k < width; k++) {
            int b = str.readByteUncached((int) i + k, Strings.ENCODING);
            if ((b & 0xC0) != 0x80) {
                return invalid("malformed UTF-8 at byte " + (i + k));
            }
            cp = (cp << 6) | (b & 0x3F);
        }
        return Values.success((long) cp);
    }

    private static boolean isScalar(long cp) {
        return cp >= 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    }

    /** Code points {@code [from, to)} of {@code s}. */
    static String slice(String s, int from, int to) {
        int b = s.offsetByCodePoints(0, from);
        int e = s.offsetByCodePoints(b, to - from);
        return s.substring(b, e);
    }

    private static final TruffleString NEWLINE = Strings.of("\n");

    /**
     * The parts of the first {@code end} bytes of {@code s} between the occurrences of {@code sep} (not empty),
     * found from the start without overlapping, as {@code String.split} with a literal would, but on the
     * UTF-8 bytes: in valid UTF-8 a code point's bytes never match the middle of another's, so the byte
     * matches are the code point matches. Each part is a copy of its bytes ({@link Strings#ofBytes}); the Java
     * strings this went through before (the text decoded to UTF-16, each part encoded back) took most of the
     * time of {@code lines} on a file, and twice the memory.
     */
    static ListValue split(TruffleString s, int end, TruffleString sep) {
        InternalByteArray text = s.getInternalByteArrayUncached(Strings.ENCODING);
        InternalByteArray pattern = sep.getInternalByteArrayUncached(Strings.ENCODING);
        byte[] a = text.getArray();
        byte[] p = pattern.getArray();
        int pOffset = pattern.getOffset();
        int m = pattern.getLength();
        byte first = p[pOffset];
        int from = text.getOffset();
        int last = from + end - m; // the last index a match can start at
        ListValue.Builder parts = new ListValue.Builder();
        int count = 0;
        int partStart = from;
        for (int i = from; i <= last;) {
            if (a[i] == first && regionMatches(a, i, p, pOffset, m)) {
                parts.add(Strings.ofBytes(a, partStart, i));
                count++;
                i += m;
                partStart = i;
                if ((count & 1023) == 0) {
                    TruffleSafepoint.poll(null); // a cancel or a time limit stops the split of a long text between parts
                }
            } else {
                i++;
            }
        }
        parts.add(Strings.ofBytes(a, partStart, from + end));
        return parts.build();
    }

    private static boolean regionMatches(byte[] a, int at, byte[] p, int pOffset, int m) {
        for (int k = 1; k < m; k++) {
            if (a[at + k] != p[pOffset + k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * words of UTF-8 bytes {@code [from, to)}, read where they lie: the text was decoded into a Java string, cut
     * into Java strings and each encoded again, which made words of a 10 MB text (2 million words) take a
     * second and 300 MB more than a split.
     */
    private static ListValue words(byte[] a, int from, int to) {
        ListValue.Builder out = new ListValue.Builder();
        int i = from;
        int count = 0;
        while (i < to) {
            int space;
            while (i < to && (space = whiteSpaceBytes(a, i, to)) > 0) {
                i += space;
            }
            int start = i;
            while (i < to && whiteSpaceBytes(a, i, to) == 0) {
                i++; // a continuation byte never begins a white space character, so a byte at a time is safe
            }
            if (i > start) {
                out.add(Strings.ofBytes(a, start, i));
                if ((++count & 1023) == 0) {
                    TruffleSafepoint.poll(null); // a cancel or a time limit stops the split of a long text between words
                }
            }
        }
        return out.build();
    }

    /** The length in bytes of the white space character (isWhiteSpace) whose UTF-8 begins at {@code i}; 0 if there is none. */
    static int whiteSpaceBytes(byte[] a, int i, int to) {
        int b = a[i] & 0xFF;
        if (b < 0x80) {
            return b == 0x20 || (b >= 0x09 && b <= 0x0D) ? 1 : 0;
        }
        int b1 = i + 1 < to ? a[i + 1] & 0xFF : 0;
        if (b == 0xC2) {
            return b1 == 0x85 || b1 == 0xA0 ? 2 : 0;
        }
        int b2 = i + 2 < to ? a[i + 2] & 0xFF : 0;
        return switch (b) {
            case 0xE1 -> b1 == 0x9A && b2 == 0x80 ? 3 : 0; // U+1680
            case 0xE2 -> b1 == 0x80 && (b2 <= 0x8A && b2 >= 0x80 || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) || b1 == 0x81 && b2 == 0x9F ? 3 : 0;
            case 0xE3 -> b1 == 0x80 && b2 == 0x80 ? 3 : 0; // U+3000
            default -> 0;
        };
    }

    /** Unicode's White_Space property (what Rust's str::trim uses), not Java's narrower isWhitespace. */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                        || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    private static String trimStart(String s) {
        int i = 0;
        while (i < s.length() && isWhiteSpace(s.codePointAt(i))) {
            i += Character.charCount(s.codePointAt(i));
        }
        return s.substring(i);
    }

    private static String trimEnd(String s) {
        int i = s.length();
        while (i > 0 && isWhiteSpace(s.codePointBefore(i))) {
            i -= Character.charCount(s.codePointBefore(i));
        }
        return s.substring(0, i);
    }
}
