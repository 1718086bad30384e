package org.osprey.nodes.call;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.instrumentation.InstrumentableNode;
import com.oracle.truffle.api.instrumentation.Tag;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.IndirectCallNode;
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
import org.osprey.runtime.OspreyError;

/**
 * A call of a small top-level function whose body is built in place, in the caller's frame
 * (NodeBuilder.inlinedCall): the arguments go to frame slots of the caller reserved for this call's
 * parameters, and the body runs there, so the call costs no Truffle call. In Truffle's interpreter a call is
 * most of the time a small function such as {@code fn step(x: int) -> int = x * 16807 % 2147483647} takes,
 * and a first-tier compilation, which inlines nothing, keeps every call. Only functions that make no call
 * of their own (other than to such functions) and use only builtins without effects are built this way,
 * and only where they are declared in the same source as the call.
 *
 * What a user sees stays the same:
 *
 * - A run-time error in the body is raised again by a real call of the function with the same arguments,
 *   so its stack (the "in function" of the message, an embedder's stack trace) names the function. The body
 *   has no effects, so running it again changes nothing else; it is rare, so it runs in the interpreter.
 * - When a tool (the debugger, coverage, a profiler of statements) instruments the program, the node gives
 *   way to an ordinary call ({@link #materializeInstrumentableNodes}), so a breakpoint in the function stops
 *   in its own frame with its own locals. The CPU sampler instruments nothing (it reads frames), so with it
 *   the option {@code osprey.InlineSmallFunctions=false} (set by {@code osprey run --cpusampler}) keeps every
 *   call ordinary.
 *
 * One difference remains: a call built in place does not count towards {@code --osprey.MaxCallDepth}. Such
 * a function cannot call itself, so this moves the limit by at most one frame per function. The exception:
 * at a call in tail position, a small function that calls the caller back in tail position is built here
 * too, in tail position (NodeBuilder.prepareTailPartners), and its call back is the caller's self tail call,
 * a jump ({@link SelfTailCall}) that passes through this node unchanged. Mutual tail recursion then runs in
 * constant stack, as self tail recursion does.
 */
public final class InlinedCall extends OspreyNode {
    private final FunctionValue function;
    private final FunctionRootNode callee;
    /** The arguments in the order written, at their parameters' positions after the function's slot. */
    @Child private Arguments arguments;
    @Child private OspreyNode body;
    /** Per parameter: its slot in the caller's frame, or -1 where the body never reads it. */
    @CompilationFinal(dimensions = 1) private final int[] parameterSlots;
    @CompilationFinal(dimensions = 1) private final Rep[] parameterReps;
    /** The object slots of this call's parameters and locals, cleared after the body so they keep nothing alive. */
    @CompilationFinal(dimensions = 1) private final int[] objectSlots;
    private final boolean propagate;
    private final BranchProfile failed = BranchProfile.create();
    @Child private IndirectCallNode again = IndirectCallNode.create();

    public InlinedCall(FunctionValue function, FunctionRootNode callee, Arguments arguments, OspreyNode body, int[] parameterSlots,
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
    private Object enter(VirtualFrame frame) {
        try {
            arguments.evaluateIntoSlots(frame, parameterSlots, parameterReps);
            return null;
        } catch (MathException e) {
            return CallNodes.argumentError(e, propagate, failed);
        }
    }

    @Override
    public Object executeGeneric(VirtualFrame frame) {
        Object error = enter(frame);
        if (error != null) {
            return error;
        }
        Object result;
        try {
            result = body.executeGeneric(frame);
        } catch (OspreyError e) {
            return callAgain(frame);
        }
        leave(frame);
        return result;
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        Object error = enter(frame);
        if (error != null) {
            return (long) error;
        }
        long result;
        try {
            result = body.executeLong(frame);
        } catch (OspreyError e) {
            return (long) callAgain(frame);
        }
        leave(frame);
        return result;
    }

    @Override
    public double executeDouble(VirtualFrame frame) {
        Object error = enter(frame);
        if (error != null) {
            return (double) error;
        }
        double result;
        try {
            result = body.executeDouble(frame);
        } catch (OspreyError e) {
            return (double) callAgain(frame);
        }
        leave(frame);
        return result;
    }

    @Override
    public boolean executeBoolean(VirtualFrame frame) {
        Object error = enter(frame);
        if (error != null) {
            return (boolean) error;
        }
        boolean result;
        try {
            result = body.executeBoolean(frame);
        } catch (OspreyError e) {
            return (boolean) callAgain(frame);
        }
        leave(frame);
        return result;
    }

    @ExplodeLoop
    private void leave(VirtualFrame frame) {
        for (int slot : objectSlots) {
            frame.setObject(slot, null);
        }
    }

    /**
     * The body failed: a real call with the same arguments fails the same way, from the function's own frame.
     * What it throws goes on from here; were it to return, its value is the call's.
     */
    private Object callAgain(VirtualFrame frame) {
        CompilerDirectives.transferToInterpreter();
        Object[] args = new Object[parameterSlots.length + 1];
        args[0] = function;
        for (int i = 0; i < parameterSlots.length; i++) {
            if (parameterSlots[i] >= 0) {
                args[i + 1] = parameterReps[i].get(frame, parameterSlots[i]);
            }
        }
        leave(frame);
        FunctionRootNode.publishDepth(this, frame);
        return again.call(function.target, args);
    }

    /**
     * A tool is instrumenting the program: become an ordinary call, with copies of the argument nodes
     * (Truffle wants a new subtree) in which calls built in place become ordinary calls too.
     */
    @Override
    public InstrumentableNode materializeInstrumentableNodes(Set<Class<? extends Tag>> materializedTags) {
        return ordinaryCall(this, function, callee, arguments, propagate);
    }

    /**
     * The ordinary call that a call built in place ({@code site}: an InlinedCall or a {@link PeeledCall})
     * becomes, with a copy of its argument nodes in which such calls become ordinary calls too.
     */
    static Ordinary ordinaryCall(OspreyNode site, FunctionValue function, FunctionRootNode callee, Arguments arguments, boolean propagate) {
        Source source = site.getSourceSection().getSource();
        Arguments copy = (Arguments) arguments.deepCopy();
        List<OspreyNode> inner = new ArrayList<>();
        collect(copy, inner);
        for (OspreyNode call : inner) {
            call.replace((OspreyNode) ((InstrumentableNode) call).materializeInstrumentableNodes(Set.of()));
        }
        Ordinary call = new Ordinary(new CallNodes.DirectUnboxed(function, callee, copy, propagate),
                        source.createSection(site.sourceStart(), site.sourceLength()));
        call.copySourceFrom(site);
        call.tagged(OspreyNode.CALL);
        return call;
    }

    /** The calls built in place under {@code tree}, outermost first. */
    private static void collect(Node tree, List<OspreyNode> out) {
        NodeUtil.forEachChild(tree, child -> {
            if (child instanceof InlinedCall || child instanceof PeeledCall) {
                out.add((OspreyNode) child);
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
