package org.osprey.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;

/**
 * One client of a {@link ServerEndpoint}, from the moment its TCP connection is accepted. Until its
 * upgrade request is complete and valid ({@link UpgradeRequest}), the bytes stay here, at most
 * {@link Settings#maxHandshakeSize()} of them; only then does Java-WebSocket see them. A refused request
 * gets its HTTP error response, and the server's guard closes the connection once the response is out.
 *
 * <p>It also knows how much of what was queued for this client has not reached the socket yet
 * ({@link #unsent()}): its draft counts the bytes queued, its channel the bytes written.
 */
final class ServerConnection extends WebSocketImpl {
    private static final int READING_REQUEST = 0;
    private static final int UPGRADED = 1;
    private static final int REFUSED = 2;

    private final ServerEndpoint server;
    final long acceptedNanos = System.nanoTime();
    private volatile int phase = READING_REQUEST;
    private byte[] request;
    private int requestLength;
    /** Bytes written to the socket, under the output queue's lock (the selector thread, or a thread that sends). */
    private volatile long written;
    /** The bound on data waiting for this client. */
    final SendBound bound = new SendBound();
    /**
     * What the program has been told: nothing yet, that the connection is opening (its open handler runs),
     * that it opened, or (finally) that it is gone. Java-WebSocket calls onOpen on a worker thread and
     * onClose on the selector thread: for a client that drops the connection right after its handshake
     * onClose can come first, or while the open handler still waits for the execution lock. The program
     * must hear of a connection's opening before its closing, so a close that comes while the connection
     * is opening is left to the opening thread.
     */
    private final AtomicInteger told = new AtomicInteger(TOLD_NOTHING);
    /** How the connection ended (ServerEndpoint.onClose), for a websocketServerOnCloseWith handler. */
    volatile int endCode = org.java_websocket.framing.CloseFrame.ABNORMAL_CLOSE;
    volatile String endReason = "";
    private static final int TOLD_NOTHING = 0;
    private static final int OPENING = 1;
    private static final int TOLD_OPEN = 2;
    private static final int GONE = 3;
    private static final int GONE_WHILE_OPENING = 4;
    /**
     * Java-WebSocket queues its answer to the upgrade request (the 101) before it registers the connection
     * and calls onOpen, and its selector thread may write the answer at once. The client then has its
     * answer, and may be told by the program that it is connected, while the server does not count it among
     * its connections yet: a broadcast right after websocketConnect to the program's own server missed the
     * new client about one time in fifty. So from the moment the request goes to the library until the
     * server has registered the connection ({@link #release()}), nothing is written to the socket; what was
     * queued meanwhile goes out then. Changed under {@link #holdLock}, as {@link #writeHeld} is; volatile so
     * that every later write of the connection's life reads it without the lock (the answer is queued after
     * it is set, so the selector thread cannot see the answer and not the hold).
     */
    private volatile boolean holding;
    /** Whether the selector thread found the socket held and stopped asking to write. */
    private boolean writeHeld;
    private final Object holdLock = new Object();

    ServerConnection(WebSocketAdapter listener, List<Draft> drafts, ServerEndpoint server) {
        super(listener, drafts);
        this.server = server;
    }

    /** From onOpen: true when the program may be told of the connection, false when it is already gone. */
    boolean tellOpen() {
        return told.compareAndSet(TOLD_NOTHING, OPENING);
    }

    /**
     * From onOpen, once the program heard of the opening: false when the connection went meanwhile, and the
     * caller must now tell the program that it closed.
     */
    boolean toldOpen() {
        return told.compareAndSet(OPENING, TOLD_OPEN);
    }

    /**
     * From onClose: true when the program was told the connection opened and must be told now that it
     * closed; false when it never heard of it, or when the connection is still opening (the opening thread
     * then tells of the close, after the open).
     */
    boolean tellGone() {
        while (true) {
            int now = told.get();
            int next = now == OPENING ? GONE_WHILE_OPENING : GONE;
            if (now == GONE || now == GONE_WHILE_OPENING) {
                return false;
            }
            if (told.compareAndSet(now, next)) {
                return now == TOLD_OPEN;
            }
        }
    }

