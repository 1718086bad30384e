package org.osprey.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicReference;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.junit.jupiter.api.Test;

/**
 * Literals nested thousands deep (generated code, a fuzzer) are checked in time about proportional to their
 * size: the type checker's walks over a type must not start again at every level. They run on a thread with
 * a large stack, as the launcher's programs do; a small one is reported as too deeply nested to parse.
 *
 * The time is the evaluating thread's CPU time, not the wall clock: parsing and checking run on that thread,
 * and a machine loaded by other work (two cores, a dozen runnable threads) made the wall time of a fast
 * check pass 10 s, where its CPU time stays about a second. The walks that started again at every level
 * took 16-25 s of it.
 */
class DeepNestingTest {
    private static final int DEPTH = 50_000;

    /** Evaluates {@code code} in a new context on a thread with a 1 GB stack; returns its value and the CPU time taken (ms). */
    private static long[] eval(String code) throws InterruptedException {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try (Context context = Context.newBuilder("osprey").option("engine.WarnInterpreterOnly", "false").build()) {
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                long started = threads.getCurrentThreadCpuTime();
                long value = context.eval(Source.newBuilder("osprey", code, "deep.osp").buildLiteral()).asLong();
                outcome.set(new long[] {value, (threads.getCurrentThreadCpuTime() - started) / 1_000_000});
            } catch (RuntimeException | Error e) {
                outcome.set(e);
            }
        }, "deep", 1L << 30);
        thread.start();
        thread.join();
        if (outcome.get() instanceof RuntimeException e) {
            throw e;
        }
        if (outcome.get() instanceof Error e) {
            throw e;
        }
        return (long[]) outcome.get();
    }

    @Test
    void tuplesNestedFiftyThousandDeep() throws InterruptedException {
        // Each level walked the whole type below it: 20,000 deep took 4 s, 50,000 deep 25 s.
        long[] r = eval("let x = " + "(1, ".repeat(DEPTH) + "2" + ")".repeat(DEPTH) + "\nlet (a, b) = x\na\n");
        assertEquals(1, r[0]);
        assertTrue(r[1] < 10_000, "took " + r[1] + " ms of CPU time");
    }

    @Test
    void listsNestedFiftyThousandDeep() throws InterruptedException {
        long[] r = eval("let x = " + "[".repeat(DEPTH) + "3" + "]".repeat(DEPTH) + "\nlength(x)\n");
        assertEquals(1, r[0]);
        assertTrue(r[1] < 10_000, "took " + r[1] + " ms of CPU time");
    }

    @Test
    void callsNestedAHundredThousandDeep() throws InterruptedException {
        // The parser looked for a match arm's pattern after each call's ')' by walking to it: 20,000 deep took
        // 2.4 s to parse instead of 0.4 s (osprey run), 100,000 deep 16 s here instead of about 1.
        long[] r = eval("fn f(x: int) -> int = x\nlet y = " + "f(".repeat(2 * DEPTH) + "4" + ")".repeat(2 * DEPTH) + "\ny\n");
        assertEquals(4, r[0]);
        assertTrue(r[1] < 10_000, "took " + r[1] + " ms of CPU time");
    }
}
