package dev.strata.processor.inference;

/**
 * One frame handed to the {@link InferenceExecutor}: how to turn it into a model input and how to
 * turn the model's output back into the frame's result.
 *
 * @param <R> the per-frame result (labels and feature summaries)
 */
public interface FrameTask<R> {

    /**
     * Decodes and preprocesses the frame into {@code chw} ({@link ModelInfo#frameFloats()} floats).
     * Runs on the decode pool; any exception rejects the frame.
     */
    void prepare(float[] chw) throws Exception;

    /** Capture time, epoch milliseconds; the staleness policy measures age from it. */
    long captureTimestampMs();

    /** Builds this frame's result from its row {@code index} of the batch output. */
    R summarize(BatchOutput output, int index);
}