    /** Bytes queued for this client that are not in the socket yet. */
    long unsent() {
        Draft d = getDraft();
        return d instanceof StrictDraft s ? s.produced() - written : 0;
    }

    boolean refused() {
        return phase == REFUSED;
    }

    boolean upgraded() {
        return phase == UPGRADED;
    }

    /**
     * Whether a worker thread is decoding this connection's data (and may be running, or waiting to run, the
     * message handler), and whether the connection was found gone meanwhile. A client that
     * sends messages and drops the TCP connection has its messages decoded by a worker while the selector
     * thread sees the end of the stream: the close handler then ran first, or while a message handler waited
     * for the program, and a message handler ran after the close handler (a per-connection entry the close
     * handler had removed from a map was put back by the message handler, for good). Such a close is told by
     * the worker once it has handled the data (ServerEndpoint.onClose).
     */
    private final AtomicInteger decodeState = new AtomicInteger(IDLE);
    private static final int IDLE = 0;
    private static final int DECODING = 1;
    private static final int GONE_WHILE_DECODING = 2;

    /**
     * Reads whose data a worker has not decoded yet, and whether the end of the stream came meanwhile; both
     * under {@link #endLock}. Java-WebSocket's selector thread queues each read for the connection's worker
     * and, at the end of the stream, closes the connection at once: the worker then finds it closed and drops
     * the data. A client that sent its last messages (and its close frame) and closed its socket lost them,
     * most of the time. The end now waits until the worker has decoded what came before it ({@link #eot()}).
     */
    private int undecoded;
    private boolean endPending;
    /** The end was a failed read or write: nothing more is written, so no answer is waited for. */
    private boolean reset;
    private final Object endLock = new Object();

    /**
     * Whether data this client sent waits for the server: read and not yet decoded by a worker, or not read
     * from the socket yet. The handshake timeout is for clients too slow to send their upgrade request; a
     * request that came in time but waits while every worker runs a handler (one in a recv, say) is not
     * theirs to answer for (ServerEndpoint.guard()). Nor is one left in the socket: the selector thread reads
     * into one of the library's few buffers, and while every buffer holds data that waits for a worker, it
     * reads nothing at all.
     */
    boolean awaitsServer() {
        synchronized (endLock) {
            if (undecoded > 0) {
                return true;
            }
        }
        return getChannel() instanceof CountingChannel c && c.unread() > 0;
    }

    /** From the selector thread: a read of data that goes to the worker. */
    private void readQueued() {
        synchronized (endLock) {
            undecoded++;
        }
    }

    /**
     * From the selector thread, when reading or writing the socket failed (a reset: the peer closed its socket
     * while this end wrote to it): with data of the connection still to be decoded, closed by the worker once
     * it is handled, as at the end of the stream; the selector thread has let go of the socket already.
     */
    @Override
    public void closeConnection(int code, String message) {
        if (code == org.java_websocket.framing.CloseFrame.ABNORMAL_CLOSE && server.onSelectorThread()) {
            synchronized (endLock) {
                if (undecoded > 0) {
                    endPending = true;
                    reset = true;
                    return;
                }
            }
        }
        super.closeConnection(code, message);
    }

    /** From the selector thread, at the end of the stream: closes now, or once the worker has decoded what came before. */
    @Override
    public void eot() {
        endOfStream = true;
        synchronized (endLock) {
            if (undecoded > 0) {
                endPending = true;
                stopReading();
                return;
            }
        }
        if (answerPending()) {
            stopReading();
            return;
        }
        super.eot();
    }

    /**
     * Whether the connection is closing and what it was sent (the answer to the client's close frame, say)
     * waits to be written: the selector thread closes the connection once that is written (it checks for the
     * close after each write). Java-WebSocket's own end of the stream closed it at once, and a client that
     * sent its close frame and shut its side of the socket (or closed it) never got the answer.
     */
    private boolean answerPending() {
        return isFlushAndClose() && !outQueue.isEmpty();
    }

    /** The socket stays readable at its end: without this the selector thread would spin on it. */
    private void stopReading() {
        SelectionKey key = getSelectionKey();
        try {
            if (key != null && key.isValid()) {
                key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
            }
        } catch (CancelledKeyException e) {
            // closed meanwhile
        }
    }

