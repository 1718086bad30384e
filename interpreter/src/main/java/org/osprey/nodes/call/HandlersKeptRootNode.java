package org.osprey.nodes.call;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.RootNode;

import org.osprey.OspreyLanguage;
import org.osprey.runtime.EffectHandlers;
import org.osprey.runtime.FunctionValue;

/**
 * Calls a function value under the effect handlers (spec 0017) that were in force when it was handed to a
 * builtin that calls it later from a thread of its own (a WebSocket handler, a process callback): such a
 * thread has no handlers, so a handler written inside {@code handle E ... in} would otherwise find none
 * for E. The function is capture 0, the handlers capture 1 (see {@code OspreyContext.withHandlers}).
 */
public final class HandlersKeptRootNode extends RootNode {
    @Child private DispatchNode dispatch = DispatchNodeGen.create();

    public HandlersKeptRootNode(OspreyLanguage language) {
        super(language);
    }

    @Override
    public Object execute(VirtualFrame frame) {
        Object[] args = frame.getArguments();
        FunctionValue self = (FunctionValue) args[0];
        FunctionValue inner = (FunctionValue) self.captures[0];
        Object[] forward = args.clone();
        forward[0] = inner;
        EffectHandlers handlers = EffectHandlers.current(this);
        EffectHandlers.Frame before = handlers.install((EffectHandlers.Frame) self.captures[1]);
        try {
            return dispatch.execute(inner, forward);
        } finally {
            handlers.install(before);
        }
    }

    @Override
    public String getName() {
        return "<handlers kept>";
    }

    /** Not a function of the program: stack traces and tools skip it. */
    @Override
    public boolean isInternal() {
        return true;
    }
}
