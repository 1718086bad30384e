package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the corpus cannot see from inside a program: that the operating system's processes behind
 * spawnProcess are really gone after cleanupProcess and after the context closes (including the command's
 * own children, such as both sides of a pipeline), and that no reader or dispatcher thread outlives them.
 */
class ProcessLifecycleTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /**
     * Threads that were alive before the test: the test is about its own contexts. (In full runs, reader
     * threads of a process 1 from an earlier test class in the same JVM were seen still blocked on a pipe;
     * that is not this test's subject and is not explained yet.)
     */
    private Set<Thread> earlier;

    @BeforeEach
    void workingDirectory() throws IOException {
        dir = Files.createTempDirectory("osprey-process-test-");
        earlier = Set.copyOf(Thread.getAllStackTraces().keySet());
    }

    @AfterEach
    void removeWorkingDirectory() throws IOException {
        ProgramsTest.deleteTree(dir);
    }

    private Context.Builder context() {
        return Context.newBuilder("osprey").allowAllAccess(true).currentWorkingDirectory(dir).out(out).err(err)
                        .option("engine.WarnInterpreterOnly", "false");
    }

    /** Processes this JVM started, directly or not, that are still alive. */
    private static Set<ProcessHandle> descendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).collect(Collectors.toSet());
    }

    /** The names of the process threads started during this test that are still alive. */
    private List<String> processThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).filter(t -> !earlier.contains(t))
                        .map(Thread::getName).filter(n -> n.startsWith("osprey-process")).sorted().toList();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder stuck = new StringBuilder();
                Thread.getAllStackTraces().forEach((t, stack) -> {
                    if (t.isAlive() && t.getName().startsWith("osprey-process")) {
                        stuck.append("\n").append(t.getName()).append(" (").append(t.getState()).append(")");
                        for (StackTraceElement e : stack) {
                            stuck.append("\n    at ").append(e);
                        }
                    }
                });
                fail("gave up waiting: " + what + stuck);
            }
            Thread.sleep(10);
        }
    }

    private static void assertAllEnd(Set<ProcessHandle> processes) throws Exception {
        for (ProcessHandle p : processes) {
            p.onExit().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(!p.isAlive(), "process " + p.pid() + " still alive");
        }
    }

    @Test
    void closingTheContextKillsEveryProcessAndEndsEveryThread() throws Exception {
        Set<ProcessHandle> before = descendants();
        Set<ProcessHandle> started;
        try (Context c = context().build()) {
            c.eval("osprey", """
                            let a = spawnProcess("sleep 60", fn(id, kind, data) => ())
                            let b = spawnProcess("sleep 60 | cat", fn(id, kind, data) => ())
                            print("started")
                            """);
            // two shells, two sleeps and a cat
            await("the commands to start", () -> descendants().size() - before.size() >= 5);
            started = descendants();
            started.removeAll(before);
            assertTrue(!processThreads().isEmpty());
        }
        assertAllEnd(started);
        await("the process threads to end", () -> processThreads().isEmpty());
        assertEquals("started\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void cleanupKillsTheCommandAndItsChildrenWhileTheProgramRuns() throws Exception {
        PipedOutputStream keyboard = new PipedOutputStream();
        Set<ProcessHandle> before = descendants();
        try (Context c = context().in(new PipedInputStream(keyboard)).build()) {
            Thread program = new Thread(() -> c.eval("osprey", """
                            match spawnProcess("sleep 60 | sleep 61", fn(id, kind, data) => ()) {
                                Success { value } => {
                                    print(readLine())
                                    cleanupProcess(value.processId)
                                    print(readLine())
                                }
                                Error { message } => print(message)
                            }
                            """), "osprey-program");
            program.start();
            await("the pipeline to start", () -> descendants().size() - before.size() >= 3);
            Set<ProcessHandle> started = descendants();
            started.removeAll(before);
            keyboard.write("clean up\n".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            assertAllEnd(started); // the context is still open: cleanupProcess did this
            keyboard.write("done\n".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            program.join(PATIENCE.toMillis());
            assertTrue(!program.isAlive(), "the program did not end");
        }
        assertEquals("Success(clean up)\nSuccess(done)\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void finishedProcessesLeaveNoReaderThreads() throws Exception {
        try (Context c = context().build()) {
            Value total = c.eval("osprey", """
                            fn run(i: int) -> int = match spawnProcess("echo ${i}; echo ${i} >&2; exit ${i % 3}", fn(id, kind, data) => ()) {
                                Success { value } => {
                                    let code = awaitProcess(value.processId)
                                    cleanupProcess(value.processId)
                                    code
                                }
                                Error { message } => -100
                            }
                            fn main() -> int = range(0, 40) |> fold(0, fn(sum, i) => sum + run(i))
                            """);
            assertEquals(39, total.asInt()); // i % 3 summed over 0..39
            // Only the dispatcher remains while the context lives; the readers end with their process.
            await("the reader threads to end", () -> processThreads().equals(List.of("osprey-process-events")));
        }
        await("the dispatcher to end", () -> processThreads().isEmpty());
    }

    @Test
    void closingWhileCallbacksAreRunningIsClean() throws Exception {
        for (int round = 0; round < 3; round++) {
            out.reset();
            try (Context c = context().build()) {
                c.eval("osprey", """
                                let r = spawnProcess("seq 1 1000000", fn(id, kind, data) => print(data))
                                print("spawned")
                                """);
                await("some callbacks to run", () -> out.size() > 100);
            }
            await("the process threads to end", () -> processThreads().isEmpty());
            assertEquals("", err.toString(StandardCharsets.UTF_8));
        }
    }
}
