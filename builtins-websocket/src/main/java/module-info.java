/** The WebSocket builtins of the Osprey seeds, as a plugin of the interpreter. */
module org.osprey.websocket {
    requires org.osprey.interpreter;
    requires org.java_websocket;

    provides org.osprey.spi.BuiltinProvider with org.osprey.websocket.WebSocketBuiltins;
}
