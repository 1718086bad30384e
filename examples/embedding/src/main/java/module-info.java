/** A Java application that runs Osprey code through the GraalVM polyglot API. */
module org.osprey.example.embedding {
    requires org.graalvm.polyglot;

    exports org.osprey.example.embedding;
}
