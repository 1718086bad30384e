package org.osprey.websocket;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;

import org.osprey.spi.BuiltinContext;
import org.osprey.spi.Values;

/**
 * One program's WebSockets: its servers and connections, by ID. IDs are positive, shared by servers and
 * connections, and never reused while the program runs (design/websocket.md). When the program's context
 * closes, every server is stopped and every connection closed with a close frame.
 */
final class WebSocketState {
    final BuiltinContext ctx;
    final Settings settings;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, ServerEntry> servers = new ConcurrentHashMap<>();
    /** Every open connection, client side (websocketConnect) and server side (accepted), by wsID. */
    final Map<Long, WebSocket> connections = new ConcurrentHashMap<>();
    /** The server of each accepted connection, by wsID (a lookup, not a copy of the server's connection list). */
    final Map<Long, Long> serverOf = new ConcurrentHashMap<>();
    private final Map<Long, ClientEndpoint> clients = new ConcurrentHashMap<>();
    /**
     * How each websocketConnect connection that ended other than by websocketClose ended ("was closed by the
     * server with 1001 (...)"), for the program's next call on its ID, by wsID. Only this is kept of such a
     * connection, not the connection with its two threads and their buffers (some 10 KB): a program that
     * reconnects whenever its server drops it piled those up for as long as it ran.
     */
    private final Map<Long, String> endedClients = new ConcurrentHashMap<>();
    /** The run (REPL entry) that opened each websocketConnect connection, by wsID. */
    private final Map<Long, Long> clientRun = new ConcurrentHashMap<>();
    volatile boolean closed;

    /**
     * Why the embedder's context forbids WebSockets, or null: they need sockets, and the library's threads
     * (a context built with the polyglot API's defaults allows neither; docs/embedding.md).
     */
    private String denied() {
        if (!ctx.env().isSocketIOAllowed()) {
            return "this context does not allow network access";
        }
        if (!ctx.env().isCreateThreadAllowed()) {
            return "this context does not allow threads, which WebSockets need";
        }
        return null;
    }

