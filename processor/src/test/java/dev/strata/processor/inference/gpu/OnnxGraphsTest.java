package dev.strata.processor.inference.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.strata.processor.testing.TinyModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxGraphsTest {

    private static List<String> dims(ValueInfoProto value) {
        return value.getType().getTensorType().getShape().getDimList().stream()
                .map(d -> d.hasDimValue() ? Long.toString(d.getDimValue()) : d.getDimParam())
                .toList();
    }

    @Test
    void listsTheGraphsOperators() {
        ModelProto model = OnnxGraphs.read(TinyModels.convMlpFile());

        assertThat(OnnxGraphs.opTypes(model)).contains("Conv", "LayerNormalization", "MatMul", "Erf", "Gemm")
                .doesNotContain("Gelu");
    }

    @Test
    void fixesTheInputAndTheOutputsBatchAndLeavesTheRest() {
        ModelProto model = OnnxGraphs.read(TinyModels.convMlpFile());
        assertThat(dims(model.getGraph().getInput(0))).containsExactly("batch", "3", "height", "width");

        ModelProto fixed = OnnxGraphs.withStaticBatch(model, "input", 5, 64);

        assertThat(dims(fixed.getGraph().getInput(0))).containsExactly("5", "3", "64", "64");
        for (ValueInfoProto output : fixed.getGraph().getOutputList()) {
            assertThat(dims(output).get(0)).as(output.getName()).isEqualTo("5");
        }
        assertThat(fixed.getGraph().getOutput(1).getType().getTensorType().getShape().getDim(2))
                .isEqualTo(model.getGraph().getOutput(1).getType().getTensorType().getShape().getDim(2));
        assertThat(fixed.getGraph().getNodeList()).isEqualTo(model.getGraph().getNodeList());
        assertThat(fixed.getGraph().getInitializerList()).isEqualTo(model.getGraph().getInitializerList());
        assertThat(fixed.getMetadataPropsList()).isEqualTo(model.getMetadataPropsList());
    }

    @Test
    void refusesAnInputItDoesNotKnow() {
        ModelProto model = OnnxGraphs.read(TinyModels.convMlpFile());

        assertThatThrownBy(() -> OnnxGraphs.withStaticBatch(model, "pixels", 1, 64))
                .hasMessageContaining("no input named pixels");
    }

    @Test
    void writesWhatItReads(@TempDir Path dir) {
        ModelProto model = OnnxGraphs.read(TinyModels.convMlpFile());
        Path copy = dir.resolve("copy.onnx");

        OnnxGraphs.write(model, copy);

        assertThat(OnnxGraphs.read(copy)).isEqualTo(model);
    }
}
