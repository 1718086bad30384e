package org.osprey.tooling;

/**
 * Where bytes stop being UTF-8, for the messages that refuse them: a program file (the launcher) and a file
 * that {@code readFile} reads. Spec 0004: strings are UTF-8, so such bytes are refused rather than read as
 * U+FFFD. The bytes are checked where they are, without decoding them into characters: a text of a
 * gigabyte is checked without a second gigabyte.
 */
public final class Utf8Text {
    private Utf8Text() {
    }

    /**
     * The first byte that is not part of a UTF-8 character: its offset, its line (from 1) and its column (code
     * points before it on its line, plus 1).
     */
    public record Malformed(int offset, int line, int column, int value, boolean utf16) {
        /** {@code line 3, column 5: byte 0xE9 is not part of a UTF-8 character}. */
        public String describe() {
            return "line " + line + ", column " + column + ": " + why();
        }

        /**
         * What is wrong with the byte: {@code byte 0xE9 is not part of a UTF-8 character}, or, for a text that
         * starts with the byte-order mark of UTF-16, which Windows PowerShell's {@code >} writes, that it is
         * UTF-16, where a byte alone told nothing of what to do.
         */
        public String why() {
            if (utf16) {
                return "bytes " + (value == 0xFF ? "0xFF 0xFE" : "0xFE 0xFF") + " are the byte-order mark of UTF-16 text";
            }
            return "byte " + String.format("0x%02X", value) + " is not part of a UTF-8 character";
        }
    }

    /** The first malformed byte of {@code bytes}, or null if they are UTF-8. */
    public static Malformed firstMalformed(byte[] bytes) {
        int at = firstMalformedOffset(bytes);
        if (at < 0) {
            return null;
        }
        int line = 1;
        int column = 1;
        for (int i = 0; i < at; i++) {
            if (bytes[i] == '\n') {
                line++;
                column = 1;
            } else if ((bytes[i] & 0xC0) != 0x80) {
                column++; // the first byte of a code point (all before at are well formed)
            }
        }
        boolean utf16 = at == 0 && bytes.length >= 2
                        && ((bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE || (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF);
        return new Malformed(at, line, column, bytes[at] & 0xFF, utf16);
    }

    /**
     * The offset of the first sequence that is not UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
     * beyond U+10FFFF), or -1.
     */
    private static int firstMalformedOffset(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int length = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
            if (length == 0 || i + length > b.length) {
                return i;
            }
            // The second byte's range excludes overlong forms (E0, F0), surrogates (ED) and beyond U+10FFFF (F4).
            int second = b[i + 1] & 0xFF;
            int low = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
            int high = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
            if (second < low || second > high) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }
}
