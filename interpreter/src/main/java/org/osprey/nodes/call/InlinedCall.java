package org.osprey.nodes.call;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.IndirectCallNode;

import org.osprey.nodes.FunctionRootNode;
import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.Rep;
import org.osprey.runtime.FunctionValue;
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
public final class InlinedCall extends CallInPlace {
    @Child private IndirectCallNode again = IndirectCallNode.create();

    public InlinedCall(FunctionValue function, FunctionRootNode callee, Arguments arguments, OspreyNode body, int[] parameterSlots,
                    Rep[] parameterReps, int[] objectSlots, boolean propagate) {
        super(function, callee, arguments, body, parameterSlots, parameterReps, objectSlots, propagate);
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
}
