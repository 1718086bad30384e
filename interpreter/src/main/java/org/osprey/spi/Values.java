package org.osprey.spi;

import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.runtime.DataShape;
import org.osprey.runtime.DataValue;
import org.osprey.runtime.FunctionValue;
import org.osprey.runtime.ListValue;
import org.osprey.runtime.Results;
import org.osprey.runtime.Strings;
import org.osprey.runtime.Unit;

/** Building and reading Osprey values from Java, for builtin implementations. */
public final class Values {
    private Values() {
    }

    public static Object unit() {
        return Unit.INSTANCE;
    }

    public static Object success(Object value) {
        return Results.success(value);
    }

    /** {@code Success(())}: the unit success, {@code Result<Success, String>} in the seeds' spelling. */
    public static Object ok() {
        return success(Unit.INSTANCE);
    }

    public static Object error(Object payload) {
        return Results.error(payload);
    }

    /** {@code Error(message)} with a string payload. */
    public static Object error(String message) {
        return error((Object) Strings.of(message));
    }

    public static TruffleString string(String s) {
        return Strings.of(s);
    }

    public static String javaString(Object v) {
        return Strings.java(v);
    }

    public static boolean isFunction(Object v) {
        return v instanceof FunctionValue;
    }

    /** Is this a Success value? Otherwise it is an Error. */
    public static boolean isSuccess(Object result) {
        return result instanceof DataValue d && d.shape.isResultSuccess();
    }

    /** The value inside a Success or the payload inside an Error. */
    public static Object payload(Object result) {
        return ((DataValue) result).only();
    }

    /**
     * An Osprey list of these elements, in order. The elements must be Osprey values already ({@code Long},
     * {@code Double}, {@code Boolean}, strings made with {@link #string}, values a builtin was given) and all of
     * the element type the function's signature declares: nothing converts or checks them here.
     */
    public static Object list(java.util.List<?> elements) {
        return ListValue.of(elements);
    }

    /** Is this an Osprey list? */
    public static boolean isList(Object v) {
        return v instanceof ListValue;
    }

    /** The elements of an Osprey list, in order: a copy, unaffected by later changes to the list. */
    public static java.util.List<Object> elements(Object list) {
        ListValue l = (ListValue) list;
        java.util.List<Object> out = new java.util.ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            out.add(l.get(i));
        }
        return out;
    }

    /**
     * A value of the record type {@code type} that the program's context knows (a module declares its own with
     * {@link BuiltinRegistry#declareTypes}), with these fields. Every field of the type must be given, and no
     * other; the values must be Osprey values of the fields' types already: nothing converts or checks them
     * here, as with {@link #list}. A record type that does not exist or a field that is missing or unknown is
     * an {@link IllegalArgumentException} (a bug of the module's).
     */
    public static Object record(BuiltinContext context, String type, java.util.Map<String, ?> fields) {
        org.osprey.types.TypeInfo info = ((org.osprey.OspreyContext) context).environment.builtinRecord(type);
        if (info == null) {
            throw new IllegalArgumentException("no record type '" + type + "'");
        }
        DataShape shape = DataShape.of(info);
        Object[] values = new Object[shape.fieldNames.length];
        for (int i = 0; i < values.length; i++) {
            String name = shape.fieldNames[i];
            if (!fields.containsKey(name)) {
                throw new IllegalArgumentException("a " + type + " needs its field '" + name + "'");
            }
            values[i] = fields.get(name);
        }
        if (fields.size() != values.length) {
            for (String name : fields.keySet()) {
                if (shape.fieldIndex(name) < 0) {
                    throw new IllegalArgumentException(type + " has no field '" + name + "'");
                }
            }
        }
        return DataValue.of(shape, values);
    }

    /**
     * Field {@code name} of a record (or of a union variant with fields). A value that is no record, or has no
     * such field, is an {@link IllegalArgumentException}: the signature says which record a function gets.
     */
    public static Object field(Object record, String name) {
        if (!(record instanceof DataValue d)) {
            throw new IllegalArgumentException("not a record: " + display(record));
        }
        int i = d.shape.fieldIndex(name);
        if (i < 0) {
            throw new IllegalArgumentException(d.shape.name + " has no field '" + name + "'");
        }
        return d.field(i);
    }

    /**
     * The name of the variant a union value is ({@code "GET"} for the {@code GET} of {@code type HttpMethod =
     * GET | POST}); for a record, its type's name.
     */
    public static String variantName(Object value) {
        if (!(value instanceof DataValue d)) {
            throw new IllegalArgumentException("not a union value: " + display(value));
        }
        return d.shape.name;
    }

    /** How a value prints (toString's format). */
    public static String display(Object v) {
        return org.osprey.runtime.Display.show(v);
    }

    /**
     * Text the program gave (a URL, a path), for a message that shows it between quotes: control characters and
     * characters that do not show written as a string literal writes them (Display.visible), so a URL read
     * from a file with CRLF line endings shows its {@code \r}.
     */
    public static String visible(String s) {
        return org.osprey.runtime.Display.visible(s);
    }
}
