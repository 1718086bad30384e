package org.osprey.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;

import org.osprey.nodes.OspreyNode;

/** Constant values. */
public final class Literals {
    private Literals() {
    }

    public static final class LongLiteral extends OspreyNode {
        private final long value;

        public LongLiteral(long value) {
            this.value = value;
        }

        @Override
        public long executeLong(VirtualFrame frame) {
            return value;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return value;
        }
    }

    public static final class DoubleLiteral extends OspreyNode {
        private final double value;

        public DoubleLiteral(double value) {
            this.value = value;
        }

        @Override
        public double executeDouble(VirtualFrame frame) {
            return value;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return value;
        }
    }

    public static final class BooleanLiteral extends OspreyNode {
        private final boolean value;

        public BooleanLiteral(boolean value) {
            this.value = value;
        }

        @Override
        public boolean executeBoolean(VirtualFrame frame) {
            return value;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return value;
        }
    }

    /** Any other constant: a string, unit, a top-level function, a variant without fields. */
    public static final class ObjectLiteral extends OspreyNode {
        private final Object value;

        public ObjectLiteral(Object value) {
            this.value = value;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return value;
        }
    }
}
