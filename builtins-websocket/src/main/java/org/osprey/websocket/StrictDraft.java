package org.osprey.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.HandshakeState;
import org.java_websocket.enums.Opcode;
import org.java_websocket.enums.Role;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.PingFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.Handshakedata;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;

/**
 * RFC 6455 as Java-WebSocket's Draft_6455 does it, held to the letter on both ends (one instance per
 * connection, through {@link #copyInstance()}):
 * <ul>
 * <li>every incoming frame passes {@link FrameGuard} before the library parses it; a frame that breaks the
 * protocol fails the connection with the guard's close code, after the frames before it were delivered;
 * <li>fragmented text messages are assembled here, within the message size limit, and checked as a whole
 * for UTF-8 (1007);
 * <li>as a client, the server's Sec-WebSocket-Accept must match the key that was sent, and its response may
 * name no extension and no subprotocol (none is asked for);
 * <li>every byte queued for the socket is counted ({@link #produced()}), so that an endpoint can bound the
 * data waiting to be sent to a peer that does not read.
 * </ul>
 */
final class StrictDraft extends Draft_6455 {
    /** Stands in the frame list for the frame that broke the protocol; {@link #processFrame} fails on it. */
    private static final Framedata VIOLATION = new PingFrame();
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final int maxMessageSize;
    private FrameGuard guard;
    private final AtomicLong produced = new AtomicLong();
    /** The fragments of a text message so far. */
    private byte[] fragments;
    private int fragmentsLength;

    private final List<String> subprotocols;

    StrictDraft(int maxMessageSize, List<String> subprotocols) {
        super(List.of(), protocols(subprotocols), maxMessageSize);
        this.maxMessageSize = maxMessageSize;
        this.subprotocols = subprotocols;
    }

    /**
     * The library's protocols: the subprotocols of --websocket-subprotocols in their order (a server takes the
     * first a client offered; a client offers them all), then the empty one, which accepts a handshake without
     * (a client that offers none; a server that answers with none).
     */
    private static List<IProtocol> protocols(List<String> subprotocols) {
        List<IProtocol> all = new ArrayList<>();
        subprotocols.forEach(name -> all.add(new Protocol(name)));
        all.add(new Protocol(""));
        return all;
    }

    static StrictDraft of(Settings settings) {
        return new StrictDraft(settings.maxMessageSize(), settings.subprotocols());
    }

    @Override
    public Draft copyInstance() {
        return new StrictDraft(maxMessageSize, subprotocols);
    }

    /**
     * The close code the peer sent, given the one the library reports: a close frame without a payload has
     * none (RFC 6455 7.1.5: 1005), where the library says 1000 (and answers with 1000, which the RFC allows).
     */
    int receivedCloseCode(int reported, boolean remote) {
        return remote && reported == CloseFrame.NORMAL && guard != null && guard.closeWithoutCode() ? CloseFrame.NOCODE : reported;
    }

    /** Bytes handed to the connection's output queue so far: handshake and frames. */
    long produced() {
        return produced.get();
    }

    // ---------------------------------------------------------------- incoming

    @Override
    public List<Framedata> translateFrame(ByteBuffer buffer) throws InvalidDataException {
        if (guard == null) {
            guard = new FrameGuard(getRole() == Role.SERVER, maxMessageSize);
        }
        if (guard.violated()) {
            buffer.position(buffer.limit());
            return List.of();
        }
        ByteBuffer in = buffer;
        if (guard.carryLength > 0) {
            in = ByteBuffer.allocate(guard.carryLength + buffer.remaining());
            in.put(guard.carry, 0, guard.carryLength).put(buffer).flip();
            guard.carryLength = 0;
        }
        int base = in.arrayOffset();
        int end = guard.scan(in.array(), base + in.position(), base + in.limit()) - base;
        if (end == in.limit()) {
            return translateChecked(in);
        }
        List<Framedata> frames = List.of();
        if (end > in.position()) {
            ByteBuffer accepted = in.duplicate();
            accepted.limit(end);
            frames = translateChecked(accepted);
        }
        in.position(in.limit());
        buffer.position(buffer.limit());
        if (!guard.violated()) {
            return frames; // the buffer ended inside a header
        }
        List<Framedata> withViolation = new ArrayList<>(frames.size() + 1);
        withViolation.addAll(frames);
        withViolation.add(VIOLATION);
        return withViolation;
    }

    /**
     * The library's parsing. It checks a whole text frame's UTF-8 as it parses the buffer, and when one fails it
     * throws and keeps none of the frames it had parsed before it: those are parsed again one at a time and
     * delivered, and the bad frame fails the connection with 1007 after them, as the guard's violations do.
     */
    private List<Framedata> translateChecked(ByteBuffer in) throws InvalidDataException {
        ByteBuffer whole = in.duplicate();
        try {
            return super.translateFrame(in);
        } catch (InvalidDataException e) {
            if (e.getCloseCode() != CloseFrame.NO_UTF8) {
                throw e;
            }
            in.position(in.limit());
            return beforeBadText(whole);
        }
    }

