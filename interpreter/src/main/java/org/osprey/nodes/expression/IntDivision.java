package org.osprey.nodes.expression;

import java.math.BigInteger;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;

import org.osprey.nodes.OspreyNode;

/**
 * {@code a / b} of two ints: a float (spec 0013), the exact quotient rounded once to the nearest double (ties
 * to even), as Python's int / int. Promoting both ints first and dividing the floats rounds twice when an
 * operand is beyond 2^53: 9007199254740993 / 3 gave 3002399751580330.5 for the 3002399751580331 that a double
 * holds exactly. Where both operands are within 2^53 they are exact doubles and the float division is the
 * correctly rounded quotient; that stays the compiled code's only path until an operand beyond it is seen.
 */
public final class IntDivision extends ArithmeticNode.FloatBinary {
    private static final long EXACT = 1L << 53;

    /** Whether an operand beyond 2^53 has been divided here: until then, compiled code holds no slow path. */
    @CompilationFinal private boolean seenLarge;

    public IntDivision(boolean propagate, OspreyNode left, OspreyNode right) {
        super("/", propagate, left, right);
    }

    @Override
    public double executeDouble(VirtualFrame frame) {
        long a = left.executeLong(frame);
        long b = right.executeLong(frame);
        if (b == 0) {
            throw divisionByZero();
        }
        if (a >= -EXACT && a <= EXACT && b >= -EXACT && b <= EXACT) {
            return (double) a / (double) b;
        }
        if (!seenLarge) {
            CompilerDirectives.transferToInterpreterAndInvalidate();
            seenLarge = true;
        }
        return quotient(a, b);
    }

    /**
     * {@code toInt(a / b)}: the quotient truncated toward zero. That is the integer division's quotient, exact at
     * every magnitude (spec 0013 has no integer division, and through the float quotient, digits beyond 2^53
     * would be lost: 1234567890123456789 / 10 would give ...680). It also takes the processor a fraction of a
     * float division's time. The one quotient beyond the int range, of the smallest int by -1, saturates as
     * toInt does.
     */
    public long executeTruncated(VirtualFrame frame) {
        long a = left.executeLong(frame);
        long b = right.executeLong(frame);
        if (b == 0) {
            throw divisionByZero();
        }
        if (b == -1 && a == Long.MIN_VALUE) {
            return Long.MAX_VALUE;
        }
        return a / b;
    }

    /**
     * The quotient of two ints (b not 0) rounded once to the nearest double, ties to even. The magnitudes'
     * quotient is taken with at least 55 bits (the dividend shifted left) and a sticky last bit set when a
     * remainder is left, so BigInteger's correctly rounded conversion to double sees every bit that decides
     * the rounding; scaling back by a power of two is exact, the result being far from the float range's ends.
     */
    @TruffleBoundary
    static double quotient(long a, long b) {
        if (a == 0) {
            return (a < 0) != (b < 0) ? -0.0 : 0.0;
        }
        BigInteger n = BigInteger.valueOf(a).abs();
        BigInteger d = BigInteger.valueOf(b).abs();
        int shift = Math.max(0, 55 + d.bitLength() - n.bitLength());
        BigInteger[] qr = n.shiftLeft(shift).divideAndRemainder(d);
        BigInteger q = qr[1].signum() == 0 ? qr[0] : qr[0].setBit(0);
        double magnitude = Math.scalb(q.doubleValue(), -shift);
        return (a < 0) != (b < 0) ? -magnitude : magnitude;
    }
}
