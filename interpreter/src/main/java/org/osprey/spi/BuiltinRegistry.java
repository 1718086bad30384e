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

    /** As {@link #function}, with a one-line description that the REPL's {@code :type NAME} shows under the signature. */
    default void function(String signature, String category, String doc, BuiltinFunction implementation) {
        function(signature, category, implementation);
    }

    /**
     * Declares a setting of the module, {@code osprey.Plugin.<module>.<name>}, which its functions read with
     * {@link BuiltinContext#option} ({@code option("<module>.<name>")}). {@code check} returns null for a value
     * the setting takes, else what it takes ({@code "a whole number from 1 to 2147483647"}). A context given a
     * setting that no module declares, or a value its check refuses, is not made: the error names the
     * setting, so a misspelt or mistyped setting is found at start rather than at the first call that reads it.
     */
    void setting(String module, String name, java.util.function.Function<String, String> check);

    /**
     * Says that this module tells the context while its handlers can be called ({@link BuiltinContext#callbacksBegin},
     * {@link BuiltinContext#callbacksEnded}): a fiber's wait (a {@code recv}) that only a handler could end then
     * fails as a deadlock once none can be called any more. A module that does not say so counts from the first
     * function value given to one of its functions until the program ends: such a wait then waits for ever.
     */
    default void countsCallbacks() {
    }
}
