package org.osprey.runtime;

import java.util.NoSuchElementException;
import java.util.function.Consumer;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.InvalidArrayIndexException;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

/**
 * {@code List<T>} (spec 0004 TYPE-LIST): two persistent vectors, a front one stored in reverse and a back
 * one, each seen through a window. The list is the front window read backwards, then the back window:
 *
 * <pre>
 *   elements = front[fEnd-1], ..., front[fStart], back[bStart], ..., back[bEnd-1]
 * </pre>
 *
 * Bounds: index O(log32 n); append and prepend amortised O(1) (O(log32 n) when the vector end is taken by
 * another version: the vector is cut back to this list's window with {@link PersistentVector#take} first,
 * sharing everything before the cut); {@code tail}, the rest binder of {@code [h, ...t]}, {@code take} and
 * {@link #reverse} O(1); {@code length} O(1); {@code a + b} O(min(n, m)) amortised, since the shorter list is
 * appended to the back of the longer or prepended to its front; iteration O(n). Nothing is ever changed in
 * place, so every older version stays valid. Seen from other languages as an array.
 */
@ExportLibrary(InteropLibrary.class)
public final class ListValue implements TruffleObject {
    public static final ListValue EMPTY = new ListValue(PersistentVector.EMPTY, 0, 0, PersistentVector.EMPTY, 0, 0);

    private final PersistentVector front;
    private final int fStart;
    private final int fEnd;
    private final PersistentVector back;
    private final int bStart;
    private final int bEnd;
    /**
     * Where the list is the start of one array (no front elements, a back vector of at most 32 that is all
     * tail, the window from 0): that array, whose first {@link #size()} elements are the list; else null. A
     * short list, the common case, then reads an element as {@code small[i]}, two loads fewer than through
     * its vector. With compressed references the field costs no memory: the object was padded to the same
     * size without it.
     */
    private final Object[] small;

    private ListValue(PersistentVector front, int fStart, int fEnd, PersistentVector back, int bStart, int bEnd) {
        this.front = front;
        this.fStart = fStart;
        this.fEnd = fEnd;
        this.back = back;
        this.bStart = bStart;
        this.bEnd = bEnd;
        this.small = fStart == fEnd && bStart == 0 ? back.tailIfAll() : null;
    }

    private static ListValue make(PersistentVector front, int fStart, int fEnd, PersistentVector back, int bStart, int bEnd) {
        // An empty window lets go of its vector, so that a list emptied from one side keeps nothing alive.
        if (fStart == fEnd) {
            front = PersistentVector.EMPTY;
            fStart = 0;
            fEnd = 0;
        }
        if (bStart == bEnd) {
            back = PersistentVector.EMPTY;
            bStart = 0;
            bEnd = 0;
        }
        if (fEnd == 0 && bEnd == 0) {
            return EMPTY;
        }
        return new ListValue(front, fStart, fEnd, back, bStart, bEnd);
    }

    @TruffleBoundary
    public static ListValue of(Object... values) {
        return values.length == 0 ? EMPTY : new ListValue(PersistentVector.EMPTY, 0, 0, PersistentVector.of(values), 0, values.length);
    }

    @TruffleBoundary
    public static ListValue of(java.util.List<?> values) {
        return of(values.toArray());
    }

    /**
     * The list of {@code values[0, n)}, an array the caller made for it and gives up: up to 32 elements it
     * becomes the list's storage (copied only if it is longer than {@code n}), with no boundary, so a list
     * literal or a short list built in compiled code costs its allocations and no call.
     */
    public static ListValue adopt(Object[] values, int n) {
        if (n == 0) {
            return EMPTY;
        }
        if (n <= PersistentVector.WIDTH) {
            return new ListValue(PersistentVector.EMPTY, 0, 0, PersistentVector.ofShort(values, n), 0, n);
        }
        return ofLong(values, n);
    }

    @TruffleBoundary
    private static ListValue ofLong(Object[] values, int n) {
        return new ListValue(PersistentVector.EMPTY, 0, 0, PersistentVector.EMPTY.appendAll(values, 0, n), 0, n);
    }

