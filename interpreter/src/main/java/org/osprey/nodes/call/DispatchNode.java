package org.osprey.nodes.call;

import com.oracle.truffle.api.RootCallTarget;
import com.oracle.truffle.api.dsl.Cached;
import com.oracle.truffle.api.dsl.GenerateInline;
import com.oracle.truffle.api.dsl.Specialization;
import com.oracle.truffle.api.nodes.DirectCallNode;
import com.oracle.truffle.api.nodes.IndirectCallNode;
import com.oracle.truffle.api.nodes.Node;

import org.osprey.runtime.FunctionValue;

/**
 * Calls a function value. A polymorphic inline cache keyed on the call target gives direct (inlinable)
 * calls for the few functions a call site usually sees; beyond that, an indirect call.
 */
@GenerateInline(false)
public abstract class DispatchNode extends Node {
    public abstract Object execute(FunctionValue function, Object[] arguments);

    @Specialization(guards = "function.target == cachedTarget", limit = "3")
    protected static Object direct(FunctionValue function, Object[] arguments,
                    @Cached("function.target") RootCallTarget cachedTarget,
                    @Cached("create(cachedTarget)") DirectCallNode call) {
        return call.call(arguments);
    }

    @Specialization(replaces = "direct")
    protected static Object indirect(FunctionValue function, Object[] arguments, @Cached IndirectCallNode call) {
        return call.call(function.target, arguments);
    }
}
