package dev.strata.models.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GraphBuilderTest {

    private final GraphBuilder g = new GraphBuilder(WeightSource.shapesOnly());

    private Tensor image(int channels, int height, int width) {
        return g.input("input", Shape.of(1, channels, height, width),
                Dim.named("batch"), Dim.fixed(channels), Dim.named("height"), Dim.named("width"));
    }

    @Test
    void groupedStridedConvHasTheConvShapeAndCountsInputChannelsPerGroup() {
        Tensor x = image(8, 10, 9);
        Tensor w = g.parameter("conv.weight", Shape.of(16, 2, 3, 3), Init.zeros());

        Tensor y = g.conv(x, w, 2, 1, 4);

        assertThat(y.shape()).isEqualTo(Shape.of(1, 16, 5, 5));
        assertThat(g.macs()).isEqualTo(16L * 5 * 5 * 2 * 3 * 3);
    }

    @Test
    void rectangularConvAndConvTransposeInvertEachOthersRegionLayout() {
        Tensor x = image(8, 12, 10);
        Tensor down = g.conv(x, g.parameter("h1.weight", Shape.of(4, 8, 3, 1), Init.zeros()), null,
                new int[] {3, 1}, new int[] {0, 0, 0, 0}, 1);
        assertThat(down.shape()).isEqualTo(Shape.of(1, 4, 4, 10));
        long convMacs = 4L * 4 * 10 * 8 * 3;
        assertThat(g.macs()).isEqualTo(convMacs);

        Tensor up = g.convTranspose(down, g.parameter("h2.weight", Shape.of(4, 8, 3, 1), Init.zeros()),
                g.parameter("h2.bias", Shape.of(8), Init.zeros()), new int[] {3, 1}, 1);
        assertThat(up.shape()).isEqualTo(x.shape());
        assertThat(g.macs()).isEqualTo(convMacs + 4L * 4 * 10 * 8 * 3);
    }

    @Test
    void matMulAndGemmCountOutputElementsTimesTheReductionSize() {
        Tensor x = g.input("input", Shape.of(1, 7, 7, 32), Dim.named("batch"), Dim.dynamic(), Dim.dynamic(), Dim.fixed(32));
        Tensor w = g.parameter("fc.weight", Shape.of(32, 64), Init.zeros());
        Tensor y = g.matMul(x, w);
        assertThat(y.shape()).isEqualTo(Shape.of(1, 7, 7, 64));
        assertThat(g.macs()).isEqualTo(49L * 64 * 32);

        Tensor pooled = g.reduceMean(y, false, 1, 2);
        Tensor head = g.gemm(pooled, g.parameter("head.weight", Shape.of(10, 64), Init.zeros()),
                g.parameter("head.bias", Shape.of(10), Init.zeros()), true);
        assertThat(head.shape()).isEqualTo(Shape.of(1, 10));
        assertThat(g.macs()).isEqualTo(49L * 64 * 32 + 10 * 64);
    }

    @Test
    void onlyParametersCountTowardsTheParameterCount() {
        g.parameter("bn.weight", Shape.of(4), Init.ones());
        g.parameter("fc.weight", Shape.of(3, 4), Init.zeros());
        g.buffer("bn.running_var", Shape.of(4), Init.ones());
        g.scalar(0.5f);

        assertThat(g.parameterCount()).isEqualTo(16);
    }

    @Test
    void layoutOpsFollowOnnxShapeSemantics() {
        Tensor x = image(6, 8, 10);
        assertThat(g.transpose(x, 0, 2, 3, 1).shape()).isEqualTo(Shape.of(1, 8, 10, 6));
        assertThat(g.reshape(x, 0, 0, -1).shape()).isEqualTo(Shape.of(1, 6, 80));
        assertThat(g.unsqueeze(g.parameter("v", Shape.of(6), Init.zeros()), 1, 2).shape()).isEqualTo(Shape.of(6, 1, 1));
        assertThat(g.slice(x, 2, 1, -2).shape()).isEqualTo(Shape.of(1, 6, 5, 10));
        assertThat(g.slice(x, -1, -3, Integer.MAX_VALUE).shape()).isEqualTo(Shape.of(1, 6, 8, 3));
        assertThat(g.slice(x, 2, 1, Integer.MAX_VALUE, 2).shape()).isEqualTo(Shape.of(1, 6, 4, 10));
        assertThat(g.slice(x, 3, 0, 9, 3).shape()).isEqualTo(Shape.of(1, 6, 8, 3));
        assertThat(g.gather(x, 1, 5, 0, 0).shape()).isEqualTo(Shape.of(1, 3, 8, 10));
        assertThat(g.cropTo(g.concat(2, x, x), 2, x).shape()).isEqualTo(x.shape());
        assertThat(g.padZeros(x, 3, 2, 1).shape()).isEqualTo(Shape.of(1, 6, 8, 13));
        assertThat(g.concat(1, x, x).shape()).isEqualTo(Shape.of(1, 12, 8, 10));
        assertThat(g.reduceMean(x, true, 1, 2, 3).shape()).isEqualTo(Shape.of(1, 1, 1, 1));
        assertThat(g.add(x, g.parameter("b", Shape.of(6, 1, 1), Init.zeros())).shape()).isEqualTo(x.shape());
        assertThat(g.maxPool(x, 3, 2, 1).shape()).isEqualTo(Shape.of(1, 6, 4, 5));
    }

    @Test
    void shapeErrorsNameTheScopeTheOpAndBothShapes() {
        Tensor x = image(8, 10, 10);
        Tensor w = g.parameter("stages.0.fc.weight", Shape.of(16, 4, 1, 1), Init.zeros());

        assertThatThrownBy(() -> g.scoped("stages.0.fc", () -> g.conv(x, w, 1, 0, 1)))
                .hasMessageContaining("stages.0.fc")
                .hasMessageContaining("Conv")
                .hasMessageContaining("[1, 8, 10, 10]")
                .hasMessageContaining("[16, 4, 1, 1]");
        assertThatThrownBy(() -> g.add(x, g.parameter("v", Shape.of(7), Init.zeros())))
                .hasMessageContaining("[1, 8, 10, 10]").hasMessageContaining("[7]");
        assertThatThrownBy(() -> g.slice(x, 2, 5, -5)).hasMessageContaining("empty");
        assertThatThrownBy(() -> g.gather(x, 1, 8)).hasMessageContaining("index 8");
    }

    @Test
    void channelsThatDoNotSplitIntoTheGroupsAreRejected() {
        Tensor x = image(10, 8, 8);
        Tensor w = g.parameter("dw.weight", Shape.of(8, 2, 3, 3), Init.zeros());

        assertThatThrownBy(() -> g.conv(x, w, 1, 1, 4))
                .hasMessageContaining("[1, 10, 8, 8]").hasMessageContaining("groups 4");
    }

    @Test
    void aStateDictKeyCanBeDeclaredOnlyOnce() {
        g.parameter("norm.weight", Shape.of(4), Init.ones());
        assertThatThrownBy(() -> g.parameter("norm.weight", Shape.of(4), Init.ones()))
                .hasMessageContaining("norm.weight");
    }

    @Test
    void theModelDeclaresOpset17DynamicDimsAndMetadata() {
        GraphBuilder real = new GraphBuilder(new WeightSource() {
            @Override
            public Optional<float[]> load(String key, Shape shape, Init init) {
                return Optional.of(new float[(int) shape.elementCount()]);
            }

            @Override
            public String origin() {
                return "zeros";
            }
        });
        Tensor x = real.input("input", Shape.of(1, 3, 32, 32),
                Dim.named("batch"), Dim.fixed(3), Dim.named("height"), Dim.named("width"));
        Tensor y = real.conv(x, real.parameter("w", Shape.of(5, 3, 3, 3), Init.zeros()), 2, 1, 1);
        real.output("out", y, Dim.named("batch"), Dim.fixed(5), Dim.dynamic(), Dim.dynamic());

        ModelProto model = real.toModel("tiny", "a test", Map.of("k", "v"));

        assertThat(model.getIrVersion()).isEqualTo(8);
        assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(17);
        assertThat(model.getGraph().getInput(0).getType().getTensorType().getShape().getDimList())
                .extracting(d -> d.hasDimParam() ? d.getDimParam() : String.valueOf(d.getDimValue()))
                .containsExactly("batch", "3", "height", "width");
        assertThat(model.getGraph().getOutput(0).getType().getTensorType().getShape().getDimList())
                .extracting(TensorShapeProto.Dimension::getValueCase)
                .containsExactly(TensorShapeProto.Dimension.ValueCase.DIM_PARAM,
                        TensorShapeProto.Dimension.ValueCase.DIM_VALUE,
                        TensorShapeProto.Dimension.ValueCase.VALUE_NOT_SET,
                        TensorShapeProto.Dimension.ValueCase.VALUE_NOT_SET);
        assertThat(model.getMetadataProps(0).getKey()).isEqualTo("k");
        assertThat(model.getGraph().getInitializerList()).extracting(t -> t.getName()).containsExactly("w");
    }

    @Test
    void aShapeOnlyGraphCannotBeSerialised() {
        Tensor x = image(3, 8, 8);
        g.output("out", g.conv(x, g.parameter("w", Shape.of(4, 3, 1, 1), Init.zeros()), 1, 0, 1),
                Dim.named("batch"), Dim.fixed(4), Dim.dynamic(), Dim.dynamic());

        assertThatThrownBy(() -> g.toModel("m", "", Map.of())).hasMessageContaining("shape-only");
    }
}
