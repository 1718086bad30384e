package org.osprey.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.java_websocket.framing.CloseFrame;

/**
 * Checks each incoming frame's header the moment it is complete, before Java-WebSocket sees the frame or
 * buffers any of its payload (RFC 6455 5.2, 5.4, 5.5, 7.4). The library alone accepts unmasked client frames
 * and masked server frames, lets a fragmented message grow without limit (it checks the total only at the
 * first and the last fragment), rejects a first text fragment that ends inside a UTF-8 sequence, and fails
 * with an exception on a close reason that is not UTF-8. This class keeps those promises instead.
 *
 * <p>It walks the byte stream frame by frame: a header is parsed, the payload is skipped, the next header
 * follows. Per buffer the work is one header per frame, with no allocation; a close frame's payload (at most
 * 125 bytes) is copied aside so its code and reason can be checked. A header split across two reads is
 * carried over ({@link #carry}) so that the library is only ever handed whole headers.
 *
 * <p>The first fragment of a text message is rewritten in place into a continuation frame, so that the
 * library never validates a fragment on its own; {@link StrictDraft} assembles the fragments and checks
 * the whole message. Binary messages are refused at the header (1003): Osprey handlers take text.
 */
final class FrameGuard {
    private static final int CONTINUATION = 0;
    private static final int TEXT = 1;
    private static final int BINARY = 2;
    private static final int CLOSE = 8;

    /** Server side: frames come from a client and must be masked; client side: they must not be. */
    private final boolean fromClient;
    private final int maxMessageSize;

    /** Payload bytes of the current frame still to come. */
    private long payloadLeft;
    private boolean inClose;
    private final byte[] closePayload = new byte[125];
    private int closeLength;
    private final byte[] mask = new byte[4];
    private int maskIndex;
    private boolean masked;

    /** Within a fragmented message, and its size so far. */
    private boolean fragmented;
    private long messageSize;

    /** The start of a header that the last buffer ended in the middle of. */
    final byte[] carry = new byte[14];
    int carryLength;

    private int violationCode;
    private String violationReason;
    /** The last close frame had no payload: no status code (RFC 6455 7.1.5: 1005), which the library reads as 1000. */
    private boolean closeWithoutCode;

    FrameGuard(boolean fromClient, int maxMessageSize) {
        this.fromClient = fromClient;
        this.maxMessageSize = maxMessageSize;
    }

    boolean violated() {
        return violationReason != null;
    }

    int violationCode() {
        return violationCode;
    }

    String violationReason() {
        return violationReason;
    }

    boolean closeWithoutCode() {
        return closeWithoutCode;
    }

    /**
     * Scans {@code a[from, to)}, the next bytes of the stream. Returns the end of the bytes the library may
     * have: {@code to}, or less when the buffer ends inside a header (the rest is in {@link #carry}) or when
     * a frame breaks the protocol ({@link #violated()}; the bytes from that frame on are withheld).
     */
    int scan(byte[] a, int from, int to) {
        int p = from;
        int frameStart = from; // the current frame's header, as far as it lies in this buffer
        while (p < to) {
            if (payloadLeft > 0) {
                int n = (int) Math.min(payloadLeft, to - p);
                if (inClose) {
                    collectClose(a, p, n);
                }
                p += n;
                payloadLeft -= n;
                if (payloadLeft == 0 && inClose && !closeIsValid()) {
                    return frameStart;
                }
                continue;
            }
            int available = to - p;
            if (available < 2) {
                return carryOver(a, p, available);
            }
            int b0 = a[p] & 0xff;
            int b1 = a[p + 1] & 0xff;
            int length7 = b1 & 0x7f;
            boolean hasMask = (b1 & 0x80) != 0;
            int headerLength = headerLength(b1);
            if (available < headerLength) {
                return carryOver(a, p, available);
            }
            long length = payloadLength(a, p);
            if (!headerIsValid(b0, hasMask, length7, length)) {
                return p;
            }
            int opcode = b0 & 0x0f;
            if (opcode == TEXT && (b0 & 0x80) == 0) {
                a[p] = (byte) (b0 & 0xf0); // the first fragment becomes a continuation frame; see the class comment
            }
            frameStart = p;
            masked = hasMask;
            if (hasMask) {
                System.arraycopy(a, p + headerLength - 4, mask, 0, 4);
            }
            maskIndex = 0;
            inClose = opcode == CLOSE;
            if (inClose) {
                closeWithoutCode = length == 0;
            }
            closeLength = 0;
            payloadLeft = length;
            p += headerLength;
        }
        return to;
    }

