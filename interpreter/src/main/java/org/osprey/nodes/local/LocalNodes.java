package org.osprey.nodes.local;

import com.oracle.truffle.api.frame.VirtualFrame;

import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.Rep;

/** Reads and writes of a function's own variables, in typed frame slots. */
public final class LocalNodes {
    private LocalNodes() {
    }

    public static OspreyNode read(int slot, Rep rep) {
        return switch (rep) {
            case LONG -> new ReadLong(slot);
            case DOUBLE -> new ReadDouble(slot);
            case BOOLEAN -> new ReadBoolean(slot);
            case OBJECT -> new ReadObject(slot);
        };
    }

    public static final class ReadLong extends OspreyNode {
        private final int slot;

        ReadLong(int slot) {
            this.slot = slot;
        }

        @Override
        public long executeLong(VirtualFrame frame) {
            return frame.getLong(slot);
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return frame.getLong(slot);
        }
    }

    public static final class ReadDouble extends OspreyNode {
        private final int slot;

        ReadDouble(int slot) {
            this.slot = slot;
        }

        @Override
        public double executeDouble(VirtualFrame frame) {
            return frame.getDouble(slot);
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return frame.getDouble(slot);
        }
    }

    public static final class ReadBoolean extends OspreyNode {
        private final int slot;

        ReadBoolean(int slot) {
            this.slot = slot;
        }

        @Override
        public boolean executeBoolean(VirtualFrame frame) {
            return frame.getBoolean(slot);
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return frame.getBoolean(slot);
        }
    }

    public static final class ReadObject extends OspreyNode {
        private final int slot;

        ReadObject(int slot) {
            this.slot = slot;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return frame.getObject(slot);
        }
    }

    /** {@code let x = e} and assignment to a mut: evaluates e in the slot's representation. */
    public static final class Write extends OspreyNode {
        private final int slot;
        private final Rep rep;
        @Child private OspreyNode value;

        public Write(int slot, Rep rep, OspreyNode value) {
            this.slot = slot;
            this.rep = rep;
            this.value = value;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            executeVoid(frame);
            return org.osprey.runtime.Unit.INSTANCE;
        }

        @Override
        public void executeVoid(VirtualFrame frame) {
            switch (rep) {
                case LONG -> frame.setLong(slot, value.executeLong(frame));
                case DOUBLE -> frame.setDouble(slot, value.executeDouble(frame));
                case BOOLEAN -> frame.setBoolean(slot, value.executeBoolean(frame));
                case OBJECT -> frame.setObject(slot, value.executeGeneric(frame));
            }
        }
    }
}
