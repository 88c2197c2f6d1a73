package dev.strata.processor.config;

/** The DJL engine that runs the model. */
public enum Engine {
    /** ONNX Runtime, on the CPU or (with the GPU package) a GPU. */
    ONNXRUNTIME,
    /** NVIDIA TensorRT; GPU only. */
    TENSORRT
}