    @Override
    public void decode(ByteBuffer buffer) {
        decodeState.set(DECODING);
        try {
            switch (phase) {
                case UPGRADED -> super.decode(buffer);
                case REFUSED -> buffer.position(buffer.limit()); // whatever follows a refused request is ignored
                default -> readRequest(buffer);
            }
        } finally {
            boolean end;
            boolean broken;
            synchronized (endLock) {
                undecoded = Math.max(0, undecoded - 1);
                end = endPending && undecoded == 0;
                broken = reset;
                if (end) {
                    endPending = false;
                }
            }
            // On this thread, after the data: its close is told here, after the messages. A close frame among the
            // data was answered: while that answer waits to be written, the selector thread closes the
            // connection once it is (it checks for the close after writing, and the close is marked by now).
            if (end && (broken || !answerPending())) {
                super.eot();
            }
            if (!decodeState.compareAndSet(DECODING, IDLE)) {
                decodeState.set(IDLE);
                server.goneAfterDecode(this);
            }
        }
    }

    /**
     * From onClose: true when a worker thread is decoding this connection's data; it then tells the program
     * that the connection is gone once it is done ({@link ServerEndpoint#goneAfterDecode}). Also when that
     * worker is the caller (the connection closed by what it decoded, or at the end of the stream): onClose
     * runs inside Java-WebSocket's closeConnection, which holds the connection's lock, and a close handler
     * that stopped the server there kept the selector thread (which takes that lock) from sending the other
     * clients their close frames.
     */
    boolean goneAfterDecode() {
        return decodeState.compareAndSet(DECODING, GONE_WHILE_DECODING);
    }

    private void readRequest(ByteBuffer buffer) {
        int n = buffer.remaining();
        int limit = server.settings().maxHandshakeSize();
        if (request == null) {
            request = new byte[Math.max(n, 1024)];
        } else if (request.length - requestLength < n) {
            request = Arrays.copyOf(request, Math.max(requestLength + n, 2 * request.length));
        }
        int searchFrom = requestLength;
        buffer.get(request, requestLength, n);
        requestLength += n;
        UpgradeRequest.Refusal notHttp = UpgradeRequest.notHttp(request, requestLength);
        if (notHttp != null) {
            refuse(notHttp); // at once: no end of headers would ever come, only the handshake timeout
            return;
        }
        int end = UpgradeRequest.endOfHeaders(request, searchFrom, requestLength);
        if (end < 0 && requestLength <= limit) {
            return; // wait for the rest
        }
        UpgradeRequest.Refusal refusal = end < 0 || end > limit ? UpgradeRequest.tooLarge(limit)
                        : UpgradeRequest.check(request, end, server.path(), server.settings().allowedOrigins());
        if (refusal != null) {
            refuse(refusal);
            return;
        }
        ByteBuffer all = ByteBuffer.wrap(request, 0, requestLength);
        request = null;
        phase = UPGRADED;
        synchronized (holdLock) {
            holding = true;
        }
        try {
            super.decode(all); // answers, and (on success) registers the connection and calls onOpen
        } finally {
            release(); // in case the library refused the request and never opened
        }
    }

    /**
     * From the selector thread, before it writes to the socket: false while the answer to the upgrade
     * request is held back ({@link #holding}), and then the thread stops asking to write, until
     * {@link #release()} asks again.
     */
    private boolean mayWrite(SelectionKey key) {
        if (!holding) {
            return true;
        }
        synchronized (holdLock) {
            if (!holding) {
                return true;
            }
            writeHeld = true;
            try {
                key.interestOps(SelectionKey.OP_READ);
            } catch (CancelledKeyException e) {
                // closed meanwhile: nothing will be written anyway
            }
            return false;
        }
    }

    /** The server has registered the connection (or it never will be): what it was sent may go out. */
    void release() {
        synchronized (holdLock) {
            if (!holding) {
                return;
            }
            holding = false;
            if (!writeHeld) {
                return;
            }
            writeHeld = false;
        }
        getWebSocketListener().onWriteDemand(this);
    }

