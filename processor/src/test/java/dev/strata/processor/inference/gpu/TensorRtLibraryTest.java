package dev.strata.processor.inference.gpu;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.NativeLibrary;
import dev.strata.processor.inference.ModelLoadException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class TensorRtLibraryTest {

    @Test
    void withoutTensorRtTheErrorNamesTheLibraryAndTheImage() {
        try {
            NativeLibrary.getInstance(TensorRtLibrary.soname(10));
            Assumptions.abort("TensorRT 10 is installed here");
        } catch (UnsatisfiedLinkError expected) {
            // the condition under test
        }

        assertThatThrownBy(() -> TensorRtLibrary.version(10, "ONNX Runtime's TensorRT provider"))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("ONNX Runtime's TensorRT provider needs TensorRT 10, but libnvinfer.so.10 "
                        + "cannot be loaded")
                .hasMessageContaining("Strata TensorRT image")
                .hasMessageContaining("LD_LIBRARY_PATH")
                .hasMessageNotContaining("resource path");
    }
}
