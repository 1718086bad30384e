package org.osprey.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.ArityException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.interop.UnknownIdentifierException;
import com.oracle.truffle.api.interop.UnsupportedMessageException;
import com.oracle.truffle.api.interop.UnsupportedTypeException;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

import org.osprey.ast.Binding;

/**
 * The names a program declared at the top level, as {@code context.getBindings("osprey")} shows them:
 * functions as executable values, lets and muts with their current values. Read-only: an embedder passes
 * values in as function arguments, where they are type-checked. A let whose declaration has not run yet is
 * not readable.
 */
@ExportLibrary(InteropLibrary.class)
public final class TopScope implements TruffleObject {
    private final Map<String, Binding> declared;

    public TopScope(Map<String, Binding> declared) {
        this.declared = declared;
    }

    @TruffleBoundary
    private Object value(String name) {
        Binding b;
        synchronized (declared) { // a program evaluated on another thread may be adding its declarations
            b = declared.get(name);
        }
        if (b == null) {
            return null;
        }
        return switch (b.kind) {
            case FUNCTION -> b.storage;
            case GLOBAL -> b.storage instanceof GlobalCell cell ? cell.value : null;
            default -> null;
        };
    }

    @ExportMessage
    boolean isScope() {
        return true;
    }

    @ExportMessage
    boolean hasMembers() {
        return true;
    }

    @ExportMessage
    @TruffleBoundary
    Object getMembers(boolean includeInternal) {
        List<String> keys;
        synchronized (declared) {
            keys = new ArrayList<>(declared.keySet());
        }
        List<Object> names = new ArrayList<>();
        for (String name : keys) {
            if (value(name) != null) {
                names.add(Strings.of(name));
            }
        }
        return ListValue.of(names);
    }

    @ExportMessage
    boolean isMemberReadable(String member) {
        return value(member) != null;
    }

    @ExportMessage
    Object readMember(String member) throws UnknownIdentifierException {
        Object v = value(member);
        if (v == null) {
            throw UnknownIdentifierException.create(member);
        }
        return v;
    }

    /** A function can be called as a method of the bindings: {@code bindings.invokeMember("add", 3, 4)}, JavaScript's {@code osprey.add(3, 4)}. */
    @ExportMessage
    @TruffleBoundary
    boolean isMemberInvocable(String member) {
        return value(member) instanceof FunctionValue;
    }

    @ExportMessage
    @TruffleBoundary
    Object invokeMember(String member, Object[] arguments)
                    throws UnknownIdentifierException, UnsupportedMessageException, ArityException, UnsupportedTypeException {
        if (!(value(member) instanceof FunctionValue f)) {
            throw UnknownIdentifierException.create(member);
        }
        return InteropLibrary.getUncached().execute(f, arguments);
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
    Object toDisplayString(boolean allowSideEffects) {
        return "top level";
    }
}
