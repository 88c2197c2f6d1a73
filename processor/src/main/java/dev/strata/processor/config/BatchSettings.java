package dev.strata.processor.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Micro-batching and back-pressure ({@code strata.batch}).
 *
 * @param size            frames per inference batch
 * @param maxDelay        longest wait of a batch's oldest frame before the batch runs anyway
 * @param maxInFlight     frames decoded but not yet published, per instance; at least size
 * @param maxBlock        longest wait of a stream thread for room under {@link OverloadPolicy#BLOCK}
 * @param inferenceBudget longest expected inference of one batch
 * @param overloadPolicy  what to do when maxInFlight is reached
 * @param staleness       frames older than this (by capture time) at batch time are dropped; empty: off
 * @param decodeThreads   decode and preprocess threads; 0 decodes on the stream threads
 */
public record BatchSettings(
        int size,
        Duration maxDelay,
        int maxInFlight,
        Duration maxBlock,
        Duration inferenceBudget,
        OverloadPolicy overloadPolicy,
        Optional<Duration> staleness,
        int decodeThreads) {

    static BatchSettings parse(Settings s) {
        int size = s.intBetween("strata.batch.size", 1, 4096);
        int maxInFlight = s.intBetween("strata.batch.max-in-flight", 1, 1_000_000);
        if (maxInFlight < size) {
            throw s.invalid("strata.batch.max-in-flight", "must be at least strata.batch.size (" + size
                    + "), or no batch could ever fill");
        }
        Duration staleness = s.duration("strata.batch.staleness");
        return new BatchSettings(
                size,
                s.positiveDuration("strata.batch.max-delay"),
                maxInFlight,
                s.positiveDuration("strata.batch.max-block"),
                s.positiveDuration("strata.batch.inference-budget"),
                s.choice("strata.batch.overload-policy", OverloadPolicy.class),
                staleness.isZero() ? Optional.empty() : Optional.of(staleness),
                s.intBetween("strata.batch.decode-threads", 0, 256));
    }
}