    WebSocketState(BuiltinContext ctx) {
        this.ctx = ctx;
        this.settings = Settings.from(ctx);
        ctx.onClose(this::closeAll);
        ctx.onInterrupted(this::stopRun);
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    /**
     * The IDs that were connections (opened by websocketConnect or accepted by a server), one bit each: IDs
     * are never reused, so a connection that is gone can be told from an ID that never was one ("WebSocket
     * connection 4 is closed" rather than "no open WebSocket connection with ID 4").
     */
    private final java.util.BitSet connectionIds = new java.util.BitSet();

    private void markConnection(long wsId) {
        if (wsId <= Integer.MAX_VALUE) {
            synchronized (connectionIds) {
                connectionIds.set((int) wsId);
            }
        }
    }

    private boolean wasConnection(long wsId) {
        if (wsId <= 0 || wsId > Integer.MAX_VALUE) {
            return false;
        }
        synchronized (connectionIds) {
            return connectionIds.get((int) wsId);
        }
    }

    /** A server's close handler; {@code withCode}: it takes the close code and reason too (websocketServerOnCloseWith). */
    record CloseHandler(Object function, boolean withCode) {
    }

    /** A server as the program sees it; the Java-WebSocket server exists only while it listens. */
    static final class ServerEntry {
        final long id;
        final InetSocketAddress address;
        /** The address as the program gave it. */
        final String host;
        final String path;
        volatile Object handler;
        volatile Object openHandler;
        volatile CloseHandler closeHandler;
        volatile ServerEndpoint endpoint;
        volatile boolean stopped;
        /** The run (REPL entry) that made it listen. */
        volatile long run;
        /** A client has connected (its opening handshake done), for the note at the program's end. */
        volatile boolean reached;
        /** Why its last websocketServerListen failed, for websocketKeepAlive's note; null if none did. */
        volatile String listenFailure;

        ServerEntry(long id, InetSocketAddress address, String host, String path) {
            this.id = id;
            this.address = address;
            this.host = host;
            this.path = path;
        }

        String where() {
            return where(address.getPort());
        }

        /**
         * What is kept of this server once it is stopped: its ID, address, bound port and path, for the
         * program's later calls on its ID ("is already stopped", websocketServerPort). The stopped server
         * itself (Java-WebSocket's server with its workers' buffers, its threads, the handlers and all their
         * closures hold) stayed for as long as the program ran (with an HTTP server's, some 90 KB a pair): a program or REPL session
         * that started and stopped servers grew without bound.
         */
        ServerEntry stoppedCopy() {
            ServerEndpoint e = endpoint;
            ServerEntry copy = new ServerEntry(id, e == null ? address : new InetSocketAddress(address.getAddress(), e.getPort()), host, path);
            copy.stopped = true;
            return copy;
        }

        /**
         * The address as the program wrote it, with this port: {@code [::1]:8080} for an IPv6 address (as in a
         * URL), where the JDK's {@code 0:0:0:0:0:0:0:1:8080} hid which colon begins the port; brackets the
         * program wrote are not added again.
         */
        String where(int port) {
            return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    // ---------------------------------------------------------------- servers

    /**
     * websocketCreateServer. A failure is kept: a program that drops this Error (websocketCreateServer(...) ?: -1,
     * as the examples write it) was told only "no WebSocket server with ID -1" by the listen that followed, and
     * its websocketKeepAlive waited for ever without a word.
     */
    Object createServer(long port, String address, String path) {
        Object made = create(port, address, path);
        createFailure = Values.isSuccess(made) ? null : Values.javaString(Values.payload(made));
        return made;
    }

    /** The Error's message of the last websocketCreateServer, when it failed; else null. */
    private volatile String createFailure;

    private Object create(long port, String address, String path) {
        if (port < 0 || port > 65535) {
            return Values.error("invalid port " + port + ": expected 0 to 65535 (0 picks a free port)");
        }
        if (path.isEmpty() || path.charAt(0) != '/') {
            return invalid("path", path, "expected a path starting with '/', e.g. \"/chat\"");
        }
        if (path.contains("?") || path.contains("#") || path.contains(" ")) {
            return invalid("path", path, "a path cannot contain '?', '#' or spaces");
        }
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            // A request's path is matched decoded: '%' not followed by two hex digits could never match one.
            if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0 || Character.digit(path.charAt(i + 2), 16) < 0) {
                return invalid("path", path, "'%' must start an escape of two hex digits, as in \"/a%20b\" (no request could match it otherwise)");
            }
        }
        if (address.isBlank()) {
            // InetAddress reads "" as the loopback address; Python's bind reads it as every interface
            return invalid("address", address,
                            "expected an IP address or host name to listen on, like 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)");
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            return invalid("address", address, "unknown host (expected an IP address like 127.0.0.1 or a host name)");
        }
        if (org.osprey.spi.NetworkFailures.unreachableListenAddress(ip) instanceof String why) {
            return invalid("address", address, why);
        }
        long id = nextId();
        servers.put(id, new ServerEntry(id, new InetSocketAddress(ip, (int) port), address, path));
        return Values.success(id);
    }

    private ServerEntry server(long id) {
        return servers.get(id);
    }

    /** Keeps only the stopped copy of a server its stop has begun on (the stop itself holds what it needs). */
    private void retire(ServerEntry s) {
        servers.replace(s.id, s, s.stoppedCopy());
    }

    /**
     * The Error for a URL, path or address the program gave that cannot be used: "invalid WHAT 'GIVEN': WHY", the
     * given text with its control characters escaped (Values.visible), so a URL read from a CRLF file shows its
     * carriage return instead of printing it.
     */
    private static Object invalid(String what, String given, String why) {
        return Values.error("invalid " + what + " '" + Values.visible(given) + "': " + why);
    }

    private Object noServer(long id) {
        if (connections.containsKey(id) || wasConnection(id)) {
            // Servers and connections share IDs: the program passed a connection where a server belongs.
            return Values.error("ID " + id + " is a WebSocket connection, not a server (a connection's functions take wsID:"
                            + " websocketSend, websocketClose)");
        }
        String failure = createFailure;
        if (id <= 0 && failure != null) {
            // IDs are positive: this is the -1 of a dropped Error (websocketCreateServer(...) ?: -1).
            return Values.error("no WebSocket server with ID " + id + " (websocketCreateServer failed: " + failure + ")");
        }
        return Values.error("no WebSocket server with ID " + id);
    }

    Object listen(long id) {
        ServerEntry s = server(id);
        if (s == null) {
            return noServer(id);
        }
        if (s.stopped) {
            return Values.error("WebSocket server " + id + " was stopped; create a new server to listen again");
        }
        if (s.endpoint != null) {
            return Values.error("WebSocket server " + id + " is already listening on " + s.endpoint.where());
        }
        String denied = denied();
        if (denied != null) {
            return Values.error("cannot listen for WebSocket connections: " + denied);
        }
        ServerEndpoint e = new ServerEndpoint(s, this);
        e.start();
        boolean done = ctx.blocking(() -> await(e.started, 10_000));
        if (!done) {
            e.shutDown();
            ctx.interruptible(); // the wait ended by a Ctrl-C, not by 10 s: the run stops here
            return listenFailed(s, "cannot listen on " + s.where() + ": the server did not start within 10 s");
        }
        if (e.startError != null) {
            e.shutDown();
            return listenFailed(s, "cannot listen on " + s.where() + ": " + NetErrors.describe(e.startError));
        }
        s.listenFailure = null;
        s.endpoint = e;
        s.run = ctx.run();
        if (s.handler != null || s.openHandler != null || s.closeHandler != null) {
            e.hold.begin(ctx);
        }
        return Values.ok();
    }

    private static Object listenFailed(ServerEntry s, String message) {
        s.listenFailure = message;
        return Values.error(message);
    }

    /** The server a handler is given to, or the Error saying why there is none that would run it. */
    private Object handlerTarget(long id) {
        ServerEntry s = server(id);
        if (s == null) {
            return noServer(id);
        }
        if (s.stopped) {
            return Values.error("WebSocket server " + id + " is stopped: a handler given to it would never run");
        }
        return s;
    }

    Object onMessage(long id, Object handler) {
        Object target = handlerTarget(id);
        if (!(target instanceof ServerEntry s)) {
            return target;
        }
        s.handler = ctx.withHandlers(handler); // run under the effect handlers in force here (spec 0017)
        return handlerSet(s);
    }

    Object onOpen(long id, Object handler) {
        Object target = handlerTarget(id);
        if (!(target instanceof ServerEntry s)) {
            return target;
        }
        s.openHandler = ctx.withHandlers(handler); // run under the effect handlers in force here (spec 0017)
        return handlerSet(s);
    }

    /** websocketServerOnClose ({@code with} false) and websocketServerOnCloseWith: one handler, the last one set. */
    Object onClose(long id, Object handler, boolean with) {
        Object target = handlerTarget(id);
        if (!(target instanceof ServerEntry s)) {
            return target;
        }
        s.closeHandler = new CloseHandler(ctx.withHandlers(handler), with); // under the effect handlers in force here (spec 0017)
        return handlerSet(s);
    }

    /** A handler was given to the server: if it listens, a handler may be called from now on (CallbackHold). */
    private Object handlerSet(ServerEntry s) {
        ServerEndpoint e = s.endpoint;
        if (e != null) {
            e.hold.begin(ctx);
        }
        return Values.ok();
    }

    /** websocketOnClose: a handler for the end of a connection that websocketConnect made. */
    Object onEnd(long wsId, Object handler) {
        ClientEndpoint client = clients.get(wsId);
        if (client == null) {
            return Values.error(connections.get(wsId) instanceof ServerConnection ? "WebSocket connection " + wsId + " is a server's client: its server's"
                            + " websocketServerOnClose handler hears when it ends" : noConnection(wsId));
        }
        if (!client.onEnd(ctx.withHandlers(handler))) {
            return Values.error(noConnection(wsId));
        }
        return Values.ok();
    }

    Object port(long id) {
        ServerEntry s = server(id);
        if (s == null) {
            return noServer(id);
        }
        ServerEndpoint e = s.endpoint;
        if (e != null) {
            return Values.success((long) e.getPort());
        }
        if (s.address.getPort() != 0) {
            return Values.success((long) s.address.getPort());
        }
        return Values.error("WebSocket server " + id + " is not listening yet, so port 0 has not been given a port");
    }

    Object broadcast(long id, String message) {
        ServerEntry s = server(id);
        if (s == null) {
            return noServer(id);
        }
        ServerEndpoint e = s.endpoint;
        if (e == null || s.stopped) {
            return Values.error("WebSocket server " + id + (s.stopped ? " is stopped" : " is not listening; call websocketServerListen first"));
        }
        java.util.TreeMap<Long, Long> skipped = e.broadcastWithinBound(message);
        if (skipped.isEmpty()) {
            return Values.ok();
        }
        StringBuilder who = new StringBuilder();
        skipped.forEach((wsId, unsent) -> who.append(who.isEmpty() ? "" : ", ").append(wsId).append(" (").append(unsent).append(" bytes waiting)"));
        return Values.error("WebSocket server " + id + " did not send the message to connection" + (skipped.size() > 1 ? "s " : " ") + who
                        + ": the client is not reading (limit " + settings.maxUnsentBytes() + " bytes; sending resumes below " + settings.maxUnsentBytes() / 2 + ")");
    }

    Object serverSend(long id, long wsId, String message) {
        ServerEntry s = server(id);
        if (s == null) {
            return noServer(id);
        }
        if (s.stopped) {
            // as a broadcast: a stop asked from a handler returns before its clients are closed
            return Values.error("WebSocket server " + id + " is stopped");
        }
        WebSocket conn = connections.get(wsId);
        Long owner = serverOf.get(wsId);
        if (conn == null || owner == null || owner != id) {
            return Values.error("WebSocket server " + id + " has no open connection with ID " + wsId);
        }
        return sendOn(conn, wsId, message);
    }

    Object stopServer(long id) {
        ServerEntry s = server(id);
        if (s == null) {
            return noServer(id);
        }
        if (s.stopped) {
            return Values.error("WebSocket server " + id + " is already stopped");
        }
        s.stopped = true;
        ServerEndpoint e = s.endpoint;
        if (e != null && e.stopsSoon()) {
            // From a handler, whose thread may be the one to send the close frames or read an answer to
            // one (ServerEndpoint.stopsSoon); the stop completes just after the handler returns.
            e.shutDownSoon();
            retire(s);
        } else if (e != null) {
            // Handlers wait for the execution lock this thread holds; stopping must not wait for them.
            ctx.blocking(() -> {
                e.shutDown();
                return null;
            });
            retire(s);
            ctx.interruptible(); // a Ctrl-C during the stop's waits stops the run here, the server stopped
        } else {
            retire(s);
        }
        return Values.ok();
    }

    // ---------------------------------------------------------------- connections

    /**
     * The URL as messages show it: with the password of its user information, if it has one, as {@code ***}
     * (as browsers and curl's messages do), so that an Error that a program logs does not hold it. A URL that
     * could not be read is shown as given, where the character a message points at is.
     */
    private static String withoutPassword(URI uri, String url) {
        String authority = uri.getRawAuthority();
        String hidden = authority == null ? null : withoutPassword(authority);
        if (hidden == null || hidden.equals(authority)) {
            return url;
        }
        int at = url.indexOf("//" + authority);
        return at < 0 ? url : url.substring(0, at + 2) + hidden + url.substring(at + 2 + authority.length());
    }

    /** An authority ({@code user:password@host:port}) with its password as {@code ***}. */
    private static String withoutPassword(String authority) {
        int at = authority.lastIndexOf('@');
        int colon = authority.indexOf(':');
        return at < 0 || colon < 0 || colon > at ? authority : authority.substring(0, colon + 1) + "***" + authority.substring(at);
    }

    /** java.net.URI's reason ("Expected authority", "Illegal character in path") in this plugin's words. */
    private static String uriProblem(URISyntaxException e) {
        String reason = e.getReason();
        if (reason.equals("Expected authority")) {
            return "expected a host after '//'";
        }
        reason = Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
        return e.getIndex() >= 0 ? reason + " (character " + (e.getIndex() + 1) + ")" : reason;
    }

    Object connect(String url, Object handler) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // An address without its scheme ("127.0.0.1:8080/chat") reads as a scheme of '127.0.0.1', which
            // java.net.URI calls an illegal character in the scheme name: the scheme is what is missing.
            return invalid("WebSocket URL", url, org.osprey.spi.NetworkFailures.leadingBlank(url) instanceof String blank ? blank
                            : url.contains("://") ? uriProblem(e) : "expected ws:// or wss://");
        }
        String shown = withoutPassword(uri, url);
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss"))) {
            return invalid("WebSocket URL", shown, "expected ws:// or wss://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            // java.net.URI leaves the host out when it cannot read the authority as host and port (a port out
            // of int range, 256.256.256.256): say which part, not that there is none.
            String authority = uri.getRawAuthority();
            return invalid("WebSocket URL", shown, authority == null || authority.isEmpty() ? "it names no host" : "'" + withoutPassword(authority) + "' is not a host and port");
        }
        if (uri.getRawFragment() != null) {
            // RFC 6455 section 3: fragments MUST NOT be used on WebSocket URIs; the library dropped it silently.
            return invalid("WebSocket URL", shown, "a WebSocket URL cannot have a fragment ('#" + uri.getRawFragment()
                            + "'); a '#' in a path or query is written %23");
        }
        if (org.osprey.spi.NetworkFailures.emptyPort(uri, "ws") instanceof String why) {
            return invalid("WebSocket URL", shown, why);
        }
        if (uri.getPort() > 65535 || uri.getPort() == 0) { // 0 means any port to a server, but a connection needs one
            return invalid("WebSocket URL", shown, "port " + uri.getPort() + " is out of range (1 to 65535)");
        }
        if (!scheme.equals(scheme.toLowerCase(java.util.Locale.ROOT))) {
            // Schemes are case-insensitive (RFC 3986); the library knows only the lower-case ones.
            try {
                uri = new URI(scheme.toLowerCase(java.util.Locale.ROOT) + url.substring(scheme.length()));
            } catch (URISyntaxException e) {
                return invalid("WebSocket URL", url, uriProblem(e));
            }
        }
        if (!uri.toASCIIString().equals(uri.toString())) {
            // A path with characters beyond ASCII goes as %XX escapes of its UTF-8, as a browser sends it.
            try {
                uri = new URI(uri.toASCIIString());
            } catch (URISyntaxException e) {
                return invalid("WebSocket URL", url, uriProblem(e));
            }
        }
        URI target = uri;
        String denied = denied();
        if (denied != null) {
            return Values.error("cannot connect to " + Values.visible(shown) + ": " + denied);
        }
        long id = nextId();
        ClientEndpoint client = new ClientEndpoint(id, target, ctx.withHandlers(handler), this);
        client.hold.begin(ctx); // its handler may be called as soon as it opens, before websocketConnect returns
        clients.put(id, client);
        String failure = ctx.blocking(() -> {
            try {
                if (scheme.equalsIgnoreCase("wss")) {
                    // The TLS handshake runs here, so its failure is the one reported: in the library's threads
                    // a certificate error races with the socket closing and often loses.
                    client.use(Tls.connect(target, settings.connectTimeoutSeconds() * 1000));
                } else {
                    client.use(new java.net.Socket());
                }
                if (client.open(settings.connectTimeoutSeconds())) {
                    return null;
                }
                String why = client.failure();
                return why != null ? why : "no answer within " + settings.connectTimeoutSeconds() + " s";
            } catch (java.io.IOException e) {
                return NetErrors.describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        });
        if (failure != null) {
            clients.remove(id);
            endedClients.remove(id);
            client.abandon();
            client.hold.end(ctx);
            ctx.interruptible(); // a Ctrl-C during the wait stops the entry here, not at its next loop or call
            return Values.error("cannot connect to " + Values.visible(shown) + ": " + failure);
        }
        connections.put(id, client);
        markConnection(id);
        clientRun.put(id, ctx.run());
        ctx.interruptible(); // the connection is the entry's: stopping the entry closes it
        return Values.success(id);
    }

