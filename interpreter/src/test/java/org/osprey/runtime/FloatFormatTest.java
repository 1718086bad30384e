package org.osprey.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** How a float prints: the fewest digits that read back as the same double, laid out as ECMAScript does. */
class FloatFormatTest {
    @Test
    void examples() {
        assertEquals("5", Display.formatFloat(5.0));
        assertEquals("-12.5", Display.formatFloat(-12.5));
        assertEquals("0.1", Display.formatFloat(0.1));
        assertEquals("0.30000000000000004", Display.formatFloat(0.1 + 0.2));
        assertEquals("0.000001", Display.formatFloat(1e-6));
        assertEquals("1e-7", Display.formatFloat(1e-7));
        assertEquals("100000000000000000000", Display.formatFloat(1e20));
        assertEquals("1e+21", Display.formatFloat(1e21));
        assertEquals("6.022e+23", Display.formatFloat(6.022e23));
        assertEquals("5e-324", Display.formatFloat(Double.MIN_VALUE));
        assertEquals("1.7976931348623157e+308", Display.formatFloat(Double.MAX_VALUE));
        assertEquals("1e-323", Display.formatFloat(2 * Double.MIN_VALUE));
        assertEquals("0", Display.formatFloat(-0.0));
    }

    /**
     * The digits come from Double.toString's text; this compares them with the search they replaced, which tried
     * every shorter rounding of that decimal, over doubles of every exponent (random bits) and short decimals.
     */
    @Test
    void fewestDigitsOverRandomDoubles() {
        Random random = new Random(2026);
        for (int i = 0; i < 300_000; i++) {
            double d = ofBits(random.nextLong());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                continue;
            }
            check(d);
            check(Math.scalb((double) random.nextInt(100), -random.nextInt(1080))); // subnormals and one or two digits
            check(random.nextInt(1000) / Math.pow(10, random.nextInt(30)));
        }
        for (int bits = 1; bits < 5000; bits++) {
            check(ofBits(bits));
        }
    }

    private static void check(double d) {
        assertEquals(reference(d), Display.formatFloat(d), () -> "bits " + Long.toHexString(Double.doubleToRawLongBits(d)));
    }

    /**
     * The earlier way to the digits: the first rounding of Double.toString's decimal, from one digit up, that
     * reads back; laid out by Display's own layout, whose cases examples() checks.
     */
    private static String reference(double d) {
        if (d == 0) {
            return "0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        BigDecimal bd = exact;
        for (int p = 1; p < exact.precision(); p++) {
            BigDecimal candidate = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (Double.parseDouble(candidate.toString()) == Math.abs(d)) {
                bd = candidate.stripTrailingZeros();
                break;
            }
        }
        String digits = bd.unscaledValue().toString();
        return Display.layout(d < 0 ? "-" : "", digits, digits.length() - bd.scale());
    }

    /** The double of these 64 bits (every exponent, subnormals, both signs). */
    private static double ofBits(long bits) {
        return java.nio.ByteBuffer.allocate(Long.BYTES).putLong(0, bits).getDouble(0);
    }
}
