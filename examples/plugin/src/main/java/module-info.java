/**
 * An example builtins module: random numbers for Osprey programs (docs/plugins.md). On the module path the
 * interpreter finds it through {@code provides}; on the class path (osprey --plugin-path) through
 * META-INF/services.
 */
module org.osprey.example.random {
    requires org.osprey.interpreter;

    provides org.osprey.spi.BuiltinProvider with org.osprey.example.random.RandomBuiltins;
}
