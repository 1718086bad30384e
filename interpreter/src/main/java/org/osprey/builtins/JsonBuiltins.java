package org.osprey.builtins;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;

import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.runtime.ChannelValue;
import org.osprey.runtime.DataShape;
import org.osprey.runtime.DataValue;
import org.osprey.runtime.Display;
import org.osprey.runtime.FiberValue;
import org.osprey.runtime.FunctionValue;
import org.osprey.runtime.IteratorValue;
import org.osprey.runtime.ListValue;
import org.osprey.runtime.MapValue;
import org.osprey.runtime.RangeValue;
import org.osprey.runtime.Strings;
import org.osprey.runtime.TupleValue;
import org.osprey.runtime.Unit;
import org.osprey.spi.BuiltinRegistry;
import org.osprey.spi.Values;

/**
 * parseJson and toJson, extensions: spec 0012 has no JSON, though spec 0004 names parsed JSON as what
 * {@code any} is for, and JSON is what browsers and most services send over a WebSocket. Parsed text is an
 * {@code any} narrowed by {@code match}: an object a {@code Map<string, any>}, an array a {@code List<any>}.
 */
final class JsonBuiltins {
    private JsonBuiltins() {
    }

    /** Arrays and objects nested deeper than this are refused both ways (the two run by recursion). */
    static final int MAX_DEPTH = 1000;

    static void register(BuiltinRegistry r) {
        r.function("parseJson(text: string) -> Result<any, string>", "core",
                        "JSON text as a value (an extension): an object is a Map<string, any>, an array a List<any>, a number an int "
                                        + "(whole and within the int range) or a float, null is (); Error saying where the text is not JSON.",
                        (c, a) -> parse(Strings.java(a[0])));
        r.function("toJson(value: any) -> Result<string, string>", "core",
                        "A value as JSON text (an extension): lists and tuples are arrays, maps and records objects, a variant "
                                        + "{\"Name\": {fields}} or \"Name\" without fields; Error naming a function, fiber, channel, range or iterator and where it is.",
                        (c, a) -> write(a[0]));
    }

    // ---------------------------------------------------------------- parsing

    static Object parse(String text) {
        Reader reader = new Reader(text);
        try {
            reader.skipByteOrderMark();
            reader.skipSpace();
            Object value = reader.value(0);
            reader.skipSpace();
            if (reader.pos < text.length()) {
                throw reader.fail("unexpected " + reader.found() + " after the value");
            }
            return Values.success(value);
        } catch (JsonError e) {
            return Values.error("parseJson: " + e.getMessage());
        }
    }

    /** Where the text stops being JSON (or a value has no JSON form): a message, no stack trace. */
    private static final class JsonError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** Steps shown of a longer path: the first and the last this many. */
        private static final int STEPS_SHOWN = 8;

        /**
         * For a value without a JSON form, where toJson found it: the steps from the value it was given inward
         * ({@code [2]}, {@code ["key"]}, {@code .field}), each added as the error leaves its list, map or
         * record; null for the other errors.
         */
        private final ArrayDeque<String> steps;
        /** What the message says after the place (how to write the value instead), or null. */
        private final String hint;

        JsonError(String message) {
            this(message, null, null);
        }

        private JsonError(String message, ArrayDeque<String> steps, String hint) {
            super(message, null, false, false);
            this.steps = steps;
            this.hint = hint;
        }

        /** A value that has no JSON form, {@code what} naming it; the message says where it is. */
        static JsonError noForm(String what, String hint) {
            return new JsonError(what + " has no JSON form", new ArrayDeque<>(), hint);
        }

        /** The error as it leaves the element or field reached by {@code step}. */
        JsonError within(String step) {
            if (steps != null) {
                steps.addFirst(step);
            }
            return this;
        }

