package dev.strata.processor.config;

import java.nio.file.Path;

/**
 * TensorRT engine options ({@code strata.model.tensorrt}); read only when the engine is tensorrt.
 *
 * @param fp16           build the engine with half-precision kernels
 * @param maxBatch       largest batch the engine is built for
 * @param engineCacheDir where serialised engines are cached
 */
public record TensorRtSettings(boolean fp16, int maxBatch, Path engineCacheDir) {
}
