package org.osprey.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

/**
 * A record or a union variant value (Result's Success and Error included): a shape and the field values in
 * layout order. Immutable: record update makes a copy.
 */
@ExportLibrary(InteropLibrary.class)
public final class DataValue implements TruffleObject {
    public final DataShape shape;
    public final Object[] fields;

    public DataValue(DataShape shape, Object[] fields) {
        this.shape = shape;
        this.fields = fields;
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
    @TruffleBoundary
    Object toDisplayString(boolean allowSideEffects) {
        return Display.show(this);
    }
}
