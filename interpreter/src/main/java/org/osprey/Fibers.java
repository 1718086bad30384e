package org.osprey;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.TruffleSafepoint;
import com.oracle.truffle.api.exception.AbstractTruffleException;
import com.oracle.truffle.api.interop.ExceptionType;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.UnsupportedMessageException;

import org.osprey.runtime.ChannelValue;
import org.osprey.runtime.FiberValue;
import org.osprey.runtime.FiberValue.State;
import org.osprey.runtime.FiberValue.Waiter;
import org.osprey.runtime.FunctionValue;
import org.osprey.runtime.OspreyError;
import org.osprey.runtime.Results;
import org.osprey.runtime.Strings;
import org.osprey.spi.BuiltinException;

/**
 * The fibers of one context (spec 0011): each runs on a thread of its own, and they take turns. The program's
 * own thread takes part as one more fiber while a run lasts. Exactly one of them has the turn at a time; it
 * keeps it until it waits (await, a receive or send that cannot complete, yield, or a builtin that waits
 * outside, as sleep and websocketKeepAlive do), and the turn goes to the fiber that has been ready longest.
 * So the order of what fibers do is decided by the program alone, the same in every run, unless something
 * outside (a timer, a WebSocket message) wakes one. Threads of the WebSocket library and the process
 * dispatcher, which run handlers, take no turns: they use channels and fibers as outsiders, and the
 * context's execution lock alone keeps them from running Osprey code at the same time as a fiber.
 *
 * <p>A run (a program, a REPL entry) waits at its end for every fiber that can still run. A fiber that waits
 * for something that can never come (a channel nobody will send to) is left waiting and stopped when the
 * context closes. Waiting with no other fiber able to run, nothing away and no handler able to wake anyone
 * is a deadlock: the wait fails at once instead of hanging.
 *
 * <p>Everything here is done under this object's lock; fiber threads wait for their turn on their own
 * semaphore, outside it, with the execution lock released.
 */
public final class Fibers {
    /** The thread stack of a fiber: recursion in a fiber goes as deep as in a handler, not as in main. */
    private static final long STACK_BYTES = 256L << 20;

    private final OspreyContext context;
    /** The fiber of the thread that runs programs and REPL entries. */
    private final FiberValue main = new FiberValue(0, null, null, null);
    private final ThreadLocal<FiberValue> self = new ThreadLocal<>();
    private final ArrayDeque<FiberValue> ready = new ArrayDeque<>();
    /**
     * Every fiber not ended, for closing, and those that failed, for the end of the run; one that ends well
     * leaves at once, so that a long run (a server spawning a fiber per message) does not keep them all.
     */
    private final java.util.LinkedHashSet<FiberValue> live = new java.util.LinkedHashSet<>();
    /** Every fiber thread that may not have ended yet: the context may close only after each has. */
    private final List<Thread> threads = new ArrayList<>();
    /** When {@link #threads} is this long, the threads that have ended leave it (a long run makes many). */
    private int pruneThreadsAt = 64;
    /** How many fiber threads alive at once are platform threads (osprey.FiberPlatformThreads); more are virtual. */
    private final int platformLimit;
    /** The platform threads among them now, under the lock. */
    private int platformThreads;
    /** The fiber with the turn, or null; volatile for the read in {@link #switchOut}. */
    private volatile FiberValue current;
    /** The program's own fiber, waiting at the end of its run for the others: it gets the turn when nobody else can. */
    private FiberValue draining;
    /**
     * The fibers waiting for a channel or a fiber, with what they wait for, in the order they began: when the
     * last fiber able to run ends, the one that began waiting last is woken to fail (its wait can never end).
     */
    private final java.util.LinkedHashMap<FiberValue, Waiter> blocked = new java.util.LinkedHashMap<>();
    /** Fibers away from their turn in a wait outside (sleep, input): they will want it back. */
    private int away;
    private int spawned;
    private boolean closed;

    Fibers(OspreyContext context) {
        this.context = context;
        // Before JDK 24 a virtual thread blocked inside a synchronized block keeps its carrier (JEP 491), and
        // with one carrier per core a few such fibers could stop all the others: platform threads only there.
        this.platformLimit = Runtime.version().feature() >= 24 ? context.env.getOptions().get(OspreyLanguage.FIBER_PLATFORM_THREADS) : Integer.MAX_VALUE;
        main.state = State.WAITING;
        context.onInterrupted(run -> stopAll());
        context.onClose(this::close);
    }

    // ---------------------------------------------------------------- what the language does

    /** {@code spawn}: a new fiber, queued for its first turn. */
    @TruffleBoundary
    public FiberValue spawn(FunctionValue body, org.osprey.types.Type type) {
        if (!context.env.isCreateThreadAllowed()) {
            // An embedder's context made without Context.Builder.allowCreateThread(true): a fiber is a thread.
            throw new BuiltinException("spawn: this context may not create threads, which fibers run on (an embedding application allows it with allowCreateThread(true))");
        }
        self(); // the program's thread takes the turn first, so the new fiber waits for it
        FiberValue f;
        synchronized (this) {
            if (closed) {
                throw new BuiltinException("spawn: the program is ending");
            }
            f = new FiberValue(++spawned, body, type, context);
            live.add(f);
            if (current == null) {
                giveTurn(f);
            } else {
                f.state = State.READY;
                ready.add(f);
            }
        }
        return f;
    }

