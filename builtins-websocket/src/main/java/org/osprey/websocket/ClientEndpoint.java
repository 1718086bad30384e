package org.osprey.websocket;

import java.net.URI;
import java.nio.ByteBuffer;

import org.java_websocket.client.WebSocketClient;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ServerHandshake;

import org.osprey.spi.Values;

/**
 * A connection made by websocketConnect. Its messages reach the program's handler on the library's read
 * thread for this connection, so they arrive in order.
 */
final class ClientEndpoint extends WebSocketClient {
    private final long id;
    private final Object handler;
    private final WebSocketState state;
    private volatile String failure;
    private volatile boolean closing;

    ClientEndpoint(long id, URI uri, Object handler, WebSocketState state) {
        super(uri, ServerEndpoint.draft(state.settings));
        this.id = id;
        this.handler = handler;
        this.state = state;
        setTcpNoDelay(true);
        setDaemon(true);
        setConnectionLostTimeout(state.settings.lostTimeoutSeconds());
    }

    String failure() {
        return failure;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    @Override
    public void onMessage(String message) {
        if (!closing) {
            state.runHandler(handler, "WebSocket connection " + id + " (" + getURI() + ")", Values.string(message));
        }
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        close(CloseFrame.REFUSE, "binary messages are not supported");
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        if (failure == null && !isOpen()) {
            failure = NetErrors.closeReason(code, reason);
        }
        state.forget(id);
    }

    @Override
    public void onError(Exception ex) {
        if (failure == null) {
            failure = NetErrors.describe(ex);
        }
    }

    /** Sends a close frame and waits briefly for the server's; handlers stop at once. */
    void closeGracefully() {
        closing = true;
        try {
            closeBlocking();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** After a failed connect: make sure no thread is left behind. */
    void abandon() {
        closing = true;
        try {
            closeBlocking();
        } catch (InterruptedException | RuntimeException e) {
            // nothing more to do
        }
    }
}
