package org.osprey.parser;

/** The kinds of tokens of spec 0002. Keywords are separate kinds so the parser never compares strings. */
public enum TokenKind {
    INT("integer literal"),
    FLOAT("float literal"),
    STRING("string literal"),
    IDENT("identifier"),

    // keywords (spec 0002)
    FN("'fn'"), LET("'let'"), MUT("'mut'"), TYPE("'type'"), MATCH("'match'"), EXTERN("'extern'"),
    IMPORT("'import'"), EFFECT("'effect'"), PERFORM("'perform'"), HANDLE("'handle'"), IN("'in'"), AS("'as'"),
    TRUE("'true'"), FALSE("'false'"),

    // operators
    PLUS("'+'"), MINUS("'-'"), STAR("'*'"), SLASH("'/'"), PERCENT("'%'"),
    EQ("'=='"), NE("'!='"), LT("'<'"), GT("'>'"), LE("'<='"), GE("'>='"),
    AND("'&&'"), OR("'||'"), NOT("'!'"),
    ASSIGN("'='"), ARROW("'->'"), FAT_ARROW("'=>'"), BAR("'|'"), PIPE("'|>'"),
    QUESTION("'?'"), ELVIS("'?:'"), COLON("':'"), COMMA("','"), DOT("'.'"), ELLIPSIS("'...'"),
    SEMICOLON("';'"),
    LPAREN("'('"), RPAREN("')'"), LBRACE("'{'"), RBRACE("'}'"), LBRACKET("'['"), RBRACKET("']'"),

    EOF("end of input"),
    /** A character the lexer could not make sense of; kept so highlighting and recovery can continue. */
    ERROR("invalid character");

    public final String display;

    TokenKind(String display) {
        this.display = display;
    }
}
