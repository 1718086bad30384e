package org.osprey.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.UnsupportedMessageException;
import com.oracle.truffle.api.strings.TruffleString;

/** Converts values arriving from other languages or the host into Osprey's representation. */
public final class HostValues {
    private HostValues() {
    }

    @TruffleBoundary
    public static Object[] toOsprey(Object[] args) {
        Object[] out = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            out[i] = toOsprey(args[i]);
        }
        return out;
    }

    @TruffleBoundary
    public static Object toOsprey(Object v) {
        if (v instanceof Integer i) {
            return (long) i;
        }
        if (v instanceof Short s) {
            return (long) s;
        }
        if (v instanceof Byte b) {
            return (long) b;
        }
        if (v instanceof Float f) {
            return (double) f;
        }
        if (v instanceof String s) {
            return Strings.of(s);
        }
        if (v instanceof Character c) {
            return Strings.of(String.valueOf(c));
        }
        if (v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof TruffleString) {
            return v;
        }
        InteropLibrary lib = InteropLibrary.getUncached(v);
        try {
            if (lib.isString(v)) {
                return lib.asTruffleString(v).switchEncodingUncached(Strings.ENCODING);
            }
            if (lib.isBoolean(v)) {
                return lib.asBoolean(v);
            }
            if (lib.fitsInLong(v)) {
                return lib.asLong(v);
            }
            if (lib.fitsInDouble(v)) {
                return lib.asDouble(v);
            }
            if (lib.isNull(v)) {
                return Unit.INSTANCE;
            }
        } catch (UnsupportedMessageException e) {
            // fall through: keep the foreign object as it is
        }
        return v;
    }
}