    Object send(long wsId, String message) {
        WebSocket conn = connections.get(wsId);
        if (conn == null) {
            return Values.error(noConnection(wsId));
        }
        return sendOn(conn, wsId, message);
    }

    /** Why there is no open connection with this ID; a websocketConnect connection that ended says how. */
    private String noConnection(long wsId) {
        ClientEndpoint client = clients.get(wsId);
        String ended = client == null ? endedClients.get(wsId) : client.ended();
        if (ended != null) {
            return "WebSocket connection " + wsId + " " + ended;
        }
        if (wasConnection(wsId)) {
            return "WebSocket connection " + wsId + " is closed";
        }
        if (servers.containsKey(wsId)) {
            // Servers and connections share IDs: the program passed a server where a connection belongs.
            return "ID " + wsId + " is a WebSocket server, not a connection (a server's functions take serverID:"
                            + " websocketServerSend, websocketServerBroadcast, websocketStopServer)";
        }
        return "no open WebSocket connection with ID " + wsId;
    }

    /**
     * Queues the message unless the connection's unsent data already reached the bound (design/websocket.md:
     * nothing is dropped without the program being told). One comparison of two counters per send.
     */
    private Object sendOn(WebSocket conn, long wsId, String message) {
        if (!conn.isOpen()) {
            return notOpen(conn, wsId);
        }
        long bound = settings.maxUnsentBytes();
        if (conn instanceof ServerConnection s) {
            long unsent = s.unsent();
            ServerEndpoint e = server(serverOf.getOrDefault(wsId, -1L)) instanceof ServerEntry entry ? entry.endpoint : null;
            if (e != null ? e.refusesSend(s, unsent) : s.bound.refuses(unsent, bound)) {
                return Values.error(SendBound.refusal(wsId, unsent, bound));
            }
        } else if (conn instanceof ClientEndpoint c) {
            long unsent = c.unsent();
            if (c.bound.refuses(unsent, bound)) {
                return Values.error(SendBound.refusal(wsId, unsent, bound));
            }
        }
        try {
            conn.send(message);
        } catch (WebsocketNotConnectedException e) {
            // The connection ended between the check above and the library's own (its read thread closed it
            // for a protocol error, say): the same answer as when the check sees it. The library records how
            // a connection ends (onClosing) before it stops counting it as open, so the reason is known here.
            return notOpen(conn, wsId);
        }
        return Values.ok();
    }

