package dev.strata.processor.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.strata.processor.inference.gpu.OnnxGraphs;
import dev.strata.processor.testing.TinyModels;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The padding and slicing DJL's TensorRT engine needs, on ONNX Runtime (CPU) engines built from the
 * same fixed-batch graphs.
 */
class StaticBatchBackboneTest {

    private static final Map<String, String> ONE_THREAD = Map.of("interOpNumThreads", "1", "intraOpNumThreads", "1");

    @TempDir
    Path dir;

    private StaticBatchBackbone load(int... sizes) {
        ModelInfo info = TinyModels.convMlpInfo();
        ModelProto graph = OnnxGraphs.read(TinyModels.convMlpFile());
        Map<Integer, DjlBackbone> engines = new TreeMap<>();
        for (int rows : sizes) {
            Path file = dir.resolve("b" + rows + ".onnx");
            OnnxGraphs.write(OnnxGraphs.withStaticBatch(graph, DjlBackbone.INPUT_NAME, rows, info.inputSize()), file);
            engines.put(rows, DjlBackbone.load(file, info, "OnnxRuntime", Device.cpu(), ONE_THREAD));
        }
        return new StaticBatchBackbone(info, "onnxruntime-static", "cpu", engines);
    }

    private static float[] frames(int count) {
        Random random = new Random(count);
        float[] data = new float[count * TinyModels.convMlpInfo().frameFloats()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return data;
    }

    private static void assertSame(BatchOutput actual, BatchOutput expected) {
        assertThat(actual.batchSize()).isEqualTo(expected.batchSize());
        assertThat(actual.logits()).containsExactly(expected.logits(), within(1e-5f));
        for (int s = 0; s < expected.stages().size(); s++) {
            StageOutput a = actual.stage(s);
            StageOutput e = expected.stage(s);
            assertThat(new int[] {a.batch(), a.channels(), a.height(), a.width(), a.stride()})
                    .containsExactly(e.batch(), e.channels(), e.height(), e.width(), e.stride());
            assertThat(a.data()).containsExactly(e.data(), within(1e-5f));
        }
    }

    @Test
    void everyBatchUpToTheLargestEngineGivesTheDynamicModelsOutputs() {
        try (DjlBackbone dynamic = DjlBackbone.load(TinyModels.convMlpFile(), TinyModels.convMlpInfo(), "OnnxRuntime",
                Device.cpu(), ONE_THREAD);
                StaticBatchBackbone padded = load(1, 3, 5)) {
            assertThat(padded.batchSizes()).containsExactly(1, 3, 5);
            for (int n = 1; n <= 5; n++) {
                float[] input = frames(n);
                assertSame(padded.infer(input, n), dynamic.infer(input, n));
            }
        }
    }

    @Test
    void readsOnlyTheBatchsFramesFromALargerBuffer() {
        // The executor hands over its whole batch buffer, with stale frames past the batch.
        try (DjlBackbone dynamic = DjlBackbone.load(TinyModels.convMlpFile(), TinyModels.convMlpInfo(), "OnnxRuntime",
                Device.cpu(), ONE_THREAD);
                StaticBatchBackbone padded = load(1, 3, 5)) {
            float[] buffer = frames(5);
            assertSame(padded.infer(buffer, 2), dynamic.infer(buffer, 2));
            assertSame(padded.infer(buffer, 3), dynamic.infer(buffer, 3));
        }
    }

    @Test
    void aBatchPastTheLargestEngineNamesTheSetting() {
        try (StaticBatchBackbone padded = load(1, 2)) {
            assertThatThrownBy(() -> padded.infer(frames(3), 3))
                    .isInstanceOf(InferenceException.class)
                    .hasMessageContaining("a batch of 3 frames is larger than the largest engine (2 frames, "
                            + "strata.model.tensorrt.max-batch) on onnxruntime-static/cpu");
        }
    }
}
