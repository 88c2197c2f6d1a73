package dev.strata.processor.output;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * IEEE 754 binary16 conversions. Java 17 has none ({@code Float.floatToFloat16} arrived in
 * Java 20). Rounding is to nearest, ties to even, like every hardware conversion; values beyond
 * the largest half (65504) round to infinity, tiny ones to subnormals or signed zero, and NaN
 * stays a (quiet) NaN.
 */
public final class Float16 {

    private static final BigDecimal PLAIN_FROM = new BigDecimal("0.0001");

    private Float16() {
    }

    /** The binary16 bits nearest to {@code value}. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF) {
            // Infinity keeps a zero mantissa; NaN keeps its top payload bits and is made quiet.
            return (short) (sign | 0x7C00 | (mantissa == 0 ? 0 : 0x200 | mantissa >>> 13));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (halfExponent <= 0) {
            if (halfExponent < -10) {
                return (short) sign; // below half the smallest subnormal: rounds to zero
            }
            // Subnormal result, in units of 2^-24: the full 24-bit significand shifted right.
            return (short) (sign | roundShift(mantissa | 0x800000, 14 - halfExponent));
        }
        // A carry out of the mantissa correctly bumps the exponent, up to infinity.
        return (short) (sign | roundShift(halfExponent << 23 | mantissa, 13));
    }

    /** The float with exactly the value of the binary16 bits. */
    public static float toFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | mantissa << 13);
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // exact: at most 10 significant bits
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }

    /** {@code value} rounded to the nearest binary16 and widened back. */
    public static float round(float value) {
        return toFloat(fromFloat(value));
    }

    /**
     * The shortest decimal that reads back (through float) as the same binary16, e.g. {@code 0.1}
     * for the half nearest 0.1 rather than its exact value 0.0999755859375. Finite values only.
     */
    public static String toShortestString(short half) {
        float value = toFloat(half);
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException("not a finite binary16: " + value);
        }
        if (value == 0f) {
            return (half & 0x8000) != 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(value);
        for (int digits = 1; ; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits));
            if (fromFloat(candidate.floatValue()) == half) {
                BigDecimal shortest = candidate.stripTrailingZeros();
                // Plain digits read best; only subnormal-sized values need an exponent.
                return shortest.abs().compareTo(PLAIN_FROM) >= 0 ? shortest.toPlainString() : shortest.toString();
            }
        }
    }

    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        return rest > halfway || rest == halfway && (kept & 1) != 0 ? kept + 1 : kept;
    }
}
