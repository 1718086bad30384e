package org.osprey.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.api.Test;

/** sleep(milliseconds) waits as long as it is told, however long that is, and a host can still interrupt it. */
class SleepTest {
    @Test
    void theLongestSleepDoesNotReturnAtOnce() throws Exception {
        // now + ms * 10^6 nanoseconds overflowed for the largest int, giving a deadline already past.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = Context.newBuilder("osprey").out(out).option("engine.WarnInterpreterOnly", "false").build()) {
            PolyglotException[] failure = new PolyglotException[1];
            Thread program = new Thread(() -> {
                try {
                    context.eval("osprey", "print(\"asleep\")\nsleep(9223372036854775807)\nprint(\"awake\")\n");
                } catch (PolyglotException e) {
                    failure[0] = e;
                }
            });
            program.start();
            // Long enough for the program to reach its sleep and, before the fix, to print "awake".
            program.join(TimeUnit.SECONDS.toMillis(2));
            assertTrue(program.isAlive(), "sleep(9223372036854775807) returned: " + out.toString(StandardCharsets.UTF_8));
            try {
                context.interrupt(Duration.ofSeconds(10));
            } catch (TimeoutException e) {
                throw new AssertionError("the sleep did not stop when interrupted", e);
            }
            program.join();
            assertEquals("asleep\n", out.toString(StandardCharsets.UTF_8));
            assertTrue(failure[0] != null && failure[0].isInterrupted(), "the sleep ended otherwise: " + failure[0]);
        }
    }
}
