/** The HTTP builtins of spec 0014, as a plugin of the interpreter, over the JDK's own HTTP server and client. */
module org.osprey.http {
    requires org.osprey.interpreter;
    requires jdk.httpserver;
    requires java.net.http;

    provides org.osprey.spi.BuiltinProvider with org.osprey.http.HttpBuiltins;
}
