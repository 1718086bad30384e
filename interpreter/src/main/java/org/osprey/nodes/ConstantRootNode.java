package org.osprey.nodes;

import com.oracle.truffle.api.TruffleLanguage;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.RootNode;

/** Returns a value computed before it ran: the answer to a tool's query. */
public final class ConstantRootNode extends RootNode {
    private final Object value;

    public ConstantRootNode(TruffleLanguage<?> language, Object value) {
        super(language);
        this.value = value;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        return value;
    }
}
