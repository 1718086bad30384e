package org.osprey.nodes.call;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.Truffle;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.LoopNode;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.RepeatingNode;

import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.Rep;
import org.osprey.runtime.RangeValue;
import org.osprey.runtime.Unit;

/**
 * {@code range(...) |> fold(initial: a, function: (acc, i) => body)}, and the same with {@code forEach}: the
 * lambda written in place is not made into a function at all. Its parameters and locals are frame slots of
 * the calling function, and its body is the body of a {@link LoopNode} there, so no element costs a call:
 * in the interpreter a call is most of the time such a loop takes, and when the loop is compiled on its own
 * (on-stack replacement) the body is already inside it, with no second compilation for the lambda. The
 * accumulator stays in the representation of its type (an int is a long slot) from one element to the next.
 *
 * The node builder makes one only where the subject is a call of {@code range} and the function a lambda
 * literal, so the subject is always a range. Arguments are evaluated as for any call: in the order written,
 * with an arithmetic error in them becoming the call's result where the call propagates it.
 */
public final class InlinedRangeLoop extends CallNodes.Call {
    private final boolean fold;
    private final int indexSlot;
    private final int endSlot;
    private final int accSlot;
    private final Rep accRep;
    @Child private LoopNode loop;

    /**
     * @param arguments the subject at position 0 and, for fold, the initial value at 1 (the lambda's position
     *            holds a placeholder)
     * @param indexSlot a long slot for the next element, {@code endSlot} one for the range's end
     * @param elementSlot the lambda's element parameter
     * @param accSlot the lambda's accumulator parameter, of representation {@code accRep} (fold only)
     * @param body the lambda's body; for fold its value goes to the accumulator
     * @param locals the lambda's other slots (its lets), cleared after every element
     */
    public InlinedRangeLoop(boolean fold, Arguments arguments, boolean propagate, int indexSlot, int endSlot, int elementSlot,
                    int accSlot, Rep accRep, OspreyNode body, int[] locals) {
        super(null, arguments, propagate);
        this.fold = fold;
        this.indexSlot = indexSlot;
        this.endSlot = endSlot;
        this.accSlot = accSlot;
        this.accRep = accRep;
        this.loop = Truffle.getRuntime().createLoopNode(new Step(indexSlot, endSlot, elementSlot, body, locals));
    }

    @Override
    protected Object call(VirtualFrame frame, Object callee, Object[] args) {
        RangeValue range = (RangeValue) args[0];
        frame.setLong(indexSlot, range.start);
        frame.setLong(endSlot, range.end);
        if (!fold) {
            loop.execute(frame);
            return Unit.INSTANCE;
        }
        Object initial = args[1];
        switch (accRep) {
            case LONG -> frame.setLong(accSlot, (long) initial);
            case DOUBLE -> frame.setDouble(accSlot, (double) initial);
            case BOOLEAN -> frame.setBoolean(accSlot, (boolean) initial);
            case OBJECT -> frame.setObject(accSlot, initial);
        }
        loop.execute(frame);
        return switch (accRep) {
            case LONG -> frame.getLong(accSlot);
            case DOUBLE -> frame.getDouble(accSlot);
            case BOOLEAN -> frame.getBoolean(accSlot);
            case OBJECT -> {
                Object result = frame.getObject(accSlot);
                frame.setObject(accSlot, null);
                yield result;
            }
        };
    }

    /** One element: the element parameter takes its value and the body runs (fold: into the accumulator). */
    private static final class Step extends Node implements RepeatingNode {
        private final int indexSlot;
        private final int endSlot;
        private final int elementSlot;
        @Child private OspreyNode body;
        @CompilationFinal(dimensions = 1) private final int[] locals;

        Step(int indexSlot, int endSlot, int elementSlot, OspreyNode body, int[] locals) {
            this.indexSlot = indexSlot;
            this.endSlot = endSlot;
            this.elementSlot = elementSlot;
            this.body = body;
            this.locals = locals;
        }

        @Override
        public boolean executeRepeating(VirtualFrame frame) {
            long i = frame.getLong(indexSlot);
            if (i >= frame.getLong(endSlot)) {
                return false;
            }
            frame.setLong(elementSlot, i);
            body.executeVoid(frame);
            clearLocals(frame);
            frame.setLong(indexSlot, i + 1);
            return true;
        }

        /**
         * Each element's lets start unset, as in a call: a debugger stopped in the body does not show the last
         * element's values, and an object left in a slot across the back edge would have to be allocated in
         * compiled code.
         */
        @ExplodeLoop
        private void clearLocals(VirtualFrame frame) {
            for (int slot : locals) {
                frame.clear(slot);
            }
        }
    }
}
