package org.osprey.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * {@code List<T>}'s operations (index, append, prepend, tail, drop, take, concat, reverse) in random
 * sequences, each result checked against an {@link java.util.ArrayList} model through every way of reading
 * a list (get, cursor, toArray), and every older version re-checked at the end: persistence means a list,
 * once made, never changes, whatever is later built from it.
 */
class ListValueTest {
    private static void assertSameElements(List<Object> model, ListValue l) {
        assertEquals(model.size(), l.size());
        for (int i = 0; i < model.size(); i++) {
            assertEquals(model.get(i), l.get(i), "element " + i);
        }
        List<Object> walked = new ArrayList<>();
        l.forEach(walked::add);
        assertEquals(model, walked);
        assertEquals(model, List.of(l.toArray()));
    }

    private static ListValue listOf(List<Object> model) {
        return ListValue.of(model.toArray());
    }

    @Test
    void randomOperationsAgainstArrayListModelsKeepEveryVersion() {
        Random r = new Random(2026);
        List<ListValue> versions = new ArrayList<>();
        List<List<Object>> models = new ArrayList<>();
        ListValue l = ListValue.EMPTY;
        List<Object> model = new ArrayList<>();
        for (int step = 0; step < 4000; step++) {
            int op = r.nextInt(13);
            long x = step;
            switch (op) {
                case 0, 1, 2 -> {
                    l = l.append(x);
                    model.add(x);
                }
                case 3, 4, 5 -> {
                    l = l.prepend(x);
                    model.add(0, x);
                }
                case 6 -> {
                    l = l.drop(1);
                    if (!model.isEmpty()) {
                        model.remove(0);
                    }
                }
                case 7 -> {
                    int k = r.nextInt(model.size() + 2);
                    l = l.take(k);
                    model = new ArrayList<>(model.subList(0, Math.min(k, model.size())));
                }
                case 8 -> {
                    int k = r.nextInt(model.size() + 2);
                    l = l.drop(k);
                    model = new ArrayList<>(model.subList(Math.min(k, model.size()), model.size()));
                }
                case 9 -> {
                    // concat with an older version on either side, or with itself
                    int other = versions.isEmpty() ? -1 : r.nextInt(versions.size());
                    ListValue o = other < 0 ? l : versions.get(other);
                    List<Object> om = other < 0 ? model : models.get(other);
                    List<Object> joined = new ArrayList<>();
                    if (r.nextBoolean()) {
                        l = l.concat(o);
                        joined.addAll(model);
                        joined.addAll(om);
                    } else {
                        l = o.concat(l);
                        joined.addAll(om);
                        joined.addAll(model);
                    }
                    model = joined;
                }
                case 10 -> {
                    l = l.reverse();
                    Collections.reverse(model);
                }
                case 11 -> {
                    if (!model.isEmpty()) {
                        int i = r.nextInt(model.size());
                        l = l.set(i, "set" + step);
                        model.set(i, "set" + step);
                    }
                }
                default -> {
                    if (!versions.isEmpty()) {
                        // grow an older version again: its vectors' ends are taken by later versions
                        int back = r.nextInt(versions.size());
                        l = versions.get(back);
                        model = new ArrayList<>(models.get(back));
                    }
                }
            }
            versions.add(l);
            models.add(new ArrayList<>(model));
            if (model.size() > 3000) {
                l = l.take(100);
                model = new ArrayList<>(model.subList(0, 100));
            }
        }
        for (int i = 0; i < versions.size(); i++) {
            assertSameElements(models.get(i), versions.get(i));
        }
    }

    /**
     * A builder's array becomes the list's storage (up to 32 elements its tail): lists of every size around
     * the array's growth and the tail's width, from builders sized for fewer, as many and more elements,
     * read back in order, and what is built from them later
     * (append, set, prepend) leaves them as they were.
     */
    @Test
    void builtListsHoldTheirElementsAndStayUnchanged() {
        for (int n : new int[] {0, 1, 7, 8, 9, 16, 17, 31, 32, 33, 64, 65, 1000}) {
            for (long expected : new long[] {-1, 0, n / 2, n, n + 1, 2L * n}) {
                builtListHoldsItsElements(n, expected < 0 ? new ListValue.Builder() : new ListValue.Builder(expected));
            }
        }
        assertSame(ListValue.EMPTY, new ListValue.Builder().build());
    }

