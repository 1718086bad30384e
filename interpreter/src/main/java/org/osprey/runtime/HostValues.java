package org.osprey.runtime;

import java.util.ArrayList;
import java.util.List;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.ArityException;
import com.oracle.truffle.api.interop.InteropException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.UnsupportedMessageException;
import com.oracle.truffle.api.interop.UnsupportedTypeException;
import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.OspreyContext;
import org.osprey.types.Prelude;
import org.osprey.types.Type;
import org.osprey.types.TypeInfo;
import org.osprey.types.TypePrinter;

/**
 * Converts values arriving from other languages or the host into Osprey's representation. A call from
 * outside has not been type-checked, so its arguments are converted by the parameter types the checker
 * inferred ({@link Signature}): a Java int becomes an Osprey int, a Java array or JavaScript array a
 * {@code List} of the element type, a foreign function an Osprey function; a value that does not fit is
 * refused before the function runs, with a message naming the parameter.
 */
public final class HostValues {
    private HostValues() {
    }

    /**
     * The arguments of a call of {@code f} from another language, converted by its parameter types, in the
     * calling convention (argument 0 is the function).
     */
    @TruffleBoundary
    public static Object[] arguments(FunctionValue f, Object[] args) throws ArityException, UnsupportedTypeException {
        if (args.length != f.arity) {
            throw ArityException.create(f.arity, f.arity, args.length);
        }
        String[] names = null;
        Type[] types = null;
        if (f.target.getRootNode() instanceof Signature s) {
            names = s.parameterNames();
            types = s.parameterTypes();
        }
        Object[] out = new Object[args.length];
        // One copy of the parameter types per call: a type variable the first argument binds holds for the rest.
        Type[] fresh = types == null ? null : RuntimeTypes.withCaptures(f, types);
        for (int i = 0; i < args.length; i++) {
            Type expected = fresh != null && i < fresh.length ? fresh[i] : null;
            String unbound = wanted(expected); // what the parameter wants before this argument binds its type variables
            Object v = toOsprey(args[i], expected);
            if (v != null && expected != null && !RuntimeTypes.fits(v, expected)) {
                v = null;
            }
            if (v == null || fresh != null && !java.util.Arrays.stream(fresh).allMatch(HostValues::mapKeysFit)) {
                String parameter = names != null && i < names.length ? " ('" + names[i] + "')" : "";
                // A hash that a generic parameter took as it was, whose keys no map has: the type it made for itself
                // (Map<float, string>) is not what the parameter wants, and "a hash whose entries do not fit" it says nothing.
                String badKey = v == null ? null : keyNoMapHas(v);
                String wanted = badKey != null ? unbound : wanted(expected);
                String given = badKey != null ? badKey : describe(args[i], expected);
                if (args[i] instanceof DataValue d && expected != null && expected.prune() instanceof Type.Con c && (d.shape.isVariant()
                                ? d.shape.variant.owner : d.shape.type) instanceof TypeInfo own && own != c.info && own.name.equals(c.info.name)) {
                    wanted += " as this context declares it now";
                    given = "a " + own.name + " of another context or of an earlier declaration of " + own.name;
                } else if (given.equals("a " + wanted)) { // the same name, but a value of another context
                    given += " of another context";
                }
                throw UnsupportedTypeException.create(args, f.name + ": argument " + (i + 1) + parameter + " must be " + wanted + ", not "
                                + given);
            }
            out[i] = v;
        }
        return f.arguments(out);
    }

    private static String wanted(Type expected) {
        return expected == null || expected.prune() instanceof Type.Var ? "an Osprey value" : TypePrinter.print(expected);
    }

    /**
     * Where {@code v}, made from another language's hashes and arrays for a parameter of generic type, holds a map
     * with a key no Osprey map has (a float, a list, null): that key, described for a message; else null.
     */
    private static String keyNoMapHas(Object v) {
        if (v instanceof MapValue m) {
            for (PersistentMap.EntryCursor c = m.map.cursor(); c.hasNext();) {
                Object[] entry = c.next();
                Object k = entry[0];
                if (!(k instanceof Long || k instanceof TruffleString || k instanceof Boolean)) {
                    return "a hash with the key " + (k instanceof Unit ? "null" : describe(k)) + " (a map's keys are int, string or bool)";
                }
                String inner = keyNoMapHas(entry[1]);
                if (inner != null) {
                    return "a hash holding " + inner;
                }
            }
        } else if (v instanceof ListValue l) {
            for (ListValue.Cursor c = l.cursor(); c.hasNext();) {
                String inner = keyNoMapHas(c.next());
                if (inner != null) {
                    return "an array holding " + inner;
                }
            }
        }
        return null;
    }

