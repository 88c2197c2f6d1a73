package dev.strata.processor.inference.gpu;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import dev.strata.processor.config.GpuProvider;
import dev.strata.processor.config.ModelSettings;
import dev.strata.processor.inference.Backbone;
import dev.strata.processor.inference.DjlBackbone;
import dev.strata.processor.inference.DjlDefaults;
import dev.strata.processor.inference.ModelInfo;
import dev.strata.processor.inference.ModelLoadException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime on a GPU (the onnxruntime engine with a gpu device): its TensorRT execution
 * provider, which takes a dynamic batch profile and caches the engines it builds, with CUDA for
 * any node TensorRT does not take; or the CUDA provider alone. Needs ONNX Runtime's GPU package
 * ({@code ./mvnw -P gpu}). DJL's ONNX Runtime engine runs the session; Strata builds the session
 * options, since DJL passes no provider options of its own.
 */
public final class OnnxRuntimeGpu {

    private static final Logger log = LoggerFactory.getLogger(OnnxRuntimeGpu.class);

    /** ONNX Runtime 1.21's TensorRT provider links libnvinfer.so.10. */
    static final int TENSORRT_MAJOR = 10;

    private static final String BUILD_GPU = "build Strata with ./mvnw -P gpu package (it puts "
            + "com.microsoft.onnxruntime:onnxruntime_gpu in target/lib in place of the CPU package), as the "
            + "Strata TensorRT image does";

    private OnnxRuntimeGpu() {
    }

    /**
     * Loads the model on the GPU of {@code settings.device()}.
     *
     * @param batchSize the batch the TensorRT profile is tuned for; batches of 1 to
     *                  {@code strata.model.tensorrt.max-batch} run
     */
    public static Backbone load(ModelSettings settings, int batchSize, Path onnx, ModelInfo info) {
        GpuProvider provider = settings.gpuProvider();
        int index = settings.device().index();
        DjlDefaults.apply();
        // DJL's engine creates ONNX Runtime's environment with its own settings; it must come first.
        Engine.getEngine("OnnxRuntime");
        requireGpuPackage(OrtEnvironment.getAvailableProviders(), provider, settings.device().toString());
        GpuDevice gpu = CudaDriver.describe(index);
        Path model = onnx;
        Map<String, String> tensorRtOptions = null;
        if (provider == GpuProvider.TENSORRT) {
            TensorRtVersion tensorRt = TensorRtLibrary.version(TENSORRT_MAJOR, "ONNX Runtime's TensorRT provider");
            BatchProfile profile = BatchProfile.of(batchSize, settings.tensorRt().maxBatch());
            EngineCacheKey key = new EngineCacheKey(info.name(), EngineCache.sha256(onnx), info.inputSize(), profile,
                    settings.tensorRt().fp16(), gpu.name(), gpu.computeCapability(), tensorRt,
                    "onnxruntime " + ortVersion());
            EngineCache.Entry entry = EngineCache.prepare(settings.tensorRt().engineCacheDir(), key, onnx);
            if (entry.engineCached()) {
                log.info("TensorRT engine for {} on {} found in {}: no build", info.name(), gpu, entry.directory());
            } else {
                log.info("building a TensorRT {} engine for {} on {} with TensorRT {} (batch {}..{}, tuned for {}) "
                                + "into {}; large models take minutes, later starts reuse it",
                        settings.tensorRt().fp16() ? "fp16" : "fp32", info.name(), gpu, tensorRt, profile.min(),
                        profile.max(), profile.opt(), entry.directory());
            }
            model = entry.model();
            tensorRtOptions = tensorRtOptions(index, settings.tensorRt().fp16(), profile, info.inputSize(),
                    entry.directory());
        }
        String engine = "onnxruntime-" + provider.name().toLowerCase(Locale.ROOT);
        try (SessionOptions options =
                sessionOptions(settings.intraOpThreads(), tensorRtOptions, cudaOptions(index))) {
            return DjlBackbone.load(model, info, new DjlBackbone.Target("OnnxRuntime", Device.cpu(),
                    Map.of("sessionOptions", options), engine, settings.device().toString()));
        } catch (OrtException | ModelLoadException e) {
            // ONNX Runtime loads a provider's shared library when the provider is added, so a missing
            // CUDA, cuDNN or TensorRT library surfaces in either place.
            throw explain(e, provider, gpu, info);
        }
    }

