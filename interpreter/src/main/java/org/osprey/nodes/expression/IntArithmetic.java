package org.osprey.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;

import org.osprey.nodes.OspreyNode;

/** {@code + - * %} on ints, with overflow and division by zero detected (spec 0013). */
public final class IntArithmetic {
    private IntArithmetic() {
    }

    public static final class Add extends ArithmeticNode.IntBinary {
        public Add(boolean propagate, OspreyNode left, OspreyNode right) {
            super("+", propagate, left, right);
        }

        @Override
        public long executeLong(VirtualFrame frame) {
            long a = left.executeLong(frame);
            long b = right.executeLong(frame);
            try {
                return Math.addExact(a, b);
            } catch (ArithmeticException e) {
                throw overflow();
            }
        }
    }

    public static final class Sub extends ArithmeticNode.IntBinary {
        public Sub(boolean propagate, OspreyNode left, OspreyNode right) {
            super("-", propagate, left, right);
        }

        @Override
        public long executeLong(VirtualFrame frame) {
            long a = left.executeLong(frame);
            long b = right.executeLong(frame);
            try {
                return Math.subtractExact(a, b);
            } catch (ArithmeticException e) {
                throw overflow();
            }
        }
    }

    public static final class Mul extends ArithmeticNode.IntBinary {
        public Mul(boolean propagate, OspreyNode left, OspreyNode right) {
            super("*", propagate, left, right);
        }

        @Override
        public long executeLong(VirtualFrame frame) {
            long a = left.executeLong(frame);
            long b = right.executeLong(frame);
            try {
                return Math.multiplyExact(a, b);
            } catch (ArithmeticException e) {
                throw overflow();
            }
        }
    }

    /** Remainder with the sign of the dividend, as in C and Java; {@code x % 0} is DivisionByZero. */
    public static final class Mod extends ArithmeticNode.IntBinary {
        public Mod(boolean propagate, OspreyNode left, OspreyNode right) {
            super("%", propagate, left, right);
        }

        @Override
        public long executeLong(VirtualFrame frame) {
            long a = left.executeLong(frame);
            long b = right.executeLong(frame);
            if (b == 0) {
                throw divisionByZero();
            }
            return a % b;
        }
    }

    /** Unary minus; only the smallest int has no negation. */
    public static final class Negate extends ArithmeticNode {
        @Child private OspreyNode operand;

        public Negate(boolean propagate, OspreyNode operand) {
            super("-", propagate);
            this.operand = operand;
        }

        @Override
        public long executeLong(VirtualFrame frame) {
            long a = operand.executeLong(frame);
            if (a == Long.MIN_VALUE) {
                throw overflow();
            }
            return -a;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return executeLong(frame);
        }
    }
}
