package org.osprey.nodes;

import org.osprey.types.Prelude;
import org.osprey.types.Type;

/** How a value of a static type is held at run time: unboxed long, double or boolean, or an object. */
public enum Rep {
    LONG, DOUBLE, BOOLEAN, OBJECT;

    public static Rep of(Type t) {
        if (t == null) {
            return OBJECT;
        }
        Type p = t.prune();
        if (p instanceof Type.Con c) {
            if (c.info == Prelude.INT) {
                return LONG;
            }
            if (c.info == Prelude.FLOAT) {
                return DOUBLE;
            }
            if (c.info == Prelude.BOOL) {
                return BOOLEAN;
            }
        }
        return OBJECT;
    }

    public com.oracle.truffle.api.frame.FrameSlotKind slotKind() {
        return switch (this) {
            case LONG -> com.oracle.truffle.api.frame.FrameSlotKind.Long;
            case DOUBLE -> com.oracle.truffle.api.frame.FrameSlotKind.Double;
            case BOOLEAN -> com.oracle.truffle.api.frame.FrameSlotKind.Boolean;
            case OBJECT -> com.oracle.truffle.api.frame.FrameSlotKind.Object;
        };
    }
}
