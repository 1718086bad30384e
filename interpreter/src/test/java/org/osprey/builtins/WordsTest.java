package org.osprey.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** words reads UTF-8 bytes where they lie: its test of white space must agree with isWhiteSpace for every character. */
class WordsTest {
    @Test
    void theByteTestOfWhiteSpaceAgreesWithTheCodePointTestForEveryCharacter() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                continue;
            }
            byte[] utf8 = ("a" + Character.toString(cp) + "b").getBytes(StandardCharsets.UTF_8);
            int expected = StringBuiltins.isWhiteSpace(cp) ? utf8.length - 2 : 0;
            assertEquals(expected, StringBuiltins.whiteSpaceBytes(utf8, 1, utf8.length), "U+" + Integer.toHexString(cp));
            // Every later byte of the character (a continuation byte) begins no white space either.
            for (int i = 2; i < utf8.length - 1; i++) {
                assertEquals(0, StringBuiltins.whiteSpaceBytes(utf8, i, utf8.length), "U+" + Integer.toHexString(cp) + " byte " + i);
            }
        }
    }

    @Test
    void aCharacterCutShortAtTheEndIsNoWhiteSpace() {
        byte[] cut = {(byte) 0xE2, (byte) 0x80};
        assertEquals(0, StringBuiltins.whiteSpaceBytes(cut, 0, 2));
        assertEquals(0, StringBuiltins.whiteSpaceBytes(new byte[] {(byte) 0xC2}, 0, 1));
    }
}
