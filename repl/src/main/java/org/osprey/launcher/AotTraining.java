package org.osprey.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The training run of the launcher's ahead-of-time cache (scripts/jdk.sh; docs/performance.md, "Start-up"):
 * what the JVM loads, links and generates here is in the cache for every later start. First the
 * {@code osprey} commands given as arguments, separated by {@code --}, as {@link Main} runs them (scripts/jdk.sh
 * gives {@code run} of the training program and {@code run} of the WebSocket one); then a short REPL session on
 * a terminal whose keyboard is a fixed script, so that JLine's line editor (its classes and the 150-odd
 * lambdas of its key bindings, which the JVM otherwise generates at every start) and the REPL's own code are
 * in the cache too. The session keeps no history; its screen is thrown away. Exits with the first failing
 * command's status.
 */
public final class AotTraining {
    /** What the session types: definitions, expressions, a type error, a command, a completion (Tab). */
    static final String KEYS = String.join("\r",
                    "let answer = 6 * 7",
                    "fn square(n: int) -> int = n * n",
                    "square(n: answer)",
                    "[1, 2, 3] |> map(function: (x) => x + 1)",
                    "\"a\" + 1",
                    ":type square",
                    "squ\t(n: 3)",
                    ":quit") + "\r";
    /** If the script did not end the session (an entry left incomplete), the keyboard gives up after this. */
    private static final long KEYBOARD_MILLIS = 10_000;

    private AotTraining() {
    }

    public static void main(String[] args) throws InterruptedException {
        int[] status = {0};
        Thread t = new Thread(null, () -> {
            for (List<String> command : commands(args)) {
                int exit = Main.run(command.toArray(String[]::new), System.out, System.err);
                if (status[0] == 0) {
                    status[0] = exit;
                }
            }
            int repl = repl(OutputStream.nullOutputStream());
            if (repl != 0) {
                System.err.println("osprey: the REPL part of the training run ended with " + repl + "; the cache is made without all of it");
            }
        }, "osprey-main", Main.STACK_BYTES);
        t.start();
        t.join();
        System.exit(status[0]);
    }

    /** The commands of the arguments: {@code run a.osp -- run b.osp} is two. */
    static List<List<String>> commands(String[] args) {
        List<List<String>> commands = new ArrayList<>();
        List<String> command = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--")) {
                commands.add(command);
                command = new ArrayList<>();
            } else {
                command.add(a);
            }
        }
        commands.add(command);
        return commands;
    }

    /** The scripted session on a terminal drawing to {@code screen}; its exit code, 1 if it failed. */
    static int repl(OutputStream screen) {
        try (Terminal terminal = TerminalBuilder.builder().system(false).streams(new Keyboard(), screen)
                        .type("xterm-256color").size(new Size(120, 40)).build()) {
            return Repl.interactive(terminal, Map.of(), null);
        } catch (IOException | RuntimeException e) {
            System.err.println("osprey: the REPL part of the training run failed: " + e);
            return 1;
        }
    }

    /**
     * Types {@link #KEYS} and then waits, so that the session ends with its {@code :quit} rather than with
     * the end of its input (which JLine reports as a read of a closed stream); after {@link #KEYBOARD_MILLIS}
     * it ends the input anyway.
     */
    private static final class Keyboard extends InputStream {
        private final byte[] keys = KEYS.getBytes(StandardCharsets.UTF_8);
        private int next;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (next == keys.length) {
                long deadline = System.nanoTime() + KEYBOARD_MILLIS * 1_000_000L;
                try {
                    for (long left = KEYBOARD_MILLIS; left > 0; left = (deadline - System.nanoTime()) / 1_000_000L) {
                        wait(left); // until the terminal's close interrupts this
                    }
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
                return -1;
            }
            int n = Math.min(len, keys.length - next);
            System.arraycopy(keys, next, b, off, n);
            next += n;
            return n;
        }
    }
}
