package dev.strata.processor.inference.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.processor.inference.ModelLoadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineCacheTest {

    @TempDir
    Path dir;

    private static final EngineCacheKey KEY = new EngineCacheKey("ConvMLP-S",
            "927e25e7a2bcbd89262183fc601aa8473db258803ea3404793b8adb5b2c87ade", 224, new BatchProfile(1, 8, 32), true,
            "NVIDIA H100 80GB HBM3", "9.0", TensorRtVersion.decode(100800), "onnxruntime 1.21.0");

    @Test
    void theKeyChangesWithEverythingAnEngineDependsOn() {
        List<UnaryOperator<EngineCacheKey>> changes = List.of(
                k -> new EngineCacheKey(k.modelName(), "0" + k.modelSha256().substring(1), k.inputSize(), k.profile(),
                        k.fp16(), k.gpuName(), k.computeCapability(), k.tensorRt(), k.runtime()),
                k -> new EngineCacheKey(k.modelName(), k.modelSha256(), 256, k.profile(), k.fp16(), k.gpuName(),
                        k.computeCapability(), k.tensorRt(), k.runtime()),
                k -> new EngineCacheKey(k.modelName(), k.modelSha256(), k.inputSize(), new BatchProfile(1, 16, 32),
                        k.fp16(), k.gpuName(), k.computeCapability(), k.tensorRt(), k.runtime()),
                k -> new EngineCacheKey(k.modelName(), k.modelSha256(), k.inputSize(), new BatchProfile(1, 8, 64),
                        k.fp16(), k.gpuName(), k.computeCapability(), k.tensorRt(), k.runtime()),
                k -> new EngineCacheKey(k.modelName(), k.modelSha256(), k.inputSize(), k.profile(), false,
                        k.gpuName(), k.computeCapability(), k.tensorRt(), k.runtime()),
                k -> new EngineCacheKey(k.modelName(), k.modelSha256(), k.inputSize(), k.profile(), k.fp16(),
                        "NVIDIA H100 PCIe", k.computeCapability(), k.tensorRt(), k.runtime()),
                k -> new EngineCacheKey(k.modelName(), k.modelSha256(), k.inputSize(), k.profile(), k.fp16(),
                        k.gpuName(), "8.0", k.tensorRt(), k.runtime()),
                k -> new EngineCacheKey(k.modelName(), k.modelSha256(), k.inputSize(), k.profile(), k.fp16(),
                        k.gpuName(), k.computeCapability(), TensorRtVersion.decode(100801), k.runtime()),
                k -> new EngineCacheKey(k.modelName(), k.modelSha256(), k.inputSize(), k.profile(), k.fp16(),
                        k.gpuName(), k.computeCapability(), k.tensorRt(), "onnxruntime 1.22.0"));

        for (UnaryOperator<EngineCacheKey> change : changes) {
            assertThat(change.apply(KEY).directoryName()).isNotEqualTo(KEY.directoryName());
        }
        assertThat(new EngineCacheKey(KEY.modelName(), KEY.modelSha256(), KEY.inputSize(), KEY.profile(), KEY.fp16(),
                KEY.gpuName(), KEY.computeCapability(), KEY.tensorRt(), KEY.runtime()).directoryName())
                .isEqualTo(KEY.directoryName());
    }

    @Test
    void theDirectoryIsNamedForPeopleAndUniqueForMachines() {
        assertThat(KEY.directoryName()).matches("convmlp-s-[0-9a-f]{16}");
        assertThat(KEY.describe()).contains("model.sha256=927e25e7", "input=3x224x224", "batch.opt=8",
                "precision=fp16", "gpu=NVIDIA H100 80GB HBM3", "gpu.compute-capability=9.0",
                "tensorrt=10.8.0 (100800)", "runtime=onnxruntime 1.21.0");
    }

    @Test
    void aNewEntryHoldsTheModelAndTheKeyAndNoEngine() throws IOException {
        Path onnx = Files.write(dir.resolve("exported-1234.onnx"), new byte[] {1, 2, 3});
        Path root = dir.resolve("trt-cache");

        EngineCache.Entry entry = EngineCache.prepare(root, KEY, onnx);

        assertThat(entry.directory()).isEqualTo(root.resolve(KEY.directoryName()));
        assertThat(entry.model()).isEqualTo(entry.directory().resolve("model.onnx")).hasBinaryContent(
                new byte[] {1, 2, 3});
        assertThat(Files.readString(entry.directory().resolve("key.properties"), StandardCharsets.UTF_8))
                .contains(KEY.describe());
        assertThat(entry.engineCached()).isFalse();
        try (var files = Files.list(entry.directory())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.onnx",
                    "key.properties");
        }
    }

    @Test
    void anEntryWithAnEngineIsReportedCachedAndLeftAlone() throws IOException {
        Path onnx = Files.write(dir.resolve("model-a.onnx"), new byte[] {1, 2, 3});
        EngineCache.Entry first = EngineCache.prepare(dir, KEY, onnx);
        // What ONNX Runtime's TensorRT provider writes after a build.
        Path engine = Files.write(first.directory().resolve("TensorrtExecutionProvider_TRTKernel_graph_main_1_1_sm90"
                + ".engine"), new byte[] {9});

        EngineCache.Entry second = EngineCache.prepare(dir, KEY, onnx);

        assertThat(second).isEqualTo(new EngineCache.Entry(first.directory(), first.model(), true));
        assertThat(engine).hasBinaryContent(new byte[] {9});
    }

    @Test
    void theModelHashIsTheSha256OfItsBytes() throws IOException {
        Path file = Files.writeString(dir.resolve("abc.onnx"), "abc");

        assertThat(EngineCache.sha256(file))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void anUnusableCacheDirectoryNamesTheSetting() throws IOException {
        Path onnx = Files.write(dir.resolve("m.onnx"), new byte[] {1});
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");

        assertThatThrownBy(() -> EngineCache.prepare(file, KEY, onnx))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("strata.model.tensorrt.engine-cache-dir " + file)
                .hasMessageContaining("must be a writable directory");
    }
}