    /** Every map in {@code t} has keys of a type a map may have (int, string, bool), or not yet known. */
    private static boolean mapKeysFit(Type t) {
        Type p = t.prune();
        return switch (p) {
            case Type.Con c -> (c.info != Prelude.MAP || c.args.get(0).prune() instanceof Type.Var || org.osprey.types.Types.isMapKey(c.args.get(0).prune()))
                            && c.args.stream().allMatch(HostValues::mapKeysFit);
            case Type.Fun f -> f.params.stream().allMatch(HostValues::mapKeysFit) && mapKeysFit(f.result);
            case Type.Tuple tu -> tu.elements.stream().allMatch(HostValues::mapKeysFit);
            case Type.Var v -> true;
        };
    }

    /**
     * {@code v} as an Osprey value of type {@code expected} (null: of any type), or null if it has no such
     * Osprey form. Osprey values are checked deeply ({@link RuntimeTypes}); foreign arrays and hashes are
     * copied into lists and maps.
     */
    @TruffleBoundary
    public static Object toOsprey(Object v, Type expected) {
        Type t = expected == null ? null : expected.prune();
        if (t == null || t instanceof Type.Var) {
            return anyValue(v);
        }
        if (MetaType.of(v) != null && !(v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof TruffleString)) {
            return RuntimeTypes.matches(v, t) && !(t instanceof Type.Fun fun && ((FunctionValue) v).arity != fun.params.size()) ? v : null;
        }
        InteropLibrary lib = InteropLibrary.getUncached(v);
        try {
            if (t instanceof Type.Fun fun) {
                return lib.isExecutable(v) ? foreignFunction(v, fun) : null;
            }
            if (!(t instanceof Type.Con c)) {
                return null;
            }
            TypeInfo info = c.info;
            if (info == Prelude.ANY) {
                return anyValue(v);
            }
            if (info == Prelude.INT) {
                // A whole number fits, whatever its representation: JavaScript's 3 * 3 may be the double 9.0.
                if (lib.isNumber(v) && !lib.fitsInLong(v) && lib.fitsInDouble(v) && lib.asDouble(v) == 0.0) {
                    return 0L; // JavaScript's -0 (Math.round(-0.2)) is a whole number too
                }
                return lib.isNumber(v) && lib.fitsInLong(v) ? lib.asLong(v) : null;
            }
            if (info == Prelude.FLOAT) {
                return lib.isNumber(v) && lib.fitsInDouble(v) ? ospreyFloat(lib.asDouble(v)) : null;
            }
            if (info == Prelude.BOOL) {
                return lib.isBoolean(v) ? lib.asBoolean(v) : null;
            }
            if (info == Prelude.STRING) {
                return lib.isString(v) ? lib.asTruffleString(v).switchEncodingUncached(Strings.ENCODING) : null;
            }
            if (info == Prelude.UNIT) {
                return lib.isNull(v) ? Unit.INSTANCE : null;
            }
            if (info == Prelude.LIST && lib.hasArrayElements(v)) {
                return list(v, lib, c.args.get(0));
            }
            if (info == Prelude.MAP && lib.hasHashEntries(v)) {
                return map(v, lib, c.args.get(0), c.args.get(1));
            }
        } catch (InteropException e) {
            return null;
        }
        return null;
    }

    /**
     * {@code d} as an Osprey float, or null for NaN and the infinities, which no Osprey float is (arithmetic
     * gives DivisionByZero or Overflow instead, docs/language.md): Java's Double.NaN passed as a float argument
     * printed as "NaN", and compared unequal to itself.
     */
    private static Double ospreyFloat(double d) {
        return Double.isFinite(d) ? d : null;
    }

    /** A foreign value where any Osprey value will do: primitives, arrays as lists, hashes as maps. */
    private static Object anyValue(Object v) {
        if (v instanceof Double d) {
            return ospreyFloat(d);
        }
        if (v instanceof TruffleString s) { // another language's string (JavaScript's are UTF-16): Osprey's are UTF-8
            return s.switchEncodingUncached(Strings.ENCODING);
        }
        if (isOspreyValue(v)) {
            return v;
        }
        Object simple = toOsprey(v);
        if (simple instanceof Double d) {
            return ospreyFloat(d);
        }
        if (isOspreyValue(simple)) {
            return simple;
        }
        InteropLibrary lib = InteropLibrary.getUncached(v);
        try {
            if (lib.hasArrayElements(v)) {
                return list(v, lib, null);
            }
            if (lib.hasHashEntries(v)) {
                return map(v, lib, null, null);
            }
        } catch (InteropException e) {
            return null;
        }
        return null;
    }

