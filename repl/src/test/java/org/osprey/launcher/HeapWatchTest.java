package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Once the heap in use just after a collection has passed the watch's threshold (here 48 MB more than the
 * heap holds now), the watch asks for a full collection, and its next threshold is twice what that left. A run
 * idle after its heap grew by half is collected in full, once; one whose heap did not grow is left alone.
 */
class HeapWatchTest {
    @Test
    void aHeapThatGrowsPastTheThresholdIsCollectedInFull() throws Exception {
        // From what is live, not from what the tests before this one (in the same JVM) left for the collector:
        // a threshold twice that could be more than this test may hold.
        System.gc();
        Runtime r = Runtime.getRuntime();
        long floor = r.totalMemory() - r.freeMemory() + (48L << 20);
        HeapWatch watch = HeapWatch.start(0, floor, 600_000);
        // Arrays of 4 MB, kept: the collections their allocation makes cannot free them, so the heap in use
        // after each one grows until it passes the threshold.
        List<byte[]> held = new ArrayList<>();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (watch.collections() == 0) {
            held.add(new byte[4 << 20]);
            assertTrue(System.nanoTime() < deadline, "no full collection was asked for with " + held.size() * 4 + " MB held; threshold " + watch.threshold());
            if (held.size() > 256) {
                held.subList(0, 64).clear(); // 1 GB kept would be more than the test's heap may hold
            }
        }
        long live = watch.live();
        assertTrue(live >= floor - (48L << 20), "the full collection left " + live + " bytes, less than was held");
        assertEquals(Math.max(floor, 2 * live), watch.threshold());
        watch.stop();
        held.clear();
    }

    @Test
    void anIdleRunWhoseHeapGrewIsCollectedInFullOnce() throws Exception {
        // A burst of work grew the heap and the program then waits (a server between its clients): the
        // collector gave nothing back until some later full collection, which an idle program never has. What
        // the watch does once no collection has come for its idle time is called here directly: in this JVM
        // other tests' threads (the Graal compiler among them) may collect at any time.
        System.gc();
        Runtime r = Runtime.getRuntime();
        HeapWatch watch = HeapWatch.start(0, 0, 600_000);
        try {
            watch.idle();
            assertEquals(0, watch.idleCollections(), "a heap that did not grow was collected");
            long before = r.totalMemory();
            List<byte[]> held = new ArrayList<>();
            while (r.totalMemory() < 2 * before && r.totalMemory() + (8L << 20) < r.maxMemory() && held.size() < 256) {
                held.add(new byte[4 << 20]);
            }
            long grown = r.totalMemory();
            assertTrue(grown >= before + before / 2, "the heap did not grow enough for the test: " + before + " -> " + grown);
            held.clear();
            watch.idle();
            assertEquals(1, watch.idleCollections(), "an idle run whose heap grew from " + before + " to " + grown + " was not collected");
            assertTrue(r.totalMemory() < grown, "the heap did not shrink: " + grown + " -> " + r.totalMemory());
            // Idle again with a heap that has not grown since: no further collection.
            watch.idle();
            assertEquals(1, watch.idleCollections());
        } finally {
            watch.stop();
        }
    }
}
