package dev.strata.processor.inference;

import java.time.Duration;

/**
 * How the shared executor forms batches.
 *
 * @param batchSize a batch runs as soon as it has this many frames
 * @param maxDelay ... or when its oldest frame has waited this long since submission
 * @param maxInFlight frames submitted but not yet completed, across all tasks of the instance
 * @param maxBlock how long {@code submit} may wait for an in-flight slot
 * @param overloadPolicy what to do when no slot frees within {@code maxBlock}
 * @param staleness drop frames older than this (capture time) when their batch forms; zero = never
 * @param decodeThreads size of the decode and preprocess pool
 */
public record BatchSettings(
        int batchSize,
        Duration maxDelay,
        int maxInFlight,
        Duration maxBlock,
        OverloadPolicy overloadPolicy,
        Duration staleness,
        int decodeThreads) {}
