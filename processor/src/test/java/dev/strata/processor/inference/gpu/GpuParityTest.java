package dev.strata.processor.inference.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.strata.processor.config.Device;
import dev.strata.processor.config.Engine;
import dev.strata.processor.config.GpuProvider;
import dev.strata.processor.config.ModelSettings;
import dev.strata.processor.config.ModelSource;
import dev.strata.processor.config.TensorRtSettings;
import dev.strata.processor.inference.Backbone;
import dev.strata.processor.inference.BatchOutput;
import dev.strata.processor.inference.ModelLoadException;
import dev.strata.processor.inference.ModelLoader;
import dev.strata.processor.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each GPU engine against ONNX Runtime on the CPU, on the tiny ConvMLP, for batches from 1 to
 * max-batch. Runs where a GPU and the engine's libraries are (the TensorRT image, built with
 * ./mvnw -P gpu); elsewhere each test is skipped with what it lacks. The largest differences are
 * logged, for BENCHMARKS.md.
 */
class GpuParityTest {

    private static final Logger log = LoggerFactory.getLogger(GpuParityTest.class);

    /** fp32 GPU kernels differ from the CPU's in summation order only. */
    static final float FP32_TOLERANCE = 1e-3f;
    /**
     * fp16, as a fraction of each output's largest magnitude: 10-bit mantissas round each op by up to
     * 4.9e-4 relative, compounded over the backbone's ~30 layers. A bound chosen before any GPU run,
     * to be confirmed or revised by the first (README "GPU (TensorRT)").
     */
    static final float FP16_RELATIVE_TOLERANCE = 3e-2f;
    private static final int BATCH = 4;
    private static final int MAX_BATCH = 8;
    private static final int[] BATCHES = {1, 3, BATCH, MAX_BATCH};

    private static Backbone cpu;

    @TempDir
    Path cache;

    @BeforeAll
    static void loadCpuReference() {
        cpu = ModelLoader.load(settings(Engine.ONNXRUNTIME, Device.CPU, GpuProvider.TENSORRT, false, Path.of("unused")),
                BATCH).backbone();
    }

    @AfterAll
    static void closeCpuReference() {
        cpu.close();
    }

    private static ModelSettings settings(Engine engine, Device device, GpuProvider provider, boolean fp16,
            Path cacheDir) {
        return new ModelSettings(new ModelSource.OnnxFile(TinyModels.convMlpFile()), Optional.empty(), 0, engine,
                device, TinyModels.INPUT_SIZE, Optional.empty(), 0, false,
                new TensorRtSettings(fp16, MAX_BATCH, cacheDir),
                provider);
    }

    private static GpuDevice requireGpu() {
        try {
            return CudaDriver.describe(0);
        } catch (ModelLoadException e) {
            Assumptions.abort("no usable GPU: " + e.getMessage());
            throw e;
        }
    }

    private static void requireGpuPackage() {
        assumeTrue(OrtEnvironment.getAvailableProviders().contains(OrtProvider.TENSOR_RT),
                "needs ONNX Runtime's GPU package on the classpath (./mvnw -P gpu)");
    }

    /** Loads the engine; a missing native library skips the test with the loader's message. */
    private static Backbone load(ModelSettings settings) {
        try {
            return ModelLoader.load(settings, BATCH).backbone();
        } catch (ModelLoadException e) {
            if (NativeLibraries.missingLibrary(e).isPresent()) {
                Assumptions.abort(e.getMessage());
            }
            throw e;
        }
    }

