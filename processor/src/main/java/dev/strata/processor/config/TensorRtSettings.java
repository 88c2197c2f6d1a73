package dev.strata.processor.config;

import java.nio.file.Path;

/**
 * TensorRT options ({@code strata.model.tensorrt}), used by both TensorRT paths: the tensorrt engine
 * and ONNX Runtime's TensorRT provider on a GPU.
 *
 * @param fp16           allow half-precision kernels
 * @param maxBatch       largest batch the engine is built for
 * @param engineCacheDir where serialised engines are cached (ONNX Runtime's TensorRT provider)
 */
public record TensorRtSettings(boolean fp16, int maxBatch, Path engineCacheDir) {
}
