package org.osprey.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.graalvm.polyglot.Context;
import org.junit.jupiter.api.Test;

/** now() is the wall clock in milliseconds since 1970, nanoTime() a clock that measures what sleep waits. */
class ClockTest {
    @Test
    void nowIsTheTimeOfDayAndNanoTimeMeasures() {
        try (Context context = Context.newBuilder("osprey").option("engine.WarnInterpreterOnly", "false").build()) {
            long before = System.currentTimeMillis();
            long now = context.eval("osprey", "now()").asLong();
            long after = System.currentTimeMillis();
            assertTrue(before <= now && now <= after, before + " <= " + now + " <= " + after);
            long slept = context.eval("osprey", """
                            let start = nanoTime()
                            sleep(30)
                            (nanoTime() - start) ?: -1
                            """).asLong();
            assertTrue(slept >= 30_000_000L, "sleep(30) measured " + slept + " ns");
            assertEquals("(int, int)", context.eval("osprey", "let t = (now(), nanoTime())\n\"(int, int)\"").asString());
        }
    }
}