    /** The Error of a send on a connection that is no longer open: how it ended where that is known. */
    private Object notOpen(WebSocket conn, long wsId) {
        String ended = conn instanceof ClientEndpoint c ? endedSettled(c) : null;
        return Values.error("WebSocket connection " + wsId + (ended != null ? " " + ended : " is " + (conn.isClosing() ? "closing" : "closed")));
    }

    /**
     * How a client connection ended, once a change of its state that the library has under way is done. The
     * library marks a connection as closing and then calls onClosing or onClose, which record how it ended, in
     * one method synchronized on the connection: a send or a close in between found it closing with no reason
     * recorded, so a send said "is closing" and websocketClose of a connection the server had dropped returned
     * Success (ClientProtocolAbuseTest, once in a clean-clone run). The wait is for the reason to be recorded
     * (at most a second), without the execution lock: the library calls the program's close handler in that
     * method. It does not take the connection's monitor, which a handler of another connection closing at the
     * same moment could be holding while it waits for this one's.
     */
    private String endedSettled(ClientEndpoint c) {
        String ended = c.ended();
        if (ended == null && c.isClosing()) {
            c.awaitEnded(ctx, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
            ended = c.ended();
        }
        return ended;
    }

    Object close(long wsId) {
        return close(wsId, 1000, null);
    }

    /**
     * websocketCloseWith: closes with the program's close code and reason. The code is one a peer may send (RFC
     * 6455 7.4: 1000-1003, 1007-1014, 3000-4999, {@link FrameGuard#maySend}, what it accepts) and the reason fits a
     * control frame (at most 123 bytes of UTF-8); a server's client hears the reason, a server hears it too.
     */
    Object closeWith(long wsId, long code, String reason) {
        if (!FrameGuard.maySend(code)) {
            return Values.error("websocketCloseWith: " + code + " is not a close code a program may send; use 1000 (normal), 1001 (going"
                            + " away), 1008 (policy violation), 1011 (server error), or 3000-4999 (4000-4999 are the application's own)");
        }
        int bytes = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > 123) {
            return Values.error("websocketCloseWith: the reason is " + bytes + " bytes of UTF-8; a close frame holds at most 123");
        }
        return close(wsId, (int) code, reason);
    }

