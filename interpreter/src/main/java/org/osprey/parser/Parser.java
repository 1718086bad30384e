package org.osprey.parser;

import static org.osprey.parser.TokenKind.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osprey.ast.Expr;
import org.osprey.ast.ExternType;
import org.osprey.ast.Expr.Arg;
import org.osprey.ast.Expr.Arm;
import org.osprey.ast.Expr.BinOp;
import org.osprey.ast.Param;
import org.osprey.ast.Pattern;
import org.osprey.ast.Program;
import org.osprey.ast.Stmt;
import org.osprey.ast.TypeExpr;

/**
 * Recursive-descent parser for the grammar of spec 0003, with the precedence of its expression EBNF.
 *
 * Statements and match arms end at a line break. A line break inside parentheses or brackets means nothing;
 * inside braces it ends a statement unless the next line starts with a token that cannot start an expression
 * (such as {@code |>}, {@code .}, {@code &&}), in which case the expression continues.
 *
 * On a syntax error the parser records a diagnostic, skips to the next statement and goes on, so one run
 * reports several errors. Errors caused by the input ending early are flagged so the REPL can read on.
 */
public final class Parser {
    private static final Set<String> PRIMITIVE_TYPE_NAMES = Set.of("int", "Int", "float", "Float", "string", "String",
                    "bool", "Bool", "unit", "Unit", "any", "Any");

    /**
     * Words of other languages that Osprey does not have, with what to write instead. At the start of a
     * statement the word followed by what the other language puts after it ({@code while x < 3 {},
     * {@code if (x) {}) gets the hint; elsewhere it replaces the generic "expected ..." error the word causes.
     */
    private static final Map<String, String> NOT_OSPREY_KEYWORDS = Map.ofEntries(
                    Map.entry("if", "Osprey has no 'if': use match, or the ternary cond ? a : b (spec 0009)"),
                    Map.entry("elif", "Osprey has no 'elif': use match, or the ternary cond ? a : b (spec 0009)"),
                    Map.entry("else", "Osprey has no 'if' and 'else': use match, or the ternary cond ? a : b (spec 0009)"),
                    Map.entry("while", "Osprey has no 'while' loop: use recursion, or range(...) |> forEach(...) (spec 0010)"),
                    Map.entry("for", "Osprey has no 'for' loop: use recursion, or range(...) |> forEach(...) (spec 0010)"),
                    Map.entry("switch", "Osprey has no 'switch': use match x { pattern => value ... } (spec 0007)"),
                    Map.entry("case", "Osprey has no 'case': a match arm is 'pattern => value' (spec 0007)"),
                    Map.entry("return", "Osprey has no 'return': a function's value is its body's last expression"),
                    Map.entry("var", "declare variables with 'let' (immutable) or 'mut' (mutable)"),
                    Map.entry("val", "declare constants with 'let'"),
                    Map.entry("const", "declare constants with 'let'"),
                    Map.entry("def", "declare functions with 'fn'"),
                    Map.entry("fun", "declare functions with 'fn'"),
                    Map.entry("func", "declare functions with 'fn'"),
                    Map.entry("function", "declare functions with 'fn'"),
                    Map.entry("class", "Osprey has no classes: declare a record type with type Name = { field: type, ... } (spec 0004)"),
                    Map.entry("struct", "declare a record type with type Name = { field: type, ... } (spec 0004)"),
                    Map.entry("enum", "declare a union with type Name = A | B { field: type } (spec 0004)"),
                    Map.entry("interface", "Osprey has no interfaces: declare types with 'type' and functions with 'fn'"),
                    Map.entry("trait", "Osprey has no traits: declare types with 'type' and functions with 'fn'"),
                    Map.entry("impl", "Osprey has no impl blocks: declare functions with 'fn', taking the value as a parameter"),
                    Map.entry("try", "Osprey has no exceptions: an operation that can fail returns a Result; match it (spec 0013)"),
                    Map.entry("catch", "Osprey has no exceptions: an operation that can fail returns a Result; match it (spec 0013)"),
                    Map.entry("except", "Osprey has no exceptions: an operation that can fail returns a Result; match it (spec 0013)"),
                    Map.entry("finally", "Osprey has no exceptions: an operation that can fail returns a Result; match it (spec 0013)"),
                    Map.entry("throw", "Osprey has no exceptions: return Error(...) from a function whose result is a Result (spec 0013)"),
                    Map.entry("raise", "Osprey has no exceptions: return Error(...) from a function whose result is a Result (spec 0013)"),
                    Map.entry("new", "Osprey has no 'new': make a record with Name { field: value, ... }"),
                    Map.entry("defer", "Osprey has no 'defer': write the call where the function's work ends, before the expression that"
                                    + " gives its value"),
                    Map.entry("del", "Osprey has no 'del': values never change in place, and a name lasts to the end of its block;"
                                    + " remove(m, key) gives a map without the key"),
                    Map.entry("delete", "Osprey has no 'delete': values never change in place; remove(m, key) gives a map without the key"),
                    Map.entry("lambda", "write a function value as fn(x) => ..."),
                    // Concurrency of other languages (spec 0011): a fiber, started by spawn, and a channel.
                    Map.entry("go", "Osprey has no 'go': start a fiber with spawn f(x), and wait for its value with await(fiber) (spec 0011)"),
                    Map.entry("launch", "Osprey has no 'launch': start a fiber with spawn f(x) or spawn { ... }, and wait for its value with"
                                    + " await(fiber) (spec 0011)"),
                    Map.entry("async", "Osprey has no async functions: any function can run in a fiber; declare it with fn, start it with"
                                    + " spawn f(x) and wait for its value with await(fiber) (spec 0011)"),
                    Map.entry("await", "await is a function in Osprey: await(fiber), for a fiber started with spawn f(x) (spec 0011)"),
                    Map.entry("chan", "Osprey's channel type is Channel<T>; make one with Channel<int> { capacity: 0 } (spec 0011)"),
                    Map.entry("select", "a select's arms are name => recv(channel) => value, name => send(channel, v) => value, or"
                                    + " _ => value for when none is ready (spec 0011)"),
                    Map.entry("and", "Osprey writes 'and' as &&"),
                    Map.entry("or", "Osprey writes 'or' as ||"),
                    Map.entry("not", "Osprey writes 'not' as !"),
                    Map.entry("is", "Osprey compares values with == ('is not' is !=)"),
                    Map.entry("typeof", "Osprey has no 'typeof': a value's type is known before the program runs, and an any is taken"
                                    + " apart by type with match v { n: int => ...  s: string => ... } (spec 0004)"),
                    Map.entry("instanceof", "Osprey has no 'instanceof': a value's type is known before the program runs, and an any"
                                    + " is taken apart by type with match v { n: int => ...  s: string => ... } (spec 0004)"));

    /** Of those, the ones a statement starts with in other languages, often followed by '(' (C, Java, JavaScript). */
    private static final java.util.Set<String> STATEMENT_WORDS = java.util.Set.of("if", "while", "for", "switch", "return", "var", "val",
                    "const", "def", "fun", "func", "function", "class", "struct", "enum", "interface", "trait", "impl", "try", "throw",
                    "raise", "elif", "else", "except", "finally", "defer", "del", "delete");

    private static boolean isBinaryOperator(TokenKind k) {
        return switch (k) {
            case PLUS, MINUS, STAR, SLASH, PERCENT, EQ, NE, LT, GT, LE, GE, AND, OR, PIPE, QUESTION, ELVIS, FAT_ARROW -> true;
            default -> false;
        };
    }

