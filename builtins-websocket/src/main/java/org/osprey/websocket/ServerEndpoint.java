package org.osprey.websocket;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

import org.osprey.spi.Values;

/**
 * A listening server. Upgrade requests are checked by {@link ServerConnection} and {@link UpgradeRequest}
 * (another path gets 404, an Origin outside the allow-list 403, a bad key 400, ...), every frame by
 * {@link StrictDraft}. Text messages go to the program's handler, on this server's worker threads (one
 * connection's messages one after the other, in order), or are echoed back when the program set no
 * handler.
 *
 * <p>A guard thread ({@link #guard()}) closes connections whose upgrade request did not arrive within the
 * handshake timeout or was refused, and clients that stopped reading: once a send to a client was refused
 * because its unsent data reached the bound, a client still stuck there after the lost-connection timeout is
 * closed with 1008; and it drops connections whose close this server began and whose client has not ended
 * its side {@link #CLOSE_WAIT_MILLIS} after the close frame went out (ServerConnection.closeConnection()).
 */
final class ServerEndpoint extends WebSocketServer {
    /** Decoding threads; each connection is served by one of them. */
    private static final int WORKERS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final WebSocketState.ServerEntry entry;
    private final WebSocketState state;
    final CountDownLatch started = new CountDownLatch(1);
    volatile Exception startError;
    private volatile boolean closing;
    /** Set by the stop just before it interrupts the workers, once the close handshakes are over (endWorkerIfStopped). */
    private volatile boolean workersLetGo;
    /** While this server listens with a handler, one may be called; ended once the stop has joined its threads. */
    final org.osprey.spi.CallbackHold hold = new org.osprey.spi.CallbackHold();
    private volatile Thread selector;
    /** Connections accepted whose upgrade has not happened yet. */
    private final Set<ServerConnection> handshaking = ConcurrentHashMap.newKeySet();
    /** Connections whose close this end began, waiting for the client to end its side (ServerConnection.closeConnection()). */
    private final Set<ServerConnection> lingering = ConcurrentHashMap.newKeySet();
    /** Connections a send was refused to because their unsent data reached the bound. */
    private final Set<ServerConnection> full = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService guard;
    /** The guard's thread, joined when the server stops: the executor says it terminated before its thread ends. */
    private volatile Thread guardThread;
    /** How often the guard looks at handshaking and stuck connections. */
    static final long GUARD_PERIOD_MILLIS = 200;

    ServerEndpoint(WebSocketState.ServerEntry entry, WebSocketState state) {
        super(entry.address, WORKERS, List.of(StrictDraft.of(state.settings)));
        this.entry = entry;
        this.state = state;
        setWebSocketFactory(new ServerConnection.Factory(this));
        setReuseAddr(true);
        setTcpNoDelay(true);
        setMaxPendingConnections(1024); // the JDK's default backlog of 50 drops bursts of connecting clients
        setDaemon(true);
        setConnectionLostTimeout(state.settings.lostTimeoutSeconds());
    }

    Settings settings() {
        return state.settings;
    }

    String path() {
        return entry.path;
    }

    String where() {
        return entry.where(getPort());
    }

    void handshaking(ServerConnection c) {
        handshaking.add(c);
    }

