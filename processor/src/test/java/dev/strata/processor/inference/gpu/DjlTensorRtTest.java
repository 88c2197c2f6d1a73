package dev.strata.processor.inference.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.NativeLibrary;
import dev.strata.processor.inference.ModelLoadException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class DjlTensorRtTest {

    private static final GpuDevice A100 = new GpuDevice(0, "NVIDIA A100-SXM4-80GB", "8.0", "12.4");
    private static final GpuDevice H100 = new GpuDevice(0, "NVIDIA H100 80GB HBM3", "9.0", "12.4");
    private static final Set<String> CONVMLP_OPS = Set.of("Conv", "LayerNormalization", "MatMul", "Erf");
    private static final Set<String> ASMLP_OPS = Set.of("Conv", "ReduceMean", "Pad", "Slice", "Erf");

    @Test
    void fp16IsAKeyTheJniTestsForPresence() {
        assertThat(DjlTensorRt.options(true)).isEqualTo(Map.of("fp16", "true"));
        assertThat(DjlTensorRt.options(false)).isEmpty();
    }

    @Test
    void layerNormalizationNeedsTensorRt86() {
        assertThatThrownBy(() -> DjlTensorRt.check(CONVMLP_OPS, TensorRtVersion.parse("8.4.1"), A100, "convmlp-s"))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("convmlp-s uses the ONNX operator LayerNormalization")
                .hasMessageContaining("from TensorRT 8.6 on; this host has TensorRT 8.4.1")
                .hasMessageContaining("strata.model.engine=onnxruntime on the GPU");
        DjlTensorRt.check(CONVMLP_OPS, TensorRtVersion.parse("8.6.1"), A100, "convmlp-s");
        DjlTensorRt.check(ASMLP_OPS, TensorRtVersion.parse("8.4.1"), A100, "asmlp-t");
    }

    @Test
    void hopperNeedsATensorRtThatKnowsIt() {
        assertThatThrownBy(() -> DjlTensorRt.check(ASMLP_OPS, TensorRtVersion.parse("8.4.1"), H100, "asmlp-t"))
                .hasMessageContaining("NVIDIA H100 80GB HBM3")
                .hasMessageContaining("TensorRT 8.4.1 predates");
        DjlTensorRt.check(ASMLP_OPS, TensorRtVersion.parse("8.6.1"), H100, "asmlp-t");
    }

    @Test
    void withoutTensorRt8TheErrorNamesItsLibrariesAndTheAlternatives() {
        try {
            NativeLibrary.getInstance("libnvinfer.so.8");
            Assumptions.abort("TensorRT 8 is installed here");
        } catch (UnsatisfiedLinkError expected) {
            // the condition under test: DJL's TensorRT JNI cannot load
        }

        assertThatThrownBy(DjlTensorRt::tensorRtVersion)
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("strata.model.engine tensorrt cannot start")
                .hasMessageContaining("libnvinfer.so.8, libnvinfer_plugin.so.8, libnvonnxparser.so.8 and "
                        + "libnvparsers.so.8")
                .hasMessageContaining("Strata TensorRT image")
                .hasMessageContaining("strata.model.engine=onnxruntime with strata.model.device=gpu");
    }
}
