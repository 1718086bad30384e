package org.osprey.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fibers (spec 0011) in an embedding application: a fiber is a thread of the context's, so the context must
 * allow threads, and closing or cancelling the context must end every fiber's thread, whatever it is doing.
 */
class FibersTest {
    private static Context.Builder builder(ByteArrayOutputStream out) {
        return Context.newBuilder("osprey").out(out).option("engine.WarnInterpreterOnly", "false").option("osprey.LineBuffered", "true");
    }

    private static List<Thread> fiberThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("osprey-fiber-") && t.isAlive()).toList();
    }

    @AfterEach
    void noFiberThreadOutlivesItsContext() {
        assertEquals(List.of(), fiberThreads());
    }

    @Test
    void aContextWithoutThreadsSaysWhySpawnFails() {
        try (Context context = builder(new ByteArrayOutputStream()).build()) {
            PolyglotException e = assertThrows(PolyglotException.class, () -> context.eval("osprey", "let f = spawn 1\nprint(await(f))"));
            assertEquals("spawn: this context may not create threads, which fibers run on (an embedding application allows it with allowCreateThread(true))",
                            e.getMessage());
        }
    }

    @Test
    void fibersRunInTurnAndTheirValuesReachTheHost() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = builder(out).allowCreateThread(true).build()) {
            long sum = context.eval("osprey", """
                            let numbers = Channel<int> { capacity: 0 }
                            let producer = spawn {
                                send(numbers, 20)
                                send(numbers, 22)
                            }
                            fn take() -> int = match recv(numbers) {
                                Success { value } => value
                                Error { message } => 0
                            }
                            fn both() -> int = take() + take()
                            let consumer = spawn both()
                            await(consumer)
                            """).asLong();
            assertEquals(42, sum);
        }
    }

    /** A fiber left waiting for a channel nobody sends to, at the end: closing the context ends its thread. */
    @Test
    void closingEndsFibersLeftWaiting() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Context context = builder(out).allowCreateThread(true).build();
        context.eval("osprey", """
                        let never = Channel<int> { capacity: 0 }
                        let waiting = spawn recv(never)
                        let alsoWaiting = spawn recv(never)
                        print("started")
                        """);
        assertEquals("started\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(2, fiberThreads().size());
        context.close();
    }

    /**
     * A call from Java does not wait for the fibers it spawns: one that computes on after the call returned is
     * stopped by close(), which failed with an internal error ("The language did not complete all polyglot
     * threads") after waiting 2 s for it.
     */
    @Test
    void closeStopsAFiberStillRunningAfterTheCallThatSpawnedIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Context context = builder(out).allowCreateThread(true).build();
        context.eval("osprey", """
                        fn spin(n: int) -> int = spin(n + 1)
                        fn start() -> Fiber<int> = spawn {
                            print("spinning")
                            spin(0)
                        }
                        """);
        assertEquals("<fiber 1>", context.getBindings("osprey").getMember("start").execute().toString());
        while (!out.toString(StandardCharsets.UTF_8).contains("spinning")) {
            Thread.sleep(5); // polled: the fiber says when it has begun
        }
        context.close();
    }

    /** A fiber in an endless loop while the program awaits it: a cancel (close(true)) stops both. */
    @Test
    void aCancelStopsAFiberThatNeverEnds() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Context context = builder(out).allowCreateThread(true).build();
        CompletableFuture<PolyglotException> ended = CompletableFuture.supplyAsync(() -> {
            try {
                context.eval("osprey", """
                                fn spin(n: int) -> int = spin(n + 1)
                                let f = spawn {
                                    print("spinning")
                                    spin(0)
                                }
                                await(f)
                                """);
                return null;
            } catch (PolyglotException e) {
                return e;
            }
        });
        while (!out.toString(StandardCharsets.UTF_8).contains("spinning") && !ended.isDone()) {
            Thread.sleep(5); // polled: the fiber says when it has begun
        }
        context.close(true);
        PolyglotException e = ended.get(60, TimeUnit.SECONDS);
        assertTrue(e != null && e.isCancelled(), String.valueOf(e));
    }
}
