package org.osprey.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The HAMT behind {@code Map<K, V>}: random put/remove against a {@link java.util.HashMap} model, the
 * cursor seeing each entry once, and {@code +} (merge) right-biased whichever side is the larger.
 */
class PersistentMapTest {
    private static Map<Object, Object> walk(PersistentMap m) {
        Map<Object, Object> seen = new HashMap<>();
        for (PersistentMap.EntryCursor c = m.cursor(); c.hasNext();) {
            Object[] e = c.next();
            assertNull(seen.put(e[0], e[1]), "entry seen twice: " + e[0]);
        }
        return seen;
    }

    private static void assertSameEntries(Map<Object, Object> model, PersistentMap m) {
        assertEquals(model.size(), m.size());
        for (Map.Entry<Object, Object> e : model.entrySet()) {
            assertEquals(e.getValue(), m.get(e.getKey()));
        }
        assertEquals(model, walk(m));
    }

    @Test
    void randomPutsAndRemovesAgainstHashMap() {
        Random r = new Random(3);
        PersistentMap m = PersistentMap.EMPTY;
        Map<Object, Object> model = new HashMap<>();
        PersistentMap snapshot = null;
        Map<Object, Object> snapshotModel = null;
        for (int step = 0; step < 20_000; step++) {
            long k = r.nextInt(5000);
            m = removeOrPut(r, m, model, k, step);
            if (step == 10_000) {
                snapshot = m;
                snapshotModel = new HashMap<>(model);
            }
        }
        assertSameEntries(model, m);
        assertSameEntries(snapshotModel, snapshot);
        assertNull(m.get(99_999L));
    }

    /** One random step on both maps: k removed (one time in three) or put with the step's number. */
    private static PersistentMap removeOrPut(Random r, PersistentMap m, Map<Object, Object> model, Object k, long step) {
        if (r.nextInt(3) == 0) {
            model.remove(k);
            return m.remove(k);
        }
        model.put(k, step);
        return m.put(k, step);
    }

    /**
     * Keys of one hash: ints whose two halves are equal (Long.hashCode 0) and strings of "Aa" and "BB" (one
     * String-style hash per length), put and removed at random; the nodes that hold them are kept in order, and
     * a float key of the same hash (no program makes one) leaves its node unordered and still found.
     */
    @Test
    void collidingKeysAgainstHashMap() {
        Random r = new Random(5);
        PersistentMap m = PersistentMap.EMPTY;
        Map<Object, Object> model = new HashMap<>();
        for (int step = 0; step < 6_000; step++) {
            int i = r.nextInt(700);
            Object k;
            if (r.nextBoolean()) {
                k = i * 4_294_967_297L; // (i << 32) + i
            } else {
                StringBuilder b = new StringBuilder();
                for (int bit = 0; bit < 10; bit++) {
                    b.append((i >> bit & 1) == 0 ? "Aa" : "BB");
                }
                k = Strings.of(b.toString());
            }
            if (step == 3_000) {
                m = m.put(0.0, "float");
                model.put(0.0, "float");
            }
            m = removeOrPut(r, m, model, k, step);
        }
        assertSameEntries(model, m);
        assertEquals("float", m.get(0.0));
        assertNull(m.get(701 * 4_294_967_297L));
        assertNull(m.get(Strings.of("AaAaAaAaAaAaAaAaAaBBBB")));
    }

    @Test
    void mergeIsRightBiasedWhicheverSideIsLarger() {
        MapValue big = MapValue.EMPTY;
        for (long i = 0; i < 2000; i++) {
            big = big.put(i, "big" + i);
        }
        MapValue small = MapValue.EMPTY.put(5L, "small5").put(3000L, "small3000");
        MapValue bigThenSmall = big.merge(small);
        MapValue smallThenBig = small.merge(big);
        assertEquals(2001, bigThenSmall.size());
        assertEquals(2001, smallThenBig.size());
        assertEquals("small5", bigThenSmall.get(5L));
        assertEquals("big5", smallThenBig.get(5L));
        assertEquals("small3000", bigThenSmall.get(3000L));
        assertEquals("small3000", smallThenBig.get(3000L));
        assertEquals("big7", smallThenBig.get(7L));
        assertEquals(2000, big.size());
        assertEquals("big5", big.get(5L));
        assertEquals(2, small.size());
    }
}
