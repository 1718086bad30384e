package org.osprey.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;

import org.osprey.spi.BuiltinException;
import org.osprey.spi.BuiltinRegistry;
import org.osprey.spi.Values;

/**
 * urlEncode and urlDecode (docs/http.md, "Query strings"): RFC 3986 percent-encoding of UTF-8 text. They do no
 * I/O, so their category is one no sandbox flag takes away: a program run with --no-http still has them.
 */
final class PercentEncoding {
    /** Not fs, process, websocket or http: kept by every sandbox flag (docs/plugins.md). */
    static final String CATEGORY = "text";
    /** The most UTF-8 bytes a string holds (as the interpreter's own string operations say). */
    private static final long MAX_BYTES = 1L << 30;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentEncoding() {
    }

    static void declare(BuiltinRegistry r) {
        r.function("urlEncode(text: string) -> string", CATEGORY,
                        "The text for a URL's path segment or query: every UTF-8 byte but A-Z a-z 0-9 - . _ ~ as %XX.",
                        (c, a) -> Values.string(encode(Values.javaString(a[0]))));
        r.function("urlDecode(text: string) -> Result<string, string>", CATEGORY,
                        "The text with its %XX decoded as UTF-8 bytes ('+' stays '+'); an Error for a bad % or bytes that are not UTF-8.",
                        (c, a) -> decode(Values.javaString(a[0])));
    }

    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long length = 0;
        for (byte b : bytes) {
            length += unreserved(b) ? 1 : 3;
        }
        if (length > MAX_BYTES) {
            throw new BuiltinException("string too large: the result would be " + length + " bytes, more than the limit of " + MAX_BYTES + " bytes (1 GiB)");
        }
        StringBuilder out = new StringBuilder((int) length);
        for (byte b : bytes) {
            if (unreserved(b)) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out.toString();
    }

    private static boolean unreserved(byte b) {
        return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-' || b == '.' || b == '_' || b == '~';
    }

    /**
     * {@code Success(text)} or {@code Error(message)}. Offsets in messages count code points from 0, as substring
     * does; each decoded byte remembers where in the text it came from, so bytes that are not UTF-8 are
     * shown as the program wrote them.
     */
    static Object decode(String text) {
        // no more bytes than the text's own UTF-8 (a %XX is three bytes that give one)
        byte[] bytes = new byte[text.getBytes(StandardCharsets.UTF_8).length];
        int[] from = new int[bytes.length]; // the index in text of what each byte came from
        int n = 0;
        for (int i = 0; i < text.length();) {
            int width = Character.charCount(text.codePointAt(i));
            if (text.charAt(i) == '%') {
                int high = i + 1 < text.length() ? hex(text.charAt(i + 1)) : -1;
                int low = i + 2 < text.length() ? hex(text.charAt(i + 2)) : -1;
                if (high < 0 || low < 0) {
                    int end = Math.min(text.length(), i + 3);
                    if (Character.isHighSurrogate(text.charAt(end - 1)) && end < text.length()) {
                        end++; // a character beyond the BMP shown whole
                    }
                    return Values.error("urlDecode: '" + Values.visible(text.substring(i, end)) + "' at offset " + text.codePointCount(0, i)
                                    + ": a '%' must be followed by two hex digits (a '%' itself is written %25)");
                }
                from[n] = i;
                bytes[n++] = (byte) (high << 4 | low);
                i += 3;
            } else {
                for (byte b : text.substring(i, i + width).getBytes(StandardCharsets.UTF_8)) {
                    from[n] = i;
                    bytes[n++] = b;
                }
                i += width;
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, n);
        try {
            return Values.success(Values.string(utf8.decode(in).toString()));
        } catch (MalformedInputException e) {
            int start = from[in.position()];
            int last = from[in.position() + e.getInputLength() - 1];
            int end = last + (text.charAt(last) == '%' ? 3 : Character.charCount(text.codePointAt(last)));
            return Values.error("urlDecode: '" + Values.visible(text.substring(start, end)) + "' at offset " + text.codePointCount(0, start)
                            + " is not UTF-8 (each %XX is one byte of the text's UTF-8: é is %C3%A9)");
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(e); // UTF-8 maps every character it decodes: only malformed input is reported
        }
    }

    /** The value of an ASCII hex digit (either case), or -1. */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
