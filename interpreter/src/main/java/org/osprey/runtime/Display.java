package org.osprey.runtime;


import java.util.regex.Pattern;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.types.Prelude;
import org.osprey.types.TypeInfo;

/**
 * How values look when printed, interpolated or passed to toString (spec 0013 "toString Format"):
 * {@code 42}, {@code 12.5}, {@code true}, {@code Success(3)}, {@code Error(DivisionByZero)},
 * {@code Point { x: 1, y: 2 }}, {@code [1, 2]}. Strings print as they are at the top level and inside a
 * Result there, and quoted inside records, lists and maps (and a Result in one) so structure stays readable.
 */
public final class Display {
    /**
     * What parseFloat reads (spec 0012: base 10, nothing around it): a sign, digits with or without a point, an
     * exponent; a ParseFailed of such a text was refused for its size.
     */
    public static final Pattern DECIMAL_FLOAT = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private Display() {
    }

    @TruffleBoundary
    public static String show(Object v) {
        StringBuilder sb = new StringBuilder();
        append(sb, v, false, false);
        return sb.toString();
    }

    /**
     * How the REPL shows a value: like {@link #show}, but every string is quoted, so {@code "42"} and
     * {@code 42} look different.
     */
    @TruffleBoundary
    public static String repr(Object v) {
        StringBuilder sb = new StringBuilder();
        append(sb, v, false, true);
        return sb.toString();
    }

    @TruffleBoundary
    public static TruffleString showString(Object v) {
        if (v instanceof TruffleString s) {
            return s;
        }
        return Strings.of(show(v));
    }

