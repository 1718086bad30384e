package org.osprey.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;

/**
 * The math builtins that give a plain value (an extension: spec 0012 has none), computed the same way by the
 * builtins (a math function passed as a value) and by the nodes a direct call becomes
 * ({@code org.osprey.nodes.expression.MathNodes}). No float the language holds is NaN or infinite, so an
 * argument outside a function's domain ({@code sqrt(-1.0)}, {@code log(0.0)}) has no answer and stops the
 * program, as {@code -x} of the smallest int does; {@link #problem} says why.
 */
public enum MathOps {
    ABS_INT, ABS_FLOAT, MIN_INT, MAX_INT, MIN_FLOAT, MAX_FLOAT, FLOOR, CEIL, ROUND, SQRT, LOG, LOG10, SIN, COS, TAN, ASIN, ACOS, ATAN, ATAN2;

    /** A float function of one float, its argument already found in its domain ({@link #problem}). */
    public double apply(double x) {
        return switch (this) {
            case ABS_FLOAT -> Math.abs(x);
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> round(x);
            case SQRT -> Math.sqrt(x);
            case LOG -> Math.log(x);
            case LOG10 -> Math.log10(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TAN -> Math.tan(x);
            case ASIN -> Math.asin(x);
            case ACOS -> Math.acos(x);
            case ATAN -> Math.atan(x);
            default -> throw new IllegalStateException(name());
        };
    }

    /** A function of two ints: min or max. */
    public long apply(long a, long b) {
        return this == MAX_INT ? Math.max(a, b) : Math.min(a, b);
    }

    /** A function of two floats: min, max or atan2. */
    public double apply(double a, double b) {
        return switch (this) {
            case MIN_FLOAT -> Math.min(a, b);
            case MAX_FLOAT -> Math.max(a, b);
            case ATAN2 -> Math.atan2(a, b);
            default -> throw new IllegalStateException(name());
        };
    }

    /** Whether x is outside this function's domain, so that {@link #problem} has something to say. */
    public boolean outside(double x) {
        return switch (this) {
            case SQRT -> x < 0;
            case LOG, LOG10 -> x <= 0;
            case ASIN, ACOS -> x < -1 || x > 1;
            default -> false;
        };
    }

    /** Why the program stops at this function of x (only where {@link #outside} holds). */
    @TruffleBoundary
    public String problem(double x) {
        return switch (this) {
            case SQRT -> "sqrt: " + Display.show(x) + " is negative, and its square root is not a float";
            case ASIN, ACOS -> name().toLowerCase(java.util.Locale.ROOT) + ": " + Display.show(x)
                            + " is outside -1 to 1, where a sine or cosine lies";
            default -> name().toLowerCase(java.util.Locale.ROOT) + ": " + Display.show(x) + " is not positive, and only a positive number has a logarithm";
        };
    }

    /** abs of the smallest int, whose negation does not fit. */
    @TruffleBoundary
    public static String absOverflow(long x) {
        return "integer overflow: abs(" + x + ") does not fit in a 64-bit int";
    }

    /** Halves away from zero (C's round, Rust's f64::round); Math.round would take -2.5 to -2. */
    public static double round(double x) {
        double size = Math.abs(x);
        double whole = Math.floor(size);
        return Math.copySign(size - whole >= 0.5 ? whole + 1 : whole, x);
    }
}
