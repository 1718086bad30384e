/** The osprey command: run mode and the REPL. */
module org.osprey.launcher {
    requires org.graalvm.polyglot;
    requires org.jline;

    exports org.osprey.launcher;
}
