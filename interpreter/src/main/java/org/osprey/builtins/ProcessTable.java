package org.osprey.builtins;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.oracle.truffle.api.TruffleLanguage;
import com.oracle.truffle.api.io.TruffleProcessBuilder;
import com.oracle.truffle.api.TruffleSafepoint;
import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.runtime.DataShape;
import org.osprey.runtime.Display;
import org.osprey.runtime.DataValue;
import org.osprey.spi.BuiltinContext;
import org.osprey.spi.BuiltinException;
import org.osprey.spi.Values;
import org.osprey.types.Prelude;

/**
 * One program's processes, by ID. IDs count from 1 and are never reused while the program runs. Events
 * from every process's reader threads go into one bounded queue, which a single dispatcher thread (a
 * Truffle thread of the context) empties by calling the callbacks, one at a time, under the context's
 * execution lock (design/threads.md). So a callback runs while the program waits in awaitProcess or any
 * other blocking builtin, never in the middle of other Osprey code; lines of one stream arrive in order and
 * the exit event last. A full queue stops the readers, which stops a process that writes faster than its
 * callback keeps up. When the context closes, every process still running is killed and every thread joined.
 */
final class ProcessTable {
    private static final int QUEUE_CAPACITY = 1024;
    /** How long closing waits for the threads; only a grandchild process holding a pipe open makes it wait. */
    private static final long JOIN_MILLIS = 5_000;

    private record Event(ChildProcess process, long kind, TruffleString data) {
    }

    /** Tells the dispatcher to stop. */
    private static final Event STOP = new Event(null, 0, null);

    private final BuiltinContext ctx;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, ChildProcess> processes = new ConcurrentHashMap<>();
    /** Reader threads still running, joined at close. */
    private final Set<Thread> readers = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<Event> events = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private volatile Thread dispatcher;
    private volatile boolean closed;

    /** Processes stopped because the REPL entry that started them was interrupted, for awaitProcess's message. */
    private final Set<Long> interrupted = ConcurrentHashMap.newKeySet();

    ProcessTable(BuiltinContext ctx) {
        this.ctx = ctx;
        ctx.onClose(this::closeAll);
        ctx.onInterrupted(this::stopRun);
    }

    // ---------------------------------------------------------------- the three builtins

    /** spawnProcess with shell text: {@code /bin/sh -c command}. */
    Object spawn(String command, Object callback) {
        return spawn(command, List.of("/bin/sh", "-c", command), callback);
    }

    /**
     * spawnProcess with a list of words: the program named by the first, the others its arguments, no shell.
     * Shown in messages as the shell would read it, each word quoted where it needs it.
     */
    Object spawn(List<String> words, Object callback) {
        String shown = String.join(" ", words.stream().map(ProcessBuiltins::shellQuote).toList());
        if (words.isEmpty()) {
            return Values.error("cannot run an empty command: the list starts with the program to run, then its arguments");
        }
        if (words.get(0).isEmpty()) {
            return cannotRun(shown, "the first word, the program to run, is empty");
        }
        for (String w : words) {
            if (w.indexOf('\0') >= 0) {
                return cannotRun(shown, "a word holds a NUL character, which no argument of a process can");
            }
        }
        return spawn(shown, words, callback);
    }

