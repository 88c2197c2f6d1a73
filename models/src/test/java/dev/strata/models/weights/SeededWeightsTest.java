package dev.strata.models.weights;

import dev.strata.models.onnx.Init;
import dev.strata.models.onnx.Shape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SeededWeightsTest {

    private static final Shape SHAPE = Shape.of(64, 128);
    private static final Init LINEAR = Init.truncatedNormal(0.02);

    @Test
    void valuesDependOnlyOnSeedAndKeyNotOnLoadOrder() {
        SeededWeights first = new SeededWeights(7);
        float[] a = first.load("stages.0.fc1.weight", SHAPE, LINEAR).orElseThrow();
        float[] b = first.load("stages.0.fc2.weight", SHAPE, LINEAR).orElseThrow();

        SeededWeights reordered = new SeededWeights(7);
        float[] b2 = reordered.load("stages.0.fc2.weight", SHAPE, LINEAR).orElseThrow();
        float[] a2 = reordered.load("stages.0.fc1.weight", SHAPE, LINEAR).orElseThrow();

        assertThat(a2).containsExactly(a);
        assertThat(b2).containsExactly(b);
        assertThat(a).isNotEqualTo(b);
        assertThat(new SeededWeights(8).load("stages.0.fc1.weight", SHAPE, LINEAR).orElseThrow()).isNotEqualTo(a);
    }

    @Test
    void samplesFollowTheInitHint() {
        SeededWeights weights = new SeededWeights(1);
        float[] truncated = weights.load("fc.weight", SHAPE, LINEAR).orElseThrow();
        assertThat(maxAbs(truncated)).isLessThanOrEqualTo(0.04f).isGreaterThan(0.03f);
        // A normal truncated at 2 std has std 0.88 * std.
        assertThat(std(truncated)).isCloseTo(0.88 * 0.02, within(0.001));

        Shape conv = Shape.of(32, 16, 3, 3);
        float[] kaiming = weights.load("conv.weight", conv, Init.kaimingNormalFanOut(conv)).orElseThrow();
        assertThat(std(kaiming)).isCloseTo(Math.sqrt(2.0 / (32 * 9)), within(0.003));

        assertThat(weights.load("bn.running_var", Shape.of(5), Init.ones()).orElseThrow()).containsOnly(1f);
        assertThat(weights.origin()).isEqualTo("seeded:1");
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static double std(float[] values) {
        double sum = 0;
        double sq = 0;
        for (float v : values) {
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / values.length;
        return Math.sqrt(sq / values.length - mean * mean);
    }
}
