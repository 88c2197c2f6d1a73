package dev.strata.models.hiremlp;

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

/** Hire-MLP graphs with seeded weights in ONNX Runtime, at several batch and input sizes. */
class HireMlpRunTest {

    @TempDir
    Path dir;

    @Test
    void tinyRunsAtAnyBatchAndInputSizeFrom19Pixels() throws IOException {
        Path file = dir.resolve("tiny.onnx");
        ModelExporter.export(HireMlp.TINY, 1000, new SeededWeights(7)).writeTo(file);

        // 224: stage maps 56, 28, 14, 7 (off a multiple of the region size 3, 3, 2 in stages 2-4);
        // 19: the smallest side the official code accepts (stage 3 keeps 2 rows for its padding of 1).
        for (int[] size : new int[][] {{1, 224, 224}, {8, 224, 224}, {1, 160, 256}, {8, 160, 256}, {2, 97, 131},
                {1, 19, 19}}) {
            int batch = size[0];
            int height = size[1];
            int width = size[2];
            Map<String, Values> out = OrtRunner.run(file, Values.randomImage(batch, height, width));

            assertThat(out.keySet()).containsExactly("logits", "stage1", "stage2", "stage3", "stage4");
            assertThat(out.get("logits").shape()).isEqualTo(Shape.of(batch, 1000));
            int[] channels = {64, 128, 320, 512};
            // The 7x7 stride-4 embedding with padding 2 floors, each 3x3 stride-2 downsample rounds up.
            int h = (height - 3) / 4 + 1;
            int w = (width - 3) / 4 + 1;
            for (int k = 0; k < 4; k++) {
                assertThat(out.get("stage" + (k + 1)).shape()).as("stage%d at %dx%d", k + 1, height, width)
                        .isEqualTo(Shape.of(batch, channels[k], h, w));
                h = ceilDiv(h, 2);
                w = ceilDiv(w, 2);
            }
            assertThat(out.values()).allSatisfy(v -> assertThat(v.allFinite()).isTrue());
            assertThat(out.get("logits").maxAbs()).isGreaterThan(0f);
        }
    }

    @Test
    void everyVariantLoadsAndRunsInOnnxRuntime() throws IOException {
        for (HireMlp arch : List.of(HireMlp.TINY, HireMlp.SMALL, HireMlp.BASE, HireMlp.LARGE)) {
            Map<String, Values> out = OrtRunner.run(ModelExporter.export(arch, 1000, new SeededWeights(1)), dir,
                    Values.randomImage(1, 64, 64));

            assertThat(out.get("logits").shape()).as(arch.name()).isEqualTo(Shape.of(1, 1000));
            assertThat(out.get("stage4").shape()).as(arch.name())
                    .isEqualTo(Shape.of(1, arch.config().embedDims().get(3), 2, 2));
            assertThat(out.get("logits").allFinite()).as(arch.name()).isTrue();
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