    /** {@code reason} null: websocketClose's own (none from a client, "closed by the server" from a server). */
    private Object close(long wsId, int code, String reason) {
        WebSocket conn = connections.get(wsId);
        if (conn == null) {
            String why = noConnection(wsId);
            clients.remove(wsId);
            endedClients.remove(wsId);
            return Values.error(why);
        }
        ClientEndpoint taken = clients.remove(wsId);
        endedClients.remove(wsId);
        // One that opened and ended at once, during websocketConnect, has already let go of its entry (ended).
        ClientEndpoint client = taken == null && conn instanceof ClientEndpoint c ? c : taken;
        clientRun.remove(wsId);
        forget(wsId);
        if (client != null) {
            // A connection that was already ending (the server closed it, or it failed a check) is an Error
            // saying how, as it is once it has ended: the answer must not depend on which came first.
            String ended = endedSettled(client);
            ctx.blocking(() -> {
                client.closeGracefully(code, reason == null ? "" : reason);
                return null;
            });
            ctx.interruptible(); // a Ctrl-C during the wait for the server's answer stops the run here
            if (ended != null) {
                return Values.error("WebSocket connection " + wsId + " " + ended);
            }
        } else {
            conn.close(code, reason == null ? "closed by the server" : reason);
        }
        return Values.ok();
    }

