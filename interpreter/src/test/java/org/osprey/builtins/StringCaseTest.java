package org.osprey.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/** The measure toUpperCase and toLowerCase take of a long string's result before it is built. */
class StringCaseTest {
    /** Only strings beyond a third of the limit are measured: this checks the bound against the JDK's tables. */
    @Test
    void noCodePointGrowsMoreThanThreeTimes() {
        int largest = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
                continue;
            }
            String s = Character.toString(cp);
            long bytes = utf8(s);
            for (String mapped : new String[] {s.toUpperCase(Locale.ROOT), s.toLowerCase(Locale.ROOT)}) {
                assertTrue(utf8(mapped) <= StringBuiltins.MAX_CASE_GROWTH * bytes, "U+" + Integer.toHexString(cp) + " -> " + mapped);
                largest = (int) Math.max(largest, utf8(mapped) / bytes);
            }
        }
        assertEquals(StringBuiltins.MAX_CASE_GROWTH, largest, "the bound is the largest growth");
    }

    /** The measure is the bytes of the string mapped as a whole, pairs and a final sigma included. */
    @Test
    void measuredAsMappedWhole() {
        String s = "ΐßİ Straße ΟΔΟΣ ΟΔΟΣ. 😀x😀 ŉǰ ﬃ ΰ Σ 𐐀𐐨 Ⱥɐ";
        for (int end = 0; end <= s.length(); end++) {
            if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
                continue; // half a pair is no string of the language
            }
            String t = s.substring(0, end);
            assertEquals(utf8(t.toUpperCase(Locale.ROOT)), StringBuiltins.caseMappedBytes(t, true), t);
            assertEquals(utf8(t.toLowerCase(Locale.ROOT)), StringBuiltins.caseMappedBytes(t, false), t);
        }
    }

    /** A long string is mapped in pieces, or around its İs: the result is the JDK's for the string as a whole. */
    @Test
    void longStringsMappedAsWhole() {
        String[] parts = {"ß", "ΐ", "İ", "Σ", "ΟΔΟΣ", " ", "ΟΔΟΣ. ", "a", "Straße", "𐐀", "𐐨", "😀", "\u0307", "ŉ", "ﬃ", "x",
            "ᾳ", "Σ\u0307", "İΣ", "ΣİΣ "};
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 400; round++) {
            StringBuilder sb = new StringBuilder();
            int length = 200 + random.nextInt(3000);
            while (sb.length() < length) {
                sb.append(parts[random.nextInt(parts.length)]);
            }
            check(sb.toString());
        }
        // A pair across the first piece's end, a text of one char that grows, and one of nothing that does.
        check("a".repeat(StringBuiltins.CASE_PIECE - 1) + "𐐨ß".repeat(300));
        check("ß".repeat(5000));
        check("İ".repeat(5000) + "ΟΔΟΣ");
        check("plain ASCII, µ and Þ ".repeat(100));
    }

    private static void check(String s) {
        assertEquals(s.toUpperCase(Locale.ROOT), StringBuiltins.upperCase(s), s);
        assertEquals(s.toLowerCase(Locale.ROOT), StringBuiltins.lowerCase(s), s);
    }

    /** What the two mappings rely on: no char below ß grows upper-cased, and only İ grows lower-cased. */
    @Test
    void whatGrowsWhenCaseMapped() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
                continue;
            }
            String s = Character.toString(cp);
            if (cp < 0xDF) {
                assertEquals(1, s.toUpperCase(Locale.ROOT).length(), "U+" + Integer.toHexString(cp));
            }
            if (cp != 0x130) {
                assertEquals(s.length(), s.toLowerCase(Locale.ROOT).length(), "U+" + Integer.toHexString(cp));
            }
        }
        assertEquals("i\u0307", "\u0130".toLowerCase(Locale.ROOT));
    }

    private static long utf8(String s) {
        long bytes = s.getBytes(StandardCharsets.UTF_8).length;
        assertEquals(bytes, StringBuiltins.utf8Length(s));
        return bytes;
    }
}
