package org.osprey.example.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.junit.jupiter.api.Test;

/**
 * The example builtins module, found by the interpreter the way an application finds it: on the module path
 * beside the interpreter (here, the test's), with no code naming it.
 */
class RandomBuiltinsTest {
    /** The example program beside the module's pom (Maven runs the tests in that directory). */
    private static String program() throws IOException {
        return Files.readString(Path.of("dice.osp"), StandardCharsets.UTF_8);
    }

    /** What dice.osp prints in a context with these settings (null: none). */
    private static String run(String seed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Context.Builder builder = Context.newBuilder("osprey").out(out).err(out);
        if (seed != null) {
            builder.option("osprey.Plugin.random.Seed", seed);
        }
        try (Context context = builder.build()) {
            context.eval(Source.newBuilder("osprey", program(), "dice.osp").build());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theModuleFunctionsBehaveAsDocumented() throws IOException {
        String out = run(null);
        String[] lines = out.split("\n");
        assertEquals("""
                        five rolls in 1..6: true
                        Error(randomInt: low (5) is greater than high (3))
                        Success(7)
                        Success(only)
                        Error(randomChoice: the list is empty)
                        a shuffle keeps the items: true
                        randomFloat in [0, 1): true
                        """, out.substring(0, out.lastIndexOf("a sequence:")));
        assertTrue(lines[lines.length - 1].startsWith("a sequence: ["), out);
    }

    @Test
    void aSeedMakesEveryRunTheSame() throws IOException {
        String first = run("42");
        assertEquals(first, run("42"));
        assertNotEquals(first, run("43"), "another seed, other numbers");
    }

    @Test
    void aSeedThatIsNotANumberIsRefusedBeforeTheProgramRuns() {
        PolyglotException e = assertThrows(PolyglotException.class, () -> run("soon"));
        assertEquals("invalid setting osprey.Plugin.random.Seed=soon: it takes a whole number", e.getMessage());
    }

    @Test
    void theWholeRangeOfIntIsAllowed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = Context.newBuilder("osprey").out(out).build()) {
            context.eval("osprey", """
                            let big = 9223372036854775807
                            let small = -9223372036854775807 - 1
                            print(randomInt(big, big))
                            print(randomInt(small, small))
                            print(match randomInt(small, big) { Success { value } => true  Error { message } => false })
                            print(match randomInt(big - 1, big) { Success { value } => value >= big - 1  Error { message } => false })
                            """);
        }
        assertEquals("Success(9223372036854775807)\nSuccess(-9223372036854775808)\ntrue\ntrue\n", out.toString(StandardCharsets.UTF_8));
    }
}
