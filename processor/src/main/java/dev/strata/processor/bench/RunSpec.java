package dev.strata.processor.bench;

import java.time.Duration;

/**
 * One configuration measured against the broker.
 *
 * @param peer      the per-record peer instead of Strata
 * @param batchSize Strata's {@code strata.batch.size} (1 for the peer)
 * @param maxDelay  Strata's {@code strata.batch.max-delay} (zero for the peer)
 */
record RunSpec(boolean peer, int batchSize, Duration maxDelay) {

    static RunSpec perRecordPeer() {
        return new RunSpec(true, 1, Duration.ZERO);
    }

    /** Parses {@code SIZE/DELAY}, e.g. {@code 8/20ms}. */
    static RunSpec parse(String text) {
        String[] parts = text.trim().split("/");
        if (parts.length != 2 || !parts[1].endsWith("ms")) {
            throw new IllegalArgumentException("a pipeline setting is batch-size/max-delay, e.g. 8/20ms, not '"
                    + text + "'");
        }
        try {
            int size = Integer.parseInt(parts[0]);
            long millis = Long.parseLong(parts[1].substring(0, parts[1].length() - 2));
            if (size < 1 || millis < 1) {
                throw new IllegalArgumentException("batch size and max delay must be positive in '" + text + "'");
            }
            return new RunSpec(false, size, Duration.ofMillis(millis));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a pipeline setting is batch-size/max-delay, e.g. 8/20ms, not '"
                    + text + "'", e);
        }
    }

    String name() {
        return peer ? "per-record peer" : "strata " + batchSize + "/" + maxDelay.toMillis() + "ms";
    }

    /** At least two batches in flight, so one is decoded while the other runs. */
    int maxInFlight() {
        return Math.max(64, 4 * batchSize);
    }
}
