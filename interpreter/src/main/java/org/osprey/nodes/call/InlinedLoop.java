package org.osprey.nodes.call;

import java.util.Iterator;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.Truffle;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.LoopNode;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.RepeatingNode;

import org.osprey.OspreyContext;
import org.osprey.nodes.FunctionRootNode;
import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.Rep;
import org.osprey.runtime.Iteration;
import org.osprey.runtime.ListValue;
import org.osprey.runtime.RangeValue;
import org.osprey.runtime.Unit;

/**
 * {@code xs |> fold(initial: a, function: (acc, x) => body)}, and the same with {@code forEach}, and
 * {@code map} and {@code filter} of a list or a map (which build a list), where the function is a lambda
 * written in place: the lambda is not made into a function at all. Its parameters and
 * locals are frame slots of the calling function, and its body is the body of a {@link LoopNode} there, so
 * no element costs a call: in the interpreter a call is most of the time such a loop takes, and when the
 * loop is compiled on its own (on-stack replacement) the body is already inside it, with no second
 * compilation for the lambda. The accumulator and the element stay in the representation of their types
 * (an int is a long slot) from one element to the next.
 *
 * A range and a list are walked by index (a list's elements read with no call in compiled code:
 * {@link ListValue#element}); anything else (a map's entries, a lazy iterator whose map and filter steps run
 * as its elements are pulled) through {@link Iteration#iterator}, in the same order as the builtins walk it.
 * Arguments are evaluated as for any call: in the order written, with an arithmetic error in them becoming the
 * call's result where the call propagates it.
 */
public final class InlinedLoop extends CallNodes.Call {
    /** What the loop does with the body's value. */
    public enum Kind {
        /** The value goes to the accumulator, which is the result. */
        FOLD,
        /** Nothing: the result is unit. */
        FOR_EACH,
        /** The values, in order, are the resulting list. */
        MAP,
        /** The body is a predicate: the elements for which it holds are the resulting list. */
        FILTER
    }

    private final Kind kind;
    /** A map with no filter among its stages: its list has as many elements as a range or list subject. */
    private final boolean keepsAll;
    private final int indexSlot;
    private final int endSlot;
    private final int iteratorSlot;
    private final int accSlot;
    private final Rep accRep;
    private final int outSlot;
    @Child private LoopNode loop;

    /**
     * @param arguments the subject at position 0 and, for fold, the initial value at 1 (the lambda's position
     *            holds a placeholder)
     * @param slots frame slots of the calling function: a long for the next index, a long for the range's
     *            end or the list's length, an object for the list or the iterator of any other subject (null for
     *            a range), an object for the list map and filter build
     * @param elementSlot the lambda's element parameter, of representation {@code elementRep}
     * @param accSlot the lambda's accumulator parameter, of representation {@code accRep} (fold only)
     * @param body the lambda's body; for fold a node that writes its value to the accumulator
     * @param locals the lambda's other slots (its lets), cleared after every element
     * @param stages the map and filter steps each element goes through before the body, in order
     */
    public InlinedLoop(Kind kind, Arguments arguments, boolean propagate, int[] slots, int elementSlot, Rep elementRep,
                    int accSlot, Rep accRep, OspreyNode body, int[] locals, Stage[] stages) {
        super(null, arguments, propagate);
        this.kind = kind;
        boolean filters = false;
        for (Stage stage : stages) {
            filters |= stage.filter;
        }
        this.keepsAll = kind == Kind.MAP && !filters;
        this.indexSlot = slots[0];
        this.endSlot = slots[1];
        this.iteratorSlot = slots[2];
        this.accSlot = accSlot;
        this.accRep = accRep;
        this.outSlot = slots[3];
        this.loop = Truffle.getRuntime().createLoopNode(new Step(kind, slots, elementSlot, elementRep, body, locals, stages));
    }

    @Override
    protected Object call(VirtualFrame frame, Object callee, Object[] args, OspreyContext context) {
        long length = -1; // of a range or a list
        if (args[0] instanceof RangeValue range) {
            frame.setLong(indexSlot, range.start);
            frame.setLong(endSlot, range.end);
            frame.setObject(iteratorSlot, null);
            length = range.end - range.start;
        } else if (args[0] instanceof ListValue list) {
            frame.setLong(indexSlot, 0);
            frame.setLong(endSlot, list.size());
            frame.setObject(iteratorSlot, list);
            length = list.size();
        } else {
            frame.setObject(iteratorSlot, Iteration.cursor(args[0], context));
        }
        // Comparisons, not switches on the kind: a switch on an enum reads a synthetic array that partial
        // evaluation need not see as constant.
        if (kind == Kind.FOLD) {
            accRep.set(frame, accSlot, args[1]);
        } else if (kind != Kind.FOR_EACH) {
            // A map's list is made in one array of its length; what a filter keeps is not known.
            frame.setObject(outSlot, keepsAll && length >= 0 ? new ListValue.Builder(length) : new ListValue.Builder());
        }
        FunctionRootNode.executeLoop(loop, frame);
        frame.setObject(iteratorSlot, null);
        if (kind == Kind.FOLD) {
            Object result = accRep.get(frame, accSlot);
            if (accRep == Rep.OBJECT) {
                frame.setObject(accSlot, null);
            }
            return result;
        }
        if (kind == Kind.FOR_EACH) {
            return Unit.INSTANCE;
        }
        Object out = frame.getObject(outSlot);
        frame.setObject(outSlot, null);
        return ((ListValue.Builder) out).build();
    }

    private static void add(Object out, Object value) {
        ((ListValue.Builder) out).add(value);
    }

