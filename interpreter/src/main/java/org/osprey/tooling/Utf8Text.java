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
    public record Malformed(int offset, int line, int column, int value, String byteOrderMark) {
        /** {@code line 3, column 5: byte 0xE9 is not part of a UTF-8 character}. */
        public String describe() {
            return "line " + line + ", column " + column + ": " + why();
        }

        /**
         * What is wrong with the byte: {@code byte 0xE9 is not part of a UTF-8 character}, or, for a text that
         * starts with the byte-order mark of UTF-16 (which Windows PowerShell's {@code >} writes) or of UTF-32,
         * which encoding it is, where a byte alone told nothing of what to do.
         */
        public String why() {
            if (byteOrderMark != null) {
                return byteOrderMark;
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
        String mark = byteOrderMark(bytes);
        if (mark != null) {
            return new Malformed(0, 1, 1, bytes[0] & 0xFF, mark); // UTF-32BE's mark begins with two NULs, which are UTF-8
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
        return new Malformed(at, line, column, bytes[at] & 0xFF, null);
    }

    /**
     * What a text's first bytes say when they are the byte-order mark of UTF-32 or UTF-16, or null. UTF-32LE's
     * mark begins with UTF-16LE's, and is taken as UTF-32's: a UTF-16 text would have to begin with U+0000.
     */
    private static String byteOrderMark(byte[] bytes) {
        int b0 = bytes.length > 0 ? bytes[0] & 0xFF : -1;
        int b1 = bytes.length > 1 ? bytes[1] & 0xFF : -1;
        int b2 = bytes.length > 2 ? bytes[2] & 0xFF : -1;
        int b3 = bytes.length > 3 ? bytes[3] & 0xFF : -1;
        if (b0 == 0xFF && b1 == 0xFE && b2 == 0 && b3 == 0) {
            return "bytes 0xFF 0xFE 0x00 0x00 are the byte-order mark of UTF-32 text";
        }
        if (b0 == 0 && b1 == 0 && b2 == 0xFE && b3 == 0xFF) {
            return "bytes 0x00 0x00 0xFE 0xFF are the byte-order mark of UTF-32 text";
        }
        if (b0 == 0xFF && b1 == 0xFE || b0 == 0xFE && b1 == 0xFF) {
            return "bytes " + (b0 == 0xFF ? "0xFF 0xFE" : "0xFE 0xFF") + " are the byte-order mark of UTF-16 text";
        }
        return null;
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
