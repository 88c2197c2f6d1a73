package dev.strata.processor.inference;

import ai.djl.Device;
import dev.strata.models.Architecture;
import dev.strata.models.ExportedModel;
import dev.strata.models.ModelExporter;
import dev.strata.models.ModelMetadata;
import dev.strata.models.catalog.Catalog;
import dev.strata.models.onnx.WeightSource;
import dev.strata.models.weights.SafetensorsWeights;
import dev.strata.models.weights.SeededWeights;
import dev.strata.processor.config.ModelSettings;
import dev.strata.processor.config.ModelSource;
import dev.strata.processor.inference.gpu.DjlTensorRt;
import dev.strata.processor.inference.gpu.OnnxRuntimeGpu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code strata.model} into a loaded, warmed-up {@link Backbone}: a catalog architecture is
 * exported to ONNX in-process (seeded or from a safetensors checkpoint); an ONNX file is read
 * with the metadata the exporter wrote into it. The engine: ONNX Runtime on the CPU, ONNX Runtime
 * on a GPU ({@link OnnxRuntimeGpu}), or DJL's TensorRT engine ({@link DjlTensorRt}).
 */
public final class ModelLoader {

    private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);

    /** The loaded model and what loading it cost. */
    public record Loaded(Backbone backbone, Path onnxFile, long loadNanos, long warmupNanos) {
    }

    private ModelLoader() {
    }

    /**
     * Loads the model and runs warm-up batches of 1 and {@code batchSize} frames, so the first
     * real frames do not pay for lazy initialisation.
     */
    public static Loaded load(ModelSettings settings, int batchSize) {
        long start = System.nanoTime();
        Path onnx = onnxFile(settings);
        ModelInfo info = modelInfo(settings, onnx);
        Backbone backbone = switch (settings.engine()) {
            case ONNXRUNTIME -> settings.device().gpu()
                    ? OnnxRuntimeGpu.load(settings, batchSize, onnx, info)
                    : loadOnnxRuntime(settings, onnx, info);
            case TENSORRT -> DjlTensorRt.load(settings, batchSize, onnx, info);
        };
        long loaded = System.nanoTime();
        try {
            warmUp(backbone, 1);
            warmUp(backbone, batchSize);
        } catch (RuntimeException e) {
            backbone.close();
            throw new ModelLoadException("model " + info.name() + " loaded but its warm-up batch failed on "
                    + backbone.engine() + "/" + backbone.device() + ": " + e.getMessage(), e);
        }
        long warmed = System.nanoTime();
        log.info("model {} ({}) ready on {}/{}: loaded in {} ms, warmed up in {} ms", info.name(), info.version(),
                backbone.engine(), backbone.device(), (loaded - start) / 1_000_000, (warmed - loaded) / 1_000_000);
        return new Loaded(backbone, onnx, loaded - start, warmed - loaded);
    }

    private static Path onnxFile(ModelSettings settings) {
        if (settings.source() instanceof ModelSource.OnnxFile file) {
            return file.path();
        }
        Architecture arch = Catalog.find(settings.source().name());
        try {
            WeightSource weights = settings.weights().isPresent()
                    ? SafetensorsWeights.open(settings.weights().get())
                    : new SeededWeights(settings.seed());
            ExportedModel model = ModelExporter.export(arch, ModelExporter.IMAGENET_CLASSES, weights);
            Path file = Files.createTempFile("strata-" + arch.name().replaceAll("[^A-Za-z0-9-]", "_") + "-", ".onnx");
            file.toFile().deleteOnExit();
            model.writeTo(file);
            return file;
        } catch (IOException e) {
            throw new ModelLoadException("could not export " + arch.name() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("strata.model.weights " + settings.weights().map(Path::toString).orElse("")
                    + " does not fit " + arch.name() + ": " + e.getMessage(), e);
        }
    }

    private static ModelInfo modelInfo(ModelSettings settings, Path onnx) {
        ModelMetadata meta;
        try {
            meta = ModelMetadata.read(onnx);
        } catch (IOException e) {
            // Unreadable, or not an ONNX protobuf at all: a bad setting, reported like one.
            throw new ModelLoadException("strata.model.path " + onnx + " cannot be read as an ONNX model: "
                    + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("strata.model.path " + onnx + ": " + e.getMessage(), e);
        }
        if (!meta.inputSizeRule().accepts(settings.inputSize(), settings.inputSize())) {
            throw new ModelLoadException("strata.model.input-size " + settings.inputSize() + " does not suit "
                    + meta.arch() + ", whose input sides must be a " + meta.inputSizeRule(), null);
        }
        String name = settings.source() instanceof ModelSource.Catalog catalog ? catalog.arch() : meta.arch();
        return new ModelInfo(name, meta.weights(), settings.inputSize(), meta.numClasses(), meta.stages());
    }

    private static Backbone loadOnnxRuntime(ModelSettings settings, Path onnx, ModelInfo info) {
        Map<String, String> options = new HashMap<>();
        // One batch at a time from one thread: parallelism belongs inside the operators.
        options.put("interOpNumThreads", "1");
        options.put("executionMode", "SEQUENTIAL");
        if (settings.intraOpThreads() > 0) {
            options.put("intraOpNumThreads", Integer.toString(settings.intraOpThreads()));
        }
        // Spinning is ONNX Runtime's default; see strata.model.intra-op-spinning for why Strata turns it off.
        Map<String, String> session = settings.intraOpSpinning() ? Map.of()
                : Map.of("session.intra_op.allow_spinning", "0");
        return DjlBackbone.loadOnnxRuntime(onnx, info, options, session);
    }

    private static void warmUp(Backbone backbone, int frames) {
        backbone.infer(new float[frames * backbone.info().frameFloats()], frames);
    }
}
