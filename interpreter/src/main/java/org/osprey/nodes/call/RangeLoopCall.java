package org.osprey.nodes.call;

import com.oracle.truffle.api.Truffle;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.LoopNode;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.RepeatingNode;
import com.oracle.truffle.api.profiles.ConditionProfile;

import org.osprey.OspreyContext;
import org.osprey.runtime.FunctionValue;
import org.osprey.runtime.RangeValue;
import org.osprey.runtime.Unit;
import org.osprey.spi.BuiltinFunction;

/**
 * {@code fold} and {@code forEach} (spec 0010) over a range: the most common loop of an Osprey program. The
 * builtins run their loop in Java behind a boundary and call the function indirectly for every element, so
 * neither the loop nor the function can be compiled into the caller. Here the loop is a {@link LoopNode} of
 * the calling function (compiled with it, or on its own while it runs: on-stack replacement) and the
 * function is called through an inline cache, so the compiler sees and inlines it. The loop's state lives in
 * frame slots the node builder reserved for this call. Any other subject (a list, a map, a lazy iterator)
 * goes to the builtin unchanged, and both give the same values in the same order.
 */
public final class RangeLoopCall extends CallNodes.Call {
    private final BuiltinFunction builtin;
    private final boolean fold;
    private final int indexSlot;
    private final int endSlot;
    private final int accSlot;
    private final int functionSlot;
    @Child private LoopNode loop;
    private final ConditionProfile isRange = ConditionProfile.create();

    /**
     * @param fold {@code fold(iterator, initial, function)}, else {@code forEach(iterator, function)}
     * @param slots four frame slots of the calling function: index, end, accumulator, function
     */
    public RangeLoopCall(BuiltinFunction builtin, boolean fold, Arguments arguments, boolean propagate, int[] slots) {
        super(null, arguments, propagate);
        this.builtin = builtin;
        this.fold = fold;
        this.indexSlot = slots[0];
        this.endSlot = slots[1];
        this.accSlot = slots[2];
        this.functionSlot = slots[3];
        this.loop = Truffle.getRuntime().createLoopNode(new Step(fold, slots));
    }

    @Override
    protected Object call(VirtualFrame frame, Object callee, Object[] args, OspreyContext context) {
        if (isRange.profile(args[0] instanceof RangeValue)) {
            RangeValue range = (RangeValue) args[0];
            frame.setLong(indexSlot, range.start);
            frame.setLong(endSlot, range.end);
            frame.setObject(functionSlot, args[fold ? 2 : 1]);
            frame.setObject(accSlot, fold ? args[1] : Unit.INSTANCE);
            loop.execute(frame);
            Object result = frame.getObject(accSlot);
            frame.setObject(accSlot, null);
            frame.setObject(functionSlot, null);
            return result;
        }
        return CallNodes.invoke(builtin, context, args, this);
    }

    /** One element: call the function on it (with the accumulator, for fold) and move on. */
    private static final class Step extends Node implements RepeatingNode {
        private final boolean fold;
        private final int indexSlot;
        private final int endSlot;
        private final int accSlot;
        private final int functionSlot;
        @Child private DispatchNode dispatch = DispatchNodeGen.create();

        Step(boolean fold, int[] slots) {
            this.fold = fold;
            this.indexSlot = slots[0];
            this.endSlot = slots[1];
            this.accSlot = slots[2];
            this.functionSlot = slots[3];
        }

        @Override
        public boolean executeRepeating(VirtualFrame frame) {
            long i = frame.getLong(indexSlot);
            if (i >= frame.getLong(endSlot)) {
                return false;
            }
            FunctionValue f = (FunctionValue) frame.getObject(functionSlot);
            if (fold) {
                frame.setObject(accSlot, dispatch.execute(f, new Object[] {f, frame.getObject(accSlot), i}));
            } else {
                dispatch.execute(f, new Object[] {f, i});
            }
            frame.setLong(indexSlot, i + 1);
            return true;
        }
    }
}
