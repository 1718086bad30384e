package org.osprey.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;

/**
 * Runs the REPL on a real JLine terminal whose keyboard and screen are streams held by the test: keys go
 * in as a user would type them (Enter is a carriage return, Ctrl-C is character 3), and everything JLine
 * and the session write comes out as the terminal would show it, escape sequences included.
 */
final class TerminalDriver implements AutoCloseable {
    private final Keyboard keyboard = new Keyboard();
    private final Screen screen = new Screen();
    private final Terminal terminal;
    private final Thread thread;
    private volatile int exitCode = -1;
    private volatile Throwable crash;

    TerminalDriver(String type, Map<String, String> options, Path history) throws IOException {
        terminal = new Tty(type, keyboard, screen);
        terminal.setSize(new Size(200, 50));
        Attributes a = terminal.getAttributes();
        a.setLocalFlag(Attributes.LocalFlag.ISIG, true); // Ctrl-C while an entry runs raises SIGINT, as on a tty
        a.setLocalFlag(Attributes.LocalFlag.ECHO, true); // keys typed outside line editing are echoed, as on a tty
        terminal.setAttributes(a);
        thread = new Thread(null, () -> {
            try {
                exitCode = Repl.interactive(terminal, options, history);
            } catch (Throwable t) {
                crash = t;
            }
        }, "osprey-repl-test", Main.STACK_BYTES);
        thread.start();
    }

    /**
     * JLine's terminal on streams, with the signal keys echoed as Linux's line discipline echoes them: only
     * while the echo is on (JLine's writes "^C" whatever the echo).
     */
    private static final class Tty extends ExternalTerminal {
        Tty(String type, InputStream keys, OutputStream screen) throws IOException {
            super("osprey-test", type, keys, screen, StandardCharsets.UTF_8);
        }

        @Override
        protected void echoSignal(Signal signal) {
            if (getAttributes().getLocalFlag(Attributes.LocalFlag.ECHO)) {
                super.echoSignal(signal);
            }
        }
    }

    /** Turns the terminal's echo on or off, as a shell does when it takes the terminal back and gives it again. */
    void echo(boolean on) {
        Attributes a = terminal.getAttributes();
        a.setLocalFlag(Attributes.LocalFlag.ECHO, on);
        terminal.setAttributes(a);
    }

    /** Delivers a signal to the session, as the kernel would (CONT: brought back with fg). */
    void signal(Terminal.Signal s) {
        terminal.raise(s);
    }

    /** Keys the terminal has taken from the keyboard that no one has read yet. */
    int keysUnread() throws IOException {
        return terminal.input().available();
    }

    /** Types text; "\r" is Enter. */
    void type(String keys) {
        keyboard.type(keys);
    }

    /** What the screen received so far, raw. */
    String raw() {
        return screen.text();
    }

    /** Waits until the screen's text satisfies the condition. */
    String await(Predicate<String> condition, Duration timeout, String what) throws InterruptedException {
        return screen.await(condition, timeout, what, this);
    }

    /** Waits for the REPL to end and returns its exit code. */
    int join(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("the REPL did not end; screen:\n" + Screen.plain(raw()));
        }
        if (crash != null) {
            throw new AssertionError("the REPL crashed", crash);
        }
        return exitCode;
    }

    boolean isRunning() {
        return thread.isAlive();
    }

    @Override
    public void close() throws Exception {
        if (thread.isAlive()) {
            keyboard.end();
            thread.join(10_000);
        }
        terminal.close();
    }

    /** Keys waiting to be read; reads block until there are some. */
    static final class Keyboard extends InputStream {
        private final ArrayDeque<Byte> bytes = new ArrayDeque<>();
        private boolean ended;

        synchronized void type(String keys) {
            for (byte b : keys.getBytes(StandardCharsets.UTF_8)) {
                bytes.add(b);
            }
            notifyAll();
        }

        synchronized void end() {
            ended = true;
            notifyAll();
        }

        @Override
        public synchronized int read() throws IOException {
            while (bytes.isEmpty() && !ended) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
            }
            return bytes.isEmpty() ? -1 : bytes.poll() & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int first = read();
            if (first < 0) {
                return -1;
            }
            b[off] = (byte) first;
            int n = 1;
            while (n < len && !bytes.isEmpty()) {
                b[off + n++] = bytes.poll();
            }
            return n;
        }

        @Override
        public synchronized int available() {
            return bytes.size();
        }
    }

    /** Collects what the terminal writes and lets a test wait for it. */
    static final class Screen extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            notifyAll();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        synchronized String await(Predicate<String> condition, Duration timeout, String what, TerminalDriver driver) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.test(text())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the screen never showed " + what + "; it shows:\n" + plain(text()));
                }
                if (!driver.isRunning() && !condition.test(text())) {
                    throw new AssertionError("the REPL ended before the screen showed " + what + "; it shows:\n" + plain(text()));
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, 50_000_000L));
            }
            return text();
        }

        /** The text a person would read on the screen (see {@link Vt}). */
        static String plain(String raw) {
            return Vt.of(raw).text();
        }
    }
}
