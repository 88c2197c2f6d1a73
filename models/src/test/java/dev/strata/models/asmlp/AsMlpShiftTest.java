package dev.strata.models.asmlp;

import dev.strata.models.OrtRunner;
import dev.strata.models.OrtRunner.Values;
import dev.strata.models.onnx.Dim;
import dev.strata.models.onnx.GraphBuilder;
import dev.strata.models.onnx.Shape;
import dev.strata.models.weights.SeededWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The axial shift in ONNX Runtime against a plain-Java statement of the official one, with
 * channel counts shift_size does not divide, at sides longer and shorter than the shift.
 */
class AsMlpShiftTest {

    private static final int SHIFT_SIZE = 5;

    @TempDir
    Path dir;

    @Test
    void chunkKIsReadAtOffsetHalfMinusKWithZerosOutside() throws IOException {
        for (int channels : new int[] {8, 13, 96}) {
            for (int axis : new int[] {2, 3}) {
                GraphBuilder g = new GraphBuilder(new SeededWeights(0));
                Dim[] dims = {Dim.named("batch"), Dim.fixed(channels), Dim.named("height"), Dim.named("width")};
                g.output("out", AsMlp.shift(g, g.input("input", Shape.of(1, channels, 7, 7), dims), SHIFT_SIZE, axis),
                        dims);
                for (int[] side : new int[][] {{1, 1}, {2, 3}, {6, 5}}) {
                    Values input = ramp(Shape.of(2, channels, side[0], side[1]));
                    Values out = OrtRunner.run(g.toModel("shift", "", Map.of()), dir, input).get("out");

                    assertThat(out.shape()).isEqualTo(input.shape());
                    assertThat(out.data()).as("C=%d axis %d at %dx%d", channels, axis, side[0], side[1])
                            .containsExactly(reference(input, axis));
                }
            }
        }
    }

    /** shift_cuda restated: channel c in chunk k = c / ceil(C / S) reads in[p + S/2 - k], 0 outside. */
    private static float[] reference(Values input, int axis) {
        Shape s = input.shape();
        int channels = s.dim(1);
        int height = s.dim(2);
        int width = s.dim(3);
        int chunk = (channels + SHIFT_SIZE - 1) / SHIFT_SIZE;
        float[] out = new float[input.data().length];
        for (int n = 0; n < s.dim(0); n++) {
            for (int c = 0; c < channels; c++) {
                int offset = SHIFT_SIZE / 2 - c / chunk;
                for (int h = 0; h < height; h++) {
                    for (int w = 0; w < width; w++) {
                        int sh = axis == 2 ? h + offset : h;
                        int sw = axis == 3 ? w + offset : w;
                        boolean inside = sh >= 0 && sh < height && sw >= 0 && sw < width;
                        out[((n * channels + c) * height + h) * width + w] =
                                inside ? input.data()[((n * channels + c) * height + sh) * width + sw] : 0f;
                    }
                }
            }
        }
        return out;
    }

    private static Values ramp(Shape shape) {
        float[] data = new float[(int) shape.elementCount()];
        for (int i = 0; i < data.length; i++) {
            data[i] = i + 1;
        }
        return new Values(shape, data);
    }
}