    @Override
    public void onStart() {
        selector = Thread.currentThread();
        ScheduledExecutorService g = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "WebSocketGuard-" + getPort());
            t.setDaemon(true);
            guardThread = t;
            return t;
        });
        g.scheduleWithFixedDelay(this::guard, GUARD_PERIOD_MILLIS, GUARD_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        guard = g;
        started.countDown();
    }

    /** One round of the guard thread; see the class comment. Never throws: that would end the schedule. */
    private void guard() {
        try {
            long now = System.nanoTime();
            long handshakeDeadline = now - TimeUnit.SECONDS.toNanos(state.settings.handshakeTimeoutSeconds());
            for (ServerConnection c : handshaking) {
                if (c.isOpen() || c.isClosing() || c.isClosed()) {
                    handshaking.remove(c);
                } else if (c.refused() ? c.outQueue.isEmpty() : c.acceptedNanos < handshakeDeadline && !c.awaitsServer()) {
                    handshaking.remove(c);
                    c.closeConnection(CloseFrame.NEVER_CONNECTED, c.refused() ? "upgrade refused" : "no upgrade request within the handshake timeout");
                }
            }
            long lingerDeadline = now - TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
            for (ServerConnection c : lingering) {
                if (c.isClosed()) {
                    lingering.remove(c);
                } else if (c.lingeredSince() - lingerDeadline < 0) {
                    lingering.remove(c);
                    c.stopLingering();
                }
            }
            long stuckDeadline = now - TimeUnit.SECONDS.toNanos(state.settings.lostTimeoutSeconds());
            for (ServerConnection c : full) {
                long since = c.bound.fullSinceNanos();
                if (!c.isOpen() || since == 0 || c.bound.caughtUp(c.unsent(), state.settings.maxUnsentBytes())) {
                    full.remove(c);
                } else if (state.settings.lostTimeoutSeconds() > 0 && since - stuckDeadline < 0) {
                    full.remove(c);
                    closeStuck(c, "not reading: " + c.unsent() + " bytes unsent for " + state.settings.lostTimeoutSeconds() + " s");
                }
            }
        } catch (RuntimeException e) {
            // a connection closing under our feet; the next round looks again
        }
    }

    /**
     * RFC 6455 7.4.1, 1008: the client broke the server's policy by not reading (past the lost-connection
     * timeout, or at once when the server echoes without a program handler). The close frame is queued
     * behind data the client is not reading, so the TCP connection is dropped right after.
     */
    private void closeStuck(ServerConnection c, String reason) {
        Long id = c.getAttachment();
        c.close(CloseFrame.POLICY_VALIDATION, reason);
        c.closeConnection(CloseFrame.POLICY_VALIDATION, reason, false);
        if (!closing) {
            state.ctx.err().println("error: WebSocket server " + entry.id + ", connection " + id + ": closed with 1008 (" + reason + ")");
        }
    }

    /** This end's close frame is written and the client may still be sending: the guard ends the wait. */
    void lingering(ServerConnection c) {
        lingering.add(c);
    }

    /** Whether a send to this client must be refused because of the bound; if so, the guard watches it. */
    boolean refusesSend(ServerConnection c, long unsent) {
        if (c.bound.refuses(unsent, state.settings.maxUnsentBytes())) {
            full.add(c);
            return true;
        }
        return false;
    }

    /**
     * Sends the message to every open client whose unsent data is below the bound; returns the others, by
     * wsID, with their unsent bytes. The text is encoded once, as Java-WebSocket's broadcast does.
     */
    TreeMap<Long, Long> broadcastWithinBound(String message) {
        TreeMap<Long, Long> skipped = new TreeMap<>();
        // The selector thread writes the frames while this one queues them (the library's broadcast does the same).
        broadcasting(() -> {
            List<Framedata> frames = null;
            for (WebSocket conn : getConnections()) {
                if (!(conn instanceof ServerConnection c) || !c.isOpen() || c.getAttachment() == null) {
                    continue;
                }
                long unsent = c.unsent();
                if (refusesSend(c, unsent)) {
                    skipped.put(c.getAttachment(), unsent);
                    continue;
                }
                if (frames == null) {
                    frames = c.getDraft().createFrames(message, false);
                }
                try {
                    c.sendFrame(frames);
                } catch (WebsocketNotConnectedException e) {
                    // it went away meanwhile
                }
            }
        });
        return skipped;
    }

    /** RFC 6455 5.5.3 lets an endpoint answer only the latest ping: none while the client does not read. */
    @Override
    public void onWebsocketPing(WebSocket conn, Framedata f) {
        if (!(conn instanceof ServerConnection c) || !c.bound.full() && c.unsent() < state.settings.maxUnsentBytes()) {
            super.onWebsocketPing(conn, f);
        }
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        handshaking.remove(conn);
        entry.reached = true;
        long id = state.nextId();
        conn.setAttachment(id);
        state.accepted(id, entry.id, conn);
        if (conn instanceof ServerConnection c) {
            c.release(); // the answer to its upgrade request goes out now that broadcasts include it
        }
        if (conn instanceof ServerConnection c && !c.tellOpen()) {
            // Its onClose already ran, on the selector thread: the program hears of neither.
            state.forget(id);
            return;
        }
        Object handler = entry.openHandler;
        if (handler != null && !closing) {
            // On the connection's worker thread, so it runs before any of this client's messages.
            state.runHandler(handler, "open", () -> "WebSocket server " + entry.id + ", connection " + id + " opening", id);
            endWorkerIfStopped();
        }
        if (conn instanceof ServerConnection c && !c.toldOpen()) {
            // onClose came while the open handler ran (or waited for the program): it left the close to us.
            toldGone(id, c);
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        connectionGone();
        full.remove(conn);
        if (conn instanceof ServerConnection c) {
            // The code the client sent: 1005 where it sent none, which the library reports as 1000.
            c.endCode = c.getDraft() instanceof StrictDraft d ? d.receivedCloseCode(code, remote) : code;
            c.endReason = reason == null ? "" : reason.contains("did not respond with a pong in time") ? "no answer to pings in time" : reason;
        }
        if (conn instanceof ServerConnection c && !c.tellGone()) {
            return; // never upgraded, or onOpen has not told the program yet (and now will not, or will tell both)
        }
        if (conn instanceof ServerConnection c && c.goneAfterDecode()) {
            return; // a worker is handling data that came before the end: it tells of the close after that
        }
        Long id = conn.getAttachment();
        if (id != null) {
            toldGone(id, conn);
        }
    }

    /** A connection found gone while a worker decoded its data: that worker has handled the data. */
    void goneAfterDecode(ServerConnection c) {
        Long id = c.getAttachment();
        if (id != null) {
            toldGone(id, c);
        }
    }

    /** The connection is gone: forget it and run the program's close handler. */
    private void toldGone(long id, WebSocket conn) {
        state.forget(id);
        WebSocketState.CloseHandler handler = entry.closeHandler;
        if (handler != null && !closing) {
            Object[] args = !handler.withCode() ? new Object[]{id}
                            : conn instanceof ServerConnection c ? new Object[]{id, (long) c.endCode, Values.string(c.endReason)}
                                            : new Object[]{id, (long) CloseFrame.ABNORMAL_CLOSE, Values.string("")};
            state.runHandler(handler.function(), "close", () -> "WebSocket server " + entry.id + ", connection " + id + " closing", args);
            endWorkerIfStopped();
        }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        // Once this end began the close (websocketClose, a 1008), the frames that came behind the message being
        // handled are dropped, as the library drops those of later reads: the handler is not called again.
        if (closing || !conn.isOpen()) {
            return;
        }
        Object handler = entry.handler;
        Long id = conn.getAttachment();
        if (handler == null) {
            if (conn instanceof ServerConnection c && refusesSend(c, c.unsent())) {
                // No program to tell, and dropping the echo would be silent: the client breaks the policy.
                full.remove(c);
                closeStuck(c, "not reading its echoes: " + c.unsent() + " bytes unsent");
                return;
            }
            try {
                conn.send(message);
            } catch (WebsocketNotConnectedException e) {
                // the client went away meanwhile
            }
            return;
        }
        state.runHandler(handler, "message", () -> "WebSocket server " + entry.id + ", connection " + id, id, Values.string(message));
        endWorkerIfStopped();
    }

    /**
     * After a handler on one of this server's workers: if the stop has let its workers go meanwhile, the worker
     * ends at its next wait for work. The stop interrupts the workers and joins them, but a handler still running
     * then (the one that asked for the stop, waiting in a sleep or a send to a channel, say) swallows the interrupt
     * (Truffle's blocking waits do), and once the join gave up the worker waited for work for ever: a thread left
     * behind. Not before the stop lets them go: until then the workers read the clients' answers to its close
     * frames, and a worker interrupted as its handler returned (one the stop had ended in a sleep) failed to give
     * back its read buffer, which the library's queue refuses to an interrupted thread, and ended: with one client
     * that was the server's only buffer, the client's answer was never read, and the stop waited out its close
     * wait (tests/run/websocket/stop_while_a_handler_finishes).
     */
    private void endWorkerIfStopped() {
        if (workersLetGo && decoders != null && decoders.contains(Thread.currentThread())) {
            Thread.currentThread().interrupt(); // the library's worker loop ends at an interrupted take()
        }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        // Osprey handlers take text; RFC 6455 7.4.1: 1003 for a data type the endpoint cannot accept.
        conn.close(CloseFrame.REFUSE, "binary messages are not supported");
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null && started.getCount() > 0) {
            startError = ex; // binding failed; listen() reports it
            started.countDown();
        }
    }

    /**
     * Closes every client with 1001, unbinds and returns every thread. The close handshakes get up to
     * {@link #CLOSE_WAIT_MILLIS} while the selector still runs normally: Java-WebSocket's own stop() gives
     * them only a few idle selects, then leaves any connection still open with its socket open. Whatever is
     * left after the wait is dropped (the client sees the TCP connection end). stop() alone joins only the
     * selector thread, and a busy selector was seen to linger (design/threads.md), so the workers are joined
     * here.
     */
    void shutDown() {
        shutDown(null);
    }

    /** Whether the calling thread is this server's selector, where its close handlers run. */
    boolean onSelectorThread() {
        return Thread.currentThread() == selector;
    }

    /**
     * Whether a stop asked on this thread must be left to a thread of its own ({@link #shutDownSoon}): in a
     * handler, as for websocketClose. Close handlers run on the selector thread, which sends the close frames;
     * message and open handlers (and a close handler for a client whose data was being handled when it went)
     * on a worker, which reads the clients' answers; a client connection's handler on the thread that reads
     * the close frame its connection is to answer, when the program is its own server's client. A stop there
     * waited for what its own thread was to do: the close wait and the library's stop, 2.5 s, and the clients
     * dropped without a close frame when it was the selector. The handler's stop returns at once.
     */
    boolean stopsSoon() {
        return onSelectorThread() || WebSocketState.inHandler();
    }

    /**
     * Stops the server on a thread of its own, and returns at once: for a stop asked in a handler
     * ({@link #stopsSoon}), whose thread must go on to send the close frames or read the answers. The handler
     * that asked goes on to its end.
     */
    void shutDownSoon() {
        Thread asking = Thread.currentThread();
        Thread t = new Thread(() -> shutDown(asking), "WebSocketStop-" + getPort());
        t.setDaemon(true);
        t.start();
    }

    private final java.util.concurrent.atomic.AtomicBoolean shutDownBegun = new java.util.concurrent.atomic.AtomicBoolean();
    private final CountDownLatch shutDownDone = new CountDownLatch(1);

    /** The first call stops the server; a later one (the program's end after a stop) waits for it to finish. */
    private void shutDown(Thread spared) {
        if (!shutDownBegun.compareAndSet(false, true)) {
            if (!stopsSoon()) {
                try {
                    shutDownDone.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return;
        }
        try {
            stopNow(spared);
        } finally {
            hold.end(state.ctx);
            shutDownDone.countDown();
        }
    }

    private void stopNow(Thread spared) {
        closing = true;
        // A handler still running on this server's threads (in a sleep, say) is stopped where it is, as at the
        // program's end: it would hold its worker past the join below and run on after the server stopped.
        // Not the one that asked for the stop from the selector thread: it returns to the selector soon.
        List<Thread> threads = new java.util.ArrayList<>();
        if (decoders != null) {
            threads.addAll(decoders);
        }
        threads.add(selector);
        threads.remove(spared);
        state.ctx.stopCallbacksOn(threads);
        for (WebSocket conn : getConnections()) {
            conn.close(CloseFrame.GOING_AWAY, "server stopped");
        }
        awaitNoConnections(CLOSE_WAIT_MILLIS);
        try {
            stop(500, "server stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (WebSocket conn : getConnections()) {
            conn.closeConnection(CloseFrame.ABNORMAL_CLOSE, "server stopped");
        }
        ScheduledExecutorService g = guard;
        if (g != null) {
            g.shutdownNow();
            try {
                g.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            join(guardThread);
        }
        for (ServerConnection c : handshaking) {
            c.closeConnection(CloseFrame.NEVER_CONNECTED, "server stopped");
        }
        handshaking.clear();
        full.clear();
        lingering.clear();
        Thread s = selector;
        if (s != null && s.isAlive()) {
            s.interrupt();
        }
        join(s);
        if (decoders != null) {
            workersLetGo = true;
            for (Thread w : decoders) {
                w.interrupt();
            }
            for (Thread w : decoders) {
                join(w);
            }
        }
    }

    /** How long stopping a server waits for its clients to answer the close frame. */
    static final long CLOSE_WAIT_MILLIS = 2000;

    /** Not the server's own monitor: the library holds that while it joins the selector thread. */
    private final Object gone = new Object();

    /**
     * Waits, boundedly, even on an interrupted thread (a cancelled program stops its servers while its
     * thread unwinds): the interrupt is kept for afterwards.
     */
    private void awaitNoConnections(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        boolean interrupted = Thread.interrupted();
        synchronized (gone) {
            while (!getConnections().isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(gone, left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void connectionGone() {
        synchronized (gone) {
            gone.notifyAll();
        }
    }

    private static void join(Thread t) {
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
