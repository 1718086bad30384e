package org.osprey.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.oracle.truffle.api.strings.TruffleString;

import org.junit.jupiter.api.Test;

/**
 * Strings.of and Strings.java convert with the JDK's UTF-8 encoder and decoder: the same strings as
 * TruffleString's own conversion, which they replaced, for every kind of text, and a Java string with a lone
 * surrogate (which the JDK would encode as '?') still converted TruffleString's way.
 */
class StringsConversionTest {
    private static final List<String> TEXTS = List.of("", "a", "plain ASCII text, 123 !@#", "café", "ÿ\u0080\u00ff", "ηta épsilon",
                    "日本語のテキスト", "😀 emoji 🎉 pairs", "mixed é 日 😀 a", "\u0000nul\u007f", "x".repeat(5000) + "é".repeat(3000),
                    "\ud800", "a\udc00b", "lone \ud83d at the end \ud83d", "\udfff\ud800", "pair \ud83d\ude00 then lone \ud83d");

    @Test
    void javaToStringAsTruffleStringDoes() {
        for (int i = 0; i < TEXTS.size(); i++) {
            String text = TEXTS.get(i);
            String what = "text " + i;
            TruffleString expected = TruffleString.fromJavaStringUncached(text, Strings.ENCODING);
            TruffleString actual = Strings.of(text);
            assertArrayEquals(expected.copyToByteArrayUncached(Strings.ENCODING), actual.copyToByteArrayUncached(Strings.ENCODING), what);
            assertEquals(expected.getCodeRangeUncached(Strings.ENCODING), actual.getCodeRangeUncached(Strings.ENCODING), what);
            assertEquals(expected.codePointLengthUncached(Strings.ENCODING), actual.codePointLengthUncached(Strings.ENCODING), what);
            assertTrue(expected.equalsUncached(actual, Strings.ENCODING), what);
        }
    }

    @Test
    void stringToJavaAsTruffleStringDoes() {
        for (String text : TEXTS) {
            TruffleString s = Strings.of(text);
            assertEquals(s.toJavaStringUncached(), Strings.java(s), text);
            TruffleString fresh = TruffleString.fromByteArrayUncached(s.copyToByteArrayUncached(Strings.ENCODING), Strings.ENCODING, false);
            assertEquals(fresh.toJavaStringUncached(), Strings.java(fresh), text);
        }
    }

    @Test
    void aPieceOfALongerStringIsDecodedAlone() {
        TruffleString whole = Strings.of("0123456789é日😀abcdef");
        TruffleString piece = whole.substringByteIndexUncached(3, 16, Strings.ENCODING, true);
        assertEquals(piece.toJavaStringUncached(), Strings.java(piece));
    }
}
