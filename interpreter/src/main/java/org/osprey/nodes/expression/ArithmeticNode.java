package org.osprey.nodes.expression;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;

import org.osprey.nodes.OspreyNode;
import org.osprey.runtime.DataShape;
import org.osprey.runtime.MathException;
import org.osprey.runtime.OspreyError;
import org.osprey.types.Prelude;
import org.osprey.types.VariantInfo;

/**
 * Base of the arithmetic operators (spec 0013 "Arithmetic Returns Result"). An operator computes a plain
 * value; when it fails it either throws a {@link MathException} carrying the MathError (its chain ends in a
 * Result or in a call that returns one) or stops the program with an error at its location (its value is used
 * where no Result can hold an error). The node builder chooses, per node, with {@code propagate}.
 */
public abstract class ArithmeticNode extends OspreyNode {
    protected final boolean propagate;
    protected final String symbol;

    protected ArithmeticNode(String symbol, boolean propagate) {
        this.symbol = symbol;
        this.propagate = propagate;
    }

    /**
     * Whether this operation has failed before, with {@code propagate}. The first failure goes back to the
     * interpreter and has the code compiled again with the failing path in it; later ones are handled by the
     * compiled code. Every failure used to throw the compiled code away, so a loop in which some division by
     * zero is expected (and matched as an Error) was compiled, thrown away and compiled again without end.
     */
    @CompilationFinal private boolean failedBefore;

    private RuntimeException propagated(VariantInfo error) {
        if (!failedBefore) {
            CompilerDirectives.transferToInterpreterAndInvalidate();
            failedBefore = true;
        }
        return new MathException(errorValue(error), this);
    }

    @TruffleBoundary
    private static Object errorValue(VariantInfo error) {
        return DataShape.of(error).singleton;
    }

    protected final RuntimeException overflow() {
        if (propagate) {
            return propagated(Prelude.OVERFLOW);
        }
        CompilerDirectives.transferToInterpreterAndInvalidate();
        return new OspreyError("integer overflow: the result of '" + symbol + "' does not fit in a 64-bit int", this);
    }

    protected final RuntimeException floatOverflow() {
        if (propagate) {
            return propagated(Prelude.OVERFLOW);
        }
        CompilerDirectives.transferToInterpreterAndInvalidate();
        return new OspreyError("float overflow: the result of '" + symbol + "' is too large", this);
    }

    protected final RuntimeException divisionByZero() {
        if (propagate) {
            return propagated(Prelude.DIVISION_BY_ZERO);
        }
        CompilerDirectives.transferToInterpreterAndInvalidate();
        return new OspreyError("division by zero", this);
    }

    /** The message for an unhandled MathError payload, shared with the unwrap node. */
    public static String describe(Object mathError) {
        String name = String.valueOf(mathError);
        return switch (name) {
            case "DivisionByZero" -> "division by zero";
            case "Overflow" -> "arithmetic overflow";
            case "Underflow" -> "arithmetic underflow";
            default -> name;
        };
    }

    /** Integer operators: both operands and the result are unboxed longs. */
    public abstract static class IntBinary extends ArithmeticNode {
        @Child protected OspreyNode left;
        @Child protected OspreyNode right;

        protected IntBinary(String symbol, boolean propagate, OspreyNode left, OspreyNode right) {
            super(symbol, propagate);
            this.left = left;
            this.right = right;
        }

        @Override
        public final Object executeGeneric(VirtualFrame frame) {
            return executeLong(frame);
        }
    }

    /** Float operators. An infinite result from finite operands is an Overflow error, not a silent infinity. */
    public abstract static class FloatBinary extends ArithmeticNode {
        @Child protected OspreyNode left;
        @Child protected OspreyNode right;

        protected FloatBinary(String symbol, boolean propagate, OspreyNode left, OspreyNode right) {
            super(symbol, propagate);
            this.left = left;
            this.right = right;
        }

        @Override
        public final Object executeGeneric(VirtualFrame frame) {
            return executeDouble(frame);
        }

        protected final double checked(double result, double a, double b) {
            if (Double.isInfinite(result) && Double.isFinite(a) && Double.isFinite(b)) {
                throw floatOverflow();
            }
            return result;
        }
    }
}
