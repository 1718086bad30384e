package org.osprey.launcher;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.osprey.tooling.SourceInfo;

/**
 * One REPL session: a long-lived context in which every entry is checked and run, so what an entry declares
 * stays visible to the next ones. {@link #reset} starts over with a fresh context (stopping whatever the old
 * one started, such as WebSocket servers).
 */
final class Session implements AutoCloseable {
    /** Where entries come from in messages: {@code <repl>:1:5}. */
    static final String ENTRY_NAME = "<repl>";
    /** The name of an entry of piped input. */
    static final String STDIN_NAME = "<stdin>";
    private static final String QUERY_MIME_TYPE = "application/x-osprey-query";

    enum Outcome {
        OK, INCOMPLETE, FAILED, INTERRUPTED
    }

    private final Map<String, String> options;
    private final boolean interactive;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private volatile Context context;
    /** Entries evaluated so far; the one running now, or 0. Guarded by this. */
    private long entries;
    private long runningEntry;
    /**
     * Between the REPL taking an entry and showing its prompt again ({@link #handling}); a Ctrl-C then that
     * comes before the entry's run is registered is kept for it (stopNext). Guarded by this.
     */
    private boolean handling;
    private boolean stopNext;
    /** The running entry was asked to stop before its run began ({@link #interrupt}), to be taken back when it is over. Guarded by this. */
    private boolean stopAsked;
    private static final java.util.regex.Pattern UNKNOWN_NAME = java.util.regex.Pattern.compile(": unknown name '([A-Za-z_][A-Za-z0-9_]*)'");
    private static final java.util.regex.Pattern DECLARES_FUNCTION = java.util.regex.Pattern.compile("(?m)^\\s*fn\\s");

    /** The name an entry declaring a function calls without its being declared, from the entry's errors, or null. */
    static String unknownFunction(String message, String text) {
        java.util.regex.Matcher m = UNKNOWN_NAME.matcher(message);
        if (!m.find() || !DECLARES_FUNCTION.matcher(text).find()) {
            return null;
        }
        String name = m.group(1);
        return java.util.regex.Pattern.compile("\\b" + name + "\\s*\\(").matcher(text).find() ? name : null;
    }

    /** The parser's message for the last entry that was incomplete. */
    private String incomplete;

    /**
     * {@code interactive}: on a terminal, where Ctrl-C reaches the session ({@link #interrupt}) rather than
     * the program; piped input leaves Ctrl-C to the program (websocketKeepAlive waits for it).
     */
    Session(Map<String, String> options, InputStream in, PrintStream out, PrintStream err, boolean interactive) {
        this.options = options;
        this.interactive = interactive;
        this.in = in;
        this.out = out;
        this.err = err;
        try {
            this.context = newContext();
        } catch (IllegalArgumentException e) {
            throw new BadOptions(e);
        }
    }

    /** Whether the options let the session read files (no --sandbox, no --no-fs), which :load does. */
    boolean filesAllowed() {
        return !"true".equals(options.get("osprey.Sandbox")) && !"true".equals(options.get("osprey.NoFs"));
    }

