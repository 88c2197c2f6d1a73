package dev.strata.models.onnx;

import dev.strata.models.OrtRunner;
import dev.strata.models.OrtRunner.Values;
import dev.strata.models.weights.SeededWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Builder ops whose index arithmetic is easy to get wrong, run in ONNX Runtime at a non-reference size. */
class GraphBuilderRunTest {

    @TempDir
    Path dir;

    /** [1, 3, 5, 6] holding its own flat index. */
    private static final Values INPUT = indexed(Shape.of(1, 3, 5, 6));

    @Test
    void stridedSliceTakesEveryStepthEntryFromStart() throws IOException {
        Values out = run(g -> g.slice(input(g), 2, 1, Integer.MAX_VALUE, 2));

        assertThat(out.shape()).isEqualTo(Shape.of(1, 3, 2, 6));
        assertThat(at(out, 0, 0, 0)).isEqualTo(at(INPUT, 0, 1, 0));
        assertThat(at(out, 2, 1, 5)).isEqualTo(at(INPUT, 2, 3, 5));
    }

    @Test
    void gatherReordersChannels() throws IOException {
        Values out = run(g -> g.gather(input(g), 1, 2, 0, 2));

        assertThat(out.shape()).isEqualTo(Shape.of(1, 3, 5, 6));
        assertThat(at(out, 0, 4, 5)).isEqualTo(at(INPUT, 2, 4, 5));
        assertThat(at(out, 1, 0, 0)).isEqualTo(at(INPUT, 0, 0, 0));
        assertThat(at(out, 2, 3, 1)).isEqualTo(at(INPUT, 2, 3, 1));
    }

    @Test
    void cropToCutsAPaddedTensorBackToTheRunTimeSizeOfAnother() throws IOException {
        Values out = run(g -> {
            Tensor x = input(g);
            Tensor wrapped = g.concat(2, x, g.slice(x, 2, 0, 2));
            return g.cropTo(wrapped, 2, x);
        });

        assertThat(out.shape()).isEqualTo(INPUT.shape());
        assertThat(out.data()).containsExactly(INPUT.data());
    }

    @Test
    void convTransposeSpreadsEachInputOverItsStrideWindow() throws IOException {
        Shape weightShape = Shape.of(3, 2, 2, 1);
        Values out = run(g -> g.convTranspose(input(g), g.parameter("up.weight", weightShape, Init.truncatedNormal(1)),
                null, new int[] {2, 1}, 1));

        float[] w = new SeededWeights(0).load("up.weight", weightShape, Init.truncatedNormal(1)).orElseThrow();
        assertThat(out.shape()).isEqualTo(Shape.of(1, 2, 10, 6));
        for (int o = 0; o < 2; o++) {
            for (int row = 0; row < 10; row++) {
                for (int col = 0; col < 6; col++) {
                    double expected = 0;
                    for (int c = 0; c < 3; c++) {
                        expected += w[(c * 2 + o) * 2 + row % 2] * at(INPUT, c, row / 2, col);
                    }
                    assertThat((double) at(out, o, row, col)).isCloseTo(expected, within(1e-3));
                }
            }
        }
    }

    private static Tensor input(GraphBuilder g) {
        // Declared at 4x4: the run at 5x6 shows any size baked into the graph.
        return g.input("input", Shape.of(1, 3, 4, 4), Dim.named("batch"), Dim.fixed(3), Dim.named("h"), Dim.named("w"));
    }

    private Values run(Function<GraphBuilder, Tensor> body) throws IOException {
        GraphBuilder g = new GraphBuilder(new SeededWeights(0));
        Tensor out = body.apply(g);
        g.output("out", out, Dim.named("batch"), Dim.fixed(out.dim(1)), Dim.dynamic(), Dim.dynamic());
        Map<String, Values> outputs = OrtRunner.run(g.toModel("ops", "op test", Map.of()), dir, INPUT);
        return outputs.get("out");
    }

    private static float at(Values v, int c, int h, int w) {
        int[] d = v.shape().toArray();
        return v.data()[(c * d[2] + h) * d[3] + w];
    }

    private static Values indexed(Shape shape) {
        float[] data = new float[(int) shape.elementCount()];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        return new Values(shape, data);
    }
}