    private static void append(StringBuilder sb, Object v, boolean nested, boolean repr) {
        switch (v) {
            case Long l -> sb.append(l.longValue());
            case Double d -> sb.append(formatFloat(d));
            case Boolean b -> sb.append(b.booleanValue());
            case TruffleString s -> {
                if (nested || repr) {
                    quote(sb, Strings.java(s));
                } else {
                    sb.append(Strings.java(s));
                }
            }
            case Unit u -> sb.append("()");
            case DataValue d -> data(sb, d, nested, repr);
            case FunctionValue f -> sb.append("<fn ").append(f.name).append('>');
            case ListValue l -> {
                sb.append('[');
                ListValue.Cursor c = l.cursor();
                for (int i = 0; c.hasNext(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    append(sb, c.next(), true, repr);
                }
                sb.append(']');
            }
            case MapValue m -> {
                sb.append('{');
                boolean first = true;
                for (Object[] e : m.sortedEntries()) {
                    if (!first) {
                        sb.append(", ");
                    }
                    first = false;
                    append(sb, e[0], true, repr);
                    sb.append(": ");
                    append(sb, e[1], true, repr);
                }
                sb.append('}');
            }
            case TupleValue t -> {
                sb.append('(');
                for (int i = 0; i < t.elements.length; i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    append(sb, t.elements[i], true, repr);
                }
                sb.append(')');
            }
            case IteratorValue it -> {
                // Lazy: shown as what it would run, without running the functions (they may have effects).
                append(sb, it.source, nested, repr);
                for (int i = 0; i < it.kinds.length; i++) {
                    sb.append(it.kinds[i] == IteratorValue.MAP ? " |> map(" : " |> filter(");
                    append(sb, it.functions[i], true, repr);
                    sb.append(')');
                }
            }
            case FiberValue f -> sb.append("<fiber ").append(f.id).append('>');
            case ChannelValue c -> sb.append("<channel of capacity ").append(c.capacity).append('>');
            case null -> sb.append("<uninitialized>");
            default -> sb.append(v);
        }
    }

    private static void data(StringBuilder sb, DataValue d, boolean nested, boolean repr) {
        DataShape s = d.shape;
        if (s.isResultSuccess() || s.isResultError()) {
            // Its value as it would show in the Result's place: a string bare at the top level (spec 0013's
            // toString format), quoted inside a list, map or record, where [Error("a, b")] must not read as
            // two values.
            sb.append(s.name).append('(');
            append(sb, d.field(0), nested, repr);
            sb.append(')');
            return;
        }
        TypeInfo type = s.type;
        if (type != null && type.builtinError) {
            sb.append(builtinErrorMessage(d));
            return;
        }
        sb.append(s.name);
        if (s.fieldNames.length == 0) {
            return;
        }
        sb.append(" { ");
        for (int i = 0; i < s.displayOrder.length; i++) {
            int idx = s.displayOrder[i];
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(s.fieldNames[idx]).append(": ");
            append(sb, d.field(idx), true, repr);
        }
        sb.append(" }");
    }

    /**
     * Built-in error payloads read as messages (spec 0013 ERR-PAYLOAD: {@code split("abc", "")}'s error prints
     * its reason). MathError shows its variant name, as spec 0013's {@code Error(DivisionByZero)} does.
     */
    private static String builtinErrorMessage(DataValue d) {
        DataShape s = d.shape;
        if (s.type == Prelude.MATH_ERROR) {
            return s.name;
        }
        return switch (s.name) {
            // An index within [0, length) is refused only by substring, as its end before its start (spec 0012), for
            // which "index 1 is out of range for length 3" contradicted itself.
            case "IndexOutOfRange" -> d.field(0) instanceof Long i && d.field(1) instanceof Long n && i >= 0 && i < n
                            ? "index " + i + " is out of range: the end is before the start"
                            : "index " + d.field(0) + " is out of range for length " + d.field(1);
            case "OutOfBounds" -> "index " + d.field(0) + " is out of range for length " + d.field(1);
            case "InvalidArgument" -> Strings.java(d.field(0));
            case "NotFound" -> "not found";
            case "ParseFailed" -> {
                StringBuilder sb = new StringBuilder("cannot parse ");
                String input = Strings.java(d.field(0));
                quote(sb, input);
                // A whole number written in digits is refused for its size only: by parseInt beyond the int range,
                // by parseFloat (and parseInt) beyond the float range too, which the payload cannot tell apart. A
                // number with a point or an exponent beyond the float range (1e400) is refused by parseFloat for
                // its size only; parseInt refuses it for its point or exponent too.
                if (input.matches("[+-]?[0-9]+")) {
                    sb.append(Double.isInfinite(Double.parseDouble(input)) ? ": beyond the int and float ranges" : ": beyond the int range");
                } else if (DECIMAL_FLOAT.matcher(input).matches() && Double.isInfinite(Double.parseDouble(input))) {
                    sb.append(": beyond the float range");
                }
                yield sb.toString();
            }
            default -> s.name;
        };
    }

    /**
     * A string as a literal that reads back as the same string: a control character is escaped too, so that
     * printing a list of user input cannot send the terminal an escape sequence or a bell, and a dollar sign
     * before an opening brace, so that the text is not read as an interpolation. So is a character that does
     * not show ({@link #unseen}): {@code parseInt} of a file's first field said {@code cannot parse "12"}
     * for a byte-order mark before the 12, which showed as nothing.
     */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '$' -> sb.append(i + 1 < s.length() && s.charAt(i + 1) == '{' ? "\\$" : "$");
                default -> i += appendVisible(sb, s, i) - 1;
            }
        }
        sb.append('"');
    }

    /**
     * A path or a name the program gave, for a message that shows it between quotes ({@code cannot read
     * 'data.txt\r': no such file}): as it is, except control characters and characters that do not show, which
     * are written as a string literal writes them. A name read with {@code lines} from a file with CRLF line
     * endings keeps its {@code \r}, which, printed as it was, sent the rest of the message to the start of the
     * line, and the file that "did not exist" was there.
     */
    @TruffleBoundary
    public static String visible(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length();) {
            i += appendVisible(sb, s, i);
        }
        return sb.toString();
    }

    /** Appends the code point at {@code i}, escaped if it is a control character or does not show; returns its chars. */
    private static int appendVisible(StringBuilder sb, String s, int i) {
        int cp = s.codePointAt(i);
        switch (cp) {
            case '\n' -> sb.append("\\n");
            case '\t' -> sb.append("\\t");
            case '\r' -> sb.append("\\r");
            case '\0' -> sb.append("\\0");
            default -> {
                if (Character.isISOControl(cp) || unseen(cp)) {
                    sb.append("\\u{").append(Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT)).append('}');
                } else {
                    sb.appendCodePoint(cp);
                }
            }
        }
        return Character.charCount(cp);
    }

    /**
     * A character that shows as nothing, or as a space that is not one: a format character (a byte-order mark,
     * a zero-width space, a soft hyphen, a direction mark), a line or paragraph separator, and every space
     * but U+0020 (a no-break space, an ideographic space), as Python's {@code repr} escapes them. Except the
     * format characters that join or mark the characters around them, which Python escapes too: the
     * zero-width joiner and non-joiner (emoji of several people, Persian and Indic words) and the tags of a
     * flag emoji (U+E0020 to U+E007F).
     */
    private static boolean unseen(int cp) {
        int type = Character.getType(cp);
        if (type == Character.FORMAT) {
            return cp != 0x200C && cp != 0x200D && (cp < 0xE0020 || cp > 0xE007F);
        }
        return type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR || type == Character.SPACE_SEPARATOR && cp != ' ';
    }

    /**
     * The shortest decimal that reads back as the same double, laid out like ECMAScript's Number::toString:
     * {@code 5}, {@code 12.5}, {@code 0.1}, {@code 6.022e+23}, {@code 1.5e-10}. Integral floats print without
     * a fraction, as spec 0013's {@code toString(15 / 3)} is {@code "Success(5)"}.
     */
    @TruffleBoundary
    public static String formatFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return "0";
        }
        String sign = d < 0 ? "-" : "";
        // Double.toString (JDK 19 and later) gives the shortest decimal that reads back as the double, except that
        // where one digit would do it may give two: 4.9E-324 for the smallest double, where 5e-324 will do. Its
        // digits and point are read off its text: the value is 0.digits times 10 to the power n.
        String text = Double.toString(Math.abs(d));
        int e = text.indexOf('E');
        int point = text.indexOf('.');
        String mantissa = text.substring(0, point) + text.substring(point + 1, e < 0 ? text.length() : e);
        int n = point + (e < 0 ? 0 : Integer.parseInt(text.substring(e + 1)));
        int first = 0;
        while (mantissa.charAt(first) == '0') {
            first++;
        }
        int last = mantissa.length();
        while (mantissa.charAt(last - 1) == '0') {
            last--;
        }
        String digits = mantissa.substring(first, last);
        n -= first;
        if (digits.length() == 2) {
            // One digit, rounded half to even, if it reads back as the same double.
            int one = digits.charAt(0) - '0';
            int next = digits.charAt(1) - '0';
            if (next > 5 || next == 5 && one % 2 == 1) {
                one++;
            }
            int shift = one == 10 ? 1 : 0;
            String candidate = (one == 10 ? "1" : String.valueOf(one)) + "E" + (n - 1 + shift);
            if (Double.parseDouble(candidate) == Math.abs(d)) {
                digits = candidate.substring(0, 1);
                n += shift;
            }
        }
        return layout(sign, digits, n);
    }

    /** 0.digits times 10 to the power n, laid out as ECMAScript's Number::toString lays it out. */
    static String layout(String sign, String digits, int n) {
        int k = digits.length();
        StringBuilder sb = new StringBuilder(sign);
        if (k <= n && n <= 21) {
            sb.append(digits);
            for (int i = 0; i < n - k; i++) {
                sb.append('0');
            }
        } else if (0 < n && n <= 21) {
            sb.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            sb.append("0.");
            for (int i = 0; i < -n; i++) {
                sb.append('0');
            }
            sb.append(digits);
        } else {
            sb.append(digits.charAt(0));
            if (k > 1) {
                sb.append('.').append(digits, 1, k);
            }
            sb.append('e').append(n - 1 >= 0 ? "+" : "-").append(Math.abs(n - 1));
        }
        return sb.toString();
    }
}
