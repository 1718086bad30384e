package org.osprey.runtime;

import java.util.Arrays;

/**
 * An immutable vector as a bitmapped trie of branching factor 32 with a tail buffer (spec 0004 TYPE-LIST,
 * after Bagwell and Clojure): get and set in O(log32 n), append in amortised O(1) (it copies the tail of at
 * most 32 elements, and one path of the trie every 32 appends), {@link #take} in O(log32 n). Updates copy
 * one path and share the rest, so older versions stay valid and unchanged.
 *
 * <p>Invariants: every leaf inside the trie is full (32 elements); the tail holds the last
 * {@code count - tailOffset()} elements, between 1 and 32 unless the vector is empty.
 *
 * <p>Arrays are copied with {@code Arrays.copyOf}, not {@code clone()}: C1, which compiles the interpreter's
 * own code, makes {@code clone()} a call into the VM (45 ns for 16 elements, against 12).
 */
public final class PersistentVector {
    static final int BITS = 5;
    static final int WIDTH = 1 << BITS;
    static final int MASK = WIDTH - 1;
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
        return EMPTY.appendAll(values, 0, values.length);
    }

    /**
     * The vector of {@code values[0, n)}, for {@code 1 <= n <= WIDTH}, taking the array as its tail where it
     * has exactly {@code n} elements: the caller gives it up (see ListValue.Builder). No boundary and no
     * loop, so compiled code building a short list allocates the vector and nothing more.
     */
    static PersistentVector ofShort(Object[] values, int n) {
        Object[] tail = values;
        if (n != values.length) {
            tail = new Object[n];
            System.arraycopy(values, 0, tail, 0, n);
        }
        return new PersistentVector(n, BITS, EMPTY_NODE, tail);
    }

    public int size() {
        return count;
    }

    /** The tail, where it holds every element (at most 32), element i at i; else null. */
    Object[] tailIfAll() {
        return count <= WIDTH ? tail : null;
    }

    private int tailOffset() {
        return count < WIDTH ? 0 : ((count - 1) >>> BITS) << BITS;
    }

    /**
     * The array that holds element {@code i}, at position {@code i & MASK}. Elements {@code i & ~MASK} up to
     * the array's length (or {@link #size()}) are in the same array, which lets a cursor walk the vector a
     * leaf at a time. The caller must not change it.
     */
    Object[] arrayFor(int i) {
        if (i >= tailOffset()) {
            return tail;
        }
        Object[] node = root;
        for (int level = shift; level > 0; level -= BITS) {
            node = (Object[]) node[(i >>> level) & MASK];
        }
        return node;
    }

    /** Element {@code i}, for {@code 0 <= i < size()} (not checked): no throw, so compiled code can inline it. */
    Object element(int i) {
        return arrayFor(i)[i & MASK];
    }

    public Object get(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("index " + i + " of " + count);
        }
        return element(i);
    }

    public PersistentVector append(Object value) {
        int inTail = count - tailOffset();
        if (inTail < WIDTH) {
            Object[] newTail = Arrays.copyOf(tail, inTail + 1);
            newTail[inTail] = value;
            return new PersistentVector(count + 1, shift, root, newTail);
        }
        return pushedTail(new Object[] {value}, 1);
    }

    /** This vector with its full tail moved into the trie, and {@code newTail} (of {@code n} elements) as its tail. */
    private PersistentVector pushedTail(Object[] newTail, int n) {
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
        return new PersistentVector(count + n, newShift, newRoot, newTail);
    }

    /** Appends {@code values[from, to)} in order: O(k) for k elements plus one path copy per 32. */
    public PersistentVector appendAll(Object[] values, int from, int to) {
        PersistentVector v = this;
        int i = from;
        while (i < to) {
            int inTail = v.count - v.tailOffset();
            if (v.count > 0 && inTail == WIDTH) {
                int k = Math.min(WIDTH, to - i);
                v = v.pushedTail(Arrays.copyOfRange(values, i, i + k), k);
                i += k;
            } else {
                int k = Math.min(WIDTH - inTail, to - i);
                Object[] newTail = Arrays.copyOf(v.tail, inTail + k);
                System.arraycopy(values, i, newTail, inTail, k);
                v = new PersistentVector(v.count + k, v.shift, v.root, newTail);
                i += k;
            }
        }
        return v;
    }

    private Object[] pushTail(int level, Object[] parent, Object[] tailNode) {
        int subIndex = ((count - 1) >>> level) & MASK;
        Object[] ret = Arrays.copyOf(parent, parent.length);
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

    /**
     * The first {@code n} elements, sharing this vector's trie: O(log32 n). The leaf that holds element
     * {@code n - 1} becomes the new tail; the trie keeps the full leaves before it.
     */
    public PersistentVector take(int n) {
        if (n >= count) {
            return this;
        }
        if (n <= 0) {
            return EMPTY;
        }
        int offset = tailOffset();
        if (n > offset) {
            return new PersistentVector(n, shift, root, Arrays.copyOf(tail, n - offset));
        }
        int newOffset = ((n - 1) >>> BITS) << BITS;
        Object[] newTail = Arrays.copyOf(arrayFor(n - 1), n - newOffset);
        if (newOffset == 0) {
            return new PersistentVector(n, BITS, EMPTY_NODE, newTail);
        }
        Object[] newRoot = trim(shift, root, newOffset - 1);
        int newShift = shift;
        while (newShift > BITS && newRoot[1] == null) {
            newRoot = (Object[]) newRoot[0];
            newShift -= BITS;
        }
        return new PersistentVector(n, newShift, newRoot, newTail);
    }

    /** {@code node} keeping only the subtrees up to the one that holds {@code last}. */
    private static Object[] trim(int level, Object[] node, int last) {
        int sub = (last >>> level) & MASK;
        Object[] ret = new Object[WIDTH];
        System.arraycopy(node, 0, ret, 0, sub + 1);
        if (level > BITS) {
            ret[sub] = trim(level - BITS, (Object[]) node[sub], last);
        }
        return ret;
    }

    public PersistentVector set(int i, Object value) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("index " + i + " of " + count);
        }
        if (i >= tailOffset()) {
            Object[] newTail = Arrays.copyOf(tail, tail.length);
            newTail[i & MASK] = value;
            return new PersistentVector(count, shift, root, newTail);
        }
        return new PersistentVector(count, shift, assoc(shift, root, i, value), tail);
    }

    private static Object[] assoc(int level, Object[] node, int i, Object value) {
        Object[] ret = Arrays.copyOf(node, node.length);
        if (level == 0) {
            ret[i & MASK] = value;
        } else {
            int sub = (i >>> level) & MASK;
            ret[sub] = assoc(level - BITS, (Object[]) node[sub], i, value);
        }
        return ret;
    }

    /** Copies elements {@code [from, to)} into {@code dst} at {@code at}, a leaf at a time. */
    public void copyTo(int from, int to, Object[] dst, int at) {
        int i = from;
        while (i < to) {
            Object[] leaf = arrayFor(i);
            int k = Math.min(to - i, WIDTH - (i & MASK));
            System.arraycopy(leaf, i & MASK, dst, at, k);
            at += k;
            i += k;
        }
    }
}