    /**
     * Whether this end began the close (its close frame is queued): set by {@link #flushAndClose}, when a
     * close frame was sent on an open connection other than as the answer to the client's.
     */
    private volatile boolean closeBegunHere;
    /** The client ended its side of the TCP connection (the selector read the end of the stream). */
    private volatile boolean endOfStream;
    /** When this end shut its sending side after its close frame ({@link #closeConnection()}); 0 before. */
    private volatile long lingeringSince;

    @Override
    public synchronized void flushAndClose(int code, String message, boolean remote) {
        if (!isFlushAndClose() && !remote && isOpen()) {
            closeBegunHere = true; // close() sends the frame, then comes here while the connection is still open
        }
        super.flushAndClose(code, message, remote);
    }

    /**
     * From the library's selector thread once what was queued, the close frame last, is written. The library
     * closes the socket here. When this end began the close, the client may still be sending (the rest of a
     * message over the limit, say): a socket closed with data coming in is reset, and the reset reached
     * Chromium's writes before it had read the close frame, so the page saw 1006 and no reason where the
     * close frame said 1009. So only the sending side is shut (the client reads the close frame, then the
     * end of the stream) and what still comes is read and dropped (the library decodes nothing once the close
     * has begun) until the client ends its side ({@link #eot()}), or the server's guard ends the wait
     * ({@link #lingeredSince}). RFC 6455 7.1.1: the server closes the TCP connection first, once the close
     * frame is sent and received; a client that answers with its own close frame ends its side at once.
     */
    @Override
    public void closeConnection() {
        if (lingeringSince != 0) {
            return; // shut already; the end of the stream or the guard closes
        }
        if (closeBegunHere && !endOfStream && getChannel() instanceof CountingChannel c && c.shutdownOutput()) {
            lingeringSince = System.nanoTime();
            server.lingering(this);
            return;
        }
        super.closeConnection();
    }

    /** When the connection began to wait for the client to end its side, or 0 when it does not wait. */
    long lingeredSince() {
        return lingeringSince;
    }

    /** The guard's end of the wait for a client that never ended its side. */
    void stopLingering() {
        super.closeConnection();
    }

    private void refuse(UpgradeRequest.Refusal refusal) {
        phase = REFUSED;
        request = null;
        outQueue.add(ByteBuffer.wrap(refusal.response()));
        getWebSocketListener().onWriteDemand(this);
    }

    /** Java-WebSocket's hooks for creating server connections and their channels. */
    static final class Factory implements WebSocketServerFactory {
        private final ServerEndpoint server;

        Factory(ServerEndpoint server) {
            this.server = server;
        }

        @Override
        public WebSocketImpl createWebSocket(WebSocketAdapter a, Draft d) {
            return createWebSocket(a, List.of(d));
        }

        @Override
        public WebSocketImpl createWebSocket(WebSocketAdapter a, List<Draft> drafts) {
            ServerConnection c = new ServerConnection(a, drafts, server);
            server.handshaking(c);
            return c;
        }

        @Override
        public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) {
            return new CountingChannel(channel, (ServerConnection) key.attachment(), key);
        }

        @Override
        public void close() {
        }
    }

    /** The socket, counting what is written to it, and taking nothing while the connection holds it. */
    private static final class CountingChannel implements ByteChannel {
        private final SocketChannel channel;
        private final ServerConnection connection;
        private final SelectionKey key;

        CountingChannel(SocketChannel channel, ServerConnection connection, SelectionKey key) {
            this.channel = channel;
            this.connection = connection;
            this.key = key;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n = channel.read(dst);
            if (n > 0) {
                connection.readQueued(); // the server queues the data for the connection's worker
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (!connection.mayWrite(key)) {
                return 0;
            }
            int n = channel.write(src);
            connection.written += n;
            return n;
        }

        /** Bytes that arrived and were not read yet (the kernel's count; reading nothing); 0 when it cannot be told. */
        int unread() {
            try {
                return channel.socket().getInputStream().available();
            } catch (IOException | RuntimeException e) {
                return 0; // closed, or its input shut: nothing to wait for
            }
        }

        /** Sends a FIN; false when the socket is gone already. */
        boolean shutdownOutput() {
            try {
                channel.shutdownOutput();
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
