package dev.strata.processor.config;

import dev.strata.models.catalog.Catalog;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The model and how to run it ({@code strata.model}).
 *
 * @param source         the catalog architecture or the ONNX file
 * @param weights        a safetensors checkpoint; empty: seeded initialisation
 * @param seed           seed of the weight initialisation
 * @param engine         the DJL engine
 * @param device         CPU or GPU
 * @param inputSize      model input height and width
 * @param labels         a class-name file; empty: the bundled ImageNet-1k names
 * @param intraOpThreads threads within one inference; 0: the engine's choice
 * @param intraOpSpinning whether ONNX Runtime's intra-op threads spin while waiting for work
 * @param tensorRt       TensorRT options
 * @param gpuProvider    ONNX Runtime's execution provider when the device is a GPU
 */
public record ModelSettings(
        ModelSource source,
        Optional<Path> weights,
        long seed,
        Engine engine,
        Device device,
        int inputSize,
        Optional<Path> labels,
        int intraOpThreads,
        boolean intraOpSpinning,
        TensorRtSettings tensorRt,
        GpuProvider gpuProvider) {

    /** Whether TensorRT builds the engine: the tensorrt engine, or ONNX Runtime's TensorRT provider. */
    public boolean usesTensorRt() {
        return engine == Engine.TENSORRT || device.gpu() && gpuProvider == GpuProvider.TENSORRT;
    }

    static ModelSettings parse(Settings s, int batchSize) {
        Engine engine = s.choice("strata.model.engine", Engine.class);
        Device device;
        try {
            device = Device.parse(s.string("strata.model.device"));
        } catch (IllegalArgumentException e) {
            throw s.invalid("strata.model.device", e.getMessage());
        }
        if (engine == Engine.TENSORRT && !device.gpu()) {
            throw s.invalid("strata.model.device", "strata.model.engine tensorrt runs on a GPU only; set the device to "
                    + "gpu or gpu:N, or use the onnxruntime engine");
        }
        TensorRtSettings tensorRt = new TensorRtSettings(
                s.bool("strata.model.tensorrt.fp16"),
                s.intBetween("strata.model.tensorrt.max-batch", 1, 4096),
                directory(s, "strata.model.tensorrt.engine-cache-dir"));
        GpuProvider gpuProvider = s.choice("strata.model.onnxruntime.gpu-provider", GpuProvider.class);
        ModelSettings settings = new ModelSettings(
                source(s),
                s.optionalFile("strata.model.weights"),
                s.longBetween("strata.model.seed", Long.MIN_VALUE, Long.MAX_VALUE),
                engine,
                device,
                s.intBetween("strata.model.input-size", 16, 4096),
                s.optionalFile("strata.model.labels"),
                s.intBetween("strata.model.intra-op-threads", 0, 1024),
                s.bool("strata.model.intra-op-spinning"),
                tensorRt,
                gpuProvider);
        if (settings.usesTensorRt() && tensorRt.maxBatch() < batchSize) {
            throw s.invalid("strata.model.tensorrt.max-batch", "must be at least strata.batch.size (" + batchSize
                    + "): the engine cannot run larger batches");
        }
        return settings;
    }

    private static ModelSource source(Settings s) {
        Optional<Path> onnx = s.optionalFile("strata.model.path");
        if (onnx.isPresent()) {
            if (!onnx.get().getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
                throw s.invalid("strata.model.path", "must name an .onnx file");
            }
            return new ModelSource.OnnxFile(onnx.get());
        }
        String arch = s.string("strata.model.arch");
        try {
            Catalog.find(arch);
        } catch (IllegalArgumentException e) {
            throw s.invalid("strata.model.arch", e.getMessage() + "; for an ONNX file set strata.model.path");
        }
        return new ModelSource.Catalog(arch);
    }

    private static Path directory(Settings s, String path) {
        try {
            return Path.of(s.string(path));
        } catch (InvalidPathException e) {
            throw s.invalid(path, "is not a valid path: " + e.getMessage());
        }
    }
}