    /** The TensorRT provider's options (ONNX Runtime 1.21 spelling). */
    static Map<String, String> tensorRtOptions(int device, boolean fp16, BatchProfile profile, int inputSize,
            Path cacheDirectory) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("device_id", Integer.toString(device));
        options.put("trt_fp16_enable", fp16 ? "1" : "0");
        options.put("trt_profile_min_shapes", shape(profile.min(), inputSize));
        options.put("trt_profile_opt_shapes", shape(profile.opt(), inputSize));
        options.put("trt_profile_max_shapes", shape(profile.max(), inputSize));
        options.put("trt_engine_cache_enable", "1");
        options.put("trt_engine_cache_path", cacheDirectory.toAbsolutePath().toString());
        return options;
    }

    static Map<String, String> cudaOptions(int device) {
        return Map.of("device_id", Integer.toString(device));
    }

    private static String shape(int batch, int inputSize) {
        return DjlBackbone.INPUT_NAME + ":" + batch + "x3x" + inputSize + "x" + inputSize;
    }

    /** Fails unless the ONNX Runtime on the classpath was built with the providers the settings need. */
    static void requireGpuPackage(EnumSet<OrtProvider> available, GpuProvider provider, String device) {
        boolean ok = available.contains(OrtProvider.CUDA)
                && (provider != GpuProvider.TENSORRT || available.contains(OrtProvider.TENSOR_RT));
        if (!ok) {
            throw new ModelLoadException("strata.model.device " + device + " with strata.model.engine onnxruntime "
                    + "needs ONNX Runtime's GPU package, but the ONNX Runtime on the classpath has only the "
                    + available + " execution providers: " + BUILD_GPU + "; or run on the CPU with "
                    + "strata.model.device=cpu", null);
        }
    }

    /**
     * Session options with the TensorRT provider (when {@code tensorRt} is given) ahead of CUDA.
     *
     * @param intraOpThreads CPU threads within one operator; 0 leaves it to ONNX Runtime
     */
    static SessionOptions sessionOptions(int intraOpThreads, Map<String, String> tensorRt, Map<String, String> cuda)
            throws OrtException {
        SessionOptions options = new SessionOptions();
        try {
            // One batch at a time from one thread, as on the CPU.
            options.setInterOpNumThreads(1);
            options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            // Provider order is priority order: TensorRT takes what it can, CUDA the rest. The
            // session keeps its own copy of the provider options.
            if (tensorRt != null) {
                try (OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions()) {
                    for (Map.Entry<String, String> option : tensorRt.entrySet()) {
                        trt.add(option.getKey(), option.getValue());
                    }
                    options.addTensorrt(trt);
                }
            }
            try (OrtCUDAProviderOptions gpu = new OrtCUDAProviderOptions()) {
                for (Map.Entry<String, String> option : cuda.entrySet()) {
                    gpu.add(option.getKey(), option.getValue());
                }
                options.addCUDA(gpu);
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private static String ortVersion() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    static ModelLoadException explain(Exception e, GpuProvider provider, GpuDevice gpu, ModelInfo info) {
        String name = provider.name().toLowerCase(Locale.ROOT);
        return NativeLibraries.missingLibrary(e)
                .map(library -> new ModelLoadException("ONNX Runtime's " + name + " provider cannot start on " + gpu
                        + ": " + library + " is missing (" + NativeLibraries.provider(library) + "). It needs CUDA 12 "
                        + "and cuDNN 9" + (provider == GpuProvider.TENSORRT ? " and TensorRT 10" : "") + " on the "
                        + "library path, as in the Strata TensorRT image"
                        + (provider == GpuProvider.TENSORRT
                                ? "; strata.model.onnxruntime.gpu-provider=cuda needs no TensorRT" : ""), e))
                .orElseGet(() -> new ModelLoadException("ONNX Runtime (" + name + " provider) could not load "
                        + info.name() + " on " + gpu + ": " + e.getMessage(), e));
    }
}
