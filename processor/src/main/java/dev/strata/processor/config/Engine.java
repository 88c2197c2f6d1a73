package dev.strata.processor.config;

/** The DJL engine that runs the model. */
public enum Engine {
    /** ONNX Runtime: on the CPU, or on a GPU (TensorRT or CUDA provider) with the GPU package. */
    ONNXRUNTIME,
    /** DJL's TensorRT engine (TensorRT 8); GPU only. */
    TENSORRT
}
