package org.osprey.types;

import java.util.List;
import java.util.Map;

/**
 * The types every program has: primitives (spec 0004 Built-in Types), Result (spec 0013), the collections,
 * the built-in error unions, and the records that builtins return. These are immutable after class
 * initialisation and shared by all contexts.
 */
public final class Prelude {
    private Prelude() {
    }

    public static final TypeInfo INT = new TypeInfo("int", TypeInfo.Kind.PRIMITIVE);
    public static final TypeInfo FLOAT = new TypeInfo("float", TypeInfo.Kind.PRIMITIVE);
    public static final TypeInfo STRING = new TypeInfo("string", TypeInfo.Kind.PRIMITIVE);
    public static final TypeInfo BOOL = new TypeInfo("bool", TypeInfo.Kind.PRIMITIVE);
    public static final TypeInfo UNIT = new TypeInfo("unit", TypeInfo.Kind.PRIMITIVE);
    public static final TypeInfo ANY = new TypeInfo("any", TypeInfo.Kind.PRIMITIVE);

    public static final TypeInfo RESULT = new TypeInfo("Result", TypeInfo.Kind.UNION);
    public static final TypeInfo LIST = new TypeInfo("List", TypeInfo.Kind.BUILTIN);
    public static final TypeInfo MAP = new TypeInfo("Map", TypeInfo.Kind.BUILTIN);
    public static final TypeInfo ITERATOR = new TypeInfo("Iterator", TypeInfo.Kind.BUILTIN);
    /** {@code Fiber<T>} and {@code Channel<T>} (spec 0011). */
    public static final TypeInfo FIBER = new TypeInfo("Fiber", TypeInfo.Kind.BUILTIN);
    public static final TypeInfo CHANNEL = new TypeInfo("Channel", TypeInfo.Kind.BUILTIN);

    public static final TypeInfo MATH_ERROR = new TypeInfo("MathError", TypeInfo.Kind.UNION);
    public static final TypeInfo STRING_ERROR = new TypeInfo("StringError", TypeInfo.Kind.UNION);
    public static final TypeInfo INDEX_ERROR = new TypeInfo("IndexError", TypeInfo.Kind.UNION);
    /**
     * What spawnProcess returns (spec 0012 names the type but not its fields): the ID that awaitProcess and
     * cleanupProcess take. Defined here rather than in Osprey text so that a program declaring its own type
     * of that name cannot change what the builtin builds.
     */
    public static final TypeInfo PROCESS_RESULT = new TypeInfo("ProcessResult", TypeInfo.Kind.RECORD);

    public static final Type T_INT = new Type.Con(INT, List.of());
    public static final Type T_FLOAT = new Type.Con(FLOAT, List.of());
    public static final Type T_STRING = new Type.Con(STRING, List.of());
    public static final Type T_BOOL = new Type.Con(BOOL, List.of());
    public static final Type T_UNIT = new Type.Con(UNIT, List.of());
    public static final Type T_ANY = new Type.Con(ANY, List.of());
    public static final Type T_MATH_ERROR = new Type.Con(MATH_ERROR, List.of());
    public static final Type T_STRING_ERROR = new Type.Con(STRING_ERROR, List.of());
    public static final Type T_INDEX_ERROR = new Type.Con(INDEX_ERROR, List.of());

    public static final VariantInfo SUCCESS;
    public static final VariantInfo ERROR;
    public static final VariantInfo DIVISION_BY_ZERO;
    public static final VariantInfo OVERFLOW;
    public static final VariantInfo UNDERFLOW;

    /** Primitive and built-in type names as written in source, in both spellings (spec README). */
    public static final Map<String, TypeInfo> TYPE_NAMES;

