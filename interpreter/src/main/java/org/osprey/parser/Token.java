package org.osprey.parser;

import java.util.List;

/**
 * One token. Offsets are character offsets into the source; {@code newlineBefore} records whether a line
 * break separates it from the previous token, which is how Osprey ends statements and match arms without
 * semicolons.
 */
public final class Token {
    public final TokenKind kind;
    public final int start;
    public final int end;
    public final boolean newlineBefore;
    /** The identifier's name, the literal's decoded value (Long, Double) or the string's text. */
    public final Object value;
    /** For STRING tokens: the pieces, each a String or an {@link Interpolation}. */
    public final List<Object> parts;

    public Token(TokenKind kind, int start, int end, boolean newlineBefore, Object value, List<Object> parts) {
        this.kind = kind;
        this.start = start;
        this.end = end;
        this.newlineBefore = newlineBefore;
        this.value = value;
        this.parts = parts;
    }

    public String text() {
        return (String) value;
    }

    /** The tokens of one {@code ${ ... }} inside a string literal, ending with EOF at the closing brace. */
    public record Interpolation(List<Token> tokens, int start, int end) {
    }

    @Override
    public String toString() {
        return kind + (value != null ? "(" + value + ")" : "") + "@" + start;
    }
}
