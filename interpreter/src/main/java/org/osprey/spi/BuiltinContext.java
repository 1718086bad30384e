package org.osprey.spi;

import java.io.PrintStream;
import java.util.function.Supplier;

import com.oracle.truffle.api.TruffleLanguage;

/** What a builtin can reach in the running program's context. */
public interface BuiltinContext {
    /** The program's standard output (buffered; flushed at the end, before blocking, and after callbacks). */
    PrintStream out();

    PrintStream err();

    /**
     * A line of standard input without its end ({@code \n} or {@code \r\n}), or null at the end of the
     * input; an IOException for a line that is not UTF-8 (the next call reads the line after it). An interrupt of the run
     * (Ctrl-C in the REPL) stops the wait where the stream's reads can be interrupted, as the REPL
     * terminal's can.
     */
    String readInputLine() throws java.io.IOException;

    /** Flushes the program's output, e.g. before blocking. */
    void flush();

    /** The Truffle environment: files, threads, options. */
    TruffleLanguage.Env env();

    /** Calls an Osprey function value on the current thread, which must be in the context. */
    Object call(Object function, Object... arguments);

    /**
     * Calls an Osprey function value from a thread of your own (a library's event thread): enters the
     * context, takes the context's execution lock (one Osprey thread at a time), calls, and reports a
     * failure on stderr instead of throwing. Returns the result, or null if the call failed or the context
     * is closing. {@code what} is read only to report a failure: a null result without it read is a call
     * that was stopped ({@link #stopCallbacks}, an interrupt) or not made (the context closing).
     */
    Object callFromForeignThread(Object function, Supplier<String> what, Object... arguments);

    /**
     * The function value to keep for calling later from a thread of your own: it runs under the effect
     * handlers (spec 0017) in force now, on the program's thread, as the program expects of a function written
     * inside {@code handle E ... in}; a thread of a library's starts with none. Call it where the builtin
     * receives the function. Returns the function itself when no handler is in force.
     */
    default Object withHandlers(Object function) {
        return function;
    }

    /** {@link #callFromForeignThread(Object, Supplier, Object...)} with a fixed description. */
    default Object callFromForeignThread(Object function, String what, Object... arguments) {
        return callFromForeignThread(function, () -> what, arguments);
    }

    /**
     * For a module that {@linkplain BuiltinRegistry#countsCallbacks counts its callbacks}: from now on one of its
     * handlers may be called (a server listens with a handler, a connection with a handler opens). Each call is
     * ended by one {@link #callbacksEnded}.
     */
    default void callbacksBegin() {
    }

    /**
     * What one {@link #callbacksBegin} announced will call no handler any more (the server stopped and its threads
     * ended, the connection closed and its close handler returned). When nothing else can wake the program's
     * waiting fibers, the wait that began last fails as a deadlock, as it would had nothing been announced.
     */
    default void callbacksEnded() {
    }

    /** Per-context state of a module, created on first use. */
    <T> T state(Class<T> key, Supplier<T> create);

    /** Runs when the context closes (program end, REPL reset, embedder close), before threads are stopped. */
    void onClose(Runnable cleanup);

    /**
     * Blocks the calling Osprey thread until {@code done} returns true or the context is cancelled, letting
     * other threads run Osprey code meanwhile (the context's lock is released while waiting). {@code poll}
     * is how often to re-check, in milliseconds.
     */
    void waitUntil(java.util.function.BooleanSupplier done, long poll);

    /**
     * {@link #waitUntil} for a wait that a latch ends: blocks until {@code latch} is open or {@code deadline} (a
     * {@link System#nanoTime} value) has passed, with the execution lock released, and Ctrl-C, an interrupt or a
     * cancel stopping the program there, as waitUntil does; but asleep until the latch opens, where waitUntil
     * wakes every {@code poll} milliseconds to check. True when the latch is open.
     */
    default boolean await(java.util.concurrent.CountDownLatch latch, long deadline) {
        waitUntil(() -> latch.getCount() == 0 || System.nanoTime() - deadline >= 0, 1);
        return latch.getCount() == 0;
    }

    /**
     * Waits until the program is told to end, letting handlers on other threads run meanwhile (as
     * {@link #waitUntil}), for a keep-alive builtin such as websocketKeepAlive. In {@code osprey run}
     * ({@link #takesSignals}) the wait ends at SIGINT (Ctrl-C) or SIGTERM, and the handlers running at that
     * moment are stopped ({@link #stopCallbacks}): every wait of every module hears the one signal. In the
     * REPL Ctrl-C interrupts the entry instead, which unwinds from the wait; in an application that embeds
     * Osprey the wait ends when the context is closed, cancelled or interrupted. It also ends as soon as
     * {@code over} is true (the module's state closed). Returns normally after a signal or {@code over}.
     */
    void waitForEnd(java.util.function.BooleanSupplier over);

    /**
     * Runs a blocking action (a connect, a server stop) with the context's execution lock released, so that
     * handlers on other threads can run meanwhile, and returns its result. The action must end by itself:
     * give it a timeout.
     */
    <T> T blocking(java.util.function.Supplier<T> action);

    /**
     * Lets an interrupt (Ctrl-C in the REPL, a cancel, a time limit) that arrived during a {@link #blocking}
     * action stop the run now, by throwing out of the builtin; call it once what the action started is
     * recorded or cleaned up. Without it the run would go on to its next loop or call first.
     */
    default void interruptible() {
    }

    /**
     * The run this call belongs to: a program has one run; in the REPL every entry is a run, numbered from
     * 1. A call from a handler thread belongs to the entry executing at that moment (or to the last one).
     * Record it with what a builtin starts (a server, a connection, a process) to stop those things in
     * {@link #onInterrupted}.
     */
    long run();

    /**
     * Runs when a run is interrupted (Ctrl-C on a REPL entry), on that run's thread, with its number from
     * {@link #run()}: stop what the run started, and return once it is stopped. What earlier entries started
     * keeps running. The context stays open; {@link #onClose} still runs at its end.
     */
    void onInterrupted(java.util.function.LongConsumer stop);

    /**
     * Stops every handler or callback that is running Osprey code at this moment on another thread: each
     * unwinds at its next safepoint (a call, a loop's back edge, a wait in sleep) without an error message,
     * and its thread returns to the library. For a program that was told to end (websocketKeepAlive's signal):
     * a handler in an endless loop holds the execution lock the program needs to stop its servers. May be
     * called from any thread, e.g. a signal handler; does not wait.
     */
    void stopCallbacks();

    /**
     * {@link #stopCallbacks()} for the handlers running on these threads only (a server's threads as it stops),
     * leaving the calling thread's own handler alone. Does not wait.
     */
    default void stopCallbacksOn(java.util.Collection<Thread> threads) {
    }

    /**
     * True in a REPL session: there Ctrl-C interrupts the running entry (see {@link #onInterrupted}) and
     * must not be taken over as a signal by a builtin.
     */
    boolean interactive();

    /**
     * True where the program may take the process's SIGINT and SIGTERM (osprey run sets the option
     * osprey.Signals). In an application that embeds Osprey the JVM's signals are the application's: a builtin
     * that took them there kept a SIGTERM from shutting the application down.
     */
    boolean takesSignals();

    /** A setting of a builtins module: {@code option("websocket.MaxMessageSize")} reads osprey.Plugin.websocket.MaxMessageSize. */
    String option(String key);
}