    static {
        Type.Var t = new Type.Var(0);
        Type.Var e = new Type.Var(0);
        RESULT.params.add(t);
        RESULT.params.add(e);
        SUCCESS = new VariantInfo(RESULT, "Success", 0, List.of("value"), List.of(t));
        ERROR = new VariantInfo(RESULT, "Error", 1, List.of("message"), List.of(e));
        RESULT.variants.add(SUCCESS);
        RESULT.variants.add(ERROR);

        LIST.params.add(new Type.Var(0));
        ITERATOR.params.add(new Type.Var(0));
        FIBER.params.add(new Type.Var(0));
        CHANNEL.params.add(new Type.Var(0));
        MAP.params.add(new Type.Var(0));
        MAP.params.add(new Type.Var(0));

        DIVISION_BY_ZERO = nullary(MATH_ERROR, "DivisionByZero", 0);
        OVERFLOW = nullary(MATH_ERROR, "Overflow", 1);
        UNDERFLOW = nullary(MATH_ERROR, "Underflow", 2);
        MATH_ERROR.builtinError = true;

        STRING_ERROR.variants.add(new VariantInfo(STRING_ERROR, "IndexOutOfRange", 0, List.of("index", "length"), List.of(T_INT, T_INT)));
        STRING_ERROR.variants.add(new VariantInfo(STRING_ERROR, "InvalidArgument", 1, List.of("message"), List.of(T_STRING)));
        nullary(STRING_ERROR, "NotFound", 2);
        STRING_ERROR.variants.add(new VariantInfo(STRING_ERROR, "ParseFailed", 3, List.of("input"), List.of(T_STRING)));
        STRING_ERROR.builtinError = true;

        INDEX_ERROR.variants.add(new VariantInfo(INDEX_ERROR, "OutOfBounds", 0, List.of("index", "length"), List.of(T_INT, T_INT)));
        nullary(INDEX_ERROR, "NotFound", 1);
        INDEX_ERROR.variants.add(new VariantInfo(INDEX_ERROR, "InvalidArgument", 2, List.of("message"), List.of(T_STRING)));
        INDEX_ERROR.builtinError = true;

        PROCESS_RESULT.fieldNames = List.of("processId");
        PROCESS_RESULT.declaredOrder = List.of("processId");
        PROCESS_RESULT.fieldTypes = List.of(T_INT);

        TYPE_NAMES = Map.ofEntries(
                        Map.entry("int", INT), Map.entry("Int", INT),
                        Map.entry("float", FLOAT), Map.entry("Float", FLOAT),
                        Map.entry("string", STRING), Map.entry("String", STRING),
                        Map.entry("bool", BOOL), Map.entry("Bool", BOOL),
                        Map.entry("unit", UNIT), Map.entry("Unit", UNIT),
                        Map.entry("any", ANY), Map.entry("Any", ANY),
                        Map.entry("Result", RESULT), Map.entry("List", LIST), Map.entry("Map", MAP),
                        Map.entry("Iterator", ITERATOR), Map.entry("Fiber", FIBER), Map.entry("Channel", CHANNEL),
                        Map.entry("MathError", MATH_ERROR), Map.entry("StringError", STRING_ERROR),
                        Map.entry("IndexError", INDEX_ERROR), Map.entry("ProcessResult", PROCESS_RESULT));
    }

    private static VariantInfo nullary(TypeInfo owner, String name, int tag) {
        VariantInfo v = new VariantInfo(owner, name, tag, List.of(), List.of());
        owner.variants.add(v);
        return v;
    }

    public static Type result(Type value, Type error) {
        return new Type.Con(RESULT, List.of(value, error));
    }

    public static Type mathResult(Type value) {
        return result(value, T_MATH_ERROR);
    }

    public static Type list(Type element) {
        return new Type.Con(LIST, List.of(element));
    }

    public static Type map(Type key, Type value) {
        return new Type.Con(MAP, List.of(key, value));
    }

    public static Type fiber(Type value) {
        return new Type.Con(FIBER, List.of(value));
    }

    public static Type channel(Type element) {
        return new Type.Con(CHANNEL, List.of(element));
    }

    public static Type iterator(Type element) {
        return new Type.Con(ITERATOR, List.of(element));
    }

    /** Is this {@code Result<_, MathError>}, the type of arithmetic that auto-unwraps (spec 0004)? */
    public static boolean isMathResult(Type t) {
        return t.prune() instanceof Type.Con c && c.info == RESULT && c.args.get(1).prune() instanceof Type.Con e
                        && e.info == MATH_ERROR;
    }

    /** The value's type of arithmetic's {@code Result<T, MathError>} (T), or {@code t} itself; pruned. */
    public static Type withoutMathResult(Type t) {
        return isMathResult(t) ? ((Type.Con) t.prune()).args.get(0).prune() : t.prune();
    }

    public static boolean isResult(Type t) {
        return t.prune() instanceof Type.Con c && c.info == RESULT;
    }
}
