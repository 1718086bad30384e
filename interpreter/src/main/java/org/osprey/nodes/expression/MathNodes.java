package org.osprey.nodes.expression;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.frame.VirtualFrame;

import org.osprey.nodes.OspreyNode;
import org.osprey.runtime.MathOps;
import org.osprey.runtime.OspreyError;

/**
 * Direct calls of the math builtins that give a plain value, built into the program's nodes: a builtin call
 * runs its Java code behind a boundary with its values boxed, which made {@code max(a, b)} in a loop about
 * three times as slow as the ternary it stands for.
 */
public final class MathNodes {
    private MathNodes() {
    }

    /** {@code abs} of an int. */
    public static final class IntAbs extends OspreyNode {
        @Child private OspreyNode operand;

        public IntAbs(OspreyNode operand) {
            this.operand = operand;
        }

        @Override
        public long executeLong(VirtualFrame frame) {
            long x = operand.executeLong(frame);
            if (x == Long.MIN_VALUE) {
                CompilerDirectives.transferToInterpreterAndInvalidate();
                throw new OspreyError(MathOps.absOverflow(x), this);
            }
            return Math.abs(x);
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return executeLong(frame);
        }
    }

    /** {@code min} and {@code max} of two ints. */
    public static final class IntMinMax extends OspreyNode {
        @Child private OspreyNode left;
        @Child private OspreyNode right;
        private final MathOps op;

        public IntMinMax(MathOps op, OspreyNode left, OspreyNode right) {
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        public long executeLong(VirtualFrame frame) {
            long a = left.executeLong(frame);
            long b = right.executeLong(frame);
            return op.apply(a, b);
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return executeLong(frame);
        }
    }

    /** {@code min}, {@code max} and {@code atan2} of two floats. */
    public static final class FloatBinary extends OspreyNode {
        @Child private OspreyNode left;
        @Child private OspreyNode right;
        private final MathOps op;

        public FloatBinary(MathOps op, OspreyNode left, OspreyNode right) {
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        public double executeDouble(VirtualFrame frame) {
            double a = left.executeDouble(frame);
            double b = right.executeDouble(frame);
            return op.apply(a, b);
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return executeDouble(frame);
        }
    }

    /** A float function of one float: abs, floor, ceil, round, sqrt, log, sin, cos, tan. */
    public static final class FloatUnary extends OspreyNode {
        @Child private OspreyNode operand;
        private final MathOps op;

        public FloatUnary(MathOps op, OspreyNode operand) {
            this.op = op;
            this.operand = operand;
        }

        @Override
        public double executeDouble(VirtualFrame frame) {
            double x = operand.executeDouble(frame);
            if (op.outside(x)) {
                CompilerDirectives.transferToInterpreterAndInvalidate();
                throw new OspreyError(op.problem(x), this);
            }
            return op.apply(x);
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return executeDouble(frame);
        }
    }
}
