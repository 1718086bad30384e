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
        handlers.install(EffectHandlers.outer(handler));
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
        return new OspreyError("no handler of " + effectName + " is in force where " + effectName + "." + opName + " is performed: a function"
                        + " value that performs it was called after the handle that covered it had ended", this);
    }
}