    /**
     * A new list's elements in order, gathered in one growing array (a comprehension, map, filter). Adding is
     * a store in compiled code, not a call; {@link #build()} hands the array to the list.
     */
    public static final class Builder {
        private Object[] items;
        private int count;

        public Builder() {
            items = new Object[8];
        }

        /**
         * For about {@code expected} elements (a source's length): a short list that gets exactly as many is
         * built in one array with no copy. More than 32 start at 32, since a longer list is copied into its
         * vector's leaves anyway.
         */
        public Builder(long expected) {
            items = new Object[(int) Math.max(1, Math.min(expected, PersistentVector.WIDTH))];
        }

        public void add(Object value) {
            if (count == items.length) {
                grow();
            }
            items[count++] = value;
        }

        @TruffleBoundary
        private void grow() {
            items = java.util.Arrays.copyOf(items, count * 2);
        }

        /** The list; the builder must not be used after it. */
        public ListValue build() {
            ListValue l = adopt(items, count);
            items = null;
            return l;
        }
    }

    private int frontSize() {
        return fEnd - fStart;
    }

    public int size() {
        return fEnd - fStart + bEnd - bStart;
    }

    /**
     * Element {@code i}, or null where {@code i} is out of range (an element is never null). Not behind a
     * boundary: compiled code indexing a list walks the trie itself instead of calling out.
     */
    public Object at(long i) {
        return i >= 0 && i < size() ? element((int) i) : null;
    }

