package org.osprey.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns source text into tokens (spec 0002). Interpolated strings are lexed eagerly: each {@code ${ ... }}
 * becomes a nested token list so the parser can parse any expression inside it, strings included.
 *
 * The lexer never throws. Problems are recorded as {@link Diagnostic}s and lexing continues, so the same
 * lexer serves the parser (which reports them) and the REPL's highlighter (which ignores them).
 */
public final class Lexer {
    private static final Map<String, TokenKind> KEYWORDS = Map.ofEntries(
            Map.entry("fn", TokenKind.FN), Map.entry("let", TokenKind.LET), Map.entry("mut", TokenKind.MUT),
            Map.entry("type", TokenKind.TYPE), Map.entry("match", TokenKind.MATCH),
            Map.entry("extern", TokenKind.EXTERN), Map.entry("import", TokenKind.IMPORT),
            Map.entry("effect", TokenKind.EFFECT), Map.entry("perform", TokenKind.PERFORM),
            Map.entry("handle", TokenKind.HANDLE), Map.entry("in", TokenKind.IN), Map.entry("as", TokenKind.AS),
            Map.entry("true", TokenKind.TRUE), Map.entry("false", TokenKind.FALSE));

    private final String src;
    private final List<Diagnostic> diagnostics;
    private final List<DocComment> docComments = new ArrayList<>();
    private int pos;
    private boolean sawNewline;

    /** A {@code ///} or {@code /** *}{@code /} comment, kept so declarations can carry their documentation. */
    public record DocComment(int start, int end, String text) {
    }

    public Lexer(String src, List<Diagnostic> diagnostics) {
        this.src = src;
        this.diagnostics = diagnostics;
    }

    public static boolean isKeyword(String word) {
        return KEYWORDS.containsKey(word);
    }

    public List<DocComment> docComments() {
        return docComments;
    }

    /** Lexes the whole source; the list always ends with EOF. */
    public List<Token> tokenize() {
        List<Token> out = new ArrayList<>();
        sawNewline = true;
        while (true) {
            Token t = next(false);
            out.add(t);
            if (t.kind == TokenKind.EOF) {
                return out;
            }
        }
    }

