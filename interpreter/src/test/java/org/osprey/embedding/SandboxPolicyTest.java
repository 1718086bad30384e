package org.osprey.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.junit.jupiter.api.Test;

/**
 * The polyglot API's sandbox policy CONSTRAINED, which an application sets for guest code it trusts but
 * keeps away from the host's resources: Osprey runs there, the functions that need what the policy denies
 * return their Error values, and the options that only restrict the program may be set. Found by the
 * embedding QA pass: building such a context failed ("The language osprey can only be used up to the
 * TRUSTED sandbox policy").
 */
class SandboxPolicyTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private Context.Builder constrained() {
        // CONSTRAINED requires the standard streams to be the application's, not the JVM's.
        return Context.newBuilder("osprey").sandbox(SandboxPolicy.CONSTRAINED).out(out).err(new ByteArrayOutputStream());
    }

    @Test
    void aConstrainedContextRunsOsprey() {
        try (Context context = constrained().build()) {
            assertEquals("Success(3)", context.eval("osprey", "print(\"hi\")\n1 + 2").toString());
            assertEquals("hi\n", out.toString(StandardCharsets.UTF_8));
            assertEquals("Error(cannot read 'notes.txt': file access is not allowed here)", context.eval("osprey", "readFile(\"notes.txt\")").toString());
            assertEquals("Error(cannot run 'echo hi': this context does not allow running processes)",
                            context.eval("osprey", "spawnProcess(\"echo hi\", fn(id: int, kind: int, data: string) => ())").toString());
        }
        try (Context context = constrained().allowCreateThread(true).build()) {
            assertEquals(42, context.eval("osprey", "fn answer() -> int = 42\nlet f = spawn answer()\nawait(f)").asInt());
        }
    }

    @Test
    void theOptionsThatRestrictTheProgramMayBeSet() {
        try (Context context = constrained().option("osprey.Sandbox", "true").option("osprey.MaxCallDepth", "50").build()) {
            PolyglotException e = assertThrows(PolyglotException.class, () -> context.eval("osprey", "readFile(\"notes.txt\")"));
            assertTrue(e.getMessage().contains("'readFile' is not available"), e.getMessage());
            e = assertThrows(PolyglotException.class, () -> context.eval("osprey", "fn d(n: int) -> int = match n { 0 => 0  _ => 1 + d(n - 1) }\nd(100)"));
            assertTrue(e.getMessage().startsWith("stack overflow in function 'd': more than 50 calls are nested"), e.getMessage());
        }
        // Handing the process's signals to the program is not for a sandbox.
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> constrained().option("osprey.Signals", "true").build());
        assertTrue(refused.getMessage().contains("The option osprey.Signals can only be used up to the TRUSTED sandbox policy"), refused.getMessage());
    }
}
