package org.osprey.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

/** {@code range(start: a, end: b)}: the ints a, a+1, ..., b-1, produced lazily (spec 0010). */
@ExportLibrary(InteropLibrary.class)
public final class RangeValue implements TruffleObject {
    public final long start;
    public final long end;

    public RangeValue(long start, long end) {
        this.start = start;
        this.end = end;
    }

    @Override
    public String toString() {
        return "range(" + start + ", " + end + ")";
    }

    @ExportMessage
    boolean hasLanguage() {
        return true;
    }

    @ExportMessage
    Class<? extends com.oracle.truffle.api.TruffleLanguage<?>> getLanguage() {
        return org.osprey.OspreyLanguage.class;
    }

    /** Walked from another language element by element (InteropCursor), as Osprey's for loops walk it. */
    @ExportMessage
    boolean hasIterator() {
        return true;
    }

    @ExportMessage
    Object getIterator() {
        return new InteropCursor(this);
    }

    @ExportMessage
    boolean hasMetaObject() {
        return true;
    }

    @ExportMessage
    Object getMetaObject() {
        return MetaType.ITERATOR;
    }

    @ExportMessage
    @TruffleBoundary
    Object toDisplayString(boolean allowSideEffects) {
        return toString();
    }
}
