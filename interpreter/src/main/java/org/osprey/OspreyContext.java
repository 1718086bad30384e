package org.osprey;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.TruffleContext;
import com.oracle.truffle.api.TruffleLanguage;
import com.oracle.truffle.api.ThreadLocalAction;
import com.oracle.truffle.api.TruffleSafepoint;
import com.oracle.truffle.api.exception.AbstractTruffleException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.nodes.LanguageInfo;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.RootNode;
import com.oracle.truffle.api.strings.InternalByteArray;
import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.runtime.FunctionValue;
import org.osprey.runtime.RunInterrupted;
import org.osprey.runtime.Strings;
import org.osprey.spi.BuiltinContext;
import org.osprey.types.Environment;

/**
 * Everything one running program owns: its standard streams, the type environment that REPL entries share,
 * the plugins' state, and the execution lock that keeps Osprey single-threaded per context (handlers on
 * library threads wait for it; blocking builtins release it).
 */
public final class OspreyContext implements BuiltinContext {
    private static final TruffleLanguage.ContextReference<OspreyContext> REFERENCE = TruffleLanguage.ContextReference.create(OspreyLanguage.class);

    public final OspreyLanguage language;
    public final TruffleLanguage.Env env;
    public final Environment environment;
    private final PrintStream out;
    private final PrintStream err;
    private InputLines in;
    private final boolean lineBuffered;
    private final boolean interactive;
    private final boolean takesSignals;
    private final Map<Class<?>, Object> states = new ConcurrentHashMap<>();
    /** Function values made for builtins and constructors used as values, one per signature or variant. */
    public final Map<Object, FunctionValue> functionValues = new ConcurrentHashMap<>();
    private final List<Runnable> closeHooks = new ArrayList<>();
    private final List<LongConsumer> interruptHooks = new ArrayList<>();
    /** Runs (program runs, REPL entries) counted from 1; see {@link #beginRun}. */
    private long runs;
    /** The run executing now, 0 when none; written by its thread, read by the thread asking it to stop. */
    private volatile long currentRun;
    private volatile Thread runThread;
    /** Threads running a handler or callback (callFromForeignThread), which an interrupt stops too. */
    private final java.util.Set<Thread> callbackThreads = ConcurrentHashMap.newKeySet();
    /** The run an interrupt was delivered to, so that one request stops it once. */
    private final AtomicLong interruptedRun = new AtomicLong();
    /**
     * An interrupt came for the REPL's entry before its run began ({@link #interruptEntry}): the next run stops
     * as it begins, unless {@link #forgetEntryInterrupt} came first. Guarded by this.
     */
    private boolean stopNextRun;
    /** The run that took such a stop as it began ({@link #stopIfAskedBefore}); guarded by this. */
    private long stoppedBeforeBegin;
    /** The fibers of spec 0011, made when the first is spawned; null in a program that spawns none. */
    public volatile Fibers fibers;
    /**
     * Set once the program has given a function to a builtins module that does not count its callbacks (an HTTP
     * handler): from then on a handler may wake a fiber, so a fiber's wait is no deadlock.
     */
    private volatile boolean callbacksPossible;
    /**
     * What modules that count their callbacks (BuiltinRegistry.countsCallbacks) announced may still call a
     * handler: a listening WebSocket server with a handler, an open WebSocket connection. When the last ends, a
     * wait that only such a handler could have ended is a deadlock again.
     */
    private final java.util.concurrent.atomic.AtomicInteger moduleCallbacks = new java.util.concurrent.atomic.AtomicInteger();
    /**
     * Calls of handlers and callbacks (callFromForeignThread) under way, waiting for the execution lock included:
     * one may still send to a channel after what called it announced its end (a server stopped from its own
     * handler), so a fiber's wait is no deadlock until it returns.
     */
    private final java.util.concurrent.atomic.AtomicInteger handlersRunning = new java.util.concurrent.atomic.AtomicInteger();
    /**
     * Processes whose callback may still be called (ProcessTable): until the last event of each has been
     * delivered, or it was cleaned up, a callback may wake a fiber. After that none can, and a wait that
     * only such a callback could have ended is a deadlock again.
     */
    private final java.util.concurrent.atomic.AtomicInteger processCallbacks = new java.util.concurrent.atomic.AtomicInteger();
    /** One Osprey thread of execution at a time (spec-free, see design/threads.md). */
    public final ReentrantLock executionLock = new ReentrantLock();
    private volatile boolean closing;
    /**
     * What the waits of {@link #waitUntil} and {@link #sleepUntil} nap on between their looks at what they wait
     * for; {@link #wakeWaits} wakes them at once. Before, the waits woke by the clock to look: a sleep every
     * 10 ms, a keep-alive every 20 ms, so 500 fibers in sleep(10000) took 6.5 s of processor time in all
     * (2.8 s now, most of it the start and the spawns).
     */
    private final Object naps = new Object();
    /** How many times {@link #wakeWaits} has been called: a nap does not begin after a wake its waiter has not looked after. */
    private volatile long wakes;
    /**
     * Standard output's buffer, which knows whether anything was written since the last flush: a handler
     * that printed nothing (the usual echo server) costs no flush, and so no system call.
     */
    private static final class OutBuffer extends BufferedOutputStream {
        private volatile boolean dirty;

