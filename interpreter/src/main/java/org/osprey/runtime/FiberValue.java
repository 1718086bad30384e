package org.osprey.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

/**
 * {@code Fiber<T>} (spec 0011): a computation that runs on a thread of its own, one fiber at a time, taking
 * turns with the others (org.osprey.Fibers). Its fields belong to the scheduler and are read and written
 * under its lock; {@link #turn} is how the scheduler tells the fiber's thread that it may run.
 */
@ExportLibrary(InteropLibrary.class)
public final class FiberValue implements TruffleObject {
    public enum State {
        /** Spawned, its thread not started yet. */
        NEW,
        /** In the queue for a turn. */
        READY,
        /** Has the turn. */
        RUNNING,
        /** Waiting for a channel or another fiber, in no queue: a send, a receive or an end wakes it. */
        WAITING,
        /** Gave up its turn for a wait outside the scheduler (sleep, input, a server's keep-alive). */
        AWAY,
        DONE,
        FAILED
    }

    /** 0 for a program's own thread; spawned fibers count from 1 in each context. */
    public final int id;
    /** What the fiber computes: a function of no parameters. Null for a program's own thread. */
    public final FunctionValue body;
    public Thread thread;
    public State state;
    public Object value;
    public RuntimeException failure;
    /** A failure someone has seen (an await), or that was reported at the end of a run. */
    public boolean failureSeen;
    /** Set when the fiber must stop (the context closes, Ctrl-C); its thread unwinds when it next waits. */
    public volatile boolean killed;
    /**
     * Its thread waits for its turn or for the execution lock, running no Osprey code; set and read on that
     * thread only (Fibers.parkedHere).
     */
    public boolean parked;
    /** Released once each time the fiber is given the turn. */
    public final Semaphore turn = new Semaphore(0);
    /** Those waiting for this fiber to end. */
    public final List<Waiter> awaiting = new ArrayList<>();
    /** The context's call depth while this fiber was away. */
    public int depth;

    /** Its type where it was spawned ({@code Fiber<int>}) and its context, as for a channel (ChannelValue). */
    public final org.osprey.types.Type type;
    public final Object context;

    public FiberValue(int id, FunctionValue body, org.osprey.types.Type type, Object context) {
        this.id = id;
        this.body = body;
        this.type = type;
        this.context = context;
        this.state = State.NEW;
    }

    public boolean ended() {
        return state == State.DONE || state == State.FAILED;
    }

    /**
     * One party waiting for a channel or a fiber: a fiber (then waking it queues it for a turn) or a thread
     * outside the scheduler, a WebSocket handler's (then it polls {@link #done}).
     */
    public static final class Waiter {
        public final FiberValue fiber;
        /** What a send offers, or what a receive got. */
        public Object value;
        public volatile boolean done;
        /** Gave up waiting (interrupted), or another operation of its select completed: passed by. */
        public boolean cancelled;
        /** For one operation of a select: the waiter standing for the whole select, and this one's arm. */
        public Waiter group;
        public int arm;
        /** For one operation of a select: the channel whose queue holds it. */
        public ChannelValue channel;
        /** For the waiter of a whole select: its operations' waiters, and the arm whose operation completed. */
        public java.util.List<Waiter> operations;
        public int chosen = -1;
        /** Woken because nothing could ever complete it (every other fiber ended or waits): the wait fails. */
        public boolean deadlocked;

        /** What it waits for, as a deadlock of a fiber that awaits this one says it: "to receive from a channel". */
        public final String what;

        public Waiter(FiberValue fiber, Object value, String what) {
            this.fiber = fiber;
            this.value = value;
            this.what = what;
        }
    }

    @Override
    @TruffleBoundary
    public String toString() {
        return Display.show(this);
    }

    @ExportMessage
    boolean hasLanguage() {
        return true;
    }

    @ExportMessage
    Class<? extends com.oracle.truffle.api.TruffleLanguage<?>> getLanguage() {
        return org.osprey.OspreyLanguage.class;
    }

    @ExportMessage
    boolean hasMetaObject() {
        return true;
    }

    @ExportMessage
    Object getMetaObject() {
        return MetaType.FIBER;
    }

    @ExportMessage
    @TruffleBoundary
    Object toDisplayString(boolean allowSideEffects) {
        return Display.show(this);
    }
}