    /** Element {@code i}, for {@code 0 <= i < size()}. */
    @TruffleBoundary
    public Object get(int i) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException("index " + i + " of " + size());
        }
        return element(i);
    }

    /**
     * Element {@code i}, for {@code 0 <= i < size()} (not checked): from the front vector or the back one. Not
     * behind a boundary: a loop over a list in compiled code (a comprehension, a fold or map written in place)
     * reads its elements by index with no call per element; for a short list that is one read of its array
     * ({@link #small}).
     */
    public Object element(int i) {
        Object[] s = small;
        if (s != null) {
            return s[i];
        }
        int nf = fEnd - fStart;
        return i < nf ? front.element(fEnd - 1 - i) : back.element(bStart + i - nf);
    }

    /** The back vector, ready to grow at the end of this list's window. */
    private PersistentVector openBack() {
        return bEnd == back.size() ? back : back.take(bEnd);
    }

    private PersistentVector openFront() {
        return fEnd == front.size() ? front : front.take(fEnd);
    }

    @TruffleBoundary
    public ListValue append(Object value) {
        return new ListValue(front, fStart, fEnd, openBack().append(value), bStart, bEnd + 1);
    }

    @TruffleBoundary
    public ListValue prepend(Object value) {
        return new ListValue(openFront().append(value), fStart, fEnd + 1, back, bStart, bEnd);
    }

    @TruffleBoundary
    public ListValue set(int i, Object value) {
        int nf = frontSize();
        if (i < nf) {
            return new ListValue(front.set(fEnd - 1 - i, value), fStart, fEnd, back, bStart, bEnd);
        }
        return new ListValue(front, fStart, fEnd, back.set(bStart + i - nf, value), bStart, bEnd);
    }

    /** {@code this + other}: the shorter list's elements go onto the longer one, O(min(n, m)) amortised. */
    @TruffleBoundary
    public ListValue concat(ListValue other) {
        int n = size();
        int m = other.size();
        if (m == 0) {
            return this;
        }
        if (n == 0) {
            return other;
        }
        if (m <= n) {
            Object[] added = other.toArray();
            PersistentVector b = openBack().appendAll(added, 0, m);
            return new ListValue(front, fStart, fEnd, b, bStart, bEnd + m);
        }
        Object[] added = toArray();
        reverseInPlace(added);
        PersistentVector f = other.openFront().appendAll(added, 0, n);
        return new ListValue(f, other.fStart, other.fEnd + n, other.back, other.bStart, other.bEnd);
    }

    /** The list without its first {@code k} elements (all of them if {@code k >= size()}), O(1). */
    @TruffleBoundary
    public ListValue drop(int k) {
        if (k <= 0) {
            return this;
        }
        int nf = frontSize();
        if (k <= nf) {
            return make(front, fStart, fEnd - k, back, bStart, bEnd);
        }
        return make(front, fStart, fStart, back, Math.min(bEnd, bStart + k - nf), bEnd);
    }

    /** The first {@code k} elements of the list (all of them if {@code k >= size()}), O(1). */
    @TruffleBoundary
    public ListValue take(int k) {
        if (k >= size()) {
            return this;
        }
        int nf = frontSize();
        if (k >= nf) {
            return make(front, fStart, fEnd, back, bStart, bStart + k - nf);
        }
        return make(front, fEnd - Math.max(k, 0), fEnd, back, bStart, bStart);
    }

    /** Elements {@code [from, to)} of this list, sharing its storage: O(1). */
    @TruffleBoundary
    public ListValue slice(int from, int to) {
        return drop(from).take(to - from);
    }

    /** The list in reverse order, O(1): the front and back vectors swap roles. */
    @TruffleBoundary
    public ListValue reverse() {
        return make(back, bStart, bEnd, front, fStart, fEnd);
    }

    /** The elements in order, in a new array: O(n), a leaf at a time. */
    @TruffleBoundary
    public Object[] toArray() {
        int nf = frontSize();
        Object[] out = new Object[size()];
        front.copyTo(fStart, fEnd, out, 0);
        reverseInPlace(out, 0, nf);
        back.copyTo(bStart, bEnd, out, nf);
        return out;
    }

    private static void reverseInPlace(Object[] a) {
        reverseInPlace(a, 0, a.length);
    }

    private static void reverseInPlace(Object[] a, int from, int to) {
        for (int i = from, j = to - 1; i < j; i++, j--) {
            Object t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Calls {@code f} on each element in order: O(n). */
    @TruffleBoundary
    public void forEach(Consumer<Object> f) {
        Cursor c = cursor();
        while (c.hasNext()) {
            f.accept(c.next());
        }
    }

    public Cursor cursor() {
        return new Cursor(this);
    }

    /** Reads a list front to back a leaf (32 elements) at a time: O(1) per element. */
    public static final class Cursor implements java.util.Iterator<Object> {
        private final ListValue list;
        private int index;
        private Object[] leaf;
        private int leafBase = -1;
        private boolean leafFromFront;

        Cursor(ListValue list) {
            this.list = list;
        }

        @Override
        public boolean hasNext() {
            return index < list.size();
        }

        @Override
        @TruffleBoundary
        public Object next() {
            if (index >= list.size()) {
                throw new NoSuchElementException();
            }
            int nf = list.fEnd - list.fStart;
            int i = index++;
            PersistentVector v;
            int at;
            boolean fromFront = i < nf;
            if (fromFront) {
                v = list.front;
                at = list.fEnd - 1 - i;
            } else {
                v = list.back;
                at = list.bStart + i - nf;
            }
            int base = at & ~PersistentVector.MASK;
            if (leaf == null || base != leafBase || fromFront != leafFromFront) {
                leaf = v.arrayFor(at);
                leafBase = base;
                leafFromFront = fromFront;
            }
            return leaf[at & PersistentVector.MASK];
        }
    }

    @Override
    @TruffleBoundary
    public String toString() {
        return Display.show(this);
    }

    @ExportMessage
    boolean hasArrayElements() {
        return true;
    }

    @ExportMessage
    long getArraySize() {
        return size();
    }

    @ExportMessage
    boolean isArrayElementReadable(long index) {
        return index >= 0 && index < size();
    }

    @ExportMessage
    Object readArrayElement(long index) throws InvalidArrayIndexException {
        Object v = at(index);
        if (v == null) {
            throw InvalidArrayIndexException.create(index);
        }
        return v;
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
        return MetaType.LIST;
    }

    @ExportMessage
    @TruffleBoundary
    Object toDisplayString(boolean allowSideEffects) {
        return Display.show(this);
    }
}
