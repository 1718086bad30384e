package org.osprey.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Headers as spec 0014 writes them, one string of {@code Name: value} lines, to and from the name-to-values maps
 * of the JDK's server and client. Lines are separated by "\n" (a "\r\n" is read too); a header with several
 * values is one line per value. Headers given to a program are in the order of their names, case ignored.
 */
final class HeaderLines {
    private HeaderLines() {
    }

    record Header(String name, String value) {
    }

    /**
     * The headers of a string a program gave, or throws {@link IllegalArgumentException} with what is wrong
     * with which line. Empty lines are skipped.
     */
    static List<Header> parse(String text) {
        List<Header> out = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("the header line '" + NetWords.shown(line) + "' is not \"Name: value\"");
            }
            String name = line.substring(0, colon).strip();
            if (!isToken(name)) {
                throw new IllegalArgumentException("the header name '" + NetWords.shown(name) + "' has characters a header name cannot have");
            }
            out.add(new Header(name, line.substring(colon + 1).strip()));
        }
        return out;
    }

    /**
     * What keeps {@code value} from being sent as a header value, in words, or null. A header value is one
     * line of ASCII text. A line break would end it and start a line the program did not write (response
     * splitting); other control characters are refused by clients or cut the line short. Beyond ASCII there
     * is no one answer: the JDK's server sent U+0080 to U+00FF a byte each and threw above (closing the
     * connection unanswered), and its client sent '?' for all of them.
     */
    static String unsendable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                return "has a line break";
            }
            if (Character.isISOControl(c) && c != '\t') {
                return String.format("has the control character U+%04X", (int) c);
            }
            if (c > '~') {
                int cp = value.codePointAt(i);
                return String.format("has the character '%s' (U+%04X), which a header cannot carry (header values are ASCII text)", Character.toString(cp), cp);
            }
        }
        return null;
    }

    /** RFC 9110's token: the characters a header name may have. */
    static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** The lines of a header map, sorted by name (case ignored); names starting with ':' (HTTP/2's) left out. */
    static String format(Map<String, List<String>> headers) {
        Map<String, List<String>> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            if (name != null && !name.startsWith(":")) {
                sorted.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values);
            }
        });
        StringBuilder b = new StringBuilder();
        sorted.forEach((name, values) -> {
            for (String v : values) {
                b.append(b.isEmpty() ? "" : "\n").append(name).append(": ").append(v);
            }
        });
        return b.toString();
    }
}
