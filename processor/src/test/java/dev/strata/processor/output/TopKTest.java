package dev.strata.processor.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {

    private static final ClassLabels FOUR = ClassLabels.of(List.of("a", "b", "c", "d"), "test labels");

    @Test
    void ranksByLogitWithSoftmaxScores() {
        List<ScoredLabel> top = new TopK(FOUR, 2).select(new float[] {1, 3, 2, 0}, 0);

        double sum = Math.exp(1) + Math.exp(3) + Math.exp(2) + Math.exp(0);
        assertThat(top).extracting(ScoredLabel::index).containsExactly(1, 2);
        assertThat(top).extracting(ScoredLabel::label).containsExactly("b", "c");
        assertThat(top.get(0).score()).isCloseTo((float) (Math.exp(3) / sum), within(1e-7f));
        assertThat(top.get(1).score()).isCloseTo((float) (Math.exp(2) / sum), within(1e-7f));
    }

    @Test
    void selectsTheRowOfTheBatchIndex() {
        float[] batch = {9, 0, 0, 0, /* row 1: */ 0, 0, 0, 9};

        assertThat(new TopK(FOUR, 1).select(batch, 1)).extracting(ScoredLabel::index).containsExactly(3);
    }

    @Test
    void tiesGoToTheLowerClassIndex() {
        assertThat(new TopK(FOUR, 3).select(new float[] {1, 5, 5, 5}, 0))
                .extracting(ScoredLabel::index).containsExactly(1, 2, 3);
    }

    @Test
    void hugeLogitsNeitherOverflowNorUnderflow() {
        List<ScoredLabel> top = new TopK(FOUR, 4).select(new float[] {1000, 999, -1000, 998}, 0);

        double sum = 1 + Math.exp(-1) + Math.exp(-2);
        assertThat(top.get(0).score()).isCloseTo((float) (1 / sum), within(1e-7f));
        assertThat(top.get(1).score()).isCloseTo((float) (Math.exp(-1) / sum), within(1e-7f));
        assertThat(top.get(3).score()).isZero();
        assertThat(top.stream().mapToDouble(ScoredLabel::score).sum()).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void agreesWithAFullSortOnThousandClasses() {
        ClassLabels labels = ClassLabels.imageNet1k();
        Random random = new Random(11);
        float[] logits = new float[3 * 1000];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) random.nextGaussian() * 4;
        }
        TopK topK = new TopK(labels, 10);
        for (int row = 0; row < 3; row++) {
            int offset = row * 1000;
            List<Integer> expected = new ArrayList<>(IntStream.range(0, 1000).boxed()
                    .sorted(Comparator.comparingDouble((Integer c) -> -logits[offset + c])).toList()
                    .subList(0, 10));
            assertThat(topK.select(logits, row)).extracting(ScoredLabel::index).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void refusesKOutsideTheClasses() {
        assertThatThrownBy(() -> new TopK(FOUR, 0)).hasMessageContaining("between 1 and the 4 classes");
        assertThatThrownBy(() -> new TopK(FOUR, 5)).hasMessageContaining("not 5");
    }

    @Test
    void refusesNonFiniteLogits() {
        assertThatThrownBy(() -> new TopK(FOUR, 1).select(new float[] {0, Float.NaN, 0, 0}, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("logit 1 of batch row 0 is NaN");
    }

    @Test
    void refusesARowOutsideTheArray() {
        assertThatThrownBy(() -> new TopK(FOUR, 1).select(new float[4], 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