        OutBuffer(java.io.OutputStream target) {
            super(target, 1 << 14);
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            dirty = true;
            super.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            dirty = true;
            super.write(b, off, len);
        }

        @Override
        public synchronized void flush() throws java.io.IOException {
            if (dirty) {
                dirty = false;
                super.flush();
            }
        }
    }

    private final OutBuffer outBuffer;

    /** Osprey calls in progress on the thread holding the execution lock; see FunctionRootNode. */
    public int callDepth;
    public final int maxCallDepth;
    /** Whether extern functions are refused (--no-ffi, --sandbox): spec 0016's FFI. */
    private final boolean externsDisabled;
    /** The libraries extern functions are looked up in before the C library (option osprey.Libraries). */
    private final List<String> externLibraries;
    /** Whether the node builder builds calls of small functions into their callers (NodeBuilder.inlineable). */
    public final boolean inlineSmallFunctions;

    OspreyContext(OspreyLanguage language, TruffleLanguage.Env env, Environment environment) {
        this.language = language;
        this.env = env;
        this.environment = environment;
        this.lineBuffered = env.getOptions().get(OspreyLanguage.LINE_BUFFERED);
        this.interactive = env.getOptions().get(OspreyLanguage.INTERACTIVE);
        this.takesSignals = env.getOptions().get(OspreyLanguage.SIGNALS);
        this.maxCallDepth = env.getOptions().get(OspreyLanguage.MAX_CALL_DEPTH);
        this.externsDisabled = env.getOptions().get(OspreyLanguage.NO_FFI) || env.getOptions().get(OspreyLanguage.SANDBOX);
        String libraries = env.getOptions().get(OspreyLanguage.LIBRARIES);
        this.externLibraries = libraries.isEmpty() ? List.of() : List.of(libraries.split(java.io.File.pathSeparator));
        this.inlineSmallFunctions = env.getOptions().get(OspreyLanguage.INLINE_SMALL_FUNCTIONS);
        this.outBuffer = new OutBuffer(env.out());
        this.out = new PrintStream(outBuffer, false, StandardCharsets.UTF_8);
        org.osprey.tooling.ProgramOutput.register(out);
        this.err = new PrintStream(env.err(), true, StandardCharsets.UTF_8);
    }

    /** Whether the context is the osprey launcher's (it sets osprey.Signals), not an embedding application's. */
    public boolean launched() {
        return takesSignals;
    }

    /** Whether extern functions are refused (--no-ffi, --sandbox): ExternLinker says so at their declarations. */
    boolean externsDisabled() {
        return externsDisabled;
    }

    /** The libraries ExternLinker looks extern functions up in, in order, before the process's own. */
    List<String> externLibraries() {
        return externLibraries;
    }

    /**
     * The current context. In the interpreter, from the language instance of the node's root where there is one:
     * the context reference reads a thread-local there, which HotSpot's code for the interpreter does through a
     * native call (JVMCI's {@code getThreadLocalObject}), the cost of a JNI call on every builtin call. The
     * policy is EXCLUSIVE, so the language instance has one context at a time, whatever thread runs it
     * ({@link OspreyLanguage#current}). Compiled code reads the reference, which it folds to a constant.
     */
    public static OspreyContext get(Node node) {
        if (CompilerDirectives.inInterpreter() && node != null) {
            OspreyLanguage language = languageOf(node);
            if (language != null && language.current != null) {
                return language.current;
            }
        }
        return REFERENCE.get(node);
    }

    /** The Osprey language instance of the node's root; null for a node of another language's root, or of none. */
    public static OspreyLanguage languageOf(Node node) {
        RootNode root = node.getRootNode();
        LanguageInfo info = root == null ? null : root.getLanguageInfo();
        return info != null && OspreyLanguage.ID.equals(info.getId()) ? root.getLanguage(OspreyLanguage.class) : null;
    }

    @Override
    public PrintStream out() {
        return out;
    }

    @Override
    public PrintStream err() {
        out.flush();
        return err;
    }

    @Override
    @TruffleBoundary
    public String readInputLine() throws IOException {
        TruffleString line = readInputText();
        return line == null ? null : Strings.java(line);
    }

    /**
     * The next line of standard input if it is read already, in a program without fibers; else null, and
     * {@link #readInputText} reads it. Such a line is taken without the steps of a read that may wait (the
     * execution lock let go and taken again, the thread marked blocked for safepoints), a third of the time of
     * a loop that reads lines from a pipe. A program with fibers takes every line through them: a read gives
     * the other fibers their turn, as the fibers tests expect.
     */
    @TruffleBoundary
    public TruffleString bufferedInputText() throws IOException {
        InputLines lines;
        synchronized (this) {
            lines = in;
        }
        return lines == null || fibers != null ? null : lines.buffered();
    }

