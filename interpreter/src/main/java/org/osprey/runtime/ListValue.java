package org.osprey.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.InvalidArrayIndexException;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

/**
 * {@code List<T>}: a window {@code [start, end)} onto a {@link PersistentVector}. The window makes
 * {@code tail} and the rest binder of {@code [head, ...tail]} O(1), so recursion over a list is linear.
 * Seen from other languages as an array.
 */
@ExportLibrary(InteropLibrary.class)
public final class ListValue implements TruffleObject {
    public static final ListValue EMPTY = new ListValue(PersistentVector.EMPTY, 0, 0);

    private final PersistentVector vector;
    private final int start;
    private final int end;

    private ListValue(PersistentVector vector, int start, int end) {
        this.vector = vector;
        this.start = start;
        this.end = end;
    }

    @TruffleBoundary
    public static ListValue of(Object... values) {
        return new ListValue(PersistentVector.of(values), 0, values.length);
    }

    @TruffleBoundary
    public static ListValue of(java.util.List<?> values) {
        PersistentVector v = PersistentVector.EMPTY;
        for (Object o : values) {
            v = v.append(o);
        }
        return new ListValue(v, 0, values.size());
    }

    public int size() {
        return end - start;
    }

    @TruffleBoundary
    public Object get(int i) {
        return vector.get(start + i);
    }

    @TruffleBoundary
    public ListValue append(Object value) {
        if (end == vector.size()) {
            return new ListValue(vector.append(value), start, end + 1);
        }
        PersistentVector v = copy();
        return new ListValue(v.append(value), 0, size() + 1);
    }

    @TruffleBoundary
    public ListValue set(int i, Object value) {
        return new ListValue(vector.set(start + i, value), start, end);
    }

    @TruffleBoundary
    public ListValue prepend(Object value) {
        PersistentVector v = PersistentVector.EMPTY.append(value);
        for (int i = start; i < end; i++) {
            v = v.append(vector.get(i));
        }
        return new ListValue(v, 0, size() + 1);
    }

    @TruffleBoundary
    public ListValue concat(ListValue other) {
        if (other.size() == 0) {
            return this;
        }
        if (size() == 0) {
            return other;
        }
        ListValue out = this;
        for (int i = 0; i < other.size(); i++) {
            out = out.append(other.get(i));
        }
        return out;
    }

    /** Elements {@code [from, to)} of this list, sharing its storage. */
    public ListValue slice(int from, int to) {
        if (from == 0 && to == size()) {
            return this;
        }
        return new ListValue(vector, start + from, start + to);
    }

    private PersistentVector copy() {
        PersistentVector v = PersistentVector.EMPTY;
        for (int i = start; i < end; i++) {
            v = v.append(vector.get(i));
        }
        return v;
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
        if (index < 0 || index >= size()) {
            throw InvalidArrayIndexException.create(index);
        }
        return get((int) index);
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
