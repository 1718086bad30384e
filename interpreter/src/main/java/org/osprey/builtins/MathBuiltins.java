package org.osprey.builtins;

import java.math.BigDecimal;
import java.math.RoundingMode;

import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.runtime.DataShape;
import org.osprey.runtime.MathOps;
import org.osprey.runtime.Display;
import org.osprey.spi.BuiltinException;
import org.osprey.spi.BuiltinRegistry;
import org.osprey.spi.Values;
import org.osprey.types.Prelude;

/**
 * The math functions (an extension: spec 0012 has none). No float the language holds is ever NaN or infinite
 * (docs/language.md, "Values and their text"), so each keeps to that: {@code pow} and {@code exp}, whose
 * result can be too large, give arithmetic's {@code Result<T, MathError>} with {@code Overflow} (and {@code
 * DivisionByZero} for a zero base to a negative power), which the checker unwraps where arithmetic's would be;
 * an argument outside a function's domain ({@code sqrt(-1.0)}, {@code log(0.0)}) has no answer a float or a
 * {@code MathError} could give, and stops the program with an error naming the argument, as {@code -x} of the
 * smallest int does. The functions with a plain value are {@link MathOps}, shared with their nodes.
 */
final class MathBuiltins {
    private MathBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.function("abs(value: int) -> int", "core", "The int without its sign (an extension); abs of the smallest int does not fit and stops the program.",
                        of(MathOps.ABS_INT));
        r.function("abs(value: float) -> float", "core", of(MathOps.ABS_FLOAT));
        r.function("min(a: int, b: int) -> int", "core", "The smaller of two ints, or of two floats (an extension).", of(MathOps.MIN_INT));
        r.function("min(a: float, b: float) -> float", "core", of(MathOps.MIN_FLOAT));
        r.function("max(a: int, b: int) -> int", "core", "The larger of two ints, or of two floats (an extension).", of(MathOps.MAX_INT));
        r.function("max(a: float, b: float) -> float", "core", of(MathOps.MAX_FLOAT));
        r.function("floor(value: float) -> float", "core", "The largest whole float not above the value (an extension; toInt(...) makes it an int).",
                        of(MathOps.FLOOR));
        r.function("ceil(value: float) -> float", "core", "The smallest whole float not below the value (an extension; toInt(...) makes it an int).",
                        of(MathOps.CEIL));
        r.function("round(value: float) -> float", "core",
                        "The nearest whole float, halves away from zero: round(2.5) is 3, round(-2.5) is -3 (an extension; toInt(...) makes it an int).",
                        of(MathOps.ROUND));
        r.function("toFixed(value: float, digits: int) -> string", "core",
                        "The number as text with this many digits (0 to 20) after the point, halves away from zero: toFixed(2.0 / 3.0, 2) is \"0.67\" (an extension).",
                        (ctx, a) -> toFixed(new BigDecimal((double) a[0]), (long) a[1]));
        // an int as it is: through a double, 9007199254740993 would have been written ...992
        r.function("toFixed(value: int, digits: int) -> string", "core", (ctx, a) -> toFixed(BigDecimal.valueOf((long) a[0]), (long) a[1]));
        r.function("sqrt(value: float) -> float", "core", "The square root (an extension); a negative value stops the program.", of(MathOps.SQRT));
        r.function("log(value: float) -> float", "core", "The natural logarithm (an extension); a value of 0 or less stops the program.", of(MathOps.LOG));
        r.function("log10(value: float) -> float", "core", "The logarithm to base 10 (an extension); a value of 0 or less stops the program.", of(MathOps.LOG10));
        r.function("exp(value: float) -> Result<float, MathError>", "core", "e to the power of the value (an extension); Error(Overflow) when too large.",
                        (ctx, a) -> finite(Math.exp((double) a[0])));
        r.function("pow(base: int, exponent: int) -> Result<int, MathError>", "core",
                        "The base to the power of the exponent (an extension): Error(Overflow) when too large; a negative int exponent stops the program.",
                        (ctx, a) -> pow((long) a[0], (long) a[1]));
        r.function("pow(base: float, exponent: float) -> Result<float, MathError>", "core", (ctx, a) -> pow((double) a[0], (double) a[1]));
        r.function("sin(radians: float) -> float", "core", "The sine of an angle in radians (an extension).", of(MathOps.SIN));
        r.function("cos(radians: float) -> float", "core", "The cosine of an angle in radians (an extension).", of(MathOps.COS));
        r.function("tan(radians: float) -> float", "core", "The tangent of an angle in radians (an extension).", of(MathOps.TAN));
        r.function("asin(value: float) -> float", "core", "The angle in radians, from -π/2 to π/2, whose sine is the value (an extension); outside -1 to 1 stops the program.",
                        of(MathOps.ASIN));
        r.function("acos(value: float) -> float", "core", "The angle in radians, from 0 to π, whose cosine is the value (an extension); outside -1 to 1 stops the program.",
                        of(MathOps.ACOS));
        r.function("atan(value: float) -> float", "core", "The angle in radians, from -π/2 to π/2, whose tangent is the value (an extension).",
                        of(MathOps.ATAN));
        r.function("atan2(y: float, x: float) -> float", "core", "The angle of the point (x, y) in radians, from -π to π (an extension).",
                        of(MathOps.ATAN2));
    }

    /** A math function with a plain value, for its uses as a value: a direct call is built into nodes (MathNodes). */
    private static Intrinsics.MathFunction of(MathOps op) {
        return new Intrinsics.MathFunction() {
            @Override
            public MathOps op() {
                return op;
            }

            @Override
            public Object call(org.osprey.spi.BuiltinContext ctx, Object[] a) {
                return switch (op) {
                    case ABS_INT -> {
                        long x = (long) a[0];
                        if (x == Long.MIN_VALUE) {
                            throw new BuiltinException(MathOps.absOverflow(x));
                        }
                        yield Math.abs(x);
                    }
                    case MIN_INT, MAX_INT -> op.apply((long) a[0], (long) a[1]);
                    case MIN_FLOAT, MAX_FLOAT, ATAN2 -> op.apply((double) a[0], (double) a[1]);
                    default -> {
                        double x = (double) a[0];
                        if (op.outside(x)) {
                            throw new BuiltinException(op.problem(x));
                        }
                        yield op.apply(x);
                    }
                };
            }
        };
    }

    /**
     * A report's figures ({@code 362.67}, {@code 2.50}), which toString cannot write: it gives the shortest text
     * that reads back as the float ({@code 362.6666666666667}, {@code 2.5}). The float's exact binary value is
     * rounded, as JavaScript's toFixed and Python's format do, so {@code toFixed(1.005, 2)} is {@code "1.00"}
     * (1.005 is a little less than that); halves away from zero as {@code round} takes them; plain digits,
     * never an exponent, and never {@code -0.00}.
     */
    private static TruffleString toFixed(BigDecimal value, long digits) {
        if (digits < 0 || digits > 20) {
            throw new BuiltinException("toFixed: " + digits + " digits after the point: expected 0 to 20");
        }
        // A BigDecimal has no negative zero: -0.001 to 2 digits is 0.00.
        return Values.string(value.setScale((int) digits, RoundingMode.HALF_UP).toPlainString());
    }

    private static Object pow(long base, long exponent) {
        if (exponent < 0) {
            throw new BuiltinException("pow: the exponent " + exponent + " is negative, and an int to a negative power is not an int"
                            + " (pow(toFloat(" + base + "), " + exponent + ".0) gives a float)");
        }
        long result = 1;
        long b = base;
        long e = exponent;
        try {
            while (e > 0) {
                if ((e & 1) != 0) {
                    result = Math.multiplyExact(result, b);
                }
                e >>= 1;
                if (e > 0) {
                    b = Math.multiplyExact(b, b);
                }
            }
        } catch (ArithmeticException tooLarge) {
            return mathError(Prelude.OVERFLOW);
        }
        return Values.success(result);
    }

    private static Object pow(double base, double exponent) {
        if (base == 0 && exponent < 0) {
            return mathError(Prelude.DIVISION_BY_ZERO);
        }
        double result = Math.pow(base, exponent);
        if (Double.isNaN(result)) {
            throw new BuiltinException("pow: " + Display.show(base) + " to the power " + Display.show(exponent)
                            + " is not a real number (a negative base needs a whole exponent)");
        }
        return finite(result);
    }

    private static Object finite(double result) {
        return Double.isInfinite(result) ? mathError(Prelude.OVERFLOW) : Values.success(result);
    }

    private static Object mathError(org.osprey.types.VariantInfo error) {
        return Values.error(DataShape.of(error).singleton);
    }
}
