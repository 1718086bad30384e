package org.osprey.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.ArityException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.interop.UnknownIdentifierException;
import com.oracle.truffle.api.interop.UnsupportedMessageException;
import com.oracle.truffle.api.interop.UnsupportedTypeException;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

/**
 * A record or a union variant value (Result's Success and Error included): a shape and the field values in
 * layout order. Immutable: record update makes a copy. Other languages see an object whose members are the
 * fields (read-only) and whose meta object is the record type or the variant ({@link MetaType}).
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

    @ExportMessage
    boolean hasMetaObject() {
        return true;
    }

    @ExportMessage
    Object getMetaObject() {
        return shape.metaType();
    }

    @ExportMessage
    boolean hasMembers() {
        return true;
    }

    /** The field names in declaration order. */
    @ExportMessage
    @TruffleBoundary
    Object getMembers(boolean includeInternal) {
        Object[] names = new Object[shape.fieldNames.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = Strings.of(shape.fieldNames[shape.displayOrder[i]]);
        }
        return ListValue.of(names);
    }

    @ExportMessage
    @TruffleBoundary
    boolean isMemberReadable(String member) {
        return shape.fieldIndex(member) >= 0;
    }

    @ExportMessage
    @TruffleBoundary
    Object readMember(String member) throws UnknownIdentifierException {
        int i = shape.fieldIndex(member);
        if (i < 0) {
            throw UnknownIdentifierException.create(member);
        }
        return fields[i];
    }

    /** A field holding a function can be called as a method: {@code record.invokeMember("f", 5)}, JavaScript's {@code rec.f(5)}. */
    @ExportMessage
    @TruffleBoundary
    boolean isMemberInvocable(String member) {
        int i = shape.fieldIndex(member);
        return i >= 0 && fields[i] instanceof FunctionValue;
    }

    @ExportMessage
    @TruffleBoundary
    Object invokeMember(String member, Object[] arguments)
                    throws UnknownIdentifierException, UnsupportedMessageException, ArityException, UnsupportedTypeException {
        int i = shape.fieldIndex(member);
        if (i < 0 || !(fields[i] instanceof FunctionValue)) {
            throw UnknownIdentifierException.create(member);
        }
        return InteropLibrary.getUncached().execute(fields[i], arguments);
    }
}
