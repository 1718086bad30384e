package org.osprey.nodes.call;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;

import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.Rep;
import org.osprey.nodes.expression.ResultNodes;
import org.osprey.runtime.MathException;

/**
 * A function calling itself in tail position: evaluates the new arguments, writes them over the parameters
 * and jumps back to the top of the body ({@link TailCallException}), so the recursion uses no stack.
 */
public final class SelfTailCall extends OspreyNode {
    @Children private final OspreyNode[] values;
    @CompilationFinal(dimensions = 1) private final int[] positions;
    @CompilationFinal(dimensions = 1) private final int[] slots;
    @CompilationFinal(dimensions = 1) private final Rep[] reps;
    private final boolean propagate;

    public SelfTailCall(OspreyNode[] valuesInSourceOrder, int[] positions, int[] slots, Rep[] reps, boolean propagate) {
        this.values = valuesInSourceOrder;
        this.positions = positions;
        this.slots = slots;
        this.reps = reps;
        this.propagate = propagate;
    }

    @Override
    @ExplodeLoop
    public Object executeGeneric(VirtualFrame frame) {
        Object[] next = new Object[values.length];
        try {
            for (int i = 0; i < values.length; i++) {
                next[positions[i]] = values[i].executeGeneric(frame);
            }
        } catch (MathException e) {
            if (propagate) {
                return ResultNodes.error(e.error);
            }
            throw e;
        }
        for (int i = 0; i < slots.length; i++) {
            int slot = slots[i];
            if (slot < 0) {
                continue;
            }
            switch (reps[i]) {
                case LONG -> frame.setLong(slot, (long) next[i]);
                case DOUBLE -> frame.setDouble(slot, (double) next[i]);
                case BOOLEAN -> frame.setBoolean(slot, (boolean) next[i]);
                default -> frame.setObject(slot, next[i]);
            }
        }
        throw TailCallException.INSTANCE;
    }
}
