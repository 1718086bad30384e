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
        int column = offset - lineStart + 1;
        sb.append(source.getName()).append(':').append(line).append(':').append(column).append(": ").append(d.message()).append('\n');
        String lineText = text.subSequence(lineStart, lineEnd).toString().replace("\r", "");
        sb.append(lineText).append('\n');
        for (int i = lineStart; i < offset; i++) {
            sb.append(text.charAt(i) == '\t' ? '\t' : ' ');
        }
        int end = Math.max(offset + 1, Math.min(d.end(), lineEnd));
        sb.append('^');
        for (int i = offset + 1; i < end; i++) {
            sb.append('~');
        }
        sb.append('\n');
    }
}
