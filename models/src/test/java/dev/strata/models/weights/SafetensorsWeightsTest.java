package dev.strata.models.weights;

import dev.strata.models.Architecture;
import dev.strata.models.BackboneOutputs;
import dev.strata.models.InputSizeRule;
import dev.strata.models.ModelExporter;
import dev.strata.models.ParityHarness;
import dev.strata.models.convmlp.ConvMlp;
import dev.strata.models.convmlp.ConvMlpFixture;
import dev.strata.models.onnx.GraphBuilder;
import dev.strata.models.onnx.Shape;
import dev.strata.models.onnx.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Importing a checkpoint by the official state-dict names: every mismatch names its key. */
class SafetensorsWeightsTest {

    private static final ConvMlp ARCH = ConvMlpFixture.ARCH;
    private static final Path FIXTURE_WEIGHTS = ParityHarness.resource("fixtures/convmlp/weights.safetensors");

    @TempDir
    Path dir;

    @Test
    void aMissingTensorIsAnErrorNamingTheKeyAndItsExpectedShape() {
        Path file = fixtureWith(w -> w.remove("stages.1.blocks.0.connect.weight"));

        assertThatThrownBy(() -> export(ARCH, file))
                .hasMessageContaining("'stages.1.blocks.0.connect.weight'")
                .hasMessageContaining("[32, 1, 3, 3]");
    }

    @Test
    void anExtraTensorIsAnErrorNamingTheKey() {
        Path file = fixtureWith(w -> w.put("stages.0.blocks.0.gate.weight", floats(Shape.of(16))));

        assertThatThrownBy(() -> export(ARCH, file)).hasMessageContaining("stages.0.blocks.0.gate.weight");
    }

    @Test
    void aMisShapedTensorIsAnErrorNamingTheKeyAndBothShapes() {
        Path file = fixtureWith(w -> w.put("head.weight", floats(Shape.of(10, 47))));

        assertThatThrownBy(() -> export(ARCH, file))
                .hasMessageContaining("'head.weight'")
                .hasMessageContaining("[10, 47]")
                .hasMessageContaining("[10, 48]");
    }

    @Test
    void batchesTrackedCountersAreIgnoredWhateverTheirType() {
        Path file = fixtureWith(w -> w.put("tokenizer.block.1.num_batches_tracked",
                new SafetensorsTensor(DType.I64, Shape.of(), ByteBuffer.allocate(8))));

        assertThatCode(() -> export(ARCH, file)).doesNotThrowAnyException();
    }

    @Test
    void buffersAFamilyDeclaresUnusedAreAcceptedOnlyForThatFamily() {
        Path file = fixtureWith(w -> w.put("stages.0.blocks.0.offset", floats(Shape.of(2))));
        Architecture withOffsets = new Architecture() {
            @Override
            public String name() {
                return ARCH.name();
            }

            @Override
            public String family() {
                return ARCH.family();
            }

            @Override
            public InputSizeRule inputSizeRule() {
                return ARCH.inputSizeRule();
            }

            @Override
            public BackboneOutputs define(GraphBuilder g, Tensor image, int numClasses) {
                return ARCH.define(g, image, numClasses);
            }

            @Override
            public boolean isUnusedStateKey(String key) {
                return key.endsWith(".offset");
            }
        };

        assertThatCode(() -> export(withOffsets, file)).doesNotThrowAnyException();
        assertThatThrownBy(() -> export(ARCH, file)).hasMessageContaining("stages.0.blocks.0.offset");
    }

    @Test
    void originIsTheSha256OfTheFile() throws Exception {
        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(FIXTURE_WEIGHTS)));

        assertThat(SafetensorsWeights.open(FIXTURE_WEIGHTS).origin()).isEqualTo("safetensors:sha256=" + expected);
    }

    private static void export(Architecture arch, Path weights) throws IOException {
        ModelExporter.export(arch, 10, SafetensorsWeights.open(weights));
    }

    private Path fixtureWith(Consumer<Map<String, SafetensorsTensor>> edit) {
        try {
            Map<String, SafetensorsTensor> weights = new LinkedHashMap<>(Safetensors.read(FIXTURE_WEIGHTS));
            edit.accept(weights);
            Path file = Files.createTempFile(dir, "edited", ".safetensors");
            Safetensors.write(file, weights);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SafetensorsTensor floats(Shape shape) {
        return SafetensorsTensor.ofFloats(shape, new float[(int) shape.elementCount()]);
    }
}
