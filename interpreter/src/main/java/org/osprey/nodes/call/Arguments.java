package org.osprey.nodes.call;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.NodeUtil;

import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.Rep;

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

    /**
     * Whether evaluating these arguments can run Osprey code or wait: a call of any kind (a function, a
     * builtin, a loop over a function) or a comprehension, which may force a lazy {@code map}. Arguments that
     * cannot (locals, literals, arithmetic, comparisons, field reads) can never reach the call site they are
     * for again while it evaluates them.
     */
    boolean mayCall() {
        for (OspreyNode v : values) {
            if (mayCall(v)) {
                return true;
            }
        }
        return false;
    }

    private static boolean mayCall(Node node) {
        if (node.getClass().getPackage() == Arguments.class.getPackage() || node instanceof org.osprey.nodes.data.ComprehensionNode) {
            return true;
        }
        return !NodeUtil.forEachChild(node, child -> !mayCall(child));
    }

    /**
     * Evaluates the arguments left to right into a call site's registers, unboxed where the parameter's
     * representation ({@code reps}, by parameter) is; a parameter the callee never reads is evaluated for its
     * effects only.
     */
    @ExplodeLoop
    void evaluateInto(VirtualFrame frame, ArgumentRegisters registers, Rep[] reps, boolean[] unused) {
        for (int i = 0; i < values.length; i++) {
            int p = positions[i];
            if (unused[p]) {
                values[i].executeVoid(frame);
                continue;
            }
            switch (reps[p]) {
                case LONG -> registers.setLong(p, values[i].executeLong(frame));
                case DOUBLE -> registers.setLong(p, Double.doubleToRawLongBits(values[i].executeDouble(frame)));
                case BOOLEAN -> registers.setLong(p, values[i].executeBoolean(frame) ? 1 : 0);
                case OBJECT -> registers.setObject(p, values[i].executeGeneric(frame));
            }
        }
    }

    /**
     * Evaluates the arguments left to right into frame slots of the caller, one per parameter ({@code slots},
     * by parameter; -1 where the callee never reads the parameter: evaluated for its effects only), in the
     * parameter's representation ({@link InlinedCall}, and {@link SelfTailCall} into the slots where the new
     * arguments wait).
     */
    @ExplodeLoop
    void evaluateIntoSlots(VirtualFrame frame, int[] slots, Rep[] reps) {
        for (int i = 0; i < values.length; i++) {
            int p = positions[i];
            int slot = slots[p];
            if (slot < 0) {
                values[i].executeVoid(frame);
                continue;
            }
            switch (reps[p]) {
                case LONG -> frame.setLong(slot, values[i].executeLong(frame));
                case DOUBLE -> frame.setDouble(slot, values[i].executeDouble(frame));
                case BOOLEAN -> frame.setBoolean(slot, values[i].executeBoolean(frame));
                case OBJECT -> frame.setObject(slot, values[i].executeGeneric(frame));
            }
        }
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
