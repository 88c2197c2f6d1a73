package dev.strata.processor.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import com.sun.jna.NativeLibrary;
import dev.strata.processor.config.Device;
import dev.strata.processor.config.Engine;
import dev.strata.processor.config.GpuProvider;
import dev.strata.processor.config.ModelSettings;
import dev.strata.processor.config.ModelSource;
import dev.strata.processor.config.TensorRtSettings;
import dev.strata.processor.testing.TinyModels;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which engine strata.model.engine and strata.model.device select, and how each fails where it cannot run. */
class ModelLoaderTest {

    private static final Device GPU0 = new Device(true, 0);

    @TempDir
    Path cache;

    private ModelSettings settings(Engine engine, Device device) {
        return new ModelSettings(new ModelSource.OnnxFile(TinyModels.convMlpFile()), Optional.empty(), 0, engine,
                device, TinyModels.INPUT_SIZE, Optional.empty(), 1, false,
                new TensorRtSettings(false, 8, cache),
                GpuProvider.TENSORRT);
    }

    private static boolean driverPresent() {
        try {
            NativeLibrary.getInstance("libcuda.so.1");
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    private static boolean gpuPackage() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    @Test
    void onnxRuntimeOnTheCpuLoadsTheModelAndWarmsItUp() {
        ModelLoader.Loaded loaded = ModelLoader.load(settings(Engine.ONNXRUNTIME, Device.CPU), 4);
        try (Backbone backbone = loaded.backbone()) {
            assertThat(backbone.engine()).isEqualTo("onnxruntime");
            assertThat(backbone.device()).isEqualTo("cpu");
            assertThat(backbone.info().name()).isEqualTo("tiny-convmlp");
            assertThat(loaded.warmupNanos()).isPositive();
            assertThat(backbone.infer(new float[2 * backbone.info().frameFloats()], 2).batchSize()).isEqualTo(2);
        }
    }

    @Test
    void onnxRuntimeOnAGpuWithTheCpuPackageNamesTheGpuBuild() {
        assumeFalse(gpuPackage(), "ONNX Runtime's GPU package is on the classpath");

        assertThatThrownBy(() -> ModelLoader.load(settings(Engine.ONNXRUNTIME, GPU0), 4))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("needs ONNX Runtime's GPU package")
                .hasMessageContaining("./mvnw -P gpu package");
    }

    @Test
    void onnxRuntimeOnAGpuWithTheGpuPackageButNoDriverNamesTheDriver() {
        assumeTrue(gpuPackage(), "needs ONNX Runtime's GPU package on the classpath (./mvnw -P gpu)");
        assumeFalse(driverPresent(), "this host has an NVIDIA driver");

        assertThatThrownBy(() -> ModelLoader.load(settings(Engine.ONNXRUNTIME, GPU0), 4))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("no NVIDIA driver on this host");
    }

    @Test
    void tensorRtWithoutADriverNamesTheDriver() {
        assumeFalse(driverPresent(), "this host has an NVIDIA driver");

        assertThatThrownBy(() -> ModelLoader.load(settings(Engine.TENSORRT, GPU0), 4))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("strata.model.device gpu:0: no NVIDIA driver on this host")
                .hasMessageContaining("strata.model.device=cpu");
    }
}
