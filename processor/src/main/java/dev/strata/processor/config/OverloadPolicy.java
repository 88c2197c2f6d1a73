package dev.strata.processor.config;

/** What {@code process()} does when {@code strata.batch.max-in-flight} frames are in flight. */
public enum OverloadPolicy {
    /** Wait for room, at most {@code strata.batch.max-block}. */
    BLOCK,
    /**
     * Drop the oldest frame not yet in a running batch, counted in metrics; wait at most
     * {@code strata.batch.max-block} only when every frame in flight is decoding or running.
     */
    DROP_OLDEST
}