        /** The message, with where the value is (when it is inside another) and the hint. */
        String message() {
            StringBuilder sb = new StringBuilder(getMessage());
            if (steps != null && !steps.isEmpty()) {
                sb.append(", at ");
                int i = 0;
                for (String step : steps) {
                    if (i < STEPS_SHOWN || i >= steps.size() - STEPS_SHOWN) {
                        sb.append(step);
                    } else if (i == STEPS_SHOWN) {
                        sb.append("...");
                    }
                    i++;
                }
            }
            if (hint != null) {
                sb.append(": ").append(hint);
            }
            return sb.toString();
        }
    }

    /** RFC 8259's grammar, strictly: no comments, no trailing commas, no single quotes, no NaN. */
    private static final class Reader {
        final String s;
        final int n;
        int pos;
        /** Where the first line's columns count from: after a byte-order mark, which an editor does not show. */
        int textStart;
        /** Each key once: an array of objects repeats the same keys, and each would be a string of its own. */
        final HashMap<String, TruffleString> keys = new HashMap<>();

        Reader(String s) {
            this.s = s;
            this.n = s.length();
        }

        Object value(int depth) {
            if (pos >= n) {
                throw fail("the text ended where a value was expected");
            }
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object(depth + 1);
                case '[' -> array(depth + 1);
                case '"' -> Values.string(string());
                case 't' -> word("true", Boolean.TRUE);
                case 'f' -> word("false", Boolean.FALSE);
                case 'n' -> word("null", Unit.INSTANCE);
                default -> {
                    if (c == '-' || c >= '0' && c <= '9') {
                        yield number();
                    }
                    throw fail("expected a value, found " + found());
                }
            };
        }

        private void enter(int depth) {
            if (depth > MAX_DEPTH) {
                throw fail("arrays and objects nested more than " + MAX_DEPTH + " deep");
            }
            pos++;
            skipSpace();
        }

        private Object object(int depth) {
            enter(depth);
            if (at('}')) {
                pos++;
                return MapValue.EMPTY;
            }
            MapValue m = MapValue.editing(MapValue.EMPTY);
            while (true) {
                if (!at('"')) {
                    afterComma('}'); // the first key is a '"' or the '}' taken above
                    throw fail("expected a key in double quotes, found " + found());
                }
                TruffleString key = keys.computeIfAbsent(string(), Values::string);
                skipSpace();
                if (!at(':')) {
                    throw fail("expected ':' after the key, found " + found());
                }
                pos++;
                skipSpace();
                m = m.putInPlace(key, value(depth)); // a key given twice: the last wins, as in JavaScript
                if (!another('}', "an object")) {
                    return m.frozen();
                }
            }
        }

        private Object array(int depth) {
            enter(depth);
            if (at(']')) {
                pos++;
                return ListValue.EMPTY;
            }
            ListValue.Builder items = new ListValue.Builder();
            while (true) {
                afterComma(']'); // the first value is anything but the ']' taken above
                items.add(value(depth));
                if (!another(']', "an array")) {
                    return items.build();
                }
            }
        }

        /** In an object or an array after a comma: a closing {@code close} is an error saying so. */
        private void afterComma(char close) {
            if (at(close)) {
                throw failAt(pos, close == ']' ? "expected a value, found ']'" : "expected a key in double quotes, found '}'",
                                ": JSON has no comma before '" + close + "'");
            }
        }

        /**
         * After a value in an object or an array ({@code in}): true at a ',' (another value follows), false at
         * the closing character; either is consumed, anything else is an error.
         */
        private boolean another(char close, String in) {
            skipSpace();
            if (at(',')) {
                pos++;
                skipSpace();
                return true;
            }
            if (at(close)) {
                pos++;
                return false;
            }
            throw fail("expected ',' or '" + close + "' after a value in " + in + ", found " + found());
        }

        private String string() {
            int start = ++pos;
            // Most strings have no escape: one copy of their text.
            while (pos < n) {
                char c = s.charAt(pos);
                if (c == '"') {
                    return s.substring(start, pos++);
                }
                if (c == '\\' || c < 0x20) {
                    break;
                }
                pos++;
            }
            StringBuilder sb = new StringBuilder().append(s, start, pos);
            while (true) {
                if (pos >= n) {
                    throw failAt(start - 1, "a string that is not closed");
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    return sb.toString();
                }
                if (c < 0x20) {
                    String escaped = switch (c) {
                        case '\n' -> "\\n";
                        case '\r' -> "\\r";
                        case '\t' -> "\\t";
                        default -> "\\u" + hex4(c);
                    };
                    throw fail("a control character (U+" + hex4(c) + ") in a string: JSON writes it as " + escaped);
                }
                if (c != '\\') {
                    sb.append(c);
                    pos++;
                    continue;
                }
                int escape = pos++;
                if (pos >= n) {
                    throw failAt(start - 1, "a string that is not closed");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        char u = hexUnit(escape);
                        if (Character.isHighSurrogate(u) && s.startsWith("\\u", pos)) {
                            int low = pos;
                            pos += 2;
                            char v = hexUnit(low);
                            if (!Character.isLowSurrogate(v)) {
                                throw failAt(escape, "\\u" + hex4(u) + " is half of a pair of surrogates, and \\u" + hex4(v) + " is not its other half");
                            }
                            sb.append(u).append(v);
                        } else if (Character.isSurrogate(u)) {
                            throw failAt(escape, "\\u" + hex4(u) + " is half of a pair of surrogates, not a character");
                        } else {
                            sb.append(u);
                        }
                    }
                    default -> throw failAt(escape, "unknown escape \\" + (visible(s.codePointAt(pos - 1)) ? Character.toString(s.codePointAt(pos - 1)) : "U+" + hex4(s.codePointAt(pos - 1)))
                                    + " in a string (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
                }
            }
        }

        /** The four hex digits after a backslash and u ({@code pos} is at the first). */
        private char hexUnit(int escape) {
            if (pos + 4 > n) {
                throw failAt(escape, "\\u needs four hex digits");
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                char h = s.charAt(pos + i);
                int d = h < 0x80 ? Character.digit(h, 16) : -1;
                if (d < 0) {
                    throw failAt(escape, "\\u needs four hex digits");
                }
                v = v * 16 + d;
            }
            pos += 4;
            return (char) v;
        }

        private Object number() {
            int start = pos;
            if (at('-')) {
                pos++;
            }
            if (at('0')) {
                pos++;
                if (pos < n && isDigit(s.charAt(pos))) {
                    throw failAt(start, "a number cannot start with 0 followed by more digits");
                }
            } else if (!digits()) {
                throw fail("expected a digit after '-', found " + found());
            }
            boolean whole = true;
            if (at('.')) {
                pos++;
                whole = false;
                if (!digits()) {
                    throw fail("expected a digit after the decimal point, found " + found());
                }
            }
            if (at('e') || at('E')) {
                pos++;
                whole = false;
                if (at('+') || at('-')) {
                    pos++;
                }
                if (!digits()) {
                    throw fail("expected a digit in the exponent, found " + found());
                }
            }
            String t = s.substring(start, pos);
            if (whole) {
                try {
                    return Long.parseLong(t);
                } catch (NumberFormatException beyond) {
                    // Beyond the int range: a float, as JavaScript reads every number.
                }
            }
            double d = Double.parseDouble(t);
            if (Double.isInfinite(d)) {
                throw failAt(start, "the number " + (t.length() > 40 ? t.substring(0, 37) + "..." : t) + " is beyond the float range");
            }
            return d;
        }

        private boolean digits() {
            int from = pos;
            while (pos < n && isDigit(s.charAt(pos))) {
                pos++;
            }
            return pos > from;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private Object word(String w, Object value) {
            if (!s.startsWith(w, pos)) {
                throw fail("expected a value, found " + found());
            }
            pos += w.length();
            if (pos < n && Character.isLetterOrDigit(s.charAt(pos))) {
                pos -= w.length();
                throw fail("expected a value, found " + found());
            }
            return value;
        }

        /**
         * A byte-order mark that starts the text, as a file some Windows programs write starts with, and
         * readFile keeps: RFC 8259 (section 8.1) lets a reader ignore it. Anywhere else it is an error.
         */
        void skipByteOrderMark() {
            if (at('\uFEFF')) {
                pos = textStart = 1;
            }
        }

        void skipSpace() {
            while (pos < n) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return;
                }
                pos++;
            }
        }

        private boolean at(char c) {
            return pos < n && s.charAt(pos) == c;
        }

        /** What stands at pos: a word ('True', 'undefined'), a character, or the end. */
        String found() {
            if (pos >= n) {
                return "the end of the text";
            }
            char c = s.charAt(pos);
            if (Character.isLetter(c)) {
                int end = pos;
                while (end < n && end - pos < 20 && Character.isLetterOrDigit(s.charAt(end))) {
                    end++;
                }
                return "'" + s.substring(pos, end) + "'";
            }
            return describe(s.codePointAt(pos));
        }

        private static String describe(int cp) {
            if (!visible(cp)) {
                return "U+" + hex4(cp) + (cp == 0xFEFF ? " (a byte-order mark)" : "");
            }
            return cp == '\'' ? "\"'\"" : "'" + Character.toString(cp) + "'";
        }

        /** Whether a character shows in a message: a control, format or space character (but ' ') or a combining mark does not. */
        private static boolean visible(int cp) {
            if (cp == ' ') {
                return true;
            }
            return switch (Character.getType(cp)) {
                case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                                Character.PARAGRAPH_SEPARATOR, Character.UNASSIGNED, Character.PRIVATE_USE, Character.SURROGATE,
                                Character.NON_SPACING_MARK, Character.ENCLOSING_MARK -> false;
                default -> true;
            };
        }

        /** The message at pos, with what the text there suggests the writer meant ({@link #hint}). */
        JsonError fail(String what) {
            return failAt(pos, what, hint());
        }

        JsonError failAt(int at, String what) {
            return failAt(at, what, "");
        }

        /**
         * What the text at pos suggests its writer meant, for the end of a message, or "": the habits of
         * JavaScript and Python that JSON does not have (a comment, single quotes, NaN, undefined, Python's
         * True and None). A comma before a closing bracket is told where it is found ({@link #afterComma}).
         */
        private String hint() {
            if (pos >= n) {
                return "";
            }
            char c = s.charAt(pos);
            if (c == '/') {
                return ": JSON has no comments";
            }
            if (c == '\'') {
                return ": JSON writes strings in double quotes";
            }
            return switch (found()) {
                case "'NaN'", "'Infinity'" -> ": JSON has no NaN or Infinity";
                case "'True'", "'False'", "'None'", "'Null'", "'TRUE'", "'FALSE'", "'NULL'", "'undefined'" -> ": JSON's only words are true, false and null";
                default -> "";
            };
        }

        /** The message with the line and column (in characters) of {@code at}, then {@code hint}. */
        JsonError failAt(int at, String what, String hint) {
            int line = 1;
            int lineStart = textStart;
            for (int i = 0; i < at && i < n; i++) {
                // a line ends at \n, \r\n, or a \r alone (the old Mac OS's files, and some tools' still)
                if (s.charAt(i) == '\n' || s.charAt(i) == '\r' && (i + 1 >= n || s.charAt(i + 1) != '\n')) {
                    line++;
                    lineStart = i + 1;
                }
            }
            int column = s.codePointCount(lineStart, Math.min(at, n)) + 1;
            return new JsonError(what + " at line " + line + ", column " + column + hint);
        }
    }

    private static String hex4(int c) {
        String h = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
        return "0".repeat(Math.max(0, 4 - h.length())) + h;
    }

    // ---------------------------------------------------------------- writing

    static Object write(Object value) {
        return write(value, Strings.MAX_BYTES);
    }

    /** The text of {@code value}, or an Error if it would be more than {@code limit} bytes (a test's is small). */
    static Object write(Object value, long limit) {
        StringBuilder sb = new StringBuilder();
        try {
            write(sb, value, 0, limit);
        } catch (JsonError e) {
            return Values.error("toJson: " + e.message());
        }
        String text = sb.toString();
        if (text.length() > limit / 3 && StringBuiltins.utf8Length(text) > limit) {
            return Values.error("toJson: " + tooLong(limit));
        }
        return Values.success(Values.string(text));
    }

    private static String tooLong(long limit) {
        return "the text would be more than the " + limit + " bytes a string can hold";
    }

    /**
     * Stops the text once it has more chars than a string may have bytes (a char is at least one byte of UTF-8):
     * checked for each value and within a string as its escapes grow it, since one string of 400 million control
     * characters is 2.4 billion chars escaped, more than the heap or a StringBuilder holds.
     */
    private static void room(StringBuilder sb, long limit) {
        if (sb.length() > limit) {
            throw new JsonError(tooLong(limit));
        }
    }

    private static void write(StringBuilder sb, Object v, int depth, long limit) {
        room(sb, limit);
        switch (v) {
            case Long l -> sb.append(l.longValue());
            case Double d -> sb.append(number(d));
            case Boolean b -> sb.append(b.booleanValue());
            case TruffleString s -> quote(sb, Strings.java(s), limit);
            case Unit u -> sb.append("null");
            case ListValue l -> array(sb, l.cursor(), depth, limit);
            case TupleValue t -> array(sb, Arrays.asList(t.elements).iterator(), depth, limit);
            case MapValue m -> {
                nest(depth);
                // Keys in order, as a map prints: the same map gives the same text.
                List<Object[]> entries = m.sortedEntries();
                sb.append('{');
                for (int i = 0; i < entries.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    Object key = entries.get(i)[0];
                    quote(sb, key instanceof TruffleString s ? Strings.java(s) : Display.show(key), limit);
                    sb.append(':');
                    try {
                        write(sb, entries.get(i)[1], depth + 1, limit);
                    } catch (JsonError e) {
                        throw e.within("[" + keyShown(key) + "]");
                    }
                }
                sb.append('}');
            }
            case DataValue d -> data(sb, d, depth, limit);
            case FunctionValue f -> throw JsonError.noForm("a function (" + f.name + ")", null);
            case FiberValue f -> throw JsonError.noForm("a fiber", null);
            case ChannelValue c -> throw JsonError.noForm("a channel", null);
            case IteratorValue it -> throw JsonError.noForm("an iterator", "make it a list with toList first");
            case RangeValue r -> throw JsonError.noForm("a range", "make it a list with toList first");
            default -> throw JsonError.noForm(Display.show(v), null);
        }
    }

    /** A list's or a tuple's elements as a JSON array. */
    private static void array(StringBuilder sb, Iterator<?> elements, int depth, long limit) {
        nest(depth);
        sb.append('[');
        for (int i = 0; elements.hasNext(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            try {
                write(sb, elements.next(), depth + 1, limit);
            } catch (JsonError e) {
                throw e.within("[" + i + "]");
            }
        }
        sb.append(']');
    }

    /** A record is an object of its fields; a variant {"Name": {fields}}, or "Name" when it has none. */
    private static void data(StringBuilder sb, DataValue d, int depth, long limit) {
        DataShape shape = d.shape;
        if (shape.isVariant() && shape.fieldNames.length == 0) {
            quote(sb, shape.name, limit);
            return;
        }
        nest(depth);
        if (shape.isVariant()) {
            // {"Name": {fields}} is two levels of the text, and parseJson counts both.
            sb.append('{');
            quote(sb, shape.name, limit);
            sb.append(':');
            depth++;
            nest(depth);
        }
        sb.append('{');
        for (int i = 0; i < shape.displayOrder.length; i++) {
            int field = shape.displayOrder[i];
            if (i > 0) {
                sb.append(',');
            }
            quote(sb, shape.fieldNames[field], limit);
            sb.append(':');
            try {
                write(sb, d.field(field), depth + 1, limit);
            } catch (JsonError e) {
                throw e.within("." + shape.fieldNames[field]);
            }
        }
        sb.append('}');
        if (shape.isVariant()) {
            sb.append('}');
        }
    }

    /** A map's key in the place of a message: a string quoted as a literal, a long one cut short. */
    private static String keyShown(Object key) {
        if (key instanceof TruffleString s) {
            String k = Strings.java(s);
            return Display.repr(Strings.of(k.codePointCount(0, k.length()) > 40 ? StringBuiltins.slice(k, 0, 37) + "..." : k));
        }
        return Display.show(key);
    }

    private static void nest(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new JsonError("values nested more than " + MAX_DEPTH + " deep");
        }
    }

    /** As the value prints, with a point or an exponent, so that parseJson reads a float back: 5.0, not 5. */
    private static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new JsonError(Display.formatFloat(d) + " has no JSON form");
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        String f = Display.formatFloat(d);
        return f.indexOf('.') < 0 && f.indexOf('e') < 0 ? f + ".0" : f;
    }

    /** A JSON string: quotes, backslashes and control characters escaped; everything else as it is. */
    private static void quote(StringBuilder sb, String s, long limit) {
        if (sb.length() + (long) s.length() > limit) {
            throw new JsonError(tooLong(limit));
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                room(sb, limit); // an escape is more chars than the character, up to six
            }
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u").append(hex4(c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
