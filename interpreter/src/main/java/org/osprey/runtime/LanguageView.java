package org.osprey.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

/**
 * How Osprey shows a value that belongs to no language (an int, a float, a bool, a string): with Osprey's
 * type names and display, so a debugger stopped in Osprey code shows {@code 42: int}, not {@code Long}.
 */
@ExportLibrary(value = InteropLibrary.class, delegateTo = "delegate")
public final class LanguageView implements TruffleObject {
    final Object delegate;

    public LanguageView(Object delegate) {
        this.delegate = delegate;
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
    boolean hasMetaObject() {
        return MetaType.of(HostValues.toOsprey(delegate)) != null;
    }

    @ExportMessage
    @TruffleBoundary
    Object getMetaObject() throws com.oracle.truffle.api.interop.UnsupportedMessageException {
        MetaType m = MetaType.of(HostValues.toOsprey(delegate));
        if (m == null) {
            throw com.oracle.truffle.api.interop.UnsupportedMessageException.create();
        }
        return m;
    }

    @ExportMessage
    @TruffleBoundary
    Object toDisplayString(boolean allowSideEffects) {
        Object v = HostValues.toOsprey(delegate);
        if (MetaType.of(v) != null) {
            return Display.repr(v);
        }
        return InteropLibrary.getUncached().toDisplayString(delegate, allowSideEffects);
    }
}
