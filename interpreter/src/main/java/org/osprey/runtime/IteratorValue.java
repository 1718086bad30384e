package org.osprey.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

/**
 * {@code Iterator<T>} (spec 0010): a source (a range, a list, a map's entries) and a chain of map and filter
 * steps, applied lazily, element by element, when something consumes it. Nothing in between is materialised.
 */
@ExportLibrary(InteropLibrary.class)
public final class IteratorValue implements TruffleObject {
    public static final byte MAP = 0;
    public static final byte FILTER = 1;

    public final Object source;
    public final byte[] kinds;
    public final FunctionValue[] functions;

    public IteratorValue(Object source, byte[] kinds, FunctionValue[] functions) {
        this.source = source;
        this.kinds = kinds;
        this.functions = functions;
    }

    public static IteratorValue over(Object source) {
        return new IteratorValue(source, new byte[0], new FunctionValue[0]);
    }

    /** A new iterator with one more step. */
    public IteratorValue then(byte kind, FunctionValue f) {
        byte[] k = java.util.Arrays.copyOf(kinds, kinds.length + 1);
        FunctionValue[] fs = java.util.Arrays.copyOf(functions, functions.length + 1);
        k[kinds.length] = kind;
        fs[functions.length] = f;
        return new IteratorValue(source, k, fs);
    }

    @Override
    @TruffleBoundary
    public String toString() {
        return Display.show(this);
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
        return MetaType.ITERATOR;
    }

    @ExportMessage
    @TruffleBoundary
    Object toDisplayString(boolean allowSideEffects) {
        return "<iterator>";
    }
}
