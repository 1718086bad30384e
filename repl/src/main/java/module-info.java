/** The osprey command: run mode and the REPL. */
module org.osprey.launcher {
    requires org.graalvm.polyglot;
    requires org.jline;
    // sun.misc.Signal: Ctrl-C on a dumb terminal arrives as SIGINT (Repl.interruptsFromTheKernel).
    requires jdk.unsupported;
    // The REPL asks the language's own lexer and parser about entries (org.osprey.tooling).
    requires org.osprey.interpreter;

    exports org.osprey.launcher;
}