    private static void builtListHoldsItsElements(int n, ListValue.Builder b) {
        List<Object> model = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            b.add(i);
            model.add(i);
        }
        ListValue l = b.build();
        assertSameElements(model, l);
        for (int i = 0; i < n; i++) {
            assertEquals(model.get(i), l.element(i), "element " + i + " of " + n);
        }
        ListValue appended = l.append("x");
        ListValue changed = n > 0 ? l.set(n - 1, "y") : l;
        ListValue prepended = l.prepend("z");
        assertSameElements(model, l);
        assertEquals("x", appended.get(n));
        assertEquals(n + 1, prepended.size());
        if (n > 0) {
            assertEquals("y", changed.get(n - 1));
        }
    }

    /** A list literal's array is adopted as it is; adopting part of an array copies that part. */
    @Test
    void adoptedArraysReadBackInOrder() {
        Object[] three = {1L, 2L, 3L};
        assertSameElements(List.of(1L, 2L, 3L), ListValue.adopt(three, 3));
        assertSameElements(List.of(1L, 2L), ListValue.adopt(three, 2));
        Object[] many = new Object[40];
        for (int i = 0; i < many.length; i++) {
            many[i] = (long) i;
        }
        assertSameElements(List.of(many).subList(0, 33), ListValue.adopt(many, 33));
        assertSameElements(List.of(many), ListValue.adopt(many, 40));
    }

    @Test
    void appendingTwiceToOneListGivesTwoIndependentLists() {
        ListValue base = ListValue.EMPTY;
        for (long i = 0; i < 1000; i++) {
            base = base.append(i);
        }
        ListValue a = base.append("a");
        ListValue b = base.append("b");
        ListValue c = base.prepend("c");
        ListValue d = base.prepend("d");
        assertEquals("a", a.get(1000));
        assertEquals("b", b.get(1000));
        assertEquals("c", c.get(0));
        assertEquals("d", d.get(0));
        assertEquals(1000, base.size());
        assertEquals(999L, base.get(999));
        assertEquals(1001, c.size());
        assertEquals(0L, d.get(1));
    }

    @Test
    void prependingAHundredThousandKeepsOrderAndOldVersions() {
        ListValue l = ListValue.EMPTY;
        ListValue half = null;
        for (long i = 0; i < 100_000; i++) {
            l = l.prepend(i);
            if (i == 49_999) {
                half = l;
            }
        }
        assertEquals(100_000, l.size());
        assertEquals(99_999L, l.get(0));
        assertEquals(0L, l.get(99_999));
        assertEquals(50_000, half.size());
        assertEquals(49_999L, half.get(0));
        assertEquals(0L, half.get(49_999));
    }

    @Test
    void tailWalksTheWholeListFromBothStorages() {
        List<Object> model = new ArrayList<>();
        ListValue l = ListValue.EMPTY;
        for (long i = 0; i < 500; i++) {
            l = l.append(i).prepend(-i - 1);
            model.add(i);
            model.add(0, -i - 1);
        }
        int n = 0;
        while (l.size() > 0) {
            assertEquals(model.get(n), l.get(0));
            l = l.drop(1);
            n++;
        }
        assertEquals(1000, n);
        assertSame(ListValue.EMPTY, l);
    }

    @Test
    void concatPutsTheShorterOntoTheLonger() {
        List<Object> small = List.of(1L, 2L, 3L);
        List<Object> big = new ArrayList<>();
        for (long i = 0; i < 5000; i++) {
            big.add(i * 10);
        }
        ListValue s = listOf(small);
        ListValue b = listOf(big);
        List<Object> sb = new ArrayList<>(small);
        sb.addAll(big);
        List<Object> bs = new ArrayList<>(big);
        bs.addAll(small);
        assertSameElements(sb, s.concat(b));
        assertSameElements(bs, b.concat(s));
        assertSameElements(small, s);
        assertSameElements(big, b);
        assertSame(b, b.concat(ListValue.EMPTY));
        assertSame(b, ListValue.EMPTY.concat(b));
    }

    @Test
    void reverseIsAViewAndCanStillGrow() {
        ListValue l = ListValue.of(1L, 2L, 3L).prepend(0L);
        ListValue r = l.reverse();
        assertSameElements(List.of(3L, 2L, 1L, 0L), r);
        assertSameElements(List.of(9L, 3L, 2L, 1L, 0L, 8L), r.prepend(9L).append(8L));
        assertSameElements(List.of(0L, 1L, 2L, 3L), l);
    }
}
