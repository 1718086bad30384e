package org.osprey.launcher;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Collects a long run's heap in full once what survives its young collections has grown to twice what the
 * last full collection left (at least {@code floor}), as V8 decides its major collections. The JVM's
 * collectors do not: the serial collector (the launcher's) and G1 alike grow the old generation up to the
 * maximum heap, a quarter of the machine's memory, before they collect it, so a server that keeps promoting
 * objects that die soon after (a program making HTTP clients: 260 KB each, some of which survive a young
 * collection) grew from 150 MB to 923 MB of resident memory over 20,000 of them with 15 MB live
 * (bench/soak/README.md). After a full collection the heap shrinks back and its pages are returned.
 *
 * <p>Every collection clears a weak reference to an object nothing else holds, which wakes the watch's
 * thread: the heap in use just after a young collection is what it promoted and kept. That costs a wake-up
 * per collection (and one per idle time of a run with none: {@link #idle}) and no memory; the JVM's
 * management beans, which can say the same more exactly, cost an
 * idle server 6 MB of resident memory. The watch starts after {@code delay} milliseconds, so a short run
 * never has it.
 */
final class HeapWatch {
    private final long floor;
    /** How long without a collection makes a run idle. */
    private final long idleMillis;
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private final AtomicInteger collections = new AtomicInteger();
    private final AtomicInteger idleCollections = new AtomicInteger();
    /** The heap's size (committed) after the last collection for an idle run, or at the start. */
    private volatile long committedWhenIdle = Runtime.getRuntime().totalMemory();
    private volatile long threshold;
    /** The heap in use just after the last full collection the watch asked for. */
    private volatile long live;
    private Thread thread;
    /** The reference the next collection clears (kept here: a reference that is itself unreachable is never enqueued). */
    @SuppressWarnings("unused") private WeakReference<Object> sentinel;

    private HeapWatch(long floor, long idleMillis) {
        this.floor = floor;
        this.idleMillis = idleMillis;
        this.threshold = Math.max(floor, 2 * used());
    }

    /**
     * Starts the watch on a daemon thread of its own; it begins after {@code delayMillis}, and a run with no
     * collection for {@code idleMillis} is idle ({@link #idle}).
     */
    static HeapWatch start(long delayMillis, long floor, long idleMillis) {
        HeapWatch w = new HeapWatch(floor, idleMillis);
        Thread t = new Thread(null, () -> {
            try {
                Thread.sleep(delayMillis);
                w.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (OutOfMemoryError e) {
                // The heap is full and the program reports it (or recovers); the watch ends quietly. Uncaught, the
                // JVM's handler ran out of memory too and printed its own line about this thread to the user.
            }
        }, "osprey-heap-watch", 256 << 10); // a small stack: the launcher's -Xss256m is for Osprey code
        t.setDaemon(true);
        w.thread = t;
        t.start();
        return w;
    }

    /** Ends the watch (its thread ends). */
    void stop() {
        thread.interrupt();
    }

    private static long used() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private void run() throws InterruptedException {
        sentinel = new WeakReference<>(new Object(), collected);
        while (true) {
            if (collected.remove(idleMillis) == null) {
                idle();
                continue;
            }
            // a collection ran
            if (used() > threshold) {
                System.gc();
                live = used();
                threshold = Math.max(floor, 2 * live);
                collections.incrementAndGet();
            }
            sentinel = new WeakReference<>(new Object(), collected);
        }
    }

    /**
     * No collection for the idle time: the program allocates nothing (a server between its clients). A heap
     * that has grown by half since the run was last idle is collected in full, which gives back what a burst of
     * work left: the collector shrinks the heap only after a full collection, so an idle server held the 396 MB
     * that 150 clients had made it grow to (136 MB before them), and a program idle after building 3 million
     * strings held 786 MB. The launcher's {@code -XX:-ShrinkHeapInSteps} lets one collection shrink it all the way.
     */
    void idle() {
        long committed = Runtime.getRuntime().totalMemory();
        if (committed > Math.max(floor, committedWhenIdle + committedWhenIdle / 2)) {
            System.gc();
            committedWhenIdle = Runtime.getRuntime().totalMemory();
            idleCollections.incrementAndGet();
        }
    }

    /** How many full collections the watch asked for because the run was idle. */
    int idleCollections() {
        return idleCollections.get();
    }

    /** How many full collections the watch asked for. */
    int collections() {
        return collections.get();
    }

    /** The heap in use just after the last full collection the watch asked for. */
    long live() {
        return live;
    }

    /** The heap in use (after a young collection) at which the next one will be asked for. */
    long threshold() {
        return threshold;
    }
}
