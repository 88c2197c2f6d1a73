package dev.strata.processor.config;

/** ONNX Runtime's execution provider on a GPU ({@code strata.model.onnxruntime.gpu-provider}). */
public enum GpuProvider {
    /** TensorRT builds (and caches) an engine; CUDA runs the nodes TensorRT does not take. */
    TENSORRT,
    /** CUDA kernels only: no engine build, fp32. */
    CUDA
}
