package org.osprey.nodes.call;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.DirectCallNode;
import com.oracle.truffle.api.nodes.EncapsulatingNodeReference;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.profiles.BranchProfile;

import org.osprey.OspreyContext;
import org.osprey.OspreyLanguage;
import org.osprey.nodes.FunctionRootNode;
import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.Rep;
import org.osprey.runtime.FunctionValue;
import org.osprey.runtime.MathException;
import org.osprey.runtime.OspreyError;
import org.osprey.runtime.Results;
import org.osprey.spi.BuiltinException;
import org.osprey.spi.BuiltinFunction;

/**
 * The ways of calling. When an argument was auto-unwrapped and the callee returns
 * {@code Result<_, MathError>}, an arithmetic error in the arguments becomes the call's Error result
 * ({@code propagate}), spec 0004 rule 2 and spec 0013 ERR-PAYLOAD.
 */
public final class CallNodes {
    private CallNodes() {
    }

    abstract static class Call extends OspreyNode {
        /** The function value, evaluated before the arguments; null where the callee is known. */
        @Child private OspreyNode callee;
        @Child protected Arguments arguments;
        protected final boolean propagate;
        private final BranchProfile failed = BranchProfile.create();
        /** This call's language instance, found at its first call in the interpreter (see context()). */
        private OspreyLanguage language;

        Call(OspreyNode callee, Arguments arguments, boolean propagate) {
            this.callee = callee;
            this.arguments = arguments;
            this.propagate = propagate;
        }

        /**
         * Makes the call, once its arguments are evaluated (slot 0 is left for the function); {@code context} is
         * the current one, looked up once per call (context()).
         */
        protected abstract Object call(VirtualFrame frame, Object callee, Object[] args, OspreyContext context);

        /**
         * An arithmetic error in the arguments becomes the call's Error result when this call propagates it;
         * else it goes on to whatever handles it.
         */
        @Override
        public final Object executeGeneric(VirtualFrame frame) {
            Object function = callee == null ? null : callee.executeGeneric(frame);
            Object[] args;
            try {
                args = arguments.evaluate(frame);
            } catch (MathException e) {
                return argumentError(e, propagate, failed);
            }
            OspreyContext context = FunctionRootNode.publishDepth(context(), frame);
            return call(frame, function, args, context);
        }

        /**
         * The current context. In the interpreter OspreyContext.get walks up to the root for it, on every call
         * of a builtin; the root's language instance, whose field the context is there, never changes, so the
         * call keeps it. Compiled code takes the context reference, a constant.
         */
        private OspreyContext context() {
            if (CompilerDirectives.inInterpreter()) {
                OspreyLanguage l = language;
                if (l == null) {
                    l = OspreyContext.languageOf(this);
                    language = l;
                }
                if (l != null && l.current != null) {
                    return l.current;
                }
            }
            return OspreyContext.get(this);
        }
    }

    /** A top-level function called by name: its call target is known when the program is built. */
    public static final class Direct extends Call {
        private final FunctionValue function;
        @Child private DirectCallNode call;

        public Direct(FunctionValue function, Arguments arguments, boolean propagate) {
            super(null, arguments, propagate);
            this.function = function;
            this.call = DirectCallNode.create(function.target);
        }

        @Override
        protected Object call(VirtualFrame frame, Object callee, Object[] args, OspreyContext context) {
            args[0] = function;
            return call.call(args);
        }
    }

    /**
     * A top-level function called by name, its arguments passed in the call site's {@link ArgumentRegisters}:
     * unboxed, and without an argument array per call. Where an argument reaches this same call site again
     * before the call is made, that inner call passes its arguments boxed, as {@link Direct} does.
     */
    public static final class DirectUnboxed extends OspreyNode {
        private final FunctionValue function;
        @Child private Arguments arguments;
        @Child private DirectCallNode call;
        private final boolean propagate;
        private final ArgumentRegisters registers;
        /** The argument array of every call from here: the function and the registers. */
        @CompilationFinal(dimensions = 1) private final Object[] passing;
        @CompilationFinal(dimensions = 1) private final Rep[] reps;
        @CompilationFinal(dimensions = 1) private final boolean[] unused;
        /** The callee's result: an int, float or bool comes back in the registers, unboxed. */
        private final Rep result;
        private final BranchProfile failed = BranchProfile.create();
        private final BranchProfile reentered = BranchProfile.create();
        /**
         * Whether the arguments could reach this call site again while it fills its registers (they make a call
         * of some kind), so it must mark itself busy; arguments without calls need no mark.
         */
        private final boolean guarded;

