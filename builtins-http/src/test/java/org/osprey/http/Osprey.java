package org.osprey.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;

/**
 * Osprey programs for the tests, in contexts made as {@code osprey run} makes them (sockets and threads
 * allowed), with standard output and error captured. {@link #run} runs one to its end; {@link Background}
 * keeps one running while the test talks to it.
 */
final class Osprey {
    private Osprey() {
    }

    /** What a program printed, and how it ended ("" when it returned normally). */
    record Run(String out, String err, String failure) {
    }

    /** Collects what a program writes; a test can wait for a line. */
    static final class Output extends java.io.OutputStream {
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

        /** Waits for a line that starts with {@code prefix} and returns the rest of it. */
        synchronized String await(String prefix, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (String line : text().split("\n")) {
                    if (line.startsWith(prefix)) {
                        return line.substring(prefix.length());
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no line starting with '" + prefix + "' within " + timeout.toMillis() + " ms; output:\n" + text());
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    static Context context(Output out, Output err, Map<String, String> options) {
        return context(out, err, options, true);
    }

    /** A context as osprey run makes one ({@code allowed}), or with the polyglot API's defaults: no sockets, no threads. */
    static Context context(Output out, Output err, Map<String, String> options, boolean allowed) {
        Context.Builder b = Context.newBuilder("osprey").allowAllAccess(allowed).out(out).err(err).option("engine.WarnInterpreterOnly", "false")
                        .option("osprey.LineBuffered", "true");
        options.forEach(b::option);
        return b.build();
    }

    static Run run(String program) {
        return run(program, Map.of());
    }

    static Run run(String program, Map<String, String> options) {
        return run(program, options, true);
    }

    static Run run(String program, Map<String, String> options, boolean allowed) {
        Output out = new Output();
        Output err = new Output();
        String failure = "";
        try (Context c = context(out, err, options, allowed)) {
            c.eval(Source.newBuilder("osprey", program, "test.osp").buildLiteral());
        } catch (PolyglotException e) {
            failure = e.getMessage();
        }
        return new Run(out.text(), err.text(), failure);
    }

    /** A program running on a thread of its own until the test closes it (which cancels it and closes its context). */
    static final class Background implements AutoCloseable {
        final Output out = new Output();
        final Output err = new Output();
        private final Context context;
        private final Thread thread;
        private volatile Throwable failure;

        Background(String program, Map<String, String> options) {
            context = context(out, err, options);
            thread = new Thread(null, () -> {
                try {
                    context.eval(Source.newBuilder("osprey", program, "server.osp").buildLiteral());
                } catch (PolyglotException e) {
                    if (!e.isCancelled()) {
                        failure = e;
                    }
                }
            }, "osprey-test-program", 64L << 20);
            thread.start();
        }

        /** The port the program prints as "PORT n". */
        int port() throws InterruptedException {
            return Integer.parseInt(out.await("PORT ", Duration.ofSeconds(30)).strip());
        }

        /** Waits (at most 30 s) for the program to end by itself. */
        void join() throws InterruptedException {
            thread.join(30_000);
            if (thread.isAlive()) {
                throw new AssertionError("the program did not end; output:\n" + out.text());
            }
        }

        boolean running() {
            return thread.isAlive();
        }

        @Override
        public void close() throws InterruptedException {
            context.close(true);
            thread.join(10_000);
            if (thread.isAlive()) {
                throw new AssertionError("the program's thread is still alive after close");
            }
            if (failure != null) {
                throw new AssertionError("the program failed: " + failure + "\nstderr:\n" + err.text(), failure);
            }
        }
    }

    /**
     * How many connections the JDK's HTTP servers in this JVM hold (objects of its connection class on the
     * heap, after the full collection a class histogram makes). A connection closed but kept in a server's
     * tables keeps its buffers until the server stops.
     */
    static long jdkServerConnections() throws Exception {
        return heldObjects("sun.net.httpserver.HttpConnection");
    }

    /** How many objects of the class this JVM holds, after the full collection a class histogram makes. */
    static long heldObjects(String className) throws Exception {
        javax.management.ObjectName command = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
        String histogram = (String) java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(command, "gcClassHistogram",
                        new Object[] {null}, new String[] {String[].class.getName()});
        for (String line : histogram.split("\n")) {
            String[] columns = line.strip().split("\\s+");
            if (columns.length >= 4 && columns[3].equals(className)) {
                return Long.parseLong(columns[1]);
            }
        }
        return 0;
    }

    /** Waits (at most 5 s) until the JDK's HTTP servers hold {@code expected} connections. */
    static void awaitJdkServerConnections(long expected) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (long n; (n = jdkServerConnections()) != expected;) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the JDK's HTTP servers hold " + n + " connections, expected " + expected);
            }
            Thread.sleep(50);
        }
    }

    /** The names of live threads containing {@code part}. */
    static List<String> threads(String part) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).filter(n -> n.contains(part)).sorted().toList();
    }

    /** Waits (at most 5 s) until no live thread's name contains {@code part}. */
    static void awaitNoThreads(String part) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!threads(part).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("threads left behind: " + threads(part));
            }
            Thread.sleep(20);
        }
    }
}
