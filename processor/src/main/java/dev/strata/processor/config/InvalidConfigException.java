package dev.strata.processor.config;

/** A setting is missing, malformed or inconsistent; the message names it and its value. */
public final class InvalidConfigException extends RuntimeException {

    public InvalidConfigException(String message) {
        super(message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
