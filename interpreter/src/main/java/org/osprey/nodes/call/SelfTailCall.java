package org.osprey.nodes.call;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;

import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.Rep;
import org.osprey.runtime.MathException;
import org.osprey.runtime.Results;

/**
 * A function calling itself in tail position: evaluates the new arguments, writes them over the parameters
 * and jumps back to the top of the body, so the recursion uses no stack.
 *
 * The arguments are evaluated in their own representation, into the parameters' slots, or where an argument
 * after them reads the parameter into frame slots kept for them, copied over the parameters once all are
 * evaluated: nothing is boxed. An argument that is the parameter itself is not evaluated. The jump is a
 * {@link TailCallException}, which compiled code turns into a plain jump to the loop's head. The interpreter
 * pays for a thrown exception at every frame it unwinds, so there {@link #executeGeneric} returns
 * {@link #JUMP} instead: every node between a tail call and its function's loop hands its child's value up
 * unchanged (the arms of a match or a ternary, the last expression of a block), and the loop asks its body
 * for the generic value while interpreted. The typed execute methods always throw: they are what compiled
 * code uses, and what a compiled frame becomes when it is deoptimised in the middle of the body.
 */
public final class SelfTailCall extends OspreyNode {
    /** What a self tail call returns in the interpreter: go round the loop again. */
    public static final Object JUMP = new com.oracle.truffle.api.interop.TruffleObject() { // a value instrumentation may see pass by
        @Override
        public String toString() {
            return "<tail call>";
        }
    };

    @Child private Arguments arguments;
    /** Per parameter: the slot its new value is evaluated into (the parameter's own, or a temp; -1 for none). */
    @CompilationFinal(dimensions = 1) private final int[] targets;
    @CompilationFinal(dimensions = 1) private final int[] slots;
    /** Per parameter: the temp its new value waits in until all are evaluated, or -1. */
    @CompilationFinal(dimensions = 1) private final int[] temps;
    @CompilationFinal(dimensions = 1) private final Rep[] reps;
    private final boolean propagate;

    /**
     * @param positions the parameter each value (in source order) is for; a parameter given itself has none
     * @param targets the slot each parameter's value is evaluated into: its own, or {@code temps}' where an
     *            argument after it reads the parameter
     * @param slots each parameter's slot (-1 if it has none), {@code temps} the slot its new value waits in,
     *            or -1 where it goes to the parameter at once
     */
    public SelfTailCall(OspreyNode[] valuesInSourceOrder, int[] positions, int[] targets, int[] slots, int[] temps, Rep[] reps,
                    boolean propagate) {
        this.arguments = new Arguments(valuesInSourceOrder, positions, 0);
        this.targets = targets;
        this.slots = slots;
        this.temps = temps;
        this.reps = reps;
        this.propagate = propagate;
    }

    private void evaluate(VirtualFrame frame) {
        arguments.evaluateIntoSlots(frame, targets, reps);
    }

    @ExplodeLoop
    private void assign(VirtualFrame frame) {
        for (int p = 0; p < slots.length; p++) {
            int slot = slots[p];
            int temp = temps[p];
            if (slot < 0 || temp < 0) {
                continue;
            }
            switch (reps[p]) {
                case LONG -> frame.setLong(slot, frame.getLong(temp));
                case DOUBLE -> frame.setDouble(slot, frame.getDouble(temp));
                case BOOLEAN -> frame.setBoolean(slot, frame.getBoolean(temp));
                case OBJECT -> {
                    frame.setObject(slot, frame.getObject(temp));
                    frame.setObject(temp, null);
                }
            }
        }
    }

    @Override
    public Object executeGeneric(VirtualFrame frame) {
        Object error = rewriteOrError(frame);
        if (error != null) {
            return error;
        }
        if (CompilerDirectives.inInterpreter()) {
            return JUMP;
        }
        throw TailCallException.INSTANCE;
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        jump(frame);
        return 0;
    }

    @Override
    public double executeDouble(VirtualFrame frame) {
        jump(frame);
        return 0;
    }

    @Override
    public boolean executeBoolean(VirtualFrame frame) {
        jump(frame);
        return false;
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        jump(frame);
    }

    /** A typed result cannot be an Error value, so an argument's error cannot propagate here. */
    private void jump(VirtualFrame frame) {
        Object error = rewriteOrError(frame);
        if (error != null) {
            throw CompilerDirectives.shouldNotReachHere("a propagated error where a plain value is expected");
        }
        throw TailCallException.INSTANCE;
    }

    /** Rewrites the parameters; returns the Error value when an argument failed and the call propagates it. */
    private Object rewriteOrError(VirtualFrame frame) {
        try {
            evaluate(frame);
        } catch (MathException e) {
            if (propagate) {
                return Results.error(e.error);
            }
            throw e;
        }
        assign(frame);
        return null;
    }
}