    /** Thrown to abandon the current statement after a syntax error has been recorded. */
    private static final class Bail extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Bail() {
            super(null, null, false, false);
        }
    }

    private final String source;
    private final List<Token> tokens;
    private final List<Diagnostic> diagnostics;
    private final Map<Integer, String> docs = new HashMap<>();
    /**
     * Indices of the '(' and '[' reported as never closed: recovery after that error does not look for their
     * closer, which would take it to the end of the input and report every '{' around them as never closed too.
     */
    private final Set<Integer> neverClosed = new java.util.HashSet<>();
    private int p;
    /** true = newlines end statements here (braces, top level); false = inside ( or [. */
    private final Deque<Boolean> newlineSignificant = new ArrayDeque<>();
    /** In a match scrutinee, {@code x {} is the match body, never a record literal or update. */
    private boolean noStruct;
    /** In a guard, {@code x =>} ends the guard: the arrow belongs to the arm, not to a lambda. */
    private boolean noLambdaArrow;
    /**
     * Where the first statement of the innermost block being parsed starts, while it is parsed (-1 otherwise): a
     * ':' after it means a map literal whose first key is not a literal ({@code { k + "s": 1 }}).
     */
    private int firstOfBlock = -1;
    private boolean incomplete = true;
    private int syntheticCounter;
    private PendingPatternTest pending;

    private record PendingPatternTest(Expr subject, Pattern pattern) {
    }

    private Parser(String source, List<Token> tokens, List<Diagnostic> diagnostics, List<Lexer.DocComment> docComments) {
        this.source = source;
        this.tokens = tokens;
        this.diagnostics = diagnostics;
        newlineSignificant.push(true);
        // A doc comment documents the declaration that starts at the first token after it.
        int ti = 0;
        for (Lexer.DocComment dc : docComments) {
            while (ti < tokens.size() && tokens.get(ti).start < dc.end()) {
                ti++;
            }
            if (ti < tokens.size()) {
                docs.merge(ti, dc.text(), (a, b) -> a + "\n" + b);
            }
        }
    }

    /** Parses a whole source text. */
    public static ParseResult parse(String source) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        Lexer lexer = new Lexer(source, diagnostics);
        List<Token> tokens = lexer.tokenize();
        int lexErrors = diagnostics.size();
        Parser parser = new Parser(source, tokens, diagnostics, lexer.docComments());
        Program program = parser.program();
        // A lexical error other than an unterminated string or comment (`x++`, 'text', `# note`) makes the text
        // wrong, whatever the parser then met at its end: not an entry that goes on.
        boolean wrongWord = diagnostics.subList(0, lexErrors).stream().anyMatch(d -> !d.message().startsWith("unterminated"));
        boolean incomplete = !diagnostics.isEmpty() && parser.incomplete;
        lexErrors = missingClosingQuote(source, tokens, diagnostics, lexErrors);
        if (diagnostics.subList(0, lexErrors).stream().anyMatch(d -> d.message().startsWith("unterminated"))) {
            List<Diagnostic> lexical = new ArrayList<>(diagnostics.subList(0, lexErrors));
            List<Diagnostic> rest = diagnostics.subList(lexErrors, diagnostics.size());
            rest.removeIf(d -> d.message().contains("end of input") || d.message().contains("never closed"));
            lexical.addAll(rest);
            diagnostics.clear();
            diagnostics.addAll(lexical);
        }
        if (diagnostics.stream().anyMatch(d -> d.message().contains("is never closed"))) {
            // Whatever else ran into the end of input is a consequence of the '{' left open.
            diagnostics.removeIf(d -> d.message().contains("found end of input"));
        }
        if (lexErrors > 0) {
            // An unterminated string or comment is incomplete input too, unless the parser met a wrong token in
            // it ("${name)": lines after it cannot close what is open).
            incomplete = !wrongWord && parser.incomplete && diagnostics.stream().allMatch(d -> d.message().startsWith("unterminated") || d.end() >= source.length());
        }
        interpolationLeftOpen(source, diagnostics);
        diagnostics.sort((a, b) -> Integer.compare(a.start(), b.start()));
        return new ParseResult(program, diagnostics, incomplete);
    }

    /**
     * `"hello ${name)"`, or `"hello ${name` and the line's end: an interpolation left open is one
     * mistake, which the lexer reports at its '${' and the parser at what it found instead of the '}' (and,
     * where the interpolation ran to the end of the input, the lexer again at the string, whose quote it
     * took). One error stays: the parser's where it is on the line of the '${' (`found ')'` says what to
     * change), else the lexer's at the '${'.
     */
    private static void interpolationLeftOpen(String source, List<Diagnostic> diagnostics) {
        for (Diagnostic open : List.copyOf(diagnostics)) {
            if (!open.message().startsWith("unterminated interpolation")) {
                continue;
            }
            boolean toTheEnd = !open.message().endsWith("closing '\"'");
            int end = toTheEnd ? source.length() : open.end();
            List<Diagnostic> inside = diagnostics.stream()
                            .filter(d -> d.start() >= open.start() && d.start() <= end && !d.message().startsWith("unterminated"))
                            .sorted((a, b) -> Integer.compare(a.start(), b.start())).toList();
            if (!inside.isEmpty() && lineOf(source, inside.get(0).start()) == lineOf(source, open.start())) {
                diagnostics.remove(open);
                diagnostics.removeAll(inside.subList(1, inside.size()));
            } else {
                diagnostics.removeAll(inside);
            }
            if (toTheEnd) {
                // the string around it: the interpolation took its closing quote
                diagnostics.removeIf(d -> d.message().startsWith("unterminated string literal") && d.start() < open.start() && d.end() >= open.start());
            }
        }
    }

    /** The tokens that may come right after a string on its line: operators, closing brackets, separators. */
    private static final Set<TokenKind> FOLLOWS_A_STRING = java.util.EnumSet.of(TokenKind.PLUS, TokenKind.MINUS, TokenKind.STAR,
                    TokenKind.SLASH, TokenKind.PERCENT, TokenKind.EQ, TokenKind.NE, TokenKind.LT, TokenKind.GT, TokenKind.LE,
                    TokenKind.GE, TokenKind.AND, TokenKind.OR, TokenKind.PIPE, TokenKind.ELVIS, TokenKind.QUESTION, TokenKind.COLON,
                    TokenKind.DOT, TokenKind.RPAREN, TokenKind.RBRACKET, TokenKind.RBRACE, TokenKind.COMMA, TokenKind.SEMICOLON,
                    TokenKind.FAT_ARROW, TokenKind.LBRACKET, TokenKind.BAR, TokenKind.ASSIGN, TokenKind.ELLIPSIS, TokenKind.EOF);

    /**
     * {@code let name = "Bob} without its closing quote: strings may span lines, so this one runs on to the next
     * string's opening quote, the quotes after it are out of step (the last string is left unterminated), and
     * the parser's first error comes lines later at innocent code, on the line where the string ends. That
     * error is replaced by one at the string's opening quote. A string meant to span lines followed by a
     * mistake leaves no string unterminated, and its mistake is reported as it is. Returns how many of the
     * lexer's diagnostics, which come first in the list, are left.
     */
    private static int missingClosingQuote(String source, List<Token> tokens, List<Diagnostic> diagnostics, int lexErrors) {
        boolean outOfStep = diagnostics.subList(0, lexErrors).stream()
                        .anyMatch(d -> d.message().startsWith("unterminated string") && d.end() >= source.length());
        if (!outOfStep || diagnostics.size() == lexErrors) {
            return lexErrors;
        }
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token string = tokens.get(i);
            Token next = tokens.get(i + 1);
            // A string spanning lines and followed on its last line by what cannot follow a string (a name, a
            // number, another string, '!'): `print("Hello)` ran on to `print("World")`, and World follows it.
            if (string.kind != TokenKind.STRING || source.substring(string.start, string.end).indexOf('\n') < 0 || next.newlineBefore
                            || FOLLOWS_A_STRING.contains(next.kind)) {
                continue;
            }
            int from = source.lastIndexOf('\n', string.start) + 1;
            int line = lineOf(source, string.end);
            // The parser's errors from the line where the string begins follow from it, and so do the lexer's
            // from the string on: the quotes after it are out of step to the end of the input.
            diagnostics.subList(lexErrors, diagnostics.size()).removeIf(d -> d.start() >= from);
            List<Diagnostic> lexical = diagnostics.subList(0, lexErrors);
            lexical.removeIf(d -> d.start() >= string.start);
            int left = lexical.size();
            diagnostics.add(new Diagnostic(string.start, string.start + 1, "this string goes on to line " + line + ", where "
                            + describe(next) + " follows it: is a '\"' missing?"));
            return left;
        }
        return lexErrors;
    }

    /** A builtin's signature as written in its documentation: {@code name(p: T, q: U) -> R}. */
    public record Signature(String name, List<String> paramNames, List<TypeExpr> paramTypes, TypeExpr result) {
    }

    /** Parses a builtin signature; throws IllegalArgumentException with the problem if it is malformed. */
    public static Signature parseSignature(String text) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        Lexer lexer = new Lexer(text, diagnostics);
        Parser parser = new Parser(text, lexer.tokenize(), diagnostics, List.of());
        try {
            String name = parser.expectIdent("the function name");
            parser.expect(LPAREN, "'('");
            List<Param> params = parser.params(RPAREN);
            parser.expect(ARROW, "'->'");
            TypeExpr result = parser.type();
            parser.expect(EOF, "end of signature");
            if (diagnostics.isEmpty()) {
                List<String> names = new ArrayList<>();
                List<TypeExpr> types = new ArrayList<>();
                for (Param prm : params) {
                    if (prm.type == null) {
                        throw new IllegalArgumentException("parameter '" + prm.name + "' needs a type in signature: " + text);
                    }
                    names.add(prm.name);
                    types.add(prm.type);
                }
                return new Signature(name, names, types, result);
            }
        } catch (Bail b) {
            // fall through to the report below
        }
        throw new IllegalArgumentException("malformed builtin signature '" + text + "': " + diagnostics.get(0).message());
    }

    // ---------------------------------------------------------------- token helpers

    private Token peek() {
        return tokens.get(p);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(p + ahead, tokens.size() - 1));
    }

    private boolean at(TokenKind k) {
        return peek().kind == k;
    }

    private Token advance() {
        Token t = tokens.get(p);
        if (t.kind != EOF) {
            p++;
        }
        return t;
    }

    private boolean accept(TokenKind k) {
        if (at(k)) {
            advance();
            return true;
        }
        return false;
    }

    private Token previous() {
        return tokens.get(p - 1);
    }

    /** Whether a significant line break precedes the token. */
    private boolean nl(Token t) {
        return t.newlineBefore && newlineSignificant.peek();
    }

    private Token expect(TokenKind k, String what) {
        if (at(k)) {
            return advance();
        }
        throw error(peek(), "expected " + what + ", found " + describe(peek()));
    }

    /**
     * {@link #expect} for the bracket that closes {@code open}: where none follows in the rest of the input
     * (`let xs = [1, 2, 3` then the next line), the error is at the bracket left open, not at the next line.
     */
    private Token expectClosing(Token open, TokenKind close, String what) {
        if (at(NOT) && (previous().kind == RPAREN || previous().kind == IDENT)) {
            throw bangAfterValue(peek()); // `print(parse(s)!)`, `[println!("a")]`
        }
        if (misspeltKeyword() instanceof Bail b) {
            throw b; // `print(mtach x {`, `[mtach x { ... }]`
        }
        if (at(close) || at(EOF) || at(RPAREN) || at(RBRACKET) || at(RBRACE)) {
            return expect(close, what); // `[1, 2, 3)`: the wrong bracket is the mistake
        }
        if (matching(tokens.indexOf(open)) >= 0) {
            return expect(close, what); // it is closed later: something is missing before it
        }
        throw neverClosed(open, what);
    }

    /** The next token and its line, for an error placed where something is missing before it: "'let' on line 5". */
    private String nextOnItsLine() {
        return describe(peek()) + " on line " + lineOf(peek().start);
    }

    /** The error at {@code open}, a bracket that no bracket after it closes, where {@link #peek} went on without it. */
    private Bail neverClosed(Token open, String what) {
        neverClosed.add(tokens.indexOf(open));
        return error(open, "this '" + open.kind.display.replace("'", "") + "' is never closed: expected " + what + ", found "
                        + nextOnItsLine() + (floorDivisionBefore() ? FLOOR_DIVISION : ""));
    }

    /**
     * The error for a keyword typed wrong where a name was read and another name follows, which no expression
     * can ({@code lett x = 5}, {@code fnn add(x) = ...}, {@code let s = mtach x { ... }}, {@code print(mtach x { ... })},
     * {@code c ? mtach x { ... } : d}), or null: a keyword typed wrong is a name, and the name after it ends nothing.
     */
    private Bail misspeltKeyword() {
        if (previous().kind == IDENT && at(IDENT) && previous().text().length() > 2 && !NOT_OSPREY_KEYWORDS.containsKey(previous().text())
                        && org.osprey.types.Resolver.closest(previous().text(), MISSPELT_KEYWORDS, false) instanceof String keyword) {
            return error(previous(), "unknown word '" + previous().text() + "' (did you mean '" + keyword + "'?)");
        }
        return null;
    }

    /** A '!' after a value (Swift's and TypeScript's force unwrap, `parse(s)!`) or a name (Rust's macros, `println!(...)`). */
    private Bail bangAfterValue(Token bang) {
        if (previous().kind == IDENT && (peek(1).kind == LPAREN || peek(1).kind == LBRACKET)) {
            return error(bang, "Osprey has no macros: " + macroInstead(previous().text(), peek(1).kind)); // `println!(...)`, `vec![1, 2]`
        }
        return error(bang, "Osprey has no '!' after a value: match a Result, or give a default with ?: (spec 0013)"); // `parse(s)!`
    }

    /**
     * What to write for Rust's macro {@code name!} followed by {@code open}: Osprey's function where the name is
     * another language's ({@code println!} is print), a list literal for {@code vec!}, else the call without the '!'.
     */
    private static String macroInstead(String name, TokenKind open) {
        if (name.equals("vec")) {
            return "a list is written [1, 2, 3]";
        }
        if (org.osprey.types.Resolver.otherLanguageName(name) instanceof String habit) {
            return "for " + name + "!, " + habit;
        }
        return open == LPAREN ? "call " + name + "(...) without the '!'" : "write " + name + " without the '!'";
    }

    private String expectIdent(String what) {
        if (at(IDENT)) {
            return advance().text();
        }
        Token t = peek();
        if (t.value instanceof String s && Lexer.isKeyword(s)) {
            throw keywordAsName(t, "expected " + what + ", found keyword '" + s + "' (keywords cannot be used as names" + otherName(s) + ")");
        }
        throw error(t, "expected " + what + ", found " + describe(t));
    }

    /** Keywords already reported as names in this source: each is reported once, not at every use. */
    private java.util.Set<String> keywordsReported = new java.util.HashSet<>();

    private Bail keywordAsName(Token t, String message) {
        if (!keywordsReported.add((String) t.value)) {
            incomplete = false;
            return new Bail();
        }
        return error(t, message);
    }

    /** "'handle' is a reserved word (for algebraic effects, spec 0017)", or as spec 0002 lists it. */
    private static String reservedWord(String w) {
        return "'" + w + "' is a reserved word" + (Set.of("effect", "perform", "handle").contains(w) ? " (for algebraic effects, spec 0017)"
                        : " (spec 0002)");
    }

    private static String otherName(String keyword) {
        return switch (keyword) {
            case "type" -> "; try kind";
            case "match" -> "; try found or result";
            case "in" -> "; try inside";
            case "as" -> "; try alias";
            case "handle" -> "; try handler";
            case "effect" -> "; try outcome";
            case "import" -> "; try imported";
            default -> "";
        };
    }

    /** The indentation (columns of blanks) of the line holding {@code offset}. */
    private int indentOf(int offset) {
        int start = offset;
        while (start > 0 && source.charAt(start - 1) != '\n') {
            start--;
        }
        int i = start;
        while (i < source.length() && (source.charAt(i) == ' ' || source.charAt(i) == '\t')) {
            i++;
        }
        return i - start;
    }

    private int lineOf(int offset) {
        return lineOf(source, offset);
    }

    /** The line (from 1) of {@code offset} in {@code text}: the checker's messages name lines with it too. */
    public static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** Field names are contextual: spec 0015's WebSocketMessage has a field named 'type'. */
    private String expectFieldName(String what) {
        Token t = peek();
        if (t.kind == IDENT || (t.value instanceof String v && Lexer.isKeyword(v))) {
            advance();
            return (String) t.value;
        }
        throw error(t, "expected " + what + ", found " + describe(t));
    }

    private boolean atFieldName() {
        Token t = peek();
        return t.kind == IDENT || (t.value instanceof String v && Lexer.isKeyword(v));
    }

    private static String describe(Token t) {
        return switch (t.kind) {
            case IDENT -> "'" + t.value + "'";
            case INT, FLOAT -> "number " + t.value;
            case STRING -> "a string";
            case EOF -> t.value == null ? "end of input" : "'" + t.value + "' (the end of the interpolation)";
            case ERROR -> "'" + t.value + "'";
            default -> t.kind.display;
        };
    }

    private Bail error(Token at, String message) {
        if (at.kind == ERROR) {
            incomplete = false;
            return new Bail(); // the lexer has already said what is wrong with this character
        }
        if (message.startsWith("expected") && (at.kind == EOF || at.newlineBefore) && floorDivisionBefore()) {
            message += FLOOR_DIVISION;
        }
        if (message.startsWith("expected")) { // a generic message: a habit of another language may explain it
            Token word = foreignWord(at);
            if (word != null) {
                at = word;
                message = notOsprey(word);
                int next = tokens.indexOf(word) + 1;
                if ("new".equals(word.value) && next < tokens.size() && tokens.get(next).kind == IDENT
                                && java.util.Set.of("Promise", "Thread").contains(tokens.get(next).value)) {
                    // `new Promise(...)` (JavaScript), `new Thread(...)` (Java): a fiber (spec 0011)
                    message = "Osprey has no '" + tokens.get(next).value + "': start a fiber with spawn f(x) or spawn { ... }, and wait for"
                                    + " its value with await(fiber) (spec 0011)";
                }
            } else if (at.kind == BAR && tokens.indexOf(at) > 0) {
                message = "Osprey writes 'or' as || (and 'and' as &&)"; // `a | b` after an operand
            } else if (at.kind == IN && !message.contains("keywords cannot be used as names")) {
                message = "Osprey has no 'in' operator: use contains(xs, x)";
            } else if (at == peek() && p > 0 && misspeltKeyword() instanceof Bail b) {
                return b; // `c ? mtach x { ... } : d`: the name after the word is where the parse went wrong
            }
        }
        if (at.kind != EOF) {
            incomplete = false;
            diagnostics.add(new Diagnostic(at.start, Math.max(at.end, at.start + 1), message));
        } else {
            // At the end of input, point just after the last token rather than at an empty last line.
            int after = p > 0 ? tokens.get(p - 1).end : at.start;
            diagnostics.add(new Diagnostic(after, after + 1, message));
        }
        return new Bail();
    }

    private static final String FLOOR_DIVISION = " ('//' starts a comment: to divide, use /, and toInt(a / b) for a whole number)";

    /**
     * Python's floor division {@code 10 // 3)} right before the error: the comment took the divisor and the
     * ')' or ']' that closed the expression.
     */
    private boolean floorDivisionBefore() {
        if (p == 0) {
            return false;
        }
        Token last = tokens.get(p - 1);
        if (last.kind != INT && last.kind != FLOAT && last.kind != IDENT && last.kind != RPAREN) {
            return false;
        }
        int lineEnd = source.indexOf('\n', last.end);
        String rest = source.substring(last.end, lineEnd < 0 ? source.length() : lineEnd).strip();
        if (!rest.startsWith("//") || rest.startsWith("///")) {
            return false;
        }
        String comment = rest.substring(2).strip();
        return !comment.isEmpty() && (Character.isLetterOrDigit(comment.charAt(0)) || comment.charAt(0) == '(')
                        && (comment.contains(")") || comment.contains("]"));
    }

    /**
     * The error for input that ends before what {@code at} began (a '{', a '?') is finished, placed at it. Unlike
     * {@link #error} at a token other than the end, it leaves the input incomplete: a REPL entry goes on with its
     * next line.
     */
    private Bail unfinished(Token at, String message) {
        diagnostics.add(new Diagnostic(at.start, at.end, message));
        return new Bail();
    }

    private void errorAt(int start, int end, String message) {
        incomplete = false;
        diagnostics.add(new Diagnostic(start, end, message));
    }

    // ---------------------------------------------------------------- statements

    private Program program() {
        List<Stmt> stmts = new ArrayList<>();
        while (!at(EOF)) {
            if (accept(SEMICOLON)) {
                continue;
            }
            if (at(RBRACE) || at(RPAREN) || at(RBRACKET)) {
                errorAt(peek().start, peek().end, "unexpected " + describe(peek()) + " with nothing open to close");
                advance();
                continue;
            }
            Stmt s = statementOrRecover(true);
            if (s != null) {
                stmts.add(s);
            }
        }
        return new Program(stmts);
    }

    private Stmt statementOrRecover(boolean topLevel) {
        int startP = p;
        try {
            Stmt s = statement(topLevel);
            endOfStatement(s);
            return s;
        } catch (Bail b) {
            synchronize(startP);
            return null;
        }
    }

    /** What Osprey writes for a word that starts a declaration or import in other languages, or null. */
    private static String foreignDeclaration(String word) {
        return switch (word) {
            case "use", "from", "using", "require", "include" -> "Osprey imports with 'import', as in import std.io (accepted and ignored:"
                            + " there is no module system yet, and the builtins need no import)";
            case "package", "namespace" -> "Osprey has no " + word + "s: a program is one file";
            case "module" -> "a module is declared with a name and braces: module Counter { mut count = 0  fn next() -> int = ... } (spec 0011)";
            case "public", "private", "protected", "static", "export", "final" -> "Osprey has no '" + word
                            + "': what a program declares at its top level is visible everywhere in it; a function is fn name(...) = ...";
            default -> null;
        };
    }

    /** Words of other languages that start a statement and are not functions: `await f()` is no call of 'await'. */
    private static final java.util.Set<String> NOT_CALLS = java.util.Set.of("async", "go", "defer", "spawn", "del", "delete",
                    "package", "module", "namespace", "public", "private", "protected", "static", "export", "extern");

    private void endOfStatement(Stmt s) {
        Token t = peek();
        if (t.kind == EOF || t.kind == RBRACE || nl(t)) {
            return;
        }
        if (accept(SEMICOLON)) {
            while (accept(SEMICOLON)) {
                // several are fine
            }
            return;
        }
        if (t.kind == RPAREN || t.kind == RBRACKET) {
            throw error(t, "unexpected " + describe(t) + " with nothing open to close");
        }
        if (s instanceof Stmt.ExprStmt es && es.expr instanceof Expr.Ident id && !id.name.equals(id.name.toLowerCase(java.util.Locale.ROOT))
                        && Lexer.isKeyword(id.name.toLowerCase(java.util.Locale.ROOT))) {
            // `Let x = 5`, `Fn f() = ...`
            throw error(previous(), "keywords are written in lower case: " + id.name.toLowerCase(java.util.Locale.ROOT));
        }
        if (s instanceof Stmt.TypeDecl td && td.variants != null && t.kind == LPAREN) {
            // `Circle(float)` (Rust, Haskell, Swift)
            String name = td.variants.get(td.variants.size() - 1).name;
            String type = peek(1).kind == IDENT && peek(2).kind == RPAREN ? peek(1).text() : "Type";
            throw error(t, "a variant's fields have names: " + name + " { value: " + type + " }");
        }
        if (t.kind == NOT && (previous().kind == RPAREN || previous().kind == IDENT)) {
            throw bangAfterValue(t);
        }
        if (misspeltKeyword() instanceof Bail b) {
            // the C-style declaration guessed below would take the name after it for a type
            throw b;
        }
        if (s instanceof Stmt.ExprStmt es && es.expr instanceof Expr.Ident id && t.kind == IDENT && peek(1).kind == ASSIGN) {
            // `int x = 5`, `String s = "a"` (C, Java)
            errorAt(es.expr.start, t.end, "a value is declared with let, its type after its name: let " + t.text() + ": " + id.name + " = ...");
            throw new Bail();
        }
        if (s instanceof Stmt.ExprStmt es && es.expr instanceof Expr.Ident id && (id.name.equals("go") || id.name.equals("launch"))
                        && !t.newlineBefore) {
            // `go worker(jobs)` (Go), `launch { ... }` (Kotlin): a fiber is started with spawn (spec 0011)
            errorAt(es.expr.start, es.expr.end, NOT_OSPREY_KEYWORDS.get(id.name));
            throw new Bail();
        }
        if (s instanceof Stmt.ExprStmt es && es.expr instanceof Expr.Ident id && t.kind == IDENT && peek(1).kind == LPAREN) {
            // `void main() {`, `int add(int a, int b) {` (C, Java)
            errorAt(es.expr.start, t.end, id.name.equals("void") ? "a function is declared with fn: fn " + t.text() + "(...) = ..."
                            : "a function is declared with fn, its result type after '->': fn " + t.text() + "(...) -> " + id.name + " = ...");
            throw new Bail();
        }
        if (s instanceof Stmt.ExprStmt es && (es.expr instanceof Expr.FieldAccess || es.expr instanceof Expr.Call || es.expr instanceof Expr.MethodCall)
                        && t.kind == LBRACE) {
            // `xs.forEach { print(it) }` (Kotlin, Swift, Ruby blocks)
            String target = es.expr instanceof Expr.FieldAccess fa ? source.substring(fa.target.start, fa.target.end) + "." + fa.field
                            : source.substring(es.expr.start, es.expr.end).replaceFirst("\\(\\)$", "");
            throw error(t, "a function is passed inside the parentheses, as fn(x) => ...: " + target + "(fn(x) => ...)");
        }
        if (s instanceof Stmt.ExprStmt es && es.expr instanceof Expr.Ident id && foreignDeclaration(id.name) != null
                        && (t.kind == IDENT || t.kind == FN || t.kind == LET || t.kind == MUT || t.kind == TYPE || t.kind == EFFECT)) {
            // `use std::io;`, `from math import sqrt`, `package main`, `public static void main(...)`, `public fn f()`
            errorAt(es.expr.start, es.expr.end, foreignDeclaration(id.name));
            throw new Bail();
        }
        boolean argumentAlone = t.kind == STRING || t.kind == INT || t.kind == FLOAT
                        || t.kind == IDENT && (peek(1).kind == EOF || peek(1).kind == SEMICOLON || peek(1).kind == RBRACE || peek(1).newlineBefore);
        if (s instanceof Stmt.ExprStmt es && es.expr instanceof Expr.Ident id && !NOT_CALLS.contains(id.name) && argumentAlone) {
            // `print "hello"`, `puts name` (Python 2, Ruby, shells)
            throw error(t, "a call's arguments go in parentheses: " + id.name + "(...)");
        }
        if (s instanceof Stmt.ExprStmt es && t.kind == COLON && firstOfBlock >= 0 && es.expr.start >= firstOfBlock) {
            // `{ k + "s": 1 }`, `{ (1): "x" }`: a '{' starts a map only when a literal key follows it, so this is a block
            String key = source.substring(es.expr.start, es.expr.end);
            if (es.expr instanceof Expr.TupleLit || es.expr instanceof Expr.ListLit) {
                // `{(1, 2): true}` (Python's dict of coordinates): set({}, (1, 2), ...) would be refused too
                errorAt(es.expr.start, es.expr.end, "map keys are int, string or bool (spec 0004), not " + (es.expr instanceof Expr.TupleLit ? "a tuple" : "a list")
                                + ": make one key of the parts, as text (\"${x},${y}\") or a number (y * width + x)");
                throw new Bail();
            }
            errorAt(es.expr.start, es.expr.end, "a map literal's first key must be a literal (a string, a number or a bool): that is how a '{'"
                            + " starts a map rather than a block (the keys after it may be computed); for a map of computed keys only, write set({}, " + key
                            + ", ...)");
            throw new Bail();
        }
        if (s instanceof Stmt.TypeDecl td && td.variants != null && t.kind == COMMA) {
            // `type Color = Red, Green` (enums of other languages)
            String last = td.variants.get(td.variants.size() - 1).name;
            String next = peek(1).kind == IDENT ? peek(1).text() : "...";
            throw error(t, "the variants of a union are separated by '|': " + last + " | " + next);
        }
        throw error(t, "expected a line break or ';' after the statement, found " + describe(t));
    }

    /** The keywords followed by a name, which a misspelling of them is then followed by too. */
    private static final List<String> MISSPELT_KEYWORDS = List.of("fn", "let", "mut", "type", "match", "effect", "perform", "handle", "import");

    /** Skips to the start of the next statement at the current nesting level. */
    private void synchronize(int startP) {
        if (p == startP) {
            advance();
        }
        // Brackets the failed statement opened and did not close are skipped to their end too: stopping at
        // their '}' would report it as one with nothing open to close.
        int depth = 0;
        for (int i = startP; i < p; i++) {
            TokenKind k = tokens.get(i).kind;
            if (neverClosed.contains(i)) {
                continue; // its error says so; the lines after it are read as statements again
            } else if (k == LBRACE || k == LPAREN || k == LBRACKET) {
                depth++;
            } else if (k == RBRACE || k == RPAREN || k == RBRACKET) {
                depth = Math.max(0, depth - 1);
            }
        }
        while (!at(EOF)) {
            Token t = peek();
            if (depth == 0 && (t.kind == RBRACE)) {
                return;
            }
            if (depth == 0 && t.newlineBefore && p > startP) {
                return;
            }
            if (depth == 0 && t.kind == SEMICOLON) {
                advance();
                return;
            }
            if (t.kind == LBRACE || t.kind == LPAREN || t.kind == LBRACKET) {
                depth++;
            } else if (t.kind == RBRACE || t.kind == RPAREN || t.kind == RBRACKET) {
                depth = Math.max(0, depth - 1);
            }
            advance();
        }
    }

    private Stmt statement(boolean topLevel) {
        Token t = peek();
        String doc = docs.get(p);
        switch (t.kind) {
            case LET, MUT:
                return let();
            case FN:
                if (peek(1).kind == IDENT) {
                    return fnDecl(doc);
                }
                if (peek(1).value instanceof String w && Lexer.isKeyword(w)) {
                    throw keywordAsName(peek(1), reservedWord(w) + " and cannot be a function name" + otherName(w).replace("; try", " (try")
                                    + (otherName(w).isEmpty() ? "" : ")"));
                }
                break;
            case TYPE:
                if (!topLevel) {
                    throw error(t, "type declarations are only allowed at the top level" + (inModule ? " of the program, not in a module" : ""));
                }
                return typeDecl(doc);
            case IMPORT:
                return importStmt();
            case EXTERN:
                if (!topLevel) {
                    throw error(t, "extern functions are declared at the top level, not inside " + (inModule ? "a module" : "a block"));
                }
                return externDecl(doc);
            case EFFECT:
                if (!topLevel) {
                    throw error(t, "effects are declared at the top level, not inside " + (inModule ? "a module" : "a block") + " (spec 0017)");
                }
                return effectDecl(doc);
            case IDENT:
                if ("module".equals(t.value) && peek(1).kind == IDENT && !peek(1).newlineBefore) {
                    // `module` is no keyword: a variable may be named so; `module Name` is a declaration (spec 0011)
                    if (!topLevel) {
                        throw error(t, "modules are declared at the top level, not inside a block or another module");
                    }
                    return moduleDecl(doc);
                }
                if (STATEMENT_WORDS.contains((String) t.value) && peek(1).kind != ASSIGN && peek(1).kind != LPAREN
                                && peek(1).kind != DOT && peek(1).kind != EOF && !peek(1).newlineBefore && !isBinaryOperator(peek(1).kind)) {
                    if (continuesReported(t)) {
                        incomplete = false;
                        throw new Bail(); // `except ValueError:` after `try:`, `else:` after `if x:`: that error said it
                    }
                    throw error(t, notOsprey(t));
                }
                if ("loop".equals(t.value) && peek(1).kind == LBRACE && !peek(1).newlineBefore && !isPatternTestAhead(p + 1)
                                && !(peek(2).kind == IDENT && peek(3).kind == COLON)) {
                    // Rust's `loop { ... }`; spec 0010 names it with for and while. Only there: `loop` is
                    // not a keyword, and a variable of that name is fine elsewhere, also in a record update
                    // (loop { count: 1 }) or a pattern test (loop { count } ? count : 0).
                    throw error(t, "Osprey has no 'loop': use recursion, or range(...) |> forEach(...) (spec 0010)");
                }
                if (STATEMENT_WORDS.contains((String) t.value) && peek(1).kind == LPAREN) {
                    // `if (x > 2) {`, `for (let i = 0; ...) {`: a call of a function named `if` would not be
                    // followed by '{' on the same line. The error skips the parentheses, so that recovery
                    // does not stop at the semicolons inside them.
                    int close = matching(p + 1);
                    if (close > 0 && tokens.get(close + 1).kind == LBRACE && !tokens.get(close + 1).newlineBefore) {
                        Bail bail = error(t, notOsprey(t));
                        p = close + 1;
                        throw bail;
                    }
                }
                if (peek(1).kind == ASSIGN) {
                    Token name = advance();
                    advance();
                    Expr value = expression();
                    return new Stmt.Assign(name.start, value.end, name.text(), value);
                }
                break;
            default:
                break;
        }
        Expr e = expression();
        if (at(ASSIGN) && !nl(peek())) {
            String target = source.substring(e.start, e.end);
            if (e instanceof Expr.Index ix) {
                String base = source.substring(ix.target.start, ix.target.end);
                String index = source.substring(ix.index.start, ix.index.end);
                throw error(peek(), "lists and maps cannot be changed in place: assign a new one to the mut variable: for a map, "
                                + base + " = set(" + base + ", " + index + ", value); for a list, build the new one (map, filter, +)");
            }
            if (e instanceof Expr.FieldAccess fa) {
                // a record's field or a module's value: the resolver knows which, and says why neither is assigned
                int equalsAt = advance().start;
                return new Stmt.FieldAssign(fa, equalsAt, expression());
            }
            throw error(peek(), "only a variable can be assigned to, not " + target);
        }
        return new Stmt.ExprStmt(e.start, e.end, e);
    }

    /**
     * For each bracket, the index of its partner: of the ')', ']' or '}' that closes a '(', '[' or '{', and of the
     * opening one for a closing one, pairing the brackets of each kind on their own; -1 where there is none. Made
     * at the first question (a walk to the closing bracket at every call made calls nested 20,000 deep take 2.4 s
     * to parse instead of 0.4 s), and again after {@link #typeList} splits a token in two.
     */
    private int[] partners;

    /** The index of the bracket that closes the one at index {@code i}, or that the one at {@code i} closes; -1 if none does. */
    private int matching(int i) {
        if (partners == null) {
            partners = new int[tokens.size()];
            java.util.Arrays.fill(partners, -1);
            Deque<Integer> parens = new ArrayDeque<>();
            Deque<Integer> brackets = new ArrayDeque<>();
            Deque<Integer> braces = new ArrayDeque<>();
            for (int t = 0; t < tokens.size(); t++) {
                TokenKind k = tokens.get(t).kind;
                Deque<Integer> open = k == LPAREN || k == RPAREN ? parens : k == LBRACKET || k == RBRACKET ? brackets
                                : k == LBRACE || k == RBRACE ? braces : null;
                if (open == null) {
                    continue;
                }
                if (k == LPAREN || k == LBRACKET || k == LBRACE) {
                    open.push(t);
                } else if (!open.isEmpty()) {
                    int opener = open.pop();
                    partners[opener] = t;
                    partners[t] = opener;
                }
            }
        }
        return partners[i];
    }

    /** The walk over the token at {@code from} and the rest of its line. */
    private TokenWalk lineFrom(int from) {
        return new TokenWalk(tokens, from, true);
    }

    /** The walk over the tokens from {@code from} to the end of the input. */
    private TokenWalk walkFrom(int from) {
        return new TokenWalk(tokens, from, false);
    }

    /**
     * What to write instead of {@code word}, a word of {@link #NOT_OSPREY_KEYWORDS}; for try and catch around a
     * perform on the same line, also how an effect is handled.
     */
    private String notOsprey(Token word) {
        String message = NOT_OSPREY_KEYWORDS.get((String) word.value);
        int at = tokens.indexOf(word);
        if (("try".equals(word.value) || "catch".equals(word.value)) && at >= 0 && lineFrom(at).firstOf(PERFORM) != null) {
            // `try { perform E.op() } catch ...` (effect libraries of Java, Scala, TypeScript)
            return message + "; an effect is handled with handle E op x => value in expr (spec 0017)";
        }
        if ("for".equals(word.value) && forEachOf(at) instanceof String each) {
            return message + "; here: " + each;
        }
        return message;
    }

    /**
     * For {@code for x in xs} (Python, Rust, Swift) starting at token {@code at}, its loop as Osprey writes it,
     * {@code xs |> forEach(fn(x) => ...)} (a range of one argument given its start, as Osprey's range needs); null
     * for a loop of another form.
     */
    private String forEachOf(int at) {
        if (at < 0 || at + 3 >= tokens.size() || tokens.get(at + 1).kind != IDENT || tokens.get(at + 2).kind != IN) {
            return null;
        }
        // The loop's body starts at a '{' or ':' outside parentheses and brackets, or on the next line.
        int end = lineFrom(at + 3).counting(LPAREN, LBRACKET).toFirstOutside(LBRACE, COLON);
        if (end == at + 3) {
            return null;
        }
        String items = source.substring(tokens.get(at + 3).start, tokens.get(end - 1).end);
        java.util.regex.Matcher oneArgument = java.util.regex.Pattern.compile("range\\(([^,()]+)\\)").matcher(items);
        if (oneArgument.matches()) {
            items = "range(0, " + oneArgument.group(1).strip() + ")";
        }
        return items + " |> forEach(fn(" + tokens.get(at + 1).value + ") => ...)";
    }

    /**
     * Where a generic "expected ..." error falls on or just after a word of another language ({@code not a},
     * {@code a and b}, {@code let s = if x > 3 ...}, {@code fun add(...)}): that word, whose {@link #notOsprey}
     * says what to write instead, or null.
     */
    private Token foreignWord(Token at) {
        int i = tokens.indexOf(at);
        if (i < 0) {
            return null;
        }
        Token before = i > 0 ? tokens.get(i - 1) : null;
        if (before != null && before.kind == IDENT && "async".equals(before.value) && !at.newlineBefore) {
            return before; // `async function f()`, `async def f():`: the word to explain is async, not function
        }
        if (at.kind == IDENT && NOT_OSPREY_KEYWORDS.containsKey((String) at.value) && !writtenAsOsprey(i)) {
            return at;
        }
        if (before != null && before.kind == IDENT && NOT_OSPREY_KEYWORDS.containsKey((String) before.value) && !at.newlineBefore
                        && !writtenAsOsprey(i - 1)) {
            return before;
        }
        int open = before != null && before.kind == RPAREN && !at.newlineBefore ? matching(i - 1) : -1; // `if (x > 3) "big"`
        if (open > 0) {
            Token word = tokens.get(open - 1);
            return word.kind == IDENT && STATEMENT_WORDS.contains((String) word.value) ? word : null;
        }
        return null;
    }

    /**
     * Whether the word at {@code i}, one of {@link #NOT_OSPREY_KEYWORDS} that Osprey has too, is written as Osprey
     * writes it ({@code await(f)}, select and a brace): the error there is not the habit of another language, and the
     * hint would tell the program to write what it wrote (a select arm {@code v => await(f) => v}).
     */
    private boolean writtenAsOsprey(int i) {
        TokenKind next = i + 1 < tokens.size() ? tokens.get(i + 1).kind : EOF;
        return switch ((String) tokens.get(i).value) {
            case "await" -> next == LPAREN;
            case "select" -> next == LBRACE;
            default -> false;
        };
    }

    private Stmt importStmt() {
        Token kw = advance();
        StringBuilder path = new StringBuilder(expectIdent("a module name after 'import'"));
        while (accept(DOT)) {
            path.append('.').append(expectIdent("a module name after '.'"));
        }
        if (at(AS) && !nl(peek())) {
            throw error(peek(), "an import takes no 'as': imports are accepted and ignored (there is no module system yet),"
                            + " so there is no name to give the module");
        }
        return new Stmt.Import(kw.start, previous().end, path.toString());
    }

    /**
     * For several names bound at once by a comma, {@code let a, b = 1, 2} (at the comma after {@code first}): a tuple
     * taken apart by a pattern, {@code let (a, b) = (1, 2)}, written with the program's names and values where they
     * are on the line. A pattern binds only with let, so mut names each variable on its own.
     */
    private String severalNames(boolean mutable, String first) {
        List<String> names = new ArrayList<>(List.of(first));
        int i = p;
        while (i + 1 < tokens.size() && tokens.get(i).kind == COMMA && tokens.get(i + 1).kind == IDENT && !tokens.get(i + 1).newlineBefore) {
            names.add((String) tokens.get(i + 1).value);
            i += 2;
        }
        if (mutable) {
            return "a mut declares one variable: " + String.join(", ", names.stream().map(n -> "mut " + n + " = ...").toList());
        }
        String value = "(...)";
        if (i < tokens.size() && tokens.get(i).kind == ASSIGN && i + 1 < tokens.size() && !tokens.get(i + 1).newlineBefore) {
            int end = lineFrom(i + 1).toFirst(SEMICOLON); // the values are the rest of the line, or up to a ';'
            int from = tokens.get(i + 1).start;
            String written = source.substring(from, end > i + 1 ? tokens.get(end - 1).end : from);
            boolean commaOutside = lineFrom(i + 1).toFirstOutside(COMMA) < end; // `1, 2` is a tuple without its brackets; `f(1, 2)` is one value
            value = commaOutside ? "(" + written + ")" : written;
        }
        return "several names are bound by taking a tuple apart: let (" + String.join(", ", names) + ") = " + value;
    }

    /**
     * Whether {@code word} continues a statement of another language whose first word was the last error reported
     * ({@code except} and {@code finally} after {@code try:}, {@code elif} and {@code else} after {@code if x:}), so
     * that one construct is one error.
     */
    private boolean continuesReported(Token word) {
        String opener = switch ((String) word.value) {
            case "except", "finally" -> "try";
            case "elif", "else" -> "if";
            default -> null;
        };
        if (opener == null || diagnostics.isEmpty()) {
            return false;
        }
        String last = diagnostics.get(diagnostics.size() - 1).message();
        return last.equals(NOT_OSPREY_KEYWORDS.get(opener)) || last.equals(NOT_OSPREY_KEYWORDS.get((String) word.value))
                        || opener.equals("if") && last.equals(NOT_OSPREY_KEYWORDS.get("elif"));
    }

    /**
     * For TypeScript's union of string literals, {@code "up" | "down"} at the current token: the union Osprey writes,
     * {@code : Up | Down}, where each string is a word; else nothing.
     */
    private String literalUnion() {
        List<String> names = new ArrayList<>();
        TokenWalk w = walkFrom(p);
        while (w.next() && w.kind() == STRING) {
            Token string = w.token();
            String text = source.substring(string.start + 1, Math.max(string.start + 1, string.end - 1));
            if (!text.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                return "";
            }
            names.add(Character.toUpperCase(text.charAt(0)) + text.substring(1));
            if (!w.next() || w.kind() != BAR) {
                break;
            }
        }
        return names.isEmpty() ? "" : ": " + String.join(" | ", names);
    }

    /** For a function's body written after ':' and indented, as Python writes it: Osprey's two ways to write a body. */
    private static String indentedBody(Token name) {
        return "a function's body is not indented after ':': write fn " + name.text() + "(...) = value for one expression, or put the"
                        + " body in braces, fn " + name.text() + "(...) { ... }";
    }

    private Stmt let() {
        Token kw = advance();
        boolean mutable = kw.kind == MUT;
        // let Point { x, y } = p: the record pattern with its type's name, as a match arm writes it (a name alone,
        // let Red = 5, is a name)
        boolean typedRecord = at(IDENT) && Character.isUpperCase(((String) peek().value).charAt(0)) && peek(1).kind == LBRACE && !nl(peek(1));
        if (!mutable && (at(LBRACKET) || at(LPAREN) || at(LBRACE) || typedRecord)) {
            Pattern pat = pattern();
            expect(ASSIGN, "'=' after the pattern");
            Expr value = expression();
            return new Stmt.LetPattern(kw.start, value.end, pat, value);
        }
        Token nameTok = peek();
        if (!mutable && at(MUT)) {
            throw error(kw, "write 'mut " + (peek(1).kind == IDENT ? peek(1).value : "name") + " = ...' for a variable that can change: 'mut' replaces 'let'");
        }
        String name = expectIdent("a name after '" + (mutable ? "mut" : "let") + "'");
        TypeExpr annotation = null;
        if (accept(COLON)) {
            annotation = withoutEffects(type());
        }
        if (annotation == null && at(COMMA) && !nl(peek())) {
            throw error(peek(), severalNames(mutable, name)); // `let a, b = 1, 2` (Python, Go, JavaScript's var)
        }
        if (!at(ASSIGN)) {
            if (nl(peek()) || at(EOF)) {
                Token last = previous();
                errorAt(last.end, last.end + 1, "expected '=' and a value: every binding must be initialised (spec 0003)");
                throw new Bail();
            }
            if (annotation == null && at(MINUS) && peek().start == nameTok.end && peek(1).kind == IDENT && peek(1).start == peek().end) {
                // `let my-var = 5` (Lisp, CSS, shell): the '-' is a minus
                String rest = (String) peek(1).value;
                throw error(peek(), "a name cannot contain '-': write " + name + Character.toUpperCase(rest.charAt(0)) + rest.substring(1)
                                + " or " + name + "_" + rest);
            }
            throw error(peek(), "expected '=' and a value: every binding must be initialised (spec 0003), found " + describe(peek()));
        }
        advance();
        Expr value = valueExpression();
        return new Stmt.Let(kw.start, value.end, mutable, name, nameTok.start, annotation, value);
    }

    private Stmt.Fn fnDecl(String doc) {
        Token kw = advance();
        Token nameTok = advance();
        List<Stmt.TypeParam> typeParams = typeParams();
        expect(LPAREN, "'(' after the function name");
        List<Param> params = params(RPAREN);
        TypeExpr result = null;
        if (at(COLON) && (peek(1).newlineBefore || peek(1).kind == EOF)) {
            throw error(peek(), indentedBody(nameTok)); // `def area(r):` then the body indented (Python)
        }
        if (at(COLON)) {
            throw error(peek(), "the result type follows '->': fn " + nameTok.text() + "(...) -> Type");
        }
        if (accept(ARROW)) {
            result = type();
        }
        Token bang = peek();
        List<Stmt.EffectRef> effects = at(NOT) ? effectAnnotation() : null;
        if (effects != null && result == null && at(ARROW) && !nl(peek())) {
            // `fn f() !Log -> unit` (the order of Koka's `-> <log> ()` turned round)
            String written = source.substring(bang.start, previous().end);
            Token arrow = advance();
            TypeExpr r = type();
            throw error(arrow, "the effects follow the result type: fn " + nameTok.text() + "(...) -> " + source.substring(r.start, r.end) + " " + written);
        }
        Expr body;
        if (accept(ASSIGN)) {
            body = valueOrAssignment(); // `fn bump() -> unit = count = count + 1`, as a lambda's body may be
        } else if (at(LBRACE)) {
            body = block();
        } else if (peek().newlineBefore && peek().kind != EOF) {
            // `fn f(x: int) -> int` and the body forgotten: the error was at the next line's first word, as if
            // that word were what is wrong; it is after the signature, naming what came
            throw error(previous(), "expected '=' or '{' after this to start the body of '" + nameTok.text() + "', found "
                            + nextOnItsLine());
        } else if (at(COLON) && (peek(1).newlineBefore || peek(1).kind == EOF)) {
            throw error(peek(), indentedBody(nameTok)); // `fn main() -> int:` then the body indented
        } else {
            throw error(peek(), "expected '=' or '{' to start the body of '" + nameTok.text() + "', found " + describe(peek()));
        }
        Stmt.Fn fn = new Stmt.Fn(kw.start, body.end, nameTok.text(), nameTok.start, typeParams, params, result, body, doc);
        fn.effects = effects;
        return fn;
    }

    /**
     * {@code extern fn name(a: int, b: string) -> int} (spec 0003): a function of a C library, read as a function
     * whose body calls it ({@link Expr.Extern}), so that names, named arguments and types are a function's.
     * Parameter types are required and, with the result's, are C's: int (int64_t), float (double), bool and
     * string (char *); the result may also be unit (void), which it is when left out.
     */
    private Stmt.Fn externDecl(String doc) {
        Token kw = advance();
        if (!at(FN)) {
            throw error(peek(), "expected 'fn' after 'extern': extern fn name(a: int) -> int");
        }
        advance();
        Token nameTok = peek();
        String name = expectIdent("the extern function's name");
        if (at(LT)) {
            throw error(peek(), "an extern function has no type parameters: C's functions take the types it names");
        }
        expect(LPAREN, "'(' after the function name");
        List<Param> params = params(RPAREN);
        List<ExternType> types = new ArrayList<>();
        for (Param param : params) {
            if (param.type == null) {
                errorAt(param.start, param.end, "an extern function's parameters need their types (C's): " + param.name + ": int");
                throw new Bail();
            }
            types.add(externType(param.type, false));
        }
        TypeExpr result = null;
        ExternType gives = ExternType.UNIT;
        if (accept(ARROW)) {
            result = type();
            gives = externType(result, true);
        }
        if (at(NOT) && !peek().newlineBefore) {
            throw error(peek(), "an extern function performs no effects (spec 0017): it is the C function '" + name + "', which cannot perform one");
        }
        if (at(ASSIGN) || at(LBRACE) && !peek().newlineBefore) {
            throw error(peek(), "an extern function has no body: it is the C function '" + name + "' of a library");
        }
        List<Expr> args = new ArrayList<>();
        for (Param param : params) {
            args.add(new Expr.Ident(param.start, param.start + param.name.length(), param.name));
        }
        Expr body = new Expr.Extern(nameTok.start, previous().end, name, args, types, gives);
        return new Stmt.Fn(kw.start, previous().end, name, nameTok.start, List.of(), params, result, body, doc);
    }

    /** The C type of a type written in an extern declaration; refuses one an extern function cannot pass to C or get from it. */
    private ExternType externType(TypeExpr type, boolean result) {
        if (type instanceof TypeExpr.Named n && n.args.isEmpty() && ExternType.of(n.name, result) instanceof ExternType c) {
            return c;
        }
        errorAt(type.start, type.end, "an extern function " + (result ? "gives" : "takes") + " int, float, bool or string"
                        + (result ? " (or unit, for C's void)" : "") + ", C's int64_t, double, bool and char *: not " + source.substring(type.start, type.end));
        throw new Bail();
    }

    /** {@code !E} or {@code ![A, B]} after a function's result type (spec 0017 "Effectful Function Types"). */
    private List<Stmt.EffectRef> effectAnnotation() {
        advance(); // '!'
        List<Stmt.EffectRef> out = new ArrayList<>();
        if (at(LBRACKET)) {
            Token open = advance();
            newlineSignificant.push(false);
            try {
                while (!at(RBRACKET)) {
                    Token t = peek();
                    Stmt.EffectRef e = new Stmt.EffectRef(t.start, t.end, expectIdent("an effect name in the effect list"));
                    if (out.stream().anyMatch(other -> other.name.equals(e.name))) {
                        errorAt(t.start, t.end, "effect " + e.name + " is already in this effect list: name each effect once");
                    } else {
                        out.add(e);
                    }
                    if (!accept(COMMA)) {
                        break;
                    }
                }
                expectClosing(open, RBRACKET, "',' or ']' in the effect list");
            } finally {
                newlineSignificant.pop();
            }
            if (out.isEmpty()) {
                Token close = previous();
                errorAt(open.start, close.end, "an empty effect list: a function that performs no effect is written without '!'");
            }
            return out;
        }
        Token t = peek();
        out.add(new Stmt.EffectRef(t.start, t.end, expectIdent("an effect name after '!' (as in !State or ![State, Log])")));
        return out;
    }

    /** Whether the declarations of a module are being read (not those of its functions' blocks). */
    private boolean inModule;

    /** {@code module Name { let, mut and fn declarations }} (spec 0011). */
    private Stmt moduleDecl(String doc) {
        Token kw = advance();
        Token nameTok = peek();
        String name = expectIdent("a module name after 'module'");
        if (at(ASSIGN)) {
            throw error(peek(), "a module's declarations are written in braces, without '=': module " + name + " { fn f() = 1 }");
        }
        Token open = expect(LBRACE, "'{' and the module's declarations");
        newlineSignificant.push(true);
        List<Stmt> members = new ArrayList<>();
        inModule = true;
        try {
            for (Stmt s : statementsInBraces(open)) {
                if (s instanceof Stmt.Fn fn) {
                    fn.module = name;
                    members.add(fn);
                } else if (s instanceof Stmt.Let) {
                    members.add(s);
                } else {
                    errorAt(s.start, s.end, notAModuleMember(s, name));
                }
            }
            advance();
        } finally {
            newlineSignificant.pop();
            inModule = false;
        }
        return new Stmt.Module(kw.start, previous().end, name, nameTok.start, members, doc);
    }

    private static String notAModuleMember(Stmt s, String module) {
        String holds = "a module holds let, mut and fn declarations (spec 0011)";
        return switch (s) {
            case Stmt.LetPattern lp -> holds + ": a value of module " + module + " is one name, let name = ..., not a pattern";
            case Stmt.Import im -> "imports are written at the top level of the program, not in a module";
            default -> holds + "; a statement runs in one of its functions, or at the top level of the program (a module's values are"
                            + " initialised by their let and mut, in each fiber that uses them)";
        };
    }

    /** {@code effect Name { op: fn(T) -> R ... }}: operations one a line, or separated by ','. */
    private Stmt effectDecl(String doc) {
        Token kw = advance();
        Token nameTok = peek();
        String name = expectIdent("an effect name after 'effect'");
        if (at(ASSIGN)) {
            throw error(peek(), "an effect lists its operations in braces, without '=': effect " + name + " { op: fn(int) -> unit }");
        }
        if (at(LT)) {
            // effect State<T> (Koka, OCaml): as an operation cannot have type parameters, nor can its effect.
            throw error(peek(), "an effect cannot have type parameters: write effect " + name + " { ... } with the types its operations"
                            + " take and give (int, string, any, ...)");
        }
        Token open = expect(LBRACE, "'{' and the effect's operations");
        List<Stmt.OpDecl> ops = new ArrayList<>();
        newlineSignificant.push(false);
        try {
            while (!at(RBRACE)) {
                Token opTok = peek();
                String unclosed = "this '{' of effect " + name + " is never closed: expected '}' after its operations";
                if (at(EOF)) {
                    throw unfinished(open, unclosed); // placed at the '{' as below, but the input may go on
                }
                if (opTok.newlineBefore && (at(LET) || at(MUT) || at(TYPE) || at(EFFECT) || at(HANDLE)
                                || at(FN) && peek(1).kind != COLON)) {
                    throw error(open, unclosed);
                }
                String op = at(FN) && peek(1).kind == COLON ? (String) advance().value : expectIdent("an operation name");
                if (at(LPAREN)) {
                    // `log(message: string) -> unit`, as a function is declared: the hint is written with its own types
                    Token lp = advance();
                    List<Param> ps = params(RPAREN);
                    TypeExpr r = accept(ARROW) ? type() : null;
                    String shown = "fn(int) -> unit";
                    if (ps.stream().allMatch(x -> x.type != null)) {
                        shown = "fn(" + String.join(", ", ps.stream().map(x -> source.substring(x.type.start, x.type.end)).toList()) + ") -> "
                                        + (r == null ? "unit" : source.substring(r.start, r.end));
                    }
                    throw error(lp, "an operation is declared with its function type: " + op + ": " + shown);
                }
                String generic = "operation '" + op + "' of effect '" + name + "' is written with type parameters, but an effect's operations"
                                + " cannot have type parameters: write the types it takes and gives (int, string, any, ...)";
                if (at(LT)) { // pick<T>: fn(T) -> T
                    throw error(peek(), generic);
                }
                expect(COLON, "':' and the operation's type after '" + op + "'");
                if (at(FN) && peek(1).kind == LT) { // pick: fn<T>(T) -> T, as a generic function is declared
                    throw error(peek(1), generic);
                }
                TypeExpr type = type();
                if (!(type instanceof TypeExpr.Function f)) {
                    errorAt(type.start, type.end, "an operation's type is a function type: " + op + ": fn(" + source.substring(type.start, type.end)
                                    + ") -> unit");
                    throw new Bail();
                }
                for (Stmt.OpDecl other : ops) {
                    if (other.name.equals(op)) {
                        errorAt(opTok.start, opTok.end, "operation '" + op + "' is already declared in effect " + name + " at line " + lineOf(other.start));
                    }
                }
                ops.add(new Stmt.OpDecl(opTok.start, type.end, op, f));
                if (!accept(COMMA) && !accept(SEMICOLON) && !at(RBRACE) && !peek().newlineBefore) {
                    throw error(peek(), "expected a line break, ',' or '}' after the operation, found " + describe(peek()));
                }
            }
            expect(RBRACE, "'}' to close the effect");
        } finally {
            newlineSignificant.pop();
        }
        if (ops.isEmpty()) {
            errorAt(kw.start, previous().end, "an effect declares at least one operation: effect " + name + " { op: fn(int) -> unit }");
        }
        return new Stmt.EffectDecl(kw.start, previous().end, name, nameTok.start, ops, doc);
    }

    /** {@code perform Effect.op(args)} (spec 0017 "Performing Operations"). */
    private Expr perform() {
        Token kw = advance();
        Token effectTok = peek();
        if (at(IDENT) && peek(1).kind == LPAREN) {
            throw error(effectTok, "perform names the effect and its operation: perform Effect." + effectTok.value + "(...)");
        }
        String effect = expectIdent("an effect name after 'perform' (perform Effect.op(...))");
        if (!at(DOT)) {
            throw error(peek(), "expected '.' and an operation after the effect: perform " + effect + ".op(...), found " + describe(peek()));
        }
        advance();
        Token opTok = peek();
        String op = expectIdent("an operation name after '" + effect + ".'");
        if (!at(LPAREN) || nl(peek())) {
            Token after = previous();
            errorAt(after.end, after.end + 1, "an operation is performed with its arguments in parentheses: perform " + effect + "." + op + "()");
            throw new Bail();
        }
        advance();
        List<Arg> args = arguments();
        return new Expr.Perform(kw.start, previous().end, effect, effectTok.start, op, opTok.start, args);
    }

    /**
     * {@code handle Effect arm+ in body}, an arm {@code op a b => value}. After 'in', a body on the same line is
     * one expression; a body on the lines below is every statement indented as far as its first line.
     */
    private Expr handle() {
        Token kw = advance();
        Token effectTok = peek();
        String effect = expectIdent("the name of the effect to handle after 'handle'");
        List<Expr.HandlerArm> arms = new ArrayList<>();
        try {
            arms(effect, arms);
        } catch (Bail b) {
            // The rest of the arms up to 'in', and the body after it, are this handle's: skipped with the
            // broken arm, so that they are not read as statements of their own.
            skipRestOfHandle();
            throw b;
        }
        if (arms.isEmpty()) {
            throw error(peek(), "a handler needs at least one arm before 'in': handle " + effect + " op x => value in expression");
        }
        Token in = advance();
        if (at(EOF) || at(RBRACE) || at(RPAREN)) {
            throw error(peek(), "expected the expression the handler covers after 'in', found " + describe(peek()));
        }
        Expr body;
        if (!peek().newlineBefore) {
            body = expression();
        } else {
            body = indentedBody(indentOf(kw.start));
        }
        return new Expr.Handle(kw.start, body.end, effect, effectTok.start, arms, body);
    }

    /** After an error in a handler's arms: skips to its 'in' and past the body below it (or to the end of the line after it). */
    private void skipRestOfHandle() {
        p = walkFrom(p).toFirstOutside(IN, RBRACE);
        if (!at(IN)) {
            return;
        }
        Token in = advance();
        int indent = peek().newlineBefore ? indentOf(peek().start) : -1;
        while (!at(EOF) && !at(RBRACE) && (!peek().newlineBefore || indent >= 0 && indentOf(peek().start) >= indent && peek().start > in.end)) {
            int close = at(LBRACE) || at(LPAREN) || at(LBRACKET) ? matching(p) : -1;
            if (close > 0) {
                p = close; // over the brackets, then past their closer
            } else if (at(LBRACE)) {
                p = tokens.size() - 1; // a '{' never closed holds the rest of the input
                continue;
            }
            advance();
        }
    }

    /** A handler's arms, up to its 'in'. */
    private void arms(String effect, List<Expr.HandlerArm> arms) {
        while (!at(IN)) {
            Token opTok = peek();
            if (at(EOF) || at(RBRACE) || at(RPAREN) || at(RBRACKET)) {
                if (arms.isEmpty()) {
                    throw error(peek(), "a handler needs arms and 'in': handle " + effect + " op x => value in expression, found " + describe(peek()));
                }
                throw error(peek(), "expected 'in' and the expression the handler covers after the arms of handle " + effect + ", found "
                                + describe(peek()));
            }
            if (!arms.isEmpty() && opTok.newlineBefore && !nextLineIsAnArm()) {
                // `handle E` and its arms, then the next statement: the 'in' and the expression it covers are missing
                Token last = previous();
                errorAt(last.end, last.end + 1, "expected 'in' and the expression the handler covers after the arms of handle " + effect
                                + " (the next line is no arm: it has no '=>')");
                throw new Bail();
            }
            if (at(LBRACE)) {
                throw error(peek(), "a handler's arms are not in braces: handle " + effect + " then op x => value on the lines below, then in and"
                                + " the expression it covers");
            }
            String op = expectIdent("an operation name for an arm of handle " + effect);
            List<Param> params = new ArrayList<>();
            while (at(IDENT)) {
                Token pt = advance();
                params.add(new Param(pt.start, pt.end, pt.text(), null));
            }
            if (at(LPAREN)) {
                // `set(v) =>`: the parameters as other languages write them
                List<String> names = new ArrayList<>();
                int close = matching(p);
                for (int i = p + 1; close > 0 && i < close; i++) {
                    // A parameter's name, not the words of its type (`log(m: string)` is `log m`, not `log m string`):
                    // after the '(' or a ',', before a ':', a ',' or the ')'.
                    TokenKind before = tokens.get(i - 1).kind;
                    TokenKind after = tokens.get(i + 1).kind;
                    if (tokens.get(i).kind == IDENT && (i == p + 1 || before == COMMA) && (after == COLON || after == COMMA || i + 1 == close)) {
                        names.add(tokens.get(i).text());
                    }
                }
                throw error(peek(), "an arm's parameters are names separated by spaces, without parentheses: " + op
                                + (names.isEmpty() ? "" : " " + String.join(" ", names)) + " => ...");
            }
            if (at(DOT) && params.isEmpty() && peek(1).kind == IDENT && !nl(peek(1))) {
                // `Log.log m =>`: the operation as a perform names it
                List<String> words = new ArrayList<>(); // the operation and the names after it on its line
                for (TokenWalk w = lineFrom(p + 1); w.next() && w.kind() == IDENT;) {
                    words.add(w.token().text());
                }
                String arm = String.join(" ", words);
                throw error(peek(), "an arm names its operation alone, as handle " + effect + " has named the effect: " + arm + " => value, not "
                                + op + "." + arm + " => value");
            }
            if (!at(FAT_ARROW)) {
                throw error(peek(), (at(ARROW) ? "a handler arm uses '=>'" : "expected '=>' after the arm's parameters, found " + describe(peek()))
                                + ": " + op + (params.isEmpty() ? "" : " x") + " => value");
            }
            Token arrow = advance();
            if (at(IN) || at(EOF)) {
                throw error(arrow, "expected the arm's value after '=>'");
            }
            Expr body = valueOrAssignment();
            Expr.Lambda fn = new Expr.Lambda(opTok.start, body.end, params, null, body);
            arms.add(new Expr.HandlerArm(opTok.start, body.end, op, opTok.end, fn));
        }
    }

    /**
     * The statements after a line break following 'in': those indented as far as the first one, when it is
     * indented more than the line where the handle starts; otherwise only the first (`let r = handle ...` with
     * `in` and its expression at the let's own indentation: the lines after them are no longer the handle's).
     */
    private Expr indentedBody(int handleIndent) {
        int indent = indentOf(peek().start);
        boolean one = indent <= handleIndent;
        int start = peek().start;
        List<Stmt> stmts = new ArrayList<>();
        newlineSignificant.push(true);
        boolean saveNoStruct = noStruct;
        noStruct = false;
        try {
            while (!at(EOF) && !at(RBRACE) && !at(RPAREN) && !at(RBRACKET)
                            && (stmts.isEmpty() || !peek().newlineBefore && !one || !one && indentOf(peek().start) >= indent)) {
                if (accept(SEMICOLON)) {
                    continue;
                }
                Stmt s = statement(false);
                endOfStatement(s);
                stmts.add(s);
            }
        } finally {
            noStruct = saveNoStruct;
            newlineSignificant.pop();
        }
        Expr result = null;
        if (!stmts.isEmpty() && stmts.get(stmts.size() - 1) instanceof Stmt.ExprStmt es) {
            stmts.remove(stmts.size() - 1);
            result = es.expr;
        }
        if (stmts.isEmpty() && result != null) {
            return result;
        }
        return new Expr.Block(start, previous().end, stmts, result);
    }

    private List<Stmt.TypeParam> typeParams() {
        List<Stmt.TypeParam> out = new ArrayList<>();
        if (accept(LT)) {
            do {
                Token t = peek();
                out.add(new Stmt.TypeParam(t.start, t.end, expectIdent("a type parameter name")));
            } while (accept(COMMA));
            expect(GT, "'>' to close the type parameters");
        }
        return out;
    }

    /** Parameters up to and including the closing token; each {@code name} or {@code name: Type}. */
    private List<Param> params(TokenKind close) {
        List<Param> params = new ArrayList<>();
        newlineSignificant.push(false);
        try {
            while (!at(close)) {
                Token name = peek();
                String n;
                if (at(FN) && peek(1).kind == COLON) {
                    advance();
                    n = "fn";
                } else if (at(LPAREN) || at(LBRACKET) || at(LBRACE)) {
                    // fn((k, v)) => k, fn([a, b]) => a: JavaScript's, Python 2's and Rust's destructuring parameters
                    throw error(name, "expected a parameter name, found " + describe(name)
                                    + ": a parameter is a name; take the value whole and destructure it in the body, "
                                    + (at(LPAREN) ? "fn(pair) => match pair { (k, v) => k }"
                                                    : at(LBRACKET) ? "fn(xs) => match xs { [a, b] => a  _ => 0 }" : "fn(p) => p.x"));
                } else {
                    n = expectIdent("a parameter name"); // `_` too, a name (spec 0002) the body does not use
                }
                TypeExpr t = null;
                if (accept(COLON)) {
                    t = withoutEffects(type());
                }
                params.add(new Param(name.start, previous().end, n, t));
                if (!accept(COMMA)) {
                    break;
                }
            }
            if (at(ASSIGN)) {
                throw error(peek(), "Osprey has no default parameter values: each call gives every argument");
            }
            expect(close, close == RPAREN ? "',' or ')' in the parameter list" : "',' or '|' in the parameter list");
        } finally {
            newlineSignificant.pop();
        }
        return params;
    }

    private Stmt.TypeDecl typeDecl(String doc) {
        Token kw = advance();
        Token nameTok = peek();
        String name = expectIdent("a type name after 'type'");
        List<Stmt.TypeParam> typeParams = typeParams();
        Token assign = expect(ASSIGN, "'=' after the type name");
        if (peek().newlineBefore && peek().kind != IDENT && peek().value instanceof String w && Lexer.isKeyword(w)) {
            // `type Color =` and the variants forgotten: the next line's `let` is no variant name to complain of
            throw error(assign, "expected the variants (A | B) or the fields ({ name: type, ... }) of '" + name + "' after '=', found "
                            + nextOnItsLine());
        }
        if (at(LBRACE)) {
            List<Stmt.FieldDecl> fields = fieldDecls();
            String validator = null;
            int validatorStart = -1;
            if (at(IDENT) && "where".equals(peek().value)) {
                advance();
                validatorStart = peek().start;
                validator = expectIdent("a validation function name after 'where'");
            }
            return new Stmt.TypeDecl(kw.start, previous().end, name, nameTok.start, typeParams, fields, null, null,
                            validator, validatorStart, doc);
        }
        if (at(LPAREN) || at(FN)) {
            TypeExpr alias = type();
            return new Stmt.TypeDecl(kw.start, alias.end, name, nameTok.start, typeParams, null, null, alias, null, -1, doc);
        }
        accept(BAR);
        List<Stmt.VariantDecl> variants = new ArrayList<>();
        do {
            Token vt = peek();
            if (at(STRING) && variants.isEmpty()) {
                throw error(vt, "a union's variants are names, not strings" + literalUnion()); // `type Dir = "up" | "down"` (TypeScript)
            }
            String vname = expectIdent("a variant name");
            if (at(LT) && variants.isEmpty()) {
                // `type X = List<int>`: a generic type on the right is an alias, never a variant.
                p--;
                TypeExpr alias = type();
                return new Stmt.TypeDecl(kw.start, alias.end, name, nameTok.start, typeParams, null, null, alias, null, -1, doc);
            }
            List<Stmt.FieldDecl> fields = null;
            if (at(LBRACE) && !nl(peek())) {
                fields = fieldDecls();
            }
            variants.add(new Stmt.VariantDecl(vt.start, previous().end, vname, fields));
        } while (accept(BAR));
        return new Stmt.TypeDecl(kw.start, previous().end, name, nameTok.start, typeParams, null, variants, null, null, -1, doc);
    }

    private List<Stmt.FieldDecl> fieldDecls() {
        Token open = expect(LBRACE, "'{'");
        List<Stmt.FieldDecl> fields = new ArrayList<>();
        newlineSignificant.push(false);
        try {
            while (!at(RBRACE)) {
                Token ft = peek();
                if (ft.newlineBefore && (ft.kind == LET || ft.kind == FN || ft.kind == MUT || ft.kind == TYPE || ft.kind == EOF)
                                && peek(1).kind != COLON) {
                    throw error(ft, "expected '}' to close the fields opened at line " + lineOf(open.start) + ", found " + describe(ft));
                }
                String fname = expectFieldName("a field name");
                expect(COLON, "':' and a type after field '" + fname + "'");
                TypeExpr t = withoutEffects(type());
                fields.add(new Stmt.FieldDecl(ft.start, t.end, fname, t));
                if (!accept(COMMA) && !at(RBRACE) && !peek().newlineBefore) {
                    throw error(peek(), at(SEMICOLON) ? "the fields of a type are separated by ',' (or line breaks), not ';'"
                                    : at(IDENT) && "where".equals(peek().value) ? "a 'where' constraint validates the whole record, after its fields: type T = { ... } where validate (spec 0004)"
                                    : "expected ',' or '}' after the field, found " + describe(peek()));
                }
            }
            expect(RBRACE, "'}' to close the fields");
        } finally {
            newlineSignificant.pop();
        }
        return fields;
    }

    // ---------------------------------------------------------------- types

    private TypeExpr type() {
        Token t = peek();
        if (at(FN)) {
            advance();
            expect(LPAREN, "'(' after 'fn' in a function type");
            List<TypeExpr> ps = typeList(RPAREN);
            expect(ARROW, "'->' and a result type in the function type");
            TypeExpr r = type();
            return new TypeExpr.Function(t.start, r.end, ps, r);
        }
        if (at(LPAREN)) {
            advance();
            List<TypeExpr> ps = typeList(RPAREN);
            if (ps.size() == 1 && tokens.get(p - 2).kind == COMMA && !at(ARROW)) {
                Token comma = tokens.get(p - 2);
                errorAt(comma.start, comma.end, "a tuple type has two or more elements: write "
                                + source.substring(t.end, comma.start).strip() + " without the parentheses and ','");
            }
            if (accept(ARROW)) {
                TypeExpr r = type();
                return new TypeExpr.Function(t.start, r.end, ps, r);
            }
            if (ps.size() == 1) {
                return ps.get(0);
            }
            if (ps.isEmpty()) {
                return new TypeExpr.Named(t.start, previous().end, "unit", List.of());
            }
            return new TypeExpr.Tuple(t.start, previous().end, ps);
        }
        String name = expectIdent("a type");
        List<TypeExpr> args = List.of();
        if (at(LBRACKET) && !nl(peek())) {
            throw error(peek(), peek(1).kind == RBRACKET ? "a list type is written List<" + name + ">"
                            : "type arguments go in angle brackets: " + name + "<" + (peek(1).kind == IDENT && peek(2).kind == RBRACKET ? peek(1).value : "...") + ">");
        }
        if (at(ARROW) && !nl(peek()) && !newlineSignificant.isEmpty() && !newlineSignificant.peek()) {
            throw error(peek(), "a function type has its parameters in parentheses: (" + name + ") -> ...");
        }
        if (at(LT) && !nl(peek())) {
            advance();
            args = typeList(GT);
        }
        return new TypeExpr.Named(t.start, previous().end, name, args);
    }

    /**
     * After a type that nothing may follow but a separator: {@code (int) -> int !Log} there is a function type
     * written with effects, which the language does not have (only a declared function carries them), so the
     * '!' gets that said instead of a generic "expected ','". After a declaration's result type ({@code fn f()
     * -> (int) -> int !Log}) the effects are the declared function's, and this is not called.
     */
    private TypeExpr withoutEffects(TypeExpr t) {
        if (at(NOT) && !nl(peek()) && t instanceof TypeExpr.Function) {
            throw error(peek(), "a function type cannot carry effects, only a declared function can (fn f() -> int !E): write the type without '!"
                            + (peek(1).kind == IDENT && !nl(peek(1)) ? peek(1).value : peek(1).kind == LBRACKET ? "[...]" : "...") + "' (a function value's effects count where it is"
                            + " written, spec 0017)");
        }
        return t;
    }

    /** Types separated by commas up to and including {@code close}. */
    private List<TypeExpr> typeList(TokenKind close) {
        List<TypeExpr> out = new ArrayList<>();
        newlineSignificant.push(false);
        try {
            while (!at(close)) {
                out.add(withoutEffects(type()));
                if (!accept(COMMA)) {
                    break;
                }
            }
            if (close == GT && at(GE) && tokens instanceof ArrayList<Token> list) {
                // `List<List<int>>= [[1]]`: the lexer read the last '>' and the '=' as one '>='.
                Token ge = peek();
                list.set(p, new Token(GT, ge.start, ge.start + 1, ge.newlineBefore, null, null));
                list.add(p + 1, new Token(ASSIGN, ge.start + 1, ge.end, false, null, null));
                partners = null; // made before the split, it would pair the brackets after it by their old places
            }
            expect(close, close == GT ? "',' or '>' in the type arguments" : "',' or ')' in the type list");
        } finally {
            newlineSignificant.pop();
        }
        return out;
    }

    // ---------------------------------------------------------------- expressions

    public Expr expression() {
        Expr cond = or();
        Token q = peek();
        if (q.kind == QUESTION && pending == null && (peek(1).kind == RPAREN || peek(1).kind == COMMA || peek(1).kind == RBRACE
                        || peek(1).kind == RBRACKET || peek(1).kind == SEMICOLON || peek(1).newlineBefore && noTernaryColon(p + 1))) {
            throw error(q, "Osprey has no '?' operator for Results: match the Result, or give a default with ?: (spec 0013)");
        }
        if (q.kind == QUESTION) {
            boolean endsLine = peek(1).newlineBefore;
            advance();
            String message = "Osprey has no '?' operator for Results: match the Result, or give a default with ?: (spec 0013)";
            if (at(EOF)) {
                // `let v = parse(s)?` as the last line: Rust's '?'. A REPL entry may still go on, so that stays incomplete.
                throw unfinished(q, message + "; a ternary needs its then-value, ':' and its else-value");
            }
            Expr then = expression();
            if (endsLine && !at(COLON)) {
                // `let v = parse(s)?` with only expressions after it to the end of the file: no ':' came, so
                // the '?' was Rust's. At the end of the input a REPL entry may still go on, so that stays incomplete.
                if (!at(EOF)) {
                    throw error(q, message);
                }
                throw unfinished(q, message + "; a ternary needs ':' and its else-value");
            }
            expect(COLON, "':' and the else-value of the ternary");
            Expr otherwise = expression();
            if (pending != null && pending.subject == cond) {
                Pattern pat = pending.pattern;
                pending = null;
                List<Arm> arms = List.of(new Arm(pat.start, then.end, pat, null, then),
                                new Arm(otherwise.start, otherwise.end, new Pattern.Wildcard(otherwise.start, otherwise.start), null, otherwise));
                return new Expr.Match(cond.start, otherwise.end, cond, arms, Expr.MatchForm.TERNARY);
            }
            List<Arm> arms = List.of(
                            new Arm(then.start, then.end, new Pattern.Literal(q.start, q.end, Boolean.TRUE), null, then),
                            new Arm(otherwise.start, otherwise.end, new Pattern.Literal(q.start, q.end, Boolean.FALSE), null, otherwise));
            return new Expr.Match(cond.start, otherwise.end, cond, arms, Expr.MatchForm.TERNARY);
        }
        if (pending != null && pending.subject == cond) {
            throw error(peek(), "expected '?' after the pattern test '{ ... }', found " + describe(peek()));
        }
        if (q.kind == ELVIS) {
            advance();
            Expr dflt = expression();
            String v = "$value" + (syntheticCounter++);
            Pattern success = new Pattern.Constructor(q.start, q.end, "Success", null,
                            List.of(new Pattern.Binder(q.start, q.end, v)));
            List<Arm> arms = List.of(new Arm(q.start, q.end, success, null, new Expr.Ident(q.start, q.end, v)),
                            new Arm(dflt.start, dflt.end, new Pattern.Wildcard(q.start, q.end), null, dflt));
            return new Expr.Match(cond.start, dflt.end, cond, arms, Expr.MatchForm.ELVIS);
        }
        return cond;
    }

    private Expr or() {
        Expr left = and();
        while (at(OR)) {
            advance();
            Expr right = and();
            left = new Expr.Binary(left.start, right.end, BinOp.OR, left, right);
        }
        return left;
    }

    private Expr and() {
        Expr left = comparison();
        while (at(AND)) {
            advance();
            Expr right = comparison();
            left = new Expr.Binary(left.start, right.end, BinOp.AND, left, right);
        }
        return left;
    }

    private Expr comparison() {
        Expr left = additive();
        while (true) {
            BinOp op = switch (peek().kind) {
                case EQ -> BinOp.EQ;
                case NE -> BinOp.NE;
                case LT -> BinOp.LT;
                case GT -> BinOp.GT;
                case LE -> BinOp.LE;
                case GE -> BinOp.GE;
                default -> null;
            };
            if (op == null) {
                return left;
            }
            Token opToken = advance();
            if (left instanceof Expr.Binary lb && lb.op == BinOp.LT && op == BinOp.GT && at(LPAREN) && !peek().newlineBefore
                            && !parenthesized(lb) && lb.left instanceof Expr.Ident callee && lb.right instanceof Expr.Ident type
                            && (PRIMITIVE_TYPE_NAMES.contains(type.name) || Character.isUpperCase(type.name.charAt(0)))) {
                // `same<int>(3)`: type arguments at a call, as in Rust, Java or TypeScript
                errorAt(lb.right.start, lb.right.end, "a call takes no type arguments: write " + callee.name
                                + source.substring(peek().start, closingParenEnd()) + " (the types are inferred at each call)");
                throw new Bail();
            }
            Expr right = additive();
            if (left instanceof Expr.Binary lb && isOrdering(lb.op) && isOrdering(op) && !parenthesized(lb)) {
                throw error(opToken, "comparisons cannot be chained: write " + source.substring(lb.left.start, lb.right.end) + " && "
                                + source.substring(lb.right.start, lb.right.end) + " " + opToken.kind.display.replace("'", "") + " "
                                + source.substring(right.start, right.end));
            }
            left = new Expr.Binary(left.start, right.end, op, left, right);
        }
    }

    /** At a '(': where the ')' that closes it ends, or the end of the input if none does. */
    private int closingParenEnd() {
        int close = matching(p);
        return close >= 0 ? tokens.get(close).end : tokens.get(tokens.size() - 1).start;
    }

    /**
     * After a '?' at the end of a line: no ':' of a ternary follows before the statement ends (its enclosing
     * bracket closes, or a line starts a declaration), so the '?' is Rust's. At the end of the input the
     * ternary may still come (an unfinished REPL entry), so that is not a yes.
     */
    private boolean noTernaryColon(int from) {
        TokenWalk w = walkFrom(from);
        while (w.next()) {
            TokenKind k = w.kind();
            if (w.depth() > 0) {
                continue;
            }
            if (k == COLON) {
                return false;
            }
            if (k == RPAREN || k == RBRACKET || k == RBRACE || w.token().newlineBefore && (k == LET || k == MUT || k == FN || k == TYPE)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOrdering(BinOp op) {
        return op == BinOp.LT || op == BinOp.GT || op == BinOp.LE || op == BinOp.GE;
    }

    private boolean parenthesized(Expr e) {
        return e.start > 0 && source.charAt(e.start - 1) == '(' && e.end < source.length() && source.charAt(e.end) == ')';
    }

    private Expr additive() {
        Expr left = multiplicative();
        while ((at(PLUS) || at(MINUS)) && !nl(peek()) && !negativePatternAhead()) {
            BinOp op = advance().kind == PLUS ? BinOp.ADD : BinOp.SUB;
            Expr right = multiplicative();
            left = new Expr.Binary(left.start, right.end, op, left, right);
        }
        return left;
    }

    private Expr multiplicative() {
        Expr left = unary();
        while (at(STAR) || at(SLASH) || at(PERCENT)) {
            TokenKind k = advance().kind;
            BinOp op = k == STAR ? BinOp.MUL : k == SLASH ? BinOp.DIV : BinOp.MOD;
            Expr right = unary();
            left = new Expr.Binary(left.start, right.end, op, left, right);
        }
        return left;
    }

    private Expr unary() {
        Token t = peek();
        if (t.kind == MINUS || t.kind == PLUS || t.kind == NOT) {
            advance();
            Token n = peek();
            boolean smallestInt = t.kind == MINUS && n.kind == INT && (Long) n.value == Long.MIN_VALUE;
            if (t.kind != NOT && (n.kind == INT || n.kind == FLOAT) && (n.start == t.end || smallestInt) && peek(1).kind != PIPE) {
                // -17 is a literal (spec 0002), which is also how the smallest int is written, with a space after
                // the minus too (as Java allows): 9223372036854775808 has no other meaning.
                advance();
                Expr lit;
                if (n.kind == INT) {
                    long v = (Long) n.value;
                    lit = new Expr.IntLit(t.start, n.end, t.kind == MINUS ? -v : v);
                    if (t.kind == PLUS && v == Long.MIN_VALUE) {
                        errorAt(n.start, n.end, "integer literal '" + n.value + "' does not fit in a 64-bit int");
                    }
                } else {
                    double v = (Double) n.value;
                    lit = new Expr.FloatLit(t.start, n.end, t.kind == MINUS ? -v : v);
                }
                return postfixOps(lit);
            }
            Expr operand = unary();
            return new Expr.Unary(t.start, operand.end, t.kind == MINUS ? '-' : t.kind == PLUS ? '+' : '!', operand);
        }
        Expr e = pipe();
        if (e instanceof Expr.IntLit il && il.value == Long.MIN_VALUE) {
            errorAt(e.start, e.end, "integer literal '9223372036854775808' does not fit in a 64-bit int");
        }
        return e;
    }

    /** {@code x |> f}, {@code x |> f(a, b)}: the left side becomes the first argument (spec 0010). */
    private Expr pipe() {
        Expr left = postfix();
        while (at(PIPE)) {
            advance();
            Expr right = postfix();
            left = injectFirst(left, right);
        }
        return left;
    }

    private Expr injectFirst(Expr subject, Expr target) {
        Arg injected = new Arg(subject.start, subject.end, null, subject, true);
        if (target instanceof Expr.Call c && !c.fromPipe) {
            List<Arg> args = new ArrayList<>();
            args.add(injected);
            args.addAll(c.args);
            return new Expr.Call(subject.start, c.end, c.callee, args, true);
        }
        if (target instanceof Expr.MethodCall m) {
            List<Arg> args = new ArrayList<>();
            args.add(injected);
            args.addAll(m.args);
            return new Expr.MethodCall(subject.start, m.end, m.receiver, m.name, m.nameStart, args);
        }
        return new Expr.Call(subject.start, target.end, target, List.of(injected), true);
    }

    private Expr postfix() {
        return postfixOps(primary());
    }

    private Expr postfixOps(Expr e) {
        while (true) {
            Token t = peek();
            if (t.kind == LPAREN && !nl(t) && !nextArmAhead()) {
                advance();
                List<Arg> args = arguments();
                e = new Expr.Call(e.start, previous().end, e, args, false);
            } else if (t.kind == DOT) {
                advance();
                Token nameTok = peek();
                if (at(INT)) {
                    throw error(peek(), "a tuple's parts have no names or numbers: take them apart with a pattern, let (a, b) = t");
                }
                String name = expectFieldName("a field or function name after '.'");
                if (at(LPAREN) && !nl(peek())) {
                    advance();
                    List<Arg> args = arguments();
                    e = new Expr.MethodCall(e.start, previous().end, e, name, nameTok.start, args);
                } else {
                    e = new Expr.FieldAccess(e.start, nameTok.end, e, name, nameTok.start);
                }
            } else if (t.kind == LBRACKET && !nl(t) && !nextArmAhead()) {
                advance();
                newlineSignificant.push(false);
                try {
                    Expr index = expression();
                    if (at(COLON)) {
                        throw error(peek(), "Osprey has no slices: substring(s, start, end), take(s, n) and drop(s, n)"
                                        + " take part of a string");
                    }
                    expect(RBRACKET, "']' to close the index");
                    e = new Expr.Index(e.start, previous().end, e, index);
                } finally {
                    newlineSignificant.pop();
                }
            } else if (t.kind == IDENT && "with".equals(t.value) && !nl(t) && peek(1).kind == LBRACE) {
                // p with { x: 3 } (F#, OCaml, C#'s records)
                String subject = source.substring(e.start, e.end).strip();
                String field = peek(2).kind == IDENT ? peek(2).value + ": ..." : "...";
                throw error(t, "a copy of a record with other fields is written without 'with': " + (subject.length() > 30 ? "r" : subject)
                                + " { " + field + " } (spec 0004)");
            } else if (t.kind == AS && !nl(t)) {
                throw error(t, asConversion(e));
            } else if (t.kind == LBRACE && !nl(t) && !noStruct && isPatternTestAhead(p)) {
                Pattern pat = fieldsPattern(t.start, null);
                pending = new PendingPatternTest(e, pat);
                return e;
            } else if (t.kind == LBRACE && !nl(t) && !noStruct && (peek(1).kind == IDENT || peek(1).value instanceof String v && Lexer.isKeyword(v))
                            && peek(2).kind == COLON) {
                List<Expr.FieldInit> fields = fieldInits();
                e = new Expr.RecordUpdate(e.start, previous().end, e, fields);
            } else {
                return e;
            }
        }
    }

    /**
     * At 'as' after {@code e}: {@code 3 as float} (Rust, TypeScript, Kotlin). 'as' is a keyword (spec 0002) that
     * no construct uses; values are converted by functions.
     */
    private String asConversion(Expr e) {
        String text = source.substring(e.start, e.end);
        if (text.length() > 40 || text.contains("\n")) {
            text = "...";
        }
        String function = switch (peek(1).value instanceof String name ? name : "") {
            case "float", "Float", "f64", "f32", "double", "Double" -> "toFloat";
            case "int", "Int", "i64", "i32", "u8", "usize", "long", "Long" -> "toInt";
            case "string", "String", "str" -> "toString";
            default -> null;
        };
        return function != null
                        ? "Osprey has no 'as' conversions: write " + function + "(" + text + ")"
                                        + (function.equals("toString") ? "" : " (parseInt and parseFloat read a number from a string)")
                        : "Osprey has no 'as' conversions: a value keeps its type; toInt, toFloat and toString convert numbers"
                                        + " and text, and a match takes a value of a union or of 'any' apart";
    }

    /** After {@code match Name}: does {@code { field: value, } } follow, rather than match arms? */
    private boolean looksLikeRecordFields() {
        if (!(peek(1).kind == IDENT && peek(2).kind == COLON)) {
            return false;
        }
        Token v = peek(3);
        boolean value = switch (v.kind) {
            case INT, FLOAT, STRING, TRUE, FALSE, MINUS -> true;
            case IDENT -> Character.isLowerCase(((String) v.value).charAt(0)) && !PRIMITIVE_TYPE_NAMES.contains((String) v.value);
            default -> false;
        };
        TokenKind after = peek(v.kind == MINUS ? 5 : 4).kind;
        return value && (after == COMMA || after == RBRACE);
    }

    /**
     * At a '{' after a match's scrutinee: braces starting with 'name:' and, on the same line after them, another
     * '{' ({@code match acc { balance: acc.balance + delta }} then '{'), whatever the fields' values are. The first
     * braces were meant as a record literal or update, the second ones hold the arms.
     */
    private boolean fieldsThenArms() {
        if (!(peek(1).kind == IDENT && peek(2).kind == COLON)) {
            return false;
        }
        Token after = afterClosingBrace(p);
        return after != null && after.kind == LBRACE && !after.newlineBefore;
    }

    /** The token after the '}' that closes the '{' at index {@code open}, or null if none does. */
    private Token afterClosingBrace(int open) {
        int close = matching(open);
        return close < 0 ? null : tokens.get(close + 1);
    }

    /**
     * At a '(' or '[' after an expression: is it the next match arm's tuple or list pattern, on the same line
     * ({@code match xs { [] => 0  [x, ...rest] => x }})? It is when '=>' or 'when' follows its closing bracket,
     * which no call or index can be followed by, except in a guard ({@code n when ok(n) => ...}).
     */
    private boolean nextArmAhead() {
        if (noLambdaArrow) {
            return false;
        }
        int closing = matching(p);
        if (closing < 0) {
            return false;
        }
        Token after = tokens.get(Math.min(closing + 1, tokens.size() - 1));
        return after.kind == FAT_ARROW || (after.kind == IDENT && "when".equals(after.value));
    }

    /**
     * At a '-' or '+' after an expression: is it the sign of the next match arm's number pattern, on the same
     * line ({@code match n { 0 => 10  -1 => 20 }})? It is when the number is followed by '=>' or 'when', as no
     * operand of a subtraction can be, except in a guard.
     */
    private boolean negativePatternAhead() {
        TokenKind number = peek(1).kind;
        Token after = peek(2);
        return !noLambdaArrow && (number == INT || number == FLOAT)
                        && (after.kind == FAT_ARROW || (after.kind == IDENT && "when".equals(after.value)));
    }

    /** {@code expr { pattern } ? a : b}: past the braces that open at index {@code open}, the '?' of the structural ternary. */
    private boolean isPatternTestAhead(int open) {
        Token after = afterClosingBrace(open);
        return after != null && after.kind == QUESTION;
    }

    /**
     * An expression where a block is not allowed (an argument, the value of a {@code let}): there a bare
     * {@code {}} is the empty map (spec 0004 TYPE-MAP-LITERAL), whatever type the context expects.
     */
    private Expr valueExpression() {
        if (at(LBRACE) && peek(1).kind == RBRACE) {
            Token after = peek(2);
            if (after.kind == COMMA || after.kind == RPAREN || after.kind == EOF || after.kind == SEMICOLON || after.newlineBefore) {
                Token open = advance();
                Token close = advance();
                return new Expr.MapLit(open.start, close.end, List.of());
            }
        }
        return expression();
    }

    /**
     * An element of a tuple or list, or a map's value: a bare {@code {}} followed by ',' or the closing bracket
     * is the empty map (`Success(({}, []))`), where an empty block would be a {@code unit} no one means to put there.
     */
    private Expr elementExpression(TokenKind close) {
        Token after = peek(2);
        boolean entryEnds = close == RBRACE && after.newlineBefore; // map entries may be separated by line breaks
        if (at(LBRACE) && peek(1).kind == RBRACE && (after.kind == COMMA || after.kind == close || entryEnds)) {
            Token open = advance();
            Token end = advance();
            return new Expr.MapLit(open.start, end.end, List.of());
        }
        return expression();
    }

    /** The argument list after '(' up to and including ')'. */
    private List<Arg> arguments() {
        Token open = previous();
        List<Arg> args = new ArrayList<>();
        newlineSignificant.push(false);
        boolean saveNoStruct = noStruct;
        boolean saveNoLambda = noLambdaArrow;
        noStruct = false;
        noLambdaArrow = false;
        try {
            while (!at(RPAREN)) {
                Token t = peek();
                if ((t.kind == IDENT || t.kind == FN) && peek(1).kind == COLON) {
                    // `fn:` names a parameter in spec 0012 (mapValues(fn: ...)), keyword or not.
                    advance();
                    advance();
                    Expr v = valueExpression();
                    args.add(new Arg(t.start, v.end, t.kind == FN ? "fn" : t.text(), v, false));
                } else {
                    Expr v = valueExpression();
                    args.add(new Arg(v.start, v.end, null, v, false));
                }
                if (!accept(COMMA)) {
                    break;
                }
            }
            if (at(ASSIGN)) {
                Arg last = args.isEmpty() ? null : args.get(args.size() - 1);
                throw error(peek(), last != null && last.name == null && last.value instanceof Expr.Ident id
                                ? "a named argument is written with ':', as in " + id.name + ": value (to compare, use ==)"
                                : "'=' assigns, and only as a statement: to compare, use ==");
            }
            expectClosing(open, RPAREN, "',' or ')' in the argument list");
        } finally {
            noStruct = saveNoStruct;
            noLambdaArrow = saveNoLambda;
            newlineSignificant.pop();
        }
        return args;
    }

    /**
     * At the first token of a line inside the braces of a record or map literal: does a statement start here
     * (`let q = 3`, `print(p)`, `total.x`), so that the literal's '}' was left out on a line above? Its '}'
     * is then the one meant for the function's body around it.
     */
    private boolean statementInsteadOfAnEntry() {
        Token t = peek();
        Token next = peek(1);
        if (!t.newlineBefore || next.newlineBefore) {
            return false;
        }
        if (t.kind != IDENT) {
            return t.value instanceof String w && Lexer.isKeyword(w) && next.kind == IDENT; // `let q`, `fn f`, `match x`
        }
        return next.kind == LPAREN || next.kind == DOT || next.kind == LBRACKET || next.kind != BAR && isBinaryOperator(next.kind);
    }

    /** {@code { name: value, name, ... }} for record construction and update. */
    private List<Expr.FieldInit> fieldInits() {
        Token open = expect(LBRACE, "'{'");
        List<Expr.FieldInit> fields = new ArrayList<>();
        newlineSignificant.push(false);
        boolean saveNoStruct = noStruct;
        noStruct = false;
        try {
            while (!at(RBRACE)) {
                Token ft = peek();
                if (at(ELLIPSIS)) {
                    throw error(ft, "Osprey has no '...' spread in records: update one with value { field: new value }");
                }
                if (!fields.isEmpty() && statementInsteadOfAnEntry()) {
                    throw neverClosed(open, "',' or '}' after the field value");
                }
                String name = expectFieldName("a field name");
                Expr value;
                if (at(ASSIGN)) {
                    throw error(peek(), "a record's fields are written name: value");
                }
                if (accept(COLON)) {
                    // `State { seen: {}, ... }`: an empty map, as in a list or a map entry (an empty block, unit,
                    // is what nobody puts in a field; a field of a type parameter took it as unit).
                    value = elementExpression(RBRACE);
                } else {
                    value = new Expr.Ident(ft.start, ft.end, name); // Point { x, y } means x: x, y: y
                }
                fields.add(new Expr.FieldInit(ft.start, value.end, name, value));
                if (!accept(COMMA) && !at(RBRACE) && !peek().newlineBefore) {
                    throw error(peek(), "expected ',' or '}' after the field value, found " + describe(peek()));
                }
            }
            expect(RBRACE, "'}' to close the fields");
        } finally {
            noStruct = saveNoStruct;
            newlineSignificant.pop();
        }
        return fields;
    }

    private Expr primary() {
        Token t = peek();
        switch (t.kind) {
            case INT:
                advance();
                return new Expr.IntLit(t.start, t.end, (Long) t.value);
            case FLOAT:
                advance();
                return new Expr.FloatLit(t.start, t.end, (Double) t.value);
            case TRUE, FALSE:
                advance();
                return new Expr.BoolLit(t.start, t.end, t.kind == TRUE);
            case STRING:
                advance();
                return stringLiteral(t);
            case IDENT:
                return identifierExpr();
            case LPAREN:
                return parenthesized();
            case LBRACKET:
                return listLiteral();
            case LBRACE:
                return braceExpr();
            case MATCH:
                return match();
            case FN:
                return fnLambda();
            case BAR:
                return barLambda();
            case OR:
                if (peek(1).kind == FAT_ARROW) {
                    advance();
                    advance();
                    Expr body = valueOrAssignment();
                    return new Expr.Lambda(t.start, body.end, List.of(), null, body);
                }
                break;
            case PERFORM:
                return perform();
            case HANDLE:
                if (peek(1).kind == IDENT) {
                    return handle();
                }
                throw keywordAsName(t, reservedWord((String) t.value) + " and cannot be used as a name" + otherName((String) t.value).replace("; try", " (try")
                                + (otherName((String) t.value).isEmpty() ? "" : ")"));
            default:
                break;
        }
        if (t.kind == ERROR) {
            advance();
            incomplete = false;
            throw new Bail(); // the lexer has reported it
        }
        if (t.newlineBefore && p > 0 && (t.kind == LET || t.kind == MUT || t.kind == TYPE || t.kind == IMPORT || t.kind == EXTERN)) {
            // `let total =` with the value forgotten: the next line's declaration is not a misused name.
            int after = tokens.get(p - 1).end;
            errorAt(after, after + 1, "expected an expression at the end of this line, found a new declaration ('"
                            + t.value + "') on the next line");
            throw new Bail();
        }
        if (t.value instanceof String w && Lexer.isKeyword(w) && t.kind != TRUE && t.kind != FALSE) {
            throw keywordAsName(t, reservedWord(w) + " and cannot be used as a name" + otherName(w).replace("; try", " (try") + (otherName(w).isEmpty() ? "" : ")"));
        }
        if (t.kind == ELLIPSIS) {
            // { ...p, x: 3 }, [...xs, 4], f(...args) (JavaScript's spread): '...' only binds the rest in a list pattern
            throw error(t, "Osprey has no spread '...' in an expression: a record is copied with other fields as p { x: 3 }"
                            + " (spec 0004), lists and maps are joined with +; '...' binds the rest of a list in a pattern, [first, ...rest]");
        }
        if (t.kind == EOF) {
            throw error(t, "expected an expression, found " + describe(t));
        }
        throw error(t, "expected an expression, found " + describe(t));
    }

    private Expr identifierExpr() {
        Token t = advance();
        String name = t.text();
        // spawn, Fiber and Channel are no keywords (spec 0002): a program that declares one of them as a name
        // keeps it as that name.
        if (name.equals("spawn") && !declaresName("spawn") && !peek().newlineBefore && startsSpawned(peek())) {
            Expr body = expression();
            return new Expr.Spawn(t.start, body.end, new Expr.Lambda(body.start, body.end, List.of(), null, body), null);
        }
        if ((name.equals("Fiber") || name.equals("Channel")) && !declaresName(name) && (at(LT) || at(LBRACE)) && !nl(peek()) && !noStruct) {
            return fiberOrChannel(t, name);
        }
        if (name.equals("select") && !declaresName("select") && at(LBRACE) && !nl(peek())) {
            return select(t);
        }
        if (at(FAT_ARROW) && !nl(peek()) && !noLambdaArrow) {
            advance();
            Expr body = valueOrAssignment();
            return new Expr.Lambda(t.start, body.end, List.of(new Param(t.start, t.end, name, null)), null, body);
        }
        if (at(ARROW) && !nl(peek()) && !noLambdaArrow) {
            // `xs |> map(x -> x * 2)` (Java, Kotlin, Haskell): nothing else puts '->' after a name in an expression
            throw error(peek(), "a lambda uses '=>' before its body: " + name + " => ...");
        }
        if (at(LBRACE) && !nl(peek()) && !noStruct && Character.isUpperCase(name.charAt(0)) && !isPatternTestAhead(p)) {
            List<Expr.FieldInit> fields = fieldInits();
            return new Expr.RecordLit(t.start, previous().end, name, fields);
        }
        return new Expr.Ident(t.start, t.end, name);
    }

    /** Whether a token can start the expression after {@code spawn}. */
    private static boolean startsSpawned(Token t) {
        return startsPattern(t) || t.kind == FN || t.kind == MATCH || t.kind == BAR || t.kind == NOT || t.kind == PERFORM || t.kind == HANDLE;
    }

    /** Names the program declares with fn, let, mut or type, found once by a look at the tokens. */
    private java.util.Set<String> declaredNames;

    private boolean declaresName(String name) {
        if (declaredNames == null) {
            declaredNames = new java.util.HashSet<>();
            for (int i = 1; i < tokens.size(); i++) {
                TokenKind k = tokens.get(i - 1).kind;
                if (tokens.get(i).kind == IDENT && (k == FN || k == LET || k == MUT || k == TYPE)) {
                    declaredNames.add(tokens.get(i).text());
                }
            }
        }
        return declaredNames.contains(name);
    }

    /**
     * {@code Fiber<T> { computation: f }} and {@code Channel<T> { capacity: n }} (spec 0011), after the name:
     * record syntax for a fiber started on {@code f()} (what {@code spawn f()} does) and for a new channel.
     */
    private Expr fiberOrChannel(Token t, String name) {
        TypeExpr element = null;
        if (at(LT)) {
            Token lt = advance();
            List<TypeExpr> args = typeList(GT);
            if (args.size() != 1) {
                errorAt(lt.start, previous().end, "'" + name + "' takes one type argument: " + name + "<T>");
            }
            element = args.isEmpty() ? null : args.get(0);
        }
        if (!at(LBRACE)) {
            throw error(peek(), name.equals("Fiber") ? "expected '{' and the computation: Fiber<T> { computation: fn() => ... }"
                            : "expected '{' and the capacity: Channel<T> { capacity: 0 }");
        }
        List<Expr.FieldInit> fields = fieldInits();
        String field = name.equals("Fiber") ? "computation" : "capacity";
        Expr value = null;
        boolean wrong = false;
        for (Expr.FieldInit f : fields) {
            if (!f.name.equals(field)) {
                wrong = true;
                errorAt(f.start, f.end, "a " + name + " has one field, " + field + (name.equals("Fiber") ? ": Fiber<T> { computation: fn() => ... }"
                                : ", the number of values it holds before a send waits (0: a send waits for a receiver)"));
            } else if (value != null) {
                errorAt(f.start, f.end, "'" + field + "' is given twice");
            } else {
                value = f.value;
            }
        }
        int end = previous().end;
        if (value == null && wrong) {
            throw new Bail();
        }
        if (value == null) {
            errorAt(t.start, end, "a " + name + " needs its " + field + (name.equals("Fiber") ? ": Fiber<T> { computation: fn() => ... }" : ": Channel<T> { capacity: 0 }"));
            throw new Bail();
        }
        if (name.equals("Channel")) {
            return new Expr.NewChannel(t.start, end, element, value);
        }
        Expr call = new Expr.Call(value.start, value.end, value, List.of(), false);
        return new Expr.Spawn(t.start, end, new Expr.Lambda(value.start, value.end, List.of(), element, call), element);
    }

    /**
     * {@code select { arm+ }} (spec 0011), after the word: each arm is {@code name => recv(ch) => value},
     * {@code name => send(ch, v) => value} (name may be {@code _}), or the default {@code _ => value}.
     */
    private Expr select(Token kw) {
        Token brace = expect(LBRACE, "'{'");
        newlineSignificant.push(true);
        List<Expr.SelectArm> arms = new ArrayList<>();
        try {
            while (!at(RBRACE)) {
                if (at(EOF)) {
                    throw unfinished(brace, "this '{' of the select is never closed: expected '}' before the end of input");
                }
                if (accept(COMMA) || accept(SEMICOLON)) {
                    continue;
                }
                arms.add(selectArm());
            }
            Token close = advance();
            if (arms.stream().allMatch(Expr.SelectArm::isDefault)) {
                errorAt(kw.start, close.end, "a select needs at least one channel operation: name => recv(channel) => value");
            }
            Expr.SelectArm firstDefault = null;
            for (Expr.SelectArm arm : arms) {
                if (!arm.isDefault()) {
                    continue;
                }
                if (firstDefault == null) {
                    firstDefault = arm;
                } else {
                    errorAt(arm.start, arm.start + 1, "a select has at most one default arm (_ => value), and it has one at line " + lineOf(firstDefault.start));
                }
            }
            return new Expr.Select(kw.start, close.end, arms);
        } finally {
            newlineSignificant.pop();
        }
    }

    private Expr.SelectArm selectArm() {
        Token first = peek();
        if (!at(IDENT)) {
            throw error(first, "expected a select arm: name => recv(channel) => value, name => send(channel, value) => value, or _ => value");
        }
        advance();
        String name = first.text();
        if (!at(FAT_ARROW)) {
            throw error(peek(), "expected '=>' after '" + name + "' in the select arm: " + name + " => recv(channel) => value");
        }
        advance();
        boolean operation = at(IDENT) && ("recv".equals(peek().value) || "send".equals(peek().value)) && peek(1).kind == LPAREN
                        && matching(p + 1) >= 0 && tokens.get(matching(p + 1) + 1).kind == FAT_ARROW;
        if (!operation) {
            if (!name.equals("_")) {
                throw error(peek(), "expected recv(channel) or send(channel, value) after '" + name + " =>' in the select arm, then '=>' and the arm's value");
            }
            Expr body = valueOrAssignment();
            return new Expr.SelectArm(first.start, body.end, null, null, null, body);
        }
        Token op = advance();
        expect(LPAREN, "'('");
        Expr channel = selectArgument("channel");
        Expr value = null;
        if ("send".equals(op.value)) {
            expect(COMMA, "',' and the value to send");
            value = selectArgument("value");
        }
        if (!at(RPAREN)) {
            throw error(peek(), "recv takes the channel alone and send the channel and the value; found " + describe(peek()));
        }
        advance();
        expect(FAT_ARROW, "'=>' and the arm's value");
        Expr body = valueOrAssignment();
        Pattern binder = name.equals("_") ? new Pattern.Wildcard(first.start, first.end) : new Pattern.Binder(first.start, first.end, name);
        return new Expr.SelectArm(first.start, body.end, binder, channel, value, body);
    }

    /** An argument of a select arm's recv or send, positional or named ({@code channel: ch}). */
    private Expr selectArgument(String label) {
        if (at(IDENT) && label.equals(peek().value) && peek(1).kind == COLON) {
            advance();
            advance();
        }
        newlineSignificant.push(false);
        try {
            return expression();
        } finally {
            newlineSignificant.pop();
        }
    }

    private Expr stringLiteral(Token t) {
        List<Object> parts = new ArrayList<>();
        for (Object part : t.parts) {
            if (part instanceof Token.Interpolation ip) {
                parts.add(interpolated(ip));
            } else {
                parts.add(part);
            }
        }
        return new Expr.StringLit(t.start, t.end, parts);
    }

    /** Parses the tokens of one {@code ${...}} with a sub-parser sharing our diagnostics. */
    private Expr interpolated(Token.Interpolation ip) {
        if (ip.tokens().size() == 1) {
            if ("}".equals(ip.tokens().get(0).value)) { // "${}"; an unterminated one was reported by the lexer
                errorAt(ip.start(), ip.end(), "empty interpolation: expected an expression inside '${}'");
            }
            return new Expr.StringLit(ip.start(), ip.end(), List.of(""));
        }
        Parser sub = new Parser(source, ip.tokens(), diagnostics, List.of());
        sub.keywordsReported = keywordsReported;
        sub.newlineSignificant.push(false);
        try {
            Expr e = sub.expression();
            if (!sub.at(EOF)) {
                throw sub.error(sub.peek(), "expected '}' to end the interpolation, found " + describe(sub.peek()));
            }
            return e;
        } catch (Bail b) {
            incomplete &= sub.incomplete;
            return new Expr.StringLit(ip.start(), ip.end(), List.of(""));
        }
    }

    /**
     * After the ',' of {@code (x,}: a ')' next would make a tuple of one element, which has no type to write
     * and printed as {@code (x)}, so {@code (1,)} is refused where it is written (a Python habit).
     */
    private void oneElementTuple(Token open) {
        if (at(RPAREN)) {
            Token comma = previous();
            errorAt(comma.start, comma.end, "a tuple has two or more elements: write "
                            + source.substring(open.start, comma.start).strip() + ") without the ','");
        }
    }

    private Expr parenthesized() {
        Token open = advance();
        if (at(RPAREN)) {
            advance();
            if (at(FAT_ARROW) && !nl(peek())) {
                advance();
                Expr body = valueOrAssignment();
                return new Expr.Lambda(open.start, body.end, List.of(), null, body);
            }
            return new Expr.UnitLit(open.start, previous().end);
        }
        if (!noLambdaArrow && isLambdaParamsAhead()) {
            p--;
            advance();
            List<Param> params = params(RPAREN);
            if (at(COLON)) {
                // `(x: number): number => x * 2` (TypeScript)
                throw error(peek(), "a lambda's result type follows '->': (x: int) -> int => ...");
            }
            TypeExpr result = lambdaResult("(x)");
            expect(FAT_ARROW, "'=>' after the lambda parameters");
            Expr body = valueOrAssignment();
            return new Expr.Lambda(open.start, body.end, params, result, body);
        }
        newlineSignificant.push(false);
        boolean saveNoStruct = noStruct;
        noStruct = false;
        try {
            Expr first = elementExpression(COMMA);
            if (accept(COMMA)) {
                oneElementTuple(open);
                List<Expr> elems = new ArrayList<>();
                elems.add(first);
                while (!at(RPAREN)) {
                    elems.add(elementExpression(RPAREN));
                    if (!accept(COMMA)) {
                        break;
                    }
                }
                expect(RPAREN, "',' or ')' in the tuple");
                return new Expr.TupleLit(open.start, previous().end, elems);
            }
            if (!at(RPAREN)) {
                if (peek().newlineBefore && !at(EOF) && !at(RBRACKET) && !at(RBRACE) && matching(tokens.indexOf(open)) < 0) {
                    throw neverClosed(open, "')'"); // `let y = (x + 1` and the next line
                }
                throw error(peek(), "expected ')' to close the '(' at line " + lineOf(open.start) + ", found " + describe(peek()));
            }
            advance();
            return first;
        } finally {
            noStruct = saveNoStruct;
            newlineSignificant.pop();
        }
    }

    /**
     * After '(': is this {@code (a, b: T) =>}, the parameter list of a lambda? Also with TypeScript's result type,
     * {@code (x: number): number => ...}, which the lambda then reports.
     */
    private boolean isLambdaParamsAhead() {
        boolean typed = false;
        TokenWalk w = walkFrom(p).counting(LPAREN); // depth 0: right inside the '('
        while (w.next()) {
            TokenKind k = w.kind();
            if (k == LBRACE || k == SEMICOLON) {
                return false;
            }
            if (w.depth() > 0) {
                continue; // in the parentheses of a parameter's type
            }
            if (k == RPAREN) {
                TokenKind after = tokens.get(w.index() + 1).kind;
                return after == FAT_ARROW || after == ARROW || after == COLON && typed && arrowOnTheLine(w.index() + 2);
            }
            if (k == LPAREN && (w.index() == p || tokens.get(w.index() - 1).kind == IDENT)) {
                // `((`, `(f(`: an expression, not parameters (which start with a name, and whose '(' only come in
                // types, after ':' or '<'); said at once, so nested parentheses are not scanned again at every level
                return false;
            }
            if (!(k == IDENT || k == COMMA || k == COLON || k == LT || k == GT || k == FN || k == LPAREN)) {
                return false;
            }
            typed |= k == COLON;
        }
        return false;
    }

    /** Whether a '=>' comes at or after token {@code from} before its line ends or a '{' or ';' does. */
    private boolean arrowOnTheLine(int from) {
        return lineFrom(from).firstOf(FAT_ARROW, LBRACE, SEMICOLON) == FAT_ARROW;
    }

    private Expr fnLambda() {
        Token kw = advance();
        expect(LPAREN, "'(' after 'fn' in a lambda");
        List<Param> params = params(RPAREN);
        TypeExpr result = lambdaResult("fn(x)");
        if (at(ASSIGN)) {
            throw error(peek(), "a lambda uses '=>' before its body: fn(x) => x + 1");
        }
        if (at(LBRACE) && !peek().newlineBefore) {
            // `fn(x) { x * 2 }` (Go, JavaScript's function(x) { ... }, Swift): not a call of something named fn
            throw error(peek(), "a lambda uses '=>' before its body: fn(x) => { ... }, or fn(x) => x * 2 for one expression");
        }
        if (!at(FAT_ARROW) && result == null && params.stream().noneMatch(x -> x.type != null)) {
            throw error(kw, "'fn(...)' starts a lambda here, which needs '=>' and a body; a function value named fn cannot be"
                            + " called by that name: rename it (f)");
        }
        expect(FAT_ARROW, "'=>' before the lambda body");
        Expr body = valueOrAssignment();
        return new Expr.Lambda(kw.start, body.end, params, result, body);
    }

    /**
     * A lambda's optional result type, {@code -> Type}. An arrow not followed by '=>' was meant as the body's
     * arrow ({@code fn(x) -> x * 2}, as other languages write it): said at the arrow, not at the '*' after x.
     */
    private TypeExpr lambdaResult(String params) {
        Token arrow = at(ARROW) ? peek() : null;
        TypeExpr result = accept(ARROW) ? type() : null;
        if (at(NOT) && !nl(peek()) && (arrow != null || params.startsWith("fn"))) {
            // fn() -> int !Log => ...: said at the '!' (it read "a lambda uses '=>' before its body", at the '->'). Not
            // after |x|, where `|b| !b` is a body written without its '=>'.
            throw error(peek(), "a lambda cannot declare effects, only a declared function can (fn f() -> int !E): write it without '!"
                            + (peek(1).kind == IDENT && !nl(peek(1)) ? peek(1).value : peek(1).kind == LBRACKET ? "[...]" : "...")
                            + "' (a lambda's effects count where it is written, spec 0017)");
        }
        if (result != null && at(LBRACE) && !nl(peek())) {
            // `fn(x: int) -> int { x + 1 }` (Rust's closure, Swift): the result type is right, the '=>' is missing before the brace
            throw error(peek(), "a lambda uses '=>' before its body, also after its result type: " + params + " -> "
                            + source.substring(result.start, result.end) + " => { ... }");
        }
        if (arrow != null && !at(FAT_ARROW)) {
            String typed = params.replace("x", "x: int");
            throw error(arrow, "a lambda uses '=>' before its body: " + params + " => ... ('->' gives it a result type: " + typed + " -> int => ...)");
        }
        return result;
    }

    /** A match arm's, a lambda's or an `=` function's body: an expression, or an assignment (`fn(x) => total = total + x`). */
    private Expr valueOrAssignment() {
        if (at(IDENT) && peek(1).kind == ASSIGN) {
            Token name = advance();
            advance();
            Expr value = expression();
            Stmt assign = new Stmt.Assign(name.start, value.end, name.text(), value);
            return new Expr.Block(name.start, value.end, List.of(assign), null);
        }
        return expression();
    }

    private Expr barLambda() {
        Token open = advance();
        List<Param> params = params(BAR);
        TypeExpr result = lambdaResult("|x|");
        expect(FAT_ARROW, "'=>' before the lambda body");
        Expr body = valueOrAssignment();
        return new Expr.Lambda(open.start, body.end, params, result, body);
    }

    private Expr listLiteral() {
        Token open = advance();
        newlineSignificant.push(false);
        boolean saveNoStruct = noStruct;
        noStruct = false;
        try {
            List<Expr> elems = new ArrayList<>();
            if (!at(RBRACKET)) {
                Expr first = elementExpression(RBRACKET);
                if (at(IDENT) && "for".equals(peek().value)) {
                    advance();
                    Pattern binder = pattern();
                    if (!(at(IN))) {
                        throw error(peek(), "expected 'in' after the comprehension variable, found " + describe(peek()));
                    }
                    advance();
                    Expr source = expression();
                    Expr cond = null;
                    if (at(IDENT) && "if".equals(peek().value)) {
                        advance();
                        cond = expression();
                    }
                    if (at(IDENT) && "for".equals(peek().value)) {
                        throw error(peek(), "a comprehension has one 'for' clause (spec 0004): nest them, [[e for x in xs] for y in ys],"
                                        + " or go over one range, [e for i in range(0, w * h)]");
                    }
                    expect(RBRACKET, "']' to close the comprehension");
                    return new Expr.Comprehension(open.start, previous().end, first, binder, source, cond);
                }
                elems.add(first);
                while (accept(COMMA)) {
                    if (at(RBRACKET)) {
                        break;
                    }
                    elems.add(elementExpression(RBRACKET));
                }
            }
            expectClosing(open, RBRACKET, "',' or ']' in the list");
            return new Expr.ListLit(open.start, previous().end, elems);
        } finally {
            noStruct = saveNoStruct;
            newlineSignificant.pop();
        }
    }

    /** '{' starts a map literal when its first entry has a literal key, otherwise a block. */
    private Expr braceExpr() {
        TokenKind first = peek(1).kind;
        boolean literalKey = first == STRING || first == INT || first == FLOAT || first == TRUE || first == FALSE
                        || (first == MINUS && (peek(2).kind == INT || peek(2).kind == FLOAT));
        if (literalKey && lookingAtMapEntry()) {
            return mapLiteral();
        }
        if (first == IDENT && peek(2).kind == COLON) {
            // `{ origin: 0 }`: no block starts this way; a map's keys are values, a record needs its type's name.
            Token name = peek(1);
            throw error(name, "a map's first key must be a literal: { \"" + name.value + "\": ... } for the text, or set({}, " + name.value
                            + ", ...) to key it by the value of '" + name.value + "' (a record literal needs its type's name: TypeName { " + name.value
                            + ": ... })");
        }
        return block();
    }

    private boolean lookingAtMapEntry() {
        int i = p + 1;
        if (tokens.get(i).kind == MINUS) {
            i++;
        }
        return tokens.get(i + 1).kind == COLON;
    }

    private Expr mapLiteral() {
        Token open = advance();
        newlineSignificant.push(false);
        boolean saveNoStruct = noStruct;
        noStruct = false;
        try {
            List<Expr.MapEntry> entries = new ArrayList<>();
            while (!at(RBRACE)) {
                if (!entries.isEmpty() && statementInsteadOfAnEntry()) {
                    throw neverClosed(open, "',' or '}' in the map");
                }
                Expr k = expression();
                expect(COLON, "':' between the key and the value");
                Expr v = elementExpression(RBRACE);
                entries.add(new Expr.MapEntry(k.start, v.end, k, v));
                if (!accept(COMMA) && !at(RBRACE) && !peek().newlineBefore) {
                    throw error(peek(), "expected ',' or '}' in the map, found " + describe(peek()));
                }
            }
            expect(RBRACE, "'}' to close the map");
            return new Expr.MapLit(open.start, previous().end, entries);
        } finally {
            noStruct = saveNoStruct;
            newlineSignificant.pop();
        }
    }

    /** The statements after {@code open} up to the '}' that closes it (not read), as {@link #statementOrRecover} reads each. */
    private List<Stmt> statementsInBraces(Token open) {
        List<Stmt> stmts = new ArrayList<>();
        while (!at(RBRACE)) {
            if (at(EOF)) {
                neverClosedBrace(open);
                throw new Bail();
            }
            if (accept(SEMICOLON)) {
                continue;
            }
            firstOfBlock = previous() == open ? peek().start : -1;
            Stmt s = statementOrRecover(false);
            firstOfBlock = -1;
            if (s != null) {
                stmts.add(s);
            }
        }
        return stmts;
    }

    public Expr.Block block() {
        Token open = expect(LBRACE, "'{'");
        newlineSignificant.push(true);
        boolean saveNoStruct = noStruct;
        noStruct = false;
        int outerFirst = firstOfBlock;
        try {
            List<Stmt> stmts = statementsInBraces(open);
            Token close = advance();
            Expr result = null;
            if (!stmts.isEmpty() && stmts.get(stmts.size() - 1) instanceof Stmt.ExprStmt es) {
                stmts.remove(stmts.size() - 1);
                result = es.expr;
            }
            return new Expr.Block(open.start, close.end, stmts, result);
        } finally {
            firstOfBlock = outerFirst;
            noStruct = saveNoStruct;
            newlineSignificant.pop();
        }
    }

    /**
     * {@code open}, a block's '{', reached the end of the input. Where a '}' after it starts a line indented
     * like the line of an enclosing '{' but not like its own (`fn outer() {`, `fn inner() {` whose '}' is
     * missing, then `}` at the margin), that '}' was meant for the enclosing one, and the '{' it closed is
     * the one left open: the error is there. Otherwise it is at {@code open}, the outermost one still open.
     */
    private void neverClosedBrace(Token open) {
        Deque<Token> openers = new ArrayDeque<>();
        for (int i = tokens.indexOf(open); i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind == LBRACE) {
                openers.push(t);
            } else if (t.kind == RBRACE && !openers.isEmpty()) {
                Token closed = openers.pop();
                if (!t.newlineBefore || indentOf(t.start) == indentOf(closed.start)) {
                    continue;
                }
                for (Token outer : openers) {
                    if (indentOf(outer.start) == indentOf(t.start)) {
                        diagnostics.add(new Diagnostic(closed.start, closed.end, "this '{' is never closed: expected '}' before line "
                                        + lineOf(t.start) + ", whose '}' lines up with line " + lineOf(outer.start)));
                        return;
                    }
                }
            }
        }
        diagnostics.add(new Diagnostic(open.start, open.end, "this '{' is never closed: expected '}' before the end of input"));
    }

    private Expr match() {
        Token kw = advance();
        boolean saveNoStruct = noStruct;
        noStruct = true;
        Expr scrutinee;
        try {
            scrutinee = expression();
        } finally {
            noStruct = saveNoStruct;
        }
        boolean fieldsFirst = at(LBRACE) && (looksLikeRecordFields() || fieldsThenArms());
        if (scrutinee instanceof Expr.Ident id && Character.isUpperCase(id.name.charAt(0)) && fieldsFirst) {
            throw error(peek(), "to match on a record literal, put it in parentheses: match (" + id.name + " { ... }) { ... }");
        }
        if (scrutinee instanceof Expr.Ident id && fieldsFirst) {
            // `match acc { balance: 0 } {`: an updated copy (arms are followed by '=>', not ',' or '}')
            throw error(peek(), "to match on an updated record, put the update in parentheses: match (" + id.name + " { ... }) { ... }");
        }
        if (at(IDENT) && "with".equals(peek().value)) {
            // F# and OCaml: `match x with | p -> e`. One error; the arms' lines are skipped with it.
            errorAt(peek().start, peek().end, "Osprey writes match " + source.substring(scrutinee.start, scrutinee.end)
                            + " { pattern => value ... }, with no 'with' and no '|' before the arms");
            advance();
            while (at(BAR) && peek().newlineBefore) {
                p = lineFrom(p).end();
            }
            throw new Bail();
        }
        if (at(ASSIGN)) {
            throw error(peek(), "expected '{' to start the match arms, found '=' (to compare, use ==)"); // `match x = 3 {`
        }
        Token brace = expect(LBRACE, "'{' to start the match arms");
        newlineSignificant.push(true);
        List<Arm> arms = new ArrayList<>();
        boolean brokenArm = false;
        try {
            while (!at(RBRACE)) {
                if (at(EOF)) {
                    throw unfinished(brace, "this '{' of the match is never closed: expected '}' before the end of input");
                }
                if (accept(COMMA) || accept(SEMICOLON)) {
                    continue;
                }
                Token first = peek();
                if (!arms.isEmpty() && first.newlineBefore && indentOf(first.start) <= indentOf(kw.start) && !nextLineIsAnArm()) {
                    // `let total = match xs {`, arms, then `print(total)` at the match's own indentation: the '}' is
                    // missing. Said at the match's '{', and the match ends here, so what follows reads as intended.
                    errorAt(brace.start, brace.end, "this '{' of the match is never closed: expected '}' before line " + lineOf(first.start)
                                    + ", which is no arm (no '=>', and not indented more than the match)");
                    return new Expr.Match(kw.start, previous().end, scrutinee, arms, Expr.MatchForm.MATCH);
                }
                int armStart = p;
                try {
                    arms.add(arm());
                } catch (Bail b) {
                    brokenArm = true; // already reported; "no arms" would only mislead
                    synchronize(armStart);
                }
            }
            Token close = advance();
            if (arms.isEmpty() && !brokenArm) {
                errorAt(kw.start, close.end, "a match needs at least one arm: pattern => value");
            }
            return new Expr.Match(kw.start, close.end, scrutinee, arms, Expr.MatchForm.MATCH);
        } finally {
            newlineSignificant.pop();
        }
    }

    private Arm arm() {
        Pattern pat = pattern();
        Expr guard = null;
        if (at(IDENT) && "when".equals(peek().value)) {
            advance();
            boolean saved = noLambdaArrow;
            noLambdaArrow = true;
            try {
                guard = expression();
            } finally {
                noLambdaArrow = saved;
            }
        }
        if (!at(FAT_ARROW)) {
            if (at(IDENT) && "if".equals(peek().value)) {
                throw error(peek(), "a guard is written with 'when': pattern when condition => ...");
            }
            if (at(BAR) || at(OR)) {
                throw error(peek(), "a pattern cannot list alternatives with '|': write an arm for each, or one arm with a guard (x when ... => ...)");
            }
            if (at(ARROW)) {
                throw error(peek(), "a match arm uses '=>': pattern => value");
            }
            if (pat instanceof Pattern.Constructor c && Character.isLowerCase(c.name.charAt(0)) && nextLineIsAnArm()) {
                // `0 => print("a")` then `print("b")` on the next line: the second call read as the next arm's pattern
                errorAt(pat.start, pat.end, "an arm's value is one expression: to run several, put them in braces,"
                                + " pattern => { ... } (this line was read as the pattern of the next arm)");
                throw new Bail();
            }
            throw error(peek(), "expected '=>' after the pattern, found " + describe(peek()));
        }
        Token arrow = advance();
        if (startsPattern(peek()) && nextLineIsAnArm()) {
            // `1 =>` with nothing after it: the next arm would be read as its value (`_ => "x"` as a lambda)
            throw error(arrow, "expected the arm's value after '=>', on the same line (the next line is the next arm)");
        }
        Expr body = valueOrAssignment(); // `_ => count = count + 1`: an assignment as the arm's whole effect
        Token next = peek();
        if (!next.newlineBefore && misspeltKeyword() instanceof Bail b) {
            throw b; // `0 => mtach y { ... }`: the name after the word would start the next arm's pattern
        }
        if (next.kind == NOT && !next.newlineBefore && (previous().kind == RPAREN || previous().kind == IDENT)) {
            throw bangAfterValue(next); // `1 => println!("one"),` (Rust), `_ => parse(s)!`
        }
        if (next.kind != RBRACE && next.kind != COMMA && next.kind != SEMICOLON && !next.newlineBefore && next.kind != EOF
                        && !startsPattern(next)) {
            throw error(next, "expected a line break before the next match arm, found " + describe(next));
        }
        return new Arm(pat.start, body.end, pat, guard, body);
    }

    /** The current token starts a line that reads as a match arm: it has a '=>' before the line ends. */
    private boolean nextLineIsAnArm() {
        return peek().newlineBefore && lineFrom(p).firstOf(FAT_ARROW) == FAT_ARROW;
    }

    private static boolean startsPattern(Token t) {
        return switch (t.kind) {
            case IDENT, INT, FLOAT, STRING, TRUE, FALSE, MINUS, LBRACKET, LPAREN, LBRACE -> true;
            default -> false;
        };
    }

    // ---------------------------------------------------------------- patterns

    private Pattern pattern() {
        Token t = peek();
        switch (t.kind) {
            case INT:
                advance();
                return new Pattern.Literal(t.start, t.end, t.value);
            case FLOAT:
                advance();
                return new Pattern.Literal(t.start, t.end, t.value);
            case TRUE, FALSE:
                advance();
                return new Pattern.Literal(t.start, t.end, t.kind == TRUE);
            case STRING:
                advance();
                if (t.value == null) {
                    throw error(t, "a string pattern cannot contain interpolation");
                }
                return new Pattern.Literal(t.start, t.end, t.value);
            case MINUS, PLUS: {
                advance();
                Token n = peek();
                if (n.kind == INT) {
                    advance();
                    long v = (Long) n.value;
                    return new Pattern.Literal(t.start, n.end, t.kind == MINUS ? -v : v);
                }
                if (n.kind == FLOAT) {
                    advance();
                    double v = (Double) n.value;
                    return new Pattern.Literal(t.start, n.end, t.kind == MINUS ? -v : v);
                }
                throw error(n, "expected a number after '" + (t.kind == MINUS ? "-" : "+") + "' in the pattern, found " + describe(n));
            }
            case LPAREN: {
                advance();
                if (accept(RPAREN)) {
                    return new Pattern.Literal(t.start, previous().end, Pattern.Literal.UNIT);
                }
                newlineSignificant.push(false);
                try {
                    List<Pattern> elems = new ArrayList<>();
                    elems.add(pattern());
                    boolean tuple = false;
                    while (accept(COMMA)) {
                        if (!tuple) {
                            oneElementTuple(t);
                        }
                        tuple = true;
                        if (at(RPAREN)) {
                            break;
                        }
                        elems.add(pattern());
                    }
                    expect(RPAREN, "')' to close the pattern");
                    return tuple ? new Pattern.TuplePat(t.start, previous().end, elems) : elems.get(0);
                } finally {
                    newlineSignificant.pop();
                }
            }
            case LBRACKET:
                return listPattern();
            case LBRACE: {
                TokenKind k = peek(1).kind;
                if (k == STRING || k == INT || k == TRUE || k == FALSE || k == MINUS) {
                    return mapPattern();
                }
                if (k == RBRACE) {
                    // Reported, then read as '_' so that the rest of the match parses without follow-on errors.
                    errorAt(t.start, t.end, "'{}' is not a pattern: to match an empty map use a guard, m when length(m) == 0");
                    advance();
                    Token close = advance();
                    return new Pattern.Wildcard(t.start, close.end);
                }
                return fieldsPattern(t.start, null);
            }
            case IDENT:
                return namePattern();
            default:
                throw error(t, t.kind == BAR ? "match arms are not introduced by '|': write pattern => value, one arm per line"
                                : "expected a pattern, found " + describe(t));
        }
    }

    private Pattern namePattern() {
        Token t = advance();
        String name = t.text();
        if (name.equals("_")) {
            return new Pattern.Wildcard(t.start, t.end);
        }
        if (at(COLON)) {
            advance();
            if (at(LBRACE)) {
                Pattern.Typed s = (Pattern.Typed) fieldsPattern(peek().start, null);
                return new Pattern.Typed(t.start, s.end, name, null, s.fields);
            }
            TypeExpr ty = type();
            List<Pattern.FieldPat> fields = null;
            if (at(LBRACE) && !nl(peek())) {
                fields = ((Pattern.Typed) fieldsPattern(peek().start, null)).fields;
            }
            return new Pattern.Typed(t.start, previous().end, name, ty, fields);
        }
        if (at(LBRACE) && !nl(peek())) {
            Pattern.Typed s = (Pattern.Typed) fieldsPattern(peek().start, null);
            return new Pattern.Constructor(t.start, s.end, name, s.fields, null);
        }
        if (at(LPAREN) && !nl(peek())) {
            advance();
            newlineSignificant.push(false);
            try {
                List<Pattern> args = new ArrayList<>();
                while (!at(RPAREN)) {
                    args.add(pattern());
                    if (!accept(COMMA)) {
                        break;
                    }
                }
                expect(RPAREN, "',' or ')' in the constructor pattern");
                return new Pattern.Constructor(t.start, previous().end, name, null, args);
            } finally {
                newlineSignificant.pop();
            }
        }
        Token n = peek();
        if (Character.isUpperCase(name.charAt(0)) && !nl(n) && startsSimplePattern(n)) {
            // The seeds' spelling: `Success wsId =>`, `Err message =>`, `Success _ =>`.
            Pattern inner = simplePattern();
            return new Pattern.Constructor(t.start, inner.end, name, null, List.of(inner));
        }
        return new Pattern.Binder(t.start, t.end, name);
    }

    private static boolean startsSimplePattern(Token t) {
        return switch (t.kind) {
            case INT, FLOAT, STRING, TRUE, FALSE -> true;
            case IDENT -> !"when".equals(t.value);
            default -> false;
        };
    }

    private Pattern simplePattern() {
        Token t = peek();
        if (t.kind == IDENT) {
            advance();
            return t.text().equals("_") ? new Pattern.Wildcard(t.start, t.end) : new Pattern.Binder(t.start, t.end, t.text());
        }
        return pattern();
    }

    /** {@code { a, b: pattern, c: int }}: returned as a structural Typed pattern with no type. */
    private Pattern fieldsPattern(int start, String bindName) {
        expect(LBRACE, "'{'");
        List<Pattern.FieldPat> fields = new ArrayList<>();
        newlineSignificant.push(false);
        try {
            while (!at(RBRACE)) {
                Token ft = peek();
                String fname = expectFieldName("a field name in the pattern");
                Pattern sub = null;
                if (accept(COLON)) {
                    if (at(IDENT) && PRIMITIVE_TYPE_NAMES.contains((String) peek().value)) {
                        TypeExpr ty = type();
                        sub = new Pattern.Typed(ft.start, ty.end, fname, ty, null);
                    } else {
                        sub = pattern();
                    }
                }
                fields.add(new Pattern.FieldPat(ft.start, previous().end, fname, sub));
                if (!accept(COMMA) && !at(RBRACE) && !peek().newlineBefore) {
                    throw error(peek(), "expected ',' or '}' in the field pattern, found " + describe(peek()));
                }
            }
            expect(RBRACE, "'}' to close the field pattern");
        } finally {
            newlineSignificant.pop();
        }
        return new Pattern.Typed(start, previous().end, bindName, null, fields);
    }

    private Pattern listPattern() {
        Token open = advance();
        newlineSignificant.push(false);
        try {
            List<Pattern> elems = new ArrayList<>();
            String rest = null;
            while (!at(RBRACKET)) {
                if (accept(ELLIPSIS)) {
                    rest = at(IDENT) ? advance().text() : "_";
                    if (!at(RBRACKET)) {
                        throw error(peek(), "the rest pattern '...' must come last in a list pattern");
                    }
                    break;
                }
                elems.add(pattern());
                if (!accept(COMMA)) {
                    break;
                }
            }
            expect(RBRACKET, "',' or ']' in the list pattern");
            return new Pattern.ListPat(open.start, previous().end, elems, rest);
        } finally {
            newlineSignificant.pop();
        }
    }

    private Pattern mapPattern() {
        Token open = advance();
        newlineSignificant.push(false);
        try {
            List<Object> keys = new ArrayList<>();
            List<Pattern> values = new ArrayList<>();
            while (!at(RBRACE)) {
                Pattern key = pattern();
                if (!(key instanceof Pattern.Literal lit)) {
                    throw error(tokens.get(p - 1), "a map pattern's keys must be literals");
                }
                expect(COLON, "':' after the key in the map pattern");
                keys.add(lit.value);
                values.add(pattern());
                if (!accept(COMMA)) {
                    break;
                }
            }
            expect(RBRACE, "'}' to close the map pattern");
            return new Pattern.MapPat(open.start, previous().end, keys, values);
        } finally {
            newlineSignificant.pop();
        }
    }
}
