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
        // Plain loops: Arrays.copyOf of a FunctionValue[] makes its copy by reflection, a call into the VM in
        // the C1-compiled code the interpreter runs as.
        int n = kinds.length;
        byte[] k = new byte[n + 1];
        FunctionValue[] fs = new FunctionValue[n + 1];
        for (int i = 0; i < n; i++) {
            k[i] = kinds[i];
            fs[i] = functions[i];
        }
        k[n] = kind;
        fs[n] = f;
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
        return "<iterator>";
    }
}
