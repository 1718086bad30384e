package org.osprey.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.junit.jupiter.api.Test;

/** A match over a long table of literals (generated code) is checked for unreachable arms in linear time. */
class LongMatchTest {
    private static final int ARMS = 60_000;

    private static String table(String extraArm) {
        StringBuilder code = new StringBuilder("fn f(n: int) -> int = match n {\n");
        for (int i = 0; i < ARMS; i++) {
            code.append("    ").append(i).append(" => ").append(i * 2).append('\n');
        }
        return code.append(extraArm).append("    _ => -1\n}\nf(")
                        .append(ARMS - 1).append(")\n").toString();
    }

    @Test
    void sixtyThousandArms() {
        // Each arm was compared with every arm above it: 30,000 arms took 6 s to check, 60,000 about 25 s.
        try (Context context = Context.newBuilder("osprey").option("engine.WarnInterpreterOnly", "false").build()) {
            long started = System.nanoTime();
            long value = context.eval(Source.newBuilder("osprey", table(""), "table.osp").buildLiteral()).asLong();
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals((ARMS - 1) * 2L, value);
            assertTrue(millis < 10_000, "took " + millis + " ms");
        }
    }

    @Test
    void aDuplicateArmAtTheEndIsStillFound() {
        try (Context context = Context.newBuilder("osprey").option("engine.WarnInterpreterOnly", "false").build()) {
            PolyglotException e = org.junit.jupiter.api.Assertions.assertThrows(PolyglotException.class,
                            () -> context.eval(Source.newBuilder("osprey", table("    7 => 0\n"), "table.osp").buildLiteral()));
            assertTrue(e.getMessage().startsWith("table.osp:" + (ARMS + 2) + ":5: duplicate match arm: this pattern is already matched at line 9\n"),
                            e.getMessage());
        }
    }
}
