package org.osprey.tooling;

import java.util.ArrayList;
import java.util.List;

import org.osprey.parser.Diagnostic;
import org.osprey.parser.Lexer;
import org.osprey.parser.ParseResult;
import org.osprey.parser.Parser;
import org.osprey.parser.Token;
import org.osprey.parser.TokenKind;

/**
 * What editors and the REPL need to know about Osprey text without running it, from the language's own
 * lexer and parser: whether an entry is complete, and how to colour it.
 */
public final class SourceInfo {
    private SourceInfo() {
    }

    /**
     * " in function 'f'" for a failure in the code of the root named {@code rootName} (a stack frame's), as
     * "error in function 'f': ..." says it: "" for the program's top level or no root, and the initialisers of a
     * module for its root, {@code <module M>}, a name no program writes.
     */
    public static String inFunction(String rootName) {
        if (rootName == null || rootName.equals("<program>")) {
            return "";
        }
        if (rootName.startsWith("<module ") && rootName.endsWith(">")) {
            return " in the initialisers of module " + rootName.substring("<module ".length(), rootName.length() - 1);
        }
        return " in function '" + rootName + "'";
    }

    /** Kinds of highlighted text. */
    public enum Style {
        KEYWORD, STRING, NUMBER, COMMENT, TYPE, ERROR
    }

    /** A highlighted stretch of text, [start, end) in characters. */
    public record Span(int start, int end, Style style) {
    }

    /**
     * True when the text is the beginning of an entry rather than a wrong one: an open brace, an unfinished
     * match, a trailing operator. The parser decides, not bracket counting.
     */
    public static boolean isIncomplete(String text) {
        return Parser.parse(text).incomplete();
    }

    /** True when the text parses without an error: a whole program, or an expression written on its own. */
    public static boolean parses(String text) {
        return Parser.parse(text).ok();
    }

    /**
     * True when {@code nextLine} goes on with a complete entry instead of starting one, as it would in a file: a
     * line starting with '|' that adds a variant to the union type above ({@code | Circle { r: float }}) or a
     * stage to the pipeline above ({@code |> map(f)}). The parser decides: the entry followed by the line must
     * still be one statement (or an unfinished one), so a line starting a lambda ({@code |x| => x + 1}) is an
     * entry of its own.
     */
    public static boolean continues(String entry, String nextLine) {
        if (!nextLine.stripLeading().startsWith("|")) {
            return false;
        }
        ParseResult alone = Parser.parse(entry);
        if (!alone.ok()) {
            return false;
        }
        ParseResult joined = Parser.parse(entry + "\n" + nextLine);
        return joined.incomplete() || joined.ok() && joined.program().statements.size() == alone.program().statements.size();
    }

    /** The URI scheme of an entry typed in the REPL: {@code osprey-repl-entry:N}, N its number from 1. */
    public static final String ENTRY_URI_SCHEME = "osprey-repl-entry";
    /** The URI scheme of a piped REPL entry: {@code osprey-stdin-line:N}, N the input line it starts on. */
    public static final String STDIN_URI_SCHEME = "osprey-stdin-line";

    /** Whether a source with this URI is an entry of piped input, whose places count the input's lines. */
    public static boolean isPiped(java.net.URI uri) {
        return uri != null && STDIN_URI_SCHEME.equals(uri.getScheme());
    }

    /**
     * The column to show, from 1, for the character at {@code offset} of {@code text}: the characters (code points)
     * before it on its line, as a reader counts them. Java's and Truffle's columns count UTF-16 units, in which an
     * emoji (or another character beyond U+FFFF) is two, so a place after one was a column too far. A byte order
     * mark at the start is not text (the lexer skips it).
     */
    public static int shownColumn(CharSequence text, int offset) {
        int at = Math.max(0, Math.min(offset, text.length()));
        int lineStart = at;
        while (lineStart > 0 && text.charAt(lineStart - 1) != '\n') {
            lineStart--;
        }
        if (lineStart == 0 && at > 0 && text.charAt(0) == '\uFEFF') {
            lineStart = 1;
        }
        return Character.codePointCount(text, lineStart, at) + 1;
    }

    /**
     * The line to show for line {@code line} of a source with this URI: for an entry of piped input, the
     * line of the input it is; else the line itself.
     */
    public static int shownLine(java.net.URI uri, int line) {
        if (!isPiped(uri)) {
            return line;
        }
        try {
            return Integer.parseInt(uri.getSchemeSpecificPart()) + line - 1;
        } catch (NumberFormatException e) {
            return line;
        }
    }

    /**
     * The keywords of spec 0002 a program here can use, for completion: not those of what this interpreter
     * rejects (extern, effects) or ignores (import ... as).
     */
    public static List<String> keywords() {
        List<String> out = new ArrayList<>();
        for (String k : List.of("fn", "let", "mut", "type", "match", "true", "false", "in")) {
            if (Lexer.isKeyword(k)) {
                out.add(k);
            }
        }
        return out;
    }

    /** Spans to colour, in order, for text that may be incomplete or wrong (nothing is reported). */
    public static List<Span> highlight(String text) {
        List<Token> tokens = new Lexer(text, new ArrayList<Diagnostic>()).tokenize();
        List<Span> spans = new ArrayList<>();
        int last = 0;
        for (Token t : tokens) {
            comments(text, last, Math.min(t.start, text.length()), spans);
            Style style = style(t);
            if (style != null && t.end > t.start) {
                spans.add(new Span(t.start, Math.min(t.end, text.length()), style));
            }
            last = Math.max(last, t.end);
        }
        comments(text, last, text.length(), spans);
        return spans;
    }

    private static Style style(Token t) {
        return switch (t.kind) {
            case FN, LET, MUT, TYPE, MATCH, EXTERN, IMPORT, EFFECT, PERFORM, HANDLE, IN, AS, TRUE, FALSE -> Style.KEYWORD;
            case STRING -> Style.STRING;
            case INT, FLOAT -> Style.NUMBER;
            case ERROR -> Style.ERROR;
            case IDENT -> t.value instanceof String s && !s.isEmpty() && Character.isUpperCase(s.charAt(0)) ? Style.TYPE : null;
            default -> null;
        };
    }

    /** Comments are not tokens: find them in the gaps between tokens. */
    private static void comments(String text, int from, int to, List<Span> spans) {
        int i = from;
        while (i < to - 1) {
            if (text.charAt(i) == '/' && text.charAt(i + 1) == '/') {
                int end = text.indexOf('\n', i);
                end = end < 0 || end > to ? to : end;
                spans.add(new Span(i, end, Style.COMMENT));
                i = end;
            } else if (text.charAt(i) == '/' && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 || end + 2 > to ? to : end + 2;
                spans.add(new Span(i, end, Style.COMMENT));
                i = end;
            } else {
                i++;
            }
        }
    }
}
