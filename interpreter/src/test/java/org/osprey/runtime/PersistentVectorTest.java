package org.osprey.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The trie behind {@code List<T>}: random sequences of append, appendAll, take and set checked element by
 * element against a {@link java.util.ArrayList} model, across the sizes where the trie gains a level
 * (32, 1024 + 32, 32768 + 32), and every older version re-checked at the end to prove that none changed.
 */
class PersistentVectorTest {
    private static void assertSameElements(List<Object> model, PersistentVector v) {
        assertEquals(model.size(), v.size());
        for (int i = 0; i < model.size(); i++) {
            assertEquals(model.get(i), v.get(i), "element " + i);
        }
        Object[] copy = new Object[v.size()];
        v.copyTo(0, v.size(), copy, 0);
        assertEquals(model, List.of(copy));
    }

    @Test
    void appendAcrossTrieLevels() {
        PersistentVector v = PersistentVector.EMPTY;
        List<Object> model = new ArrayList<>();
        for (long i = 0; i < 40_000; i++) {
            v = v.append(i);
            model.add(i);
            if (i == 31 || i == 32 || i == 1055 || i == 1056 || i == 32_799 || i == 32_800) {
                assertSameElements(model, v);
            }
        }
        assertSameElements(model, v);
    }

    @Test
    void appendAllEqualsRepeatedAppend() {
        Random r = new Random(7);
        for (int round = 0; round < 50; round++) {
            int start = r.nextInt(3000);
            int n = r.nextInt(3000);
            Object[] first = new Object[start];
            Object[] more = new Object[n];
            for (int i = 0; i < start; i++) {
                first[i] = "a" + i;
            }
            for (int i = 0; i < n; i++) {
                more[i] = "b" + i;
            }
            PersistentVector base = PersistentVector.of(first);
            PersistentVector bulk = base.appendAll(more, 0, n);
            List<Object> model = new ArrayList<>(List.of(first));
            model.addAll(List.of(more));
            assertSameElements(model, bulk);
            assertSameElements(List.of(first), base);
        }
    }

    @Test
    void takeCutsAndTheCutVectorGrowsAgain() {
        Object[] values = new Object[70_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) i;
        }
        PersistentVector full = PersistentVector.of(values);
        int[] cuts = {0, 1, 31, 32, 33, 63, 64, 65, 1023, 1024, 1025, 1056, 1057, 32_768, 32_769, 32_800, 32_801, 69_999, 70_000};
        for (int n : cuts) {
            PersistentVector cut = full.take(n);
            List<Object> model = new ArrayList<>(List.of(values).subList(0, n));
            assertSameElements(model, cut);
            PersistentVector grown = cut;
            for (int k = 0; k < 100; k++) {
                grown = grown.append("x" + k);
                model.add("x" + k);
            }
            assertSameElements(model, grown);
        }
        assertSame(full, full.take(70_000));
        assertEquals(70_000, full.size());
        assertEquals(69_999L, full.get(69_999));
    }

    @Test
    void randomOperationsAgainstArrayListModelsKeepEveryVersion() {
        Random r = new Random(42);
        List<PersistentVector> versions = new ArrayList<>();
        List<List<Object>> models = new ArrayList<>();
        PersistentVector v = PersistentVector.EMPTY;
        List<Object> model = new ArrayList<>();
        for (int step = 0; step < 3000; step++) {
            int op = r.nextInt(10);
            if (op < 5) {
                long x = r.nextLong();
                v = v.append(x);
                model.add(x);
            } else if (op < 7) {
                int k = r.nextInt(200);
                Object[] more = new Object[k];
                for (int i = 0; i < k; i++) {
                    more[i] = step * 1000L + i;
                }
                v = v.appendAll(more, 0, k);
                model.addAll(List.of(more));
            } else if (op < 8 && !model.isEmpty()) {
                int n = r.nextInt(model.size() + 1);
                v = v.take(n);
                model = new ArrayList<>(model.subList(0, n));
            } else if (op < 9 && !model.isEmpty()) {
                int i = r.nextInt(model.size());
                v = v.set(i, "set" + step);
                model.set(i, "set" + step);
            } else if (!versions.isEmpty()) {
                // continue from an older version, as a program keeping an old list does
                int back = r.nextInt(versions.size());
                v = versions.get(back);
                model = new ArrayList<>(models.get(back));
            }
            versions.add(v);
            models.add(new ArrayList<>(model));
        }
        for (int i = 0; i < versions.size(); i++) {
            assertSameElements(models.get(i), versions.get(i));
        }
    }

    @Test
    void outOfRangeIsAnExceptionNotAWrongElement() {
        PersistentVector v = PersistentVector.of(new Object[] {1L, 2L});
        assertThrows(IndexOutOfBoundsException.class, () -> v.get(2));
        assertThrows(IndexOutOfBoundsException.class, () -> v.get(-1));
    }
}
