package dev.strata.processor.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Float16Test {

    /** Bit patterns from the IEEE 754 binary16 definition (and numpy.float16 where rounding is involved). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0.0, 0000", "-0.0, 8000", "1.0, 3c00", "-2.0, c000", "0.5, 3800",
            "65504.0, 7bff", "65519.99, 7bff", "65520.0, 7c00", "1.0e6, 7c00", "-1.0e6, fc00",
            "0.1, 2e66", "0.33333334, 3555", "6.1035156e-5, 0400",
            "5.9604645e-8, 0001", "2.9802322e-8, 0000", "4.4703484e-8, 0001", "8.940697e-8, 0002",
            "6.0975552e-5, 03ff", "1.0009765625, 3c01", "1.00048828125, 3c00", "1.00146484375, 3c02",
            "1.0e-10, 0000", "-1.0e-10, 8000",
            "Infinity, 7c00", "-Infinity, fc00", "NaN, 7e00"})
    void convertsKnownValues(float value, String hex) {
        assertThat(Float16.fromFloat(value)).isEqualTo((short) Integer.parseInt(hex, 16));
    }

    @Test
    void everyHalfSurvivesTheRoundTrip() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            short half = (short) bits;
            float value = Float16.toFloat(half);
            if (Float.isNaN(value)) {
                assertThat(Float16.fromFloat(value) & 0x7E00).isEqualTo(0x7E00);
            } else {
                assertThat(Float16.fromFloat(value)).as("bits %04x", bits).isEqualTo(half);
            }
        }
    }

    /** Halfway between two neighbours goes to the even one; a float ulp either side decides. */
    @Test
    void roundsTiesToEven() {
        for (int bits = 0; bits < 0x7BFF; bits++) {
            float low = Float16.toFloat((short) bits);
            float high = Float16.toFloat((short) (bits + 1));
            float mid = (low + high) / 2; // exact: both have at most 11 significant bits
            short even = (short) ((bits & 1) == 0 ? bits : bits + 1);
            assertThat(Float16.fromFloat(mid)).as("midpoint above %04x", bits).isEqualTo(even);
            assertThat(Float16.fromFloat(Math.nextDown(mid))).isEqualTo((short) bits);
            assertThat(Float16.fromFloat(Math.nextUp(mid))).isEqualTo((short) (bits + 1));
            assertThat(Float16.fromFloat(-mid)).isEqualTo((short) (even | 0x8000));
        }
    }

    @Test
    void widensExactly() {
        assertThat(Float16.toFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Float16.toFloat((short) 0x83ff)).isEqualTo(-1023 * 0x1p-24f);
        assertThat(Float16.toFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(Float16.toFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(Float16.round(0.1f)).isEqualTo(0.0999755859375f);
    }

    @ParameterizedTest
    @CsvSource({"3c00, 1", "c000, -2", "2e66, 0.1", "3555, 0.3333", "7bff, 65500", "0001, 6E-8", "8000, -0.0",
            "0000, 0.0", "3c01, 1.001"})
    void writesTheShortestDecimal(String hex, String expected) {
        assertThat(Float16.toShortestString((short) Integer.parseInt(hex, 16))).isEqualTo(expected);
    }

    @Test
    void theShortestDecimalReadsBackAsTheSameHalf() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            short half = (short) bits;
            if (Float.isFinite(Float16.toFloat(half))) {
                String text = Float16.toShortestString(half);
                assertThat(Float16.fromFloat(Float.parseFloat(text))).as("%04x as %s", bits, text).isEqualTo(half);
            }
        }
    }

    @Test
    void hasNoDecimalForNonFiniteValues() {
        assertThatThrownBy(() -> Float16.toShortestString((short) 0x7c00)).isInstanceOf(IllegalArgumentException.class);
    }
}