    /** {@code await(fiber)}: its value once it has ended; its failure, if it failed, is this one's. */
    @TruffleBoundary
    public Object await(FiberValue f) {
        FiberValue me = self();
        if (me == f) {
            throw new BuiltinException("await: a fiber cannot wait for itself");
        }
        Waiter w;
        synchronized (this) {
            if (!f.ended()) {
                w = new Waiter(me, null, "for fiber " + f.id + " to end");
                f.awaiting.add(w);
            } else {
                w = null;
            }
        }
        if (w != null) {
            try {
                wait(me, w, () -> "await: fiber " + f.id + " can never end: it is waiting" + waitingFor(f) + ", and no other fiber can run",
                                () -> f.awaiting.remove(w));
            } catch (Deadlock d) {
                throw new BuiltinException(d.getMessage());
            }
        }
        synchronized (this) {
            if (f.state == State.FAILED) {
                f.failureSeen = true;
                live.remove(f);
                if (f.failure instanceof org.osprey.runtime.RunInterrupted stopped && stopped.run != context.run()) {
                    // Ctrl-C stopped it while an earlier entry ran. Thrown again, it said 'interrupted' for this
                    // entry, which nobody interrupted; awaitProcess says the same of a process so stopped.
                    throw new BuiltinException("await: fiber " + f.id + " was stopped when the entry running then was interrupted");
                }
                throw again(f.failure);
            }
            return f.value;
        }
    }

    /** Under the lock: what a fiber that cannot end waits for (" to receive from a channel"), or nothing if not known. */
    private String waitingFor(FiberValue f) {
        Waiter w = blocked.get(f);
        return w != null ? " " + w.what : "";
    }

    /** {@code yield()}: lets every fiber that is ready have its turn first. */
    @TruffleBoundary
    public void yieldTurn() {
        FiberValue me = self();
        if (me == null) {
            return;
        }
        synchronized (this) {
            if (ready.isEmpty()) {
                return;
            }
            me.state = State.READY;
            ready.add(me);
            passTurn();
        }
        switchOut(me);
    }

    /** {@code send(channel, value)}. */
    @TruffleBoundary
    public Object send(ChannelValue ch, Object value) {
        FiberValue me = self();
        Waiter w;
        synchronized (this) {
            if (sendNow(ch, value)) {
                return Results.success(org.osprey.runtime.Unit.INSTANCE);
            }
            w = new Waiter(me, value, "to send to a channel");
            ch.senders.add(w);
        }
        Object failed = waitOrError(me, w, "send: no other fiber can run to receive the value, so this send would wait forever", () -> ch.senders.remove(w));
        return failed != null ? failed : Results.success(org.osprey.runtime.Unit.INSTANCE);
    }

    /** {@code recv(channel)}. */
    @TruffleBoundary
    public Object recv(ChannelValue ch) {
        FiberValue me = self();
        Waiter w;
        synchronized (this) {
            Object v = receiveNow(ch);
            if (v != NOTHING) {
                return Results.success(v);
            }
            w = new Waiter(me, null, "to receive from a channel");
            ch.receivers.add(w);
        }
        Object failed = waitOrError(me, w, "recv: no other fiber can run to send a value, so this receive would wait forever", () -> ch.receivers.remove(w));
        return failed != null ? failed : Results.success(w.value);
    }

    /**
     * {@code select}: the first of the operations (a receive where {@code sends[i]} is false, else a send of
     * {@code values[i]}; null channels are skipped) that can complete at once, in order; else, with
     * {@code hasDefault}, the same after the fibers ready have had their turns, or null; else waits for the first
     * to complete. Returns the arm and the value received
     * (unit for a send).
     */
    @TruffleBoundary
    public Object[] select(ChannelValue[] chs, boolean[] sends, Object[] values, boolean hasDefault) {
        if (hasDefault) {
            // Before the default, the fibers that are ready have their turns, as at yield(): a loop polling with
            // a default arm (Go's `for { select { case v := <-ch: ...; default: } }`) let no other fiber run,
            // so the one that would send never did and the loop spun for ever.
            synchronized (this) {
                Object[] now = selectNow(chs, sends, values);
                if (now != null || ready.isEmpty()) {
                    return now;
                }
            }
            yieldTurn();
            synchronized (this) {
                return selectNow(chs, sends, values);
            }
        }
        FiberValue me = self();
        Waiter g;
        synchronized (this) {
            Object[] now = selectNow(chs, sends, values);
            if (now != null) {
                return now;
            }
            g = new Waiter(me, null, "in a select for one of its channel operations");
            g.operations = new ArrayList<>();
            for (int i = 0; i < chs.length; i++) {
                if (chs[i] == null) {
                    continue;
                }
                Waiter w = new Waiter(me, sends[i] ? values[i] : null, null);
                w.group = g;
                w.arm = i;
                w.channel = chs[i];
                g.operations.add(w);
                (sends[i] ? chs[i].senders : chs[i].receivers).add(w);
            }
        }
        Runnable forget = () -> {
            for (Waiter w : g.operations) {
                w.cancelled = true;
                w.channel.senders.remove(w);
                w.channel.receivers.remove(w);
            }
        };
        try {
            wait(me, g, () -> "select: no other fiber can run to complete any of its operations, so it would wait forever", forget);
        } catch (Deadlock d) {
            throw new BuiltinException(d.getMessage());
        }
        synchronized (this) {
            return new Object[] {g.chosen, sends[g.chosen] ? org.osprey.runtime.Unit.INSTANCE : g.value};
        }
    }

