package dev.strata.processor.output;

/** Encoding of {@code frames.features} values. */
public enum FeatureFormat {
    /** The compact layout documented on {@link FeatureSummaryWriter}. */
    BINARY,
    /** UTF-8 JSON, documented on {@link FeatureSummaryWriter}. */
    JSON
}
