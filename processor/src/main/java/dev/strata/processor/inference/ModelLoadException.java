package dev.strata.processor.inference;

/** A model or engine could not be loaded; the message says what is missing and how to fix it. */
public class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