    private Object spawn(String command, List<String> argv, Object callback) {
        if (closed) {
            return cannotRun(command, "the program is ending");
        }
        if (!ctx.env().isCreateProcessAllowed()) {
            return cannotRun(command, "this context does not allow running processes");
        }
        if (!ctx.env().isFileIOAllowed()) { // Truffle's process builder needs the file system for the working directory
            return cannotRun(command, "this context does not allow file access, which running a process needs");
        }
        try {
            startDispatcher();
        } catch (IllegalStateException | SecurityException e) {
            if (ctx.env().isCreateThreadAllowed()) {
                // Threads are allowed, but a language of the context allows one thread at a time (JavaScript):
                // "Multi threaded access requested by thread ... is not allowed for language(s) js."
                return cannotRun(command, "running a process needs a thread of its own, which this context refuses: "
                                + e.getMessage());
            }
            return cannotRun(command, "this context does not allow threads, which running a process needs");
        }
        Process process;
        ProcessHandle handle;
        try {
            Set<Long> before = children();
            process = start(argv);
            handle = handleOf(process, before);
        } catch (SecurityException e) {
            return cannotRun(command, "this context does not allow running processes");
        } catch (IOException e) {
            String why = String.valueOf(e.getMessage());
            if (why.contains("Argument list too long")) {
                // E2BIG: Java's text ("Cannot run program "/bin/sh" (in directory ...): Exec failed, error: 7
                // (Argument list too long)") and the whole command made a message as long as the command.
                return cannotRun(command, tooLong(argv));
            }
            String gone = FileErrors.workingDirectoryGone(ctx.env());
            if (gone != null) {
                // The system's "No such file or directory" is about the directory the process was to start in,
                // not the program: the message said "there is no file /bin/sh".
                return cannotRun(command, gone);
            }
            return cannotRun(command, notStarted(argv.get(0), why));
        }
        try {
            process.getOutputStream().close(); // no standard input: a command that reads it sees its end at once
        } catch (IOException e) {
            // the process has already gone; its exit event will say how
        }
        long id = ids.incrementAndGet();
        ChildProcess p = new ChildProcess(id, process, handle, ctx.withHandlers(callback), this, ctx.run());
        ((org.osprey.OspreyContext) ctx).processCallbacksBegin(); // until its last event, the callback may wake a fiber (Fibers)
        processes.put(id, p);
        p.startReaders();
        return Values.success(DataValue.of(DataShape.of(Prelude.PROCESS_RESULT), new Object[] {id}));
    }

    /** spawnProcess's Error for a command that does not run: its start, and why. */
    private static Object cannotRun(String command, String why) {
        return Values.error("cannot run '" + shortened(command) + "': " + why);
    }

    /** The C library's error number and text at the end of Java's message for a program it could not start. */
    private static final java.util.regex.Pattern ERRNO = java.util.regex.Pattern.compile("error: (\\d+) \\(([^)]*)\\)");

    /**
     * Why the program could not be started, from Java's text ("Cannot run program "x" (in directory "/w"): Exec
     * failed, error: 2 (No such file or directory)"), which said the same things three times over.
     */
    private static String notStarted(String name, String why) {
        String program = Display.visible(name);
        java.util.regex.Matcher m = ERRNO.matcher(why);
        boolean found = m.find();
        String errno = found ? m.group(1) : "";
        String text = found ? m.group(2) : why;
        return switch (errno) {
            case "2" -> program.contains("/") ? "there is no file " + program : "there is no program " + program + " on the PATH";
            case "13" -> program + " is not a program this process may run (permission denied, or not an executable file)";
            default -> program + " could not be started (" + FileErrors.plain(text) + ")";
        };
    }

