package org.osprey.nodes.call;

/**
 * Where one call site leaves its arguments for the function it calls (CallNodes.DirectUnboxed), instead of
 * in a new array of boxes: an int, float or bool goes in {@link #longs} unboxed (a float as its bits, a bool
 * as 0 or 1), anything else in {@link #objects}; each at its parameter's index. The callee copies them into
 * its frame as it starts ({@code FunctionRootNode}), before it can run anything that could reach this call
 * site again, so one set per call site is enough. The call's argument array is the same every time
 * (the function and this object), so a call that is not inlined allocates nothing, and an int argument
 * is never boxed.
 */
public final class ArgumentRegisters {
    final long[] longs;
    final Object[] objects;
    /**
     * The call site is evaluating its arguments. An argument that reaches the same call site again (a
     * recursion inside an argument, or a handler run while an argument waits in a blocking builtin) finds it
     * busy and passes its own arguments the ordinary way, boxed, so neither overwrites the other. Only call
     * sites whose arguments make calls of their own keep this mark (CallNodes.DirectUnboxed.guarded).
     */
    boolean busy;
    /**
     * The result of a callee whose result is an int, float or bool, as for {@link #longs}, where it answered
     * {@link #RESULT}: the caller reads it before anything else can call from here again.
     */
    long result;
    /** The callee's call depth: the caller's + 1 (see FunctionRootNode.execute). */
    int depth;

    /** What a callee that was given registers returns when its result is in {@link #result}. */
    public static final Object RESULT = new Object() {
        @Override
        public String toString() {
            return "<result in registers>";
        }
    };

    ArgumentRegisters(int parameters) {
        this.longs = new long[parameters];
        this.objects = new Object[parameters];
    }

    public long longAt(int parameter) {
        return longs[parameter];
    }

    public int depth() {
        return depth;
    }

    public void setResult(long bits) {
        result = bits;
    }

    /** The object argument of a parameter; the slot is cleared, so the call site does not keep it alive. */
    public Object takeObject(int parameter) {
        Object o = objects[parameter];
        objects[parameter] = null;
        return o;
    }
}
