package dev.strata.processor.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.strata.processor.testing.TinyModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjlBackboneTest {

    private static DjlBackbone load() {
        return DjlBackbone.load(TinyModels.convMlpFile(), TinyModels.convMlpInfo(), "OnnxRuntime", Device.cpu(),
                Map.of("interOpNumThreads", "1", "intraOpNumThreads", "1"));
    }

    @Test
    void runsABatchAndReturnsLogitsAndEveryStageMap() {
        ModelInfo info = TinyModels.convMlpInfo();
        try (DjlBackbone backbone = load()) {
            float[] input = randomFrames(3, info.frameFloats());
            BatchOutput out = backbone.infer(input, 3);

            assertThat(out.logits()).hasSize(3 * TinyModels.NUM_CLASSES);
            assertThat(out.stageCount()).isEqualTo(4);
            int[] strides = {4, 8, 16, 32};
            for (int s = 0; s < 4; s++) {
                StageOutput map = out.stage(s);
                int side = TinyModels.INPUT_SIZE / strides[s];
                assertThat(map.height()).isEqualTo(side);
                assertThat(map.width()).isEqualTo(side);
                assertThat(map.data()).hasSize(3 * map.channels() * side * side);
            }
            for (float v : out.logits()) {
                assertThat(v).isFinite();
            }
        }
    }

    @Test
    void aFramesResultDoesNotDependOnItsBatchmates() {
        ModelInfo info = TinyModels.convMlpInfo();
        int frame = info.frameFloats();
        try (DjlBackbone backbone = load()) {
            float[] batch = randomFrames(4, frame);
            float[] alone = Arrays.copyOfRange(batch, 2 * frame, 3 * frame);
            float[] batched = backbone.infer(batch, 4).logits();
            float[] single = backbone.infer(alone, 1).logits();
            for (int c = 0; c < TinyModels.NUM_CLASSES; c++) {
                assertThat(batched[2 * TinyModels.NUM_CLASSES + c]).isCloseTo(single[c],
                        org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
    }

    @Test
    void copiesOutOnlyTheStagesAskedForAndReadsADirectBufferInPlace() {
        ModelInfo info = TinyModels.convMlpInfo();
        int frame = info.frameFloats();
        try (DjlBackbone backbone = load()) {
            float[] frames = randomFrames(2, frame);
            FloatBuffer direct = ByteBuffer.allocateDirect(3 * frame * Float.BYTES).order(ByteOrder.nativeOrder())
                    .asFloatBuffer().put(frames);
            BatchOutput some = backbone.infer(direct, 2, Set.of(1, 3));
            BatchOutput all = backbone.infer(frames, 2);

            assertThat(some.stages()).extracting(Optional::isPresent).containsExactly(false, true, false, true);
            assertThatThrownBy(() -> some.stage(0)).isInstanceOf(IllegalStateException.class);
            assertThat(some.stage(3).data()).containsExactly(all.stage(3).data());
            assertThat(some.logits()).containsExactly(all.logits());
            assertThat(backbone.infer(direct, 2, Set.of()).stages()).allMatch(Optional::isEmpty);
        }
    }

    @Test
    void onnxRuntimeSessionConfigurationChangesHowItRunsNotWhatItComputes() {
        float[] frames = randomFrames(2, TinyModels.convMlpInfo().frameFloats());
        try (DjlBackbone spinning = load();
             DjlBackbone sleeping = DjlBackbone.loadOnnxRuntime(TinyModels.convMlpFile(), TinyModels.convMlpInfo(),
                     Map.of("interOpNumThreads", "1", "intraOpNumThreads", "2"),
                     Map.of("session.intra_op.allow_spinning", "0"))) {
            assertThat(sleeping.engine()).isEqualTo("onnxruntime");
            assertThat(sleeping.infer(frames, 2).logits()).containsExactly(spinning.infer(frames, 2).logits(),
                    org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void aMissingModelFileIsALoadErrorNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("absent.onnx");
        assertThatThrownBy(() -> DjlBackbone.load(missing, TinyModels.convMlpInfo(), "OnnxRuntime", Device.cpu(),
                Map.of()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("absent.onnx");
        assertThatThrownBy(() -> DjlBackbone.loadOnnxRuntime(missing, TinyModels.convMlpInfo(), Map.of(), Map.of()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("absent.onnx");
    }

    private static float[] randomFrames(int frames, int floatsPerFrame) {
        Random random = new Random(1);
        float[] data = new float[frames * floatsPerFrame];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return data;
    }
}
