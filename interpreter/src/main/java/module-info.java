/** The Osprey language for GraalVM Truffle. */
module org.osprey.interpreter {
    requires transitive org.graalvm.truffle;
    requires transitive org.graalvm.polyglot;
    // sun.misc.Signal, for the waits of the keep-alive builtins (Signals)
    requires jdk.unsupported;

    exports org.osprey;
    exports org.osprey.spi;
    exports org.osprey.tooling;

    uses org.osprey.spi.BuiltinProvider;

    provides com.oracle.truffle.api.provider.TruffleLanguageProvider with org.osprey.OspreyLanguageProvider;
}
