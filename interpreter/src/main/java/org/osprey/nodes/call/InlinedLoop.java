package org.osprey.nodes.call;

import java.util.Iterator;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.Truffle;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.LoopNode;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.RepeatingNode;

import org.osprey.OspreyContext;
import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.Rep;
import org.osprey.runtime.Iteration;
import org.osprey.runtime.RangeValue;
import org.osprey.runtime.Unit;

/**
 * {@code xs |> fold(initial: a, function: (acc, x) => body)}, and the same with {@code forEach}, where the
 * function is a lambda written in place: the lambda is not made into a function at all. Its parameters and
 * locals are frame slots of the calling function, and its body is the body of a {@link LoopNode} there, so
 * no element costs a call: in the interpreter a call is most of the time such a loop takes, and when the
 * loop is compiled on its own (on-stack replacement) the body is already inside it, with no second
 * compilation for the lambda. The accumulator and the element stay in the representation of their types
 * (an int is a long slot) from one element to the next.
 *
 * A range is walked by its index; anything else (a list, a map's entries, a lazy iterator whose map and
 * filter steps run as its elements are pulled) through {@link Iteration#iterator}, in the same order as
 * the builtins walk it. Arguments are evaluated as for any call: in the order written, with an arithmetic
 * error in them becoming the call's result where the call propagates it.
 */
public final class InlinedLoop extends CallNodes.Call {
    private final boolean fold;
    private final int indexSlot;
    private final int endSlot;
    private final int iteratorSlot;
    private final int accSlot;
    private final Rep accRep;
    @Child private LoopNode loop;

    /**
     * @param arguments the subject at position 0 and, for fold, the initial value at 1 (the lambda's position
     *            holds a placeholder)
     * @param slots frame slots of the calling function: a long for the next index, a long for the range's
     *            end, an object for the iterator of a subject that is not a range
     * @param elementSlot the lambda's element parameter, of representation {@code elementRep}
     * @param accSlot the lambda's accumulator parameter, of representation {@code accRep} (fold only)
     * @param body the lambda's body; for fold its value goes to the accumulator
     * @param locals the lambda's other slots (its lets), cleared after every element
     */
    public InlinedLoop(boolean fold, Arguments arguments, boolean propagate, int[] slots, int elementSlot, Rep elementRep,
                    int accSlot, Rep accRep, OspreyNode body, int[] locals) {
        super(null, arguments, propagate);
        this.fold = fold;
        this.indexSlot = slots[0];
        this.endSlot = slots[1];
        this.iteratorSlot = slots[2];
        this.accSlot = accSlot;
        this.accRep = accRep;
        this.loop = Truffle.getRuntime().createLoopNode(new Step(slots, elementSlot, elementRep, body, locals));
    }

    @Override
    protected Object call(VirtualFrame frame, Object callee, Object[] args, OspreyContext context) {
        if (args[0] instanceof RangeValue range) {
            frame.setLong(indexSlot, range.start);
            frame.setLong(endSlot, range.end);
            frame.setObject(iteratorSlot, null);
        } else {
            frame.setObject(iteratorSlot, Iteration.cursor(args[0], context));
        }
        if (fold) {
            accRep.set(frame, accSlot, args[1]);
        }
        loop.execute(frame);
        frame.setObject(iteratorSlot, null);
        if (!fold) {
            return Unit.INSTANCE;
        }
        Object result = accRep.get(frame, accSlot);
        if (accRep == Rep.OBJECT) {
            frame.setObject(accSlot, null);
        }
        return result;
    }

    /** One element: the element parameter takes its value and the body runs (fold: into the accumulator). */
    private static final class Step extends Node implements RepeatingNode {
        private final int indexSlot;
        private final int endSlot;
        private final int iteratorSlot;
        private final int elementSlot;
        private final Rep elementRep;
        @Child private OspreyNode body;
        @CompilationFinal(dimensions = 1) private final int[] locals;

        Step(int[] slots, int elementSlot, Rep elementRep, OspreyNode body, int[] locals) {
            this.indexSlot = slots[0];
            this.endSlot = slots[1];
            this.iteratorSlot = slots[2];
            this.elementSlot = elementSlot;
            this.elementRep = elementRep;
            this.body = body;
            this.locals = locals;
        }

        @Override
        @SuppressWarnings("unchecked")
        public boolean executeRepeating(VirtualFrame frame) {
            Object it = frame.getObject(iteratorSlot);
            if (it == null) {
                long i = frame.getLong(indexSlot);
                if (i >= frame.getLong(endSlot)) {
                    return false;
                }
                frame.setLong(indexSlot, i + 1);
                if (elementRep == Rep.LONG) {
                    frame.setLong(elementSlot, i); // unboxed: Rep.set would box it first
                } else {
                    frame.setObject(elementSlot, i); // a range seen as an Iterator<T> of a generic function
                }
            } else {
                Iterator<Object> iterator = (Iterator<Object>) it;
                if (!Iteration.hasNext(iterator)) {
                    return false;
                }
                elementRep.set(frame, elementSlot, Iteration.next(iterator));
            }
            body.executeVoid(frame);
            clearLocals(frame);
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
