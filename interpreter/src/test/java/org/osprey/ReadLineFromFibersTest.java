package org.osprey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.graalvm.polyglot.Context;
import org.junit.jupiter.api.Test;

/**
 * Fibers reading standard input at once: each waits in readLine having let the others take their turn, so
 * their reads run at the same time. Every line goes to exactly one of them. Standard input's line reader
 * (InputLines) once took them all at once, and the run ended in an ArrayIndexOutOfBoundsException with
 * lines lost or read twice.
 */
class ReadLineFromFibersTest {
    @Test
    void everyLineGoesToOneFiber() {
        int lines = 100_000;
        StringBuilder input = new StringBuilder();
        for (int i = 1; i <= lines; i++) {
            input.append(i).append('\n');
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = Context.newBuilder("osprey").out(out).err(out).in(new ByteArrayInputStream(input.toString().getBytes(StandardCharsets.UTF_8)))
                        .allowCreateThread(true).option("engine.WarnInterpreterOnly", "false").build()) {
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
}
