package org.osprey.nodes.call;

import com.oracle.truffle.api.frame.VirtualFrame;

import org.osprey.nodes.FunctionRootNode;
import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.Rep;
import org.osprey.runtime.FunctionValue;

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
 * ordinary call ({@link CallInPlace}), so the function's own frame is there to see.
 */
public final class PeeledCall extends CallInPlace {
    public PeeledCall(FunctionValue function, FunctionRootNode callee, Arguments arguments, OspreyNode body, int[] parameterSlots,
                    Rep[] parameterReps, int[] objectSlots, boolean propagate) {
        super(function, callee, arguments, body, parameterSlots, parameterReps, objectSlots, propagate);
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
}
