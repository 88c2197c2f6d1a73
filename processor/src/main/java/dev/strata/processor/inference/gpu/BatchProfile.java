package dev.strata.processor.inference.gpu;

import dev.strata.processor.inference.ModelLoadException;
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

    /**
     * Batches of 1 up to {@code maxBatch}, tuned for {@code batchSize}.
     *
     * @throws ModelLoadException when the model is loaded for batches larger than max-batch (the
     *                            configuration checks batch.size; a benchmark may ask for more)
     */
    public static BatchProfile of(int batchSize, int maxBatch) {
        if (batchSize > maxBatch) {
            throw new ModelLoadException("strata.model.tensorrt.max-batch " + maxBatch + " is smaller than the batch of "
                    + batchSize + " the model is loaded for: raise it to at least " + batchSize, null);
        }
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
