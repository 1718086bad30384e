package org.osprey.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.nodes.OspreyNode;
import org.osprey.runtime.Compare;
import org.osprey.runtime.DataValue;
import org.osprey.runtime.Strings;

/** {@code == != < > <= >=}: unboxed for ints, floats and bools; by content for strings; structural otherwise. */
public final class Comparisons {
    private Comparisons() {
    }

    public enum Op {
        EQ, NE, LT, GT, LE, GE;

        boolean test(int c) {
            return switch (this) {
                case EQ -> c == 0;
                case NE -> c != 0;
                case LT -> c < 0;
                case GT -> c > 0;
                case LE -> c <= 0;
                case GE -> c >= 0;
            };
        }
    }

    public abstract static class Comparison extends OspreyNode {
        @Child protected OspreyNode left;
        @Child protected OspreyNode right;
        protected final Op op;

        protected Comparison(Op op, OspreyNode left, OspreyNode right) {
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        public final Object executeGeneric(VirtualFrame frame) {
            return executeBoolean(frame);
        }
    }

    public static final class IntCompare extends Comparison {
        public IntCompare(Op op, OspreyNode left, OspreyNode right) {
            super(op, left, right);
        }

        @Override
        public boolean executeBoolean(VirtualFrame frame) {
            long a = left.executeLong(frame);
            long b = right.executeLong(frame);
            return switch (op) {
                case EQ -> a == b;
                case NE -> a != b;
                case LT -> a < b;
                case GT -> a > b;
                case LE -> a <= b;
                case GE -> a >= b;
            };
        }
    }

    public static final class FloatCompare extends Comparison {
        public FloatCompare(Op op, OspreyNode left, OspreyNode right) {
            super(op, left, right);
        }

        @Override
        public boolean executeBoolean(VirtualFrame frame) {
            double a = left.executeDouble(frame);
            double b = right.executeDouble(frame);
            return switch (op) {
                case EQ -> a == b;
                case NE -> a != b;
                case LT -> a < b;
                case GT -> a > b;
                case LE -> a <= b;
                case GE -> a >= b;
            };
        }
    }

    public static final class BoolCompare extends Comparison {
        public BoolCompare(Op op, OspreyNode left, OspreyNode right) {
            super(op, left, right);
        }

        @Override
        public boolean executeBoolean(VirtualFrame frame) {
            boolean a = left.executeBoolean(frame);
            boolean b = right.executeBoolean(frame);
            return op == Op.EQ ? a == b : a != b;
        }
    }

    /** Strings order by code point, which for UTF-8 is byte order. */
    public static final class StringCompare extends Comparison {
        @Child private TruffleString.EqualNode equal = TruffleString.EqualNode.create();
        @Child private TruffleString.CompareBytesNode compare = TruffleString.CompareBytesNode.create();

        public StringCompare(Op op, OspreyNode left, OspreyNode right) {
            super(op, left, right);
        }

        @Override
        public boolean executeBoolean(VirtualFrame frame) {
            TruffleString a = (TruffleString) left.executeGeneric(frame);
            TruffleString b = (TruffleString) right.executeGeneric(frame);
            if (op == Op.EQ) {
                return equal.execute(a, b, Strings.ENCODING);
            }
            if (op == Op.NE) {
                return !equal.execute(a, b, Strings.ENCODING);
            }
            return op.test(compare.execute(a, b, Strings.ENCODING));
        }
    }

    /** Records, unions, lists, maps, tuples and unit compare by value. */
    public static final class StructuralEquals extends Comparison {
        public StructuralEquals(Op op, OspreyNode left, OspreyNode right) {
            super(op, left, right);
        }

        @Override
        public boolean executeBoolean(VirtualFrame frame) {
            boolean eq = equal(left.executeGeneric(frame), right.executeGeneric(frame));
            return op == Op.EQ ? eq : !eq;
        }

        /**
         * The answers that need no walk, here in the compiled code: the same value, and union values of
         * different variants or of one variant without fields ({@code cell == Empty}); the rest behind
         * Compare's boundary.
         */
        private static boolean equal(Object a, Object b) {
            if (a == b) {
                return true;
            }
            if (a instanceof DataValue x && b instanceof DataValue y && (x.shape.variant != null || y.shape.variant != null)) {
                if (x.shape != y.shape) {
                    return false;
                }
                if (x.shape.fieldNames.length == 0) {
                    return true;
                }
            }
            return Compare.equal(a, b);
        }
    }
}
