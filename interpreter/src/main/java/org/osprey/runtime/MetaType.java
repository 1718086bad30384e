package org.osprey.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import com.oracle.truffle.api.strings.TruffleString;

/**
 * What {@code Value.getMetaObject()} answers for an Osprey value: its type's name as the language writes it
 * ({@code int}, {@code List}, a record's name), or for a union value its variant's name ({@code Circle},
 * {@code Success}), whose qualified name adds the union ({@code Shape.Circle}, {@code Result.Success}).
 * Tools (the debugger's variable view) and embedders read these.
 */
@ExportLibrary(InteropLibrary.class)
public final class MetaType implements TruffleObject {
    public static final MetaType INT = new MetaType("int", "int", null);
    public static final MetaType FLOAT = new MetaType("float", "float", null);
    public static final MetaType STRING = new MetaType("string", "string", null);
    public static final MetaType BOOL = new MetaType("bool", "bool", null);
    public static final MetaType UNIT = new MetaType("unit", "unit", null);
    public static final MetaType LIST = new MetaType("List", "List", null);
    public static final MetaType MAP = new MetaType("Map", "Map", null);
    public static final MetaType TUPLE = new MetaType("tuple", "tuple", null);
    public static final MetaType FUNCTION = new MetaType("function", "function", null);
    public static final MetaType ITERATOR = new MetaType("Iterator", "Iterator", null);
    public static final MetaType FIBER = new MetaType("Fiber", "Fiber", null);
    public static final MetaType CHANNEL = new MetaType("Channel", "Channel", null);

    private final String simpleName;
    private final String qualifiedName;
    /** For a record or variant: the values of this type are the DataValues of this shape. */
    private final DataShape shape;

    private MetaType(String simpleName, String qualifiedName, DataShape shape) {
        this.simpleName = simpleName;
        this.qualifiedName = qualifiedName;
        this.shape = shape;
    }

    /** The meta object of a record type or a union variant. */
    static MetaType of(DataShape shape) {
        String qualified = shape.isVariant() ? shape.type.name + "." + shape.name : shape.name;
        return new MetaType(shape.name, qualified, shape);
    }

    /** The meta object of any Osprey value, or null for a value from elsewhere. */
    @TruffleBoundary
    public static MetaType of(Object value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case Long l -> INT;
            case Double d -> FLOAT;
            case Boolean b -> BOOL;
            case TruffleString s -> STRING;
            case Unit u -> UNIT;
            case ListValue l -> LIST;
            case RangeValue r -> ITERATOR;
            case IteratorValue i -> ITERATOR;
            case FiberValue f -> FIBER;
            case ChannelValue c -> CHANNEL;
            case MapValue m -> MAP;
            case TupleValue t -> TUPLE;
            case FunctionValue f -> FUNCTION;
            case DataValue d -> d.shape.metaType();
            default -> null;
        };
    }

    @Override
    public String toString() {
        return qualifiedName;
    }

    @ExportMessage
    boolean isMetaObject() {
        return true;
    }

    @ExportMessage
    Object getMetaQualifiedName() {
        return qualifiedName;
    }

    @ExportMessage
    Object getMetaSimpleName() {
        return simpleName;
    }

    @ExportMessage
    @TruffleBoundary
    boolean isMetaInstance(Object instance) {
        if (shape != null) {
            return instance instanceof DataValue d && d.shape == shape;
        }
        MetaType own = of(instance);
        if (own == null) { // a Java value Osprey takes as one of its own: an Integer as an int, a String as a string
            own = switch (instance) {
                case Integer i -> INT;
                case Short i -> INT;
                case Byte i -> INT;
                case Float f -> FLOAT;
                case String str -> STRING;
                case Character c -> STRING;
                default -> null;
            };
        }
        return own == this;
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
        return qualifiedName;
    }
}
