package dev.strata.processor.inference;

/**
 * No in-flight slot freed within {@code strata.batch.max-block}: the engine is slower than its
 * inference budget or stuck. Thrown from {@code process()}, it ends the stream thread, which
 * StrataApp replaces; the frames of its tasks are restored from the pending store.
 */
public class InferenceStalledException extends RuntimeException {
    public InferenceStalledException(String message) {
        super(message);
    }
}
