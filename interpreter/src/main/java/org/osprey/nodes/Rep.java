package org.osprey.nodes;

import com.oracle.truffle.api.frame.Frame;

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

    /** Stores a value of this representation, boxed as it comes, in its frame slot unboxed. */
    public void set(Frame frame, int slot, Object value) {
        switch (this) {
            case LONG -> frame.setLong(slot, (long) value);
            case DOUBLE -> frame.setDouble(slot, (double) value);
            case BOOLEAN -> frame.setBoolean(slot, (boolean) value);
            case OBJECT -> frame.setObject(slot, value);
        }
    }

    /** The value in a frame slot of this representation, boxed. */
    public Object get(Frame frame, int slot) {
        return switch (this) {
            case LONG -> frame.getLong(slot);
            case DOUBLE -> frame.getDouble(slot);
            case BOOLEAN -> frame.getBoolean(slot);
            case OBJECT -> frame.getObject(slot);
        };
    }

    /**
     * An int, float or bool value of this representation, boxed, from the bits it travels in unboxed
     * (org.osprey.nodes.call.ArgumentRegisters: a float as its raw bits, a bool as 0 or 1).
     */
    public Object fromBits(long bits) {
        return switch (this) {
            case LONG -> bits;
            case DOUBLE -> Double.longBitsToDouble(bits);
            case BOOLEAN -> bits != 0;
            case OBJECT -> throw com.oracle.truffle.api.CompilerDirectives.shouldNotReachHere("an object has no bits");
        };
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
