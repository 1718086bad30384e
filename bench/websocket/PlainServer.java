import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The reference for the WebSocket benchmark: the same library (the project's Java-WebSocket 1.6.0 build), the
 * same settings as the Osprey plugin's servers (worker count, TCP_NODELAY, SO_REUSEADDR, path /echo), with
 * the handler written in Java. Mode "echo" sends every message back; mode "broadcast" also answers "go N"
 * by broadcasting "0" to "N-1" to every client. Prints "PORT n" once listening; runs until killed.
 */
public final class PlainServer extends WebSocketServer {
    private final boolean broadcast;

    PlainServer(boolean broadcast) {
        super(new InetSocketAddress("127.0.0.1", 0), Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors())));
        this.broadcast = broadcast;
        setReuseAddr(true);
        setTcpNoDelay(true);
        setMaxPendingConnections(1024);
    }

    public static void main(String[] args) throws Exception {
        PlainServer s = new PlainServer(args.length > 0 && args[0].equals("broadcast"));
        s.start();
        synchronized (s) {
            while (!s.started) {
                s.wait();
            }
        }
        System.out.println("PORT " + s.getPort());
        System.out.flush();
        Thread.currentThread().join();
    }

    private boolean started;

    @Override
    public void onStart() {
        synchronized (this) {
            started = true;
            notifyAll();
        }
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        if (!handshake.getResourceDescriptor().startsWith("/echo")) {
            conn.close(1008, "wrong path");
        }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        if (broadcast && message.startsWith("go ")) {
            int n = Integer.parseInt(message.substring(3));
            for (int i = 0; i < n; i++) {
                broadcast(Integer.toString(i));
            }
        } else {
            conn.send(message);
        }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        conn.close(1003, "binary messages are not supported");
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            ex.printStackTrace();
            System.exit(1);
        }
    }
}