    /** The session's context could not be made from the options given; the launcher says why and ends. */
    static final class BadOptions extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadOptions(IllegalArgumentException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private Context newContext() {
        return Runner.build(Runner.contextBuilder(options).in(in).out(out).err(err).option("engine.WarnInterpreterOnly", "false")
                        .option("engine.WarnVirtualThreadSupport", "false").option("osprey.LineBuffered", "true")
                        .option("osprey.Interactive", Boolean.toString(interactive)));
    }

    /** Entries as the user typed them, from 1 (an unfinished one is counted once it is complete). */
    private long numbered;

    /**
     * A run-time fault's place: {@code <repl>:LINE:COL} in the entry that ran, {@code <repl entry N>:LINE:COL} in a
     * function an earlier entry declared (its lines are counted within that entry). Which entry that was is
     * read from its source's URI ({@code osprey-repl-entry:N}), as OspreyContext.place reads it: a map from
     * every entry's source to its number kept each entry's text and source for as long as the session ran,
     * some 600 bytes an entry, a session of piped input growing without bound.
     */
    private static String place(org.graalvm.polyglot.SourceSection at, Source current) {
        java.net.URI uri = at.getSource().getURI();
        boolean earlier = !at.getSource().equals(current) && uri != null && SourceInfo.ENTRY_URI_SCHEME.equals(uri.getScheme());
        boolean loaded = !ENTRY_NAME.equals(at.getSource().getName()); // a file read with :load: its own name and lines
        return !earlier || loaded ? Runner.location(at) : "<repl entry " + uri.getSchemeSpecificPart() + ">:" + at.getStartLine() + ":" + Runner.column(at);
    }

    /** Checks and runs one entry; it prints its own declarations and value (the language does that). */
    Outcome eval(String text, String name) {
        return eval(text, name, 0);
    }

    /**
     * As above, for an entry of piped input that starts on line {@code firstLine} of it (0: not piped): its
     * places are given as {@code <stdin>:LINE:COL}, lines counted in the input.
     */
    Outcome eval(String text, String name, int firstLine) {
        // The entry's number also travels in its URI, for the places the language gives by itself (a fault in a
        // WebSocket handler an earlier entry declared: OspreyContext.place); a piped entry's first line instead.
        // A file read with :load keeps its name, so that its places are the file's own (not '<repl entry N>').
        java.net.URI uri = firstLine > 0 ? stdinUri(firstLine)
                        : ENTRY_NAME.equals(name) ? java.net.URI.create(SourceInfo.ENTRY_URI_SCHEME + ":" + (numbered + 1)) : null;
        Source.Builder b = Source.newBuilder("osprey", text, firstLine > 0 ? STDIN_NAME : name).interactive(true).cached(false);
        if (uri != null) {
            b.uri(uri);
        }
        Source source = b.buildLiteral();
        boolean stop;
        long entry;
        synchronized (this) {
            entry = runningEntry = ++entries;
            stop = stopNext;
            stopNext = false;
        }
        if (stop) {
            stopEntry(entry); // Ctrl-C came right after Enter: this run stops as it begins
        }
        numbered++;
        try {
            context.eval(source);
            return Outcome.OK;
        } catch (PolyglotException e) {
            if (e.isIncompleteSource()) {
                incomplete = e.getMessage();
                numbered--; // the same entry comes again with its next line
                return Outcome.INCOMPLETE;
            }
            if (e.isInterrupted() || e.isCancelled()) {
                return Outcome.INTERRUPTED; // the REPL says so, after the terminal's echo of ^C
            }
            if (e.isExit()) {
                err.println("the entry asked to exit with " + e.getExitStatus() + "; the session goes on");
                return Outcome.FAILED;
            }
            Runner.report(e, err, at -> place(at, source));
            String callee = e.isSyntaxError() ? unknownFunction(e.getMessage(), text) : null;
            if (callee != null) {
                // A function that calls one declared by a later entry (isEven and isOdd, one per line): each entry
                // is checked on its own, as in other REPLs of typed languages.
                err.println("(if a later entry is to declare '" + callee + "': functions that call each other go in one entry, on one"
                                + " line separated by ';', or in a file read with :load)");
            }
            return Outcome.FAILED;
        } finally {
            synchronized (this) {
                runningEntry = 0;
                if (stopAsked) {
                    // A stop for a run that never began (the entry did not check) is not the next entry's.
                    stopAsked = false;
                    request(context, "interrupt forget");
                }
            }
        }
    }

    /**
     * A question answered without running anything; a bad expression prints its diagnostics and gives null.
     * {@code firstLine}: the question's line in piped input, where its diagnostics are placed as
     * {@code <stdin>:LINE:COL}, as an entry's are (0: not piped). An error's copy of the question's first line
     * {@code asked} (piped: the expression after the spaces that keep its columns) is shown as {@code shown},
     * the input's own line (both null: as it is).
     */
    String query(String question, int firstLine, String asked, String shown) {
        Source.Builder b = Source.newBuilder("osprey", question, firstLine > 0 ? STDIN_NAME : ENTRY_NAME).mimeType(QUERY_MIME_TYPE).cached(false);
        if (firstLine > 0) {
            b.uri(stdinUri(firstLine));
        }
        Source source = b.buildLiteral();
        try {
            return context.eval(source).asString();
        } catch (PolyglotException e) {
            if (e.isSyntaxError()) {
                String message = e.getMessage();
                err.println(asked == null ? message : message.replace("\n" + asked + "\n", "\n" + shown + "\n"));
            } else {
                Runner.report(e, err);
            }
            return null;
        }
    }

    /** Where a piped entry or question starting on line {@code firstLine} of the input comes from (SourceInfo). */
    private static java.net.URI stdinUri(int firstLine) {
        return java.net.URI.create(SourceInfo.STDIN_URI_SCHEME + ":" + firstLine);
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
     * Asks the running entry to stop (Ctrl-C), from a thread of its own so the caller (a signal handler, the
     * terminal's input thread) never waits. The language stops only that entry's thread, together with what
     * the entry started (its servers, connections, processes); the context stays usable. An entry whose run
     * has not begun (still being checked, or waiting for a handler in an endless loop, which is stopped) stops
     * as its run begins, before any of its statements runs, however short it is. At the prompt, with no entry
     * running, it stops a handler that is running Osprey code at that moment (docs/repl.md). True when it
     * was for an entry: one running, or one the REPL has taken ({@link #handling}).
     */
    boolean interrupt() {
        long entry;
        synchronized (this) {
            entry = runningEntry;
            if (entry == 0 && handling) {
                // The REPL has taken an entry that has not begun (the key came right after Enter, while the
                // terminal was leaving the line editor): it is for that entry, not for the prompt.
                stopNext = true;
                return true;
            }
        }
        Context c = context;
        Thread t = new Thread(() -> {
            if (entry == 0) {
                // At the prompt: no entry to stop, but a handler running Osprey code now (one in an endless
                // loop holds the session) is stopped; the request does that when no run is executing.
                request(c, "interrupt");
            } else {
                stopEntry(entry);
            }
        }, "osprey-interrupt");
        t.setDaemon(true);
        t.start();
        return entry != 0;
    }

    /**
     * Asks entry {@code entry} to stop if it is still the one running: under this object's lock, so that a stop
     * waiting for its run to begin is either taken back when the entry is over ({@link #eval}) or never asked.
     */
    private synchronized void stopEntry(long entry) {
        if (entry != 0 && runningEntry == entry && request(context, "interrupt entry") < 0) {
            stopAsked = true;
        }
    }

    /** Evaluates one of the interrupt requests; 0 when the session was reset or closed meanwhile. */
    private static long request(Context c, String request) {
        try {
            return c.eval(Source.newBuilder("osprey", request, ENTRY_NAME).mimeType(QUERY_MIME_TYPE).cached(false).buildLiteral()).asLong();
        } catch (PolyglotException | IllegalStateException e) {
            return 0; // nothing is left to stop
        }
    }

    /** What the parser said about the last entry {@link #eval} found incomplete: what is missing, and where. */
    String incompleteMessage() {
        return incomplete;
    }

    /**
     * The REPL has taken an entry (true), or is about to show its prompt again (false): a Ctrl-C between the
     * two is for that entry even before its run begins, and one left unused (the entry was a command, or
     * failed its check) is dropped here.
     */
    synchronized void handling(boolean on) {
        handling = on;
        stopNext = false;
    }

    synchronized boolean isRunning() {
        return runningEntry != 0;
    }

    /** A fresh context: earlier definitions are gone and what the old context started is stopped. */
    void reset() {
        Context old = context;
        context = newContext();
        Runner.closeCancelling(old);
    }

    @Override
    public void close() {
        Runner.closeCancelling(context);
    }


    OutputStream out() {
        return out;
    }
}
