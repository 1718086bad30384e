package org.osprey.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;

import org.osprey.nodes.OspreyNode;

/** {@code + - * / %} on floats; {@code /} is always float (spec 0013): that of two ints is {@link IntDivision}. */
public final class FloatArithmetic {
    private FloatArithmetic() {
    }

    public static final class Add extends ArithmeticNode.FloatBinary {
        public Add(boolean propagate, OspreyNode left, OspreyNode right) {
            super("+", propagate, left, right);
        }

        @Override
        public double executeDouble(VirtualFrame frame) {
            double a = left.executeDouble(frame);
            double b = right.executeDouble(frame);
            return checked(a + b, a, b);
        }
    }

    public static final class Sub extends ArithmeticNode.FloatBinary {
        public Sub(boolean propagate, OspreyNode left, OspreyNode right) {
            super("-", propagate, left, right);
        }

        @Override
        public double executeDouble(VirtualFrame frame) {
            double a = left.executeDouble(frame);
            double b = right.executeDouble(frame);
            return checked(a - b, a, b);
        }
    }

    public static final class Mul extends ArithmeticNode.FloatBinary {
        public Mul(boolean propagate, OspreyNode left, OspreyNode right) {
            super("*", propagate, left, right);
        }

        @Override
        public double executeDouble(VirtualFrame frame) {
            double a = left.executeDouble(frame);
            double b = right.executeDouble(frame);
            return checked(a * b, a, b);
        }
    }

    public static final class Div extends ArithmeticNode.FloatBinary {
        public Div(boolean propagate, OspreyNode left, OspreyNode right) {
            super("/", propagate, left, right);
        }

        @Override
        public double executeDouble(VirtualFrame frame) {
            double a = left.executeDouble(frame);
            double b = right.executeDouble(frame);
            return divide(a, b);
        }

        private double divide(double a, double b) {
            if (b == 0) {
                throw divisionByZero();
            }
            return checked(a / b, a, b);
        }
    }

    public static final class Mod extends ArithmeticNode.FloatBinary {
        public Mod(boolean propagate, OspreyNode left, OspreyNode right) {
            super("%", propagate, left, right);
        }

        @Override
        public double executeDouble(VirtualFrame frame) {
            double a = left.executeDouble(frame);
            double b = right.executeDouble(frame);
            if (b == 0) {
                throw divisionByZero();
            }
            return a % b;
        }
    }

    public static final class Negate extends OspreyNode {
        @Child private OspreyNode operand;

        public Negate(OspreyNode operand) {
            this.operand = operand;
        }

        @Override
        public double executeDouble(VirtualFrame frame) {
            return -operand.executeDouble(frame);
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return executeDouble(frame);
        }
    }

    /** An int operand of a float operation (spec 0013: the int is promoted). */
    public static final class IntToFloat extends OspreyNode {
        @Child private OspreyNode operand;

        public IntToFloat(OspreyNode operand) {
            this.operand = operand;
        }

        @Override
        public double executeDouble(VirtualFrame frame) {
            return operand.executeLong(frame);
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return executeDouble(frame);
        }
    }

    /** {@code toInt(float)} (spec 0004): Java's cast is the builtin's rule (toward zero, NaN 0, saturating). */
    public static final class FloatToInt extends OspreyNode {
        @Child private OspreyNode operand;

        public FloatToInt(OspreyNode operand) {
            this.operand = operand;
        }

        @Override
        public long executeLong(VirtualFrame frame) {
            if (operand instanceof IntDivision div) {
                return div.executeTruncated(frame);
            }
            return (long) operand.executeDouble(frame);
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return executeLong(frame);
        }
    }
}