    /** The most elements a list holds (its size is an int, as a Java array's). */
    private static final long MOST_ELEMENTS = Integer.MAX_VALUE - 8;

    private static ListValue list(Object v, InteropLibrary lib, Type element) throws InteropException {
        long n = lib.getArraySize(v);
        if (n > MOST_ELEMENTS) {
            return null; // refused at once: copying a ProxyArray of size Long.MAX_VALUE ran until the heap was full
        }
        List<Object> out = new ArrayList<>((int) Math.min(n, 1 << 16));
        for (long i = 0; i < n; i++) {
            Object e = toOsprey(lib.readArrayElement(v, i), element);
            if (e == null) {
                return null;
            }
            out.add(e);
        }
        return ListValue.of(out);
    }

    private static MapValue map(Object v, InteropLibrary lib, Type key, Type value) throws InteropException {
        Object entries = lib.getHashEntriesIterator(v);
        InteropLibrary it = InteropLibrary.getUncached(entries);
        MapValue out = MapValue.EMPTY;
        while (it.hasIteratorNextElement(entries)) {
            Object entry = it.getIteratorNextElement(entries);
            InteropLibrary el = InteropLibrary.getUncached(entry);
            Object k = toOsprey(el.readArrayElement(entry, 0), key);
            Object x = toOsprey(el.readArrayElement(entry, 1), value);
            if (k == null || x == null) {
                return null;
            }
            out = out.put(k, x);
        }
        return out;
    }

    /** A function of another language, callable from Osprey as a function of type {@code type}. */
    private static FunctionValue foreignFunction(Object function, Type.Fun type) {
        OspreyContext context = OspreyContext.get(null);
        return new FunctionValue("<foreign function>", context.language.foreignFunctionTarget(),
                        new Object[] {function, type.result, describeForeignFunction(function)}, type.params.size());
    }

    /**
     * How the messages of a call of {@code function} name it: an Osprey function of another context (which
     * Truffle passes wrapped, as it does a record of another context) by its name, where "a function of another
     * language" sent the reader looking for JavaScript.
     */
    private static String describeForeignFunction(Object function) {
        InteropLibrary lib = InteropLibrary.getUncached();
        try {
            if (lib.hasLanguage(function) && lib.getLanguage(function) == org.osprey.OspreyLanguage.class && lib.hasExecutableName(function)) {
                return "the function " + lib.asString(lib.getExecutableName(function)) + " of another context";
            }
        } catch (UnsupportedMessageException e) {
            // named as any other language's below
        }
        return "a function of another language";
    }

    public static boolean isOspreyValue(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof TruffleString || MetaType.of(v) != null;
    }

