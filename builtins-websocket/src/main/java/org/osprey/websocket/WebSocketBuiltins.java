package org.osprey.websocket;

import org.osprey.spi.BuiltinContext;
import org.osprey.spi.BuiltinProvider;
import org.osprey.spi.BuiltinRegistry;
import org.osprey.spi.Values;

/**
 * The WebSocket functions of the seeds and of spec 0015, and the extensions of design/websocket.md. Every
 * operation that can fail returns {@code Result<_, string>} with a message a person can act on; nothing here
 * throws into the program. Registration is cheap: Java-WebSocket is loaded only when a function runs.
 */
public final class WebSocketBuiltins implements BuiltinProvider {
    static final String CATEGORY = "websocket";

    @Override
    public void register(BuiltinRegistry r) {
        Settings.declare(r);
        r.countsCallbacks(); // a listening server with a handler, or an open connection (org.osprey.spi.CallbackHold)
        r.declareTypes("""
                        type WebSocketID = int
                        type ServerID = int
                        type WebSocketMessage = { type: string, data: string, timestamp: int }
                        type WebSocketConnection = { id: int, url: string, isConnected: bool }
                        """);
        r.function("websocketConnect(url: string, messageHandler: (string) -> Result<Success, string>) -> Result<int, string>", CATEGORY,
                        "Connects to a ws:// or wss:// URL; the handler gets each text message.", (c, a) -> state(c).connect(s(a[0]), a[1]));
        r.function("websocketSend(wsID: int, message: string) -> Result<Success, string>", CATEGORY,
                        "Sends a text message on a connection.", (c, a) -> state(c).send((long) a[0], s(a[1])));
        r.function("websocketClose(wsID: int) -> Result<Success, string>", CATEGORY,
                        "Closes a connection (close code 1000).", (c, a) -> state(c).close((long) a[0]));
        r.function("websocketCloseWith(wsID: int, code: int, reason: string) -> Result<Success, string>", CATEGORY,
                        "Closes a connection as websocketClose does, with this close code (1000-1003, 1007-1014, 3000-4999) and reason"
                                        + " (at most 123 bytes).",
                        (c, a) -> state(c).closeWith((long) a[0], (long) a[1], s(a[2])));
        r.function("websocketOnClose(wsID: int, handler: (string) -> Result<Success, string>) -> Result<Success, string>", CATEGORY,
                        "Sets the handler called once if the connection ends other than by websocketClose (the server closed it, it failed"
                                        + " or was lost), with a sentence saying how.",
                        (c, a) -> state(c).onEnd((long) a[0], a[1]));
        r.function("websocketCreateServer(port: int, address: string, path: string) -> Result<int, string>", CATEGORY,
                        "Validates and creates a server; it binds on websocketServerListen. Port 0 picks a free port.",
                        (c, a) -> state(c).createServer((long) a[0], s(a[1]), s(a[2])));
        r.function("websocketServerListen(serverID: int) -> Result<Success, string>", CATEGORY,
                        "Binds the server's port and starts accepting connections.", (c, a) -> state(c).listen((long) a[0]));
        r.function("websocketServerBroadcast(serverID: int, message: string) -> Result<Success, string>", CATEGORY,
                        "Sends a text message to every client of the server.", (c, a) -> state(c).broadcast((long) a[0], s(a[1])));
        r.function("websocketStopServer(serverID: int) -> Result<Success, string>", CATEGORY,
                        "Closes every client (1001), unbinds the port and stops the server's threads.", (c, a) -> state(c).stopServer((long) a[0]));
        r.function("websocketServerSend(serverID: int, wsID: int, message: string) -> Result<Success, string>", CATEGORY,
                        "Sends a text message to one client of the server.", (c, a) -> state(c).serverSend((long) a[0], (long) a[1], s(a[2])));
        r.function("websocketServerOnMessage(serverID: int, messageHandler: (int, string) -> Result<Success, string>) -> Result<Success, string>",
                        CATEGORY, "Sets the handler for clients' messages: it gets the client's wsID and the text. Without one, the server echoes.",
                        (c, a) -> state(c).onMessage((long) a[0], a[1]));
        r.function("websocketServerOnOpen(serverID: int, handler: (int) -> Result<Success, string>) -> Result<Success, string>", CATEGORY,
                        "Sets the handler called with a client's wsID when it connects (before its messages).",
                        (c, a) -> state(c).onOpen((long) a[0], a[1]));
        r.function("websocketServerOnClose(serverID: int, handler: (int) -> Result<Success, string>) -> Result<Success, string>", CATEGORY,
                        "Sets the handler called with a client's wsID when its connection has closed.",
                        (c, a) -> state(c).onClose((long) a[0], a[1], false));
        r.function("websocketServerOnCloseWith(serverID: int, handler: (int, int, string) -> Result<Success, string>) -> Result<Success, string>",
                        CATEGORY, "As websocketServerOnClose, and the handler also gets the close code and reason (1006 and \"\" for a lost"
                                        + " connection); it replaces a websocketServerOnClose handler, and the other way round.",
                        (c, a) -> state(c).onClose((long) a[0], a[1], true));
        r.function("websocketServerPort(serverID: int) -> Result<int, string>", CATEGORY,
                        "The port the server is bound to (useful after creating it with port 0).", (c, a) -> state(c).port((long) a[0]));
        r.function("websocketKeepAlive() -> unit", CATEGORY,
                        "Waits until the program is interrupted (Ctrl-C, SIGTERM), then stops every server; handlers run meanwhile.",
                        (c, a) -> {
                            state(c).keepAlive();
                            return Values.unit();
                        });
    }

    static WebSocketState state(BuiltinContext c) {
        return c.state(WebSocketState.class, () -> new WebSocketState(c));
    }

    private static String s(Object v) {
        return Values.javaString(v);
    }
}
