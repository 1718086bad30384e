package org.osprey.launcher;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;

/**
 * One REPL session: a long-lived context in which every entry is checked and run, so what an entry declares
 * stays visible to the next ones. {@link #reset} starts over with a fresh context (stopping whatever the old
 * one started, such as WebSocket servers).
 */
final class Session implements AutoCloseable {
    /** Where entries come from in messages: {@code <repl>:1:5}. */
    static final String ENTRY_NAME = "<repl>";
    private static final String QUERY_MIME_TYPE = "application/x-osprey-query";

    enum Outcome {
        OK, INCOMPLETE, FAILED, INTERRUPTED
    }

    private final Map<String, String> options;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private volatile Context context;
    private volatile boolean running;

    Session(Map<String, String> options, InputStream in, PrintStream out, PrintStream err) {
        this.options = options;
        this.in = in;
        this.out = out;
        this.err = err;
        this.context = newContext();
    }

    private Context newContext() {
        return Runner.contextBuilder(options).in(in).out(out).err(err).option("engine.WarnInterpreterOnly", "false")
                        .option("osprey.LineBuffered", "true").build();
    }

    /** Checks and runs one entry; it prints its own declarations and value (the language does that). */
    Outcome eval(String text, String name) {
        Source source = Source.newBuilder("osprey", text, name).interactive(true).cached(false).buildLiteral();
        running = true;
        try {
            context.eval(source);
            return Outcome.OK;
        } catch (PolyglotException e) {
            if (e.isIncompleteSource()) {
                return Outcome.INCOMPLETE;
            }
            if (e.isInterrupted() || e.isCancelled()) {
                return Outcome.INTERRUPTED; // the REPL says so, after the terminal's echo of ^C
            }
            if (e.isExit()) {
                err.println("the entry asked to exit with " + e.getExitStatus() + "; the session goes on");
                return Outcome.FAILED;
            }
            Runner.report(e, err);
            return Outcome.FAILED;
        } finally {
            running = false;
        }
    }

    /** A question answered without running anything; a bad expression prints its diagnostics and gives null. */
    String query(String question) {
        Source source = Source.newBuilder("osprey", question, ENTRY_NAME).mimeType(QUERY_MIME_TYPE).cached(false).buildLiteral();
        try {
            return context.eval(source).asString();
        } catch (PolyglotException e) {
            if (e.isSyntaxError()) {
                err.println(e.getMessage());
            } else {
                Runner.report(e, err);
            }
            return null;
        }
    }

    /** For completion: the answer, or null without printing anything when the question has no answer. */
    String quietQuery(String question) {
        Source source = Source.newBuilder("osprey", question, ENTRY_NAME).mimeType(QUERY_MIME_TYPE).cached(false).buildLiteral();
        try {
            return context.eval(source).asString();
        } catch (PolyglotException | IllegalStateException e) {
            return null;
        }
    }

    /**
     * Interrupts the running entry (Ctrl-C), from a thread of its own so the caller (a signal handler, the
     * terminal's input thread) never waits. The context stays usable.
     */
    void interrupt() {
        if (!running) {
            return;
        }
        Context c = context;
        Thread t = new Thread(() -> {
            try {
                c.interrupt(Duration.ofSeconds(10));
            } catch (TimeoutException | RuntimeException e) {
                // the entry ended meanwhile, or would not stop: nothing more to do here
            }
        }, "osprey-interrupt");
        t.setDaemon(true);
        t.start();
    }

    boolean isRunning() {
        return running;
    }

    /** A fresh context: earlier definitions are gone and what the old context started is stopped. */
    void reset() {
        Context old = context;
        context = newContext();
        closeQuietly(old);
    }

    @Override
    public void close() {
        closeQuietly(context);
    }

    private void closeQuietly(Context c) {
        try {
            c.close(true);
        } catch (PolyglotException | IllegalStateException e) {
            // closing a cancelled context reports the cancel; it is closed all the same
        }
    }

    OutputStream out() {
        return out;
    }
}