    private int carryOver(byte[] a, int p, int n) {
        System.arraycopy(a, p, carry, 0, n);
        carryLength = n;
        return p;
    }

    /** The length of a frame's header, from its second byte (RFC 6455 5.2). */
    static int headerLength(int b1) {
        int length7 = b1 & 0x7f;
        return 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + ((b1 & 0x80) != 0 ? 4 : 0);
    }

    /** The payload length of the frame whose header starts at {@code a[p]} (the whole header is there). */
    static long payloadLength(byte[] a, int p) {
        int length7 = a[p + 1] & 0x7f;
        return length7 == 126 ? (a[p + 2] & 0xff) << 8 | (a[p + 3] & 0xff) : length7 == 127 ? readLong(a, p + 2) : length7;
    }

    private static long readLong(byte[] a, int p) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (a[p + i] & 0xff);
        }
        return v;
    }

    private boolean headerIsValid(int b0, boolean hasMask, int length7, long length) {
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0f;
        if ((b0 & 0x70) != 0) {
            return fail(CloseFrame.PROTOCOL_ERROR, "reserved bits set, but no extension was negotiated");
        }
        if (opcode > 2 && opcode < 8 || opcode > 10) {
            return fail(CloseFrame.PROTOCOL_ERROR, "unknown opcode " + opcode);
        }
        if (fromClient && !hasMask) {
            return fail(CloseFrame.PROTOCOL_ERROR, "frame from the client is not masked");
        }
        if (!fromClient && hasMask) {
            return fail(CloseFrame.PROTOCOL_ERROR, "frame from the server is masked");
        }
        if (opcode >= CLOSE) {
            if (!fin) {
                return fail(CloseFrame.PROTOCOL_ERROR, "fragmented control frame");
            }
            if (length7 > 125) {
                return fail(CloseFrame.PROTOCOL_ERROR, "control frame longer than 125 bytes");
            }
            if (opcode == CLOSE && length == 1) {
                return fail(CloseFrame.PROTOCOL_ERROR, "close frame with a 1-byte payload");
            }
            return true;
        }
        if (length < 0) {
            return fail(CloseFrame.PROTOCOL_ERROR, "payload length with the most significant bit set");
        }
        if (opcode == CONTINUATION) {
            if (!fragmented) {
                return fail(CloseFrame.PROTOCOL_ERROR, "continuation frame without a message to continue");
            }
            messageSize += length;
            if (messageSize > maxMessageSize) {
                return fail(CloseFrame.TOOBIG, "message larger than " + maxMessageSize + " bytes");
            }
            fragmented = !fin;
            return true;
        }
        if (fragmented) {
            return fail(CloseFrame.PROTOCOL_ERROR, "new message before the fragmented one ended");
        }
        if (opcode == BINARY) {
            return fail(CloseFrame.REFUSE, "binary messages are not supported");
        }
        if (length > maxMessageSize) {
            return fail(CloseFrame.TOOBIG, "message larger than " + maxMessageSize + " bytes");
        }
        fragmented = !fin;
        messageSize = length;
        return true;
    }

    private void collectClose(byte[] a, int p, int n) {
        for (int i = 0; i < n; i++) {
            closePayload[closeLength++] = masked ? (byte) (a[p + i] ^ mask[maskIndex++ & 3]) : a[p + i];
        }
    }

    /** RFC 6455 7.4: the close codes a peer may send (1004-1006 and 1015 are reserved, 1016-2999 unassigned). */
    static boolean maySend(long code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    /** A close code {@link #maySend}; RFC 6455 5.5.1: the reason is UTF-8. Called once the payload is complete. */
    private boolean closeIsValid() {
        inClose = false;
        int code = (closePayload[0] & 0xff) << 8 | (closePayload[1] & 0xff);
        if (!maySend(code)) {
            return fail(CloseFrame.PROTOCOL_ERROR, "invalid close code " + code);
        }
        if (utf8(ByteBuffer.wrap(closePayload, 2, closeLength - 2)) == null) {
            return fail(CloseFrame.NO_UTF8, "close reason is not valid UTF-8");
        }
        return true;
    }

    /** The text, or null when the bytes are not well-formed UTF-8 (no overlong forms, no surrogates). */
    static String utf8(ByteBuffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Marks the stream as broken by a frame the guard itself let through (a text frame that is not UTF-8). */
    void violate(int code, String reason) {
        fail(code, reason);
    }

    private boolean fail(int code, String reason) {
        violationCode = code;
        violationReason = reason;
        return false;
    }
}