    /**
     * A websocketConnect connection ended other than by websocketClose, and its close handler (if any) has run:
     * keep how it ended, and let the connection go (see {@link #endedClients}).
     */
    void ended(long wsId, ClientEndpoint client) {
        String how = client.ended();
        if (how == null) {
            return;
        }
        endedClients.put(wsId, how);
        if (clients.remove(wsId, client)) {
            clientRun.remove(wsId);
        } else {
            endedClients.remove(wsId); // websocketClose took it meanwhile, or the connect failed
        }
    }

    /** A server accepted a connection. */
    void accepted(long wsId, long serverId, WebSocket conn) {
        connections.put(wsId, conn);
        serverOf.put(wsId, serverId);
        markConnection(wsId);
    }

    void forget(long wsId) {
        connections.remove(wsId);
        serverOf.remove(wsId);
    }

    // ---------------------------------------------------------------- handlers

    /** Whether this thread is running a handler of this module's (it is then one of the library's threads). */
    private static final ThreadLocal<Boolean> IN_HANDLER = ThreadLocal.withInitial(() -> false);

    /** Whether the calling thread is running a message, open or close handler. */
    static boolean inHandler() {
        return IN_HANDLER.get();
    }

    /**
     * Runs a handler ({@code kind}: "message", "open" or "close") on the calling library thread; a failure or an
     * Error result is one line on stderr.
     */
    void runHandler(Object handler, String kind, java.util.function.Supplier<String> what, Object... args) {
        if (closed) {
            return;
        }
        boolean outer = !IN_HANDLER.get();
        IN_HANDLER.set(true);
        Object result;
        try {
            result = ctx.callFromForeignThread(handler, what, args);
        } finally {
            if (outer) {
                IN_HANDLER.remove();
            }
        }
        if (result != null && !Values.isSuccess(result)) {
            // One line, as the handler's failures are: a line break in the Error's message is written as \n.
            ctx.err().println("error: " + what.get() + ": the " + kind + " handler returned " + Values.visible(Values.display(result)));
        }
    }