    /**
     * How an error message names a value that did not fit {@code expected}: for another language's array or
     * hash, the first element or entry that does not fit, where there is one (a JavaScript array of a hundred
     * numbers with a string among them was "an array whose elements do not fit", leaving the reader to find it).
     */
    @TruffleBoundary
    public static String describe(Object v, Type expected) {
        Type t = expected == null ? null : expected.prune();
        String hidden = hiddenJavaValue(v, t);
        if (hidden != null) {
            return hidden;
        }
        if (!isOspreyValue(v) && (t == null || t instanceof Type.Var || t instanceof Type.Con c && c.info == Prelude.ANY)
                        && InteropLibrary.getUncached().isExecutable(v)) {
            // A foreign function becomes an Osprey one by the parameter's function type (foreignFunction); a generic
            // parameter has none, where "not a function" read as if no function were taken.
            return describeForeignFunction(v) + " (only a parameter of function type, such as (int) -> int, takes it: nothing tells its types here)";
        }
        if (!isOspreyValue(v) && t instanceof Type.Con c && (c.info == Prelude.LIST || c.info == Prelude.MAP)) {
            InteropLibrary lib = InteropLibrary.getUncached(v);
            try {
                if (c.info == Prelude.LIST && lib.hasArrayElements(v) && lib.getArraySize(v) <= MOST_ELEMENTS) {
                    long n = lib.getArraySize(v);
                    for (long i = 0; i < n; i++) {
                        Object e = lib.readArrayElement(v, i);
                        if (toOsprey(e, c.args.get(0)) == null) {
                            return "an array whose element at index " + i + " is " + describe(e, c.args.get(0));
                        }
                    }
                }
                if (c.info == Prelude.MAP && lib.hasHashEntries(v)) {
                    Object entries = lib.getHashEntriesIterator(v);
                    InteropLibrary it = InteropLibrary.getUncached(entries);
                    while (it.hasIteratorNextElement(entries)) {
                        Object entry = it.getIteratorNextElement(entries);
                        InteropLibrary el = InteropLibrary.getUncached(entry);
                        Object k = el.readArrayElement(entry, 0);
                        Object x = el.readArrayElement(entry, 1);
                        if (toOsprey(k, c.args.get(0)) == null) {
                            return "a hash with the key " + describe(k, c.args.get(0));
                        }
                        if (toOsprey(x, c.args.get(1)) == null) {
                            Object key = toOsprey(k);
                            return "a hash whose value for the key " + (isOspreyValue(key) ? Display.repr(key) : describe(k)) + " is "
                                            + describe(x, c.args.get(1));
                        }
                    }
                }
                if (c.info == Prelude.MAP && !lib.hasHashEntries(v) && lib.hasMembers(v) && !lib.isExecutable(v)) {
                    // A JavaScript object literal or a ProxyObject has members, not hash entries.
                    return "an object with members, which is not a hash (give a hash: a ProxyHashMap, a JavaScript Map)";
                }
            } catch (InteropException e) {
                // described as a whole below
            }
        }
        if (!isOspreyValue(v) && t != null && !(t instanceof Type.Var) && !(t instanceof Type.Con c && (c.info == Prelude.LIST || c.info == Prelude.ANY))
                        && InteropLibrary.getUncached().hasArrayElements(v)) {
            // Not "an array whose elements do not fit", which said that an array of other elements would have done.
            return t instanceof Type.Tuple ? "an array (a tuple parameter takes only a tuple that Osprey made)" : "an array";
        }
        String described = describe(v);
        if (described.equals("an object") && t instanceof Type.Con c && (c.info.isRecord() || c.info.isUnion())) {
            // A ProxyObject or a JavaScript object with the right fields is still not a record of the type.
            String a = "aeiouAEIOU".indexOf(c.info.name.charAt(0)) >= 0 ? "an " : "a ";
            return described + " (only Osprey makes " + a + c.info.name + ": call an Osprey function that returns one)";
        }
        return described;
    }

    /**
     * A Java list, array, map or lambda given where Osprey takes a list, map or function, in a context whose host
     * access lets Osprey see nothing in it (Context.newBuilder's default): named with how to pass it, where "a Java
     * object (java.util.ImmutableCollections$ListN)" left the embedder to find out that the context was the
     * reason. Null for any other value.
     */
    private static String hiddenJavaValue(Object v, Type t) {
        OspreyContext context = OspreyContext.get(null);
        if (t == null || isOspreyValue(v) || !context.env.isHostObject(v)) {
            return null;
        }
        Object host = context.env.asHostObject(v);
        if (host == null) {
            return null;
        }
        boolean any = t instanceof Type.Var || t instanceof Type.Con c && c.info == Prelude.ANY;
        boolean list = any || t instanceof Type.Con c && c.info == Prelude.LIST;
        boolean map = any || t instanceof Type.Con c && c.info == Prelude.MAP;
        InteropLibrary lib = InteropLibrary.getUncached();
        String give;
        if (list && (host instanceof java.util.List || host.getClass().isArray()) && !lib.hasArrayElements(v)) {
            give = "a ProxyArray";
        } else if (map && host instanceof java.util.Map && !lib.hasHashEntries(v)) {
            give = "a ProxyHashMap";
        } else if ((any || t instanceof Type.Fun) && isJavaFunction(host.getClass()) && !lib.isExecutable(v)) {
            give = "a ProxyExecutable";
        } else {
            return null;
        }
        return describe(v) + ", which this context lets Osprey use only with host access (give " + give
                        + ", or build the context with allowHostAccess(HostAccess.ALL))";
    }