        public DirectUnboxed(FunctionValue function, FunctionRootNode callee, Arguments arguments, boolean propagate) {
            this.function = function;
            this.arguments = arguments;
            this.propagate = propagate;
            this.call = DirectCallNode.create(function.target);
            this.reps = callee.parameterReps();
            this.unused = callee.unusedParameters();
            this.result = callee.resultRep();
            this.registers = new ArgumentRegisters(reps.length);
            this.passing = new Object[] {function, registers};
            this.guarded = arguments.mayCall();
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            Object value = callOrError(frame);
            if (value != ArgumentRegisters.RESULT) {
                return value;
            }
            return result.fromBits(registers.result);
        }

        @Override
        public long executeLong(VirtualFrame frame) {
            Object value = callOrError(frame);
            return value == ArgumentRegisters.RESULT ? registers.result : (long) value;
        }

        @Override
        public double executeDouble(VirtualFrame frame) {
            Object value = callOrError(frame);
            return value == ArgumentRegisters.RESULT ? Double.longBitsToDouble(registers.result) : (double) value;
        }

        @Override
        public boolean executeBoolean(VirtualFrame frame) {
            Object value = callOrError(frame);
            return value == ArgumentRegisters.RESULT ? registers.result != 0 : (boolean) value;
        }

        /**
         * Makes the call with the arguments in the registers; returns what the callee returned (RESULT when
         * its result is in the registers), or the Error value of an argument's arithmetic error that this
         * call propagates.
         */
        private Object callOrError(VirtualFrame frame) {
            ArgumentRegisters r = registers;
            if (guarded) {
                if (r.busy) {
                    reentered.enter();
                    return boxed(frame);
                }
                r.busy = true;
            }
            try {
                arguments.evaluateInto(frame, r, reps, unused);
            } catch (MathException e) {
                return argumentError(e, propagate, failed);
            } finally {
                if (guarded) {
                    r.busy = false;
                }
            }
            r.depth = (int) frame.getLong(FunctionRootNode.DEPTH_SLOT) + 1;
            return call.call(passing);
        }

        /** The ordinary way: a new array of boxed arguments. */
        private Object boxed(VirtualFrame frame) {
            Object[] args;
            try {
                args = arguments.evaluate(frame);
            } catch (MathException e) {
                return argumentError(e, propagate, failed);
            }
            args[0] = function;
            FunctionRootNode.publishDepth(this, frame);
            return call.call(args);
        }
    }

    /** Any other function value: a closure, a parameter, a nested fn. */
    public static final class Value extends Call {
        @Child private DispatchNode dispatch = DispatchNodeGen.create();

        public Value(OspreyNode callee, Arguments arguments, boolean propagate) {
            super(callee, arguments, propagate);
        }

        @Override
        protected Object call(VirtualFrame frame, Object callee, Object[] args, OspreyContext context) {
            args[0] = callee;
            return dispatch.execute((FunctionValue) callee, args);
        }
    }

    /** A builtin called by name: its Java implementation runs behind a boundary. */
    public static final class Builtin extends Call {
        private final BuiltinFunction function;

        public Builtin(BuiltinFunction function, Arguments arguments, boolean propagate) {
            super(null, arguments, propagate);
            this.function = function;
        }

        @Override
        protected Object call(VirtualFrame frame, Object callee, Object[] args, OspreyContext context) {
            return invoke(function, context, args, this);
        }
    }

    /**
     * An arithmetic error in a call's arguments: the call's Error result where the call propagates it; else
     * it goes on to whatever handles it.
     */
    static Object argumentError(MathException e, boolean propagate, BranchProfile failed) {
        if (!propagate) {
            throw e;
        }
        failed.enter();
        return Results.error(e.error);
    }

    /**
     * Runs a builtin's Java implementation; its failures become errors at the calling node. Where it is given a
     * function, which it may call (map's), the calling node is the encapsulating node meanwhile, so that a stack
     * trace has this call as the caller's location: an error in {@code values |> map(log)} was reported without
     * a place. Other builtin calls leave the thread-local alone: most builtin calls take no function.
     */
    @TruffleBoundary
    static Object invoke(BuiltinFunction function, OspreyContext context, Object[] args, OspreyNode at) {
        EncapsulatingNodeReference current = null;
        Node before = null;
        for (Object a : args) {
            if (a instanceof FunctionValue) {
                current = EncapsulatingNodeReference.getCurrent();
                before = current.set(at);
                break;
            }
        }
        try {
            return function.call(context, args);
        } catch (BuiltinException e) {
            throw new OspreyError(e.getMessage(), at);
        } finally {
            if (current != null) {
                current.set(before);
            }
        }
    }
}
