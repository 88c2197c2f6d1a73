package dev.strata.processor.inference;

/** What {@link InferenceExecutor#submit} does when every in-flight slot is taken. */
public enum OverloadPolicy {
    /**
     * Wait for a slot up to {@code maxBlock}; the stream thread stalls, which is Kafka's own
     * backpressure. If the engine frees no slot in that time it is considered stuck and
     * {@link InferenceStalledException} is thrown.
     */
    BLOCK,
    /**
     * Real-time mode: when no slot frees within {@code maxBlock}, the oldest frame still waiting for
     * a batch is dropped (counted as {@code overload}) to admit the new one.
     */
    DROP_OLDEST
}