    /**
     * A map or filter fused into the loop ({@code xs |> map(x => ...) |> fold(...)}): its lambda's body, built
     * in place like the loop's own, on the element in its parameter's slot.
     */
    public static final class Stage extends Node {
        private final boolean filter;
        private final int slot;
        private final Rep rep;
        @Child private OspreyNode body;
        @CompilationFinal(dimensions = 1) private final int[] locals;
        /**
         * The kinds of subject seen so far (a range, a list, anything else through an iterator): compiled code
         * reads elements the ways seen, and goes back to the interpreter for another.
         */
        @CompilationFinal private boolean sawRange;
        @CompilationFinal private boolean sawList;
        @CompilationFinal private boolean sawIterator;

        /**
         * @param filter a filter's predicate, else a map's function
         * @param slot the lambda's parameter, of representation rep
         * @param locals the lambda's other slots, cleared after every element
         */
        public Stage(boolean filter, int slot, Rep rep, OspreyNode body, int[] locals) {
            this.filter = filter;
            this.slot = slot;
            this.rep = rep;
            this.body = body;
            this.locals = locals;
        }

        /** Runs the step on the element in its slot, giving what follows it to the given slot; false: filtered out. */
        boolean run(VirtualFrame frame, int nextSlot, Rep nextRep) {
            boolean keep;
            if (filter) {
                keep = body.executeBoolean(frame);
                if (keep) {
                    nextRep.set(frame, nextSlot, rep.get(frame, slot));
                }
            } else {
                keep = true;
                nextRep.set(frame, nextSlot, body.executeGeneric(frame));
            }
            clear(frame, locals);
            return keep;
        }
    }

    @ExplodeLoop
    private static void clear(VirtualFrame frame, int[] slots) {
        for (int slot : slots) {
            frame.clear(slot);
        }
    }

    /** One element: the element parameter takes its value and the body runs (fold: into the accumulator). */
    private static final class Step extends Node implements RepeatingNode {
        private final Kind kind;
        private final int indexSlot;
        private final int endSlot;
        private final int iteratorSlot;
        private final int outSlot;
        private final int elementSlot;
        private final Rep elementRep;
        /** Where the element from the subject goes: the first stage's parameter, else the lambda's. */
        private final int firstSlot;
        private final Rep firstRep;
        @Child private OspreyNode body;
        @Children private final Stage[] stages;
        @CompilationFinal(dimensions = 1) private final int[] locals;
        /**
         * The kinds of subject seen so far (a range, a list, anything else through an iterator): compiled code
         * reads elements the ways seen, and goes back to the interpreter for another.
         */
        @CompilationFinal private boolean sawRange;
        @CompilationFinal private boolean sawList;
        @CompilationFinal private boolean sawIterator;

        Step(Kind kind, int[] slots, int elementSlot, Rep elementRep, OspreyNode body, int[] locals, Stage[] stages) {
            this.kind = kind;
            this.indexSlot = slots[0];
            this.endSlot = slots[1];
            this.iteratorSlot = slots[2];
            this.outSlot = slots[3];
            this.elementSlot = elementSlot;
            this.elementRep = elementRep;
            this.body = body;
            this.locals = locals;
            this.stages = stages;
            this.firstSlot = stages.length > 0 ? stages[0].slot : elementSlot;
            this.firstRep = stages.length > 0 ? stages[0].rep : elementRep;
        }

        @Override
        @SuppressWarnings("unchecked")
        public boolean executeRepeating(VirtualFrame frame) {
            Object it = frame.getObject(iteratorSlot);
            if (it == null || it instanceof ListValue) { // by index
                long i = frame.getLong(indexSlot);
                if (i >= frame.getLong(endSlot)) {
                    return false;
                }
                frame.setLong(indexSlot, i + 1);
                if (it == null) { // a range: the index is the element
                    if (!sawRange) {
                        CompilerDirectives.transferToInterpreterAndInvalidate();
                        sawRange = true;
                    }
                    if (firstRep == Rep.LONG) {
                        frame.setLong(firstSlot, i); // unboxed: Rep.set would box it first
                    } else {
                        frame.setObject(firstSlot, i); // a range seen as an Iterator<T> of a generic function
                    }
                } else {
                    if (!sawList) {
                        CompilerDirectives.transferToInterpreterAndInvalidate();
                        sawList = true;
                    }
                    firstRep.set(frame, firstSlot, ((ListValue) it).element((int) i));
                }
            } else {
                if (!sawIterator) {
                    CompilerDirectives.transferToInterpreterAndInvalidate();
                    sawIterator = true;
                }
                Iterator<Object> iterator = (Iterator<Object>) it;
                if (!Iteration.hasNext(iterator)) {
                    return false;
                }
                firstRep.set(frame, firstSlot, Iteration.next(iterator));
            }
            if (!runStages(frame)) {
                return true;
            }
            if (kind == Kind.MAP) {
                add(frame.getObject(outSlot), body.executeGeneric(frame));
            } else if (kind == Kind.FILTER) {
                if (body.executeBoolean(frame)) {
                    add(frame.getObject(outSlot), elementRep.get(frame, elementSlot));
                }
            } else {
                body.executeVoid(frame);
            }
            // Each element's lets start unset, as in a call: a debugger stopped in the body does not show the
            // last element's values, and an object left in a slot across the back edge would have to be
            // allocated in compiled code.
            clear(frame, locals);
            return true;
        }

        /** The element through the stages; false where a filter drops it. */
        @ExplodeLoop
        private boolean runStages(VirtualFrame frame) {
            for (int s = 0; s < stages.length; s++) {
                boolean last = s == stages.length - 1;
                if (!stages[s].run(frame, last ? elementSlot : stages[s + 1].slot, last ? elementRep : stages[s + 1].rep)) {
                    return false;
                }
            }
            return true;
        }
    }
}
