package org.osprey.runtime;

import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

/** The single value of type unit, {@code ()}; seen from other languages as null. */
@ExportLibrary(InteropLibrary.class)
public final class Unit implements TruffleObject {
    public static final Unit INSTANCE = new Unit();

    private Unit() {
    }

    @Override
    public String toString() {
        return "()";
    }

    @ExportMessage
    boolean isNull() {
        return true;
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
        return MetaType.UNIT;
    }

    @ExportMessage
    Object toDisplayString(boolean allowSideEffects) {
        return "()";
    }
}
