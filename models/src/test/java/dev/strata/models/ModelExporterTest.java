package dev.strata.models;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.strata.models.OrtRunner.Values;
import dev.strata.models.convmlp.ConvMlp;
import dev.strata.models.onnx.Dim;
import dev.strata.models.onnx.GraphBuilder;
import dev.strata.models.onnx.Shape;
import dev.strata.models.weights.SeededWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelExporterTest {

    @TempDir
    Path dir;

    @Test
    void seededExportsAreByteIdenticalForOneSeedAndDifferAcrossSeeds() {
        byte[] first = ModelExporter.export(ConvMlp.S, 1000, new SeededWeights(11)).toByteArray();
        byte[] again = ModelExporter.export(ConvMlp.S, 1000, new SeededWeights(11)).toByteArray();
        ExportedModel other = ModelExporter.export(ConvMlp.S, 1000, new SeededWeights(12));

        assertThat(again).isEqualTo(first);
        assertThat(other.toByteArray()).isNotEqualTo(first);
        TensorProto headOfFirst = ModelExporter.export(ConvMlp.S, 1000, new SeededWeights(11)).model().getGraph()
                .getInitializerList().stream().filter(t -> t.getName().equals("head.weight")).findFirst().orElseThrow();
        TensorProto headOfOther = other.model().getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals("head.weight")).findFirst().orElseThrow();
        assertThat(headOfOther.getRawData()).isNotEqualTo(headOfFirst.getRawData());
    }

    @Test
    void initializersAreTheOfficialStateDictAndBatchNormStaysUnfolded() {
        ExportedModel model = ModelExporter.export(ConvMlp.S, 1000, new SeededWeights(1));

        assertThat(model.model().getGraph().getInitializerList()).extracting(TensorProto::getName)
                .contains("tokenizer.block.1.running_var", "stages.0.blocks.0.channel_mlp1.fc1.weight", "head.bias");
        assertThat(model.model().getGraph().getInitializerList()).filteredOn(t -> t.getName().equals(
                        "stages.0.blocks.0.channel_mlp1.fc1.weight"))
                .singleElement().extracting(TensorProto::getDimsList).isEqualTo(List.of(256L, 128L));
        assertThat(model.model().getGraph().getNodeList()).extracting(n -> n.getOpType())
                .contains("BatchNormalization", "LayerNormalization", "Erf");
    }

    @Test
    void metadataReadsBackFromTheFile() throws IOException {
        ExportedModel model = ModelExporter.export(ConvMlp.S, 21, new SeededWeights(3));
        Path file = dir.resolve("s.onnx");
        model.writeTo(file);

        ModelMetadata read = ModelMetadata.read(file);

        assertThat(read).isEqualTo(model.metadata());
        assertThat(read.arch()).isEqualTo("ConvMLP-S");
        assertThat(read.family()).isEqualTo("convmlp");
        assertThat(read.numClasses()).isEqualTo(21);
        assertThat(read.params()).isEqualTo(9_022_920 - 979 * 512L - 979);
        assertThat(read.inputSizeRule()).isEqualTo(InputSizeRule.any());
        assertThat(read.weights()).isEqualTo("seeded:3");
        assertThat(read.stages()).containsExactly(new StageInfo("stage1", 4, 64), new StageInfo("stage2", 8, 128),
                new StageInfo("stage3", 16, 256), new StageInfo("stage4", 32, 512));
    }

    @Test
    void readingMetadataOfAForeignModelSaysWhatIsMissing() throws IOException {
        GraphBuilder g = new GraphBuilder(new SeededWeights(0));
        g.output("y", g.relu(g.input("x", Shape.of(1, 2), Dim.named("batch"), Dim.fixed(2))),
                Dim.named("batch"), Dim.fixed(2));
        Path file = dir.resolve("foreign.onnx");
        Files.write(file, g.toModel("foreign", "", Map.of()).toByteArray());

        assertThatThrownBy(() -> ModelMetadata.read(file)).hasMessageContaining("strata.arch")
                .hasMessageContaining(file.toString());
    }

    @Test
    void convMlpSmallRunsAtAnyBatchAndInputSize() throws IOException {
        Path file = dir.resolve("s.onnx");
        ModelExporter.export(ConvMlp.S, 1000, new SeededWeights(7)).writeTo(file);

        for (int[] size : new int[][] {{1, 224, 224}, {8, 224, 224}, {1, 160, 256}, {8, 160, 256}, {2, 97, 131}}) {
            int batch = size[0];
            int height = size[1];
            int width = size[2];
            Map<String, Values> out = OrtRunner.run(file, Values.randomImage(batch, height, width));

            assertThat(out.keySet()).containsExactly("logits", "stage1", "stage2", "stage3", "stage4");
            assertThat(out.get("logits").shape()).isEqualTo(Shape.of(batch, 1000));
            int[] channels = {64, 128, 256, 512};
            for (int k = 0; k < 4; k++) {
                // Every stride-2 step (3x3 conv or pool with padding 1) rounds up: ceil(size / stride).
                int stride = 4 << k;
                assertThat(out.get("stage" + (k + 1)).shape()).as("stage%d at %dx%d", k + 1, height, width)
                        .isEqualTo(Shape.of(batch, channels[k], ceilDiv(height, stride), ceilDiv(width, stride)));
            }
            assertThat(out.values()).allSatisfy(v -> assertThat(v.allFinite()).isTrue());
            assertThat(out.get("logits").maxAbs()).isGreaterThan(0f);
        }
    }

    @Test
    void everyConvMlpVariantLoadsAndRunsInOnnxRuntime() throws IOException {
        for (ConvMlp arch : List.of(ConvMlp.S, ConvMlp.M, ConvMlp.L)) {
            Map<String, Values> out = OrtRunner.run(ModelExporter.export(arch, 1000, new SeededWeights(1)), dir,
                    Values.randomImage(1, 64, 64));

            assertThat(out.get("logits").shape()).as(arch.name()).isEqualTo(Shape.of(1, 1000));
            assertThat(out.get("stage4").shape()).as(arch.name())
                    .isEqualTo(Shape.of(1, arch.config().dims().get(2), 2, 2));
            assertThat(out.get("logits").allFinite()).as(arch.name()).isTrue();
        }
    }

    @Test
    void aNonPositiveClassCountIsRejected() {
        assertThatThrownBy(() -> ModelExporter.export(ConvMlp.S, 0, new SeededWeights(0)))
                .hasMessageContaining("num_classes");
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
