package dev.strata.processor.inference.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import com.sun.jna.NativeLibrary;
import dev.strata.processor.config.GpuProvider;
import dev.strata.processor.inference.ModelLoadException;
import dev.strata.processor.testing.TinyModels;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class OnnxRuntimeGpuTest {

    private static final GpuDevice H100 = new GpuDevice(0, "NVIDIA H100 80GB HBM3", "9.0", "12.4");

    @Test
    void theTensorRtProviderGetsTheProfilePrecisionAndCache() {
        Map<String, String> options = OnnxRuntimeGpu.tensorRtOptions(1, true, new BatchProfile(1, 8, 32), 224,
                Path.of("/var/cache/strata/trt/convmlp-s-0123456789abcdef"));

        assertThat(options).containsExactly(
                entry("device_id", "1"),
                entry("trt_fp16_enable", "1"),
                entry("trt_profile_min_shapes", "input:1x3x224x224"),
                entry("trt_profile_opt_shapes", "input:8x3x224x224"),
                entry("trt_profile_max_shapes", "input:32x3x224x224"),
                entry("trt_engine_cache_enable", "1"),
                entry("trt_engine_cache_path", "/var/cache/strata/trt/convmlp-s-0123456789abcdef"));
        assertThat(OnnxRuntimeGpu.tensorRtOptions(0, false, new BatchProfile(1, 1, 1), 64, Path.of("c")))
                .containsEntry("trt_fp16_enable", "0")
                .containsEntry("trt_profile_max_shapes", "input:1x3x64x64")
                .containsEntry("trt_engine_cache_path", Path.of("c").toAbsolutePath().toString());
        assertThat(OnnxRuntimeGpu.cudaOptions(3)).containsExactly(entry("device_id", "3"));
    }

    @Test
    void theCpuPackageIsRefusedWithTheBuildThatFixesIt() {
        assertThatThrownBy(() -> OnnxRuntimeGpu.requireGpuPackage(EnumSet.of(OrtProvider.CPU), GpuProvider.CUDA,
                "gpu:0"))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("strata.model.device gpu:0 with strata.model.engine onnxruntime needs ONNX "
                        + "Runtime's GPU package")
                .hasMessageContaining("only the [CPU] execution providers")
                .hasMessageContaining("./mvnw -P gpu package")
                .hasMessageContaining("com.microsoft.onnxruntime:onnxruntime_gpu")
                .hasMessageContaining("strata.model.device=cpu");
        assertThatThrownBy(() -> OnnxRuntimeGpu.requireGpuPackage(EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA),
                GpuProvider.TENSORRT, "gpu:0"))
                .hasMessageContaining("[CPU, CUDA]");
        OnnxRuntimeGpu.requireGpuPackage(EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA), GpuProvider.CUDA, "gpu:0");
        OnnxRuntimeGpu.requireGpuPackage(EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA, OrtProvider.TENSOR_RT),
                GpuProvider.TENSORRT, "gpu:0");
    }

    @Test
    void aMissingCudaLibraryIsNamedWithWhatProvidesIt() {
        ModelLoadException load = new ModelLoadException("engine OnnxRuntime could not load model.onnx",
                new RuntimeException("ONNX Model cannot be loaded", new RuntimeException("Error code - "
                        + "ORT_RUNTIME_EXCEPTION - message: Failed to load library "
                        + "libonnxruntime_providers_tensorrt.so with error: libnvinfer.so.10: cannot open shared "
                        + "object file: No such file or directory")));

        assertThat(OnnxRuntimeGpu.explain(load, GpuProvider.TENSORRT, H100, TinyModels.convMlpInfo()))
                .hasMessageStartingWith("ONNX Runtime's tensorrt provider cannot start on gpu:0 (NVIDIA H100 80GB "
                        + "HBM3, compute capability 9.0, driver for CUDA 12.4): libnvinfer.so.10 is missing "
                        + "(TensorRT 10).")
                .hasMessageContaining("CUDA 12 and cuDNN 9 and TensorRT 10 on the library path")
                .hasMessageContaining("strata.model.onnxruntime.gpu-provider=cuda needs no TensorRT")
                .hasCause(load);
    }

    @Test
    void anyOtherLoadFailureKeepsOnnxRuntimesReason() {
        ModelLoadException load = new ModelLoadException("engine OnnxRuntime could not load model.onnx: bad graph",
                null);

        assertThat(OnnxRuntimeGpu.explain(load, GpuProvider.CUDA, H100, TinyModels.convMlpInfo()))
                .hasMessageContaining("ONNX Runtime (cuda provider) could not load tiny-convmlp on gpu:0")
                .hasMessageContaining("bad graph");
    }

    /**
     * With the GPU package on a host without CUDA (./mvnw -P gpu here), ONNX Runtime fails when the
     * provider is added, on the first CUDA library its provider library needs.
     */
    @Test
    void withTheGpuPackageButNoCudaTheProviderErrorNamesTheLibrary() {
        assumeTrue(OrtEnvironment.getAvailableProviders().contains(OrtProvider.TENSOR_RT),
                "needs ONNX Runtime's GPU package on the classpath (./mvnw -P gpu)");
        try {
            NativeLibrary.getInstance("libcublas.so.12");
            Assumptions.abort("CUDA 12 is installed here");
        } catch (UnsatisfiedLinkError expected) {
            // the condition under test
        }

        assertThatThrownBy(() -> OnnxRuntimeGpu.sessionOptions(1, OnnxRuntimeGpu.tensorRtOptions(0, true,
                new BatchProfile(1, 2, 4), 64, Path.of("unused")), OnnxRuntimeGpu.cudaOptions(0)).close())
                .isInstanceOf(OrtException.class)
                .satisfies(e -> assertThat(OnnxRuntimeGpu.explain((OrtException) e, GpuProvider.TENSORRT, H100,
                        TinyModels.convMlpInfo()))
                        .hasMessageContaining("ONNX Runtime's tensorrt provider cannot start on gpu:0")
                        .hasMessageContaining(".so.12 is missing (the CUDA runtime libraries)"));
    }
}
