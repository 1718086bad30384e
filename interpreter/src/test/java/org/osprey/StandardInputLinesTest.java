package org.osprey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.graalvm.polyglot.Context;
import org.junit.jupiter.api.Test;

/** Standard input read line by line (readLine, input; InputLines), with the program's output around it. */
class StandardInputLinesTest {
    private static String numbers(int lines) {
        StringBuilder input = new StringBuilder();
        for (int i = 1; i <= lines; i++) {
            input.append(i).append('\n');
        }
        return input.toString();
    }

    private static Context.Builder context(OutputStream out, java.io.InputStream in) {
        return Context.newBuilder("osprey").out(out).err(out).in(in).allowCreateThread(true).option("engine.WarnInterpreterOnly", "false");
    }

    /**
     * Fibers reading standard input at once: each waits in readLine having let the others take their turn, so
     * their reads run at the same time. Every line goes to exactly one of them. The line reader once took
     * them all at once, and the run ended in an ArrayIndexOutOfBoundsException with lines lost or read twice.
     */
    @Test
    void everyLineGoesToOneFiber() {
        int lines = 100_000;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = context(out, new ByteArrayInputStream(numbers(lines).getBytes(StandardCharsets.UTF_8))).build()) {
            context.eval("osprey", """
                            type Tally = { count: int, sum: int }
                            fn reader(count: int, sum: int) -> Tally = match readLine() {
                                Success { value } => reader(count: count + 1, sum: sum + (parseInt(value) ?: 1000000000000))
                                Error { message } => Tally { count: count, sum: sum }
                            }
                            let fibers = [spawn reader(count: 0, sum: 0), spawn reader(count: 0, sum: 0), spawn reader(count: 0, sum: 0)]
                            let tallies = fibers |> map(fn(f) => await(f)) |> toList
                            print("${tallies |> fold(0, fn(n, t) => n + t.count)} lines, sum ${tallies |> fold(0, fn(n, t) => n + t.sum)}")
                            """);
        }
        assertEquals(lines + " lines, sum " + (long) lines * (lines + 1) / 2 + "\n", out.toString(StandardCharsets.UTF_8));
    }

    /**
     * A filter (a line read, a line printed) writes its output in blocks, as when it prints without reading:
     * readLine flushed the output every time, a write of each line (10,000 system calls for 10,000 lines).
     */
    @Test
    void aFilterWritesItsOutputInBlocks() {
        int lines = 10_000;
        int[] writes = {0};
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes[0]++;
                all.write(b, off, len);
            }
        };
        try (Context context = context(counting, new ByteArrayInputStream(numbers(lines).getBytes(StandardCharsets.UTF_8))).build()) {
            context.eval("osprey", """
                            fn copy() -> int = match readLine() {
                                Success { value } => { print("line ${value}"); copy() }
                                Error { message } => 0
                            }
                            copy()
                            """);
        }
        assertEquals(numbers(lines).replaceAll("(?m)^(?=\\d)", "line "), all.toString(StandardCharsets.UTF_8));
        assertTrue(writes[0] < 100, writes[0] + " writes for " + lines + " lines");
    }

    /** What the program printed before it waits for a line (a prompt) is out before the wait. */
    @Test
    void aPromptIsShownBeforeTheWait() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipedOutputStream keyboard = new PipedOutputStream();
        try (Context context = context(out, new PipedInputStream(keyboard)).build()) {
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> context.eval("osprey", """
                            print("name?")
                            match readLine() { Success { value } => print("hello ${value}") Error { message } => print(message) }
                            print("age?")
                            print(input() + 1)
                            """));
            awaitOutput(out, "name?\n", run);
            keyboard.write("Ann\n".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            awaitOutput(out, "name?\nhello Ann\nage?\n", run);
            keyboard.write("41\n".getBytes(StandardCharsets.UTF_8));
            keyboard.close();
            run.get(60, TimeUnit.SECONDS);
        }
        assertEquals("name?\nhello Ann\nage?\n42\n", out.toString(StandardCharsets.UTF_8));
    }

    /**
     * A failure of standard input itself (a directory given as it: {@code osprey run p.osp < /}) is said in the
     * words of the file functions' errors: readLine's Error and input()'s message read "Is a directory", the
     * C library's text as Java passes it on.
     */
    @Test
    void aFailureOfStandardInputIsSaidInPlainWords() {
        java.io.InputStream directory = new java.io.InputStream() {
            @Override
            public int read() throws java.io.IOException {
                throw new java.io.IOException("Is a directory");
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = context(out, directory).build()) {
            context.eval("osprey", """
                            print(readLine())
                            print(input())
                            """);
        } catch (org.graalvm.polyglot.PolyglotException e) {
            out.writeBytes(("stopped: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("Error(cannot read standard input: it is a directory)\nstopped: input: cannot read standard input: it is a directory\n",
                        out.toString(StandardCharsets.UTF_8));
    }

    private static void awaitOutput(ByteArrayOutputStream out, String expected, CompletableFuture<Void> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!out.toString(StandardCharsets.UTF_8).equals(expected)) {
            if (run.isDone()) {
                run.get();
            }
            assertTrue(System.nanoTime() < deadline, "the output is '" + out.toString(StandardCharsets.UTF_8) + "', not '" + expected + "'");
            Thread.sleep(5);
        }
    }
}