    private List<Framedata> beforeBadText(ByteBuffer in) throws InvalidDataException {
        List<Framedata> frames = new ArrayList<>();
        int base = in.arrayOffset();
        int p = in.position();
        while (p < in.limit()) {
            int n = frameLength(in.array(), base + p, base + in.limit());
            if (n < 0) {
                break;
            }
            ByteBuffer one = in.duplicate();
            one.limit(p + n).position(p);
            try {
                frames.addAll(super.translateFrame(one));
            } catch (InvalidDataException e) {
                if (e.getCloseCode() != CloseFrame.NO_UTF8) {
                    throw e;
                }
                break;
            }
            p += n;
        }
        guard.violate(CloseFrame.NO_UTF8, "message is not valid UTF-8");
        frames.add(VIOLATION);
        return frames;
    }

    /** The length of the whole frame at {@code a[p]}, header and payload, or -1 when it does not end by {@code end}. */
    private static int frameLength(byte[] a, int p, int end) {
        if (end - p < 2) {
            return -1;
        }
        int header = FrameGuard.headerLength(a[p + 1] & 0xff);
        if (end - p < header) {
            return -1;
        }
        long length = FrameGuard.payloadLength(a, p);
        return length <= end - p - header ? (int) (header + length) : -1;
    }

    private static InvalidDataException notUtf8() {
        return new InvalidDataException(CloseFrame.NO_UTF8, "message is not valid UTF-8");
    }

    @Override
    public void processFrame(WebSocketImpl ws, Framedata frame) throws InvalidDataException {
        if (frame == VIOLATION) {
            throw new InvalidDataException(guard.violationCode(), guard.violationReason());
        }
        if (frame.getOpcode() != Opcode.CONTINUOUS) {
            try {
                super.processFrame(ws, frame);
            } catch (InvalidDataException e) {
                throw e.getCloseCode() == CloseFrame.NO_UTF8 ? notUtf8() : e;
            }
            return;
        }
        // A fragment of a text message (FrameGuard made the first one a continuation frame, and has checked
        // the sequence and the total size against the limit).
        ByteBuffer part = frame.getPayloadData();
        int n = part.remaining();
        if (fragments == null || fragments.length - fragmentsLength < n) {
            fragments = Arrays.copyOf(fragments == null ? new byte[0] : fragments, Math.max(fragmentsLength + n, Math.min(maxMessageSize, 2 * (fragmentsLength + n))));
        }
        part.get(fragments, fragmentsLength, n);
        fragmentsLength += n;
        if (frame.isFin()) {
            ByteBuffer whole = ByteBuffer.wrap(fragments, 0, fragmentsLength);
            fragments = null;
            fragmentsLength = 0;
            String text = FrameGuard.utf8(whole);
            if (text == null) {
                throw notUtf8();
            }
            try {
                ws.getWebSocketListener().onWebsocketMessage(ws, text);
            } catch (RuntimeException e) {
                ws.getWebSocketListener().onWebsocketError(ws, e);
            }
        }
    }

    @Override
    public void reset() {
        super.reset();
        fragments = null;
        fragmentsLength = 0;
    }

    // ---------------------------------------------------------------- handshake (client side)

    @Override
    public HandshakeState acceptHandshakeAsClient(ClientHandshake request, ServerHandshake response) throws InvalidHandshakeException {
        if (!response.getFieldValue("Upgrade").strip().equalsIgnoreCase("websocket")) {
            throw new InvalidHandshakeException("the server's handshake response has no 'Upgrade: websocket'");
        }
        if (!response.getFieldValue("Connection").toLowerCase(java.util.Locale.ROOT).contains("upgrade")) {
            throw new InvalidHandshakeException("the server's handshake response has no 'Connection: Upgrade'");
        }
        String accept = response.getFieldValue("Sec-WebSocket-Accept").strip();
        if (!accept.equals(acceptFor(request.getFieldValue("Sec-WebSocket-Key").strip()))) {
            throw new InvalidHandshakeException("the server's Sec-WebSocket-Accept does not match the key that was sent");
        }
        // RFC 6455 4.1: the client asked for no extension and only the subprotocols of --websocket-subprotocols,
        // so a response that names another fails the connection (the library took any extension; a server
        // compressing its frames then broke it with 1002).
        String extensions = response.getFieldValue("Sec-WebSocket-Extensions").strip();
        if (!extensions.isEmpty()) {
            throw new InvalidHandshakeException("the server's handshake response names an extension that was not asked for ('" + extensions + "')");
        }
        String protocol = response.getFieldValue("Sec-WebSocket-Protocol").strip();
        if (!protocol.isEmpty() && !subprotocols.contains(protocol)) {
            throw new InvalidHandshakeException("the server's handshake response names a subprotocol that was not asked for ('" + protocol + "')");
        }
        return super.acceptHandshakeAsClient(request, response);
    }

    /** RFC 6455 4.2.2: base64(SHA-1(key + GUID)). */
    static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- outgoing

    @Override
    public ByteBuffer createBinaryFrame(Framedata framedata) {
        ByteBuffer bytes = super.createBinaryFrame(framedata);
        produced.addAndGet(bytes.remaining());
        return bytes;
    }

    @Override
    public List<ByteBuffer> createHandshake(Handshakedata handshakedata, boolean withcontent) {
        List<ByteBuffer> bytes = super.createHandshake(handshakedata, withcontent);
        for (ByteBuffer b : bytes) {
            produced.addAndGet(b.remaining());
        }
        return bytes;
    }
}
