package dev.strata.processor.inference.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.strata.processor.inference.ModelLoadException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class CudaDriverTest {

    /** Answers the driver API calls as a driver with the given GPUs and cuInit result would. */
    private static final class Driver implements CudaDriver.Api {
        private static final Map<Integer, String> NAMES = Map.of(100, "CUDA_ERROR_NO_DEVICE",
                803, "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH", 999, "CUDA_ERROR_UNKNOWN");
        private final int init;
        private final String[] gpus;

        Driver(int init, String... gpus) {
            this.init = init;
            this.gpus = gpus;
        }

        @Override
        public int cuInit(int flags) {
            return init;
        }

        @Override
        public int cuDriverGetVersion(IntByReference version) {
            version.setValue(12040);
            return 0;
        }

        @Override
        public int cuDeviceGetCount(IntByReference count) {
            count.setValue(gpus.length);
            return 0;
        }

        @Override
        public int cuDeviceGet(IntByReference device, int ordinal) {
            device.setValue(ordinal);
            return 0;
        }

        @Override
        public int cuDeviceGetName(byte[] name, int length, int device) {
            byte[] bytes = gpus[device].getBytes(StandardCharsets.UTF_8);
            System.arraycopy(bytes, 0, name, 0, bytes.length);
            name[bytes.length] = 0;
            return 0;
        }

        @Override
        public int cuDeviceGetAttribute(IntByReference value, int attribute, int device) {
            value.setValue(attribute == CudaDriver.COMPUTE_CAPABILITY_MAJOR ? 9 : 0);
            return 0;
        }

        @Override
        public int cuGetErrorName(int error, PointerByReference name) {
            String text = NAMES.get(error);
            if (text == null) {
                return 1;
            }
            Memory memory = new Memory(text.length() + 1L);
            memory.setString(0, text, StandardCharsets.US_ASCII.name());
            name.setValue(memory);
            return 0;
        }
    }

    @Test
    void describesTheGpuByNameComputeCapabilityAndDriver() {
        GpuDevice gpu = CudaDriver.describe(new Driver(0, "NVIDIA A10", "NVIDIA H100 80GB HBM3"), 1);

        assertThat(gpu).isEqualTo(new GpuDevice(1, "NVIDIA H100 80GB HBM3", "9.0", "12.4"));
        assertThat(gpu).hasToString("gpu:1 (NVIDIA H100 80GB HBM3, compute capability 9.0, driver for CUDA 12.4)");
    }

    @Test
    void aDriverThatSeesNoGpuSaysWhereGpusComeFrom() {
        assertThatThrownBy(() -> CudaDriver.describe(new Driver(100), 0))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("strata.model.device gpu:0")
                .hasMessageContaining("sees no GPU (cuInit: CUDA_ERROR_NO_DEVICE (100))")
                .hasMessageContaining("CUDA_VISIBLE_DEVICES")
                .hasMessageContaining("--gpus all")
                .hasMessageContaining("strata.model.device=cpu");
    }

    @Test
    void aMismatchedDriverIsNamedAsSuch() {
        assertThatThrownBy(() -> CudaDriver.describe(new Driver(803), 0))
                .hasMessageContaining("does not match the kernel driver")
                .hasMessageContaining("CUDA_ERROR_SYSTEM_DRIVER_MISMATCH (803)");
    }

    @Test
    void anIndexPastTheVisibleGpusNamesTheRange() {
        assertThatThrownBy(() -> CudaDriver.describe(new Driver(0, "NVIDIA L4"), 2))
                .hasMessageContaining("strata.model.device gpu:2")
                .hasMessageContaining("has 1 GPU(s) visible, so the index must be 0..0");
    }

    @Test
    void anyOtherDriverErrorIsReportedWithItsCode() {
        assertThatThrownBy(() -> CudaDriver.describe(new Driver(999), 0))
                .hasMessageContaining("failed cuInit with CUDA_ERROR_UNKNOWN (999)");
        assertThatThrownBy(() -> CudaDriver.describe(new Driver(3), 0))
                .hasMessageContaining("failed cuInit with CUresult 3");
    }

    @Test
    void withoutTheDriverTheErrorSaysHowToGetOne() {
        try {
            NativeLibrary.getInstance(CudaDriver.LIBRARY);
            Assumptions.abort("this host has an NVIDIA driver (" + CudaDriver.LIBRARY + " loads)");
        } catch (UnsatisfiedLinkError expected) {
            // the condition under test: no driver here
        }

        assertThatThrownBy(() -> CudaDriver.describe(0))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("strata.model.device gpu:0: no NVIDIA driver on this host")
                .hasMessageContaining("libcuda.so.1")
                .hasMessageContaining("NVIDIA Container Toolkit (docker run --gpus all")
                .hasMessageContaining("strata.model.engine=onnxruntime and strata.model.device=cpu")
                .hasMessageNotContaining("resource path");
    }
}
