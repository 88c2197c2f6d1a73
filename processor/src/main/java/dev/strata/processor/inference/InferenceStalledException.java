package dev.strata.processor.inference;

/** No in-flight slot freed within {@code maxBlock}: the engine has made no progress. */
public class InferenceStalledException extends RuntimeException {
    public InferenceStalledException(String message) {
        super(message);
    }
}
