package dev.strata.processor.inference;

/** Running a batch through the engine failed. */
public class InferenceException extends RuntimeException {
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
