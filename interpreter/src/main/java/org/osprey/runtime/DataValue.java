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
 *
 * <p>Up to three fields are fields of the object itself ({@link F0} to {@link F3}), more an array
 * ({@link FN}): a {@code Success(v)} or a tree node is one object, not an object and its array, and a field
 * is read with one load. Which class a value has follows from its shape's arity ({@link DataShape#valueClass}),
 * so compiled code that knows the shape knows the class ({@link #exact}).
 */
@ExportLibrary(InteropLibrary.class)
public abstract class DataValue implements TruffleObject {
    public final DataShape shape;

    DataValue(DataShape shape) {
        this.shape = shape;
    }

    /** A value of {@code shape} with these fields; the caller gives the array up (more than three fields: it is kept). */
    public static DataValue of(DataShape shape, Object[] fields) {
        return switch (fields.length) {
            case 0 -> new F0(shape);
            case 1 -> new F1(shape, fields[0]);
            case 2 -> new F2(shape, fields[0], fields[1]);
            case 3 -> new F3(shape, fields[0], fields[1], fields[2]);
            default -> new FN(shape, fields);
        };
    }

    /** The class a value of {@code arity} fields has. */
    static Class<? extends DataValue> classFor(int arity) {
        return switch (arity) {
            case 0 -> F0.class;
            case 1 -> F1.class;
            case 2 -> F2.class;
            case 3 -> F3.class;
            default -> FN.class;
        };
    }

    /** This value as the exact class of its shape, which compiled code then need not test again. */
    public final DataValue exact(DataShape known) {
        return com.oracle.truffle.api.CompilerDirectives.castExact(this, known.valueClass);
    }

    /** Field {@code i} in layout order. */
    public abstract Object field(int i);

    /**
     * The one field of a value that has one: a {@code Success}'s value or an {@code Error}'s payload. A test of
     * one final class and a load, where {@link #field} on a value of unknown class is a virtual call.
     */
    public final Object only() {
        return this instanceof F1 one ? one.f0 : field(0);
    }

    public abstract int fieldCount();

    /** The fields in layout order, in a new array. */
    public final Object[] fields() {
        Object[] out = new Object[fieldCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = field(i);
        }
        return out;
    }

    static final class F0 extends DataValue {
        F0(DataShape shape) {
            super(shape);
        }

        @Override
        public Object field(int i) {
            throw new IndexOutOfBoundsException(i);
        }

        @Override
        public int fieldCount() {
            return 0;
        }
    }

    static final class F1 extends DataValue {
        private final Object f0;

        F1(DataShape shape, Object f0) {
            super(shape);
            this.f0 = f0;
        }

        @Override
        public Object field(int i) {
            if (i == 0) {
                return f0;
            }
            throw new IndexOutOfBoundsException(i);
        }

        @Override
        public int fieldCount() {
            return 1;
        }
    }

    static final class F2 extends DataValue {
        private final Object f0;
        private final Object f1;

        F2(DataShape shape, Object f0, Object f1) {
            super(shape);
            this.f0 = f0;
            this.f1 = f1;
        }

        @Override
        public Object field(int i) {
            return switch (i) {
                case 0 -> f0;
                case 1 -> f1;
                default -> throw new IndexOutOfBoundsException(i);
            };
        }

        @Override
        public int fieldCount() {
            return 2;
        }
    }

    static final class F3 extends DataValue {
        private final Object f0;
        private final Object f1;
        private final Object f2;

        F3(DataShape shape, Object f0, Object f1, Object f2) {
            super(shape);
            this.f0 = f0;
            this.f1 = f1;
            this.f2 = f2;
        }

        @Override
        public Object field(int i) {
            return switch (i) {
                case 0 -> f0;
                case 1 -> f1;
                case 2 -> f2;
                default -> throw new IndexOutOfBoundsException(i);
            };
        }

        @Override
        public int fieldCount() {
            return 3;
        }
    }

    static final class FN extends DataValue {
        private final Object[] fields;

        FN(DataShape shape, Object[] fields) {
            super(shape);
            this.fields = fields;
        }

        @Override
        public Object field(int i) {
            return fields[i];
        }

        @Override
        public int fieldCount() {
            return fields.length;
        }
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
        return field(i);
    }

    /** A field holding a function can be called as a method: {@code record.invokeMember("f", 5)}, JavaScript's {@code rec.f(5)}. */
    @ExportMessage
    @TruffleBoundary
    boolean isMemberInvocable(String member) {
        int i = shape.fieldIndex(member);
        return i >= 0 && field(i) instanceof FunctionValue;
    }

    @ExportMessage
    @TruffleBoundary
    Object invokeMember(String member, Object[] arguments)
                    throws UnknownIdentifierException, UnsupportedMessageException, ArityException, UnsupportedTypeException {
        int i = shape.fieldIndex(member);
        if (i < 0 || !(field(i) instanceof FunctionValue)) {
            throw UnknownIdentifierException.create(member);
        }
        return InteropLibrary.getUncached().execute(field(i), arguments);
    }
}
