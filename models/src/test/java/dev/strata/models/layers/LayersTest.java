package dev.strata.models.layers;

import dev.strata.models.OrtRunner;
import dev.strata.models.OrtRunner.Values;
import dev.strata.models.onnx.Dim;
import dev.strata.models.onnx.GraphBuilder;
import dev.strata.models.onnx.Init;
import dev.strata.models.onnx.Shape;
import dev.strata.models.onnx.Tensor;
import dev.strata.models.weights.Safetensors;
import dev.strata.models.weights.SafetensorsTensor;
import dev.strata.models.weights.SafetensorsWeights;
import dev.strata.models.weights.SeededWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The shared layers run in ONNX Runtime against plain-Java references. Graphs are built at a
 * small reference size and run at another size, so anything baked into the graph shows.
 */
class LayersTest {

    private static final long SEED = 5;
    private static final Shape REFERENCE = Shape.of(1, 3, 4, 5);
    private static final Shape RUN = Shape.of(2, 3, 6, 7);

    @TempDir
    Path dir;

    @Test
    void shiftMovesContentLikeTorchRollAndFillsPerMode() throws IOException {
        Values input = ramp(RUN);
        for (Fill fill : Fill.values()) {
            for (int axis : new int[] {2, 3}) {
                for (int amount : new int[] {1, 2, -1, -3}) {
                    Values out = runSingle(nn -> nn.shift(nn.graph().input("input", REFERENCE, dynamic4()), axis,
                            amount, fill), input, out4(3));
                    assertThat(out.data()).as("shift %s by %d along %d", fill, amount, axis)
                            .containsExactly(shifted(input, axis, amount, fill));
                }
            }
        }
    }

    @Test
    void groupNormOfOneGroupNormalisesOverChannelsAndPositionsThenAppliesThePerChannelAffine() throws IOException {
        Values input = ramp(RUN);
        float[] weight = {0.5f, -2f, 3f};
        float[] bias = {1f, 0f, -0.25f};
        Path file = dir.resolve("norm.safetensors");
        Safetensors.write(file, Map.of("norm.weight", SafetensorsTensor.ofFloats(Shape.of(3), weight),
                "norm.bias", SafetensorsTensor.ofFloats(Shape.of(3), bias)));
        GraphBuilder g = new GraphBuilder(SafetensorsWeights.open(file));
        g.output("out", new Layers(g).groupNorm1("norm", g.input("input", REFERENCE, dynamic4())), out4(3));
        Values out = OrtRunner.run(g.toModel("test", "layer test", Map.of()), dir, input).get("out");

        int positions = 6 * 7;
        int perSample = 3 * positions;
        for (int n = 0; n < 2; n++) {
            double mean = 0;
            double sq = 0;
            for (int i = 0; i < perSample; i++) {
                mean += input.data()[n * perSample + i];
            }
            mean /= perSample;
            for (int i = 0; i < perSample; i++) {
                sq += Math.pow(input.data()[n * perSample + i] - mean, 2);
            }
            double std = Math.sqrt(sq / perSample + Layers.NORM_EPSILON);
            for (int i = 0; i < perSample; i++) {
                int c = i / positions;
                double expected = (input.data()[n * perSample + i] - mean) / std * weight[c] + bias[c];
                assertThat((double) out.data()[n * perSample + i]).isCloseTo(expected, within(1e-5));
            }
        }
    }

    @Test
    void linearOnNchwAppliesTheOfficialLinearWeightToEveryPosition() throws IOException {
        Values input = ramp(RUN);
        Values out = runSingle(nn -> nn.linearNchw("proj", nn.graph().input("input", REFERENCE, dynamic4()), 4, false),
                input, out4(4));

        float[] w = new SeededWeights(SEED).load("proj.weight", Shape.of(4, 3), Init.truncatedNormal(0.02)).orElseThrow();
        int positions = 6 * 7;
        for (int n = 0; n < 2; n++) {
            for (int o = 0; o < 4; o++) {
                for (int p = 0; p < positions; p++) {
                    double expected = 0;
                    for (int i = 0; i < 3; i++) {
                        expected += w[o * 3 + i] * input.data()[(n * 3 + i) * positions + p];
                    }
                    assertThat((double) out.data()[(n * 4 + o) * positions + p])
                            .isCloseTo(expected, within(1e-4));
                }
            }
        }
    }

    @Test
    void meanOverPositionsAveragesHeightAndWidthInEitherLayout() throws IOException {
        Values input = ramp(RUN);
        Dim[] vector = {Dim.named("batch"), Dim.fixed(3)};
        Values nchw = runSingle(nn -> nn.meanOverPositions(nn.graph().input("input", REFERENCE, dynamic4()), Layout.NCHW),
                input, vector);
        Values nhwc = runSingle(nn -> nn.meanOverPositions(
                nn.toNhwc(nn.graph().input("input", REFERENCE, dynamic4())), Layout.NHWC), input, vector);

        int positions = 6 * 7;
        for (int nc = 0; nc < 2 * 3; nc++) {
            double sum = 0;
            for (int p = 0; p < positions; p++) {
                sum += input.data()[nc * positions + p];
            }
            assertThat((double) nchw.data()[nc]).isCloseTo(sum / positions, within(1e-3));
            assertThat(nhwc.data()[nc]).isEqualTo(nchw.data()[nc]);
        }
    }

    private Values runSingle(Function<Layers, Tensor> body, Values input, Dim... outputDims) throws IOException {
        GraphBuilder g = new GraphBuilder(new SeededWeights(SEED));
        g.output("out", body.apply(new Layers(g)), outputDims);
        Map<String, Values> outputs = OrtRunner.run(g.toModel("test", "layer test", Map.of()), dir, input);
        return outputs.get("out");
    }

    private static Dim[] dynamic4() {
        return new Dim[] {Dim.named("batch"), Dim.fixed(3), Dim.named("height"), Dim.named("width")};
    }

    private static Dim[] out4(int channels) {
        return new Dim[] {Dim.named("batch"), Dim.fixed(channels), Dim.dynamic(), Dim.dynamic()};
    }

    /** Distinct, non-trivial values: element i holds sin(i) * 3 + i / 100. */
    private static Values ramp(Shape shape) {
        float[] data = new float[(int) shape.elementCount()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (Math.sin(i) * 3 + i / 100.0);
        }
        return new Values(shape, data);
    }

    /** The reference shift on NCHW: out[p] = in[p - amount] along the axis. */
    private static float[] shifted(Values input, int axis, int amount, Fill fill) {
        int[] d = input.shape().toArray();
        float[] out = new float[input.data().length];
        for (int n = 0; n < d[0]; n++) {
            for (int c = 0; c < d[1]; c++) {
                for (int h = 0; h < d[2]; h++) {
                    for (int w = 0; w < d[3]; w++) {
                        int size = d[axis];
                        int p = axis == 2 ? h : w;
                        int source = p - amount;
                        if (source < 0 || source >= size) {
                            source = switch (fill) {
                                case ZERO -> -1;
                                case KEEP -> p;
                                case WRAP -> Math.floorMod(source, size);
                            };
                        }
                        int sh = axis == 2 ? source : h;
                        int sw = axis == 3 ? source : w;
                        int at = ((n * d[1] + c) * d[2] + h) * d[3] + w;
                        out[at] = source < 0 ? 0f : input.data()[((n * d[1] + c) * d[2] + sh) * d[3] + sw];
                    }
                }
            }
        }
        return out;
    }
}
