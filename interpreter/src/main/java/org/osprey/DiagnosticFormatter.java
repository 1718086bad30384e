package org.osprey;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.oracle.truffle.api.source.Source;

import org.osprey.parser.Diagnostic;

/**
 * Formats problems found before running the way compilers do:
 *
 * <pre>
 * prog.osp:3:13: unknown name 'x'
 *     let y = x + 1
 *             ^
 * </pre>
 */
public final class DiagnosticFormatter {
    static final int MAX_SHOWN = 30;

    private DiagnosticFormatter() {
    }

    public static String format(Source source, List<Diagnostic> diagnostics) {
        Set<String> seen = new LinkedHashSet<>();
        List<Diagnostic> unique = new ArrayList<>();
        for (Diagnostic d : diagnostics) {
            if (seen.add(d.start() + ":" + d.message())) {
                unique.add(d);
            }
        }
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (Diagnostic d : unique) {
            if (shown == MAX_SHOWN) {
                sb.append("... and ").append(unique.size() - MAX_SHOWN).append(" more errors\n");
                break;
            }
            if (shown > 0) {
                sb.append('\n');
            }
            one(sb, source, d);
            shown++;
        }
        if (unique.size() > 1) {
            sb.append('\n').append(unique.size()).append(" errors\n");
        }
        return sb.toString().stripTrailing();
    }

    private static void one(StringBuilder sb, Source source, Diagnostic d) {
        CharSequence text = source.getCharacters();
        int offset = Math.max(0, Math.min(d.start(), text.length()));
        int lineStart = offset;
        while (lineStart > 0 && text.charAt(lineStart - 1) != '\n') {
            lineStart--;
        }
        if (lineStart == 0 && offset > 0 && text.charAt(0) == '\uFEFF') {
            lineStart = 1; // a byte order mark is not text (the lexer skips it): columns count from after it
        }
        int lineEnd = offset;
        while (lineEnd < text.length() && text.charAt(lineEnd) != '\n') {
            lineEnd++;
        }
        int line = 1;
        for (int i = 0; i < lineStart; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        int column = org.osprey.tooling.SourceInfo.shownColumn(text, offset);
        sb.append(source.getName()).append(':').append(org.osprey.tooling.SourceInfo.shownLine(source.getURI(), line)).append(':').append(column)
                        .append(": ").append(d.message()).append('\n');
        int shownEnd = lineEnd > lineStart && text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd; // a CRLF line's CR
        text.subSequence(lineStart, shownEnd).codePoints().forEach(cp -> sb.appendCodePoint(shown(cp)));
        sb.append('\n');
        // The caret goes under the place on a terminal: a tab stays a tab, a wide character (CJK, most emoji)
        // takes two columns, a combining mark none.
        String before = text.subSequence(lineStart, offset).toString();
        before.codePoints().forEach(cp -> sb.append(cp == '\t' ? "\t" : " ".repeat(width(cp))));
        int end = Math.max(offset + 1, Math.min(d.end(), lineEnd));
        sb.append('^');
        if (offset < text.length()) {
            String marked = text.subSequence(offset, Math.max(offset, Math.min(end, text.length()))).toString();
            int columns = marked.codePoints().map(DiagnosticFormatter::width).sum();
            sb.append("~".repeat(Math.max(0, columns - 1)));
        }
        sb.append('\n');
    }

    /**
     * How a character of the quoted line is printed. A control character (a lone carriage return, an escape
     * character, U+0000) printed as it is moves the terminal's cursor or starts an escape sequence, and the
     * caret below ends up in the wrong column; it is shown by its symbol from Unicode's Control Pictures.
     */
    private static int shown(int cp) {
        if (cp < 0x20 && cp != '\t') {
            return 0x2400 + cp;
        }
        if (cp == 0x7F) {
            return 0x2421;
        }
        return cp >= 0x80 && cp < 0xA0 ? 0xFFFD : cp;
    }

    /** How many terminal columns a code point takes: wcwidth's rule for the common cases. */
    static int width(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT || cp == 0x200B) {
            return 0;
        }
        boolean wide = cp >= 0x1100 && cp <= 0x115F // Hangul Jamo
                        || cp >= 0x2E80 && cp <= 0x303E // CJK radicals, punctuation
                        || cp >= 0x3041 && cp <= 0x33FF // kana, CJK compatibility
                        || cp >= 0x3400 && cp <= 0x4DBF // CJK extension A
                        || cp >= 0x4E00 && cp <= 0x9FFF // CJK unified ideographs
                        || cp >= 0xA000 && cp <= 0xA4CF // Yi
                        || cp >= 0xAC00 && cp <= 0xD7A3 // Hangul syllables
                        || cp >= 0xF900 && cp <= 0xFAFF // CJK compatibility ideographs
                        || cp >= 0xFE30 && cp <= 0xFE4F // CJK compatibility forms
                        || cp >= 0xFF00 && cp <= 0xFF60 || cp >= 0xFFE0 && cp <= 0xFFE6 // fullwidth forms
                        || cp >= 0x1F300 && cp <= 0x1F64F || cp >= 0x1F900 && cp <= 0x1F9FF // emoji
                        || cp >= 0x20000 && cp <= 0x3FFFD; // CJK extensions B and later
        return wide ? 2 : 1;
    }
}
