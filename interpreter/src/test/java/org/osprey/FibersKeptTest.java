package org.osprey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.graalvm.polyglot.Context;
import org.junit.jupiter.api.Test;

/**
 * A run that spawns fiber after fiber (a server spawning one per message runs for days) must not keep every
 * fiber that ended, and with it its value, until the run ends: that ran a program of 100,000 short fibers
 * out of a 48 MB heap.
 */
class FibersKeptTest {
    @Test
    void aFiberThatEndedWellIsNotKeptWhileTheRunGoesOn() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipedOutputStream toProgram = new PipedOutputStream();
        try (Context context = Context.newBuilder("osprey").out(out).in(new PipedInputStream(toProgram)).allowCreateThread(true)
                        .option("engine.WarnInterpreterOnly", "false").option("osprey.LineBuffered", "true").build()) {
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> context.eval("osprey", """
                            fn work(i: int) -> int = i * 2
                            fn many(i: int, n: int, sum: int) -> int = match i == n {
                                true => sum
                                false => many(i: i + 1, n: n, sum: sum + await(spawn work(i)))
                            }
                            print(many(i: 0, n: 300, sum: 0))
                            let line = readLine()
                            """));
            while (!out.toString(StandardCharsets.UTF_8).contains("89700\n") && !run.isDone()) {
                Thread.sleep(5); // polled: the program says when its fibers have ended
            }
            context.enter();
            try {
                // The run waits for a line: the 300 fibers have ended, and none is kept.
                assertEquals(0, OspreyContext.get(null).fibers().kept());
            } finally {
                context.leave();
            }
            toProgram.write("done\n".getBytes(StandardCharsets.UTF_8));
            toProgram.flush();
            run.get(60, TimeUnit.SECONDS);
        }
    }
}
