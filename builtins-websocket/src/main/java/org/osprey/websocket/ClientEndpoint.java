package org.osprey.websocket;

import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ServerHandshake;

import org.osprey.spi.BuiltinContext;
import org.osprey.spi.Values;

/**
 * A connection made by websocketConnect. Its messages reach the program's handler on the library's read
 * thread for this connection, so they arrive in order. Frames from the server pass {@link StrictDraft}
 * (a masked frame, invalid UTF-8 or a message over the limit closes the connection with 1002, 1007 or
 * 1009), and {@link #ended()} keeps why the connection ended so that the program's next send can say so.
 */
final class ClientEndpoint extends WebSocketClient {
    private final long id;
    private final Object handler;
    private final WebSocketState state;
    /** Why the connection failed: an error (specific) beats a close (which often follows it). */
    private volatile String errorFailure;
    private volatile String closeFailure;
    /** How the connection ended or is ending, as the end of a sentence: "was closed with 1002 (...)". */
    private volatile String ended;
    /** Opens once {@link #ended} is known (onClosing or onClose). */
    private final CountDownLatch endKnown = new CountDownLatch(1);
    private volatile ClientSocket socket;
    /** The bound on data waiting for the server. */
    final SendBound bound = new SendBound();
    private volatile boolean closing;
    /** The close frame this end sends when it closes: websocketClose's 1000, or websocketCloseWith's code and reason. */
    private volatile int closeCode = CloseFrame.NORMAL;
    private volatile String closeReason = "";
    /** The thread that reads this connection and runs its message handler (known once it is open). */
    private volatile Thread readThread;
    /** Whether the library's connection thread was started; until then there is nothing to close. */
    private volatile boolean started;
    private final CountDownLatch closed = new CountDownLatch(1);
    /** From websocketConnect until the connection has closed and its close handler returned, the handler may be called. */
    final org.osprey.spi.CallbackHold hold = new org.osprey.spi.CallbackHold();
    /** The program's websocketOnClose handler, one holder per call, and the holder whose handler ran (or never will). */
    private final AtomicReference<Object[]> endHandler = new AtomicReference<>();
    private final AtomicReference<Object[]> endNotified = new AtomicReference<>();
    /** How long websocketClose waits for the server's close frame. */
    static final int CLOSE_WAIT_SECONDS = 5;

    ClientEndpoint(long id, URI uri, Object handler, WebSocketState state) {
        super(uri, StrictDraft.of(state.settings), credentials(uri));
        this.id = id;
        this.handler = handler;
        this.state = state;
        setTcpNoDelay(true);
        setDaemon(true);
        setConnectionLostTimeout(state.settings.lostTimeoutSeconds());
    }