    // ---------------------------------------------------------------- lifetime

    /**
     * websocketKeepAlive(): waits for SIGINT or SIGTERM (or the context closing), then stops everything. In
     * the REPL it waits until Ctrl-C interrupts the entry; in an application that embeds Osprey, until the
     * context is closed or interrupted.
     */
    void keepAlive() {
        String idle = nothingToKeepAlive();
        if (idle != null) {
            ctx.err().println("note: websocketKeepAlive: " + idle + "; waiting all the same");
        }
        ctx.waitForEnd(() -> closed); // SIGINT, SIGTERM, or the context closing (BuiltinContext.waitForEnd)
        // Ctrl-C on a REPL entry does not get here: the entry unwinds and stopRun stops what it started,
        // leaving what earlier entries started running.
        ctx.blocking(() -> {
            stopEverything();
            return null;
        });
    }

    /**
     * Why a wait would keep nothing alive, when a program made a WebSocket server that is not listening, or
     * its last websocketCreateServer failed, none is listening, and no connection is open: most likely a
     * failed websocketCreateServer or websocketServerListen whose Result the program dropped, or a listen
     * never called. Null otherwise (also for a program that never asked for a WebSocket server, whose wait
     * may be for an HTTP server's sake).
     */
    private String nothingToKeepAlive() {
        if (!clients.isEmpty() || !connections.isEmpty()) {
            return null;
        }
        ServerEntry idle = null;
        for (ServerEntry s : servers.values()) {
            if (s.endpoint != null && !s.stopped) {
                return null;
            }
            if (!s.stopped && (idle == null || s.listenFailure != null && idle.listenFailure == null)) {
                idle = s;
            }
        }
        if (idle == null) {
            String failure = createFailure;
            return failure == null ? null : "no WebSocket server is listening and no connection is open (websocketCreateServer failed: " + failure + ")";
        }
        return "no WebSocket server is listening and no connection is open ("
                + (idle.listenFailure != null ? "websocketServerListen(serverID: " + idle.id + ") failed: " + idle.listenFailure
                        : "server " + idle.id + " was created but websocketServerListen was not called") + ")";
    }

