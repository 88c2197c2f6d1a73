package dev.strata.models.asmlp;

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

/** Seeded AS-MLP graphs in ONNX Runtime: batch and input sizes the rule allows, and every variant. */
class AsMlpRunTest {

    @TempDir
    Path dir;

    @Test
    void inputSidesMustSurviveEveryPatchMerging() {
        assertThat(AsMlp.T.inputSizeRule()).isEqualTo(InputSizeRule.multipleOf(32));
        assertThat(AsMlp.T.inputSizeRule().accepts(160, 256)).isTrue();
        assertThat(AsMlp.T.inputSizeRule().accepts(224, 240)).isFalse();
        AsMlp twoLayers = new AsMlp("AS-MLP-two-layers", new AsMlp.Config(8, List.of(1, 1), 5));
        assertThat(twoLayers.inputSizeRule()).isEqualTo(InputSizeRule.multipleOf(8));
    }

    @Test
    void tinyRunsAtBatchOneAndEightAt224AndAtANonSquareMultipleOf32() throws IOException {
        Path file = dir.resolve("t.onnx");
        ModelExporter.export(AsMlp.T, 1000, new SeededWeights(7)).writeTo(file);

        for (int[] size : new int[][] {{1, 224, 224}, {8, 224, 224}, {1, 160, 256}, {8, 160, 256}}) {
            int batch = size[0];
            int height = size[1];
            int width = size[2];
            Map<String, Values> out = OrtRunner.run(file, Values.randomImage(batch, height, width));

            assertThat(out.keySet()).containsExactly("logits", "stage1", "stage2", "stage3", "stage4");
            assertThat(out.get("logits").shape()).isEqualTo(Shape.of(batch, 1000));
            for (int k = 0; k < 4; k++) {
                int stride = 4 << k;
                assertThat(out.get("stage" + (k + 1)).shape()).as("stage%d at %dx%d", k + 1, height, width)
                        .isEqualTo(Shape.of(batch, 96 << k, height / stride, width / stride));
            }
            assertThat(out.values()).allSatisfy(v -> assertThat(v.allFinite()).isTrue());
            assertThat(out.get("logits").maxAbs()).isGreaterThan(0f);
        }
    }

    @Test
    void everyVariantLoadsAndRunsInOnnxRuntime() throws IOException {
        for (AsMlp arch : List.of(AsMlp.T, AsMlp.S, AsMlp.B)) {
            long start = System.nanoTime();
            // 32x32, the smallest accepted size: the last stage is 1x1, shorter than its shifts.
            Map<String, Values> out = OrtRunner.run(ModelExporter.export(arch, 1000, new SeededWeights(1)), dir,
                    Values.randomImage(1, 32, 32));
            System.out.printf("%s: exported, loaded and run at 32x32 in %.1f s%n", arch.name(),
                    (System.nanoTime() - start) / 1e9);

            assertThat(out.get("logits").shape()).as(arch.name()).isEqualTo(Shape.of(1, 1000));
            assertThat(out.get("stage4").shape()).as(arch.name())
                    .isEqualTo(Shape.of(1, arch.config().embedDim() * 8, 1, 1));
            assertThat(out.get("logits").allFinite()).as(arch.name()).isTrue();
        }
    }
}