    /** The next line of standard input as a string (readLine), or null at its end; see {@link #readInputLine}. */
    @TruffleBoundary
    public TruffleString readInputText() throws IOException {
        InputLines lines;
        synchronized (this) {
            if (in == null) {
                in = new InputLines(env.in(), out::flush);
            }
            lines = in;
        }
        try {
            return TruffleSafepoint.setBlockedThreadInterruptibleFunction(null, (InputLines reader) -> {
                try {
                    return reader.next();
                } catch (InterruptedIOException e) {
                    // An interrupt while waiting for input: the safepoint runs what interrupted it, and if that
                    // does not end the run, the wait goes on.
                    throw new InterruptedException();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, lines);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Characters of a long line written between two safepoints ({@link #printLine}). */
    private static final int PRINT_PART = 1 << 16;

    /**
     * Prints s and a line break. A long line (the REPL showing a list of millions) goes out in parts with a
     * safepoint between them, so Ctrl-C, a cancel or a time limit stops it at the next part instead of after
     * megabytes at the terminal's pace; the line is ended before the interrupt goes on.
     */
    @TruffleBoundary
    public void printLine(String s) {
        if (s.length() > PRINT_PART) {
            printInParts(s);
        } else {
            out.println(s);
        }
        if (lineBuffered) {
            out.flush();
        }
    }

    private static final byte[] LINE_BREAK = System.lineSeparator().getBytes(StandardCharsets.UTF_8);

    /**
     * Prints a string and a line break: its UTF-8 bytes go to the output as they are. Through {@code println}
     * every line was decoded to a Java string and encoded back by the stream's encoder (with two locks on the
     * way), most of the time of a filter that prints what it reads. A long string goes the Java way, in parts.
     */
    @TruffleBoundary
    public void printLine(TruffleString s) {
        InternalByteArray bytes = s.getInternalByteArrayUncached(Strings.ENCODING);
        if (bytes.getLength() > PRINT_PART) {
            printLine(Strings.java(s));
            return;
        }
        // The stream's own write: it goes after what println put out before (the stream passes each print on to
        // the buffer at once), and a failure (a closed pipe) is the stream's error state, as for println.
        out.write(bytes.getArray(), bytes.getOffset(), bytes.getLength());
        out.write(LINE_BREAK, 0, LINE_BREAK.length);
        if (lineBuffered) {
            out.flush();
        }
    }

    private void printInParts(String s) {
        int at = 0;
        while (s.length() - at > PRINT_PART) {
            int end = at + PRINT_PART;
            if (Character.isHighSurrogate(s.charAt(end - 1))) {
                end--; // a code point is never split between two parts
            }
            out.append(s, at, end);
            at = end;
            try {
                TruffleSafepoint.poll(null);
            } catch (RuntimeException | Error e) {
                out.println();
                out.flush();
                throw e;
            }
        }
        out.append(s, at, s.length());
        out.println();
    }

    @Override
    @TruffleBoundary
    public void flush() {
        out.flush();
    }

    /**
     * {@link #flush} where something was written since the last flush; otherwise only a read of a volatile
     * field, which compiled code does without a call (an extern function flushes before every call of C).
     */
    public void flushIfWritten() {
        if (outBuffer.dirty) {
            flush();
        }
    }

    /**
     * How many programs that declare something have started running in this context (guarded by the
     * execution lock). A program parsed before the latest of them was checked against older declarations
     * and is parsed again before it runs (ProgramLoader).
     */
    public long declarations;

    /**
     * Takes the execution lock at an entry point (a program run, a call from the host). Behind a boundary, so
     * a compiled entry point calls the lock rather than having its code inlined.
     */
    @TruffleBoundary
    public void lockExecution() {
        if (!executionLock.tryLock()) {
            // Waiting for another thread's Osprey code: a cancel (close(true)) or an interrupt of the context
            // reaches this thread while it waits, instead of after its own code has run.
            com.oracle.truffle.api.TruffleSafepoint.setBlockedThreadInterruptible(null, java.util.concurrent.locks.ReentrantLock::lockInterruptibly,
                            executionLock);
            try {
                com.oracle.truffle.api.TruffleSafepoint.poll(null);
            } catch (RuntimeException | Error e) {
                executionLock.unlock();
                throw e;
            }
        }
    }

    @TruffleBoundary
    public void unlockExecution() {
        executionLock.unlock();
    }

    @Override
    public TruffleLanguage.Env env() {
        return env;
    }

    /** The scheduler of this context's fibers, made on first use. */
    public Fibers fibers() {
        Fibers f = fibers;
        if (f == null) {
            synchronized (this) {
                f = fibers;
                if (f == null) {
                    f = new Fibers(this);
                    fibers = f;
                }
            }
        }
        return f;
    }

    public boolean callbacksPossible() {
        return handlersPossible() || processCallbacks.get() > 0;
    }

    public void noteCallbacks() {
        callbacksPossible = true;
    }

    /** spawnProcess started a process: its callback may wake a fiber until {@link #processCallbacksEnded}. */
    public void processCallbacksBegin() {
        processCallbacks.incrementAndGet();
    }

    /**
     * A process's callback will be called no more (its exit event was delivered, or it was cleaned up): if it
     * was the last thing that could wake the program's waiting fibers, their wait fails now rather than hang.
     */
    public void processCallbacksEnded() {
        if (processCallbacks.decrementAndGet() == 0) {
            wakersMayBeGone();
        }
    }

    @Override
    public void callbacksBegin() {
        moduleCallbacks.incrementAndGet();
    }

    @Override
    public void callbacksEnded() {
        if (moduleCallbacks.decrementAndGet() == 0) {
            wakersMayBeGone();
        }
    }

    /**
     * Nothing may call a handler any more, perhaps: if so, a waiting fiber that only a handler could wake fails.
     * Not while the context closes, which stops the servers and connections with the program's fibers waiting.
     */
    private void wakersMayBeGone() {
        Fibers f = fibers;
        if (f != null && !closing && !callbacksPossible()) {
            f.wakersGone();
        }
    }

    /** Threads waiting in awaitProcess: only the thread delivering process events can end their waits. */
    private final java.util.Set<Thread> awaitingProcesses = ConcurrentHashMap.newKeySet();
    /** The thread that calls process callbacks, one at a time (ProcessTable), or null before the first process. */
    private volatile Thread processEventThread;

    /** ProcessTable started the thread that calls process callbacks. */
    public void processEventThread(Thread t) {
        processEventThread = t;
    }

    /** This thread begins ({@code true}) or ends a wait in awaitProcess. */
    public void awaitingProcess(boolean begins) {
        if (begins) {
            awaitingProcesses.add(Thread.currentThread());
        } else {
            awaitingProcesses.remove(Thread.currentThread());
        }
    }

    /** Whether this thread runs process callbacks, so that no other process callback can run while it waits. */
    boolean onProcessEventThread() {
        return processEventThread == Thread.currentThread();
    }

    /** Whether {@code t} waits in awaitProcess, which only the process event thread can end. */
    boolean awaitsProcess(Thread t) {
        return t != null && awaitingProcesses.contains(t);
    }

    /** Whether a handler or callback is being called on another thread than a fiber's (or waits to be). */
    boolean handlersRunning() {
        return handlersRunning.get() > 0;
    }

    /** Whether a WebSocket or HTTP handler may still come (not counting process callbacks). */
    boolean handlersPossible() {
        return callbacksPossible || moduleCallbacks.get() > 0;
    }

    /** The thread of the run executing now (a program, a REPL entry), or null between runs. */
    Thread runThreadOrNull() {
        return runThread;
    }

    /** Whether this thread runs a fiber (not the program's own code), for messages. */
    public boolean inFiber() {
        Fibers f = fibers;
        return f != null && f.ownsThisThread();
    }

    /** Whether this thread runs a fiber or a handler or callback that a builtin was given, for messages. */
    public boolean inCallback() {
        return callbackThreads.contains(Thread.currentThread());
    }

    /** A fiber's thread runs Osprey code: an interrupt of the run (Ctrl-C) stops it as it stops a handler. */
    void enterCallback() {
        callbackThreads.add(Thread.currentThread());
    }

    void leaveCallback() {
        callbackThreads.remove(Thread.currentThread());
    }

    public boolean isClosing() {
        return closing;
    }

    @Override
    @TruffleBoundary
    public Object call(Object function, Object... arguments) {
        FunctionValue f = (FunctionValue) function;
        return f.target.call(f.arguments(arguments));
    }

    @Override
    @TruffleBoundary
    public Object withHandlers(Object function) {
        org.osprey.runtime.EffectHandlers.Frame handlers = language.effectHandlers.get().capture();
        if (handlers == null || !(function instanceof FunctionValue f)) {
            return function;
        }
        return new FunctionValue(f.name, language.handlersKeptTarget(), new Object[] {f, handlers}, f.arity);
    }

    @Override
    @TruffleBoundary
    public Object callFromForeignThread(Object function, Supplier<String> what, Object... arguments) {
        return callFromForeignThread(() -> true, function, what, arguments);
    }

    /**
     * {@link #callFromForeignThread(Object, Supplier, Object...)} if {@code wanted} still holds once this thread
     * has the execution lock, else nothing (null). A decision the program makes while it runs, such as
     * cleanupProcess, is taken under that lock: a caller that checked it before waiting for the lock would
     * deliver a call the program had just cancelled.
     */
    @TruffleBoundary
    public Object callFromForeignThread(java.util.function.BooleanSupplier wanted, Object function, Supplier<String> what, Object... arguments) {
        if (closing) {
            return null;
        }
        TruffleContext tc = env.getContext();
        Object prev;
        try {
            prev = tc.enter(null);
        } catch (Throwable t) {
            if (!closing && t instanceof IllegalStateException && !tc.isClosed() && !tc.isCancelling() && !tc.isExiting()) {
                // Not closing: a language of the embedder's context that allows one thread at a time (JavaScript)
                // while another thread is in the context ("Multi threaded access ... not allowed for language(s)
                // js"). The call is lost; say so rather than drop it silently.
                err.println("error: " + what.get() + ": not run, as this thread may not enter the context: " + t.getMessage());
            }
            return null; // the context is closed or cancelled
        }
        handlersRunning.incrementAndGet();
        try {
            executionLock.lockInterruptibly();
            int depth = callDepth;
            Thread self = Thread.currentThread();
            callbackThreads.add(self);
            try {
                if (closing || !wanted.getAsBoolean()) {
                    return null;
                }
                // A handler's call is a fiber of its own for modules (spec 0011): it starts with no instances, and
                // those it makes go with it, whichever of the library's threads runs it.
                org.osprey.runtime.ModuleInstances.Holder modules = language.moduleInstances.get();
                org.osprey.runtime.ModuleInstances before = modules.begin();
                try {
                    return call(function, arguments);
                } finally {
                    modules.end(before);
                }
            } catch (org.osprey.runtime.StackOverflowUnwind e) {
                throw e.error;
            } finally {
                callbackThreads.remove(self);
                callDepth = depth;
                out.flush();
                executionLock.unlock();
            }
        } catch (AbstractTruffleException e) {
            if (!closing && !(e instanceof RunInterrupted)) { // Ctrl-C stopped it: the REPL says so once
                reportCallbackFailure(what.get(), e);
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Throwable t) {
            // A cancelled or exiting context unwinds with a ThreadDeath; a guest stack overflow with an Error.
            // Neither may escape into the library's event loop (design/threads.md).
            if (!closing && t instanceof StackOverflowError) {
                // The Java stack ran out before the call-depth limit (a handler's thread has a smaller stack than
                // the program's, and interpreted calls take more of it): no place is known, the handler is.
                String name = function instanceof FunctionValue f && f.name != null ? " in function '" + f.name + "'" : "";
                err.println("error" + name + ": " + what.get() + ": stack overflow (recursion is too deep for the handler's thread)");
            } else if (!closing && t instanceof OutOfMemoryError) {
                err.println("error: " + what.get() + ": out of memory (" + t.getMessage() + ")");
            } else if (!closing && !(t instanceof ThreadDeath)) {
                // An interpreter bug: say so on one line rather than let the handler vanish silently.
                err.println("error: " + what.get() + ": internal error in the interpreter: " + t);
            }

            return null;
        } finally {
            // A handler that ran on after what called it ended (a server stopped from it) may have been what a
            // waiting fiber was left to hear from (Fibers.wakersGone).
            if (handlersRunning.decrementAndGet() == 0) {
                wakersMayBeGone();
            }
            tc.leave(null, prev);
        }
    }

    /**
     * "FILE:LINE:COL: ", the start of a message about a place in the program; "" without one. A REPL entry
     * (its URI osprey-repl-entry:N, given by the launcher) is {@code <repl entry N>}: such a message comes
     * between entries or during a later one (a handler's fault), where {@code <repl>} would mean the entry
     * just typed.
     */
    public static String place(com.oracle.truffle.api.source.SourceSection at) {
        if (at == null) {
            return "";
        }
        com.oracle.truffle.api.source.Source source = at.getSource();
        String name = source.getName();
        java.net.URI uri = source.getURI();
        if (uri != null && org.osprey.tooling.SourceInfo.ENTRY_URI_SCHEME.equals(uri.getScheme())) {
            name = "<repl entry " + uri.getSchemeSpecificPart() + ">";
        }
        int column = at.isAvailable() && source.hasCharacters() ? org.osprey.tooling.SourceInfo.shownColumn(source.getCharacters(), at.getCharIndex())
                        : at.getStartColumn();
        return name + ":" + org.osprey.tooling.SourceInfo.shownLine(uri, at.getStartLine()) + ":" + column + ": ";
    }

    @TruffleBoundary
    private void reportCallbackFailure(String what, AbstractTruffleException e) {
        err.println(placeOf(e) + "error" + inFunction(e) + ": " + what + ": " + messageOf(e));
    }

    /**
     * A fiber's failure that nobody awaited, said when the program's own code fails after it (Fibers.abandonRun):
     * the failure of the program is reported by the launcher and ends the run, where the fiber's would have
     * been reported at the run's end. Its message already names the function and the fiber.
     */
    void reportFiberFailure(RuntimeException e) {
        if (e instanceof AbstractTruffleException t) {
            out.flush();
            err.println(placeOf(t) + "error: " + messageOf(t));
        }
    }

    private static String messageOf(AbstractTruffleException e) {
        try {
            return InteropLibrary.getUncached().asString(InteropLibrary.getUncached().getExceptionMessage(e));
        } catch (Exception ex) {
            return String.valueOf(e.getMessage());
        }
    }

    /** Where {@code e} happened, as "file:line:col: ", or "" where it has no place. */
    private String placeOf(AbstractTruffleException e) {
        String where = "";
        try {
            InteropLibrary interop = InteropLibrary.getUncached();
            if (interop.hasSourceLocation(e)) {
                where = place(interop.getSourceLocation(e));
            } else {
                // A Java or JavaScript function's failure has no Osprey place: the Osprey call of it is the place.
                com.oracle.truffle.api.TruffleStackTraceElement frame = ospreyFrame(e);
                Node call = frame == null ? null : frame.getLocation();
                where = call == null ? "" : place(call.getEncapsulatingSourceSection());
            }
        } catch (Exception ex) {
            where = "";
        }
        return where;
    }

    /**
     * The innermost frame of Osprey's own code in e's stack: a Java callback's failure has the host's frames above
     * it, which are named by Java methods (org.graalvm.polyglot.proxy.ProxyExecutable.execute), and the frame of
     * the call into it (ForeignCallRootNode, "<foreign function>"); null where there is none.
     */
    private static com.oracle.truffle.api.TruffleStackTraceElement ospreyFrame(AbstractTruffleException e) {
        java.util.List<com.oracle.truffle.api.TruffleStackTraceElement> trace = com.oracle.truffle.api.TruffleStackTrace.getStackTrace(e);
        if (trace == null) {
            return null;
        }
        for (com.oracle.truffle.api.TruffleStackTraceElement frame : trace) {
            com.oracle.truffle.api.nodes.RootNode root = frame.getTarget().getRootNode();
            // An internal root (the adapter of a function used as a value) is no function of the program's.
            if (root.getLanguageInfo() != null && OspreyLanguage.ID.equals(root.getLanguageInfo().getId())
                            && !(root instanceof org.osprey.nodes.call.ForeignCallRootNode) && !root.isInternal()) {
                return frame;
            }
        }
        return null;
    }

    /**
     * " in function 'f'" for the function a failure happened in, as a fault of the main program is reported
     * (the launcher's Runner); "" when it is not known or is the program's top level.
     */
    static String inFunction(AbstractTruffleException e) {
        try {
            com.oracle.truffle.api.TruffleStackTraceElement frame = ospreyFrame(e);
            if (frame == null) {
                return "";
            }
            return org.osprey.tooling.SourceInfo.inFunction(frame.getTarget().getRootNode().getName());
        } catch (RuntimeException ex) {
            return "";
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T state(Class<T> key, Supplier<T> create) {
        return (T) states.computeIfAbsent(key, k -> create.get());
    }

    @Override
    public synchronized void onClose(Runnable cleanup) {
        closeHooks.add(cleanup);
    }

    @Override
    @TruffleBoundary
    public void waitUntil(BooleanSupplier done, long poll) {
        waitReleased(() -> TruffleSafepoint.setBlockedThreadInterruptible(null, (BooleanSupplier d) -> {
            while (true) {
                long seen = wakes;
                if (d.getAsBoolean() || closing) {
                    return;
                }
                nap(seen, poll * 1_000_000L);
            }
        }, done));
    }

    /**
     * sleep's wait: until {@code deadline} (a {@link System#nanoTime} value, compared by difference, so that it
     * may have wrapped around), with the execution lock released, ended early by the context's closing, and
     * stopped by Ctrl-C, an interrupt or a cancel as waitUntil is. The thread sleeps the whole time left in one
     * nap.
     */
    @TruffleBoundary
    public void sleepUntil(long deadline) {
        waitReleased(() -> TruffleSafepoint.setBlockedThreadInterruptible(null, (Long end) -> {
            long left;
            while (!closing && (left = end - System.nanoTime()) > 0) {
                nap(wakes, left);
            }
        }, deadline));
    }

    /** Naps up to {@code nanos}, unless a wake came since {@code seen} was read or the context is closing. */
    private void nap(long seen, long nanos) throws InterruptedException {
        synchronized (naps) {
            if (wakes == seen && !closing && nanos > 0) {
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(naps, nanos);
            }
        }
    }

    /** Wakes every wait of this context to look at what it waits for. */
    private void wakeWaits() {
        synchronized (naps) {
            wakes++;
            naps.notifyAll();
        }
    }

    /**
     * The thread sleeps in the latch until it opens or the deadline passes: nothing wakes it to look meanwhile
     * (websocketClose checked every 2 ms for the server's answer, for up to 5 s). Unlike waitUntil's checks, the
     * context's closing does not end it: whatever the wait is for must open the latch or let the deadline come,
     * as a closing context's modules do when they close their connections.
     */
    @Override
    @TruffleBoundary
    public boolean await(java.util.concurrent.CountDownLatch latch, long deadline) {
        waitReleased(() -> TruffleSafepoint.setBlockedThreadInterruptible(null, (java.util.concurrent.CountDownLatch l) -> {
            l.await(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        }, latch));
        return latch.getCount() == 0;
    }

    /** Runs a wait with the output flushed, the execution lock released and this fiber away ({@link #blocking}). */
    private void waitReleased(Runnable wait) {
        blocking(() -> {
            wait.run();
            return null;
        });
    }

    @Override
    @TruffleBoundary
    public void waitForEnd(BooleanSupplier over) {
        java.util.concurrent.atomic.AtomicBoolean signalled = new java.util.concurrent.atomic.AtomicBoolean();
        // In the REPL, Ctrl-C belongs to the session: it interrupts this entry, which unwinds from the wait.
        // A handler running at the signal is stopped: one in an endless loop would hold the execution lock this
        // wait needs back, and the program could not end (a handler that starts later and never ends needs a
        // second Ctrl-C).
        // Embedded (no osprey.Signals), the JVM's signals are the application's: taking them kept a SIGTERM from
        // shutting the application down. The wait ends when the context is closed, cancelled or interrupted.
        Runnable restore = interactive || !takesSignals ? () -> {
        } : Signals.onInterrupt(() -> {
            signalled.set(true);
            stopCallbacks();
            wakeWaits();
        });
        try {
            // The signal and the context's closing wake the wait; a module's own 'over' is looked at then and
            // once a second. (It looked at all three every 20 ms: an idle server woke 50 times a second.)
            waitUntil(() -> signalled.get() || over.getAsBoolean(), 1000);
        } finally {
            restore.run();
        }
    }

    @Override
    @TruffleBoundary
    public <T> T blocking(java.util.function.Supplier<T> action) {
        out.flush();
        return blockingWithoutFlush(action);
    }

    /**
     * {@link #blocking} for an action that flushes the output itself when it is about to wait: a line of
     * standard input (readInputLine) flushes only when none is read yet. A filter reading and printing line
     * by line made a write of each line (100,000 system calls for 100,000 lines) because of the flush here.
     */
    @TruffleBoundary
    public <T> T blockingWithoutFlush(java.util.function.Supplier<T> action) {
        int holds = executionLock.isHeldByCurrentThread() ? executionLock.getHoldCount() : 0;
        for (int i = 0; i < holds; i++) {
            executionLock.unlock();
        }
        Fibers fs = fibers;
        org.osprey.runtime.FiberValue away = fs != null ? fs.goAway() : null;
        int depth = callDepth;
        try {
            return action.get();
        } finally {
            if (away != null) {
                fs.comeBack(away);
                callDepth = depth;
            }
            for (int i = 0; i < holds; i++) {
                executionLock.lock();
            }
        }
    }

    @Override
    @TruffleBoundary
    public void interruptible() {
        TruffleSafepoint.poll(null);
    }

    @Override
    public String option(String key) {
        return env.getOptions().get(OspreyLanguage.PLUGIN_OPTIONS).get(key);
    }

    // ---------------------------------------------------------------- runs and their interruption

    /**
     * A program run or REPL entry starts on this thread (ProgramRootNode); returns its number. Nested runs
     * (an embedder evaluating from inside a callback) keep the outer run as the one an interrupt stops.
     */
    @TruffleBoundary
    public synchronized long beginRun() {
        long run = ++runs;
        if (runThread == null) {
            runThread = Thread.currentThread();
            currentRun = run;
            if (stopNextRun) {
                stopNextRun = false;
                stoppedBeforeBegin = run;
            }
            int wait = env.getOptions().get(OspreyLanguage.FIRST_COMPILATION_WAIT);
            if (run == 1 && wait > 0 && !interactive) {
                CompilationWait.watch(env, runThread, wait, () -> currentRun == run);
            }
        }
        return run;
    }

    /**
     * Stops the run that has just begun if the REPL asked its entry to stop before then ({@link #interruptEntry}),
     * before any of its statements runs.
     */
    @TruffleBoundary
    public synchronized void stopIfAskedBefore(long run) {
        if (stoppedBeforeBegin == run) {
            interruptedRun.set(run); // a request delivered to the run's thread as well stops nothing more
            throw new RunInterrupted(run);
        }
    }

    /** The run started by {@link #beginRun} ended, normally or not. */
    @TruffleBoundary
    public synchronized void endRun(long run) {
        if (currentRun == run) {
            currentRun = 0;
            runThread = null;
        }
    }

    @Override
    public long run() {
        long now = currentRun;
        if (now != 0) {
            return now;
        }
        synchronized (this) {
            return runs;
        }
    }

    @Override
    public boolean interactive() {
        return interactive;
    }

    @Override
    public boolean takesSignals() {
        return takesSignals;
    }

    @Override
    public synchronized void onInterrupted(LongConsumer stop) {
        interruptHooks.add(stop);
    }

    /**
     * Asks the run executing now to stop (the REPL's Ctrl-C), from any thread, without waiting: the run's
     * thread throws {@link RunInterrupted} at its next safepoint (a loop's back edge, a call, or a wait in
     * sleep, awaitProcess or websocketKeepAlive). Returns the run's number, or 0 if none is executing.
     * A handler or callback running Osprey code at that moment (on a server's or the process dispatcher's
     * thread) is stopped too, so a handler in an endless loop cannot keep the entry from ending; it was
     * holding the execution lock the entry needs. Unlike Context.interrupt, idle threads are left alone
     * and nothing waits for them: servers started by earlier entries go on serving.
     */
    @TruffleBoundary
    public synchronized long interruptRun() {
        Thread thread = runThread;
        long run = currentRun;
        if (thread == null || run == 0) {
            // The entry has not begun: it may be waiting for the execution lock, held by a handler that never
            // ends (an endless loop). That handler is stopped, so the entry can begin and be interrupted.
            stopCallbacks();
            return 0;
        }
        List<Thread> targets = new ArrayList<>();
        targets.add(thread);
        for (Thread t : callbackThreads) {
            if (t != thread) {
                targets.add(t);
            }
        }
        env.submitThreadLocal(targets.toArray(new Thread[0]), new ThreadLocalAction(true, false) {
            @Override
            protected void perform(Access access) {
                if (currentRun != run) {
                    return; // delivered late, after the run ended
                }
                Thread self = Thread.currentThread();
                if (self == thread ? interruptedRun.getAndSet(run) != run : callbackThreads.contains(self)) {
                    throw new RunInterrupted(run);
                }
            }
        });
        return run;
    }

    /**
     * Asks the REPL's entry being evaluated to stop (its Ctrl-C), from any thread, without waiting: the run
     * executing now as {@link #interruptRun} does; an entry whose run has not begun (still being checked, or
     * waiting for the execution lock that a handler in an endless loop holds, which is stopped) stops as its
     * run begins, before any of its statements runs. Returns the run's number, or -1 when the stop waits for
     * the run to begin; the REPL takes such a stop back with {@link #forgetEntryInterrupt} once the entry is
     * over, for an entry that never ran (a type error).
     */
    @TruffleBoundary
    public synchronized long interruptEntry() {
        if (runThread != null && currentRun != 0) {
            return interruptRun();
        }
        stopCallbacks();
        stopNextRun = true;
        return -1;
    }

    /** The entry that {@link #interruptEntry} was for is over: a stop its run did not take is dropped. */
    public synchronized void forgetEntryInterrupt() {
        stopNextRun = false;
    }

    @Override
    @TruffleBoundary
    public void stopCallbacks() {
        Thread[] targets = callbackThreads.toArray(new Thread[0]);
        if (targets.length == 0) {
            return;
        }
        env.submitThreadLocal(targets, new ThreadLocalAction(true, false) {
            @Override
            protected void perform(Access access) {
                Fibers fs = fibers;
                // A fiber waiting for its turn runs no Osprey code: Ctrl-C at the prompt stopped every fiber
                // of the session, which later entries could then no longer receive from or await.
                if (callbackThreads.contains(Thread.currentThread()) && (fs == null || !fs.parkedHere())) {
                    throw new RunInterrupted(0); // callFromForeignThread drops it without a message
                }
            }
        });
    }

    @Override
    @TruffleBoundary
    public void stopCallbacksOn(java.util.Collection<Thread> threads) {
        Thread self = Thread.currentThread();
        Thread[] targets = threads.stream().filter(t -> t != null && t != self && callbackThreads.contains(t)).toArray(Thread[]::new);
        if (targets.length == 0) {
            return;
        }
        java.util.Set<Thread> chosen = java.util.Set.of(targets);
        env.submitThreadLocal(targets, new ThreadLocalAction(true, false) {
            @Override
            protected void perform(Access access) {
                Thread t = Thread.currentThread();
                if (chosen.contains(t) && callbackThreads.contains(t)) {
                    throw new RunInterrupted(0); // callFromForeignThread drops it without a message
                }
            }
        });
    }

    /**
     * The run was interrupted: plugins stop what it started (servers, connections, processes). Called on the
     * run's thread before the interruption reaches the host, so the prompt comes back only after they stopped.
     */
    @TruffleBoundary
    public void interrupted(long run) {
        List<LongConsumer> hooks;
        synchronized (this) {
            hooks = new ArrayList<>(interruptHooks);
        }
        for (int i = hooks.size() - 1; i >= 0; i--) {
            try {
                hooks.get(i).accept(run);
            } catch (RuntimeException e) {
                err.println("error: while stopping what the interrupted entry started: " + e.getMessage());
            }
        }
        out.flush();
    }

    /** Stops what plugins started; called when the context closes. */
    void close() {
        closing = true;
        wakeWaits();
        List<Runnable> hooks;
        synchronized (this) {
            hooks = new ArrayList<>(closeHooks);
            closeHooks.clear();
        }
        for (int i = hooks.size() - 1; i >= 0; i--) {
            try {
                hooks.get(i).run();
            } catch (RuntimeException e) {
                err.println("error: while closing: " + e.getMessage());
            }
        }
        out.flush();
        org.osprey.tooling.ProgramOutput.unregister(out);
    }
}