    /**
     * A REPL entry was interrupted: stop the servers it made listen and close the connections it opened,
     * as websocketStopServer and websocketClose would. What earlier entries started goes on.
     */
    private void stopRun(long run) {
        ctx.blocking(() -> {
            java.util.List<ClientEndpoint> closing = new java.util.ArrayList<>();
            for (Map.Entry<Long, Long> c : clientRun.entrySet()) {
                if (c.getValue() == run) {
                    long wsId = c.getKey();
                    clientRun.remove(wsId);
                    ClientEndpoint client = clients.remove(wsId);
                    forget(wsId);
                    if (client != null) {
                        closing.add(client);
                    }
                }
            }
            ClientEndpoint.closeAllGracefully(closing);
            for (ServerEntry s : servers.values()) {
                ServerEndpoint e = s.endpoint;
                if (s.run == run && e != null && !s.stopped) {
                    s.stopped = true;
                    e.shutDown();
                    retire(s);
                }
            }
            return null;
        });
    }

    private void stopEverything() {
        ClientEndpoint.closeAllGracefully(java.util.List.copyOf(clients.values()));
        clients.clear();
        clientRun.clear();
        for (ServerEntry s : servers.values()) {
            s.stopped = true;
            ServerEndpoint e = s.endpoint;
            if (e != null) {
                e.shutDown();
            }
        }
        connections.clear();
        serverOf.clear();
    }

    /** The context is closing: program end, REPL reset, or an embedder closing it. */
    void closeAll() {
        closed = true;
        if (ctx.takesSignals() && !ctx.interactive()) {
            // A program that listens and then simply ends (no websocketKeepAlive) had its server stopped the
            // moment it started, with nothing said and exit code 0: a server no client ever reached is worth a
            // line. One a client connected to ends without a word, as one the program stopped itself does.
            servers.values().stream().filter(s -> s.endpoint != null && !s.stopped && !s.reached).sorted(java.util.Comparator.comparingLong(s -> s.id))
                            .forEach(s -> ctx.err().println("note: WebSocket server " + s.id
                                            + " stopped when the program ended, before any client connected; a program that should keep serving ends with websocketKeepAlive()"));
        }
        stopEverything();
    }

    private static boolean await(java.util.concurrent.CountDownLatch latch, long millis) {
        try {
            return latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
