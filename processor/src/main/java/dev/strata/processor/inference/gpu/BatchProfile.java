package dev.strata.processor.inference.gpu;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A TensorRT optimisation profile's batch sizes: the engine runs any batch from {@code min} to
 * {@code max} and is tuned for {@code opt}.
 */
public record BatchProfile(int min, int opt, int max) {

    public BatchProfile {
        if (min < 1 || opt < min || max < opt) {
            throw new IllegalArgumentException("batch profile must satisfy 1 <= min <= opt <= max, got " + min + "/"
                    + opt + "/" + max);
        }
    }

    /** Batches of 1 up to {@code maxBatch}, tuned for the configured batch size. */
    public static BatchProfile of(int batchSize, int maxBatch) {
        return new BatchProfile(1, batchSize, maxBatch);
    }

    /** min, opt and max without repeats, ascending. */
    public SortedSet<Integer> sizes() {
        return new TreeSet<>(List.of(min, opt, max));
    }

    @Override
    public String toString() {
        return min + "/" + opt + "/" + max;
    }
}