    /**
     * Why the system refused the arguments (E2BIG): one of them above 128 KiB (shell text is one argument of
     * /bin/sh), or all of them together above what a process may be given (with its environment), which a
     * list of many short words reaches with no word too long.
     */
    private static String tooLong(List<String> argv) {
        long total = 0;
        for (int i = 0; i < argv.size(); i++) {
            long bytes = argv.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes >= MAX_ARGUMENT) {
                return "the command is too long for the system (" + bytes + " bytes" + (argv.get(0).equals("/bin/sh") && i == 2 ? "" : " in word " + (i + 1))
                                + "; one argument of a process may hold " + MAX_ARGUMENT + ")";
            }
            total += bytes + 1;
        }
        return "the command is too long for the system (" + argv.size() + " words of " + total
                        + " bytes together, more than the system gives a process for its arguments and environment)";
    }

    /** Linux's MAX_ARG_STRLEN: the most bytes one argument of a process may have, its closing NUL among them. */
    private static final int MAX_ARGUMENT = 131072;

    /**
     * The start of a long command, enough to recognise it in a message, with its control characters escaped by
     * Display.visible (a newline as backslash-n, an escape character as backslash-u{1B}): a word of a program's
     * input in a command otherwise sent a terminal escape sequence, or broke the Error's line, wherever the
     * message was printed.
     */
    private static String shortened(String command) {
        int keep = 60;
        if (command.codePointCount(0, command.length()) <= keep + 10) {
            return Display.visible(command);
        }
        return Display.visible(command.substring(0, command.offsetByCodePoints(0, keep))) + "...";
    }

    /**
     * Starts the program and its arguments ({@code /bin/sh -c command} for shell text) in the context's working
     * directory with the context's environment variables, through Truffle's process builder, so that the
     * embedder's ProcessHandler decides (docs/embedding.md).
     */
    private Process start(List<String> argv) throws IOException {
        TruffleLanguage.Env env = ctx.env();
        TruffleProcessBuilder pb = env.newProcessBuilder(argv.toArray(String[]::new));
        pb.directory(env.getCurrentWorkingDirectory());
        pb.clearEnvironment(true);
        pb.environment(env.getEnvironment());
        return pb.start();
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(java.util.stream.Collectors.toSet());
    }

    /**
     * The operating system's handle of a process just started, so that the command's own children (the parts
     * of a pipeline, a {@code sleep}) can be killed on cleanup and do not outlive the program. Truffle's
     * Process hides it; the shell is then the child of this JVM that was not there before the start. Null
     * where there is none (an embedder's ProcessHandler that runs no OS process, or a command already gone):
     * then cleanup ends the process itself only.
     */
    private static ProcessHandle handleOf(Process process, Set<Long> before) {
        try {
            return process.toHandle();
        } catch (UnsupportedOperationException e) {
            // The shell, or the one command it replaced itself with (sh -c "sleep 5" execs sleep).
            return ProcessHandle.current().children().filter(h -> !before.contains(h.pid()))
                            .max(java.util.Comparator.comparingLong(ProcessHandle::pid)).orElse(null);
        }
    }

    long await(long id) {
        ChildProcess p = find("awaitProcess", id);
        if (p.finished.getCount() > 0) {
            if (Thread.currentThread() == dispatcher) {
                throw new BuiltinException("awaitProcess: cannot wait for process " + id
                                + " inside a process callback: callbacks run one at a time, so its events could never arrive");
            }
            org.osprey.OspreyContext context = (org.osprey.OspreyContext) ctx;
            context.awaitingProcess(true);
            try {
                ctx.blocking(() -> {
                    TruffleSafepoint.setBlockedThreadInterruptible(null, CountDownLatch::await, p.finished);
                    return null;
                });
            } finally {
                context.awaitingProcess(false);
            }
            if (!p.exited()) {
                throw new BuiltinException("awaitProcess: the program is ending, so process " + id + " was stopped");
            }
        }
        return p.exitCode();
    }

    void cleanup(long id) {
        ChildProcess p = find("cleanupProcess", id);
        processes.remove(id);
        // Killed before it is forgotten: a forgotten process's reader stops and closes its pipe, and a process
        // still writing died of that (SIGPIPE, exit code 141) before the kill came. The program holds the
        // execution lock here, so no event reaches the callback in between (dispatch checks under that lock).
        p.kill();
        p.forgotten = true;
        settle(p);
    }

    /** {@code p}'s callback will be called no more: a fiber's wait that only it could end is a deadlock now. */
    private void settle(ChildProcess p) {
        if (p.settled.compareAndSet(false, true)) {
            ((org.osprey.OspreyContext) ctx).processCallbacksEnded();
        }
    }

    private ChildProcess find(String function, long id) {
        ChildProcess p = processes.get(id);
        if (p == null) {
            boolean issued = id >= 1 && id <= ids.get();
            String gone = interrupted.contains(id) ? "process " + id + " was stopped when the entry that started it was interrupted"
                            : "process " + id + " was already cleaned up";
            throw new BuiltinException(function + ": " + (issued ? gone
                            : "no process with ID " + id + " (IDs come from spawnProcess)"));
        }
        return p;
    }

    // ---------------------------------------------------------------- events

    /**
     * Queues an event from a reader thread, waiting while the queue is full. Returns false if the process
     * was forgotten or the context is closing, so the reader can stop.
     */
    boolean post(ChildProcess p, long kind, TruffleString data) {
        Event e = new Event(p, kind, data);
        try {
            while (!events.offer(e, 50, TimeUnit.MILLISECONDS)) {
                if (closed || p.forgotten) {
                    return false;
                }
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !(closed || p.forgotten);
    }

    /** A reader of the process's output ran out of memory (ChildProcess.read): said in one line, as a callback's failure is. */
    void readerFailed(ChildProcess p, String stream, OutOfMemoryError e) {
        if (!closed && !p.forgotten) {
            ctx.err().println("error: process " + p.id + ": out of memory reading a line of its " + stream + " (" + e.getMessage()
                            + "); the rest of that output is dropped");
        }
    }

    void readerStarted(Thread t) {
        readers.add(t);
    }

    void readerEnded(Thread t) {
        readers.remove(t);
    }

    private synchronized void startDispatcher() {
        if (dispatcher == null) {
            Thread t = ctx.env().newTruffleThreadBuilder(this::dispatch).build();
            t.setName("osprey-process-events");
            t.setDaemon(true);
            dispatcher = t;
            ((org.osprey.OspreyContext) ctx).processEventThread(t);
            t.start();
        }
    }

    private void dispatch() {
        Event[] next = new Event[1];
        while (true) {
            TruffleSafepoint.setBlockedThreadInterruptible(null, q -> next[0] = q.take(), events);
            Event e = next[0];
            if (e == STOP) {
                return;
            }
            ChildProcess p = e.process();
            if (!p.forgotten && !closed) {
                // Checked again under the execution lock: cleanupProcess may run while this thread waits for it.
                ((org.osprey.OspreyContext) ctx).callFromForeignThread(() -> !p.forgotten, p.callback, () -> "callback of process " + p.id, p.id,
                                e.kind(), e.data());
            }
            if (e.kind() == ChildProcess.EXIT) {
                settle(p);
                p.finished.countDown();
            }
        }
    }

    // ---------------------------------------------------------------- lifetime

    /**
     * A REPL entry was interrupted: the processes it started are killed (with their children) as by
     * cleanupProcess, and this returns once they are gone, so the prompt comes back with nothing left running.
     */
    private void stopRun(long run) {
        for (ChildProcess p : processes.values()) {
            if (p.run == run) {
                processes.remove(p.id);
                interrupted.add(p.id);
                p.forgotten = true;
                java.util.List<ProcessHandle> family = p.family();
                p.kill();
                settle(p);
                p.finished.countDown();
                for (ProcessHandle h : family) {
                    try {
                        h.onExit().get(JOIN_MILLIS, TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        ctx.err().println("error: process " + p.id + " did not stop within " + JOIN_MILLIS / 1000 + " s");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    /** The context is closing: kill what still runs, stop the dispatcher, and join every thread. */
    private void closeAll() {
        closed = true;
        for (ChildProcess p : processes.values()) {
            p.forgotten = true;
            try {
                p.kill();
            } catch (RuntimeException e) {
                ctx.err().println("error: while closing: cannot stop process " + p.id + ": " + e.getMessage());
            }
            settle(p);
            p.finished.countDown(); // a handler thread waiting in awaitProcess must not wait forever
        }
        Thread d = dispatcher;
        if (d != null) {
            while (!events.offer(STOP)) {
                events.poll(); // nothing more is delivered anyway
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
        if (d != null) {
            join(d, deadline);
        }
        for (Thread t : readers) {
            join(t, deadline);
        }
        processes.clear();
    }

    private static void join(Thread t, long deadline) {
        try {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
