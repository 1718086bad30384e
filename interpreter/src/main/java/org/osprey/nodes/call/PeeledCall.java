package org.osprey.nodes.call;

import java.util.Set;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.instrumentation.InstrumentableNode;
import com.oracle.truffle.api.instrumentation.Tag;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.profiles.BranchProfile;

import org.osprey.nodes.FunctionRootNode;
import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.Rep;
import org.osprey.runtime.FunctionValue;
import org.osprey.runtime.MathException;

/**
 * A call of a recursive function whose body first tests for a base case that needs no call
 * ({@code fn fib(n) = match n { 0 => 0, 1 => 1, _ => fib(n - 1) + fib(n - 2) }},
 * {@code fn tak(x, y, z) = match x > y { true => ..., false => z }}), with that test built here, in the
 * caller's frame (NodeBuilder.peeledCall): the arguments go to frame slots of the caller reserved for this
 * call, the function's test runs on them, and a base case answers at once (a parameter or a literal); only
 * the other case makes the real call, with the arguments from those slots. Most calls of a branching
 * recursion are near its leaves, so most calls cost a comparison instead of a call: in the interpreter,
 * and where the compiler has stopped inlining a recursion into itself.
 *
 * The test and the base case are comparisons, parameters and literals only, so they cannot fail and have no
 * effects: running them here and again in the function changes nothing. What a user sees is the same, but
 * for two things that calls built in place share ({@link InlinedCall}): a call answered here does not count
 * towards {@code --osprey.MaxCallDepth} (one level, the last), and the CPU sampler, which turns building in
 * place off, would count it in the caller. When a tool instruments the program, the node gives way to an
 * ordinary call, so a breakpoint on the base case still stops in the function's own frame.
 */
public final class PeeledCall extends OspreyNode {
    private final FunctionValue function;
    private final FunctionRootNode callee;
    /** The arguments in the order written, at their parameters' positions after the function's slot. */
    @Child private Arguments arguments;
    /** The function's body with its recursive case replaced by the real call, reading the parameters' slots. */
    @Child private OspreyNode body;
    @CompilationFinal(dimensions = 1) private final int[] parameterSlots;
    @CompilationFinal(dimensions = 1) private final Rep[] parameterReps;
    /** The object slots among the parameters' slots, cleared afterwards so they keep nothing alive. */
    @CompilationFinal(dimensions = 1) private final int[] objectSlots;
    private final boolean propagate;
    private final BranchProfile failed = BranchProfile.create();

    public PeeledCall(FunctionValue function, FunctionRootNode callee, Arguments arguments, OspreyNode body, int[] parameterSlots,
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

    /** Evaluates the arguments into the slots; null, or the Error value of an argument this call propagates. */
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
        Object result = body.executeGeneric(frame);
        leave(frame);
        return result;
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        Object error = enter(frame);
        if (error != null) {
            return (long) error;
        }
        long result = body.executeLong(frame);
        leave(frame);
        return result;
    }

    @Override
    public double executeDouble(VirtualFrame frame) {
        Object error = enter(frame);
        if (error != null) {
            return (double) error;
        }
        double result = body.executeDouble(frame);
        leave(frame);
        return result;
    }

    @Override
    public boolean executeBoolean(VirtualFrame frame) {
        Object error = enter(frame);
        if (error != null) {
            return (boolean) error;
        }
        boolean result = body.executeBoolean(frame);
        leave(frame);
        return result;
    }

    @ExplodeLoop
    private void leave(VirtualFrame frame) {
        for (int slot : objectSlots) {
            frame.setObject(slot, null);
        }
    }

    /** A tool is instrumenting the program: become an ordinary call (see {@link InlinedCall#ordinaryCall}). */
    @Override
    public InstrumentableNode materializeInstrumentableNodes(Set<Class<? extends Tag>> materializedTags) {
        return InlinedCall.ordinaryCall(this, function, callee, arguments, propagate);
    }
}