    /**
     * Lexes the next token. Inside an interpolation ({@code inInterpolation}), a '}' at brace depth zero
     * ends the embedded expression; the caller tracks depth and sees it as RBRACE.
     */
    private Token next(boolean inInterpolation) {
        skipTrivia();
        boolean nl = sawNewline;
        sawNewline = false;
        int start = pos;
        if (pos >= src.length()) {
            return new Token(TokenKind.EOF, pos, pos, nl, null, null);
        }
        char c = src.charAt(pos);
        if (isIdentStart(c)) {
            while (pos < src.length() && isIdentPart(src.charAt(pos))) {
                pos++;
            }
            if (pos < src.length() && src.codePointAt(pos) > 127 && Character.isLetter(src.codePointAt(pos))) {
                pos = start;
                return habit(start, nl); // a name with a letter outside ASCII
            }
            String word = src.substring(start, pos);
            if (pos < src.length() && src.charAt(pos) == '"' && STRING_PREFIXES.contains(word) && !inInterpolation) {
                return prefixedString(start, pos, nl);
            }
            TokenKind kw = KEYWORDS.get(word);
            return new Token(kw != null ? kw : TokenKind.IDENT, start, pos, nl, word, null);
        }
        if (c >= '0' && c <= '9') {
            return number(start, nl);
        }
        if (c == '"') {
            Token triple = src.startsWith(TRIPLE_QUOTE, start) ? habit(start, nl) : null;
            return triple != null ? triple : string(start, nl);
        }
        if (c == '$' && pos + 1 < src.length() && src.charAt(pos + 1) == '"' && !inInterpolation) {
            return prefixedString(start, pos + 1, nl); // C#'s $"..."
        }
        Token habit = habit(start, nl);
        if (habit != null) {
            return habit;
        }
        pos++;
        TokenKind k = switch (c) {
            case '+' -> TokenKind.PLUS;
            case '*' -> TokenKind.STAR;
            case '/' -> TokenKind.SLASH;
            case '%' -> TokenKind.PERCENT;
            case '(' -> TokenKind.LPAREN;
            case ')' -> TokenKind.RPAREN;
            case '{' -> TokenKind.LBRACE;
            case '}' -> TokenKind.RBRACE;
            case '[' -> TokenKind.LBRACKET;
            case ']' -> TokenKind.RBRACKET;
            case ',' -> TokenKind.COMMA;
            case ';' -> TokenKind.SEMICOLON;
            case ':' -> TokenKind.COLON;
            case '-' -> match('>') ? TokenKind.ARROW : TokenKind.MINUS;
            case '=' -> match('=') ? TokenKind.EQ : match('>') ? TokenKind.FAT_ARROW : TokenKind.ASSIGN;
            case '!' -> match('=') ? TokenKind.NE : TokenKind.NOT;
            case '<' -> match('=') ? TokenKind.LE : TokenKind.LT;
            case '>' -> match('=') ? TokenKind.GE : TokenKind.GT;
            case '&' -> match('&') ? TokenKind.AND : null;
            case '|' -> match('|') ? TokenKind.OR : match('>') ? TokenKind.PIPE : TokenKind.BAR;
            case '?' -> match(':') ? TokenKind.ELVIS : TokenKind.QUESTION;
            case '.' -> {
                if (pos + 1 < src.length() && src.charAt(pos) == '.' && src.charAt(pos + 1) == '.') {
                    pos += 2;
                    yield TokenKind.ELLIPSIS;
                }
                yield TokenKind.DOT;
            }
            default -> null;
        };
        if (k == null) {
            int cp = src.codePointAt(start);
            pos = start + Character.charCount(cp);
            String shown = c == '&' ? (referenceOrPointer(start) ? "'&': Osprey has no references or pointers: a value is passed as it is,"
                            + " so write the type or the value without the '&'" : "'&' (did you mean '&&'?)") : c == '#' ? "character '#' (comments start with //)"
                            : c == '\\' && lambdaAfterBackslash() ? "character '\\' (a lambda is written fn(x) => x)"
                            : Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)
                                            || Character.getType(cp) == Character.FORMAT
                                            ? String.format("invisible character U+%04X", cp) + (Character.isSpaceChar(cp) ? " (a space of another kind: use an ordinary space)" : "")
                                            : "character '" + new String(Character.toChars(cp)) + "'";
            diagnostics.add(new Diagnostic(start, pos, "unexpected " + shown));
            return new Token(TokenKind.ERROR, start, pos, nl, src.substring(start, pos), null);
        }
        return new Token(k, start, pos, nl, null, null);
    }

    /**
     * Rust's, Go's and C's reference or pointer, {@code name: &str}, {@code f(&x)}, {@code -> &T}: the '&' at
     * {@code at} starts a name and follows what starts a type or a value, not an operand it could join with '&&'.
     */
    private boolean referenceOrPointer(int at) {
        if (at + 1 >= src.length() || !(Character.isLetter(src.charAt(at + 1)) || src.charAt(at + 1) == '_')) {
            return false;
        }
        int before = at - 1;
        while (before >= 0 && (src.charAt(before) == ' ' || src.charAt(before) == '\t')) {
            before--;
        }
        return before >= 0 && (":(,[<=".indexOf(src.charAt(before)) >= 0 || src.charAt(before) == '>' && before > 0 && src.charAt(before - 1) == '-');
    }

    /** Haskell's and Elm's lambda, {@code \x -> x} or {@code \(a, b) -> a}: the backslash just read is followed by a name or '('. */
    private boolean lambdaAfterBackslash() {
        return pos < src.length() && (Character.isLetter(src.charAt(pos)) || src.charAt(pos) == '_' || src.charAt(pos) == '(');
    }

    /** Letters that other languages put before a string's quote: f"..." (Python), s"..." (Scala), r"..." and b"...". */
    private static final Set<String> STRING_PREFIXES = Set.of("f", "F", "s", "r", "R", "b", "B", "u", "fr", "rf", "rb", "br");

    /**
     * A string with a prefix from another language ({@code f"Hi {name}"}, or C#'s {@code $"..."} from
     * {@code habit}), as one error token: Osprey has one kind of string, which interpolates with ${...}.
     * The string itself is lexed as usual (its own errors, if any, are reported) and dropped.
     */
    private Token prefixedString(int start, int quote, boolean nl) {
        String prefix = src.substring(start, quote);
        pos = quote;
        Token str = string(quote, nl);
        String literal = src.substring(quote, str.end);
        boolean oneLine = literal.indexOf('\n') < 0 && literal.length() > 1 && literal.endsWith("\"");
        String message;
        if (prefix.contains("f") || prefix.contains("F") || prefix.equals("$")) {
            // Python's and C#'s {name} is Osprey's ${name}
            message = "Osprey has no " + prefix + "\"...\" strings: a string takes values in ${...}"
                            + (oneLine ? ": " + literal.replaceAll("(?<!\\$)\\{", "\\${") : "");
        } else if (prefix.contains("r") || prefix.contains("R")) {
            // a raw string's backslashes are escapes in Osprey's
            message = "Osprey has no " + prefix + "\"...\" strings: write it without the '" + prefix + "', each \\ doubled"
                            + (oneLine ? ": " + literal.replace("\\", "\\\\") : "");
        } else {
            message = "Osprey has no " + prefix + "\"...\" strings: write the string without the '" + prefix + "'"
                            + (oneLine ? ": " + literal : "");
        }
        diagnostics.add(new Diagnostic(start, str.end, message));
        return new Token(TokenKind.ERROR, start, str.end, nl, src.substring(start, str.end), null);
    }

    /**
     * Spellings from other languages that are not Osprey, each made one error token with what to write
     * instead. Lexed as Osprey tokens they give a generic message, several errors, or worse a different
     * program: {@code i++} at the end of a line reads as {@code i + +(the next line)}.
     */
    private static final String TRIPLE_QUOTE = "\"\"\"";

    private Token habit(int start, boolean nl) {
        char c = src.charAt(start);
        char d = start + 1 < src.length() ? src.charAt(start + 1) : 0;
        char e = start + 2 < src.length() ? src.charAt(start + 2) : 0;
        int end = start + 2;
        String message = null;
        switch (c) {
            case '\'', '`', '\u201C', '\u201D', '\u2018', '\u2019' -> {
                char close = c == '\u201C' ? '\u201D' : c == '\u2018' ? '\u2019' : c;
                int j = start + 1;
                while (j < src.length() && src.charAt(j) != close && src.charAt(j) != '\n') {
                    j++;
                }
                boolean closed = j < src.length() && src.charAt(j) == close && j > start;
                String text = closed ? src.substring(start + 1, j) : null;
                end = closed ? j + 1 : start + 1;
                if (c == '`') {
                    message = "strings use double quotes, with ${...} for values" + (closed ? ": \"" + text + "\"" : "");
                } else if (c == '\'') {
                    message = closed ? "strings use double quotes: \"" + text + "\"" : null;
                } else {
                    message = "curly quote '" + c + "' (U+" + String.format("%04X", (int) c) + "): strings use straight double quotes"
                                    + (closed ? ": \"" + text + "\"" : " \"");
                }
            }
            case '"' -> {
                // Python's, Kotlin's and Swift's triple-quoted text: read as an empty string and another one, it
                // would only give "expected a line break or ';' after the statement, found a string".
                int close = src.indexOf(TRIPLE_QUOTE, start + 3);
                end = close < 0 ? start + 3 : close + 3;
                message = "Osprey has no triple-quoted strings: an ordinary \"...\" may span lines, and keeps its line breaks";
            }
            case '#' -> {
                if (nl || lineStartsAt(start)) {
                    end = lineEnd(start);
                    message = "comments start with //";
                }
            }
            case '=', '!' -> {
                if (d == '=' && e == '=') {
                    end = start + 3;
                    message = "'" + c + "==' is not an operator in Osprey: use " + (c == '=' ? "==" : "!=") + " (values of one type compare by value)";
                }
            }
            case '<' -> message = d == '>' ? "'<>' is not an operator in Osprey: use !="
                            // `ch <- v`, `<-ch` (Go): `a<-1` stays a comparison with a negative number
                            : d == '-' && !(e >= '0' && e <= '9') ? "Osprey has no '<-' operator: send to a channel with send(ch, value),"
                                            + " receive with recv(ch); both give a Result (spec 0011)"
                            : null;
            case ':' -> message = d == '=' ? "Osprey has no ':=': declare with let name = value, or mut name = value for a variable that changes"
                            : d == ':' && src.startsWith("spawn", start + 2)
                                            // `thread::spawn(|| ...)`, `tokio::spawn(...)` (Rust)
                                            ? "Osprey has no '::': start a fiber with spawn f(x) or spawn { ... }, and wait for its value with"
                                                            + " await(fiber) (spec 0011)"
                            : d == ':' ? "Osprey has no '::': a variant is named on its own (Red, not Color::Red), a module's function by"
                                            + " its name, and an element goes in front of a list with [x] + xs" : null;
            case '*' -> message = d == '*' ? "Osprey has no '**' operator: write pow(x, 2) (pow takes two ints or two floats)" : null;
            case '?' -> message = d == '?' ? "Osprey writes '??' as '?:': r ?: default gives a Result's value, or the default for an Error"
                            : d == '.' && !(e >= '0' && e <= '9') ? "Osprey has no '?.': every value is present; match a Result or a union to find out what it holds" : null;
            case '^' -> {
                end = start + 1;
                message = "Osprey has no '^' operator: for a power write pow(x, 2) (pow takes two ints or two floats)";
            }
            case '.' -> {
                if (d == '.' && e != '.') {
                    // `0..10` (Rust, Kotlin, Ruby), `"a" .. "b"` (Lua)
                    message = "Osprey has no '..' operator: count with range(start, end), which leaves out end; join strings with +";
                    break;
                }
                // `.5` (JavaScript, Python, C) where a value starts: after a name, ')' or ']' a '.' is a field
                // or a method and a digit after it is a wrong name, left to the parser.
                char before = charBefore(start);
                if (d >= '0' && d <= '9' && !isIdentPart(before) && before != ')' && before != ']' && before != '"' && before != '}') {
                    end = start + 1;
                    while (end < src.length() && src.charAt(end) >= '0' && src.charAt(end) <= '9') {
                        end++;
                    }
                    message = "a float needs a digit before the point: 0" + src.substring(start, end);
                }
            }
            default -> {
            }
        }
        if (message == null && (Character.isLetter(src.codePointAt(start)) && src.codePointAt(start) > 127 || isIdentStart(c))) {
            // A name with letters outside ASCII: one error for the whole name, not one per letter.
            int j = start;
            while (j < src.length() && (Character.isLetterOrDigit(src.codePointAt(j)) || src.charAt(j) == '_')) {
                j += Character.charCount(src.codePointAt(j));
            }
            end = j;
            message = "names may use only ASCII letters, digits and '_' (spec 0002): '" + src.substring(start, j) + "'";
        }
        if (message == null && (c == '+' || c == '-' || c == '*' || c == '/' || c == '%') && d == '=' && e != '=' && e != '>') {
            String name = nameBefore(start);
            message = "Osprey has no '" + c + "=': write " + (name != null ? name + " = " + name : "x = x") + " " + c + " ... (with a variable declared with mut)";
        } else if (message == null && (c == '+' || c == '-') && d == c) {
            if (c == '-' && (nl || lineStartsAt(start) || e == ' ' || e == '\t')) {
                // `-- a comment` (SQL, Haskell, Lua), at the start of a line or after code
                end = lineEnd(start);
                message = "comments start with //";
            } else {
                while (end < src.length() && src.charAt(end) == c) {
                    end++; // a run of them is one mistake
                }
                String name = nameBefore(start);
                String var = name != null ? name : "i";
                message = "Osprey has no '" + c + c + "' operator: write " + var + " = " + var + " " + c + " 1 (with a variable declared with mut)"
                                + (c == '+' ? "; lists and strings are joined with +" : "");
            }
        }
        if (message == null) {
            return null;
        }
        pos = end;
        diagnostics.add(new Diagnostic(start, end, message));
        return new Token(TokenKind.ERROR, start, end, nl, src.substring(start, end), null);
    }

    /** Where the line of {@code at} ends: its '\n', or the end of the text. */
    private int lineEnd(int at) {
        int nl = src.indexOf('\n', at);
        return nl < 0 ? src.length() : nl;
    }

    private boolean lineStartsAt(int at) {
        return firstOnLine(src, at);
    }

    /** Only blanks come before {@code at} on its line of {@code text}. */
    public static boolean firstOnLine(String text, int at) {
        for (int i = at - 1; i >= 0 && text.charAt(i) != '\n'; i--) {
            if (text.charAt(i) != ' ' && text.charAt(i) != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Where the blanks (spaces, tabs) just before {@code at} begin. */
    private int blanksBefore(int at) {
        int j = at;
        while (j > 0 && (src.charAt(j - 1) == ' ' || src.charAt(j - 1) == '\t')) {
            j--;
        }
        return j;
    }

    /** The character before {@code at} and the blanks before it, or 0 at the start of the text. */
    private char charBefore(int at) {
        int j = blanksBefore(at);
        return j > 0 ? src.charAt(j - 1) : 0;
    }

    /** The name just before {@code at} on its line ({@code total} in {@code total += 5}), or null. */
    private String nameBefore(int at) {
        int j = blanksBefore(at);
        int end = j;
        while (j > 0 && isIdentPart(src.charAt(j - 1))) {
            j--;
        }
        return j < end && isIdentStart(src.charAt(j)) ? src.substring(j, end) : null;
    }

    private boolean match(char expected) {
        if (pos < src.length() && src.charAt(pos) == expected) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipTrivia() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                sawNewline = true;
                pos++;
            } else if (c == '#' && src.startsWith("#!", pos) && (pos == 0 || pos == 1 && src.charAt(0) == '\uFEFF')) {
                // `#!/usr/bin/env -S osprey run` on the first line makes the file a script a shell can run
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\uFEFF' && pos == 0) {
                pos++; // a byte order mark that an editor put at the start of the file is not text
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/') {
                int start = pos;
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
                if (src.startsWith("///", start)) {
                    docComments.add(new DocComment(start, pos, src.substring(start + 3, pos).strip()));
                }
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '*') {
                blockComment();
            } else {
                return;
            }
        }
    }

    /** Block comments nest, so commenting out code that holds a comment works. */
    private void blockComment() {
        int start = pos;
        boolean doc = src.startsWith("/**", pos) && !src.startsWith("/**/", pos);
        pos += 2;
        int depth = 1;
        while (pos < src.length() && depth > 0) {
            if (src.startsWith("/*", pos)) {
                depth++;
                pos += 2;
            } else if (src.startsWith("*/", pos)) {
                depth--;
                pos += 2;
            } else {
                if (src.charAt(pos) == '\n') {
                    sawNewline = true;
                }
                pos++;
            }
        }
        if (depth > 0) {
            diagnostics.add(new Diagnostic(start, start + 2, "unterminated block comment: expected '*/'"));
        } else if (doc) {
            String body = src.substring(start + 3, pos - 2);
            StringBuilder sb = new StringBuilder();
            for (String line : body.split("\n")) {
                String l = line.strip();
                if (l.startsWith("*")) {
                    l = l.substring(1).strip();
                }
                if (!sb.isEmpty() || !l.isEmpty()) {
                    sb.append(l).append('\n');
                }
            }
            docComments.add(new DocComment(start, pos, sb.toString().strip()));
        }
    }

    /** What is wrong with a number written with letters in it ({@code text}; {@code digits} is its number part). */
    private static String badNumber(String text, String digits) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("0x") || lower.startsWith("0b") || lower.startsWith("0o")) {
            // Before the '_' check: "write 0xFF" for 0xF_F would only lead to this message.
            int radix = lower.charAt(1) == 'x' ? 16 : lower.charAt(1) == 'b' ? 2 : 8;
            try {
                java.math.BigInteger value = new java.math.BigInteger(text.substring(2).replace("_", ""), radix);
                return value.bitLength() < 64 ? "Osprey numbers are decimal: write " + value + " for " + text
                                : "Osprey numbers are decimal, and " + text + " (" + value + ") does not fit in a 64-bit int";
            } catch (NumberFormatException e) {
                return "invalid number '" + text + "': Osprey numbers are decimal";
            }
        }
        if (text.contains("_")) {
            return "Osprey numbers have no '_' separators: write " + text.replace("_", "");
        }
        if (lower.substring(digits.length()).matches("[fdlu]|i(8|16|32|64)|u(8|16|32|64)|f(32|64)")) {
            return "Osprey numbers have no type suffixes: write " + digits;
        }
        if (lower.substring(digits.length()).equals("e")) {
            // spec 0002 FLOAT: [eE] [+-]? [0-9]+
            return "invalid number '" + text + "': the exponent after '" + text.charAt(digits.length()) + "' needs digits, as in " + text + "3";
        }
        return "invalid number '" + text + "': a name cannot start with a digit";
    }

    private Token number(int start, boolean nl) {
        while (pos < src.length() && isDigit(src.charAt(pos))) {
            pos++;
        }
        boolean isFloat = false;
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && isDigit(src.charAt(pos + 1))) {
            isFloat = true;
            pos++;
            while (pos < src.length() && isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && isDigit(src.charAt(pos))) {
                isFloat = true;
                while (pos < src.length() && isDigit(src.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        if (pos < src.length() && isIdentStart(src.charAt(pos))) {
            int bad = pos;
            while (pos < src.length() && isIdentPart(src.charAt(pos))) {
                pos++;
            }
            if (src.substring(start, pos).matches("[0-9_]+") && pos + 1 < src.length() && src.charAt(pos) == '.' && isDigit(src.charAt(pos + 1))) {
                // 1_000.5: the fraction is part of the number the message gives back, not left behind ("write 1000")
                pos++;
                while (pos < src.length() && isIdentPart(src.charAt(pos))) {
                    pos++;
                }
            }
            diagnostics.add(new Diagnostic(start, pos, badNumber(src.substring(start, pos), src.substring(start, bad))));
            return new Token(TokenKind.ERROR, start, pos, nl, src.substring(start, pos), null);
        }
        if (pos < src.length() && src.charAt(pos) == '.' && (pos + 1 == src.length() || !isIdentStart(src.charAt(pos + 1))
                        && src.charAt(pos + 1) != '.')) {
            if (isFloat) {
                // `1.5.2` (a version), `1e5.5`, `1.5.`: a second point, which no number has; "1.5.0" is no fix.
                String first = src.substring(start, pos);
                int e = Math.max(first.indexOf('e'), first.indexOf('E'));
                do {
                    pos++;
                } while (pos < src.length() && (isDigit(src.charAt(pos)) || src.charAt(pos) == '.'));
                String bad = src.substring(start, pos);
                String why = e >= 0 ? "the exponent after '" + first.charAt(e) + "' is a whole number, as in 1.5e3"
                                : "a number has one '.' at most" + (bad.endsWith(".") ? "" : " (text such as a version is a string: \"" + bad + "\")");
                diagnostics.add(new Diagnostic(start, pos, "invalid number '" + bad + "': " + why));
                return new Token(TokenKind.ERROR, start, pos, nl, bad, null);
            }
            // `5.` then a line break or ')': never a method call; as one, the next line's name would be called.
            diagnostics.add(new Diagnostic(start, pos + 1, "a float needs a digit after the point: " + src.substring(start, pos) + ".0"));
            pos++;
            return new Token(TokenKind.ERROR, start, pos, nl, src.substring(start, pos), null);
        }
        String text = src.substring(start, pos);
        if (isFloat) {
            double d = Double.parseDouble(text);
            if (Double.isInfinite(d)) {
                diagnostics.add(new Diagnostic(start, pos, "float literal '" + text + "' is too large"));
            }
            return new Token(TokenKind.FLOAT, start, pos, nl, d, null);
        }
        // The magnitude of Long.MIN_VALUE is only valid after a minus sign; the parser folds it.
        java.math.BigInteger big = new java.math.BigInteger(text);
        if (big.bitLength() > 64 || (big.bitLength() == 64 && !big.equals(java.math.BigInteger.ONE.shiftLeft(63)))) {
            diagnostics.add(new Diagnostic(start, pos, "integer literal '" + text + "' does not fit in a 64-bit int"));
            return new Token(TokenKind.INT, start, pos, nl, 0L, null);
        }
        return new Token(TokenKind.INT, start, pos, nl, big.longValue(), null);
    }

    private Token string(int start, boolean nl) {
        pos++; // opening quote
        List<Object> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                diagnostics.add(new Diagnostic(start, pos, "unterminated string literal: expected '\"'"));
                break;
            }
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                break;
            }
            if (c == '\n') {
                // Keep going: multi-line strings are allowed and keep their newline.
                text.append(c);
                pos++;
            } else if (c == '\r' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
                // A line break written as CRLF is the same "\n" (as in Rust, Python and JavaScript), so a program
                // means the same whichever line endings its file was saved with.
                text.append('\n');
                pos += 2;
            } else if (c == '\\') {
                escape(text);
            } else if (c == '$' && pos + 1 < src.length() && src.charAt(pos + 1) == '{') {
                if (!text.isEmpty()) {
                    parts.add(text.toString());
                    text.setLength(0);
                }
                parts.add(interpolation());
            } else {
                text.append(c);
                pos++;
            }
        }
        if (!text.isEmpty() || parts.isEmpty()) {
            parts.add(text.toString());
        }
        String plain = parts.size() == 1 && parts.get(0) instanceof String s ? s : null;
        return new Token(TokenKind.STRING, start, pos, nl, plain, parts);
    }

    private void escape(StringBuilder text) {
        int start = pos;
        pos++;
        if (pos >= src.length()) {
            diagnostics.add(new Diagnostic(start, pos, "unterminated escape sequence"));
            return;
        }
        char e = src.charAt(pos++);
        switch (e) {
            case 'n' -> text.append('\n');
            case 't' -> text.append('\t');
            case 'r' -> text.append('\r');
            case '0' -> text.append('\0');
            case '\\' -> text.append('\\');
            case '"' -> text.append('"');
            case '\'' -> text.append('\'');
            case '$' -> text.append('$');
            case 'u' -> unicodeEscape(start, text);
            default -> unknownEscape(start);
        }
    }

    /**
     * A backslash before a character that starts no escape. The character is quoted as written, except a line
     * break or another invisible one, which would break the message's line or show nothing: those are named.
     */
    private void unknownEscape(int start) {
        int cp = src.codePointAt(pos - 1);
        pos += Character.charCount(cp) - 1; // the whole character, not half of a surrogate pair
        String valid = " (valid: \\n \\t \\r \\0 \\\\ \\\" \\' \\$ \\u{XXXX})";
        String message;
        if (cp == '\n' || cp == '\r') {
            pos = start + 1; // the line break stays part of the string, so the caret stays on this line
            message = "a '\\' at the end of a line starts no escape: a string may go on over several lines as it is" + valid;
        } else if (Character.isISOControl(cp) || Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
            message = "unknown escape sequence: '\\' followed by U+" + String.format("%04X", cp) + valid;
        } else {
            message = "unknown escape sequence '\\" + Character.toString(cp) + "'" + valid;
        }
        diagnostics.add(new Diagnostic(start, pos, message));
    }

    /** {@code \\u{1F600}}: any Unicode scalar value, as 1 to 6 hex digits. */
    private void unicodeEscape(int start, StringBuilder text) {
        int close = pos < src.length() && src.charAt(pos) == '{' ? src.indexOf('}', pos) : -1;
        int lineEnd = src.indexOf('\n', pos);
        if (close < 0 || (lineEnd >= 0 && close > lineEnd)) {
            diagnostics.add(new Diagnostic(start, pos, "invalid unicode escape: write \\u{XXXX} with 1 to 6 hex digits"));
            return;
        }
        String hex = src.substring(pos + 1, close);
        pos = close + 1;
        String why = null;
        int cp = 0;
        if (hex.isEmpty() || hex.length() > 6 || !hex.chars().allMatch(Lexer::isHexDigit)) {
            why = "expected 1 to 6 hex digits between the braces";
        } else {
            cp = Integer.parseInt(hex, 16);
            if (cp > 0x10FFFF) {
                why = "U+" + hex.toUpperCase() + " is beyond the last code point U+10FFFF";
            } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                why = "U+" + hex.toUpperCase() + " is a surrogate, not a character";
            }
        }
        if (why != null) {
            diagnostics.add(new Diagnostic(start, pos, "invalid unicode escape '\\u{" + hex + "}': " + why));
            return;
        }
        text.appendCodePoint(cp);
    }

    /** Lexes {@code ${ expr }} into its own token list, tracking braces so blocks and records inside work. */
    private Token.Interpolation interpolation() {
        int start = pos;
        pos += 2;
        List<Token> tokens = new ArrayList<>();
        int depth = 0;
        boolean savedNl = sawNewline;
        sawNewline = false;
        while (true) {
            skipTrivia();
            if (pos < src.length() && src.charAt(pos) == '"' && !tokens.isEmpty() && endsExpression(tokens.get(tokens.size() - 1).kind)) {
                // "Hello ${name" : the quote ends the string, so the '}' is what is missing.
                diagnostics.add(new Diagnostic(start, pos, "unterminated interpolation: expected '}' before the closing '\"'"));
                tokens.add(new Token(TokenKind.EOF, pos, pos, false, null, null));
                break;
            }
            int before = pos;
            int reported = diagnostics.size();
            Token t = next(true);
            if (t.kind == TokenKind.STRING && tokens.isEmpty() && diagnostics.size() > reported
                            && diagnostics.get(diagnostics.size() - 1).message().startsWith("unterminated string literal")) {
                // "${" then the string's end: the quote, read as a string in the interpolation, ran to the end of
                // the input; the '}' is what is missing, as above (and not three errors for one mistake).
                diagnostics.subList(reported, diagnostics.size()).clear();
                pos = before;
                diagnostics.add(new Diagnostic(start, pos, "unterminated interpolation: expected '}' before the closing '\"'"));
                tokens.add(new Token(TokenKind.EOF, pos, pos, false, null, null));
                break;
            }
            if (t.kind == TokenKind.EOF) {
                diagnostics.add(new Diagnostic(start, start + 2, "unterminated interpolation: expected '}'"));
                tokens.add(t);
                break;
            }
            if (t.kind == TokenKind.LBRACE) {
                depth++;
            } else if (t.kind == TokenKind.RBRACE) {
                if (depth == 0) {
                    // The interpolation's end: its value says so in messages ("found '}'", not "found end of input").
                    tokens.add(new Token(TokenKind.EOF, t.start, t.start, false, "}", null));
                    break;
                }
                depth--;
            }
            tokens.add(t);
        }
        sawNewline = savedNl;
        return new Token.Interpolation(tokens, start, pos);
    }

    private static boolean endsExpression(TokenKind k) {
        return switch (k) {
            case IDENT, INT, FLOAT, STRING, TRUE, FALSE, RPAREN, RBRACKET -> true;
            default -> false;
        };
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** ASCII only: Character.digit would also take other scripts' digits (Arabic-Indic, fullwidth) as hex. */
    private static boolean isHexDigit(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c);
    }
}
