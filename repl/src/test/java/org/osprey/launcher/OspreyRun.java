package org.osprey.launcher;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code osprey} with the given arguments, run in this JVM (Truffle's fallback runtime: no Graal JIT) with an
 * empty standard input and no terminal: its exit status and what it printed.
 */
record OspreyRun(int exit, String out, String err) {
    static OspreyRun of(String... args) {
        return piped("", args);
    }

    /** {@code osprey} with {@code input} on its standard input (the REPL's piped mode when no file is given). */
    static OspreyRun piped(String input, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), false, new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new OspreyRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
