package org.osprey.websocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;

/**
 * An Osprey program running in its own context on its own thread, as {@code osprey run} would run it, with
 * its standard output readable line by line while it runs. Closing cancels the program and closes the
 * context, which must stop every server and thread it started.
 */
final class RunningProgram implements AutoCloseable {
    private final Context context;
    private final Thread thread;
    private final Lines out = new Lines();
    private final Lines err = new Lines();
    private final Keyboard in = new Keyboard();
    private volatile Object result;
    private volatile Throwable failure;
    private boolean closed;
    /** The /proc entry of the program's thread (/proc/PID/task/TID), or null where there is no /proc. */
    private volatile Path procEntry;

    /** Collects output and lets a test wait for a line. */
    static final class Lines extends OutputStream {
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

        synchronized List<String> lines() {
            String t = text();
            List<String> out = new ArrayList<>(List.of(t.split("\n", -1)));
            if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
                out.remove(out.size() - 1);
            }
            return out;
        }

        synchronized String await(Predicate<String> p, Duration timeout) throws InterruptedException {
            return await(p, timeout, null);
        }

        synchronized String await(Predicate<String> p, Duration timeout, RunningProgram program) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (String l : lines()) {
                    if (p.test(l)) {
                        return l;
                    }
                }
                if (program != null && program.ended() != null) {
                    throw new AssertionError("no matching line: " + program.ended() + "\nstdout:\n" + text());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching line within " + timeout.toMillis() + " ms; output so far:\n" + text());
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, 50_000_000L));
            }
        }
    }

    /** Standard input that a test types into while the program runs; reads wait for the next line. */
    static final class Keyboard extends InputStream {
        private final ArrayDeque<Byte> bytes = new ArrayDeque<>();
        private boolean ended;

        synchronized void type(String text) {
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
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

    RunningProgram(String name, String program, Map<String, String> options, String... otherLanguages) {
        // As osprey run does: WebSockets need sockets and threads, which a context only has when allowed.
        String[] languages = new String[otherLanguages.length + 1];
        languages[0] = "osprey";
        System.arraycopy(otherLanguages, 0, languages, 1, otherLanguages.length);
        Context.Builder b = Context.newBuilder(languages).allowAllAccess(true).out(out).err(err).in(in).option("engine.WarnInterpreterOnly", "false")
                        .option("osprey.LineBuffered", "true").option("osprey.Signals", "true");
        options.forEach(b::option);
        context = b.build();
        for (String language : otherLanguages) {
            context.initialize(language); // in use before the program starts, as an embedder's own code would be
        }
        Source source = Source.newBuilder("osprey", program, name).buildLiteral();
        thread = new Thread(null, () -> {
            try {
                procEntry = Path.of("/proc").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self")));
            } catch (IOException | UnsupportedOperationException e) {
                procEntry = null; // no /proc here
            }
            try {
                result = context.eval(source).toString();
            } catch (PolyglotException e) {
                if (!e.isCancelled()) {
                    failure = e;
                }
            } catch (Throwable t) {
                failure = t;
            }
        }, "osprey-program-" + name, 256L << 20);
        thread.start();
    }

    /** The /proc entry of the program's thread, known once it runs: for what the kernel counts of it. */
    Path procEntry() {
        return procEntry;
    }

    static RunningProgram start(String name, String program) {
        return new RunningProgram(name, program, Map.of());
    }

    Lines out() {
        return out;
    }

    Lines err() {
        return err;
    }

    /** Types a line on the program's standard input. */
    void type(String line) {
        in.type(line + "\n");
    }

    /** Ends the program's standard input. */
    void endInput() {
        in.end();
    }

    String awaitLine(String prefix) throws InterruptedException {
        return out.await(l -> l.startsWith(prefix), Duration.ofSeconds(30), this);
    }

    /** Why the program is not running any more, or null while it runs. */
    String ended() {
        if (thread.isAlive()) {
            return null;
        }
        return "the program ended" + (failure != null ? " with " + failure : "") + "; stderr:\n" + err.text();
    }

    /** Waits for the program to end by itself. */
    void join() throws InterruptedException {
        thread.join(60_000);
        if (thread.isAlive()) {
            throw new AssertionError("the program did not end; output:\n" + out.text());
        }
        if (failure != null) {
            throw new AssertionError("the program failed: " + failure + "\nstderr:\n" + err.text(), failure);
        }
    }

    Object result() {
        return result;
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        in.end(); // a program waiting for input would not notice the cancel
        if (thread.isAlive()) {
            context.close(true);
        } else {
            context.close();
        }
        thread.join(10_000);
        if (thread.isAlive()) {
            throw new AssertionError("the program's thread is still alive after close");
        }
    }
}
