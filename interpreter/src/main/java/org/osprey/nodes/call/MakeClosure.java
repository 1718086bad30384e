package org.osprey.nodes.call;

import com.oracle.truffle.api.RootCallTarget;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;

import org.osprey.nodes.OspreyNode;
import org.osprey.runtime.FunctionValue;

/**
 * Creates a closure for a lambda or nested fn (spec 0004 TYPE-FN-CLOSURE): copies the captured values, or
 * the cells of captured variables that can still change, into a new function value.
 */
public final class MakeClosure extends OspreyNode {
    /** The function's name; null for an adapter, which takes the name of the function it adapts. */
    private final String name;
    private final RootCallTarget target;
    private final int arity;
    @Children private final OspreyNode[] captures;

    public MakeClosure(String name, RootCallTarget target, int arity, OspreyNode[] captures) {
        this.name = name;
        this.target = target;
        this.arity = arity;
        this.captures = captures;
    }

    /**
     * An adapter: a function of the adapted one's name (a program that prints it sees the function it
     * passed), whose only capture is that function.
     */
    public static MakeClosure adapter(RootCallTarget target, int arity, OspreyNode function) {
        return new MakeClosure(null, target, arity, new OspreyNode[] {function});
    }

    @Override
    @ExplodeLoop
    public Object executeGeneric(VirtualFrame frame) {
        Object[] values = new Object[captures.length];
        for (int i = 0; i < captures.length; i++) {
            values[i] = captures[i].executeGeneric(frame);
        }
        String n = name;
        if (n == null) {
            n = values[0] instanceof FunctionValue f ? f.name : "<lambda>";
        }
        return new FunctionValue(n, target, values, arity);
    }
}