    /**
     * The upgrade request's extra headers: {@code Authorization: Basic ...} for a URL with a user name
     * ({@code ws://ada:secret@host/chat}), as node's ws and curl send it (RFC 7617: the user name and password
     * with the URL's escapes decoded, in UTF-8; a user name alone with an empty password); the library sent
     * nothing for it. None otherwise.
     */
    private static java.util.Map<String, String> credentials(URI uri) {
        String user = uri.getUserInfo();
        if (user == null) {
            return null;
        }
        String pair = user.contains(":") ? user : user + ":"; // a user name alone has an empty password
        return java.util.Map.of("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    String failure() {
        if (timedOut > 0) {
            return "no answer to the WebSocket handshake within " + timedOut + " s";
        }
        return errorFailure != null ? errorFailure : closeFailure;
    }

    /** The connect timeout in seconds when websocketConnect gave up waiting for the handshake; else 0. */
    private volatile int timedOut;

    /** The socket to use: a plain unconnected one for ws://, a connected TLS one for wss://. */
    void use(Socket s) {
        socket = new ClientSocket(s);
        socket.drainOnClose(((org.java_websocket.WebSocketImpl) getConnection()).outQueue);
        setSocket(socket);
    }

    /** Bytes queued for the server that are not in the socket yet. */
    long unsent() {
        ClientSocket s = socket;
        Draft d = getConnection().getDraft();
        return s != null && d instanceof StrictDraft strict ? strict.produced() - s.written() : 0;
    }

    /** Why the connection is no longer open, or null while it is. */
    String ended() {
        return ended;
    }

    /**
     * Waits as the program's thread waits (BuiltinContext.await: handlers run meanwhile, Ctrl-C stops the program
     * there) until how the connection ended is known, or the deadline (System.nanoTime) has passed.
     */
    void awaitEnded(BuiltinContext ctx, long deadline) {
        ctx.await(endKnown, deadline);
    }

    /** This end sent the first close frame, so the server's answer is still to be read ({@link #isClosing}). */
    private volatile boolean closeBegunHere;

    @Override
    public void onCloseInitiated(int code, String reason) {
        closeBegunHere = true; // called by the library when this end begins the close, before it sends the frame
    }

    /**
     * The library's read loop ({@code WebSocketClient.run}) reads only while the connection is not closing, and
     * then drops it: a close begun while its thread was between two reads (running the message handler that
     * the close stops, or just done with the upgrade answer) dropped the connection at once, and websocketClose
     * said Success without the server's answer. For a close begun by websocketClose, whose wait drops the
     * connection itself when the answer does not come, the thread reads on until the answer ends the connection.
     */
    @Override
    public boolean isClosing() {
        if (closing && closeBegunHere && Thread.currentThread() == readThread) {
            return false;
        }
        return super.isClosing();
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        readThread = Thread.currentThread(); // the library opens the connection on the thread that then reads it
        handshakeDone = true;
    }

    /** The handshake succeeded: the connection opened, though it may have ended since (see {@link #open}). */
    private volatile boolean handshakeDone;

    /** RFC 6455 5.5.3 lets an endpoint answer only the latest ping: none while the server does not read. */
    @Override
    public void onWebsocketPing(WebSocket conn, Framedata f) {
        if (!bound.full() && unsent() < state.settings.maxUnsentBytes()) {
            super.onWebsocketPing(conn, f);
        }
    }

    @Override
    public void onClosing(int code, String reason, boolean remote) {
        if (ended == null) {
            ended = NetErrors.ending(receivedCode(code, remote), reason, remote);
        }
        endKnown.countDown();
    }

    /** The close code the server sent: 1005 where it sent none, which the library reports as 1000. */
    private int receivedCode(int code, boolean remote) {
        return getConnection().getDraft() instanceof StrictDraft d ? d.receivedCloseCode(code, remote) : code;
    }

    @Override
    public void onMessage(String message) {
        // Not once the close has begun (websocketClose, the server's close frame, a failed check): RFC 6455
        // 1.4, a peer discards any data received after the close frame. Java-WebSocket drops the data of
        // later reads, but not the frames that came in the same read behind the close frame.
        if (!closing && isOpen()) {
            state.runHandler(handler, "message", () -> "WebSocket connection " + id + " (" + getURI() + ")", Values.string(message));
        }
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        close(CloseFrame.REFUSE, "binary messages are not supported");
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        int received = receivedCode(code, remote);
        if (closeFailure == null && !isOpen()) {
            closeFailure = NetErrors.closeReason(received, reason, remote);
        }
        if (ended == null) {
            ended = NetErrors.ending(received, reason, remote);
        }
        endKnown.countDown();
        state.forget(id);
        closed.countDown();
        Object[] h = endHandler.get();
        if (!closing && h != null && endNotified.compareAndSet(null, h)) {
            // A connection lost to the ping timeout is closed on the library's timer thread, which the library
            // interrupts as it stops that timer, just before this: the handler then could not get the context.
            boolean interrupted = Thread.interrupted();
            try {
                state.runHandler(h[0], "close", () -> "WebSocket connection " + id + " (" + getURI() + ")", Values.string("WebSocket connection " + id + " " + ended));
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        state.ended(id, this);
        hold.end(state.ctx);
    }

    /**
     * websocketOnClose: the handler to call once when the connection ends other than by websocketClose. False
     * if it had already ended, so that it will not be called (whichever of the two comes first decides).
     */
    boolean onEnd(Object handler) {
        Object[] mine = {handler};
        endHandler.set(mine);
        if (closed.getCount() != 0) {
            return true; // the end, when it comes, calls this handler (or a later one)
        }
        // Ended: either onClose saw this handler and called it, or it had ended before, and this one never runs.
        endNotified.compareAndSet(null, new Object[0]);
        return endNotified.get() == mine;
    }

    @Override
    public void onError(Exception ex) {
        if (errorFailure == null) {
            errorFailure = NetErrors.describe(ex);
        }
    }

    /**
     * Sends a close frame and waits for the server's (at most {@link #CLOSE_WAIT_SECONDS}, then the socket is
     * dropped). The handler is not called again: Java-WebSocket discards data frames that arrive once the
     * close has begun, and a handler running after websocketClose returned would surprise the program.
     */
    void closeGracefully(int code, String reason) {
        closeCode = code;
        closeReason = reason;
        closeGracefully(true);
    }

    /** {@code stoppable}: the wait is websocketClose's, which Ctrl-C or a cancel ends by stopping the program. */
    private void closeGracefully(boolean stoppable) {
        if (Thread.currentThread() == readThread || WebSocketState.inHandler()) {
            // websocketClose from this connection's own message handler: the server's close frame can only be
            // read by this thread, once the handler returns, so waiting here would always run the 5 s out and
            // drop the connection. The close frame is sent; the close completes when the handler has returned and
            // this thread has read the answer. The same from any other handler: when the server is this program's
            // own, its answer is read by the server's thread for that connection, which may be this very thread
            // (a server's message handler closing the client that sent the message waited the 5 s out every time).
            closing = true;
            close(closeCode, closeReason);
            dropIfUnanswered();
            return;
        }
        closeAllGracefully(java.util.List.of(this), stoppable ? stoppable(state.ctx) : ClientEndpoint::awaitLatches);
    }

    /**
     * For a close that does not wait (from a handler): the connection is dropped when the server has not
     * answered the close frame within {@link #CLOSE_WAIT_SECONDS}, as websocketClose's own wait drops it. A
     * server that never answered kept the connection closing, with its socket and threads, and a fiber's
     * receive that only the connection's handler could have ended (it is not called once the close began)
     * waited for ever instead of failing as a deadlock.
     */
    private void dropIfUnanswered() {
        Thread t = new Thread(() -> {
            try {
                if (!closed.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    closeConnection(CloseFrame.ABNORMAL_CLOSE, "no close frame from the server");
                }
            } catch (InterruptedException e) {
                // the JVM is ending; the context's close drops the connection
            }
        }, "WebSocketCloseWait-" + id);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Closes these connections as {@link #closeGracefully} closes one, all at the same time: one wait of at most
     * {@link #CLOSE_WAIT_SECONDS} for all their servers' close frames, then one for the dropped sockets to end,
     * where a wait for each in turn made a program with a dozen connections to a hung server take a minute to
     * end or to obey Ctrl-C.
     */
    static void closeAllGracefully(java.util.Collection<ClientEndpoint> all) {
        closeAllGracefully(all, ClientEndpoint::awaitLatches);
    }

    /** How a close waits until every connection has ended or the deadline (System.nanoTime) has passed. */
    interface Waiter {
        void await(java.util.Collection<ClientEndpoint> all, long deadline) throws InterruptedException;
    }

    private static void awaitLatches(java.util.Collection<ClientEndpoint> all, long deadline) throws InterruptedException {
        for (ClientEndpoint c : all) {
            c.closed.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The program thread's wait (websocketClose): one that Ctrl-C, an interrupt or a cancel of the context ends
     * by stopping the program right there (BuiltinContext.await), where a plain wait ended with Java's
     * interrupt and the program could run on a few statements before the stop reached it. It sleeps until
     * the connections have closed, where it woke every 2 ms to look.
     */
    private static Waiter stoppable(BuiltinContext ctx) {
        return (all, deadline) -> {
            for (ClientEndpoint c : all) {
                ctx.await(c.closed, deadline);
            }
        };
    }

    static void closeAllGracefully(java.util.Collection<ClientEndpoint> all, Waiter waiter) {
        for (ClientEndpoint c : all) {
            c.closing = true;
            c.close(c.closeCode, c.closeReason);
        }
        if (!all.isEmpty()) {
            // A message handler still running on a connection's read thread (in a sleep, say) is stopped where it
            // is: that thread must read the server's close frame, and the handler would run on after the close.
            all.iterator().next().state.ctx.stopCallbacksOn(all.stream().map(c -> c.readThread).toList());
        }
        boolean waited = false;
        try {
            waiter.await(all, System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS));
            for (ClientEndpoint c : all) {
                if (c.closed.getCount() > 0) {
                    c.closeConnection(CloseFrame.ABNORMAL_CLOSE, "no close frame from the server");
                }
            }
            waiter.await(all, System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS));
            waited = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!waited) {
                // Interrupted or stopped before the servers answered (Ctrl-C during websocketClose, or a
                // websocketConnect cancelled by Context.close(true)): drop the connections now. Without this,
                // one whose server never answered kept its socket and its two threads for as long as the JVM ran.
                for (ClientEndpoint c : all) {
                    if (c.closed.getCount() > 0) {
                        c.closeConnection(CloseFrame.ABNORMAL_CLOSE, "closed while interrupted");
                    }
                }
            }
        }
    }

    /** Connects, waiting at most the given time for the WebSocket handshake; true when open. */
    boolean open(int timeoutSeconds) throws InterruptedException {
        started = true;
        long start = System.nanoTime();
        boolean opened = connectBlocking(timeoutSeconds, TimeUnit.SECONDS);
        if (!opened && errorFailure == null && System.nanoTime() - start >= TimeUnit.SECONDS.toNanos(timeoutSeconds)) {
            // The wait ran out: the library then resets the connection, whose close would otherwise be the
            // reason given ("closed before the handshake finished") for a server that never answered.
            timedOut = timeoutSeconds;
        }
        // A server's first frame can break the protocol in the same read as its upgrade response, and the
        // connection be closed by the time this looks: it opened all the same (its handler may have run), so
        // websocketConnect gives its ID and the next send says how it ended.
        return opened && isOpen() || handshakeDone;
    }

    /** After a failed connect: make sure no thread is left behind. */
    void abandon() {
        closing = true;
        if (!started) {
            return;
        }
        try {
            closeGracefully(false); // websocketConnect stops the program itself where it was interrupted
        } catch (RuntimeException e) {
            // nothing more to do
        }
    }
}
