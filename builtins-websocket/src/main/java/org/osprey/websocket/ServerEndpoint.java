package org.osprey.websocket;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;

import org.osprey.spi.Values;

/**
 * A listening server. Handshakes for another path are refused (HTTP 404, no connection); so are Origins
 * outside the allow-list when one is set. Text messages go to the program's handler, on this server's worker
 * threads (one connection's messages always on the same worker, in order), or are echoed back when the
 * program set no handler.
 */
final class ServerEndpoint extends WebSocketServer {
    /** Decoding threads; each connection is served by one of them. */
    private static final int WORKERS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final WebSocketState.ServerEntry entry;
    private final WebSocketState state;
    final CountDownLatch started = new CountDownLatch(1);
    volatile Exception startError;
    private volatile boolean closing;
    private volatile Thread selector;

    ServerEndpoint(WebSocketState.ServerEntry entry, WebSocketState state) {
        super(entry.address, WORKERS, List.of(draft(state.settings)));
        this.entry = entry;
        this.state = state;
        setReuseAddr(true);
        setTcpNoDelay(true);
        setMaxPendingConnections(1024); // the JDK's default backlog of 50 drops bursts of connecting clients
        setDaemon(true);
        setConnectionLostTimeout(state.settings.lostTimeoutSeconds());
    }

    /** RFC 6455 with the message size limit: larger frames and messages close the connection with 1009. */
    static Draft draft(Settings settings) {
        return new Draft_6455(List.of(), List.of(new org.java_websocket.protocols.Protocol("")), settings.maxMessageSize());
    }

    String where() {
        return entry.address.getHostString() + ":" + getPort();
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft, ClientHandshake request)
                    throws InvalidDataException {
        String resource = request.getResourceDescriptor();
        int q = resource.indexOf('?');
        String path = q >= 0 ? resource.substring(0, q) : resource;
        if (!path.equals(entry.path)) {
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "no WebSocket endpoint at " + path);
        }
        if (!state.settings.allowedOrigins().isEmpty()) {
            String origin = request.getFieldValue("Origin");
            if (origin == null || !state.settings.allowedOrigins().contains(origin)) {
                throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "origin not allowed");
            }
        }
        return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    }

    @Override
    public void onStart() {
        selector = Thread.currentThread();
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        long id = state.nextId();
        conn.setAttachment(id);
        state.accepted(id, entry.id, conn);
        Object handler = entry.openHandler;
        if (handler != null && !closing) {
            // On the connection's worker thread, so it runs before any of this client's messages.
            state.runHandler(handler, () -> "WebSocket server " + entry.id + ", connection " + id + " opening", id);
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        connectionGone();
        Long id = conn.getAttachment();
        if (id != null) {
            state.forget(id);
            Object handler = entry.closeHandler;
            if (handler != null && !closing) {
                state.runHandler(handler, () -> "WebSocket server " + entry.id + ", connection " + id + " closing", id);
            }
        }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        if (closing) {
            return;
        }
        Object handler = entry.handler;
        Long id = conn.getAttachment();
        if (handler == null) {
            try {
                conn.send(message);
            } catch (WebsocketNotConnectedException e) {
                // the client went away meanwhile
            }
            return;
        }
        state.runHandler(handler, () -> "WebSocket server " + entry.id + ", connection " + id, id, Values.string(message));
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
        closing = true;
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
        Thread s = selector;
        if (s != null && s.isAlive()) {
            s.interrupt();
        }
        join(s);
        if (decoders != null) {
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
