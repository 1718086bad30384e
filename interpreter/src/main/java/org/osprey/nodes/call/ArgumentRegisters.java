package org.osprey.nodes.call;

/**
 * Where one call site leaves its arguments for the function it calls (CallNodes.DirectUnboxed), instead of
 * in a new array of boxes: an int, float or bool goes in a long unboxed (a float as its bits, a bool as 0 or
 * 1), anything else in an object; each at its parameter's index. The callee copies them into
 * its frame as it starts ({@code FunctionRootNode}), before it can run anything that could reach this call
 * site again, so one set per call site is enough. The call's argument array is the same every time
 * (the function and this object), so a call that is not inlined allocates nothing, and an int argument
 * is never boxed.
 */
public final class ArgumentRegisters {
    /**
     * The first four parameters are fields, the rest in arrays (null for a function of at most four): the
     * callee reads a field of this object at a fixed offset, not an element of an array it would have to load
     * and check the length of first. Every index a call passes is a constant in compiled code, where the
     * switches below fold away.
     */
    private static final int FIELDS = 4;
    private long long0;
    private long long1;
    private long long2;
    private long long3;
    private final long[] moreLongs;
    private Object object0;
    private Object object1;
    private Object object2;
    private Object object3;
    private final Object[] moreObjects;

    /**
     * The call site is evaluating its arguments. An argument that reaches the same call site again (a
     * recursion inside an argument, or a handler run while an argument waits in a blocking builtin) finds it
     * busy and passes its own arguments the ordinary way, boxed, so neither overwrites the other. Only call
     * sites whose arguments make calls of their own keep this mark (CallNodes.DirectUnboxed.guarded).
     */
    boolean busy;
    /**
     * The result of a callee whose result is an int, float or bool, held as its arguments are, where it answered
     * {@link #RESULT}: the caller reads it before anything else can call from here again.
     */
    long result;
    /** The callee's call depth: the caller's + 1 (see FunctionRootNode.execute). */
    int depth;

    /** What a callee that was given registers returns when its result is in {@link #result}. */
    public static final Object RESULT = new com.oracle.truffle.api.interop.TruffleObject() { // a value instrumentation may see pass by
        @Override
        public String toString() {
            return "<result in registers>";
        }
    };

    ArgumentRegisters(int parameters) {
        this.moreLongs = parameters > FIELDS ? new long[parameters - FIELDS] : null;
        this.moreObjects = parameters > FIELDS ? new Object[parameters - FIELDS] : null;
    }

    public long longAt(int parameter) {
        return switch (parameter) {
            case 0 -> long0;
            case 1 -> long1;
            case 2 -> long2;
            case 3 -> long3;
            default -> moreLongs[parameter - FIELDS];
        };
    }

    void setLong(int parameter, long bits) {
        switch (parameter) {
            case 0 -> long0 = bits;
            case 1 -> long1 = bits;
            case 2 -> long2 = bits;
            case 3 -> long3 = bits;
            default -> moreLongs[parameter - FIELDS] = bits;
        }
    }

    void setObject(int parameter, Object value) {
        switch (parameter) {
            case 0 -> object0 = value;
            case 1 -> object1 = value;
            case 2 -> object2 = value;
            case 3 -> object3 = value;
            default -> moreObjects[parameter - FIELDS] = value;
        }
    }

    public int depth() {
        return depth;
    }

    public void setResult(long bits) {
        result = bits;
    }

    /** The object argument of a parameter; the slot is cleared, so the call site does not keep it alive. */
    public Object takeObject(int parameter) {
        Object o = switch (parameter) {
            case 0 -> object0;
            case 1 -> object1;
            case 2 -> object2;
            case 3 -> object3;
            default -> moreObjects[parameter - FIELDS];
        };
        setObject(parameter, null);
        return o;
    }
}
