package org.osprey.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.api.Test;

/**
 * sleep(milliseconds) waits as long as it is told, however long that is, asleep the whole time, and a host can
 * still interrupt it.
 */
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

    @Test
    void aSleepDoesNotWakeToLookAtTheClock() throws Exception {
        // It woke every 10 ms to look whether its time was up: 500 fibers in sleep(10000) took 3.7 s of processor
        // time between them. What is measured is what the thread does while nothing happens: a second has to pass.
        java.util.concurrent.CountDownLatch printed = new java.util.concurrent.CountDownLatch(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                super.write(b, off, len);
                printed.countDown();
            }
        };
        try (Context context = Context.newBuilder("osprey").out(out).option("engine.WarnInterpreterOnly", "false").build()) {
            Path[] entry = new Path[1];
            Thread program = new Thread(() -> {
                try {
                    entry[0] = Path.of("/proc").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self")));
                    context.eval("osprey", "print(\"asleep\")\nsleep(600000)\nprint(\"awake\")\n");
                } catch (IOException | PolyglotException e) {
                    // interrupted at the end of the test
                }
            });
            program.start();
            assertTrue(printed.await(60, TimeUnit.SECONDS), "the program printed nothing");
            long before = wakeUps(entry[0]);
            Thread.sleep(1000);
            long during = wakeUps(entry[0]) - before;
            context.interrupt(Duration.ofSeconds(10));
            program.join();
            assertEquals("asleep\n", out.toString(StandardCharsets.UTF_8));
            assertTrue(during < 10, "the sleeping thread woke " + during + " times in a second");
        }
    }

    @Test
    void aSleepLastsItsTime() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = Context.newBuilder("osprey").out(out).option("engine.WarnInterpreterOnly", "false").build()) {
            context.eval("osprey", "sleep(1)");
            long start = System.nanoTime();
            context.eval("osprey", "sleep(300)\nsleep(0)\nsleep(-5)\nprint(\"awake\")");
            long took = System.nanoTime() - start;
            assertEquals("awake\n", out.toString(StandardCharsets.UTF_8));
            assertTrue(took >= 300_000_000L, "sleep(300) took " + took / 1_000_000 + " ms");
        }
    }

    /** How many times the thread gave up the processor to wait (voluntary context switches, Linux's count). */
    static long wakeUps(Path thread) throws IOException {
        return Files.readAllLines(thread.resolve("status")).stream().filter(l -> l.startsWith("voluntary_ctxt_switches:"))
                        .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).strip())).findFirst().orElseThrow();
    }
}
