package org.osprey.spi;

/** Where a {@link BuiltinProvider} declares its functions and the types they use. */
public interface BuiltinRegistry {
    /**
     * Osprey type declarations every program can use, e.g. {@code type WebSocketID = int}. Checked like
     * program text; a mistake is reported when the language starts.
     */
    void declareTypes(String ospreySource);

    /**
     * Declares a function by its signature in Osprey syntax, e.g.
     * {@code websocketSend(wsID: int, message: string) -> Result<unit, string>}. Single capital letters are
     * type variables. The category ("core", "fs", "process", "websocket", ...) lets sandbox flags disable a
     * whole group. A second function of the same name is an overload chosen by its first parameter's type.
     */
    void function(String signature, String category, BuiltinFunction implementation);

    /** As {@link #function}, with a one-line description shown by the REPL's :help. */
    default void function(String signature, String category, String doc, BuiltinFunction implementation) {
        function(signature, category, implementation);
    }
}
