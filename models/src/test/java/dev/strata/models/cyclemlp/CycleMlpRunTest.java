package dev.strata.models.cyclemlp;

import dev.strata.models.ModelExporter;
import dev.strata.models.OrtRunner;
import dev.strata.models.OrtRunner.Values;
import dev.strata.models.Variant;
import dev.strata.models.onnx.Shape;
import dev.strata.models.weights.SeededWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Seeded CycleMLP graphs in ONNX Runtime at several batch and input sizes. */
class CycleMlpRunTest {

    @TempDir
    Path dir;

    @Test
    void b1RunsAtAnyBatchAndInputSize() throws IOException {
        Path file = dir.resolve("b1.onnx");
        ModelExporter.export(CycleMlp.B1, 1000, new SeededWeights(7)).writeTo(file);

        // 29x35 leaves stage 4 one row high: CycleFC's height shifts then slice empty tensors.
        int[][] sizes = {{1, 224, 224}, {8, 224, 224}, {1, 160, 256}, {8, 160, 256}, {2, 97, 131}, {1, 29, 35}};
        for (int[] size : sizes) {
            int batch = size[0];
            int height = size[1];
            int width = size[2];
            Map<String, Values> out = OrtRunner.run(file, Values.randomImage(batch, height, width));

            assertThat(out.keySet()).containsExactly("logits", "stage1", "stage2", "stage3", "stage4");
            assertThat(out.get("logits").shape()).isEqualTo(Shape.of(batch, 1000));
            // The 7x7 stride-4 embedding (padding 2) gives floor((size + 1) / 4); each 3x3 stride-2 conv
            // (padding 1) then rounds up.
            int h = (height + 1) / 4;
            int w = (width + 1) / 4;
            int[] channels = {64, 128, 320, 512};
            for (int k = 0; k < 4; k++) {
                assertThat(out.get("stage" + (k + 1)).shape()).as("stage%d at %dx%d", k + 1, height, width)
                        .isEqualTo(Shape.of(batch, channels[k], h, w));
                h = (h + 1) / 2;
                w = (w + 1) / 2;
            }
            assertThat(out.values()).allSatisfy(v -> assertThat(v.allFinite()).isTrue());
            assertThat(out.get("logits").maxAbs()).isGreaterThan(0f);
        }
    }

    @Test
    void everyVariantLoadsAndRunsInOnnxRuntime() throws IOException {
        for (Variant variant : CycleMlp.variants()) {
            CycleMlp arch = (CycleMlp) variant.architecture();
            long start = System.nanoTime();
            Map<String, Values> out = OrtRunner.run(ModelExporter.export(arch, 1000, new SeededWeights(1)), dir,
                    Values.randomImage(1, 64, 64));
            System.out.printf("%s exported, loaded and run in %.1f s%n", arch.name(),
                    (System.nanoTime() - start) / 1e9);

            assertThat(out.get("logits").shape()).as(arch.name()).isEqualTo(Shape.of(1, 1000));
            assertThat(out.get("stage4").shape()).as(arch.name())
                    .isEqualTo(Shape.of(1, arch.config().embedDims().get(3), 2, 2));
            assertThat(out.get("logits").allFinite()).as(arch.name()).isTrue();
        }
    }
}