    private static float[] frames(int count) {
        Random random = new Random(31L * count);
        float[] data = new float[count * TinyModels.convMlpInfo().frameFloats()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return data;
    }

    /** Largest |gpu - cpu| over every output of every batch size, per output, absolute or relative. */
    private static Map<String, Float> differences(Backbone gpu, boolean relative) {
        Map<String, Float> worst = new TreeMap<>();
        for (int n : BATCHES) {
            float[] input = frames(n);
            BatchOutput expected = cpu.infer(input, n);
            BatchOutput actual = gpu.infer(input, n);
            assertThat(actual.batchSize()).isEqualTo(n);
            worst.merge("logits", difference(actual.logits(), expected.logits(), relative), Math::max);
            for (int s = 0; s < expected.stages().size(); s++) {
                assertThat(actual.stage(s).height()).isEqualTo(expected.stage(s).height());
                worst.merge(expected.stage(s).name(), difference(actual.stage(s).data(),
                        expected.stage(s).data(), relative), Math::max);
            }
        }
        return worst;
    }

    private static float difference(float[] actual, float[] expected, boolean relative) {
        assertThat(actual).hasSameSizeAs(expected);
        float max = 0;
        float scale = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return relative ? max / Math.max(scale, Float.MIN_NORMAL) : max;
    }

    private void assertParity(Engine engine, GpuProvider provider, boolean fp16) {
        try (Backbone gpu = load(settings(engine, new Device(true, 0), provider, fp16, cache))) {
            Map<String, Float> worst = differences(gpu, fp16);
            log.info("{} on {}, {}: largest {} difference from the CPU per output: {}", gpu.engine(), requireGpu(),
                    fp16 ? "fp16" : "fp32", fp16 ? "relative" : "absolute", worst);
            assertThat(worst).allSatisfy((output, difference) -> assertThat(difference).as(output)
                    .isLessThanOrEqualTo(fp16 ? FP16_RELATIVE_TOLERANCE : FP32_TOLERANCE));
        }
    }

    private static void requireDjlTensorRtFor(String op) {
        TensorRtVersion version;
        try {
            version = DjlTensorRt.tensorRtVersion();
        } catch (ModelLoadException e) {
            Assumptions.abort(e.getMessage());
            throw e;
        }
        assumeTrue(version.atLeast(8, 6), "the tiny ConvMLP uses " + op + ", which TensorRT " + version
                + " cannot import (8.6 can)");
    }

    @Test
    void onnxRuntimeTensorRtFp32MatchesTheCpu() {
        requireGpu();
        requireGpuPackage();
        assertParity(Engine.ONNXRUNTIME, GpuProvider.TENSORRT, false);
    }

    @Test
    void onnxRuntimeTensorRtFp16StaysWithinItsTolerance() {
        requireGpu();
        requireGpuPackage();
        assertParity(Engine.ONNXRUNTIME, GpuProvider.TENSORRT, true);
    }

    @Test
    void onnxRuntimeCudaMatchesTheCpu() {
        requireGpu();
        requireGpuPackage();
        assertParity(Engine.ONNXRUNTIME, GpuProvider.CUDA, false);
    }

    @Test
    void djlTensorRtFp32MatchesTheCpu() {
        requireGpu();
        requireDjlTensorRtFor("LayerNormalization");
        assertParity(Engine.TENSORRT, GpuProvider.TENSORRT, false);
    }

    @Test
    void djlTensorRtFp16StaysWithinItsTolerance() {
        requireGpu();
        requireDjlTensorRtFor("LayerNormalization");
        assertParity(Engine.TENSORRT, GpuProvider.TENSORRT, true);
    }

    @Test
    void aRestartReusesTheCachedTensorRtEngine() throws IOException {
        requireGpu();
        requireGpuPackage();
        ModelSettings settings = settings(Engine.ONNXRUNTIME, new Device(true, 0), GpuProvider.TENSORRT, true, cache);
        load(settings).close();
        Map<Path, FileTime> engines = engineFiles();
        assertThat(engines).as("engines written by the first start").isNotEmpty();

        try (Backbone restarted = load(settings)) {
            assertThat(restarted.infer(frames(BATCH), BATCH).batchSize()).isEqualTo(BATCH);
        }

        assertThat(engineFiles()).as("the second start builds nothing").isEqualTo(engines);
    }

    private Map<Path, FileTime> engineFiles() throws IOException {
        Map<Path, FileTime> engines = new TreeMap<>();
        try (Stream<Path> files = Files.walk(cache)) {
            for (Path file : files.filter(f -> f.toString().endsWith(EngineCache.ENGINE_SUFFIX)).toList()) {
                engines.put(file, Files.getLastModifiedTime(file));
            }
        }
        return engines;
    }
}
