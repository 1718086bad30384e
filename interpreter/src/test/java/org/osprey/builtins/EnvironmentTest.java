package org.osprey.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.EnvironmentAccess;
import org.junit.jupiter.api.Test;

/**
 * getEnv reads the environment the context was given: the process's with allowAllAccess (as osprey run
 * has), only the variables an embedder sets otherwise. args() gives the context's arguments.
 */
class EnvironmentTest {
    private static final String PROGRAM = """
                    print(getEnv("OSPREY_TEST_GREETING"))
                    print(getEnv("OSPREY_TEST_SURELY_NOT_SET"))
                    print(getEnv(""))
                    print(getEnv("A=B"))
                    print(args())
                    """;

    private static String run(Context.Builder builder) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = builder.out(out).option("engine.WarnInterpreterOnly", "false").build()) {
            context.eval("osprey", PROGRAM);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theVariablesTheContextWasGiven() {
        String expected = """
                        Success(hello there)
                        Error(environment variable OSPREY_TEST_SURELY_NOT_SET is not set)
                        Error('' is not a name an environment variable can have)
                        Error('A=B' is not a name an environment variable can have)
                        ["x", "-y"]
                        """;
        assertEquals(expected, run(Context.newBuilder("osprey").allowAllAccess(true).environment("OSPREY_TEST_GREETING", "hello there")
                        .arguments("osprey", new String[] {"x", "-y"})));
        // Without access to the process's environment, PATH (set in every process here) is not seen.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = Context.newBuilder("osprey").allowEnvironmentAccess(EnvironmentAccess.NONE).out(out)
                        .option("engine.WarnInterpreterOnly", "false").build()) {
            context.eval("osprey", "print(getEnv(\"PATH\"))\nprint(args())\n");
        }
        assertEquals("Error(environment variable PATH is not set)\n[]\n", out.toString(StandardCharsets.UTF_8));
    }
}
