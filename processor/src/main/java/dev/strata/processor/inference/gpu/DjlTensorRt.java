package dev.strata.processor.inference.gpu;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.strata.processor.config.ModelSettings;
import dev.strata.processor.inference.Backbone;
import dev.strata.processor.inference.DjlBackbone;
import dev.strata.processor.inference.DjlDefaults;
import dev.strata.processor.inference.ModelInfo;
import dev.strata.processor.inference.ModelLoadException;
import dev.strata.processor.inference.StaticBatchBackbone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tensorrt engine: DJL's TensorRT engine ({@code ai.djl.tensorrt:tensorrt} 0.33, whose JNI
 * library is built for TensorRT 8). Its native layer builds an engine from an ONNX file with an
 * optional fp16 flag, but adds no optimisation profile, binds buffers of one fixed shape per
 * session, and keeps no serialised engine. So Strata builds one engine per batch size of the
 * profile (1, batch.size, max-batch) from copies of the graph with that batch fixed, pads each batch
 * up to the nearest, and the engines are rebuilt at every start. The onnxruntime engine on a GPU
 * has none of these limits (see README "GPU (TensorRT)").
 */
public final class DjlTensorRt {

    private static final Logger log = LoggerFactory.getLogger(DjlTensorRt.class);

    static final String ENGINE = "tensorrt";
    private static final String TENSORRT_8_LIBRARIES =
            "libnvinfer.so.8, libnvinfer_plugin.so.8, libnvonnxparser.so.8 and libnvparsers.so.8";

    private DjlTensorRt() {
    }

    public static Backbone load(ModelSettings settings, int batchSize, Path onnx, ModelInfo info) {
        String device = settings.device().toString();
        GpuDevice gpu = CudaDriver.describe(settings.device().index());
        TensorRtVersion tensorRt = tensorRtVersion();
        ModelProto graph = OnnxGraphs.read(onnx);
        check(OnnxGraphs.opTypes(graph), tensorRt, gpu, info.name());
        BatchProfile profile = BatchProfile.of(batchSize, settings.tensorRt().maxBatch());
        Map<String, String> options = options(settings.tensorRt().fp16());
        log.warn("strata.model.engine=tensorrt builds {} TensorRT {} engine(s) for {} on {} (batches {}) at every "
                        + "start: DJL's TensorRT engine cannot save them. strata.model.engine=onnxruntime on the GPU "
                        + "builds one engine with a dynamic batch and caches it", profile.sizes().size(), tensorRt,
                info.name(), gpu, profile.sizes());
        Map<Integer, DjlBackbone> engines = new TreeMap<>();
        try {
            for (int rows : profile.sizes()) {
                engines.put(rows, build(graph, rows, info, options, settings.device().index(), device, gpu, tensorRt));
            }
        } catch (RuntimeException e) {
            engines.values().forEach(DjlBackbone::close);
            throw e;
        }
        return new StaticBatchBackbone(info, ENGINE, device, engines);
    }

    private static DjlBackbone build(ModelProto graph, int rows, ModelInfo info, Map<String, String> options,
            int index, String device, GpuDevice gpu, TensorRtVersion tensorRt) {
        Path file = null;
        try {
            file = Files.createTempFile("strata-" + info.name().replaceAll("[^A-Za-z0-9-]", "_") + "-b" + rows + "-",
                    ".onnx");
            OnnxGraphs.write(OnnxGraphs.withStaticBatch(graph, DjlBackbone.INPUT_NAME, rows, info.inputSize()), file);
            return DjlBackbone.load(file, info, new DjlBackbone.Target("TensorRT", Device.gpu(index), options,
                    ENGINE, device));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a temporary ONNX file for the TensorRT build", e);
        } catch (ModelLoadException e) {
            throw new ModelLoadException("DJL's TensorRT engine could not build " + info.name() + " for batches of "
                    + rows + " on " + gpu + " with TensorRT " + tensorRt + ": " + e.getMessage() + ". TensorRT's own "
                    + "log (lines starting [TRT]) names the node it rejected; the graph's operators are "
                    + OnnxGraphs.opTypes(graph) + ". strata.model.engine=onnxruntime on the GPU uses TensorRT 10 and "
                    + "runs nodes TensorRT cannot take on CUDA", e);
        } finally {
            // TensorRT has parsed the file into its own network by now.
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    log.warn("could not delete {}", file, e);
                }
            }
        }
    }

    /** The options DJL's TensorRT JNI reads; it tests for the fp16 key's presence, not its value. */
    static Map<String, String> options(boolean fp16) {
        return fp16 ? Map.of("fp16", "true") : Map.of();
    }

    /** The version of the TensorRT libraries DJL's JNI loaded; fails, naming them, when they are missing. */
    static TensorRtVersion tensorRtVersion() {
        DjlDefaults.apply();
        try {
            return TensorRtVersion.parse(Engine.getEngine("TensorRT").getVersion());
        } catch (RuntimeException | LinkageError e) {
            String missing = NativeLibraries.missingLibrary(e).map(library -> " (missing: " + library + ")").orElse("");
            throw new ModelLoadException("strata.model.engine tensorrt cannot start: DJL's TensorRT engine needs the "
                    + "TensorRT 8 libraries " + TENSORRT_8_LIBRARIES + " on the library path" + missing + ". Run the "
                    + "Strata TensorRT image, or use strata.model.engine=onnxruntime with strata.model.device=gpu "
                    + "(TensorRT 10 through ONNX Runtime's GPU package) or =cpu", e);
        }
    }

    /** Refuses, before a long build, what this TensorRT version is known not to take. */
    static void check(Set<String> ops, TensorRtVersion tensorRt, GpuDevice gpu, String model) {
        if (ops.contains("LayerNormalization") && !tensorRt.atLeast(8, 6)) {
            throw new ModelLoadException(model + " uses the ONNX operator LayerNormalization, which TensorRT's ONNX "
                    + "parser imports from TensorRT 8.6 on; this host has TensorRT " + tensorRt + ". Use TensorRT 8.6 "
                    + "libraries for strata.model.engine=tensorrt, or strata.model.engine=onnxruntime on the GPU",
                    null);
        }
        int major = Integer.parseInt(gpu.computeCapability().substring(0, gpu.computeCapability().indexOf('.')));
        if (major >= 9 && !tensorRt.atLeast(8, 5)) {
            throw new ModelLoadException(gpu + " is a Hopper-class GPU, which TensorRT " + tensorRt + " predates "
                    + "(Hopper kernels arrived with TensorRT 8.5). Use TensorRT 8.6 libraries for "
                    + "strata.model.engine=tensorrt, or strata.model.engine=onnxruntime on the GPU (TensorRT 10)",
                    null);
        }
    }
}
