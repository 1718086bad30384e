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
import org.graalvm.polyglot.Value;
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
     * Fibers alive at once beyond osprey.FiberPlatformThreads run on virtual threads (JDK 24 and newer): ten fibers waiting for one
     * another through a channel, two of them on platform threads; they all run, hand the value round and end,
     * and ten more left waiting are ended by close().
     */
    @Test
    void fibersBeyondThePlatformLimitRunOnVirtualThreads() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Context context = builder(out).allowCreateThread(true).option("osprey.FiberPlatformThreads", "2")
                        .allowExperimentalOptions(true).option("engine.WarnVirtualThreadSupport", "false").build();
        long sum = context.eval("osprey", """
                        let relay = Channel<int> { capacity: 0 }
                        fn pass(i: int) -> int = match recv(relay) {
                            Success { value } => {
                                send(relay, value + i)
                                i
                            }
                            Error { message } => -1000
                        }
                        let passers = [spawn pass(i) for i in range(start: 1, end: 11)]
                        send(relay, 0)
                        let total = recv(relay) ?: -1
                        let never = Channel<int> { capacity: 0 }
                        let waiting = [spawn recv(never) for i in range(start: 0, end: 10)]
                        print("passed")
                        (total + (passers |> fold(initial: 0, function: (acc, f) => acc + await(f)))) ?: -1
                        """).asLong();
        assertEquals(55 + 55, sum);
        assertEquals("passed\n", out.toString(StandardCharsets.UTF_8));
        // Before JDK 24 every fiber has a platform thread (Fibers: virtual threads pin their carriers there).
        assertEquals(Runtime.version().feature() >= 24 ? 2 : 20, fiberThreads().size(), "platform threads among the 20 fibers' threads");
        context.close();
    }

    /**
     * An embedding application that does not set osprey.FiberPlatformThreads keeps a platform thread (and its
     * 256 MB stack) for every fiber: a virtual one's stack would be the application's -Xss.
     */
    @Test
    void embeddedFibersAreAllPlatformThreadsUnlessAsked() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Context context = builder(out).allowCreateThread(true).build();
        context.eval("osprey", """
                        let never = Channel<int> { capacity: 0 }
                        let waiting = [spawn recv(never) for i in range(start: 0, end: 70)]
                        print("started")
                        """);
        assertEquals("started\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(70, fiberThreads().size());
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

    private static final String HANDS_OUT = """
                    fn compute(n: int) -> int = n * 2
                    fn start(n: int) -> Fiber<int> = spawn compute(n)
                    fn awaitIt(f: Fiber<int>) -> int = await(f)
                    fn filled() -> Channel<int> = {
                        let ch = Channel<int> { capacity: 1 }
                        send(ch, 41)
                        ch
                    }
                    fn words() -> Channel<string> = Channel<string> { capacity: 1 }
                    fn anything<T>() -> Channel<T> = Channel<T> { capacity: 2 }
                    fn take(ch: Channel<int>) -> Result<int, string> = recv(ch)
                    """;

    /**
     * A fiber or a channel reaches Java as an opaque value, which Java hands back to Osprey functions to await
     * or use. They were refused ("must be Fiber<int>, not a value of type Fiber (<fiber 1>)"): the values did
     * not say their types. They now keep the type they were made with, and are checked against it.
     */
    @Test
    void aFiberOrAChannelGivenToJavaComesBackToOsprey() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = builder(out).allowCreateThread(true).build(); Context other = builder(out).allowCreateThread(true).build()) {
            context.eval("osprey", HANDS_OUT);
            other.eval("osprey", HANDS_OUT);
            Value osprey = context.getBindings("osprey");
            Value fiber = osprey.getMember("start").execute(21);
            assertEquals("Fiber", fiber.getMetaObject().getMetaSimpleName());
            assertEquals("<fiber 1>", fiber.toString());
            assertEquals(42, osprey.getMember("awaitIt").execute(fiber).asInt());
            assertEquals("Success(41)", osprey.getMember("take").execute(osprey.getMember("filled").execute()).toString());
            assertEquals("take: argument 1 ('ch') must be Channel<int>, not a channel of capacity 1, a Channel<string>",
                            refusal(() -> osprey.getMember("take").execute(osprey.getMember("words").execute())));
            assertEquals("take: argument 1 ('ch') must be Channel<int>, not a channel of capacity 2, made in a generic function as a Channel<T>,"
                            + " whose type parameter it does not tell", refusal(() -> osprey.getMember("take").execute(osprey.getMember("anything").execute())));
            Value foreign = other.getBindings("osprey").getMember("start").execute(1);
            assertEquals("awaitIt: argument 1 ('f') must be Fiber<int>, not a Fiber of another context (<fiber 1>), which cannot be used in this one",
                            refusal(() -> osprey.getMember("awaitIt").execute(foreign)));
        }
    }

    /**
     * Java calling a function that waits for a channel or a fiber nothing can complete: the deadlock error of a
     * program, at once or when the last fiber that could have sent ends, where the call waited forever.
     */
    @Test
    void aCallFromJavaThatWouldWaitForeverGetsTheDeadlockError() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = builder(out).allowCreateThread(true).build()) {
            context.eval("osprey", HANDS_OUT + """
                            fn empty() -> Channel<int> = Channel<int> { capacity: 0 }
                            fn afterAFiberEnds() -> Result<int, string> = {
                                let ch = Channel<int> { capacity: 0 }
                                let f = spawn print("ends without sending")
                                recv(ch)
                            }
                            """);
            Value osprey = context.getBindings("osprey");
            String deadlock = "Error(recv: no other fiber can run to send a value, so this receive would wait forever)";
            assertEquals(deadlock, osprey.getMember("take").execute(osprey.getMember("empty").execute()).toString());
            assertEquals(deadlock, osprey.getMember("afterAFiberEnds").execute().toString());
            assertEquals("ends without sending\n", out.toString(StandardCharsets.UTF_8));
        }
    }

    /** One context used by two Java threads in turn: fibers and channels made by one thread's eval serve the other's. */
    @Test
    void evaluationsOnTwoThreadsInTurnShareFibersAndChannels() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.util.concurrent.ExecutorService first = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.ExecutorService second = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (Context context = builder(out).allowCreateThread(true).build()) {
            first.submit(() -> context.eval("osprey", """
                            let ch = Channel<int> { capacity: 0 }
                            let producer = spawn {
                                send(ch, 1)
                                5
                            }
                            print("first")
                            """)).get(30, TimeUnit.SECONDS);
            assertEquals(7, second.submit(() -> context.eval("osprey", """
                            print(recv(ch))
                            print(await(producer))
                            let next = spawn 7
                            await(next)
                            """).asInt()).get(30, TimeUnit.SECONDS));
            assertEquals(8, first.submit(() -> context.eval("osprey", """
                            print(await(next))
                            let last = spawn {
                                sleep(10)
                                8
                            }
                            await(last)
                            """).asInt()).get(30, TimeUnit.SECONDS));
            assertEquals("first\nSuccess(1)\n5\n7\n", out.toString(StandardCharsets.UTF_8));
        } finally {
            first.shutdown();
            second.shutdown();
        }
    }

    private static String refusal(Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        String m = e.getMessage();
        return m.substring(m.indexOf(". ") + 2, m.indexOf(" Provided arguments"));
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

    /**
     * Context.interrupt while the program awaits fibers that compute: the evaluation ends interrupted, every
     * fiber of the run stops with it (also one that had not had its turn yet), nothing about it reaches the
     * context's standard error, and the context stays usable (docs/embedding.md). Found by the embedding QA
     * pass: the fiber's interruption was thrown again by the next evaluation ("Execution got interrupted."),
     * a fiber that got the turn after the interrupt computed on and held up every later evaluation, and an
     * idle fiber thread printed "com.oracle.truffle.polyglot.PolyglotEngineImpl$InterruptExecution: ...".
     */
    @Test
    void anInterruptStopsTheFibersAndTheContextStaysUsable() throws Exception {
        for (int fibers : new int[] {1, 2}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (Context context = builder(out).err(err).allowCreateThread(true).build()) {
                // A fiber that ran before and waits idle for the next one is interrupted too.
                context.eval("osprey", "let warm = spawn 1\nawait(warm)");
                CompletableFuture<PolyglotException> ended = onThread(() -> {
                    try {
                        context.eval("osprey", """
                                        fn spin(n: int) -> int = spin(n + 1)
                                        fn started(n: int) -> int = { print("spinning"); spin(n) }
                                        let fs = range(0, %d) |> map(fn(i) => spawn started(i)) |> toList
                                        fold(fs, 0, fn(acc, f) => acc + await(f))
                                        """.formatted(fibers));
                        return null;
                    } catch (PolyglotException e) {
                        return e;
                    }
                });
                while (!out.toString(StandardCharsets.UTF_8).contains("spinning") && !ended.isDone()) {
                    Thread.sleep(5); // polled: the first fiber says when it has begun
                }
                context.interrupt(java.time.Duration.ofSeconds(30));
                PolyglotException e = ended.get(60, TimeUnit.SECONDS);
                assertTrue(e != null && e.isInterrupted(), String.valueOf(e));
                CompletableFuture<Value> next = onThread(() -> context.eval("osprey", "1 + 1"));
                assertEquals("Success(2)", next.get(10, TimeUnit.SECONDS).toString(), fibers + " fibers");
                assertEquals("spinning\n", out.toString(StandardCharsets.UTF_8), fibers + " fibers");
                assertEquals("", err.toString(StandardCharsets.UTF_8), fibers + " fibers");
            }
        }
    }

    /**
     * A program that spawned a fiber and then failed leaves the fiber ready, waiting for the next run; a call
     * from Java that awaits it runs it. Found by the embedding QA pass: the call waited until some later
     * evaluation of the application's happened to run the fiber (forever, if none came), as nobody gave the
     * fiber the turn and a fiber ready to run kept the wait from counting as a deadlock.
     */
    @Test
    void aCallFromJavaAwaitingAFiberLeftByAFailedProgramRunsIt() throws Exception {
        Context context = builder(new ByteArrayOutputStream()).allowCreateThread(true).option("osprey.MaxCallDepth", "50").build();
        try {
            context.eval("osprey", """
                            fn compute(n: int) -> int = n * 2
                            fn awaitIt(f: Fiber<int>) -> int = await(f)
                            fn deep(n: int) -> int = 1 + deep(n + 1)
                            """);
            PolyglotException e = assertThrows(PolyglotException.class, () -> context.eval("osprey", "let f = spawn compute(21)\nlet never = deep(0)"));
            assertTrue(e.getMessage().startsWith("stack overflow in function 'deep'"), e.getMessage());
            Value f = context.getBindings("osprey").getMember("f");
            CompletableFuture<Value> awaited = onThread(() -> context.getBindings("osprey").getMember("awaitIt").execute(f));
            assertEquals(42, awaited.get(10, TimeUnit.SECONDS).asInt());
        } finally {
            context.close(true);
        }
    }

    /** Runs {@code task} on a thread of its own (not a pool's: each evaluation on a fresh thread, as an application's). */
    private static <T> CompletableFuture<T> onThread(java.util.function.Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return result;
    }
}
