package dev.strata.models.s2mlp;

import dev.strata.models.InputSizeRule;
import dev.strata.models.ModelExporter;
import dev.strata.models.OrtRunner;
import dev.strata.models.OrtRunner.Values;
import dev.strata.models.onnx.Shape;
import dev.strata.models.weights.SeededWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Seeded S2-MLPv2 graphs through DJL / ONNX Runtime at the batch and input sizes the family accepts. */
class S2MlpV2RunTest {

    @TempDir
    Path dir;

    @Test
    void inputSidesMustBeMultiplesOfFourteen() {
        assertThat(S2MlpV2.SMALL.inputSizeRule()).isEqualTo(InputSizeRule.multipleOf(14));
        assertThat(S2MlpV2.SMALL.inputSizeRule().accepts(168, 280)).isTrue();
        assertThat(S2MlpV2.SMALL.inputSizeRule().accepts(224, 231)).isFalse();
    }

    @Test
    void stagesAreTheTwoLevelsAtStrides7And14() {
        assertThat(ModelExporter.measure(S2MlpV2.MEDIUM).stages())
                .extracting(s -> s.name() + "/" + s.stride() + "/" + s.channels())
                .containsExactly("stage1/7/256", "stage2/14/512");
    }

    @Test
    void smallRunsAtBatchOneAndEightAtTwoInputSizesAndAtTheSmallestSide() throws IOException {
        Path file = dir.resolve("s2mlpv2-small.onnx");
        ModelExporter.export(S2MlpV2.SMALL, 1000, new SeededWeights(7)).writeTo(file);

        for (int[] size : new int[][] {{1, 224, 224}, {8, 224, 224}, {1, 168, 280}, {8, 168, 280}, {2, 14, 42}}) {
            int batch = size[0];
            int height = size[1];
            int width = size[2];
            long start = System.nanoTime();
            Map<String, Values> out = OrtRunner.run(file, Values.randomImage(batch, height, width));
            System.out.printf("S2-MLPv2-Small/7 %dx3x%dx%d: %d ms (session creation included)%n", batch, height,
                    width, (System.nanoTime() - start) / 1_000_000);

            assertThat(out.keySet()).containsExactly("logits", "stage1", "stage2");
            assertThat(out.get("logits").shape()).isEqualTo(Shape.of(batch, 1000));
            assertThat(out.get("stage1").shape()).as("stage1 at %dx%d", height, width)
                    .isEqualTo(Shape.of(batch, 192, height / 7, width / 7));
            assertThat(out.get("stage2").shape()).as("stage2 at %dx%d", height, width)
                    .isEqualTo(Shape.of(batch, 384, height / 14, width / 14));
            assertThat(out.values()).allSatisfy(v -> assertThat(v.allFinite()).isTrue());
            assertThat(out.get("logits").maxAbs()).isGreaterThan(0f);
        }
    }

    @Test
    void everyVariantLoadsAndRunsInOnnxRuntime() throws IOException {
        for (S2MlpV2 arch : List.of(S2MlpV2.SMALL, S2MlpV2.MEDIUM)) {
            long start = System.nanoTime();
            Map<String, Values> out = OrtRunner.run(ModelExporter.export(arch, 1000, new SeededWeights(1)), dir,
                    Values.randomImage(1, 56, 56));
            System.out.printf("%s: exported, loaded and run at 56x56 in %d ms%n", arch.name(),
                    (System.nanoTime() - start) / 1_000_000);

            assertThat(out.get("logits").shape()).as(arch.name()).isEqualTo(Shape.of(1, 1000));
            assertThat(out.get("stage2").shape()).as(arch.name())
                    .isEqualTo(Shape.of(1, arch.config().dims().get(1), 4, 4));
            assertThat(out.get("logits").allFinite()).as(arch.name()).isTrue();
        }
    }
}
