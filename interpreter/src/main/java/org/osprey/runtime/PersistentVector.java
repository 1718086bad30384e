package org.osprey.runtime;

import java.util.Arrays;

/**
 * An immutable vector as a bitmapped trie of branching factor 32 with a tail buffer (spec 0004 TYPE-LIST,
 * after Bagwell and Clojure): get and set in O(log32 n), append in amortised O(1). Updates copy one path and
 * share the rest, so older versions stay valid.
 */
public final class PersistentVector {
    private static final int BITS = 5;
    private static final int WIDTH = 1 << BITS;
    private static final int MASK = WIDTH - 1;
    private static final Object[] EMPTY_NODE = new Object[WIDTH];
    public static final PersistentVector EMPTY = new PersistentVector(0, BITS, EMPTY_NODE, new Object[0]);

    private final int count;
    private final int shift;
    private final Object[] root;
    private final Object[] tail;

    private PersistentVector(int count, int shift, Object[] root, Object[] tail) {
        this.count = count;
        this.shift = shift;
        this.root = root;
        this.tail = tail;
    }

    public static PersistentVector of(Object[] values) {
        PersistentVector v = EMPTY;
        for (Object o : values) {
            v = v.append(o);
        }
        return v;
    }

    public int size() {
        return count;
    }

    private int tailOffset() {
        return count < WIDTH ? 0 : ((count - 1) >>> BITS) << BITS;
    }

    private Object[] leafFor(int i) {
        if (i >= tailOffset()) {
            return tail;
        }
        Object[] node = root;
        for (int level = shift; level > 0; level -= BITS) {
            node = (Object[]) node[(i >>> level) & MASK];
        }
        return node;
    }

    public Object get(int i) {
        return leafFor(i)[i & MASK];
    }

    public PersistentVector append(Object value) {
        if (count - tailOffset() < WIDTH) {
            Object[] newTail = Arrays.copyOf(tail, tail.length + 1);
            newTail[tail.length] = value;
            return new PersistentVector(count + 1, shift, root, newTail);
        }
        Object[] newRoot;
        int newShift = shift;
        if ((count >>> BITS) > (1 << shift)) {
            newRoot = new Object[WIDTH];
            newRoot[0] = root;
            newRoot[1] = newPath(shift, tail);
            newShift += BITS;
        } else {
            newRoot = pushTail(shift, root, tail);
        }
        return new PersistentVector(count + 1, newShift, newRoot, new Object[] {value});
    }

    private Object[] pushTail(int level, Object[] parent, Object[] tailNode) {
        int subIndex = ((count - 1) >>> level) & MASK;
        Object[] ret = parent.clone();
        Object[] insert;
        if (level == BITS) {
            insert = tailNode;
        } else {
            Object[] child = (Object[]) parent[subIndex];
            insert = child != null ? pushTail(level - BITS, child, tailNode) : newPath(level - BITS, tailNode);
        }
        ret[subIndex] = insert;
        return ret;
    }

    private static Object[] newPath(int level, Object[] node) {
        if (level == 0) {
            return node;
        }
        Object[] ret = new Object[WIDTH];
        ret[0] = newPath(level - BITS, node);
        return ret;
    }

    public PersistentVector set(int i, Object value) {
        if (i >= tailOffset()) {
            Object[] newTail = tail.clone();
            newTail[i & MASK] = value;
            return new PersistentVector(count, shift, root, newTail);
        }
        return new PersistentVector(count, shift, assoc(shift, root, i, value), tail);
    }

    private static Object[] assoc(int level, Object[] node, int i, Object value) {
        Object[] ret = node.clone();
        if (level == 0) {
            ret[i & MASK] = value;
        } else {
            int sub = (i >>> level) & MASK;
            ret[sub] = assoc(level - BITS, (Object[]) node[sub], i, value);
        }
        return ret;
    }
}
