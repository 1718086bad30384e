package org.osprey.nodes.call;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.instrumentation.InstrumentableNode;
import com.oracle.truffle.api.instrumentation.Tag;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.NodeUtil;
import com.oracle.truffle.api.profiles.BranchProfile;
import com.oracle.truffle.api.source.Source;
import com.oracle.truffle.api.source.SourceSection;

import org.osprey.nodes.FunctionRootNode;
import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.Rep;
import org.osprey.runtime.FunctionValue;
import org.osprey.runtime.MathException;

/**
 * A call of a top-level function with (part of) the function's body built in the caller's frame: the
 * arguments go to frame slots of the caller reserved for this call's parameters, and the body runs there
 * ({@link InlinedCall}: the whole body of a small function; {@link PeeledCall}: the base case of a
 * recursive one). When a tool instruments the program, such a call becomes an ordinary call, so the
 * function's own frame and locals are there to see.
 */
abstract class CallInPlace extends OspreyNode {
    protected final FunctionValue function;
    protected final FunctionRootNode callee;
    /** The arguments in the order written, at their parameters' positions after the function's slot. */
    @Child protected Arguments arguments;
    @Child protected OspreyNode body;
    /** Per parameter: its slot in the caller's frame, or -1 where the body never reads it. */
    @CompilationFinal(dimensions = 1) protected final int[] parameterSlots;
    @CompilationFinal(dimensions = 1) protected final Rep[] parameterReps;
    /** The object slots of this call's parameters and locals, cleared after the body so they keep nothing alive. */
    @CompilationFinal(dimensions = 1) private final int[] objectSlots;
    private final boolean propagate;
    private final BranchProfile failed = BranchProfile.create();

    CallInPlace(FunctionValue function, FunctionRootNode callee, Arguments arguments, OspreyNode body, int[] parameterSlots,
                    Rep[] parameterReps, int[] objectSlots, boolean propagate) {
        this.function = function;
        this.callee = callee;
        this.arguments = arguments;
        this.body = body;
        this.parameterSlots = parameterSlots;
        this.parameterReps = parameterReps;
        this.objectSlots = objectSlots;
        this.propagate = propagate;
    }

    /**
     * Evaluates the arguments into the parameters' slots; returns null, or the Error value of an argument's
     * arithmetic error where this call propagates it (as {@link CallNodes.Call} does).
     */
    protected final Object enter(VirtualFrame frame) {
        try {
            arguments.evaluateIntoSlots(frame, parameterSlots, parameterReps);
            return null;
        } catch (MathException e) {
            return CallNodes.argumentError(e, propagate, failed);
        }
    }

    @ExplodeLoop
    protected final void leave(VirtualFrame frame) {
        for (int slot : objectSlots) {
            frame.setObject(slot, null);
        }
    }

    /**
     * A tool is instrumenting the program: become an ordinary call, with copies of the argument nodes
     * (Truffle wants a new subtree) in which calls built in place become ordinary calls too.
     */
    @Override
    public final InstrumentableNode materializeInstrumentableNodes(Set<Class<? extends Tag>> materializedTags) {
        return ordinary(getSourceSection().getSource());
    }

    private Ordinary ordinary(Source source) {
        Arguments copy = (Arguments) arguments.deepCopy();
        List<CallInPlace> inner = new ArrayList<>();
        collect(copy, inner);
        for (CallInPlace call : inner) {
            call.replace(call.ordinary(source));
        }
        Ordinary call = new Ordinary(new CallNodes.DirectUnboxed(function, callee, copy, propagate),
                        source.createSection(sourceStart(), sourceLength()));
        call.copySourceFrom(this);
        call.tagged(OspreyNode.CALL);
        return call;
    }

    /** The calls built in place under {@code tree}, outermost first. */
    private static void collect(Node tree, List<CallInPlace> out) {
        NodeUtil.forEachChild(tree, child -> {
            if (child instanceof CallInPlace call) {
                out.add(call);
            } else {
                collect(child, out);
            }
            return true;
        });
    }

    /**
     * What a call built in place becomes under instrumentation: the ordinary call, under a node that carries
     * the call's source section itself (a new node is not yet in the tree where its section would be found,
     * and Truffle checks that the section stays the same). The call inside has no section, so the call is
     * reported to tools once.
     */
    static final class Ordinary extends OspreyNode {
        @Child private OspreyNode call;
        private final SourceSection section;

        Ordinary(OspreyNode call, SourceSection section) {
            this.call = call;
            this.section = section;
        }

        @Override
        public SourceSection getSourceSection() {
            return section;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return call.executeGeneric(frame);
        }

        @Override
        public long executeLong(VirtualFrame frame) {
            return call.executeLong(frame);
        }

        @Override
        public double executeDouble(VirtualFrame frame) {
            return call.executeDouble(frame);
        }

        @Override
        public boolean executeBoolean(VirtualFrame frame) {
            return call.executeBoolean(frame);
        }
    }
}
