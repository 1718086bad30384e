package org.osprey.nodes.call;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.frame.VirtualFrame;

import org.osprey.OspreyContext;
import org.osprey.nodes.OspreyNode;
import org.osprey.runtime.EffectHandlers;
import org.osprey.runtime.FunctionValue;
import org.osprey.runtime.OspreyError;
import org.osprey.runtime.Unit;

/**
 * {@code perform Effect.op(args)} (spec 0017): finds the innermost handler of the effect on this thread (a walk
 * down a stack that is as deep as handlers are nested, usually one or two) and calls the operation's arm with
 * the arguments; its value is the perform's, or unit for an operation that returns unit. The arm runs under
 * the handlers that were in force where its handle was entered, not under its own handler (deep handlers, as
 * in Koka or OCaml): the checker refuses an arm that performs the effect it handles.
 */
public final class PerformNode extends CallNodes.Call {
    private final Object effect;
    private final String effectName;
    private final String opName;
    private final int op;
    private final boolean returnsUnit;
    @Child private DispatchNode dispatch = DispatchNodeGen.create();

    public PerformNode(Object effect, String effectName, String opName, int op, boolean returnsUnit, Arguments arguments) {
        super(null, arguments, false);
        this.effect = effect;
        this.effectName = effectName;
        this.opName = opName;
        this.op = op;
        this.returnsUnit = returnsUnit;
    }

    @Override
    protected Object call(VirtualFrame frame, Object callee, Object[] args, OspreyContext context) {
        EffectHandlers handlers = EffectHandlers.current(this);
        EffectHandlers.Frame here = handlers.capture();
        EffectHandlers.Frame handler = EffectHandlers.find(here, effect);
        if (handler == null) {
            CompilerDirectives.transferToInterpreter();
            throw unhandled(here);
        }
        FunctionValue arm = EffectHandlers.arm(handler, op);
        args[0] = arm;
        handlers.install(EffectHandlers.armScope(handler));
        Object result;
        try {
            result = dispatch.execute(arm, args);
        } finally {
            handlers.install(here);
        }
        return returnsUnit ? Unit.INSTANCE : result;
    }

    @CompilerDirectives.TruffleBoundary
    private OspreyError unhandled(EffectHandlers.Frame here) {
        if (EffectHandlers.findsNamesake(here, effect)) {
            // The REPL: `effect E` declared again with other operations after this function was defined. The
            // handler in force is of the new E; this perform is of the old one.
            return new OspreyError("the handler in force is of another " + effectName + ": " + effectName + " was declared again, with other"
                            + " operations, after the function performing " + effectName + "." + opName + " was defined; define that function again", this);
        }
        String called = EffectHandlers.functionCalledFromOutside(here);
        if (called != null) {
            // An embedder (or another language) called a function that performs: no Osprey handle was around it.
            return new OspreyError("no handler of " + effectName + " is in force where " + effectName + "." + opName + " is performed: '" + called
                            + "' was called from outside Osprey (from Java or another language), where no handle of " + effectName
                            + " covers it; call it from Osprey code inside handle " + effectName + " ... in ...", this);
        }
        String none = "no handler of " + effectName + " is in force where " + effectName + "." + opName + " is performed: ";
        if (EffectHandlers.inArmOf(here, effect)) {
            // An arm called a function value that performs the arm's own effect, which the checker sees only
            // where the function is written. The arm runs outside its own handler, and no handle is around it.
            return new OspreyError(none + "it is performed inside an arm of handle " + effectName + " (by a function value the arm calls), and an arm"
                            + " runs outside its own handler: a handler cannot handle what its arms perform (spec 0017)", this);
        }
        OspreyContext context = OspreyContext.get(this);
        if (context.inFiber()) {
            // The handle that covered the function may still be in force on the fiber that spawned this one.
            return new OspreyError(none + "a function value that performs it was called in a fiber spawned where no handle of " + effectName
                            + " was in force (a fiber runs under the handlers in force where it was spawned), or after the handle that covered it had ended", this);
        }
        if (context.inCallback()) {
            return new OspreyError(none + "a function value that performs it was called in a handler or callback given to a builtin where no handle of "
                            + effectName + " was in force (it runs under the handlers in force where it was given), or after the handle that covered it had ended", this);
        }
        if (context.fibers != null) {
            // The handle may still run, in the fiber that sent the function here.
            return new OspreyError(none + "a function value that performs it was called after the handle that covered it had ended, or outside"
                            + " the fiber that handle runs in (each fiber has its own handlers: those in force where it was spawned)", this);
        }
        return new OspreyError(none + "a function value that performs it was called after the handle that covered it had ended", this);
    }
}
