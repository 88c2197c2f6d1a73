package dev.strata.processor.inference.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The messages are the ones the loaders produced on a host without CUDA or TensorRT. */
class NativeLibrariesTest {

    @Test
    void findsTheMissingLibraryInOnnxRuntimesProviderError() {
        Exception ort = new Exception("Error code - ORT_RUNTIME_EXCEPTION - message: /onnxruntime_src/onnxruntime/"
                + "core/session/provider_bridge_ort.cc:1695 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get()"
                + " [ONNXRuntimeError] : 1 : FAIL : Failed to load library libonnxruntime_providers_tensorrt.so with "
                + "error: libcublas.so.12: cannot open shared object file: No such file or directory");

        assertThat(NativeLibraries.missingLibrary(new RuntimeException("wrapped", ort))).contains("libcublas.so.12");
    }

    @Test
    void findsTheMissingLibraryInDjlsTensorRtError() {
        Error link = new UnsatisfiedLinkError("/root/.djl.ai/tensorrt/8.4.1-0.33.0-linux-x86_64/libdjl_trt.so: "
                + "libnvonnxparser.so.8: cannot open shared object file: No such file or directory");
        Error init = new ExceptionInInitializerError(new RuntimeException("Failed to load TensorRT native library",
                link));

        assertThat(NativeLibraries.missingLibrary(init)).contains("libnvonnxparser.so.8");
        assertThat(NativeLibraries.missingLibrary(new RuntimeException("no library named"))).isEmpty();
    }

    @Test
    void saysWhichPackageEachLibraryComesFrom() {
        assertThat(NativeLibraries.provider("libcuda.so.1")).isEqualTo("the NVIDIA driver");
        assertThat(NativeLibraries.provider("libnvinfer.so.10")).isEqualTo("TensorRT 10");
        assertThat(NativeLibraries.provider("libnvinfer_plugin.so.10")).isEqualTo("TensorRT 10");
        assertThat(NativeLibraries.provider("libnvonnxparser.so.8")).isEqualTo("TensorRT 8");
        assertThat(NativeLibraries.provider("libnvparsers.so.8")).isEqualTo("TensorRT 8");
        assertThat(NativeLibraries.provider("libcudnn.so.9")).isEqualTo("cuDNN 9");
        assertThat(NativeLibraries.provider("libcublasLt.so.12")).isEqualTo("the CUDA runtime libraries");
        assertThat(NativeLibraries.provider("libnvrtc.so.12")).isEqualTo("the CUDA runtime libraries");
        assertThat(NativeLibraries.provider("libfoo.so.3")).isEqualTo("an unknown package");
    }
}
