package org.osprey.websocket;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Queue;

/**
 * The socket a {@link ClientEndpoint} talks through: a plain socket (ws://) or a connected TLS socket
 * (wss://) behind one face, counting the bytes Java-WebSocket's write thread has handed to it, so that the
 * connection knows how much of what it queued is still waiting ({@link ClientEndpoint#unsent()}). Only the
 * methods the library calls are passed on.
 */
final class ClientSocket extends Socket {
    private final Socket socket;
    /** Written by the library's single write thread. */
    private volatile long written;
    /** The connection's queue of frames for this socket (Java-WebSocket's {@code WebSocketImpl.outQueue}). */
    private volatile Queue<ByteBuffer> queue;

    ClientSocket(Socket socket) {
        this.socket = socket;
    }

    long written() {
        return written;
    }

    /** Makes {@link #close()} send what is still queued first. */
    void drainOnClose(Queue<ByteBuffer> outQueue) {
        this.queue = outQueue;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return new FilterOutputStream(socket.getOutputStream()) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                written++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                written += len;
            }
        };
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return socket.getInputStream();
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        socket.connect(endpoint, timeout);
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        socket.connect(endpoint);
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected();
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed();
    }

    /**
     * Sends what the connection still has queued, then closes. Java-WebSocket 1.6.0's write thread, the one
     * caller, leaves its loop when it finds itself interrupted between two frames, and then closes the
     * socket without writing the rest of the queue; the client interrupts it as soon as a close has begun,
     * so the close frame of a connection that failed (1002, 1007, 1009) or the answer to the server's
     * close was sometimes never sent. (When the interrupt lands while it waits for a frame, the library
     * drains the queue itself, and then there is nothing left here.)
     */
    @Override
    public void close() throws IOException {
        Queue<ByteBuffer> rest = queue;
        if (rest != null && !socket.isClosed() && !rest.isEmpty()) {
            try {
                OutputStream out = socket.getOutputStream();
                for (ByteBuffer b = rest.poll(); b != null; b = rest.poll()) {
                    out.write(b.array(), 0, b.limit());
                    written += b.limit();
                }
                out.flush();
            } catch (IOException e) {
                // the server is gone: there is no one left to tell
            }
        }
        socket.close();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        socket.setTcpNoDelay(on);
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        socket.setReuseAddress(on);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        socket.setReceiveBufferSize(size);
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        socket.setSoTimeout(timeout);
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return socket.getLocalSocketAddress();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}
