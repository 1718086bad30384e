package org.osprey.nodes.call;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.Node;

import org.osprey.nodes.OspreyNode;

/**
 * Evaluates a call's arguments left to right as written (spec 0003), placing each at its parameter's
 * position, after {@code offset} leading slots (1 for the calling convention's function slot).
 */
public final class Arguments extends Node {
    @Children private final OspreyNode[] values;
    @CompilationFinal(dimensions = 1) private final int[] positions;
    private final int offset;

    public Arguments(OspreyNode[] valuesInSourceOrder, int[] positions, int offset) {
        this.values = valuesInSourceOrder;
        this.positions = positions;
        this.offset = offset;
    }

    public int count() {
        return values.length;
    }

    @ExplodeLoop
    public Object[] evaluate(VirtualFrame frame) {
        Object[] out = new Object[values.length + offset];
        for (int i = 0; i < values.length; i++) {
            out[positions[i] + offset] = values[i].executeGeneric(frame);
        }
        return out;
    }
}
