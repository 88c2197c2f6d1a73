package dev.strata.processor.inference;

/**
 * A loaded vision backbone on one device. Implementations are not thread-safe: the shared
 * {@link InferenceExecutor} is the only caller, from its single inference thread.
 */
public interface Backbone extends AutoCloseable {

    ModelInfo info();

    /** Engine and device the model runs on, e.g. {@code onnxruntime}/{@code cpu}; used as metric tags. */
    String engine();

    String device();

    /**
     * Runs one batch.
     *
     * @param input {@code batchSize} preprocessed frames, NCHW, contiguous from index 0
     */
    BatchOutput infer(float[] input, int batchSize);

    @Override
    void close();
}
