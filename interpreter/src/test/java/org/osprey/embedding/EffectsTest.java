package org.osprey.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Algebraic effects (spec 0017) seen from an embedding application: an Osprey function that performs, called
 * from Java with no Osprey handle around the call, and called from Java code that an Osprey handle covers
 * (Osprey calls Java, which calls back into Osprey). Handlers are scoped dynamically on the thread, so a handle
 * of Osprey code stays in force through the Java frames it calls.
 */
class EffectsTest {
    private static final String LOG = """
                    effect Log { log: fn(string) -> unit }
                    fn work(x: int) -> int !Log = {
                        perform Log.log("work ${x}")
                        x * 2
                    }
                    fn inferred(x: int) = {
                        perform Log.log("inferred ${x}")
                        x
                    }
                    fn logged(cb: (int) -> int) -> int = handle Log
                        log m => print("logged: ${m}")
                    in
                        cb(5)
                    fn unlogged(cb: (int) -> int) -> int = cb(6)
                    """;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Context context;
    private Value osprey;

    @BeforeEach
    void declare() {
        context = Context.newBuilder("osprey").out(out).option("engine.WarnInterpreterOnly", "false").build();
        context.eval("osprey", LOG);
        osprey = context.getBindings("osprey");
    }

    @AfterEach
    void close() {
        context.close();
    }

    private static String unhandled(String function, String op) {
        return "no handler of Log is in force where Log." + op + " is performed: '" + function + "' was called from outside Osprey (from Java or"
                        + " another language), where no handle of Log covers it; call it from Osprey code inside handle Log ... in ...";
    }

    @Test
    void aFunctionThatPerformsCalledFromJavaWithNoHandleSaysSo() {
        PolyglotException e = assertThrows(PolyglotException.class, () -> osprey.getMember("work").execute(3));
        assertTrue(e.isGuestException() && !e.isInternalError(), e.toString());
        assertEquals(unhandled("work", "log"), e.getMessage());
        assertEquals("perform Log.log(\"work ${x}\")", e.getSourceLocation().getCharacters().toString());
        e = assertThrows(PolyglotException.class, () -> osprey.invokeMember("inferred", 3));
        assertEquals(unhandled("inferred", "log"), e.getMessage());
        // the context goes on, its handlers as before
        assertEquals(10, osprey.getMember("logged").execute((ProxyExecutable) a -> osprey.getMember("work").execute(a[0])).asInt());
        assertEquals("logged: work 5\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aHandleOfOspreyCodeCoversTheJavaCodeItCallsAndWhatThatCallsBack() {
        Value viaJava = osprey.getMember("logged").execute((ProxyExecutable) a -> osprey.getMember("work").execute(a[0]));
        assertEquals(10, viaJava.asInt());
        Value inSnippet = context.eval("osprey", """
                        fn(cb: (int) -> int) => handle Log
                            log m => print("snippet: ${m}")
                        in
                            cb(7)
                        """);
        assertEquals(14, inSnippet.execute((ProxyExecutable) a -> osprey.getMember("work").execute(a[0])).asInt());
        assertEquals("logged: work 5\nsnippet: work 7\n", out.toString(StandardCharsets.UTF_8));
    }

    /** Osprey code with no handle calls Java, which calls a function that performs: the function called from Java is named. */
    @Test
    void javaCalledFromOspreyCodeWithNoHandle() {
        PolyglotException e = assertThrows(PolyglotException.class,
                        () -> osprey.getMember("unlogged").execute((ProxyExecutable) a -> osprey.getMember("work").execute(a[0])));
        assertEquals(unhandled("work", "log"), e.getMessage());
    }
}