    /** Under the lock: the first of a select's operations that can complete at once, done, as its arm and value; else null. */
    private Object[] selectNow(ChannelValue[] chs, boolean[] sends, Object[] values) {
        for (int i = 0; i < chs.length; i++) {
            ChannelValue ch = chs[i];
            if (ch == null) {
                continue;
            }
            if (sends[i]) {
                if (sendNow(ch, values[i])) {
                    return new Object[] {i, org.osprey.runtime.Unit.INSTANCE};
                }
            } else {
                Object v = receiveNow(ch);
                if (v != NOTHING) {
                    return new Object[] {i, v};
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- runs and waits outside

    /**
     * The run on this thread is ending: waits until no fiber can run any more (each has ended, or waits for
     * something only another fiber or a handler could give), then lets the turn go. Then reports the failures
     * of the fibers nobody awaited.
     */
    @TruffleBoundary
    public void endRun() {
        if (Thread.currentThread() != context.runThreadOrNull()) {
            return;
        }
        FiberValue me = self();
        while (true) {
            synchronized (this) {
                if (ready.isEmpty() && away == 0) {
                    if (current == me) {
                        current = null;
                    }
                    me.state = State.WAITING;
                    break;
                }
                me.state = State.WAITING;
                draining = me;
                if (ready.isEmpty()) {
                    current = null; // only fibers away: the first back takes the turn, and hands it back here
                } else {
                    passTurn();
                }
            }
            switchOut(me);
        }
        List<RuntimeException> unseen = new ArrayList<>();
        synchronized (this) {
            for (FiberValue f : live) {
                if (f.state == State.FAILED && !f.failureSeen) {
                    f.failureSeen = true;
                    unseen.add(f.failure);
                }
            }
            live.removeIf(FiberValue::ended);
            threads.removeIf(t -> !t.isAlive());
        }
        if (!unseen.isEmpty()) {
            // Each failure is said, in the order the fibers were spawned, the last as the run's own: when two
            // fibers failed, the second's was lost, though neither had been awaited.
            for (RuntimeException e : unseen.subList(0, unseen.size() - 1)) {
                context.reportFiberFailure(e);
            }
            throw again(unseen.get(unseen.size() - 1));
        }
    }

    /**
     * The run on this thread failed: its fiber gives up the turn, the fibers ready wait for the next run (or for
     * a thread that takes no turns waiting for one of them, see {@link #wait}). If the
     * host interrupted it (Context.interrupt), every fiber stops, as for Ctrl-C in the REPL. Failures of fibers
     * that nobody awaited are said on standard error first, as they happened before the program's own.
     */
    @TruffleBoundary
    public void abandonRun(Throwable failure) {
        if (interruptedByHost(failure)) {
            stopAll();
        }
        List<RuntimeException> unseen = new ArrayList<>();
        synchronized (this) {
            if (current == main && main.thread == Thread.currentThread()) {
                current = null; // no ready fiber gets it: after the program's error nothing of the program runs
                main.state = State.WAITING;
            }
            if (failure instanceof OspreyError) {
                // A fiber that failed before the program did, nobody awaiting it: the run's end would have said
                // so, but the run ends here with the program's own failure, which alone was said.
                for (FiberValue f : live) {
                    if (f.state == State.FAILED && !f.failureSeen) {
                        f.failureSeen = true;
                        unseen.add(f.failure);
                    }
                }
            }
        }
        for (RuntimeException e : unseen) {
            context.reportFiberFailure(e);
        }
    }

    /** A fiber with the turn waits outside the scheduler (OspreyContext.waitUntil): the others may run meanwhile. */
    @TruffleBoundary
    FiberValue goAway() {
        FiberValue me = self.get();
        if (me == null && main.thread == Thread.currentThread()) {
            me = main;
        }
        synchronized (this) {
            if (me == null || current != me) {
                return null;
            }
            me.state = State.AWAY;
            away++;
            passTurn();
        }
        return me;
    }

    /** ... and wants its turn back (before it takes the execution lock again). */
    @TruffleBoundary
    void comeBack(FiberValue me) {
        synchronized (this) {
            away--;
            if (current == null) {
                current = me;
                me.state = State.RUNNING;
                return;
            }
            me.state = State.READY;
            ready.add(me);
        }
        waitForTurn(me);
    }

    // ---------------------------------------------------------------- the turn

    /**
     * The fiber of this thread, or null for a thread that takes no turns. The program's thread becomes the
     * main fiber here, taking the turn (waiting for it if a fiber has it).
     */
    private FiberValue self() {
        FiberValue f = self.get();
        if (f != null) {
            return f;
        }
        if (Thread.currentThread() != context.runThreadOrNull()) {
            return null;
        }
        synchronized (this) {
            if (main.thread != Thread.currentThread()) {
                main.thread = Thread.currentThread();
            }
            if (current == main) {
                return main;
            }
            if (current == null) {
                current = main;
                main.state = State.RUNNING;
                return main;
            }
            if (main.state != State.READY) {
                main.state = State.READY;
                ready.add(main);
            }
        }
        switchOut(main);
        return main;
    }

    /** Under the lock: {@code f} has the turn now. */
    private void giveTurn(FiberValue f) {
        current = f;
        if (f.thread == null) {
            f.state = State.RUNNING;
            try {
                start(f);
            } catch (RuntimeException e) {
                // The context is closing under it: the fiber ends before it began.
                f.state = State.FAILED;
                f.failure = new OspreyError("the fiber could not start: " + e.getMessage(), null);
                for (Waiter w : f.awaiting) {
                    complete(w);
                }
                f.awaiting.clear();
                passTurn();
            }
        } else {
            f.state = State.RUNNING;
            f.turn.release();
        }
    }

    /** Under the lock: the fiber with the turn gives it to the one ready longest, or to the waiting end of a run. */
    private void passTurn() {
        FiberValue next = ready.poll();
        if (next == null && draining != null) {
            next = draining;
            draining = null;
        }
        if (next != null) {
            giveTurn(next);
        } else {
            current = null;
            wakeDeadlocked();
        }
    }

    /**
     * Under the lock, nobody has the turn: if nothing can wake a fiber that waits for a channel or a fiber (none
     * is away, no handler can send), its wait would last forever, as when a producer ends without sending to
     * the channel the program receives from. The one that began waiting last fails its wait, as it would have
     * had it begun waiting after the others ended; its failure may let the others go on.
     */
    private void wakeDeadlocked() {
        if (away > 0 || closed || blocked.isEmpty() || context.callbacksPossible() || context.handlersRunning()) {
            return; // a handler still running asks again when it returns (OspreyContext.callFromForeignThread)
        }
        var last = blocked.pollLastEntry();
        last.getValue().deadlocked = true;
        giveTurn(last.getKey());
    }

    /**
     * The last process whose callback could have woken a fiber is done with (OspreyContext.processCallbacksEnded).
     * If the program's own fiber is waiting and nobody has the turn, every wait is deadlocked now, as when the
     * last fiber able to run ends: the one that began last fails. Between REPL entries (the program's fiber
     * not waiting) fibers stay waiting for a later entry, as they do without processes. So too when the last
     * WebSocket server or connection that could call a handler is done with (OspreyContext.callbacksEnded), and
     * when the last handler still running after that returns.
     */
    synchronized void wakersGone() {
        if (current == null && ready.isEmpty() && blocked.containsKey(main)) {
            wakeDeadlocked();
        }
    }

    /** Under the lock: a waiter's send or receive is done, or what it waited for ended. */
    private void complete(Waiter w) {
        w.done = true;
        Waiter g = w.group;
        if (g != null) { // one operation of a select: the others are off, and the select is done
            for (Waiter other : g.operations) {
                if (other != w) {
                    // Out of its channel's queue too: a select loop whose other channel is seldom used would
                    // otherwise leave a waiter there each time it waited.
                    other.cancelled = true;
                    other.channel.receivers.remove(other);
                    other.channel.senders.remove(other);
                }
            }
            g.value = w.value;
            g.chosen = w.arm;
            g.done = true;
        }
        Waiter waiting = g != null ? g : w; // what the fiber waits on: the select's waiter for an operation of one
        if (waiting.fiber == null) {
            notifyAll(); // a thread that takes no turns (a handler's) waits on this lock in doneOrStuck
        }
        if (w.fiber != null && blocked.get(w.fiber) == waiting) {
            blocked.remove(w.fiber);
        }
        if (w.fiber != null && w.fiber.state == State.WAITING) {
            if (current == null) {
                giveTurn(w.fiber);
            } else {
                w.fiber.state = State.READY;
                ready.add(w.fiber);
            }
        }
    }

    /** What {@link #receiveNow} gives when nothing can be received at once. */
    private static final Object NOTHING = new Object();

    /** Under the lock: the next value of the channel if there is one now (a waiting sender's moves up), else NOTHING. */
    private Object receiveNow(ChannelValue ch) {
        if (!ch.buffer.isEmpty()) {
            Object v = ch.buffer.poll();
            Waiter s = first(ch.senders);
            if (s != null) {
                ch.buffer.add(s.value);
                complete(s);
            }
            return v;
        }
        Waiter s = first(ch.senders);
        if (s != null) {
            complete(s);
            return s.value;
        }
        return NOTHING;
    }

    /** Under the lock: hands the value to a waiting receiver or puts it in the channel if there is room; else false. */
    private boolean sendNow(ChannelValue ch, Object value) {
        Waiter r = first(ch.receivers);
        if (r != null) {
            r.value = value;
            complete(r);
            return true;
        }
        if (ch.buffer.size() < ch.capacity) {
            ch.buffer.add(value);
            return true;
        }
        return false;
    }

    private static Waiter first(ArrayDeque<Waiter> q) {
        Waiter w;
        while ((w = q.poll()) != null) {
            if (!w.cancelled) {
                return w;
            }
        }
        return null;
    }

    /** Like {@link #wait}, for send and receive: a deadlock is their Error value rather than a failure. */
    private Object waitOrError(FiberValue me, Waiter w, String deadlock, Runnable forget) {
        try {
            wait(me, w, () -> deadlock, forget);
            return null;
        } catch (Deadlock d) {
            return Results.error(Strings.of(d.getMessage()));
        }
    }

    private static final class Deadlock extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Deadlock(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Waits until {@code w} is done. A fiber gives up its turn meanwhile; a thread that takes no turns (a
     * handler's) waits while holding none. Fails with {@link Deadlock} when nothing could ever complete it.
     */
    private void wait(FiberValue me, Waiter w, java.util.function.Supplier<String> deadlock, Runnable forget) {
        if (me == null) {
            // A thread that takes no turns: a handler's (then a handler exists, so callbacksPossible), or the
            // host's in a call from Java. When no fiber can run, none is away and no other thread is in or
            // entering the context, nothing can complete the wait: a deadlock, as for a fiber, rather than a
            // hang (close(true) would be the only way out).
            boolean[] stuck = {false};
            synchronized (this) {
                if (!w.done && current == null && !ready.isEmpty()) {
                    // Fibers left ready by a run that failed (abandonRun) wait for someone to give them the turn,
                    // and this thread takes none: without this, a call from Java awaiting one of them waited
                    // until a later evaluation happened to run it.
                    passTurn();
                }
                if (!w.done && (nobodyElseCanRun(true) || awaitedByAll(true))) {
                    forget.run();
                    throw new Deadlock(deadlock.get() + awaitedNote());
                }
            }
            try {
                context.waitUntil(() -> doneOrStuck(w, stuck), 1);
            } finally {
                synchronized (this) {
                    if (!w.done) {
                        w.cancelled = true;
                        forget.run();
                    }
                }
            }
            if (stuck[0]) {
                throw new Deadlock(deadlock.get() + awaitedNote());
            }
            if (!w.done) {
                // waitUntil gave up because the context closes (the program has ended): nothing will complete the
                // wait, and the handler must not go on as if it had, with no value received (it printed
                // Success(<uninitialized>)). Its failure is not reported while the context closes.
                throw new BuiltinException("the program is ending, so this wait was stopped");
            }
            return;
        }
        synchronized (this) {
            if (w.done) {
                return;
            }
            if (ready.isEmpty() && away == 0 && draining == null && !context.callbacksPossible() && !context.handlersRunning()) {
                forget.run();
                throw new Deadlock(deadlock.get());
            }
            me.state = State.WAITING;
            blocked.put(me, w);
            passTurn();
        }
        try {
            switchOut(me);
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                blocked.remove(me);
                if (!w.done) {
                    w.cancelled = true;
                    forget.run();
                }
            }
            throw e;
        }
        synchronized (this) {
            if (w.deadlocked && !w.done) {
                forget.run();
                throw new Deadlock(deadlock.get());
            }
        }
    }

    /**
     * Under the lock: no fiber has the turn or can get it, none is away, no handler can come, no other thread
     * holds the execution lock (unless {@code selfLocked}: this thread holds it, so nobody else runs Osprey
     * code) and none waits for it (another Java thread calling in, which might complete the wait).
     */
    private boolean nobodyElseCanRun(boolean selfLocked) {
        return noTurnsAndNoEntrants(selfLocked) && away == 0 && !context.callbacksPossible();
    }

    /**
     * Under the lock, what both kinds of stuck wait need ({@link #nobodyElseCanRun}, {@link #awaitedByAll}): no fiber
     * has the turn or can get it, and no other thread holds the execution lock (unless {@code selfLocked}) or
     * waits for it.
     */
    private boolean noTurnsAndNoEntrants(boolean selfLocked) {
        return !closed && current == null && ready.isEmpty() && draining == null
                        && (selfLocked || !context.executionLock.isLocked()) && !context.executionLock.hasQueuedThreads();
    }

    /** A thread that takes no turns, polling: its wait can never end (see {@link #wait}). */
    /**
     * For a thread that takes no turns: whether {@code w} is done, or nothing could ever complete it (then
     * {@code stuck[0]} is set), after waiting up to 50 ms on this lock for {@link #complete} to say it is done.
     * The wait it serves checks every millisecond; without waiting here a handler waiting in recv woke its
     * thread a thousand times a second. An interrupt is kept for that wait's own sleep, which handles it.
     */
    private synchronized boolean doneOrStuck(Waiter w, boolean[] stuck) {
        if (!w.done) {
            try {
                wait(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return w.done || (stuck[0] = stuckOutside(w));
    }

    private synchronized boolean stuckOutside(Waiter w) {
        return !w.done && (nobodyElseCanRun(false) || awaitedByAll(false));
    }

    /**
     * Under the lock, on the thread that runs process callbacks, which runs them one at a time: whether everyone
     * who could end this callback's wait waits for this callback instead. The program (and every fiber away)
     * waits in awaitProcess, which only this thread can end by delivering events; no fiber can run, no WebSocket
     * or HTTP handler can come and no other thread is in or entering the context. The callback's wait for a
     * channel the program would send to after its awaitProcess hung both for ever.
     */
    private boolean awaitedByAll(boolean selfLocked) {
        if (!noTurnsAndNoEntrants(selfLocked) || !context.onProcessEventThread() || context.handlersPossible()
                        || !context.awaitsProcess(context.runThreadOrNull())) {
            return false;
        }
        for (FiberValue f : live) {
            if (f.state == State.AWAY && !context.awaitsProcess(f.thread)) {
                return false;
            }
        }
        return true;
    }

    /** The end of a deadlock's message on the thread of process callbacks, when the program awaits that thread. */
    private String awaitedNote() {
        return context.onProcessEventThread() && context.awaitsProcess(context.runThreadOrNull())
                        ? " (the program waits in awaitProcess, which returns only after this callback has)" : "";
    }

    /**
     * The fiber of this thread gave up its turn (under the lock, just before): lets go of the execution lock
     * and waits until it is given the turn again, then takes the lock back.
     */
    private void switchOut(FiberValue me) {
        java.util.concurrent.locks.ReentrantLock lock = context.executionLock;
        int holds = lock.isHeldByCurrentThread() ? lock.getHoldCount() : 0;
        int depth = context.callDepth;
        if (current == null) {
            context.flush(); // nobody runs now: what was printed shows while the program waits
        }
        for (int i = 0; i < holds; i++) {
            lock.unlock();
        }
        try {
            waitForTurn(me);
        } finally {
            relock(me, holds);
            context.callDepth = depth;
        }
    }

    private void waitForTurn(FiberValue me) {
        me.parked = true;
        try {
            TruffleSafepoint.setBlockedThreadInterruptible(null, java.util.concurrent.Semaphore::acquire, me.turn);
        } catch (RuntimeException | Error e) {
            // Interrupted (Ctrl-C, a cancel) while waiting: if the turn came meanwhile, pass it on.
            synchronized (this) {
                ready.remove(me);
                if (draining == me) {
                    draining = null;
                }
                if (current == me) {
                    me.turn.drainPermits();
                    passTurn();
                }
                me.state = State.WAITING;
            }
            throw e;
        } finally {
            me.parked = false;
        }
        if (me.killed) {
            throw new Killed();
        }
    }

    /** Whether the calling thread runs a fiber (the program's own thread does not count). */
    boolean ownsThisThread() {
        return self.get() != null;
    }

    /**
     * Whether the calling thread is a fiber's that waits for its turn or for the execution lock (it runs no
     * Osprey code): Ctrl-C at the REPL's prompt, which stops a handler caught running, leaves such a fiber
     * waiting for the channel a later entry may send to (OspreyContext.stopCallbacks).
     */
    boolean parkedHere() {
        FiberValue me = self.get();
        return me != null && me.parked;
    }

    private void relock(FiberValue me, int holds) {
        java.util.concurrent.locks.ReentrantLock lock = context.executionLock;
        int held = 0;
        try {
            for (; held < holds; held++) {
                if (me == main) {
                    lock.lock();
                    continue;
                }
                // A fiber's thread must not hang on the lock when the context closes or is cancelled around it.
                // Interrupted, it lets Truffle run what interrupted it (a cancel unwinds the thread) and tries
                // again: keeping the interrupt set made every tryLock fail at once, a busy loop that held up
                // the cancel (a piped REPL session ending with a fiber woken from a channel never ended).
                me.parked = true;
                try {
                    TruffleSafepoint.setBlockedThreadInterruptible(null, l -> {
                        while (!l.tryLock(20, TimeUnit.MILLISECONDS)) {
                            if (me.killed) {
                                throw new Killed();
                            }
                        }
                    }, lock);
                } finally {
                    me.parked = false;
                }
            }
        } catch (RuntimeException | Error e) {
            for (int j = 0; j < held; j++) {
                lock.unlock();
            }
            throw e;
        }
    }

    /** Unwinds a fiber's thread that was stopped; no Osprey code sees it. */
    private static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Killed() {
            super("fiber stopped", null, false, false);
        }
    }

    // ---------------------------------------------------------------- a fiber's thread

    /**
     * Under the lock: starts {@code f} on a thread that ran a fiber before and is waiting for another, or on a
     * new one. Making a thread and entering the context on it costs about 0.4 ms; a thread waits
     * {@link #IDLE_MILLIS} for its next fiber before it ends (10,000 fibers spawned and awaited one by one: 0.6 s
     * instead of 5).
     * <p>
     * The first {@link #platformLimit} fiber threads alive at once are platform threads with a stack of their
     * own; more are the JVM's virtual threads, which cost a fraction of that to make and to keep (4,000 fibers
     * waiting at once: 2.2 s instead of 4.4, 188 MiB instead of 358; docs/performance.md). Not all of them: a
     * virtual thread's stack can grow only to the JVM's thread stack size (-Xss, which osprey run sets to 256 MB
     * for programs that spawn), and handing the turn between a platform thread and a virtual one took longer
     * (10,000 fibers spawned and awaited one by one: 0.9 s instead of 0.6).
     */
    private void start(FiberValue f) {
        Worker idler = idle.poll();
        if (idler != null) {
            f.thread = idler.thread;
            idler.next = f;
            idler.go.release();
            return;
        }
        Worker w = new Worker(platformThreads >= platformLimit);
        if (!w.virtual) {
            platformThreads++;
        }
        Thread t = context.env.newTruffleThreadBuilder(() -> work(w, f)).stackSize(STACK_BYTES).virtual(w.virtual).build();
        t.setName("osprey-fiber-" + f.id);
        // The host's interrupt (Context.interrupt) can reach the thread in Truffle's own code around work(), where
        // no catch of ours sees it, and Truffle's handler then printed "...PolyglotEngineImpl$InterruptExecution:
        // Execution got interrupted." on the context's err. The interrupt is the host's, which knows of it.
        Thread.UncaughtExceptionHandler truffles = t.getUncaughtExceptionHandler();
        t.setUncaughtExceptionHandler((thread, e) -> {
            if (!interruptedByHost(e) && truffles != null) {
                truffles.uncaughtException(thread, e);
            }
        });
        if (!w.virtual) {
            t.setDaemon(true); // a virtual thread is one already
        }
        w.thread = t;
        f.thread = t;
        if (threads.size() >= pruneThreadsAt) {
            threads.removeIf(dead -> !dead.isAlive());
            pruneThreadsAt = Math.max(64, 2 * threads.size());
        }
        threads.add(t);
        t.start();
    }

    private static final long IDLE_MILLIS = 2000;

    /** A fiber thread between fibers. */
    private static final class Worker {
        final boolean virtual;
        Thread thread;
        /** The fiber it is given, under the scheduler's lock. */
        FiberValue next;
        final java.util.concurrent.Semaphore go = new java.util.concurrent.Semaphore(0);

        Worker(boolean virtual) {
            this.virtual = virtual;
        }
    }

    /** Threads waiting for a fiber to run, the one idle the shortest first (its caches are the warmest). */
    private final ArrayDeque<Worker> idle = new ArrayDeque<>();

    private void work(Worker w, FiberValue first) {
        try {
            for (FiberValue f = first; f != null; f = nextFiber(w)) {
                Thread.currentThread().setName("osprey-fiber-" + f.id);
                run(f);
            }
        } finally {
            synchronized (this) {
                idle.remove(w);
                if (!w.virtual) {
                    platformThreads--;
                }
            }
        }
    }

    /** The next fiber for this thread, or null when none came in time or the context closes. */
    private FiberValue nextFiber(Worker w) {
        self.remove();
        synchronized (this) {
            if (closed) {
                return null;
            }
            idle.push(w);
        }
        try {
            TruffleSafepoint.setBlockedThreadInterruptible(null, go -> {
                go.tryAcquire(IDLE_MILLIS, TimeUnit.MILLISECONDS); // w.next says whether a fiber came
            }, w.go);
        } catch (AbstractTruffleException e) {
            if (!interruptedByHost(e)) {
                throw e;
            }
            // Context.interrupt reached this thread between fibers: it has nothing to stop. Left to escape, the
            // interruption ended the thread with its Java class name printed on standard error.
        }
        synchronized (this) {
            FiberValue f = w.next;
            w.next = null;
            if (f == null) {
                idle.remove(w);
            }
            return closed && f == null ? null : f;
        }
    }

    private void run(FiberValue f) {
        self.set(f);
        Object value = null;
        RuntimeException failure = null;
        boolean locked = false;
        boolean ended = false;
        try {
            relock(f, 1);
            locked = true;
            context.callDepth = 0;
            context.enterCallback();
            try {
                if (f.killed) { // the context closed before this thread could be stopped as a callback's (close)
                    throw new Killed();
                }
                // A fiber starts with no module instances of its own, and they go with it (spec 0011); a fiber that
                // this worker thread ran before left it none.
                org.osprey.runtime.ModuleInstances.Holder modules = context.language.moduleInstances.get();
                org.osprey.runtime.ModuleInstances before = modules.begin();
                try {
                    value = context.call(f.body);
                } finally {
                    modules.end(before);
                }
                ended = true;
            } finally {
                context.leaveCallback();
            }
        } catch (Killed k) {
            failure = new OspreyError("the fiber was stopped", null);
        } catch (org.osprey.runtime.StackOverflowUnwind e) {
            // Its message names the function already; where it is awaited, the fiber is what the stack does not show.
            failure = new OspreyError(e.error.getMessage() + " (in fiber " + f.id + ")", e.error.getLocation());
        } catch (org.osprey.runtime.RunInterrupted e) {
            failure = e;
        } catch (AbstractTruffleException e) {
            if (interruptedByHost(e)) {
                // Context.interrupt reached this fiber: every fiber stops, as Ctrl-C stops them in the REPL.
                // Otherwise one that had not had its turn would get it now and compute on, holding the
                // execution lock against every later evaluation, and this failure, which the run has said, would
                // be reported again by the next one.
                stopAll();
                failure = new OspreyError("the fiber was interrupted", null);
            } else {
                failure = inFiber(e, f);
            }
        } catch (BuiltinException e) {
            failure = new OspreyError(e.getMessage(), null);
        } catch (StackOverflowError e) {
            failure = new OspreyError("stack overflow in fiber " + f.id + ": recursion is too deep for " + (Thread.currentThread().isVirtual()
                            ? "a fiber on a virtual thread, whose stack can grow only to the JVM's thread stack size (-Xss); fibers beyond the first "
                                            + platformLimit + " alive at once run on virtual threads (--osprey.FiberPlatformThreads=" + platformLimit + ")"
                            : "a fiber's thread (256 MB of stack; the main program has 1 GB)"), null);
        } finally {
            if (!ended && failure == null) {
                failure = new OspreyError("the fiber was stopped", null); // a cancel of the context passes through
            }
            synchronized (this) {
                f.state = failure == null ? State.DONE : State.FAILED;
                f.value = value;
                f.failure = failure;
                if (f.killed || failure instanceof org.osprey.runtime.RunInterrupted) {
                    f.failureSeen = true; // the interrupted run has said so
                }
                for (Waiter w : f.awaiting) {
                    complete(w);
                }
                f.awaiting.clear();
                if (f.state == State.DONE || f.failureSeen) {
                    live.remove(f);
                }
            }
            boolean last;
            synchronized (this) {
                last = ready.isEmpty() && draining == null;
            }
            if (last) {
                context.flush(); // no fiber runs after this one: what it printed shows now (between REPL entries too)
            }
            if (locked && context.executionLock.isHeldByCurrentThread()) { // not if a later relock gave up
                context.executionLock.unlock();
            }
            synchronized (this) {
                if (current == f) {
                    passTurn();
                }
            }
        }
    }

    /** How many fibers this context keeps track of (those not ended, and those that failed): for tests. */
    synchronized int kept() {
        return live.size();
    }

    // ---------------------------------------------------------------- stopping

    /**
     * Whether {@code e} is the polyglot layer's interruption (Context.interrupt), not the REPL's Ctrl-C
     * ({@link org.osprey.runtime.RunInterrupted}, which stops the fibers through OspreyContext.interrupted).
     */
    static boolean interruptedByHost(Throwable e) {
        if (!(e instanceof AbstractTruffleException) || e instanceof org.osprey.runtime.RunInterrupted) {
            return false;
        }
        try {
            return InteropLibrary.getUncached().getExceptionType(e) == ExceptionType.INTERRUPT;
        } catch (UnsupportedMessageException never) {
            return false;
        }
    }

    /** Ctrl-C in the REPL stopped the entry, or the host interrupted the context: every fiber stops with it. */
    private void stopAll() {
        List<FiberValue> stopping;
        synchronized (this) {
            stopping = new ArrayList<>(live);
            for (FiberValue f : stopping) {
                f.failureSeen = true;
                if (f.ended()) {
                    continue;
                }
                f.killed = true;
                f.turn.release();
                if (f.thread == null) { // never started: it ends here, and a later await of it says so
                    f.state = State.FAILED;
                    f.failure = new OspreyError("the fiber was stopped before it started", null);
                    for (Waiter w : f.awaiting) {
                        complete(w);
                    }
                    f.awaiting.clear();
                }
            }
            ready.clear();
            blocked.clear();
            draining = null;
            if (current != null && current != main) {
                current = null;
            }
        }
        context.stopCallbacksOn(stopping.stream().map(f -> f.thread).toList());
    }

    /**
     * The context closes: every fiber's thread ends before it does. A fiber running (one spawned by a call from
     * the host, which does not wait for its fibers, computing still) is stopped where it is, as Ctrl-C stops
     * one: the polyglot layer refuses to close around a thread of the language's that has not ended.
     */
    private void close() {
        List<Thread> ending;
        List<Thread> running = new ArrayList<>();
        synchronized (this) {
            closed = true;
            blocked.clear();
            for (FiberValue f : live) {
                f.killed = true;
                f.failureSeen = true;
                f.turn.release();
                if (f.thread != null && !f.ended()) {
                    running.add(f.thread);
                }
            }
            for (Worker w : idle) {
                w.go.release();
            }
            ending = new ArrayList<>(threads);
        }
        context.stopCallbacksOn(running);
        for (Thread t : ending) {
            if (t != Thread.currentThread()) {
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * A failure in a fiber, as it will be reported where it is awaited (or at the end of the run): its message
     * says the function and the fiber, which the stack of the thread that awaits does not show.
     */
    private static RuntimeException inFiber(AbstractTruffleException e, FiberValue f) {
        if (!(e instanceof OspreyError) || e.getMessage() == null || e.getMessage().matches("(?s).*\\(in (function '.*' of )?fiber \\d+\\)")) {
            return e;
        }
        String in = OspreyContext.inFunction(e).strip();
        return new OspreyError(e.getMessage() + " (" + (in.isEmpty() || in.contains("'<lambda>'") ? "in " : in + " of ") + "fiber " + f.id + ")", e.getLocation());
    }

    /**
     * A fiber's failure, raised again where it is awaited: the same message and place, and no stack frames. The
     * frames would be the awaiting thread's, which the failure did not happen in: the launcher named the
     * function that awaited ("error in function 'await': ...", for [f] |> map(await)), beside the fiber's own
     * function in the message.
     */
    private static RuntimeException again(RuntimeException failure) {
        if (failure instanceof OspreyError e) {
            return OspreyError.withoutFrames(e.getMessage(), e.getLocation());
        }
        return failure;
    }
}
