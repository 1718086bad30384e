package org.osprey.ast;

/**
 * What an extern function passes to C and gets back (spec 0003's ABI table): int as int64_t, float as double,
 * bool as a one-byte bool, string as char *, and for a result also unit as void. {@link #nfi} is the type's
 * name in a signature of Truffle's native function interface: a string is an array of its UTF-8 bytes (not
 * NFI's STRING, which converts through JNI's modified UTF-8), except where ExternLinker makes it a pointer.
 */
public enum ExternType {
    INT("SINT64"),
    FLOAT("DOUBLE"),
    BOOL("UINT8"),
    STRING("[UINT8]"),
    UNIT("VOID");

    public final String nfi;

    ExternType(String nfi) {
        this.nfi = nfi;
    }

    /** The type written {@code name} (in either spelling, int or Int), or null; unit only for a result. */
    public static ExternType of(String name, boolean result) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "int" -> INT;
            case "float" -> FLOAT;
            case "bool" -> BOOL;
            case "string" -> STRING;
            case "unit" -> result ? UNIT : null;
            default -> null;
        };
    }
}
