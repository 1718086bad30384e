package org.osprey.parser;

import static org.osprey.parser.TokenKind.*;

import java.util.List;

/**
 * A walk over the parser's tokens ahead of it, which does not move it: the decisions that depend on the rest of a line,
 * or on what comes before a bracket closes, take one rather than each counting brackets and line breaks. At
 * each token, {@link #depth} is how many of the brackets the walk has passed are open (0: as deep as where it
 * began, so that a closing bracket there closes one opened before the walk); it counts '(', '[' and '{', or
 * the kinds {@link #counting} names. A walk of one line ends at the first token of the next line, every walk
 * at the end of the input.
 */
final class TokenWalk {
    private final List<Token> tokens;
    private final int from;
    private final boolean oneLine;
    private TokenKind[] counted = {LPAREN, LBRACKET, LBRACE};
    private int at;
    private int depth;

    TokenWalk(List<Token> tokens, int from, boolean oneLine) {
        this.tokens = tokens;
        this.from = from;
        this.oneLine = oneLine;
        this.at = from - 1;
    }

    /** Counts only the brackets that {@code openers} open, for a decision that the others do not nest. */
    TokenWalk counting(TokenKind... openers) {
        counted = openers;
        return this;
    }

    /** Moves to the next token (the first, at the first call); false where the walk has ended, {@link #index} then being where. */
    boolean next() {
        if (at >= from) {
            TokenKind k = kind();
            TokenKind opener = k == RPAREN ? LPAREN : k == RBRACKET ? LBRACKET : k == RBRACE ? LBRACE : k;
            if (oneOf(opener, counted)) {
                depth += k == opener ? 1 : -1;
            }
        }
        at++;
        return kind() != EOF && (at == from || !oneLine || !token().newlineBefore);
    }

    Token token() {
        return tokens.get(at);
    }

    TokenKind kind() {
        return tokens.get(at).kind;
    }

    int index() {
        return at;
    }

    int depth() {
        return depth;
    }

    /** Walks on to the first token of one of {@code kinds}, at any depth: its kind, or null where the walk ends before one. */
    TokenKind firstOf(TokenKind... kinds) {
        while (next()) {
            if (oneOf(kind(), kinds)) {
                return kind();
            }
        }
        return null;
    }

    /** Walks on to the first token of one of {@code kinds}, at any depth: its index, or the index where the walk ended. */
    int toFirst(TokenKind... kinds) {
        while (next() && !oneOf(kind(), kinds)) {
            // on
        }
        return at;
    }

    /** As {@link #toFirst}, for a token outside the brackets the walk passes (at depth 0). */
    int toFirstOutside(TokenKind... kinds) {
        while (next() && !(depth == 0 && oneOf(kind(), kinds))) {
            // on
        }
        return at;
    }

    /** Walks to the end: the index of the token where the walk ended. */
    int end() {
        return toFirst();
    }

    private static boolean oneOf(TokenKind k, TokenKind[] kinds) {
        for (TokenKind each : kinds) {
            if (k == each) {
                return true;
            }
        }
        return false;
    }
}