    /** Whether a class implements a functional interface (a Java lambda does). */
    private static boolean isJavaFunction(Class<?> type) {
        for (Class<?> k = type; k != null; k = k.getSuperclass()) {
            for (Class<?> i : k.getInterfaces()) {
                if (i.isAnnotationPresent(FunctionalInterface.class) || isJavaFunction(i)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A fiber or a channel, with the type it was made with, or why that type does not count (RuntimeTypes.ownType). */
    private static String describeMade(String the, Type type) {
        if (type == null || !org.osprey.types.Types.isGround(type)) {
            return the + ", made in a generic function as a " + (type == null ? "value" : TypePrinter.print(type))
                            + ", whose type parameter it does not tell";
        }
        return the + ", a " + TypePrinter.print(type);
    }

    /** How an error message names a value that did not fit. */
    @TruffleBoundary
    public static String describe(Object v) {
        InteropLibrary number = InteropLibrary.getUncached();
        if (!isOspreyValue(v) && number.isNumber(v) && !number.fitsInLong(v) && number.fitsInBigInteger(v)) {
            try { // a BigInteger would otherwise be described by the float it converts to
                return "the integer " + number.asBigInteger(v) + ", outside int's range";
            } catch (UnsupportedMessageException e) {
                return "an integer outside int's range";
            }
        }
        if (!isOspreyValue(v) && number.isNull(v)) {
            return "null"; // Java's null, JavaScript's null or undefined: not "a value of type unit (())", which it converts to
        }
        Object o = isOspreyValue(v) ? v : toOsprey(v);
        switch (o) {
            case Long l -> {
                return "the int " + l;
            }
            case Double d -> {
                return Double.isFinite(d) ? "the float " + Display.show(d) : d + " (an Osprey float is never NaN or infinite)";
            }
            case Boolean b -> {
                return "the bool " + b;
            }
            case TruffleString s -> {
                return "the string " + Display.repr(s);
            }
            case FunctionValue f -> {
                return "the function " + f.name + ", " + TypePrinter.print(RuntimeTypes.functionType(f));
            }
            case FiberValue f -> {
                return describeMade("the fiber " + f.id, f.type);
            }
            case ChannelValue ch -> {
                return describeMade("a channel of capacity " + ch.capacity, ch.type);
            }
            default -> {
                if (isOspreyValue(o)) {
                    return "a value of type " + MetaType.of(o) + " (" + Display.repr(o) + ")";
                }
            }
        }
        InteropLibrary lib = InteropLibrary.getUncached();
        try {
            if (lib.isNull(v)) {
                return "null";
            }
            if (lib.hasArrayElements(v)) {
                long n = lib.getArraySize(v);
                return n > MOST_ELEMENTS ? "an array of " + n + " elements, more than a list can hold" : "an array whose elements do not fit";
            }
            if (lib.hasHashEntries(v)) {
                return "a hash whose entries do not fit";
            }
            if (lib.isExecutable(v)) {
                return "a function";
            }
            if (OspreyContext.get(null).env.isHostObject(v)) {
                return "a Java object (" + lib.asString(lib.toDisplayString(v)) + ")";
            }
            if (lib.hasLanguage(v) && lib.getLanguage(v) == org.osprey.OspreyLanguage.class && lib.hasMetaObject(v)) {
                // An Osprey record or variant of another context (Truffle passes it wrapped): such values are not
                // copied, as lists and maps are, so the message says where it came from, not "an object".
                String name = lib.asString(lib.getMetaSimpleName(lib.getMetaObject(v)));
                return ("aeiouAEIOU".indexOf(name.isEmpty() ? 'x' : name.charAt(0)) >= 0 ? "an " : "a ") + name + " of another context ("
                                + lib.asString(lib.toDisplayString(v)) + "), which cannot be used in this one";
            }
            if (lib.hasMembers(v)) {
                return "an object"; // a ProxyObject or another language's object: its meta object is a Java class name
            }
            if (lib.hasMetaObject(v)) {
                String name = lib.asString(lib.getMetaQualifiedName(lib.getMetaObject(v)));
                return ("aeiouAEIOU".indexOf(name.isEmpty() ? 'x' : name.charAt(0)) >= 0 ? "an " : "a ") + name;
            }
            return lib.asString(lib.toDisplayString(v));
        } catch (UnsupportedMessageException e) {
            return "a value from another language";
        }
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
        if (v instanceof TruffleString s) { // another language's string may have another encoding (JavaScript's: UTF-16)
            return s.switchEncodingUncached(Strings.ENCODING);
        }
        if (v instanceof Long || v instanceof Double || v instanceof Boolean) {
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
