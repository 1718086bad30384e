package org.osprey.nodes.controlflow;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;

import org.osprey.nodes.OspreyNode;
import org.osprey.runtime.Unit;

/** {@code { statements; result }}: runs the statements, then yields the result or unit (spec 0008). */
public final class BlockNode extends OspreyNode {
    @Children private final OspreyNode[] statements;
    @Child private OspreyNode result;

    public BlockNode(OspreyNode[] statements, OspreyNode result) {
        this.statements = statements;
        this.result = result;
    }

    @ExplodeLoop
    private void runStatements(VirtualFrame frame) {
        for (OspreyNode s : statements) {
            s.executeVoid(frame);
        }
    }

    @Override
    public Object executeGeneric(VirtualFrame frame) {
        runStatements(frame);
        return result == null ? Unit.INSTANCE : result.executeGeneric(frame);
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        runStatements(frame);
        return result.executeLong(frame);
    }

    @Override
    public double executeDouble(VirtualFrame frame) {
        runStatements(frame);
        return result.executeDouble(frame);
    }

    @Override
    public boolean executeBoolean(VirtualFrame frame) {
        runStatements(frame);
        return result.executeBoolean(frame);
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        runStatements(frame);
        if (result != null) {
            result.executeVoid(frame);
        }
    }
}
