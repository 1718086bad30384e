package org.osprey.nodes.controlflow;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;

import org.osprey.nodes.OspreyNode;
import org.osprey.runtime.EffectHandlers;
import org.osprey.runtime.FunctionValue;

/**
 * {@code handle Effect arms in body} (spec 0017): makes the arms' closures, installs them as the innermost
 * handler of the effect on this thread for the time the body runs, and gives the body's value. The handlers
 * in force before are put back however the body ends, so an error in a REPL entry leaves none behind.
 */
public final class HandleNode extends OspreyNode {
    private final Object effect;
    /** One closure-making node per operation, in the effect's order. */
    @Children private final OspreyNode[] arms;
    @Child private OspreyNode body;

    public HandleNode(Object effect, OspreyNode[] arms, OspreyNode body) {
        this.effect = effect;
        this.arms = arms;
        this.body = body;
    }

    @Override
    @ExplodeLoop
    public Object executeGeneric(VirtualFrame frame) {
        FunctionValue[] functions = new FunctionValue[arms.length];
        for (int i = 0; i < arms.length; i++) {
            functions[i] = (FunctionValue) arms[i].executeGeneric(frame);
        }
        EffectHandlers handlers = EffectHandlers.current(this);
        EffectHandlers.Frame outer = handlers.install(null);
        handlers.install(EffectHandlers.push(outer, effect, functions));
        try {
            return body.executeGeneric(frame);
        } finally {
            handlers.install(outer);
        }
    }
}
